/* folio — unit tests of the clinical items: LOINC check digits (against
 * an oracle written from LOINC's own description), ICD-10-CM shapes,
 * choices, ranges and flags; and on a database: add, list, the status
 * changes with their row-version check, NKA and the allergy banner, the
 * sealing of every value under the clinical key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "folio/clinical.h"
#include "folio/date.h"
#include "folio/grant.h"
#include "folio/patient.h"
#include "folio/smem.h"
#include "unit_fixture.h"

/* ---- pure checks ------------------------------------------------------ */

/* LOINC's published algorithm: the odd-position digits from the right as a
 * number, doubled; the even-position digits in front of that; the sum of
 * all those digits; the distance up to the next multiple of ten. */
static int loinc_oracle(long n)
{
	char d[16], odd[16] = "", even[16] = "", both[40];
	long doubled;
	int sum = 0;
	size_t len;

	snprintf(d, sizeof d, "%ld", n);
	len = strlen(d);
	for (size_t i = 0; i < len; i++) {
		char c[2] = { d[len - 1 - i], 0 };
		/* digits are taken right to left and written left to right */
		if (i % 2 == 0)
			strcat(odd, c);
		else
			strcat(even, c);
	}
	doubled = strtol(odd, NULL, 10) * 2;
	snprintf(both, sizeof both, "%s%ld", even, doubled);
	for (const char *p = both; *p; p++)
		sum += *p - '0';
	return (10 - sum % 10) % 10;
}

static void test_loinc(void **state)
{
	static const char *const good[] = { "2345-7", "718-7", "4548-4", "2160-0", "8867-4", "29463-7",
					    "8302-2", "2951-2", "6690-2", "777-3", "2093-3", "1-8" };
	static const char *const bad[] = { "", "2345", "2345-", "2345-77", "-7", "12345678-9", "2345-x",
					   " 2345-7", "2345-7 ", "23a5-7", "2345_7", "2345--7" };
	char code[24];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(good); i++)
		if (clinical_loinc_valid(good[i]) != 0)
			fail_msg("%s refused", good[i]);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (clinical_loinc_valid(bad[i]) == 0)
			fail_msg("%s accepted", bad[i]);
	/* every check digit but the oracle's is refused */
	for (long n = 1; n < 2000000; n = n * 3 + 7) {
		int want = loinc_oracle(n);
		for (int c = 0; c <= 9; c++) {
			snprintf(code, sizeof code, "%ld-%d", n, c);
			if ((clinical_loinc_valid(code) == 0) != (c == want))
				fail_msg("%s: check digit %d, the oracle says %d", code, c, want);
		}
	}
}

static void test_icd(void **state)
{
	static const struct {
		const char *in, *out;
	} good[] = { { "E11.9", "E11.9" }, { "e119", "E11.9" }, { "I10", "I10" }, { "S72.001A", "S72.001A" },
		     { "s72001a", "S72.001A" }, { "Z00.00", "Z00.00" }, { "U07.1", "U07.1" }, { "A000", "A00.0" },
		     { "J4A", "J4A" }, { "C7A.01", "C7A.01" } };
	static const char *const bad[] = { "", "E1", "11.9", "EE1.9", "E11.", "E1.19", "E11..9", "E11.9.1",
					   "E11.12345", "E1112345", "E11-9", "E 11.9", ".E119", "E11.9 ", "É11.9" };
	char out[16];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		if (clinical_icd_normalize(good[i].in, out) != 0)
			fail_msg("%s refused", good[i].in);
		assert_string_equal(out, good[i].out);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (clinical_icd_normalize(bad[i], out) == 0)
			fail_msg("%s accepted as %s", bad[i], out);
}

static void set_ok(struct clinical_item *it, int i, const char *in, const char *want)
{
	struct folio_err e = { 0 };

	if (clinical_set(it, (size_t)i, in, &e) != FOLIO_OK)
		fail_msg("'%s' refused: %s", in, e.msg);
	assert_string_equal(it->v[i], want);
}

