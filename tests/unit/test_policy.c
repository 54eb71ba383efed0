/* folio — unit tests: the role x action policy (src/access/policy.c) and
 * the gate that enforces it (access_begin), cell by cell. */
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
#include "folio/crypto.h"
#include "folio/demo.h"
#include "folio/grant.h"
#include "folio/smem.h"
#include "folio/util.h"

#include "unit_fixture.h"

/* The expected policy, typed out by hand (not generated from
 * FOLIO_ACTIONS).  Columns: front desk, technician, supervisor,
 * physician, admin. */
static const struct {
	enum action a;
	const char *name;
	const char *allow; /* FD TE SU PH AD */
} expected[] = {
	{ ACT_PASSWD_SELF, "account.passwd", "YYYYY" },
	{ ACT_USER_ADD, "user.add", "----Y" },
	{ ACT_USER_LIST, "user.list", "--Y-Y" },
	{ ACT_USER_LOCK, "user.lock", "----Y" },
	{ ACT_USER_UNLOCK, "user.unlock", "----Y" },
	{ ACT_USER_RESET, "user.reset", "----Y" },
	{ ACT_AUDIT_VERIFY, "audit.verify", "--Y-Y" },
	{ ACT_AUDIT_HEAD, "audit.head", "--Y-Y" },
	{ ACT_AUDIT_SHOW, "audit.show", "--Y-Y" },
	{ ACT_CONFIG_READ, "config.read", "--Y-Y" },
	{ ACT_CONFIG_SET, "config.set", "----Y" },
	{ ACT_DB_CHECK, "db.check", "--Y-Y" },
	{ ACT_DB_BACKUP, "db.backup", "----Y" },
	{ ACT_DB_RESTORE, "db.restore", "----Y" },
	{ ACT_KEY_ROTATE, "key.rotate", "----Y" },
	{ ACT_PATIENT_FIND, "patient.find", "YYYY-" },
	{ ACT_PATIENT_VIEW, "patient.view", "YYYY-" },
	{ ACT_PATIENT_ADD, "patient.add", "YY---" },
	{ ACT_PATIENT_EDIT, "patient.edit", "YYY--" },
	{ ACT_PATIENT_RESTRICT, "patient.restrict", "-YY--" },
	{ ACT_USER_LINK, "user.link", "----Y" },
	{ ACT_CHECKIN, "encounter.checkin", "YY---" },
	{ ACT_CHECKIN_LIST, "encounter.checkins", "YYY--" },
	{ ACT_ALERT_REVIEW, "alert.review", "--Y--" },
	{ ACT_CHART_VIEW, "chart.view", "-YYY-" },
	{ ACT_ENCOUNTER_EDIT, "encounter.edit", "-YY--" },
	{ ACT_CLINICAL_ENTER, "clinical.enter", "-Y-Y-" },
	{ ACT_NOTE_WRITE, "note.write", "-Y-Y-" },
	{ ACT_NOTE_SIGN, "note.sign", "---Y-" },
	{ ACT_NOTE_AMEND, "note.amend", "--YY-" },
	{ ACT_CODE_ASSIGN, "coding.assign", "-YY--" },
	{ ACT_DEFICIENCY_EDIT, "deficiency.edit", "-YY--" },
	{ ACT_DEFICIENCY_REOPEN, "deficiency.reopen", "--Y--" },
	{ ACT_QUEUE_VIEW, "queue.view", "-YY--" },
	{ ACT_QUERY_SEND, "query.send", "-YY--" },
	{ ACT_QUERY_ANSWER, "query.answer", "---Y-" },
	{ ACT_CHART_TRACK, "chart.track", "-YY--" },
	{ ACT_ROI_PROCESS, "roi.process", "-YY--" },
	{ ACT_DISCLOSURE_ACCOUNT, "roi.accounting", "-YY--" },
	{ ACT_ACCESS_REPORT, "report.access", "--Y--" },
	{ ACT_REPORT_RUN, "report.run", "--Y--" },
	{ ACT_IMPORT_RUN, "import.run", "-YY--" },
	{ ACT_EXPORT_RUN, "export.run", "-YY--" },
	{ ACT_MERGE_PROPOSE, "merge.propose", "-YY--" },
	{ ACT_MERGE_APPROVE, "merge.approve", "--Y--" },
	{ ACT_BREAK_GLASS, "chart.breakglass", "YYYY-" },
	{ ACT_SIGCODE_SET, "account.sigcode", "--YY-" },
	{ ACT_NOTE_VERIFY, "note.verify", "-YY--" },
	{ ACT_CODES_LOAD, "codes.load", "--Y-Y" },
	{ ACT_CODES_SEARCH, "codes.search", "-YYY-" },
	{ ACT_DEFICIENCY_RULES, "deficiency.rules", "--Y--" },
	{ ACT_INBOX_VIEW, "inbox.view", "--YY-" },
	{ ACT_CHART_REQUEST, "chart.request", "-YYY-" },
	{ ACT_CHART_FOUND, "chart.found", "--Y--" },
};

