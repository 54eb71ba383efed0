/* folio — unit tests: failed sign-ins, lockout, administrator lock and
 * unlock, the idle lock of a session (src/access/session.c, userkeys.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

#define CLERK_PW "front desk password 1"
#define WRONG_PW "front desk password 2"
#define WRONG_MSG "user name or password is wrong"

/* ---- helpers --------------------------------------------------------- */

/* A grant on a user account (the object type is "user"). */
static struct grant *begin_ok(struct session *s, enum action a, const char *object)
{
	return fixture_begin_object(s, a, "user", object);
}

static int64_t audit_rows(struct fixture *f, const char *user, const char *action)
{
	return fixture_audit_count(f, 0, user, action, NULL);
}

static void expect_wrong(struct fixture *f, const char *user, const char *pw)
{
	struct folio_err e;
	int rc = fixture_login_rc(f->st, user, pw, &e);

	if (rc != FOLIO_EDENIED || strcmp(e.msg, WRONG_MSG) != 0)
		fail_msg("%s: %d '%s', wanted denied '%s'", user, rc, e.msg, WRONG_MSG);
}

static void expect_locked(struct fixture *f, const char *user, const char *pw, const char *words)
{
	struct folio_err e;
	int rc = fixture_login_rc(f->st, user, pw, &e);

	if (rc != FOLIO_EDENIED || !strstr(e.msg, words))
		fail_msg("%s: %d '%s', wanted denied with '%s'", user, rc, e.msg, words);
}

static void expect_login(struct fixture *f, const char *user, const char *pw)
{
	struct folio_err e;
	int rc = fixture_login_rc(f->st, user, pw, &e);

	if (rc != FOLIO_OK)
		fail_msg("%s: %d '%s', wanted a sign-in", user, rc, e.msg);
}

static void admin_unlock(struct fixture *f, const char *name)
{
	struct folio_err e = { 0 };
	struct grant *g = begin_ok(f->admin, ACT_USER_UNLOCK, name);
	int rc = account_unlock(g, name, &e);

	assert_int_equal(access_end(g, rc, &e), FOLIO_OK);
}

static void admin_config(struct fixture *f, const char *name, const char *value)
{
	struct folio_err e = { 0 };
	struct grant *g = begin_ok(f->admin, ACT_CONFIG_SET, name);
	int rc = config_set(g, name, value, &e);

	if (rc != FOLIO_OK)
		fail_msg("config_set %s=%s: %s", name, value, e.msg);
	assert_int_equal(access_end(g, rc, &e), FOLIO_OK);
}

/* The admin signed in, and a front-desk account "clerk". */
static int lockout_setup(void **state)
{
	if (fixture_setup_admin(state))
		return -1;
	fixture_user_add(((struct fixture *)*state)->admin, "clerk", ROLE_FRONTDESK, CLERK_PW);
	return 0;
}

static void chain_intact(struct fixture *f)
{
	struct folio_err e = { 0 };
	struct audit_report r;
	struct grant *g = begin_ok(f->admin, ACT_AUDIT_VERIFY, NULL);
	int rc = audit_verify(g, NULL, &r, &e);

	if (rc != FOLIO_OK)
		fail_msg("audit chain: %s", e.msg);
	assert_int_equal(access_end(g, FOLIO_OK, &e), FOLIO_OK);
}

/* ---- tests ----------------------------------------------------------- */