static void set_bad(struct clinical_item *it, int i, const char *in)
{
	struct folio_err e = { 0 };

	assert_int_equal(clinical_set(it, (size_t)i, in, &e), FOLIO_EUSAGE);
	assert_non_null(strstr(e.msg, clinical_field(it->kind, (size_t)i)->label));
}

/* Typed values of each kind and what is stored (NULL: refused). */
static const struct typed {
	int kind, field;
	const char *in, *want;
} typed[] = {
	{ CLIN_ALLERGY, AF_TYPE, "env", "environmental" },
	{ CLIN_ALLERGY, AF_TYPE, "D", "drug" },
	{ CLIN_ALLERGY, AF_TYPE, "x", NULL },
	{ CLIN_ALLERGY, AF_SEVERITY, "SEV", "severe" },
	{ CLIN_ALLERGY, AF_SEVERITY, "m", NULL }, /* mild or moderate? */
	{ CLIN_ALLERGY, AF_ALLERGEN, "  Peanut  ", "Peanut" },
	{ CLIN_ALLERGY, AF_ALLERGEN, "Pea\x01nut", NULL },
	{ CLIN_ALLERGY, AF_ALLERGEN, "\xff\xfe", NULL },
	{ CLIN_RESULT, RF_LOINC, "4548-4", "4548-4" },
	{ CLIN_RESULT, RF_LOINC, "4548-5", NULL },
	{ CLIN_RESULT, RF_FLAG, "hh", "HH" },
	{ CLIN_RESULT, RF_FLAG, "H", "H" },
	{ CLIN_RESULT, RF_FLAG, "X", NULL },
	{ CLIN_RESULT, RF_RANGE, "4.0 - 5.6", "4.0-5.6" },
	{ CLIN_RESULT, RF_RANGE, "-2-2", "-2-2" },
	{ CLIN_RESULT, RF_RANGE, "<200", "<200" },
	{ CLIN_RESULT, RF_RANGE, ">60", ">60" },
	{ CLIN_RESULT, RF_RANGE, "5-3", NULL },
	{ CLIN_RESULT, RF_RANGE, "normal", NULL },
	{ CLIN_RESULT, RF_RANGE, "1.2.3-4", NULL },
	{ CLIN_MED, MF_STOP, "3/1/2026", "2026-03-01" },
	{ CLIN_MED, MF_PRESCRIBER, "Doctor", "doctor" },
	{ CLIN_MED, MF_PRESCRIBER, "dr who", NULL },
	{ CLIN_PROBLEM, PRF_ICD, "e119", "E11.9" },
	{ CLIN_PROBLEM, PRF_ICD, "E1.19", NULL },
	{ CLIN_PROBLEM, PRF_ONSET, "2019-05-01", "2019-05-01" },
	{ CLIN_PROBLEM, PRF_ONSET, "2099-05-01", NULL }, /* an onset is not in the future */
};

