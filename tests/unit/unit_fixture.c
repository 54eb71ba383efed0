/* folio — unit tests: the shared fixture (unit_fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "folio/access.h"
#include "folio/account.h"
#include "folio/demo.h"
#include "folio/util.h"
#include "unit_fixture.h"

/* ---- databases ------------------------------------------------------- */

/* A fixture with its directory made and path set to dir/name. */
static struct fixture *fixture_alloc(const char *name)
{
	struct fixture *f = calloc(1, sizeof *f);

	if (!f)
		return NULL;
	strcpy(f->dir, "/tmp/folio-unit-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return NULL;
	}
	snprintf(f->path, sizeof f->path, "%s/%s", f->dir, name);
	return f;
}

static struct fixture *fixture_opened(struct fixture *f, int made, struct folio_err *e)
{
	if (made != FOLIO_OK || access_open(f->path, &f->st, e) != FOLIO_OK) {
		fprintf(stderr, "setup: %s\n", e->msg);
		fixture_free(f);
		return NULL;
	}
	return f;
}

struct fixture *fixture_new_db(const char *admin_pw)
{
	struct fixture *f = fixture_alloc("folio.db");
	struct folio_err e = { 0 };

	if (!f)
		return NULL;
	return fixture_opened(f, access_init_db(f->path, "admin", admin_pw, strlen(admin_pw), 1, f->recovery,
						sizeof f->recovery, &e), &e);
}

struct fixture *fixture_new_demo(void)
{
	struct fixture *f = fixture_alloc("demo.db");
	struct folio_err e = { 0 };

	if (!f)
		return NULL;
	return fixture_opened(f, demo_create(f->path, 0, NULL, f->recovery, sizeof f->recovery, &e), &e);
}

void fixture_free(struct fixture *f)
{
	static const char *const suffix[] = { "", "-journal", "-wal", "-shm" };
	char p[160];

	if (!f)
		return;
	access_logout(f->admin);
	if (f->st)
		access_close(f->st);
	for (size_t i = 0; i < ARRAY_SIZE(suffix); i++) {
		snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
}

int fixture_setup_db(void **state)
{
	*state = fixture_new_db(FIXTURE_ADMIN_PW);
	return *state ? 0 : -1;
}

int fixture_setup_admin(void **state)
{
	struct fixture *f = fixture_new_db(FIXTURE_ADMIN_PW);
	struct folio_err e = { 0 };

	if (!f)
		return -1;
	if (access_login(f->st, "admin", FIXTURE_ADMIN_PW, strlen(FIXTURE_ADMIN_PW), &f->admin, &e) != FOLIO_OK) {
		fprintf(stderr, "setup: %s\n", e.msg);
		fixture_free(f);
		return -1;
	}
	*state = f;
	return 0;
}

int fixture_setup_demo(void **state)
{
	*state = fixture_new_demo();
	return *state ? 0 : -1;
}

int fixture_teardown_db(void **state)
{
	fixture_free(*state);
	*state = NULL;
	return 0;
}

/* ---- sessions and grants --------------------------------------------- */

struct session *fixture_login(struct store *st, const char *user, const char *pw)
{
	struct folio_err e = { 0 };
	struct session *s = NULL;
	int rc = access_login(st, user, pw, strlen(pw), &s, &e);

	if (rc != FOLIO_OK)
		fail_msg("login %s: %d %s", user, rc, e.msg);
	assert_non_null(s);
	return s;
}

int fixture_login_rc(struct store *st, const char *user, const char *pw, struct folio_err *e)
{
	struct session *s = NULL;
	int rc;

	err_clear(e);
	rc = access_login(st, user, pw, strlen(pw), &s, e);
	if (rc == FOLIO_OK)
		access_logout(s);
	else
		assert_null(s);
	return rc;
}

struct grant *fixture_begin_object(struct session *s, enum action a, const char *type, const char *id)
{
	struct folio_err e = { 0 };
	struct grant *g = NULL;
	int rc = access_begin(s, a, NULL, type, id, &g, &e);

	if (rc != FOLIO_OK)
		fail_msg("begin %s: %d %s", action_name(a), rc, e.msg);
	return g;
}

struct grant *fixture_begin(struct session *s, enum action a)
{
	return fixture_begin_object(s, a, NULL, NULL);
}

void fixture_end(struct grant *g)
{
	struct folio_err e = { 0 };
	assert_int_equal(access_end(g, FOLIO_OK, &e), FOLIO_OK);
}

void fixture_user_add(struct session *admin, const char *name, enum role r, const char *pw)
{
	struct folio_err e = { 0 };
	struct grant *g = fixture_begin_object(admin, ACT_USER_ADD, "user", name);
	int rc = account_add(g, name, r, pw, strlen(pw), &e);

	if (rc != FOLIO_OK)
		fail_msg("account_add %s: %s", name, e.msg);
	assert_int_equal(access_end(g, rc, &e), FOLIO_OK);
}

/* ---- f->path, through a raw SQLite connection ----------------------- */

static sqlite3 *raw_open(const char *path)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 2000);
	return db;
}

