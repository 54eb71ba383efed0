/* folio — unit tests: the hash-chained audit log (src/access/audit.c).
 * Tampering is done with a second, raw SQLite connection to the file, as
 * someone with write access to it would. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "folio/access.h"
#include "folio/account.h"
#include "folio/audit.h"
#include "folio/config.h"
#include "folio/crypto.h"
#include "folio/grant.h"
#include "folio/smem.h"
#include "folio/util.h"

#include "unit_fixture.h"

#define MAX_ROWS 256
/* Rows the fixture writes (see audit_setup). */
#define KEYED_MID 3 /* a keyed row in the middle (config.read) */
#define UNKEYED 5   /* the failed sign-in row */

/* ---- fixture: a database with a few events and the admin signed in --- */

static int audit_setup(void **state)
{
	struct fixture *f;
	struct folio_err e = { 0 };
	struct session *bad = NULL;
	struct grant *g = NULL;
	long v;

	if (fixture_setup_admin(state))
		return -1;
	f = *state;
	/* 1: db.init, 2: the admin's sign-in */
	/* 3: a keyed row in the middle */
	if (access_begin(f->admin, ACT_CONFIG_READ, NULL, "setting", "lockout_threshold", &g, &e) ||
	    config_get(g, "lockout_threshold", &v, &e) || access_end(g, FOLIO_OK, &e))
		return fixture_teardown_db(state), -1;
	/* 4: a denial */
	if (access_begin(f->admin, ACT_PATIENT_FIND, NULL, NULL, NULL, &g, &e) != FOLIO_EDENIED)
		return fixture_teardown_db(state), -1;
	/* 5: an unkeyed row (failed sign-in), sealed by the keyed row after it */
	if (access_login(f->st, "admin", "wrong password!", 15, &bad, &e) != FOLIO_EDENIED)
		return fixture_teardown_db(state), -1;
	/* 6, 7 */
	if (access_begin(f->admin, ACT_USER_LIST, NULL, NULL, NULL, &g, &e) || access_end(g, FOLIO_OK, &e) ||
	    access_begin(f->admin, ACT_DB_CHECK, NULL, NULL, NULL, &g, &e) || access_end(g, FOLIO_OK, &e))
		return fixture_teardown_db(state), -1;
	return 0;
}

/* Verifies under its own grant; returns audit_verify's status. */
static int verify(struct fixture *f, const char *head, struct audit_report *r)
{
	struct folio_err e = { 0 };
	struct grant *g = fixture_begin(f->admin, ACT_AUDIT_VERIFY);
	int rc = audit_verify(g, head, r, &e);

	if (rc != FOLIO_OK)
		assert_true(e.msg[0] != '\0');
	fixture_end(g);
	return rc;
}

static void expect_broken_at(struct fixture *f, int64_t seq, const char *what)
{
	struct audit_report r;
	int rc = verify(f, NULL, &r);

	if (rc != FOLIO_EFAIL || r.bad_seq != seq)
		fail_msg("%s: verify gave %d, bad_seq %lld (%s); wanted %d at %lld", what, rc,
			 (long long)r.bad_seq, r.problem, FOLIO_EFAIL, (long long)seq);
	assert_true(r.problem[0] != '\0');
}

static void expect_intact(struct fixture *f, const char *what)
{
	struct audit_report r;
	int rc = verify(f, NULL, &r);

	if (rc != FOLIO_OK)
		fail_msg("%s: verify gave %d at %lld: %s", what, rc, (long long)r.bad_seq, r.problem);
	assert_int_equal(r.bad_seq, 0);
}

/* ---- an independent canonical form and chain, for rewriting ---------- */

static size_t canon_add(uint8_t *buf, size_t n, const char *s)
{
	size_t len = strlen(s);
	buf[n] = (uint8_t)(len >> 8);
	buf[n + 1] = (uint8_t)len;
	memcpy(buf + n + 2, s, len);
	return n + 2 + len;
}

/* Recomputes every row's hash from the stored fields with kr (the keys an
 * insider holds), optionally after changing row `edit_seq`'s reason, and
 * writes the hashes and the anchor back.  Returns how many stored hashes
 * differed from the recomputation before the edit. */
