/* folio — unit tests: the fixture code the cmocka suites share.
 *
 * A fixture is a database in a fresh temporary directory, opened through
 * the access API; the helpers sign in, run actions under a grant, and read
 * or change the file behind the library's back with a raw SQLite
 * connection, as someone with write access to it could.  The helpers that
 * check something fail the running test (cmocka) when it does not hold.
 *
 * Include after <setjmp.h>, <stdarg.h>, <stddef.h> and <cmocka.h>. */
#ifndef FOLIO_UNIT_FIXTURE_H
#define FOLIO_UNIT_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "folio/access.h"
#include "folio/crypto.h"
#include "folio/util.h"

/* The password fixture_setup_db gives the "admin" account. */
#define FIXTURE_ADMIN_PW "correct horse battery"

struct fixture {
	char dir[64];
	char path[128];
	char recovery[RECOVERY_TEXT_MAX]; /* the recovery key, as text */
	struct store *st;
	struct session *admin; /* signed in by fixture_setup_admin, else NULL */
};

/* ---- databases ------------------------------------------------------- */

/* A new database with one account, "admin" with password admin_pw, made
 * with the fast (test-only) KDF, and opened.  NULL, with the reason on
 * stderr, on failure. */
struct fixture *fixture_new_db(const char *admin_pw);
/* The demo database (one user per role, src/core/demo.c), opened. */
struct fixture *fixture_new_demo(void);
/* Signs f->admin out, closes f->st (either may be NULL), deletes the
 * database, its -journal, -wal and -shm files and the directory, and frees
 * f.  NULL does nothing. */
void fixture_free(struct fixture *f);

/* The same as cmocka setup and teardown functions; *state is the fixture. */
int fixture_setup_db(void **state);    /* fixture_new_db(FIXTURE_ADMIN_PW) */
int fixture_setup_admin(void **state); /* and the admin signed in as f->admin */
int fixture_setup_demo(void **state);  /* fixture_new_demo() */
int fixture_teardown_db(void **state); /* fixture_free() */

/* ---- sessions and grants --------------------------------------------- */

/* Signs in; fails the test unless that works. */
struct session *fixture_login(struct store *st, const char *user, const char *pw);
/* Tries to sign in (e cleared first) and signs out again at once; returns
 * access_login's status and checks no session was given on failure. */
int fixture_login_rc(struct store *st, const char *user, const char *pw, struct folio_err *e);
/* access_begin with no MRN and no object; fails the test unless allowed. */
struct grant *fixture_begin(struct session *s, enum action a);
/* The same with an object (type and id, either may be NULL). */
struct grant *fixture_begin_object(struct session *s, enum action a, const char *type, const char *id);
/* access_end(g, FOLIO_OK); fails the test unless that works. */
void fixture_end(struct grant *g);
/* Adds an account under the admin's grant; fails the test unless it works. */
void fixture_user_add(struct session *admin, const char *name, enum role r, const char *pw);

/* ---- f->path, through a raw SQLite connection ----------------------- */

/* The first column of the first row sql gives, or -1 if no row. */
int64_t fixture_sql_int(const struct fixture *f, const char *sql);
/* Runs sql; returns SQLite's status. */
int fixture_sql_rc(const struct fixture *f, const char *sql);
/* Runs sql; fails the test unless it works. */
void fixture_sql(const struct fixture *f, const char *sql);
void fixture_sqlf(const struct fixture *f, const char *fmt, ...) PRINTF_LIKE(2, 3);
void fixture_sqlv(const struct fixture *f, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);
/* Drops the triggers that refuse edits and deletes of audit rows. */
void fixture_sql_drop_audit_triggers(const struct fixture *f);
/* The newest audit row's seq. */
int64_t fixture_audit_last_seq(const struct fixture *f);
/* Audit rows after seq `after` by user for action, with that outcome (or
 * any outcome when NULL). */
int64_t fixture_audit_count(const struct fixture *f, int64_t after, const char *user, const char *action,
			    const char *outcome);

/* ---- bytes ----------------------------------------------------------- */

/* An oracle written apart from the library: whether s (n bytes) is
 * well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF);
 * _text also refuses ASCII control characters. */
int fixture_utf8_ok(const char *s, size_t n);
int fixture_utf8_text(const char *s, size_t n);

/* Whether needle (m > 0 bytes) occurs in hay (n bytes). */
int fixture_bytes_contain(const void *hay, size_t n, const void *needle, size_t m);

#endif
