/* folio — unit tests of completeness review: the delinquency rate on a
 * fixture whose answer is worked out by hand (issue 6, done-when 2); the
 * evaluator closing a discharge summary's deficiency in the signing
 * transaction; a closed deficiency out of a technician's reach. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "folio/chart.h"
#include "folio/config.h"
#include "folio/deficiency.h"
#include "folio/patient.h"
#include "folio/smem.h"
#include "unit_fixture.h"

struct dfx {
	struct fixture *f;
	struct session *tech, *doctor, *super;
	char mrn[MRN_MAX];
	int64_t pid;
};

static int setup(void **state)
{
	struct dfx *x = calloc(1, sizeof *x);
	struct folio_err e = { 0 };
	struct patient *p;
	struct grant *g;
	char sql[128];

	if (!x || !(x->f = fixture_new_demo()) || !(p = patient_new()))
		return -1;
	x->tech = fixture_login(x->f->st, "tech", "demo-tech-pass");
	x->doctor = fixture_login(x->f->st, "doctor", "demo-doctor-pass");
	x->super = fixture_login(x->f->st, "super", "demo-super-pass");
	if (patient_set(p, PF_LAST, "Ratewell", &e) || patient_set(p, PF_FIRST, "Rita", &e) ||
	    patient_set(p, PF_DOB, "1950-05-05", &e) || patient_set(p, PF_SEX, "F", &e) ||
	    patient_set(p, PF_PHONE, "555-201-3344", &e) || patient_set(p, PF_ADDRESS, "1 Main St", &e) ||
	    access_begin(x->tech, ACT_PATIENT_ADD, NULL, NULL, NULL, &g, &e) ||
	    access_end(g, patient_register(g, p, &e), &e))
		return -1;
	str_copy(x->mrn, sizeof x->mrn, p->mrn);
	patient_free(p);
	snprintf(sql, sizeof sql, "SELECT id FROM patients WHERE mrn = '%s'", x->mrn);
	x->pid = fixture_sql_int(x->f, sql);
	*state = x;
	return x->pid > 0 ? 0 : -1;
}

static int teardown(void **state)
{
	struct dfx *x = *state;

	access_logout(x->tech);
	access_logout(x->doctor);
	access_logout(x->super);
	fixture_free(x->f);
	free(x);
	return 0;
}

/* An encounter of kind in state, ended at `ended` (NULL: open), behind the
 * library (the fixture's dates are fixed, not relative to today). */
static int64_t enc(struct dfx *x, const char *kind, const char *state, const char *started, const char *ended)
{
	fixture_sqlf(x->f,
		     "INSERT INTO encounters (patient_id, kind, state, started_at, day, created_by, ended_at, attending)"
		     " VALUES (%lld, '%s', '%s', '%s', substr('%s', 1, 10), 'tech', %s%s%s, 'doctor')",
		     (long long)x->pid, kind, state, started, started, ended ? "'" : "", ended ? ended : "NULL",
		     ended ? "'" : "");
	return fixture_sql_int(x->f, "SELECT max(id) FROM encounters");
}

static void def(struct dfx *x, int64_t e, const char *rule, int subject, const char *status)
{
	fixture_sqlf(x->f,
		     "INSERT INTO deficiencies (patient_id, encounter_id, rule, subject, status, created_at, updated_at)"
		     " VALUES (%lld, %lld, '%s', %d, '%s', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
		     (long long)x->pid, (long long)e, rule, subject, status);
}

/* 2026-05-15T12:00:00Z */
#define FIXTURE_NOW ((int64_t)20588 * 86400 + 12 * 3600)

static void rate(struct dfx *x, struct deficiency_rate *r)
{
	struct grant *g = fixture_begin(x->super, ACT_QUEUE_VIEW);
	struct folio_err e = { 0 };

	assert_int_equal(deficiency_rate_at(g, FIXTURE_NOW, r, &e), FOLIO_OK);
	fixture_end(g);
}

static void setting(struct dfx *x, const char *name, const char *value)
{
	struct session *admin = fixture_login(x->f->st, "admin", "demo-admin-pass");
	struct grant *g = fixture_begin(admin, ACT_CONFIG_SET);
	struct folio_err e = { 0 };

	assert_int_equal(config_set(g, name, value, &e), FOLIO_OK);
	fixture_end(g);
	access_logout(admin);
}