static int chain_rewrite(struct fixture *f, const struct keyring *kr, int64_t edit_seq, const char *reason)
{
	sqlite3 *db;
	sqlite3_stmt *q, *u;
	uint8_t prev[HASH_BYTES] = { 0 }, h[HASH_BYTES];
	int64_t seq = 0;
	int mismatches = 0;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN; DROP TRIGGER IF EXISTS audit_log_no_update;"
					  " DROP TRIGGER IF EXISTS audit_anchor_forward", NULL, NULL, NULL),
			 SQLITE_OK);
	if (edit_seq) {
		char sql[256];
		snprintf(sql, sizeof sql, "UPDATE audit_log SET reason = '%s' WHERE seq = %lld", reason,
			 (long long)edit_seq);
		assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	}
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT seq, at, user_name, role, workstation, action, outcome,"
					    " mrn, object_type, object_id, reason, key_version, hash"
					    " FROM audit_log ORDER BY seq", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "UPDATE audit_log SET hash = ? WHERE seq = ?", -1, &u, NULL),
			 SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW) {
		uint8_t canon[2048];
		char num[32];
		size_t n = 0;
		struct folio_err e = { 0 };
		uint32_t kv = (uint32_t)sqlite3_column_int64(q, 11);

		seq = sqlite3_column_int64(q, 0);
		snprintf(num, sizeof num, "%lld", (long long)seq);
		n = canon_add(canon, n, num);
		for (int c = 1; c <= 10; c++)
			n = canon_add(canon, n, (const char *)sqlite3_column_text(q, c));
		snprintf(num, sizeof num, "%u", (unsigned)kv);
		n = canon_add(canon, n, num);
		assert_int_equal(chain_hash(kv ? kr : NULL, kv, prev, canon, n, h, &e), FOLIO_OK);
		if (sqlite3_column_bytes(q, 12) != HASH_BYTES ||
		    memcmp(sqlite3_column_blob(q, 12), h, HASH_BYTES) != 0) {
			mismatches++;
			sqlite3_bind_blob(u, 1, h, HASH_BYTES, SQLITE_TRANSIENT);
			sqlite3_bind_int64(u, 2, seq);
			assert_int_equal(sqlite3_step(u), SQLITE_DONE);
			sqlite3_reset(u);
		}
		memcpy(prev, h, HASH_BYTES);
	}
	sqlite3_finalize(q);
	sqlite3_finalize(u);
	assert_int_equal(sqlite3_prepare_v2(db, "UPDATE audit_anchor SET seq = ?, hash = ? WHERE id = 1", -1, &u,
					    NULL), SQLITE_OK);
	sqlite3_bind_int64(u, 1, seq);
	sqlite3_bind_blob(u, 2, prev, HASH_BYTES, SQLITE_TRANSIENT);
	assert_int_equal(sqlite3_step(u), SQLITE_DONE);
	sqlite3_finalize(u);
	assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	return mismatches;
}

/* ---- tests ----------------------------------------------------------- */

static void test_verify_intact(void **state)
{
	struct fixture *f = *state;
	struct audit_report r;

	memset(&r, 0x55, sizeof r);
	assert_int_equal(verify(f, NULL, &r), FOLIO_OK);
	assert_int_equal(r.bad_seq, 0);
	/* every row, including the verify's own */
	assert_int_equal(r.rows, fixture_sql_int(f, "SELECT count(*) FROM audit_log"));
	assert_int_equal(r.rows, 8);
	assert_int_equal(r.head_seq, r.rows);
	assert_int_equal(strlen(r.head_hex), 64);
	/* the fixture holds the rows it claims to */
	assert_int_equal(fixture_sql_int(f, "SELECT key_version FROM audit_log WHERE seq = 5"), 0);
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM audit_log WHERE seq = 3 AND action = 'config.read'"
					    " AND key_version = 1"), 1);
}

static void test_verify_needs_its_grant(void **state)
{
	struct fixture *f = *state;
	struct folio_err e = { 0 };
	struct audit_report r;
	struct grant *g = fixture_begin(f->admin, ACT_AUDIT_HEAD);
	int64_t seq;
	char hex[65];

	assert_int_equal(audit_verify(g, NULL, &r, &e), FOLIO_EDENIED);
	fixture_end(g);
	g = fixture_begin(f->admin, ACT_AUDIT_VERIFY);
	assert_int_equal(audit_head(g, &seq, hex, &e), FOLIO_EDENIED);
	fixture_end(g);
}