/* Role order of the columns above. */
static const enum role columns[] = { ROLE_FRONTDESK, ROLE_TECHNICIAN, ROLE_SUPERVISOR, ROLE_PHYSICIAN,
				     ROLE_ADMIN };

/* Everything that touches a patient or a chart. */
static const enum action chart_actions[] = {
	ACT_PATIENT_FIND, ACT_PATIENT_VIEW, ACT_PATIENT_ADD, ACT_PATIENT_EDIT, ACT_CHECKIN,
	ACT_PATIENT_RESTRICT, ACT_CHECKIN_LIST, ACT_ALERT_REVIEW,
	ACT_CHART_VIEW, ACT_ENCOUNTER_EDIT, ACT_CLINICAL_ENTER, ACT_NOTE_WRITE, ACT_NOTE_SIGN,
	ACT_NOTE_AMEND, ACT_CODE_ASSIGN, ACT_DEFICIENCY_EDIT, ACT_DEFICIENCY_REOPEN, ACT_QUEUE_VIEW,
	ACT_QUERY_SEND, ACT_QUERY_ANSWER, ACT_CHART_TRACK, ACT_ROI_PROCESS, ACT_DISCLOSURE_ACCOUNT,
	ACT_ACCESS_REPORT, ACT_IMPORT_RUN, ACT_EXPORT_RUN, ACT_MERGE_PROPOSE, ACT_MERGE_APPROVE,
	ACT_BREAK_GLASS,
};

static int expect_allowed(size_t row, size_t col)
{
	assert_int_equal(strlen(expected[row].allow), ARRAY_SIZE(columns));
	return expected[row].allow[col] == 'Y';
}

/* ---- the table ------------------------------------------------------- */

static void test_table_complete(void **state)
{
	(void)state;
	/* one row per action, in enum order: an action added to access.h
	 * without a row here fails */
	assert_int_equal(ARRAY_SIZE(expected), ACT_COUNT);
	assert_int_equal(ACT_COUNT, 54);
	assert_int_equal(ROLE_COUNT, 5);
	for (size_t i = 0; i < ARRAY_SIZE(expected); i++) {
		assert_int_equal(expected[i].a, (enum action)i);
		assert_string_equal(action_name(expected[i].a), expected[i].name);
		assert_true(strlen(action_help(expected[i].a)) > 0);
	}
}

static void test_matrix(void **state)
{
	int mismatches = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(expected); i++)
		for (size_t c = 0; c < ARRAY_SIZE(columns); c++) {
			int want = expect_allowed(i, c);
			int got = policy_allows(columns[c], expected[i].a);
			if (got != want) {
				print_error("%s for %s: policy says %d, expected %d\n", expected[i].name,
					    role_name(columns[c]), got, want);
				mismatches++;
			}
		}
	assert_int_equal(mismatches, 0);
}

static void test_out_of_range_denied(void **state)
{
	(void)state;
	for (int a = -3; a < ACT_COUNT + 3; a++) {
		assert_int_equal(policy_allows(-1, a), 0);
		assert_int_equal(policy_allows(ROLE_COUNT, a), 0);
		assert_int_equal(policy_allows(ROLE_COUNT + 100, a), 0);
		assert_int_equal(policy_allows(INT32_MIN, a), 0);
	}
	for (int r = 0; r < ROLE_COUNT; r++) {
		assert_int_equal(policy_allows(r, -1), 0);
		assert_int_equal(policy_allows(r, ACT_COUNT), 0);
		assert_int_equal(policy_allows(r, ACT_COUNT + 1), 0);
		assert_int_equal(policy_allows(r, INT32_MAX), 0);
		assert_int_equal(policy_allows(r, INT32_MIN), 0);
	}
	assert_string_equal(action_name(ACT_COUNT), "?");
	assert_string_equal(action_name((enum action)-1), "?");
	assert_string_equal(role_name(ROLE_COUNT), "?");
	assert_string_equal(role_name((enum role)-1), "?");
	assert_int_equal(role_key_classes(ROLE_COUNT), 0);
	assert_int_equal(role_key_classes((enum role)-1), 0);
}