static void test_fields(void **state)
{
	struct clinical_item *it = clinical_items_new(1);
	struct folio_err e = { 0 };
	char big[200];

	(void)state;
	assert_non_null(it);
	for (size_t i = 0; i < ARRAY_SIZE(typed); i++) {
		if (it->kind != typed[i].kind || i == 0)
			clinical_item_init(it, typed[i].kind);
		if (typed[i].want)
			set_ok(it, typed[i].field, typed[i].in, typed[i].want);
		else
			set_bad(it, typed[i].field, typed[i].in);
	}
	clinical_item_init(it, CLIN_ALLERGY);
	assert_string_equal(it->status, "active");
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	set_bad(it, AF_ALLERGEN, big);
	assert_string_equal(it->v[AF_ALLERGEN], "");
	/* required fields */
	assert_int_equal(clinical_complete(it, &e), FOLIO_EUSAGE);
	assert_non_null(strstr(e.msg, "Allergen"));
	/* set by folio, never typed */
	clinical_item_init(it, CLIN_PROBLEM);
	assert_int_equal(clinical_set(it, PRF_RESOLVED, "2020-01-01", &e), FOLIO_EUSAGE);

	clinical_item_init(it, CLIN_RESULT);
	assert_string_equal(it->status, "new");
	set_ok(it, RF_TEST, "Hemoglobin A1c", "Hemoglobin A1c");
	/* the flag computed from the range when none is given */
	static const struct {
		const char *value, *range, *flag;
	} flags[] = { { "7.2", "4.0-5.6", "H" }, { "3.9", "4.0-5.6", "L" }, { "5.6", "4.0-5.6", "N" },
		      { "250", "<200", "H" }, { "45", ">60", "L" }, { "-3", "-2-2", "L" },
		      { "positive", "4.0-5.6", "" }, { "<0.01", "<0.5", "" } };
	for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
		set_ok(it, RF_VALUE, flags[i].value, flags[i].value);
		set_ok(it, RF_RANGE, flags[i].range, flags[i].range);
		set_ok(it, RF_FLAG, "", "");
		assert_int_equal(clinical_complete(it, &e), FOLIO_OK);
		assert_string_equal(it->v[RF_FLAG], flags[i].flag);
	}
	set_ok(it, RF_FLAG, "A", "A"); /* a flag given is kept */
	assert_int_equal(clinical_complete(it, &e), FOLIO_OK);
	assert_string_equal(it->v[RF_FLAG], "A");
	set_ok(it, RF_COLLECTED, "2026-01-02T10:00", "2026-01-02T10:00");
	set_ok(it, RF_REPORTED, "2026-01-02T09:00", "2026-01-02T09:00");
	assert_int_equal(clinical_complete(it, &e), FOLIO_EUSAGE); /* reported before collected */
	set_ok(it, RF_FLAG, "LL", "LL");
	set_ok(it, RF_REPORTED, "2026-01-02T11:00", "2026-01-02T11:00");
	assert_int_equal(clinical_complete(it, &e), FOLIO_OK);
	{
		char w[4][120];
		assert_int_equal(clinical_warnings(it, w, 4), 1);
		assert_non_null(strstr(w[0], "critical"));
	}

	clinical_item_init(it, CLIN_MED);
	set_ok(it, MF_DRUG, "metformin 500 mg", "metformin 500 mg");
	set_ok(it, MF_START, "2026-03-14", "2026-03-14");
	set_ok(it, MF_STOP, "3/1/2026", "2026-03-01");
	assert_int_equal(clinical_complete(it, &e), FOLIO_EUSAGE);
	assert_non_null(strstr(e.msg, "before the start"));
	set_ok(it, MF_STOP, "2099-01-01", "2099-01-01"); /* a planned stop may be ahead */
	assert_int_equal(clinical_complete(it, &e), FOLIO_OK);
	clinical_items_free(it, 1);
}

static void test_tables(void **state)
{
	(void)state;
	for (int k = 0; k < CLIN_SECTIONS; k++) {
		assert_int_equal(clinical_kind_parse(clinical_kind_command(k)), k);
		assert_int_equal(clinical_kind_parse(clinical_kind_name(k)), k);
		assert_true(clinical_field_count(k) <= CLIN_FIELDS_MAX);
		for (size_t i = 0; i < clinical_field_count(k); i++) {
			const struct clinical_field *f = clinical_field(k, i);
			assert_true(f->max < CLIN_VALUE_MAX);
			assert_int_equal(clinical_field_by_name(k, f->name), (int)i);
			if (f->option)
				assert_int_equal(clinical_field_by_option(k, f->option), (int)i);
			assert_true(f->help && f->help[0]);
		}
	}
	for (size_t i = 0; i < clinical_op_count(); i++) {
		const struct clinical_op *op = clinical_op_at(i);
		assert_ptr_equal(clinical_op_find(op->kind, op->verb), op);
	}
	assert_int_equal(clinical_kind_parse("med"), CLIN_MED);
	assert_int_equal(clinical_kind_parse("vital"), -1);
	assert_null(clinical_field(CLIN_VITALS, VF_COUNT));
}

/* ---- on a database ------------------------------------------------------ */

struct cfx {
	struct fixture *f;
	struct session *tech, *doctor, *desk;
	char mrn[MRN_MAX], other[MRN_MAX];
};