static void test_triggers_block_edits(void **state)
{
	struct fixture *f = *state;

	assert_int_not_equal(fixture_sql_rc(f, "UPDATE audit_log SET reason = 'x' WHERE seq = 3"), SQLITE_OK);
	assert_int_not_equal(fixture_sql_rc(f, "DELETE FROM audit_log WHERE seq = 3"), SQLITE_OK);
	assert_int_not_equal(fixture_sql_rc(f, "DELETE FROM audit_log"), SQLITE_OK);
	assert_int_not_equal(fixture_sql_rc(f, "DELETE FROM audit_anchor"), SQLITE_OK);
	assert_int_not_equal(fixture_sql_rc(f, "UPDATE audit_anchor SET seq = seq - 1"), SQLITE_OK);
	assert_int_not_equal(fixture_sql_rc(f, "UPDATE audit_anchor SET hash = zeroblob(32)"), SQLITE_OK);
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM audit_log"), 7);
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM audit_log WHERE reason = 'x'"), 0);
	expect_intact(f, "after refused edits");
}

static void test_edited_field(void **state)
{
	static const char *const cols[] = { "object_id", "at", "user_name", "action", "reason", "role",
					    "workstation", "outcome", "mrn", "object_type" };
	struct fixture *f = *state;

	fixture_sql_drop_audit_triggers(f);
	expect_intact(f, "triggers dropped, nothing changed");
	for (size_t i = 0; i < ARRAY_SIZE(cols); i++) {
		fixture_sqlf(f, "CREATE TABLE keep AS SELECT %s AS v FROM audit_log WHERE seq = %d", cols[i],
			     KEYED_MID);
		fixture_sqlf(f, "UPDATE audit_log SET %s = %s || 'x' WHERE seq = %d", cols[i], cols[i],
			     KEYED_MID);
		expect_broken_at(f, KEYED_MID, cols[i]);
		/* put back, the chain holds again */
		fixture_sqlf(f, "UPDATE audit_log SET %s = (SELECT v FROM keep) WHERE seq = %d; DROP TABLE keep",
			     cols[i], KEYED_MID);
		expect_intact(f, cols[i]);
	}
	/* the seal of a keyed row covers a row written without a key: an
	 * unkeyed row edited (even with its hash recomputed) breaks the next */
	fixture_sqlf(f, "UPDATE audit_log SET workstation = 'elsewhere' WHERE seq = %d", UNKEYED);
	expect_broken_at(f, UNKEYED, "unkeyed row edited");
}

static void test_edited_unkeyed_rehashed(void **state)
{
	struct fixture *f = *state;
	struct audit_report r;
	sqlite3 *db;
	sqlite3_stmt *q;
	uint8_t prev[HASH_BYTES], h[HASH_BYTES], canon[1024];
	size_t n = 0;
	struct folio_err e = { 0 };

	fixture_sql_drop_audit_triggers(f);
	/* rewrite the failed sign-in row and recompute its (unkeyed) hash, as
	 * anyone could without a key */
	fixture_sqlf(f, "UPDATE audit_log SET user_name = 'someone' WHERE seq = %d", UNKEYED);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT hash FROM audit_log WHERE seq = ?", -1, &q, NULL), SQLITE_OK);
	sqlite3_bind_int64(q, 1, UNKEYED - 1);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	memcpy(prev, sqlite3_column_blob(q, 0), HASH_BYTES);
	sqlite3_finalize(q);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT seq, at, user_name, role, workstation, action, outcome,"
					    " mrn, object_type, object_id, reason FROM audit_log WHERE seq = ?",
					    -1, &q, NULL), SQLITE_OK);
	sqlite3_bind_int64(q, 1, UNKEYED);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	for (int c = 0; c <= 10; c++)
		n = canon_add(canon, n, (const char *)sqlite3_column_text(q, c));
	n = canon_add(canon, n, "0");
	sqlite3_finalize(q);
	assert_int_equal(chain_hash(NULL, 0, prev, canon, n, h, &e), FOLIO_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "UPDATE audit_log SET hash = ? WHERE seq = ?", -1, &q, NULL),
			 SQLITE_OK);
	sqlite3_bind_blob(q, 1, h, HASH_BYTES, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 2, UNKEYED);
	assert_int_equal(sqlite3_step(q), SQLITE_DONE);
	sqlite3_finalize(q);
	sqlite3_close(db);
	/* its own hash now matches; the keyed row after it does not */
	assert_int_equal(verify(f, NULL, &r), FOLIO_EFAIL);
	assert_int_equal(r.bad_seq, UNKEYED + 1);
	assert_non_null(strstr(r.problem, "before"));
}