/* By hand, as of 2026-05-15 12:00 UTC with the defaults (30 days, 3 full
 * months, 50 %):
 *   window 2026-02-01 .. 2026-04-30; inpatient discharges in it: 4 in
 *   February, 3 in March, 5 in April = 12, so 4.0 a month.  Not counted:
 *   January 31 and May 2 (outside), a cancelled admission, a visit.
 *   Delinquent (discharged before 2026-04-15 12:00 with an open
 *   deficiency): Feb 3 (incomplete), Mar 10 (two open: one chart), Apr 10
 *   (dictated), Jan 31 (outside the window but delinquent all the same) = 4.
 *   Not: Apr 20 (25 days), Mar 20 (signed and completed only), Mar 25
 *   (withdrawn), the visit.  Rate 4 / 4.0 = 100 %, over the limit.
 * With 6 months and 45 days: window 2025-11-01 .. 2026-04-30 holds 13
 * discharges (Jan 31 joins), 13/6 a month; delinquent before 2026-03-31
 * 12:00: Feb 3, Mar 10, Jan 31 = 3; 3 / (13/6) = 138.46 %. */
static void test_rate_fixture(void **state)
{
	struct dfx *x = *state;
	struct deficiency_rate r;
	static const char *const feb[] = { "2026-02-03T10:00:00Z", "2026-02-10T10:00:00Z", "2026-02-17T10:00:00Z",
					   "2026-02-28T23:59:59Z" };
	static const char *const apr[] = { "2026-04-01T00:00:00Z", "2026-04-10T10:00:00Z", "2026-04-20T10:00:00Z",
					   "2026-04-25T10:00:00Z", "2026-04-30T23:00:00Z" };
	int64_t e[16];

	for (size_t i = 0; i < 4; i++)
		e[i] = enc(x, "inpatient", "discharged", "2026-01-20T08:00:00Z", feb[i]);
	e[4] = enc(x, "inpatient", "discharged", "2026-03-01T08:00:00Z", "2026-03-10T10:00:00Z");
	e[5] = enc(x, "inpatient", "discharged", "2026-03-01T08:00:00Z", "2026-03-20T10:00:00Z");
	e[6] = enc(x, "inpatient", "discharged", "2026-03-01T08:00:00Z", "2026-03-25T10:00:00Z");
	for (size_t i = 0; i < 5; i++)
		e[7 + i] = enc(x, "inpatient", "discharged", "2026-03-28T08:00:00Z", apr[i]);
	e[12] = enc(x, "inpatient", "discharged", "2026-01-20T08:00:00Z", "2026-01-31T23:59:59Z");
	e[13] = enc(x, "inpatient", "discharged", "2026-04-28T08:00:00Z", "2026-05-02T10:00:00Z");
	e[14] = enc(x, "inpatient", "cancelled", "2026-03-05T08:00:00Z", NULL);
	e[15] = enc(x, "outpatient", "closed", "2026-02-05T08:00:00Z", "2026-02-05T09:00:00Z");

	def(x, e[0], "discharge-summary", 0, "incomplete");
	def(x, e[4], "discharge-summary", 0, "transcribed");
	def(x, e[4], "coding", 0, "incomplete");
	def(x, e[5], "discharge-summary", 0, "signed");
	def(x, e[5], "coding", 0, "completed");
	def(x, e[6], "coding", 0, "withdrawn");
	def(x, e[8], "hp", 0, "dictated");
	def(x, e[9], "discharge-summary", 0, "incomplete");
	def(x, e[12], "coding", 0, "incomplete");
	def(x, e[15], "visit-diagnosis", 0, "incomplete");

	rate(x, &r);
	assert_string_equal(r.from, "2026-02-01");
	assert_string_equal(r.to, "2026-04-30");
	assert_int_equal(r.months, 3);
	assert_int_equal(r.discharges, 12);
	assert_int_equal(r.delinquent, 4);
	assert_true(r.monthly > 3.999 && r.monthly < 4.001);
	assert_true(r.pct > 99.999 && r.pct < 100.001);
	assert_int_equal(r.limit_pct, 50);
	assert_int_equal(r.over, 1);
	assert_int_equal(r.incomplete, 6);

	setting(x, "delinquency_months", "6");
	setting(x, "delinquent_days", "45");
	rate(x, &r);
	assert_string_equal(r.from, "2025-11-01");
	assert_int_equal(r.discharges, 13);
	assert_int_equal(r.delinquent, 3);
	assert_true(r.pct > 138.45 && r.pct < 138.47);

	setting(x, "delinquency_limit_pct", "150");
	rate(x, &r);
	assert_int_equal(r.over, 0);
}

static void test_rate_arithmetic(void **state)
{
	(void)state;
	assert_true(deficiency_rate_pct(3, 12, 3) > 74.999 && deficiency_rate_pct(3, 12, 3) < 75.001);
	assert_true(deficiency_rate_pct(0, 12, 3) == 0.0);
	assert_true(deficiency_rate_pct(5, 0, 3) == 0.0);
	assert_true(deficiency_rate_pct(5, 10, 0) == 0.0);
}