int64_t fixture_sql_int(const struct fixture *f, const char *sql)
{
	sqlite3 *db = raw_open(f->path);
	sqlite3_stmt *q;
	int64_t v = -1;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

int fixture_sql_rc(const struct fixture *f, const char *sql)
{
	sqlite3 *db = raw_open(f->path);
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);

	sqlite3_close(db);
	return rc;
}

void fixture_sql(const struct fixture *f, const char *sql)
{
	int rc = fixture_sql_rc(f, sql);

	if (rc != SQLITE_OK)
		fail_msg("sql failed (%d): %s", rc, sql);
}

void fixture_sqlv(const struct fixture *f, const char *fmt, va_list ap)
{
	char sql[1024];
	int n = vsnprintf(sql, sizeof sql, fmt, ap);

	if (n < 0 || (size_t)n >= sizeof sql)
		fail_msg("sql too long: %s", fmt);
	fixture_sql(f, sql);
}

void fixture_sqlf(const struct fixture *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fixture_sqlv(f, fmt, ap);
	va_end(ap);
}

void fixture_sql_drop_audit_triggers(const struct fixture *f)
{
	fixture_sql(f, "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete");
}

int64_t fixture_audit_last_seq(const struct fixture *f)
{
	return fixture_sql_int(f, "SELECT max(seq) FROM audit_log");
}

int64_t fixture_audit_count(const struct fixture *f, int64_t after, const char *user, const char *action,
			    const char *outcome)
{
	sqlite3 *db = raw_open(f->path);
	sqlite3_stmt *q;
	int64_t v = -1;

	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM audit_log WHERE seq > ?1 AND user_name = ?2"
					    " AND action = ?3 AND (?4 IS NULL OR outcome = ?4)", -1, &q, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(q, 1, after);
	sqlite3_bind_text(q, 2, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, action, -1, SQLITE_STATIC);
	if (outcome)
		sqlite3_bind_text(q, 4, outcome, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

/* ---- bytes ----------------------------------------------------------- */

int fixture_bytes_contain(const void *hay, size_t n, const void *needle, size_t m)
{
	const unsigned char *h = hay;

	for (size_t i = 0; m && i + m <= n; i++)
		if (memcmp(h + i, needle, m) == 0)
			return 1;
	return 0;
}

static int utf8_check(const char *s, size_t n, int text)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		unsigned char c = p[i];
		size_t k, j;
		uint32_t cp;

		if (c < 0x80) {
			if (text && (c < 0x20 || c == 0x7F))
				return 0;
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			k = 2, cp = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			k = 3, cp = c & 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			k = 4, cp = c & 0x07;
		else
			return 0;
		if (i + k > n)
			return 0;
		for (j = 1; j < k; j++) {
			if ((p[i + j] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + j] & 0x3F);
		}
		if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += k;
	}
	return 1;
}

int fixture_utf8_ok(const char *s, size_t n)
{
	return utf8_check(s, n, 0);
}

int fixture_utf8_text(const char *s, size_t n)
{
	return utf8_check(s, n, 1);
}