/* Drops the triggers, edits the log with the SQL fmt gives and expects the
 * chain reported broken at seq. */
static void tamper_expect_broken(struct fixture *f, int64_t seq, const char *what, const char *fmt, ...)
	PRINTF_LIKE(4, 5);
static void tamper_expect_broken(struct fixture *f, int64_t seq, const char *what, const char *fmt, ...)
{
	va_list ap;

	fixture_sql_drop_audit_triggers(f);
	va_start(ap, fmt);
	fixture_sqlv(f, fmt, ap);
	va_end(ap);
	expect_broken_at(f, seq, what);
}

static void test_deleted_middle_row(void **state)
{
	tamper_expect_broken(*state, 4, "deleted middle row", "DELETE FROM audit_log WHERE seq = 4");
}

static void test_deleted_first_row(void **state)
{
	tamper_expect_broken(*state, 1, "deleted first row", "DELETE FROM audit_log WHERE seq = 1");
}

static void test_deleted_last_row(void **state)
{
	int64_t last = fixture_audit_last_seq(*state);

	tamper_expect_broken(*state, last, "deleted last row", "DELETE FROM audit_log WHERE seq = %lld",
			     (long long)last);
}

static void test_deleted_tail(void **state)
{
	int64_t last = fixture_audit_last_seq(*state);

	/* the last two rows cut: the anchor still names the old head */
	tamper_expect_broken(*state, last - 1, "deleted tail", "DELETE FROM audit_log WHERE seq > %lld",
			     (long long)(last - 2));
}

static void test_swapped_rows(void **state)
{
	struct fixture *f = *state;

	fixture_sql_drop_audit_triggers(f);
	assert_int_equal(fixture_sql_int(f, "SELECT count(DISTINCT action) FROM audit_log WHERE seq IN (6, 7)"), 2);
	fixture_sql(f,
		"CREATE TABLE two AS SELECT * FROM audit_log WHERE seq IN (6, 7);"
		"UPDATE audit_log SET (at, user_name, role, workstation, action, outcome, mrn, object_type,"
		" object_id, reason, key_version, hash) = (SELECT at, user_name, role, workstation, action,"
		" outcome, mrn, object_type, object_id, reason, key_version, hash FROM two"
		" WHERE two.seq = 13 - audit_log.seq) WHERE seq IN (6, 7);"
		"DROP TABLE two");
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM audit_log WHERE seq = 6 AND action = 'db.check'"), 1);
	expect_broken_at(f, 6, "swapped rows");
}

static void test_forged_row_appended(void **state)
{
	struct fixture *f = *state;
	struct folio_err e = { 0 };
	struct grant *g = NULL;
	int64_t last = fixture_audit_last_seq(f);

	/* a copy of the last row, hash and all, as the next row */
	fixture_sqlf(f,
		     "INSERT INTO audit_log SELECT seq + 1, at, user_name, role, workstation, 'user.add', outcome,"
		     " mrn, 'user', 'mallory', reason, key_version, hash FROM audit_log WHERE seq = %lld",
		     (long long)last);
	/* the anchor does not name it: nothing more can be appended, so no
	 * action runs on top of a forged row */
	assert_int_not_equal(access_begin(f->admin, ACT_AUDIT_VERIFY, NULL, NULL, NULL, &g, &e), FOLIO_OK);
	assert_null(g);
	/* the anchor may move forward by one; with it moved, the row is still
	 * caught: its hash is not its own */
	fixture_sql(f, "UPDATE audit_anchor SET seq = seq + 1 WHERE id = 1");
	expect_broken_at(f, last + 1, "forged row");
}

static void test_key_version_zero(void **state)
{
	tamper_expect_broken(*state, KEYED_MID, "keyed row flipped to key_version 0",
			     "UPDATE audit_log SET key_version = 0 WHERE seq = %d", KEYED_MID);
}

static void test_unkeyed_flipped_to_keyed(void **state)
{
	tamper_expect_broken(*state, UNKEYED, "unkeyed row flipped to key_version 1",
			     "UPDATE audit_log SET key_version = 1 WHERE seq = %d", UNKEYED);
}

/* A key_version edited to a version no one holds is a broken chain at that
 * row (FOLIO_EFAIL with the row named), not a permission problem. */