static void register_patient(struct session *s, const char *last, char mrn[MRN_MAX])
{
	struct patient *p = patient_new();
	struct folio_err e = { 0 };
	struct grant *g;

	assert_non_null(p);
	assert_int_equal(patient_set(p, PF_LAST, last, &e), FOLIO_OK);
	assert_int_equal(access_begin(s, ACT_PATIENT_ADD, NULL, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(access_end(g, patient_register(g, p, &e), &e), FOLIO_OK);
	str_copy(mrn, MRN_MAX, p->mrn);
	patient_free(p);
}

static int setup(void **state)
{
	struct cfx *x = calloc(1, sizeof *x);

	if (!x || !(x->f = fixture_new_demo()))
		return -1;
	x->tech = fixture_login(x->f->st, "tech", "demo-tech-pass");
	x->doctor = fixture_login(x->f->st, "doctor", "demo-doctor-pass");
	x->desk = fixture_login(x->f->st, "desk", "demo-desk-pass");
	register_patient(x->tech, "Clinicalson", x->mrn);
	register_patient(x->tech, "Otherby", x->other);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct cfx *x = *state;
	struct session *all[] = { x->tech, x->doctor, x->desk };

	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		access_logout(all[i]);
	fixture_free(x->f);
	free(x);
	return 0;
}

/* Adds item it for mrn as s; returns the status (the grant ended). */
static int add(struct session *s, const char *mrn, struct clinical_item *it, struct folio_err *e)
{
	struct grant *g;
	int rc = access_begin(s, ACT_CLINICAL_ENTER, mrn, "item", NULL, &g, e);

	return rc ? rc : access_end(g, clinical_add(g, it, e), e);
}

static int64_t add_allergy(struct cfx *x, const char *allergen, const char *severity)
{
	struct clinical_item *it = clinical_items_new(1);
	struct folio_err e = { 0 };
	int64_t id;

	clinical_item_init(it, CLIN_ALLERGY);
	set_ok(it, AF_ALLERGEN, allergen, allergen);
	if (severity)
		set_ok(it, AF_SEVERITY, severity, severity);
	assert_int_equal(add(x->doctor, x->mrn, it, &e), FOLIO_OK);
	id = it->id;
	clinical_items_free(it, 1);
	return id;
}

static int apply(struct session *s, const char *mrn, int section, const char *verb, int64_t id, int64_t version,
		 struct clinical_item *out, struct folio_err *e)
{
	struct grant *g;
	int rc = access_begin(s, ACT_CLINICAL_ENTER, mrn, "item", NULL, &g, e);

	return rc ? rc : access_end(g, clinical_apply(g, section, verb, id, version, out, e), e);
}

static size_t list(struct session *s, const char *mrn, int kind, struct clinical_item *rows, size_t max)
{
	struct folio_err e = { 0 };
	struct grant *g;
	size_t n = 0, total = 0;

	assert_int_equal(access_begin(s, ACT_CHART_VIEW, mrn, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(access_end(g, clinical_list(g, kind, rows, max, &n, &total, &e), &e), FOLIO_OK);
	assert_true(total >= n);
	return n;
}

static void banner(struct session *s, const char *mrn, char *out, size_t cap)
{
	struct folio_err e = { 0 };
	struct grant *g;

	assert_int_equal(access_begin(s, ACT_CHART_VIEW, mrn, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(access_end(g, clinical_allergy_banner(g, out, cap, NULL, &e), &e), FOLIO_OK);
}

static void test_add_list_change(void **state)
{
	struct cfx *x = *state;
	struct clinical_item *it = clinical_items_new(1), *rows = clinical_items_new(10);
	struct folio_err e = { 0 };
	char today[11];
	int64_t pid, mid, rid;

	date_format_days(date_today(), today);
	/* vitals: stored metric, listed newest first by the time taken */
	clinical_item_init(it, CLIN_VITALS);
	set_ok(it, VF_WEIGHT, "154lb", "69.9");
	set_ok(it, VF_TAKEN, "2026-01-01T08:00", "2026-01-01T08:00");
	assert_int_equal(add(x->tech, x->mrn, it, &e), FOLIO_OK);
	clinical_item_init(it, CLIN_VITALS);
	set_ok(it, VF_PULSE, "80", "80");
	set_ok(it, VF_TAKEN, "2025-12-31T08:00", "2025-12-31T08:00");
	assert_int_equal(add(x->tech, x->mrn, it, &e), FOLIO_OK);
	assert_int_equal(list(x->doctor, x->mrn, CLIN_VITALS, rows, 10), 2);
	assert_string_equal(rows[0].v[VF_WEIGHT], "69.9");
	assert_string_equal(rows[1].v[VF_PULSE], "80");
	assert_string_equal(rows[0].recorded_by, "tech");
	assert_int_equal(rows[0].row_version, 1);
	/* and the other patient has none */
	assert_int_equal(list(x->doctor, x->other, CLIN_VITALS, rows, 10), 0);

	/* a problem, resolved once; the second try on the same version is stale */
	clinical_item_init(it, CLIN_PROBLEM);
	set_ok(it, PRF_TEXT, "Type 2 diabetes", "Type 2 diabetes");
	set_ok(it, PRF_ICD, "E11.9", "E11.9");
	assert_int_equal(add(x->doctor, x->mrn, it, &e), FOLIO_OK);
	pid = it->id;
	assert_int_equal(apply(x->doctor, x->mrn, CLIN_PROBLEM, "resolve", pid, 1, it, &e), FOLIO_OK);
	assert_string_equal(it->status, "resolved");
	assert_string_equal(it->v[PRF_RESOLVED], today);
	assert_int_equal(it->row_version, 2);
	assert_int_equal(apply(x->tech, x->mrn, CLIN_PROBLEM, "inactivate", pid, 1, NULL, &e), FOLIO_ESTALE);
	assert_non_null(strstr(e.msg, "nothing was saved"));
	assert_int_equal(list(x->doctor, x->mrn, CLIN_PROBLEM, rows, 10), 1);
	assert_string_equal(rows[0].status, "resolved"); /* nothing lost, nothing half-saved */
	assert_int_equal(rows[0].row_version, 2);
	assert_string_equal(rows[0].v[PRF_TEXT], "Type 2 diabetes");
	/* a change that does not apply to the status, the kind or the chart */
	assert_int_equal(apply(x->doctor, x->mrn, CLIN_PROBLEM, "resolve", pid, 0, NULL, &e), FOLIO_EUSAGE);
	assert_int_equal(apply(x->doctor, x->mrn, CLIN_MED, "stop", pid, 0, NULL, &e), FOLIO_EUSAGE);
	assert_int_equal(apply(x->doctor, x->other, CLIN_PROBLEM, "inactivate", pid, 0, NULL, &e),
			 FOLIO_ENOTFOUND);
	assert_int_equal(apply(x->doctor, x->mrn, CLIN_PROBLEM, "fly", pid, 0, NULL, &e), FOLIO_EUSAGE);

	/* a medication stopped today; a prescriber must be a user */
	clinical_item_init(it, CLIN_MED);
	set_ok(it, MF_DRUG, "lisinopril 10 mg", "lisinopril 10 mg");
	set_ok(it, MF_PRESCRIBER, "nobody", "nobody");
	assert_int_equal(add(x->doctor, x->mrn, it, &e), FOLIO_EUSAGE);
	set_ok(it, MF_PRESCRIBER, "doctor", "doctor");
	set_ok(it, MF_STOP, "2099-12-31", "2099-12-31");
	assert_int_equal(add(x->doctor, x->mrn, it, &e), FOLIO_OK);
	mid = it->id;
	assert_int_equal(apply(x->doctor, x->mrn, CLIN_MED, "stop", mid, 0, it, &e), FOLIO_OK);
	assert_string_equal(it->status, "stopped");
	assert_string_equal(it->v[MF_STOP], today); /* the planned stop became today's */

	/* a result reviewed by the doctor */
	clinical_item_init(it, CLIN_RESULT);
	set_ok(it, RF_TEST, "Potassium", "Potassium");
	set_ok(it, RF_VALUE, "5.9", "5.9");
	set_ok(it, RF_RANGE, "3.5-5.1", "3.5-5.1");
	assert_int_equal(add(x->tech, x->mrn, it, &e), FOLIO_OK);
	rid = it->id;
	assert_string_equal(it->v[RF_FLAG], "H");
	assert_int_equal(apply(x->doctor, x->mrn, CLIN_RESULT, "review", rid, 1, it, &e), FOLIO_OK);
	assert_string_equal(it->v[RF_REVIEWED_BY], "doctor");
	assert_int_equal(strncmp(it->v[RF_REVIEWED_AT], today, 10), 0);
	assert_int_equal(list(x->tech, x->mrn, CLIN_RESULT, rows, 10), 1);
	assert_string_equal(rows[0].status, "reviewed");
	assert_string_equal(rows[0].v[RF_REVIEWED_BY], "doctor");
	assert_string_equal(rows[0].v[RF_VALUE], "5.9");

	/* an encounter of another patient is refused */
	clinical_item_init(it, CLIN_VITALS);
	set_ok(it, VF_PULSE, "70", "70");
	it->encounter_id = 999;
	assert_int_equal(add(x->tech, x->mrn, it, &e), FOLIO_EUSAGE);
	clinical_items_free(it, 1);
	clinical_items_free(rows, 10);
}

static void test_nka_banner(void **state)
{
	struct cfx *x = *state;
	struct clinical_item *rows = clinical_items_new(10);
	struct folio_err e = { 0 };
	struct grant *g;
	char b[256], want[128], today[11];
	int64_t nka = 0, pen, lat;

	date_format_days(date_today(), today);
	banner(x->tech, x->mrn, b, sizeof b);
	assert_string_equal(b, "Allergies not assessed");
	assert_int_equal(access_begin(x->doctor, ACT_CLINICAL_ENTER, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(access_end(g, clinical_nka(g, &nka, &e), &e), FOLIO_OK);
	banner(x->tech, x->mrn, b, sizeof b);
	snprintf(want, sizeof want, "No known allergies (NKA, by doctor %s)", today);
	assert_string_equal(b, want);
	/* an active allergy supersedes the assertion */
	pen = add_allergy(x, "Penicillin", "severe");
	lat = add_allergy(x, "latex", NULL);
	banner(x->tech, x->mrn, b, sizeof b);
	assert_non_null(strstr(b, "ALLERGIES: "));
	assert_non_null(strstr(b, "PENICILLIN (severe)"));
	assert_non_null(strstr(b, "LATEX"));
	assert_int_equal(list(x->tech, x->mrn, CLIN_ALLERGY, rows, 10), 3);
	for (int i = 0; i < 3; i++)
		if (rows[i].id == nka) {
			assert_int_equal(rows[i].kind, CLIN_NKA);
			assert_string_equal(rows[i].status, "superseded");
		}
	/* NKA is refused while allergies are active */
	assert_int_equal(access_begin(x->doctor, ACT_CLINICAL_ENTER, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(access_end(g, clinical_nka(g, &nka, &e), &e), FOLIO_EUSAGE);
	assert_int_equal(apply(x->doctor, x->mrn, CLIN_ALLERGY, "error", pen, 0, NULL, &e), FOLIO_OK);
	banner(x->tech, x->mrn, b, sizeof b);
	assert_string_equal(b, "ALLERGIES: LATEX");
	assert_int_equal(apply(x->doctor, x->mrn, CLIN_ALLERGY, "inactivate", lat, 0, NULL, &e), FOLIO_OK);
	banner(x->tech, x->mrn, b, sizeof b);
	assert_string_equal(b, "Allergies not assessed"); /* the old NKA stays superseded */
	/* a banner too long for its buffer ends in "..." */
	add_allergy(x, "a very long allergen name that goes on", "mild");
	banner(x->tech, x->mrn, b, 24);
	assert_int_equal(strlen(b), 23);
	assert_string_equal(b + 20, "...");
	clinical_items_free(rows, 10);
}

/* The stored body of item id, read behind the library (incremental blob
 * I/O: the row id is the item id). */
static size_t stored_body(struct cfx *x, int64_t id, uint8_t *out, size_t cap)
{
	sqlite3 *db;
	sqlite3_blob *b;
	size_t n;

	assert_int_equal(sqlite3_open_v2(x->f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_blob_open(db, "main", "clinical_items", "body", id, 0, &b), SQLITE_OK);
	n = (size_t)sqlite3_blob_bytes(b);
	assert_true(n <= cap);
	assert_int_equal(sqlite3_blob_read(b, out, (int)n, 0), SQLITE_OK);
	sqlite3_blob_close(b);
	sqlite3_close(db);
	return n;
}

static void test_sealed(void **state)
{
	struct cfx *x = *state;
	struct clinical_item *it = clinical_items_new(1);
	struct folio_err e = { 0 };
	struct grant *g;
	uint8_t env[4096];
	char pt[4096], ad[64];
	size_t n, len;
	int64_t a = add_allergy(x, "Sulfamethoxazole", "moderate"), b = add_allergy(x, "Shellfish", NULL);

	n = stored_body(x, a, env, sizeof env);
	assert_false(fixture_bytes_contain(env, n, "Sulfa", 5));
	assert_false(fixture_bytes_contain(env, n, "moderate", 8));
	/* sealed under the clinical key, bound to its row */
	assert_int_equal(access_begin(x->doctor, ACT_CHART_VIEW, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	field_ad(ad, sizeof ad, "clinical_items", "body", a);
	assert_int_equal(field_open(grant_keys(g), ad, env, n, pt, sizeof pt, &len, &e), FOLIO_OK);
	assert_true(fixture_bytes_contain(pt, len, "Sulfamethoxazole", 16));
	access_end(g, FOLIO_OK, &e);
	{
		enum key_class c;
		uint32_t v;
		assert_int_equal(field_header(env, n, &c, &v), 0);
		assert_int_equal(c, KC_CLINICAL);
	}
	/* the front desk holds no clinical key: even past the policy the body
	 * does not open */
	assert_int_equal(access_begin(x->desk, ACT_PATIENT_VIEW, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(field_open(grant_keys(g), ad, env, n, pt, sizeof pt, &len, &e), FOLIO_EDENIED);
	/* and a clinical call under another action's grant is refused */
	assert_int_equal(clinical_get(g, a, it, &e), FOLIO_EDENIED);
	clinical_item_init(it, CLIN_VITALS);
	set_ok(it, VF_PULSE, "70", "70");
	assert_int_equal(clinical_add(g, it, &e), FOLIO_EDENIED);
	access_end(g, FOLIO_OK, &e);
	/* the policy denies the front desk both, audited */
	assert_int_equal(access_begin(x->desk, ACT_CHART_VIEW, x->mrn, NULL, NULL, &g, &e), FOLIO_EDENIED);
	assert_int_equal(access_begin(x->desk, ACT_CLINICAL_ENTER, x->mrn, NULL, NULL, &g, &e), FOLIO_EDENIED);
	assert_true(fixture_audit_count(x->f, 0, "desk", "clinical.enter", "denied") >= 1);
	/* a body copied onto another row does not open there */
	fixture_sqlf(x->f, "UPDATE clinical_items SET body = (SELECT body FROM clinical_items WHERE id = %lld)"
			   " WHERE id = %lld", (long long)a, (long long)b);
	assert_int_equal(access_begin(x->doctor, ACT_CHART_VIEW, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(clinical_get(g, a, it, &e), FOLIO_OK);
	assert_string_equal(it->v[AF_ALLERGEN], "Sulfamethoxazole");
	assert_int_not_equal(clinical_get(g, b, it, &e), FOLIO_OK);
	access_end(g, FOLIO_OK, &e);
	clinical_items_free(it, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loinc),
		cmocka_unit_test(test_icd),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_tables),
		cmocka_unit_test_setup_teardown(test_add_list_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nka_banner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sealed, setup, teardown),
	};

	if (smem_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
