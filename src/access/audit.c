/* folio — the hash-chained audit log (design.md section 3). */
#include "folio/audit.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access_internal.h"
#include "folio/grant.h"
#include "folio/smem.h"

#define CANON_MAX 1024

static const char *const preauth_actions[] = {
	"session.login.failed", "session.login.locked", "account.lockout", "session.unlock.failed",
	"session.locked.denied",
};

static int preauth(const char *action)
{
	for (size_t i = 0; i < ARRAY_SIZE(preauth_actions); i++)
		if (strcmp(action, preauth_actions[i]) == 0)
			return 1;
	return 0;
}

/* Canonical bytes of a row: each field as a 2-byte length and its bytes, in
 * column order, so no two different rows serialise alike. */
static size_t canon_put(uint8_t *buf, size_t used, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n > 400)
		n = 400;
	if (used + 2 + n > CANON_MAX)
		return used;
	buf[used] = (uint8_t)(n >> 8);
	buf[used + 1] = (uint8_t)n;
	memcpy(buf + used + 2, s ? s : "", n);
	return used + 2 + n;
}

static size_t canon_row(const struct audit_row *r, uint8_t *buf)
{
	char seq[24], kv[16];
	size_t n = 0;

	snprintf(seq, sizeof seq, "%" PRId64, r->seq);
	snprintf(kv, sizeof kv, "%u", (unsigned)r->key_version);
	n = canon_put(buf, n, seq);
	n = canon_put(buf, n, r->at);
	n = canon_put(buf, n, r->user);
	n = canon_put(buf, n, r->role);
	n = canon_put(buf, n, r->workstation);
	n = canon_put(buf, n, r->action);
	n = canon_put(buf, n, r->outcome);
	n = canon_put(buf, n, r->mrn);
	n = canon_put(buf, n, r->object_type);
	n = canon_put(buf, n, r->object_id);
	n = canon_put(buf, n, r->reason);
	n = canon_put(buf, n, kv);
	return n;
}

static int anchor_read(struct store *st, int64_t *seq, uint8_t hash[HASH_BYTES], struct folio_err *e)
{
	struct stmt *s;
	const void *h;
	size_t n;
	int rc;

	if ((rc = stmt_prepare(st, "SELECT seq, hash FROM audit_anchor WHERE id = 1", &s, e)))
		return rc;
	rc = stmt_step(s, e);
	if (rc != STMT_ROW) {
		stmt_finalize(s);
		return rc == STMT_DONE ? err_set(e, FOLIO_EFAIL, "audit anchor is missing") : rc;
	}
	*seq = stmt_int64(s, 0);
	h = stmt_blob(s, 1, &n);
	if (n != HASH_BYTES) {
		stmt_finalize(s);
		return err_set(e, FOLIO_EFAIL, "audit anchor is damaged");
	}
	memcpy(hash, h, HASH_BYTES);
	stmt_finalize(s);
	return FOLIO_OK;
}

static void row_fill(struct audit_row *r, const struct audit_actor *who, const struct audit_entry *what)
{
	memset(r, 0, sizeof *r);
	time_utc_now(r->at, sizeof r->at);
	str_copy(r->user, sizeof r->user, who->user ? who->user : "?");
	str_copy(r->role, sizeof r->role, who->role ? who->role : "");
	str_copy(r->workstation, sizeof r->workstation, who->workstation ? who->workstation : "");
	str_copy(r->action, sizeof r->action, what->action);
	str_copy(r->outcome, sizeof r->outcome, what->outcome ? what->outcome : "ok");
	str_copy(r->mrn, sizeof r->mrn, what->mrn ? what->mrn : "");
	str_copy(r->object_type, sizeof r->object_type, what->object_type ? what->object_type : "");
	str_copy(r->object_id, sizeof r->object_id, what->object_id ? what->object_id : "");
	str_copy(r->reason, sizeof r->reason, what->reason ? what->reason : "");
}