static void test_key_version_unknown(void **state)
{
	tamper_expect_broken(*state, KEYED_MID, "keyed row flipped to key_version 9",
			     "UPDATE audit_log SET key_version = 9 WHERE seq = %d", KEYED_MID);
}

static void test_head(void **state)
{
	struct fixture *f = *state;
	struct folio_err e = { 0 };
	struct audit_report r;
	struct grant *g = fixture_begin(f->admin, ACT_AUDIT_HEAD);
	const struct keyring *kr = grant_keys(g); /* the session's ring: an insider's keys */
	char hex[65], head[96], bad[96], stored[65];
	int64_t seq = 0;

	assert_int_equal(audit_head(g, &seq, hex, &e), FOLIO_OK);
	fixture_end(g);
	assert_int_equal(seq, fixture_audit_last_seq(f));
	assert_int_equal(strlen(hex), 64);
	{
		sqlite3 *db;
		sqlite3_stmt *q;
		assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "SELECT lower(hex(hash)) FROM audit_log WHERE seq = ?", -1,
						    &q, NULL), SQLITE_OK);
		sqlite3_bind_int64(q, 1, seq);
		assert_int_equal(sqlite3_step(q), SQLITE_ROW);
		str_copy(stored, sizeof stored, (const char *)sqlite3_column_text(q, 0));
		sqlite3_finalize(q);
		sqlite3_close(db);
	}
	assert_string_equal(hex, stored);
	snprintf(head, sizeof head, "%lld:%s", (long long)seq, hex);

	/* later work does not disturb an earlier head */
	g = fixture_begin(f->admin, ACT_USER_LIST);
	fixture_end(g);
	assert_int_equal(verify(f, head, &r), FOLIO_OK);
	assert_true(r.head_seq > seq);
	/* an upper-case copy is the same head */
	for (char *p = strchr(head, ':'); *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'f' ? *p - 32 : *p);
	assert_int_equal(verify(f, head, &r), FOLIO_OK);
	/* a head the chain never had */
	snprintf(bad, sizeof bad, "%lld:%s", (long long)seq, hex);
	bad[strlen(bad) - 1] = bad[strlen(bad) - 1] == '0' ? '1' : '0';
	assert_int_equal(verify(f, bad, &r), FOLIO_EFAIL);
	assert_int_equal(r.bad_seq, seq);
	snprintf(bad, sizeof bad, "99999:%s", hex);
	assert_int_equal(verify(f, bad, &r), FOLIO_EFAIL);
	assert_int_equal(r.bad_seq, 99999);

	/* the insider: rewrites the head row's reason with the audit key and
	 * re-hashes everything after it, anchor included */
	snprintf(head, sizeof head, "%lld:%s", (long long)seq, hex);
	assert_int_equal(chain_rewrite(f, kr, 0, NULL), 0); /* our chain == the library's */
	assert_true(chain_rewrite(f, kr, seq, "nothing to see") > 0);
	assert_int_equal(verify(f, NULL, &r), FOLIO_OK);  /* self-consistent again... */
	assert_int_equal(verify(f, head, &r), FOLIO_EFAIL); /* ...but not what was written down */
	assert_int_equal(r.bad_seq, seq);
}

static void test_head_malformed(void **state)
{
	static const char *const bad[] = {
		"", "12", "12:", ":abcd", "abc:def", "0:0000000000000000000000000000000000000000000000000000000000000000",
		"-3:0000000000000000000000000000000000000000000000000000000000000000",
		"3:000000000000000000000000000000000000000000000000000000000000000",   /* 63 */
		"3:00000000000000000000000000000000000000000000000000000000000000000", /* 65 */
		"3:zz00000000000000000000000000000000000000000000000000000000000000",
		"3 0000000000000000000000000000000000000000000000000000000000000000",
	};
	struct fixture *f = *state;
	struct audit_report r;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		int rc = verify(f, bad[i], &r);
		if (rc != FOLIO_EUSAGE)
			fail_msg("head '%s': %d, wanted FOLIO_EUSAGE", bad[i], rc);
	}
}

/* ---- audit_show ------------------------------------------------------ */

struct rows {
	size_t n;
	struct audit_row r[MAX_ROWS];
};

static int rows_add(const struct audit_row *r, void *ctx)
{
	struct rows *rs = ctx;
	assert_true(rs->n < MAX_ROWS);
	rs->r[rs->n++] = *r;
	return 0;
}