static void test_five_wrong_lock(void **state)
{
	struct fixture *f = *state;
	struct folio_err e;
	int64_t now = (int64_t)time(NULL), until;

	for (int i = 0; i < 4; i++)
		expect_wrong(f, "clerk", WRONG_PW);
	assert_int_equal(fixture_sql_int(f, "SELECT failed_logins FROM users WHERE name = 'clerk'"), 4);
	assert_int_equal(fixture_sql_int(f, "SELECT locked_until FROM users WHERE name = 'clerk'"), 0);
	/* the fifth locks, and says until when */
	assert_int_equal(fixture_login_rc(f->st, "clerk", WRONG_PW, &e), FOLIO_EDENIED);
	assert_non_null(strstr(e.msg, "locked until"));
	assert_non_null(strstr(e.msg, " UTC"));
	assert_null(strstr(e.msg, "security officer"));
	until = fixture_sql_int(f, "SELECT locked_until FROM users WHERE name = 'clerk'");
	assert_true(until >= now + 15 * 60 && until <= now + 15 * 60 + 30);
	{
		char when[40];
		time_format_utc(until, when, sizeof when);
		assert_non_null(strstr(e.msg, when));
	}
	/* now even the right password is refused */
	expect_locked(f, "clerk", CLERK_PW, "locked until");
	assert_int_equal(audit_rows(f, "clerk", "session.login.failed"), 5);
	assert_int_equal(audit_rows(f, "clerk", "account.lockout"), 1);
	assert_int_equal(audit_rows(f, "clerk", "session.login.locked"), 1);
	assert_int_equal(audit_rows(f, "clerk", "session.login"), 0);
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM audit_log WHERE user_name = 'clerk' AND"
					    " action = 'session.login.failed' AND outcome <> 'denied'"), 0);
	/* the security officer unlocks */
	admin_unlock(f, "clerk");
	assert_int_equal(fixture_sql_int(f, "SELECT failed_logins FROM users WHERE name = 'clerk'"), 0);
	expect_login(f, "clerk", CLERK_PW);
	chain_intact(f);
}

static void test_threshold_configurable(void **state)
{
	struct fixture *f = *state;
	struct folio_err e = { 0 };
	struct grant *g;
	long v = 0;

	admin_config(f, "lockout_threshold", "3");
	g = begin_ok(f->admin, ACT_CONFIG_READ, NULL);
	assert_int_equal(config_get(g, "lockout_threshold", &v, &e), FOLIO_OK);
	assert_int_equal(access_end(g, FOLIO_OK, &e), FOLIO_OK);
	assert_int_equal(v, 3);
	/* out of range and unknown settings are refused */
	g = begin_ok(f->admin, ACT_CONFIG_SET, NULL);
	assert_int_equal(config_set(g, "lockout_threshold", "0", &e), FOLIO_EUSAGE);
	assert_int_equal(config_set(g, "lockout_threshold", "101", &e), FOLIO_EUSAGE);
	assert_int_equal(config_set(g, "lockout_threshold", "3x", &e), FOLIO_EUSAGE);
	assert_int_equal(config_set(g, "lockout_threshold", "", &e), FOLIO_EUSAGE);
	assert_int_equal(config_set(g, "no_such_setting", "3", &e), FOLIO_ENOTFOUND);
	assert_int_equal(access_end(g, FOLIO_OK, &e), FOLIO_OK);

	expect_wrong(f, "clerk", WRONG_PW);
	expect_wrong(f, "clerk", WRONG_PW);
	expect_locked(f, "clerk", WRONG_PW, "locked until");
	expect_locked(f, "clerk", CLERK_PW, "locked until");
	assert_int_equal(audit_rows(f, "clerk", "session.login.failed"), 3);
	assert_int_equal(audit_rows(f, "clerk", "account.lockout"), 1);
}

static void test_minutes_zero(void **state)
{
	struct fixture *f = *state;

	admin_config(f, "lockout_minutes", "0");
	admin_config(f, "lockout_threshold", "2");
	expect_wrong(f, "clerk", WRONG_PW);
	expect_locked(f, "clerk", WRONG_PW, "until the security officer unlocks");
	expect_locked(f, "clerk", CLERK_PW, "until the security officer unlocks");
	assert_int_equal(fixture_sql_int(f, "SELECT locked_until = 9223372036854775807 FROM users"
					    " WHERE name = 'clerk'"), 1);
	admin_unlock(f, "clerk");
	expect_login(f, "clerk", CLERK_PW);
}

static void test_success_resets_count(void **state)
{
	struct fixture *f = *state;
	struct session *s;

	for (int i = 0; i < 4; i++)
		expect_wrong(f, "clerk", WRONG_PW);
	s = fixture_login(f->st, "clerk", CLERK_PW);
	/* the user is told of the failures since their last sign-in */
	assert_int_equal(session_failures_since(s), 4);
	access_logout(s);
	assert_int_equal(fixture_sql_int(f, "SELECT failed_logins FROM users WHERE name = 'clerk'"), 0);
	for (int i = 0; i < 4; i++)
		expect_wrong(f, "clerk", WRONG_PW);
	assert_int_equal(audit_rows(f, "clerk", "account.lockout"), 0);
	expect_login(f, "clerk", CLERK_PW);
}