int audit_append(struct store *st, const struct keyring *kr, const struct audit_actor *who,
		 const struct audit_entry *what, struct folio_err *e)
{
	struct audit_row r;
	uint8_t prev[HASH_BYTES], hash[HASH_BYTES], canon[CANON_MAX];
	struct stmt *s;
	int64_t seq;
	size_t n;
	int rc;

	if (!store_in_transaction(st))
		return err_set(e, FOLIO_EFAIL, "audit row written outside a transaction");
	if ((rc = anchor_read(st, &seq, prev, e)))
		return rc;
	row_fill(&r, who, what);
	r.seq = seq + 1;
	r.key_version = kr ? keyring_current(kr, KC_AUDIT) : 0;
	if (kr && r.key_version == 0)
		return err_set(e, FOLIO_EDENIED, "this account holds no audit key");
	n = canon_row(&r, canon);
	if ((rc = chain_hash(kr, r.key_version, prev, canon, n, hash, e)))
		return rc;
	rc = stmt_prepare(st,
			  "INSERT INTO audit_log (seq, at, user_name, role, workstation, action, outcome,"
			  " mrn, object_type, object_id, reason, key_version, hash)"
			  " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", &s, e);
	if (rc)
		return rc;
	stmt_bind_int64(s, 1, r.seq);
	stmt_bind_text(s, 2, r.at);
	stmt_bind_text(s, 3, r.user);
	stmt_bind_text(s, 4, r.role);
	stmt_bind_text(s, 5, r.workstation);
	stmt_bind_text(s, 6, r.action);
	stmt_bind_text(s, 7, r.outcome);
	stmt_bind_text(s, 8, r.mrn);
	stmt_bind_text(s, 9, r.object_type);
	stmt_bind_text(s, 10, r.object_id);
	stmt_bind_text(s, 11, r.reason);
	stmt_bind_int64(s, 12, r.key_version);
	stmt_bind_blob(s, 13, hash, HASH_BYTES);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	if ((rc = stmt_prepare(st, "UPDATE audit_anchor SET seq = ?, hash = ? WHERE id = 1", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, r.seq);
	stmt_bind_blob(s, 2, hash, HASH_BYTES);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

int audit_session(struct session *s, const struct audit_entry *what, struct folio_err *e)
{
	struct audit_actor who = { s->user, role_name(s->role), s->workstation };
	return audit_append(s->st, s->locked ? NULL : s->kr, &who, what, e);
}

int audit_alone(struct store *st, const struct keyring *kr, const struct audit_actor *who,
		const struct audit_entry *what, struct folio_err *e)
{
	int rc = store_begin_write(st, e);

	if (rc)
		return rc;
	if ((rc = audit_append(st, kr, who, what, e))) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

/* ---- readers -------------------------------------------------------- */

#define ROW_COLUMNS "seq, at, user_name, role, workstation, action, outcome, mrn, object_type," \
		    " object_id, reason, key_version, hash"

static void row_read(struct stmt *s, struct audit_row *r)
{
	memset(r, 0, sizeof *r);
	r->seq = stmt_int64(s, 0);
	str_copy(r->at, sizeof r->at, stmt_text(s, 1));
	str_copy(r->user, sizeof r->user, stmt_text(s, 2));
	str_copy(r->role, sizeof r->role, stmt_text(s, 3));
	str_copy(r->workstation, sizeof r->workstation, stmt_text(s, 4));
	str_copy(r->action, sizeof r->action, stmt_text(s, 5));
	str_copy(r->outcome, sizeof r->outcome, stmt_text(s, 6));
	str_copy(r->mrn, sizeof r->mrn, stmt_text(s, 7));
	str_copy(r->object_type, sizeof r->object_type, stmt_text(s, 8));
	str_copy(r->object_id, sizeof r->object_id, stmt_text(s, 9));
	str_copy(r->reason, sizeof r->reason, stmt_text(s, 10));
	r->key_version = (uint32_t)stmt_int64(s, 11);
}

static int date_ok(const char *d)
{
	/* YYYY-MM-DD */
	if (strlen(d) != 10 || d[4] != '-' || d[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
			return 0;
	return 1;
}

int audit_show(struct grant *g, const struct audit_filter *f,
	       int (*fn)(const struct audit_row *, void *), void *ctx, struct folio_err *e)
{
	char sql[512], until[32], like[48];
	struct stmt *s;
	struct audit_row r;
	int rc, i = 1;

	/* The access report (access_report.c) reads one chart's rows only. */
	if (grant_action(g) != ACT_AUDIT_SHOW &&
	    !(grant_action(g) == ACT_ACCESS_REPORT && f->mrn && grant_mrn(g) && strcmp(f->mrn, grant_mrn(g)) == 0))
		return err_set(e, FOLIO_EDENIED, "reading the audit log needs its own grant");
	if ((f->since && !date_ok(f->since)) || (f->until && !date_ok(f->until)))
		return err_set(e, FOLIO_EUSAGE, "dates must be written YYYY-MM-DD");
	snprintf(sql, sizeof sql,
		 "SELECT " ROW_COLUMNS " FROM audit_log WHERE (?1 IS NULL OR user_name = ?1)"
		 " AND (?2 IS NULL OR mrn = ?2) AND (?3 IS NULL OR action = ?3 OR action LIKE ?4 ESCAPE '\\')"
		 " AND (?5 IS NULL OR at >= ?5) AND (?6 IS NULL OR at < ?6) ORDER BY seq %s%s",
		 f->limit > 0 ? "DESC" : "ASC", f->limit > 0 ? " LIMIT ?7" : "");
	if ((rc = stmt_prepare(grant_store(g), sql, &s, e)))
		return rc;
	stmt_bind_text(s, i++, f->user);
	stmt_bind_text(s, i++, f->mrn);
	stmt_bind_text(s, i++, f->action);
	if (f->action) {
		/* "user." matches every user action: a prefix, with LIKE's
		 * wildcards escaped. */
		size_t o = 0;
		for (const char *p = f->action; *p && o + 3 < sizeof like; p++) {
			if (*p == '%' || *p == '_' || *p == '\\')
				like[o++] = '\\';
			like[o++] = *p;
		}
		like[o++] = '%';
		like[o] = '\0';
		stmt_bind_text(s, i++, like);
	} else {
		stmt_bind_null(s, i++);
	}
	stmt_bind_text(s, i++, f->since);
	if (f->until) {
		/* inclusive: everything before the next day's first second */
		snprintf(until, sizeof until, "%sT99", f->until);
		stmt_bind_text(s, i++, until);
	} else {
		stmt_bind_null(s, i++);
	}
	if (f->limit > 0)
		stmt_bind_int64(s, i++, f->limit);
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		row_read(s, &r);
		if (fn(&r, ctx) != 0) {
			rc = STMT_DONE;
			break;
		}
	}
	stmt_finalize(s);
	return (rc == STMT_DONE) ? FOLIO_OK : rc;
}

static int parse_head(const char *text, int64_t *seq, uint8_t hash[HASH_BYTES])
{
	char *end;
	const char *hex;

	*seq = strtoll(text, &end, 10);
	if (end == text || *end != ':' || *seq <= 0)
		return -1;
	hex = end + 1;
	if (strlen(hex) != 2 * HASH_BYTES)
		return -1;
	for (int i = 0; i < HASH_BYTES; i++) {
		unsigned v;
		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -1;
		hash[i] = (uint8_t)v;
	}
	return 0;
}

static int verify_fail(struct audit_report *r, int64_t seq, struct folio_err *e, const char *fmt, ...)
	PRINTF_LIKE(4, 5);
static int verify_fail(struct audit_report *r, int64_t seq, struct folio_err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->problem, sizeof r->problem, fmt, ap);
	va_end(ap);
	r->bad_seq = seq;
	return err_set(e, FOLIO_EFAIL, "audit chain broken at row %" PRId64 ": %s", seq, r->problem);
}

int audit_verify(struct grant *g, const char *expect_head, struct audit_report *r,
		 struct folio_err *e)
{
	struct store *st = grant_store(g);
	const struct keyring *kr = grant_keys(g);
	uint8_t prev[HASH_BYTES] = { 0 }, calc[HASH_BYTES], canon[CANON_MAX];
	uint8_t want_hash[HASH_BYTES], anchor_hash[HASH_BYTES];
	int64_t want_seq = 0, anchor_seq, expect = 1;
	int prev_unkeyed = 0, rc, seen_head = 0;
	struct audit_row row;
	struct stmt *s;

	memset(r, 0, sizeof *r);
	if (grant_action(g) != ACT_AUDIT_VERIFY)
		return err_set(e, FOLIO_EDENIED, "verifying the audit log needs its own grant");
	if (expect_head && parse_head(expect_head, &want_seq, want_hash) != 0)
		return err_set(e, FOLIO_EUSAGE, "an audit head is written SEQ:HASH, as 'audit head' prints it");
	if ((rc = stmt_prepare(st, "SELECT " ROW_COLUMNS " FROM audit_log ORDER BY seq", &s, e)))
		return rc;
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		const void *stored;
		size_t n, stored_n;

		row_read(s, &row);
		stored = stmt_blob(s, 12, &stored_n);
		r->rows++;
		if (row.seq != expect) {
			stmt_finalize(s);
			return verify_fail(r, expect, e,
					   "row is missing (sequence jumps from %" PRId64 " to %" PRId64 ")",
					   expect - 1, row.seq);
		}
		if (row.key_version == 0 && !preauth(row.action)) {
			stmt_finalize(s);
			return verify_fail(r, row.seq, e, "%s row carries no key: the row was altered",
					   row.action);
		}
		n = canon_row(&row, canon);
		if ((rc = chain_hash(kr, row.key_version, prev, canon, n, calc, e))) {
			stmt_finalize(s);
			if (rc == FOLIO_EDENIED)
				return verify_fail(r, row.seq, e,
						   "row names audit key version %u, which this account does not"
						   " hold: altered, or verify as a user who holds it",
						   (unsigned)row.key_version);
			r->bad_seq = row.seq;
			return rc;
		}
		if (stored_n != HASH_BYTES || smem_equal(calc, stored, HASH_BYTES) != 0) {
			stmt_finalize(s);
			return verify_fail(r, row.seq, e, "hash does not match: this row%s was altered",
					   prev_unkeyed ? " or the one before it" : "");
		}
		if (want_seq == row.seq) {
			seen_head = 1;
			if (memcmp(want_hash, calc, HASH_BYTES) != 0) {
				stmt_finalize(s);
				return verify_fail(r, row.seq, e, "differs from the head written down earlier");
			}
		}
		memcpy(prev, calc, HASH_BYTES);
		prev_unkeyed = row.key_version == 0;
		expect++;
	}
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	if ((rc = anchor_read(st, &anchor_seq, anchor_hash, e)))
		return rc;
	if (anchor_seq > expect - 1)
		return verify_fail(r, expect, e,
				   "row is missing (the chain ends at %" PRId64 ", its recorded head is %" PRId64 ")",
				   expect - 1, anchor_seq);
	if (anchor_seq != expect - 1 || memcmp(anchor_hash, prev, HASH_BYTES) != 0)
		return verify_fail(r, expect - 1, e, "the recorded head does not match the last row");
	if (want_seq && !seen_head)
		return verify_fail(r, want_seq, e, "row of the written-down head is gone");
	r->head_seq = expect - 1;
	crypto_hex(prev, HASH_BYTES, r->head_hex);
	return FOLIO_OK;
}

int audit_head(struct grant *g, int64_t *seq, char hex[2 * HASH_BYTES + 1], struct folio_err *e)
{
	uint8_t h[HASH_BYTES];
	int rc;

	if (grant_action(g) != ACT_AUDIT_HEAD)
		return err_set(e, FOLIO_EDENIED, "the audit head needs its own grant");
	if ((rc = anchor_read(grant_store(g), seq, h, e)))
		return rc;
	crypto_hex(h, HASH_BYTES, hex);
	return FOLIO_OK;
}