static int stop_after_one(const struct audit_row *r, void *ctx)
{
	(void)r;
	(*(int *)ctx)++;
	return 1;
}

static void show(struct grant *g, const struct audit_filter *flt, struct rows *out)
{
	struct folio_err e = { 0 };
	out->n = 0;
	if (audit_show(g, flt, rows_add, out, &e) != FOLIO_OK)
		fail_msg("audit_show: %s", e.msg);
}

/* The rows of `all` a filter should give, worked out here. */
static void expect_rows(const struct rows *all, const struct audit_filter *flt, struct rows *want)
{
	want->n = 0;
	for (size_t i = 0; i < all->n; i++) {
		const struct audit_row *r = &all->r[i];
		if (flt->user && strcmp(r->user, flt->user) != 0)
			continue;
		if (flt->mrn && strcmp(r->mrn, flt->mrn) != 0)
			continue;
		if (flt->action && strncmp(r->action, flt->action, strlen(flt->action)) != 0)
			continue;
		if (flt->since && strncmp(r->at, flt->since, 10) < 0)
			continue;
		if (flt->until && strncmp(r->at, flt->until, 10) > 0)
			continue;
		want->r[want->n++] = *r;
	}
	if (flt->limit > 0) {
		/* newest first, at most limit */
		struct rows tmp = *want;
		size_t k = 0;
		for (size_t i = tmp.n; i-- > 0 && k < (size_t)flt->limit;)
			want->r[k++] = tmp.r[i];
		want->n = k;
	}
}

static void check_filter(struct grant *g, const struct rows *all, struct audit_filter flt, size_t count,
			 const char *what)
{
	static struct rows got, want;

	show(g, &flt, &got);
	expect_rows(all, &flt, &want);
	if (got.n != want.n || got.n != count)
		fail_msg("%s: %zu rows, worked out %zu, wanted %zu", what, got.n, want.n, count);
	for (size_t i = 0; i < got.n; i++)
		if (got.r[i].seq != want.r[i].seq)
			fail_msg("%s: row %zu is seq %lld, wanted %lld", what, i, (long long)got.r[i].seq,
				 (long long)want.r[i].seq);
}

static void test_show_filters(void **state)
{
	struct fixture *f = *state;
	struct folio_err e = { 0 };
	struct session *bad = NULL;
	struct grant *g = NULL;
	static struct rows all;
	static char today[24];
	/* each filter, the rows it should give */
	static const struct {
		struct audit_filter flt;
		size_t count;
		const char *what;
	} cases[] = {
		{ { .user = "admin" }, 9, "user admin" },
		{ { .user = "?" }, 1, "user ?" },
		{ { .user = "adm" }, 0, "user is exact" },
		{ { .action = "session." }, 3, "action session." },
		{ { .action = "session.login.failed" }, 2, "action session.login.failed" },
		{ { .action = "session_login" }, 0, "'_' is not a wildcard" },
		{ { .action = "%" }, 0, "'%' is not a wildcard" },
		{ { .action = "patient." }, 2, "action patient." },
		{ { .mrn = "MRN0042" }, 1, "mrn" },
		{ { .since = "2020-01-01", .until = "2020-01-02" }, 2, "since/until two days" },
		{ { .until = "2020-01-01" }, 1, "until is inclusive" },
		{ { .since = "2020-01-03", .until = "2020-01-03" }, 1, "one day" },
		{ { .since = "2020-01-02" }, 9, "since" },
		{ { .since = today }, 7, "since today" },
		{ { .until = "2019-12-31" }, 0, "until before everything" },
		{ { .limit = 2 }, 2, "limit 2" },
		{ { .action = "session.", .limit = 2 }, 2, "limit with action" },
		{ { .user = "admin", .action = "patient.", .limit = 100 }, 2, "limit above the count" },
	};
	struct audit_filter none = { 0 }, flt;
	int seen = 0;

	/* an unknown user's failed sign-in ("?"), and a row with an MRN */
	assert_int_equal(access_login(f->st, "nosuchuser", "whatever password", 17, &bad, &e), FOLIO_EDENIED);
	assert_int_equal(access_begin(f->admin, ACT_PATIENT_VIEW, "MRN0042", "patient", "MRN0042", &g, &e),
			 FOLIO_EDENIED);
	/* three rows moved into the past, on three days */
	fixture_sql_drop_audit_triggers(f);
	fixture_sql(f, "UPDATE audit_log SET at = '2020-01-01T10:00:00Z' WHERE seq = 2;"
			     "UPDATE audit_log SET at = '2020-01-02T23:59:59Z' WHERE seq = 3;"
			     "UPDATE audit_log SET at = '2020-01-03T00:00:00Z' WHERE seq = 4");
	time_utc_now(today, sizeof today);
	today[10] = '\0';

	g = fixture_begin(f->admin, ACT_AUDIT_SHOW);
	show(g, &none, &all);
	assert_int_equal(all.n, 10);
	for (size_t i = 0; i < all.n; i++)
		assert_int_equal(all.r[i].seq, (int64_t)i + 1); /* oldest first */
	assert_string_equal(all.r[9].action, "audit.show");
	assert_string_equal(all.r[0].action, "db.init");

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		check_filter(g, &all, cases[i].flt, cases[i].count, cases[i].what);
	{
		static struct rows got;
		flt = none;
		flt.limit = 1;
		show(g, &flt, &got);
		assert_int_equal(got.n, 1);
		assert_int_equal(got.r[0].seq, 10); /* the newest */
	}
	/* malformed dates */
	flt = none;
	flt.since = "2020-1-1";
	assert_int_equal(audit_show(g, &flt, rows_add, &all, &e), FOLIO_EUSAGE);
	flt.since = NULL;
	flt.until = "yesterday";
	assert_int_equal(audit_show(g, &flt, rows_add, &all, &e), FOLIO_EUSAGE);
	/* the callback stops the walk, and stopping is not an error */
	assert_int_equal(audit_show(g, &none, stop_after_one, &seen, &e), FOLIO_OK);
	assert_int_equal(seen, 1);
	fixture_end(g);

	/* and another grant cannot read it */
	g = fixture_begin(f->admin, ACT_AUDIT_VERIFY);
	assert_int_equal(audit_show(g, &none, rows_add, &all, &e), FOLIO_EDENIED);
	fixture_end(g);
}