static void test_bad_rule_changes_are_refused(void **state)
{
	struct dfx *x = *state;
	struct grant *g = fixture_begin(x->super, ACT_DEFICIENCY_RULES);
	struct folio_err e = { 0 };

	assert_int_equal(deficiency_rule_set(g, "hp", "days", "-1", &e), FOLIO_EUSAGE);
	assert_int_equal(deficiency_rule_set(g, "hp", "responsible", "nobody", &e), FOLIO_EUSAGE);
	assert_int_equal(deficiency_rule_set(g, "nosuch", "days", "3", &e), FOLIO_ENOTFOUND);
	assert_int_equal(deficiency_rule_set(g, "hp", "colour", "3", &e), FOLIO_EUSAGE);
	fixture_end(g);
	assert_int_equal(fixture_sql_int(x->f, "SELECT days FROM deficiency_rules WHERE code = 'hp'"), 1);
	assert_int_equal(fixture_sql_int(x->f, "SELECT row_version FROM deficiency_rules WHERE code = 'hp'"), 1);
}

static int first_ds(const struct deficiency_info *d, void *ctx)
{
	if (strcmp(d->type, "discharge-summary") == 0) {
		*(struct deficiency_info *)ctx = *d;
		return 1;
	}
	return 0;
}

/* The signature and the deficiency's closing are one transaction, stamped
 * with the signer; afterwards a technician cannot touch it, a supervisor
 * can reopen it. */
static void test_signing_closes_the_summary(void **state)
{
	struct dfx *x = *state;
	struct folio_err e = { 0 };
	struct deficiency_info d = { 0 };
	struct adt a = { .attending = "doctor", .at = NULL };
	struct document_new dn = { .type = DOC_DISCHARGE, .author = "doctor" };
	char at[24], status[16];
	int64_t id, doc;
	struct grant *g;

	time_utc_format(time_now() - 40 * 86400, at, sizeof at);
	a.at = at;
	assert_int_equal(access_begin(x->tech, ACT_ENCOUNTER_EDIT, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(access_end(g, encounter_admit(g, &a, &id, &e), &e), FOLIO_OK);
	time_utc_format(time_now() - 31 * 86400, at, sizeof at);
	a.status = "01";
	assert_int_equal(access_begin(x->tech, ACT_ENCOUNTER_EDIT, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(access_end(g, encounter_discharge(g, id, &a, &e), &e), FOLIO_OK);
	dn.encounter_id = id;
	assert_int_equal(access_begin(x->doctor, ACT_NOTE_WRITE, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(access_end(g, document_create(g, &dn, "DS\n", 3, &doc, &e), &e), FOLIO_OK);

	assert_int_equal(access_begin(x->tech, ACT_DEFICIENCY_EDIT, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(access_end(g, deficiency_list(g, 0, first_ds, &d, &e), &e), FOLIO_OK);
	assert_string_equal(d.status, "transcribed");
	assert_string_equal(d.responsible, "doctor");
	assert_int_equal(d.delinquent, 1);
	assert_int_equal(d.document_id, doc);

	/* the demo's signature code */
	assert_int_equal(access_begin(x->doctor, ACT_NOTE_SIGN, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(access_end(g, document_sign(g, doc, "demo-doctor-sign", 16, status, &e), &e), FOLIO_OK);
	assert_int_equal(fixture_sql_int(x->f, "SELECT count(*) FROM deficiency_events v JOIN deficiencies d ON"
					       " d.id = v.deficiency_id WHERE d.rule = 'discharge-summary'"
					       " AND v.to_status = 'signed' AND v.by_user = 'doctor'"),
			 1);

	/* closed: the technician may not add a note, the supervisor may reopen */
	assert_int_equal(access_begin(x->tech, ACT_DEFICIENCY_EDIT, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(deficiency_note(g, d.id, "late", &e), FOLIO_EDENIED);
	(void)access_end(g, FOLIO_EDENIED, &e);
	assert_int_equal(access_begin(x->super, ACT_DEFICIENCY_REOPEN, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(access_end(g, deficiency_reopen(g, d.id, "no medications listed", &e), &e), FOLIO_OK);
	assert_int_equal(fixture_sql_int(x->f, "SELECT count(*) FROM deficiencies WHERE rule = 'discharge-summary'"
					       " AND status = 'incomplete' AND by_hand = 1"),
			 1);
	/* the note is sealed: its words are not in the file */
	assert_int_equal(fixture_sql_int(x->f, "SELECT count(*) FROM deficiency_events WHERE kind = 'reopen'"
					       " AND note IS NOT NULL AND instr(note, 'medications') = 0"),
			 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rate_fixture, setup, teardown),
		cmocka_unit_test(test_rate_arithmetic),
		cmocka_unit_test_setup_teardown(test_bad_rule_changes_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signing_closes_the_summary, setup, teardown),
	};

	if (smem_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
