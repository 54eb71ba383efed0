/* folio — unit tests of the chart core: a sensitive note's key is not the
 * technician's even with the policy out of the way; signatures catch a
 * changed signature row; times as staff type them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "folio/account.h"
#include "folio/chart.h"
#include "folio/date.h"
#include "folio/grant.h"
#include "folio/patient.h"
#include "folio/smem.h"
#include "unit_fixture.h"

struct chart_fx {
	struct fixture *f;
	struct session *tech, *doctor, *super;
	char mrn[MRN_MAX];
};

static int setup(void **state)
{
	struct chart_fx *x = calloc(1, sizeof *x);
	struct patient *p;
	struct folio_err e = { 0 };
	struct grant *g;

	if (!x || !(x->f = fixture_new_demo()) || !(p = patient_new()))
		return -1;
	x->tech = fixture_login(x->f->st, "tech", "demo-tech-pass");
	x->doctor = fixture_login(x->f->st, "doctor", "demo-doctor-pass");
	x->super = fixture_login(x->f->st, "super", "demo-super-pass");
	if (patient_set(p, PF_LAST, "Chartwell", &e) || patient_set(p, PF_DOB, "1960-05-05", &e) ||
	    access_begin(x->tech, ACT_PATIENT_ADD, NULL, NULL, NULL, &g, &e) ||
	    access_end(g, patient_register(g, p, &e), &e))
		return -1;
	str_copy(x->mrn, sizeof x->mrn, p->mrn);
	patient_free(p);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct chart_fx *x = *state;

	access_logout(x->tech);
	access_logout(x->doctor);
	access_logout(x->super);
	fixture_free(x->f);
	free(x);
	return 0;
}

static int64_t new_note(struct chart_fx *x, enum doc_type t, const char *text)
{
	struct document_new d = { .type = t, .author = "doctor" };
	struct folio_err e = { 0 };
	struct grant *g;
	int64_t id = 0;

	assert_int_equal(access_begin(x->doctor, ACT_NOTE_WRITE, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(access_end(g, document_create(g, &d, text, strlen(text), &id, &e), &e), FOLIO_OK);
	return id;
}

/* The stored envelope of a document's body, read behind the library. */
static size_t stored_body(struct chart_fx *x, int64_t id, uint8_t *out, size_t cap)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	size_t n = 0;

	assert_int_equal(sqlite3_open_v2(x->f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT body FROM documents WHERE id = ?", -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_int64(s, 1, id);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	n = (size_t)sqlite3_column_bytes(s, 0);
	assert_true(n <= cap);
	memcpy(out, sqlite3_column_blob(s, 0), n);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

/* Opens the envelope with the keys of the session's user, skipping every
 * policy check: only the keys decide. */
static int open_with_keys_of(struct session *s, const char *mrn, int64_t id, const uint8_t *env, size_t n,
			     char *pt, size_t cap, size_t *ptlen)
{
	struct folio_err e = { 0 };
	struct grant *g;
	char ad[64];
	int rc;

	/* patient.view is a grant everyone clinical holds; it says nothing
	 * about documents, so the open below stands on the keys alone */
	assert_int_equal(access_begin(s, ACT_PATIENT_VIEW, mrn, NULL, NULL, &g, &e), FOLIO_OK);
	field_ad(ad, sizeof ad, "documents", "body", id);
	rc = field_open(grant_keys(g), ad, env, n, pt, cap, ptlen, &e);
	access_end(g, FOLIO_OK, &e);
	return rc;
}

static void test_sensitive_key_is_not_the_technicians(void **state)
{
	struct chart_fx *x = *state;
	static const char secret[] = "psychotherapy session: the patient spoke of private things";
	int64_t psy = new_note(x, DOC_PSYCHOTHERAPY, secret), prog = new_note(x, DOC_PROGRESS, "ordinary note");
	uint8_t env[512];
	char pt[512];
	size_t n, len = 0;

	n = stored_body(x, psy, env, sizeof env);
	assert_int_equal(open_with_keys_of(x->tech, x->mrn, psy, env, n, pt, sizeof pt, &len), FOLIO_EDENIED);
	/* the same path opens it for a holder of the sensitive key ... */
	assert_int_equal(open_with_keys_of(x->super, x->mrn, psy, env, n, pt, sizeof pt, &len), FOLIO_OK);
	assert_int_equal(len, strlen(secret));
	assert_memory_equal(pt, secret, len);
	/* ... and the technician's keys open an ordinary note */
	n = stored_body(x, prog, env, sizeof env);
	assert_int_equal(open_with_keys_of(x->tech, x->mrn, prog, env, n, pt, sizeof pt, &len), FOLIO_OK);
	memset(pt, 0, sizeof pt);
}

static void test_document_read_refuses_without_the_key(void **state)
{
	struct chart_fx *x = *state;
	int64_t psy = new_note(x, DOC_SUBSTANCE, "42 CFR Part 2 record");
	struct document_info info;
	struct folio_err e = { 0 };
	struct grant *g;
	char *text = NULL;
	size_t len = 0;

	assert_int_equal(access_begin(x->tech, ACT_CHART_VIEW, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(document_read(g, psy, &info, &text, &len, &e), FOLIO_EDENIED);
	assert_null(text);
	assert_int_equal(info.readable, 0);
	access_end(g, FOLIO_OK, &e);
}

static int on_failure(int64_t id, const char *mrn, const char *why, void *ctx)
{
	(void)mrn;
	(void)why;
	*(int64_t *)ctx = id;
	return 0;
}

static void test_changed_signature_row_is_caught(void **state)
{
	struct chart_fx *x = *state;
	int64_t id = new_note(x, DOC_HP, "History and physical"), bad = 0;
	struct folio_err e = { 0 };
	size_t ok = 0, unreadable = 0;
	struct grant *g;
	char status[16];

	assert_int_equal(access_begin(x->doctor, ACT_SIGCODE_SET, NULL, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(access_end(g, account_sigcode_set(g, "unit-sig-code", 13, &e), &e), FOLIO_OK);
	assert_int_equal(access_begin(x->doctor, ACT_NOTE_SIGN, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(access_end(g, document_sign(g, id, "unit-sig-code", 13, status, &e), &e), FOLIO_OK);
	assert_string_equal(status, "completed");

	assert_int_equal(access_begin(x->super, ACT_NOTE_VERIFY, NULL, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(document_verify_all(g, on_failure, &bad, &ok, &unreadable, &e), FOLIO_OK);
	access_end(g, FOLIO_OK, &e);
	assert_true(ok >= 1);
	assert_int_equal(bad, 0);

	/* someone with write access drops the guard and back-dates the signature */
	fixture_sql(x->f, "DROP TRIGGER signatures_no_update");
	fixture_sqlf(x->f, "UPDATE signatures SET signed_at = '2020-01-01T00:00:00Z' WHERE document_id = %lld",
		     (long long)id);
	assert_int_equal(access_begin(x->super, ACT_NOTE_VERIFY, NULL, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(document_verify_all(g, on_failure, &bad, &ok, &unreadable, &e), FOLIO_EFAIL);
	access_end(g, FOLIO_OK, &e);
	assert_int_equal(bad, id);
}

static void test_datetime_forms(void **state)
{
	int64_t today = date_days(2026, 11, 24);
	struct folio_err e = { 0 };
	char out[24], local[17];

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	assert_int_equal(datetime_parse("2026-11-24T14:30", today, out, &e), FOLIO_OK);
	assert_string_equal(out, "2026-11-24T14:30:00Z");
	assert_int_equal(datetime_parse("2026-11-24 08:05:09", today, out, &e), FOLIO_OK);
	assert_string_equal(out, "2026-11-24T08:05:09Z");
	assert_int_equal(datetime_parse("T-1@0800", today, out, &e), FOLIO_OK);
	assert_string_equal(out, "2026-11-23T08:00:00Z");
	assert_int_equal(datetime_parse("3/14/2026@23:59", today, out, &e), FOLIO_OK);
	assert_string_equal(out, "2026-03-14T23:59:00Z");
	assert_int_equal(datetime_parse("now", today, out, &e), FOLIO_OK);
	assert_int_equal(strlen(out), 20);
	assert_int_equal(datetime_parse("2026-11-24", today, out, &e), FOLIO_EUSAGE); /* no time */
	assert_int_equal(datetime_parse("2026-11-24T24:00", today, out, &e), FOLIO_EUSAGE);
	assert_int_equal(datetime_parse("2026-11-24T12:60", today, out, &e), FOLIO_EUSAGE);
	assert_int_equal(datetime_parse("2026-02-30T12:00", today, out, &e), FOLIO_EUSAGE);
	assert_int_equal(datetime_parse("T@1:5", today, out, &e), FOLIO_EUSAGE);
	assert_int_equal(datetime_parse("", today, out, &e), FOLIO_EUSAGE);
	datetime_local("2026-11-24T14:30:00Z", local);
	assert_string_equal(local, "2026-11-24 14:30");
	/* a clinic east of UTC types its own wall clock */
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	assert_int_equal(datetime_parse("2026-07-01T12:00", today, out, &e), FOLIO_OK);
	assert_string_equal(out, "2026-07-01T10:00:00Z");
	datetime_local(out, local);
	assert_string_equal(local, "2026-07-01 12:00");
	setenv("TZ", "UTC", 1);
	tzset();
}

static void test_discharge_statuses(void **state)
{
	(void)state;
	assert_non_null(discharge_status_label("01"));
	assert_non_null(discharge_status_label("20"));
	assert_non_null(discharge_status_label("95"));
	assert_null(discharge_status_label("1")); /* two digits, as on the UB-04 */
	assert_null(discharge_status_label("08")); /* retired in 2005 */
	assert_null(discharge_status_label("99"));
	assert_null(discharge_status_label(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sensitive_key_is_not_the_technicians, setup, teardown),
		cmocka_unit_test_setup_teardown(test_document_read_refuses_without_the_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_signature_row_is_caught, setup, teardown),
		cmocka_unit_test(test_datetime_forms),
		cmocka_unit_test(test_discharge_statuses),
	};
	if (smem_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