static void test_denials_audited(void **state)
{
	static const enum action denied[] = { ACT_PATIENT_FIND, ACT_CHART_VIEW, ACT_NOTE_SIGN, ACT_BREAK_GLASS };
	struct fixture *f = *state;
	struct folio_err e = { 0 };
	struct grant *g = NULL;
	static struct rows got;
	struct audit_filter flt = { 0 };
	int64_t before = fixture_audit_last_seq(f);

	for (size_t i = 0; i < ARRAY_SIZE(denied); i++) {
		assert_int_equal(access_begin(f->admin, denied[i], "MRN7", "patient", "MRN7", &g, &e), FOLIO_EDENIED);
		assert_null(g);
		assert_non_null(strstr(e.msg, "not permitted"));
		/* one row per denial, no transaction left open */
		assert_int_equal(fixture_audit_last_seq(f), before + (int64_t)i + 1);
	}
	g = fixture_begin(f->admin, ACT_AUDIT_SHOW);
	for (size_t i = 0; i < ARRAY_SIZE(denied); i++) {
		flt.action = action_name(denied[i]);
		show(g, &flt, &got);
		assert_true(got.n >= 1);
		assert_string_equal(got.r[got.n - 1].outcome, "denied");
		assert_string_equal(got.r[got.n - 1].user, "admin");
		assert_string_equal(got.r[got.n - 1].role, "admin");
		assert_string_equal(got.r[got.n - 1].mrn, "MRN7");
		assert_string_equal(got.r[got.n - 1].action, action_name(denied[i]));
		assert_int_not_equal(got.r[got.n - 1].key_version, 0);
	}
	fixture_end(g);
	expect_intact(f, "after denials");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, audit_setup, fixture_teardown_db)
	const struct CMUnitTest tests[] = {
		T(test_verify_intact),
		T(test_verify_needs_its_grant),
		T(test_triggers_block_edits),
		T(test_edited_field),
		T(test_edited_unkeyed_rehashed),
		T(test_deleted_middle_row),
		T(test_deleted_first_row),
		T(test_deleted_last_row),
		T(test_deleted_tail),
		T(test_swapped_rows),
		T(test_forged_row_appended),
		T(test_key_version_zero),
		T(test_unkeyed_flipped_to_keyed),
		T(test_key_version_unknown),
		T(test_head),
		T(test_head_malformed),
		T(test_show_filters),
		T(test_denials_audited),
	};
#undef T

	if (smem_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