static void test_lock_lifts_with_time(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < 4; i++)
		expect_wrong(f, "clerk", WRONG_PW);
	expect_locked(f, "clerk", WRONG_PW, "locked until");
	expect_locked(f, "clerk", CLERK_PW, "locked until");
	/* fifteen minutes pass */
	fixture_sql(f, "UPDATE users SET locked_until = strftime('%s', 'now') - 1 WHERE name = 'clerk'");
	expect_login(f, "clerk", CLERK_PW);
	assert_int_equal(fixture_sql_int(f, "SELECT failed_logins FROM users WHERE name = 'clerk'"), 0);
	assert_int_equal(fixture_sql_int(f, "SELECT locked_until FROM users WHERE name = 'clerk'"), 0);
}

static void test_admin_lock(void **state)
{
	struct fixture *f = *state;
	struct folio_err e = { 0 };
	struct grant *g;

	g = begin_ok(f->admin, ACT_USER_LOCK, "clerk");
	assert_int_equal(account_lock(g, "clerk", &e), FOLIO_OK);
	assert_int_equal(account_lock(g, "admin", &e), FOLIO_EUSAGE); /* not oneself */
	assert_int_equal(account_lock(g, "ghost", &e), FOLIO_ENOTFOUND);
	assert_int_equal(account_unlock(g, "clerk", &e), FOLIO_EDENIED); /* needs its own grant */
	assert_int_equal(access_end(g, FOLIO_OK, &e), FOLIO_OK);
	assert_int_equal(fixture_sql_int(f, "SELECT admin_locked FROM users WHERE name = 'clerk'"), 1);

	expect_locked(f, "clerk", CLERK_PW, "security officer");
	/* time does not lift an administrator's lock */
	fixture_sql(f, "UPDATE users SET locked_until = 1 WHERE name = 'clerk'");
	expect_locked(f, "clerk", CLERK_PW, "security officer");
	assert_int_equal(audit_rows(f, "clerk", "session.login.locked"), 2);
	assert_int_equal(audit_rows(f, "admin", "user.lock"), 1);

	g = begin_ok(f->admin, ACT_USER_UNLOCK, "ghost");
	assert_int_equal(account_unlock(g, "ghost", &e), FOLIO_ENOTFOUND);
	assert_int_equal(access_end(g, FOLIO_ENOTFOUND, &e), FOLIO_ENOTFOUND);
	admin_unlock(f, "clerk");
	assert_int_equal(fixture_sql_int(f, "SELECT admin_locked FROM users WHERE name = 'clerk'"), 0);
	expect_login(f, "clerk", CLERK_PW);
}

static void test_unknown_user(void **state)
{
	struct fixture *f = *state;
	struct folio_err wrong, unknown;
	int64_t users = fixture_sql_int(f, "SELECT count(*) FROM users");

	assert_int_equal(fixture_login_rc(f->st, "clerk", WRONG_PW, &wrong), FOLIO_EDENIED);
	assert_int_equal(fixture_login_rc(f->st, "zqxjtyped", WRONG_PW, &unknown), FOLIO_EDENIED);
	/* the same words: no way to learn which names exist */
	assert_string_equal(unknown.msg, wrong.msg);
	assert_int_equal(fixture_sql_int(f, "SELECT action = 'session.login.failed' AND user_name = '?'"
					    " AND outcome = 'denied' FROM audit_log ORDER BY seq DESC LIMIT 1"), 1);
	/* the typed name (perhaps a password typed early) is kept nowhere */
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM audit_log WHERE instr(at || user_name || role ||"
					    " workstation || action || outcome || mrn || object_type || object_id ||"
					    " reason, 'zqxj') > 0"), 0);
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM users"), users);
	/* and it counts against nobody */
	for (int i = 0; i < 5; i++)
		expect_wrong(f, "zqxjtyped", CLERK_PW);
	assert_int_equal(fixture_sql_int(f, "SELECT max(failed_logins) FROM users WHERE name <> 'clerk'"), 0);
	expect_login(f, "clerk", CLERK_PW);
	chain_intact(f);
}