static void test_admin_kept_out_of_charts(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(chart_actions); i++)
		if (policy_allows(ROLE_ADMIN, chart_actions[i]))
			fail_msg("the admin may %s", action_name(chart_actions[i]));
	/* and nobody but the admin administers users and keys */
	for (int r = 0; r < ROLE_COUNT; r++) {
		int admin = r == ROLE_ADMIN;
		assert_int_equal(policy_allows(r, ACT_USER_ADD), admin);
		assert_int_equal(policy_allows(r, ACT_USER_RESET), admin);
		assert_int_equal(policy_allows(r, ACT_KEY_ROTATE), admin);
		assert_int_equal(policy_allows(r, ACT_DB_RESTORE), admin);
		assert_int_equal(policy_allows(r, ACT_CONFIG_SET), admin);
		assert_int_equal(policy_allows(r, ACT_PASSWD_SELF), 1);
	}
}

static void test_frontdesk_limits(void **state)
{
	static const enum action no[] = {
		ACT_CHART_VIEW, ACT_ENCOUNTER_EDIT, ACT_CLINICAL_ENTER, ACT_NOTE_WRITE, ACT_NOTE_SIGN,
		ACT_NOTE_AMEND, ACT_CODE_ASSIGN, ACT_QUEUE_VIEW, ACT_ROI_PROCESS,
		ACT_EXPORT_RUN, ACT_AUDIT_SHOW, ACT_USER_LIST, ACT_REPORT_RUN, ACT_PATIENT_RESTRICT,
		ACT_ALERT_REVIEW,
	};
	static const enum action yes[] = { ACT_PATIENT_FIND, ACT_PATIENT_VIEW, ACT_PATIENT_ADD,
					   ACT_PATIENT_EDIT, ACT_CHECKIN, ACT_CHECKIN_LIST,
					   ACT_BREAK_GLASS, ACT_PASSWD_SELF };
	int n = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(no); i++)
		assert_int_equal(policy_allows(ROLE_FRONTDESK, no[i]), 0);
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++)
		assert_int_equal(policy_allows(ROLE_FRONTDESK, yes[i]), 1);
	for (int a = 0; a < ACT_COUNT; a++)
		n += policy_allows(ROLE_FRONTDESK, a);
	assert_int_equal(n, (int)ARRAY_SIZE(yes)); /* exactly these */
}

static void test_roles_and_keys(void **state)
{
	static const char *const names[] = { "frontdesk", "technician", "supervisor", "physician", "admin" };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(columns); i++) {
		assert_string_equal(role_name(columns[i]), names[i]);
		assert_int_equal(role_parse(names[i]), columns[i]);
		assert_true(strlen(role_title(columns[i])) > 0);
	}
	assert_int_equal(role_parse("root"), -1);
	assert_int_equal(role_parse(""), -1);
	assert_int_equal(role_parse("Admin"), -1);

	assert_int_equal(role_key_classes(ROLE_FRONTDESK),
			 KC_BIT(KC_DEMOGRAPHICS) | KC_BIT(KC_INDEX) | KC_BIT(KC_AUDIT));
	assert_int_equal(role_key_classes(ROLE_TECHNICIAN),
			 KC_BIT(KC_DEMOGRAPHICS) | KC_BIT(KC_CLINICAL) | KC_BIT(KC_INDEX) | KC_BIT(KC_AUDIT));
	assert_int_equal(role_key_classes(ROLE_SUPERVISOR), KC_ALL);
	assert_int_equal(role_key_classes(ROLE_PHYSICIAN), KC_ALL);
	assert_int_equal(role_key_classes(ROLE_ADMIN), KC_ALL);
	/* every role holds the audit key (every action writes a chain row) */
	for (int r = 0; r < ROLE_COUNT; r++)
		assert_true(role_key_classes((enum role)r) & KC_BIT(KC_AUDIT));
}