static void test_session_lock_unlock(void **state)
{
	struct fixture *f = *state;
	struct folio_err e = { 0 };
	struct session *s = fixture_login(f->st, "clerk", CLERK_PW);
	struct grant *g = NULL;

	assert_int_equal(access_unlock(s, WRONG_PW, strlen(WRONG_PW), &e), FOLIO_OK); /* not locked: no-op */
	assert_int_equal(access_lock(s, "idle", &e), FOLIO_OK);
	assert_true(session_is_locked(s));
	assert_string_equal(session_user(s), "clerk");
	assert_int_equal(access_begin(s, ACT_PATIENT_FIND, NULL, NULL, NULL, &g, &e), FOLIO_EDENIED);
	assert_null(g);
	assert_int_equal(audit_rows(f, "clerk", "session.lock"), 1);

	/* a wrong password does not unlock, and counts */
	assert_int_equal(access_unlock(s, WRONG_PW, strlen(WRONG_PW), &e), FOLIO_EDENIED);
	assert_true(session_is_locked(s));
	assert_int_equal(access_begin(s, ACT_PATIENT_FIND, NULL, NULL, NULL, &g, &e), FOLIO_EDENIED);
	assert_int_equal(fixture_sql_int(f, "SELECT failed_logins FROM users WHERE name = 'clerk'"), 1);
	assert_int_equal(audit_rows(f, "clerk", "session.unlock.failed"), 1);

	assert_int_equal(access_unlock(s, CLERK_PW, strlen(CLERK_PW), &e), FOLIO_OK);
	assert_false(session_is_locked(s));
	assert_int_equal(fixture_sql_int(f, "SELECT failed_logins FROM users WHERE name = 'clerk'"), 0);
	assert_int_equal(audit_rows(f, "clerk", "session.unlock"), 1);
	g = begin_ok(s, ACT_PATIENT_FIND, NULL);
	/* the keys are back */
	assert_int_equal(keyring_classes(grant_keys(g)), role_key_classes(ROLE_FRONTDESK));
	assert_int_equal(access_end(g, FOLIO_OK, &e), FOLIO_OK);
	access_logout(s);
	chain_intact(f);
}

static void test_unlock_attempts_lock_account(void **state)
{
	struct fixture *f = *state;
	struct folio_err e = { 0 };
	struct session *s = fixture_login(f->st, "clerk", CLERK_PW);
	struct grant *g = NULL;

	assert_int_equal(access_lock(s, "idle", &e), FOLIO_OK);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(access_unlock(s, WRONG_PW, strlen(WRONG_PW), &e), FOLIO_EDENIED);
		assert_null(strstr(e.msg, "locked"));
	}
	assert_int_equal(access_unlock(s, WRONG_PW, strlen(WRONG_PW), &e), FOLIO_EDENIED);
	assert_non_null(strstr(e.msg, "locked until"));
	/* the right password no longer brings the session back */
	assert_int_equal(access_unlock(s, CLERK_PW, strlen(CLERK_PW), &e), FOLIO_EDENIED);
	assert_non_null(strstr(e.msg, "locked until"));
	assert_true(session_is_locked(s));
	assert_int_equal(access_begin(s, ACT_PATIENT_FIND, NULL, NULL, NULL, &g, &e), FOLIO_EDENIED);
	assert_int_equal(audit_rows(f, "clerk", "session.unlock.failed"), 5);
	assert_int_equal(audit_rows(f, "clerk", "account.lockout"), 1);
	expect_locked(f, "clerk", CLERK_PW, "locked until");
	admin_unlock(f, "clerk");
	assert_int_equal(access_unlock(s, CLERK_PW, strlen(CLERK_PW), &e), FOLIO_OK);
	assert_false(session_is_locked(s));
	access_logout(s);
	chain_intact(f);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, lockout_setup, fixture_teardown_db)
	const struct CMUnitTest tests[] = {
		T(test_five_wrong_lock),
		T(test_threshold_configurable),
		T(test_minutes_zero),
		T(test_success_resets_count),
		T(test_lock_lifts_with_time),
		T(test_admin_lock),
		T(test_unknown_user),
		T(test_session_lock_unlock),
		T(test_unlock_attempts_lock_account),
	};
#undef T

	if (smem_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