/* ---- the gate, on a demo database ----------------------------------- */

static const struct demo_user *demo_of(enum role r)
{
	for (size_t i = 0; i < demo_user_count; i++)
		if (role_parse(demo_users[i].role) == (int)r)
			return &demo_users[i];
	fail_msg("no demo user for %s", role_name(r));
	return NULL;
}

static void test_gate_matrix(void **state)
{
	struct fixture *f = *state;
	int bad = 0;

	assert_int_equal(demo_user_count, ROLE_COUNT);
	for (size_t c = 0; c < ARRAY_SIZE(columns); c++) {
		const struct demo_user *u = demo_of(columns[c]);
		struct folio_err e = { 0 };
		struct session *s = fixture_login(f->st, u->name, u->password);
		int64_t start;

		assert_int_equal(session_role(s), columns[c]);
		start = fixture_audit_last_seq(f);
		for (size_t i = 0; i < ARRAY_SIZE(expected); i++) {
			int want = expect_allowed(i, c);
			struct grant *g = NULL;
			int rc;

			err_clear(&e);
			assert_int_equal(access_may(s, expected[i].a), want);
			rc = access_begin(s, expected[i].a, NULL, NULL, NULL, &g, &e);
			if (want) {
				if (rc != FOLIO_OK || !g) {
					print_error("%s %s: %d %s\n", u->name, expected[i].name, rc, e.msg);
					bad++;
					continue;
				}
				assert_int_equal(grant_action(g), expected[i].a);
				assert_int_equal(keyring_classes(grant_keys(g)), role_key_classes(columns[c]));
				assert_int_equal(access_end(g, FOLIO_OK, &e), FOLIO_OK);
			} else {
				if (rc != FOLIO_EDENIED || g) {
					print_error("%s %s: %d, wanted denied\n", u->name, expected[i].name, rc);
					bad++;
					continue;
				}
				assert_non_null(strstr(e.msg, expected[i].name));
			}
		}
		/* one audit row per attempt, with the right outcome */
		assert_int_equal(fixture_audit_last_seq(f), start + (int64_t)ARRAY_SIZE(expected));
		for (size_t i = 0; i < ARRAY_SIZE(expected); i++) {
			int want = expect_allowed(i, c);
			int64_t denied = fixture_audit_count(f, start, u->name, expected[i].name, "denied");
			int64_t ok = fixture_audit_count(f, start, u->name, expected[i].name, "ok");
			if (denied != !want || ok != want) {
				print_error("%s %s: %lld denied, %lld ok rows\n", u->name, expected[i].name,
					    (long long)denied, (long long)ok);
				bad++;
			}
		}
		/* out of range actions are denied, and audited */
		assert_int_equal(access_begin(s, ACT_COUNT, NULL, NULL, NULL, &(struct grant *){ NULL }, &e),
				 FOLIO_EDENIED);
		assert_int_equal(access_may(s, ACT_COUNT), 0);
		assert_int_equal(fixture_audit_count(f, start, u->name, "?", "denied"), 1);
		access_logout(s);
	}
	assert_int_equal(bad, 0);
}

static void test_locked_session_denied(void **state)
{
	struct fixture *f = *state;
	const struct demo_user *u = demo_of(ROLE_SUPERVISOR);
	struct folio_err e = { 0 };
	struct session *s = fixture_login(f->st, u->name, u->password);
	struct grant *g = NULL;

	assert_int_equal(access_lock(s, "idle", &e), FOLIO_OK);
	for (size_t i = 0; i < ARRAY_SIZE(expected); i++) {
		assert_int_equal(access_may(s, expected[i].a), 0);
		assert_int_equal(access_begin(s, expected[i].a, NULL, NULL, NULL, &g, &e), FOLIO_EDENIED);
		assert_null(g);
	}
	access_logout(s);
}

int main(void)
{
#define T_DEMO(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup_demo, fixture_teardown_db)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_complete),
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_out_of_range_denied),
		cmocka_unit_test(test_admin_kept_out_of_charts),
		cmocka_unit_test(test_frontdesk_limits),
		cmocka_unit_test(test_roles_and_keys),
		T_DEMO(test_gate_matrix),
		T_DEMO(test_locked_session_denied),
	};
#undef T_DEMO

	if (smem_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
