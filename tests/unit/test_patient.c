/* folio — unit tests: patient records (fields, MRNs, dates, the consistency
 * check) and hostile input: every string of the Big List of Naughty Strings
 * as a name, an address and a lookup is stored and read back byte for byte
 * or refused with a message, and nothing half-saves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "folio/account.h"
#include "folio/date.h"
#include "folio/patient.h"
#include "folio/smem.h"
#include "unit_fixture.h"

#define BLNS "../shared/testdata/patient_matching/naughty_strings/blns.txt"
#define TECH_PW "records tech password"

static void test_mrn(void **state)
{
	char m[MRN_MAX], bad[MRN_MAX];

	(void)state;
	mrn_format(1000001, m);
	assert_int_equal(strlen(m), 8);
	assert_int_equal(mrn_valid(m), 0);
	/* every single-digit slip and every adjacent swap of unequal digits is caught */
	for (int i = 0; i < 8; i++)
		for (char d = '0'; d <= '9'; d++) {
			if (d == m[i])
				continue;
			memcpy(bad, m, sizeof bad);
			bad[i] = d;
			assert_int_not_equal(mrn_valid(bad), 0);
		}
	for (int i = 0; i < 6; i++) {
		memcpy(bad, m, sizeof bad);
		if (bad[i] == bad[i + 1] || (bad[i] == '0' && bad[i + 1] == '9') || (bad[i] == '9' && bad[i + 1] == '0'))
			continue;
		bad[i] = m[i + 1];
		bad[i + 1] = m[i];
		assert_int_not_equal(mrn_valid(bad), 0);
	}
	assert_int_not_equal(mrn_valid("1234567"), 0);
	assert_int_not_equal(mrn_valid("1234567a"), 0);
	assert_int_not_equal(mrn_valid(""), 0);
}

static void test_dates(void **state)
{
	static const struct {
		const char *in, *out;
	} ok[] = {
		{ "1962-03-14", "1962-03-14" }, { "3/14/1962", "1962-03-14" }, { "14 MAR 1962", "1962-03-14" },
		{ "14-mar-1962", "1962-03-14" }, { "MAR 14 1962", "1962-03-14" }, { "19620314", "1962-03-14" },
		{ "2/29/2000", "2000-02-29" }, { "T", "2026-11-24" }, { "T-1", "2026-11-23" },
		{ "T+1W", "2026-12-01" }, { "T-1M", "2026-10-24" }, { "t-1y", "2025-11-24" },
		{ "3/14/62", "1962-03-14" }, { "1/1/26", "2026-01-01" }, { "1969-12-31", "1969-12-31" },
	};
	static const char *const bad[] = { "", "2/30/2000", "2/29/1900", "13/1/2000", "1962-03-14x", "T-", "T+1Q",
					   "yesterday", "14 FOO 1962", "1/2", "1/2/3/4", "99999999",
					   "T-083333" /* fuzz finding: 1798 */ };
	int64_t today = date_days(2026, 11, 24);
	struct folio_err e;
	char out[11];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		assert_int_equal(date_parse(ok[i].in, today, out, &e), FOLIO_OK);
		assert_string_equal(out, ok[i].out);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(date_parse(bad[i], today, out, &e), FOLIO_EUSAGE);
	/* day numbers round-trip across the epoch */
	for (int64_t d = -40000; d < 40000; d += 97) {
		char t[11];
		int y, m, dd;
		date_format_days(d, t);
		assert_int_equal(sscanf(t, "%d-%d-%d", &y, &m, &dd), 3);
		assert_int_equal(date_days(y, m, dd), d);
	}
}

static void test_fields_and_check(void **state)
{
	struct patient *p = patient_new();
	struct folio_err e;
	char w[12][120];
	int n;

	(void)state;
	assert_non_null(p);
	n = patient_check(p, w, 12);
	assert_true(n >= 3); /* no last, first, DOB ... */
	assert_int_equal(patient_set(p, PF_LAST, "  O'Brien-Muñoz ", &e), FOLIO_OK);
	assert_string_equal(p->v[PF_LAST], "O'Brien-Muñoz");
	assert_int_equal(patient_set(p, PF_SEX, "f", &e), FOLIO_OK);
	assert_string_equal(p->v[PF_SEX], "F");
	assert_int_equal(patient_set(p, PF_SEX, "female", &e), FOLIO_EUSAGE);
	assert_string_equal(p->v[PF_SEX], "F"); /* a refused value changes nothing */
	assert_int_equal(patient_set(p, PF_SSN, "987654321", &e), FOLIO_OK);
	assert_string_equal(p->v[PF_SSN], "987-65-4321");
	assert_int_equal(patient_set(p, PF_DOB, "2100-01-01", &e), FOLIO_OK);
	n = patient_check(p, w, 12);
	{
		int future = 0;
		for (int i = 0; i < n; i++)
			future |= strstr(w[i], "future") != NULL;
		assert_true(future);
	}
	assert_int_equal(patient_set(p, PF_DOB, "1850-01-01", &e), FOLIO_OK);
	n = patient_check(p, w, 12);
	{
		int old = 0;
		for (int i = 0; i < n; i++)
			old |= strstr(w[i], "over 120") != NULL;
		assert_true(old);
	}
	assert_int_equal(patient_set(p, PF_ZIP, "0213", &e), FOLIO_OK);
	assert_int_equal(patient_set(p, PF_PHONE, "555-1234", &e), FOLIO_OK);
	n = patient_check(p, w, 12);
	{
		int zip = 0, phone = 0;
		for (int i = 0; i < n; i++) {
			zip |= strstr(w[i], "ZIP") != NULL;
			phone |= strstr(w[i], "10 digits") != NULL;
		}
		assert_true(zip && phone);
	}
	assert_int_equal(patient_set(p, PF_PHONE, "call me", &e), FOLIO_EUSAGE);
	assert_int_equal(patient_set(p, PF_STATE, "Mass", &e), FOLIO_EUSAGE);
	assert_int_equal(patient_set(p, PF_LAST, "a\nb", &e), FOLIO_EUSAGE);
	assert_int_equal(patient_set(p, PF_LAST, "\xff\xfe", &e), FOLIO_EUSAGE);
	{
		char big[200];
		memset(big, 'x', sizeof big - 1);
		big[sizeof big - 1] = '\0';
		assert_int_equal(patient_set(p, PF_LAST, big, &e), FOLIO_EUSAGE);
	}
	assert_string_equal(p->v[PF_LAST], "O'Brien-Muñoz");
	patient_free(p);
}

struct pfx {
	struct fixture *f;
	struct session *tech;
};

static int pfx_setup(void **state)
{
	struct pfx *x = calloc(1, sizeof *x);

	if (fixture_setup_admin((void **)&x->f) != 0)
		return -1;
	fixture_user_add(x->f->admin, "tech", ROLE_TECHNICIAN, TECH_PW);
	x->tech = fixture_login(x->f->st, "tech", TECH_PW);
	*state = x;
	return 0;
}

static int pfx_teardown(void **state)
{
	struct pfx *x = *state;
	void *f = x->f;

	access_logout(x->tech);
	fixture_teardown_db(&f);
	free(x);
	return 0;
}

/* Registers one patient with value in field f; returns FOLIO_OK with the
 * MRN, or the refusal. */
static int reg(struct session *s, enum patient_field f, const char *value, char mrn[MRN_MAX])
{
	struct patient *p = patient_new();
	struct folio_err e;
	struct grant *g;
	int rc;

	assert_non_null(p);
	patient_set(p, PF_LAST, "Naughty", &e);
	rc = patient_set(p, f, value, &e);
	if (rc == FOLIO_OK) {
		assert_int_equal(access_begin(s, ACT_PATIENT_ADD, NULL, NULL, NULL, &g, &e), FOLIO_OK);
		rc = access_end(g, patient_register(g, p, &e), &e);
		if (rc == FOLIO_OK)
			str_copy(mrn, MRN_MAX, p->mrn);
	} else {
		assert_true(strlen(e.msg) > 0); /* a refusal says why */
	}
	patient_free(p);
	return rc;
}

static void test_naughty_strings(void **state)
{
	struct pfx *x = *state;
	FILE *in = fopen(BLNS, "r");
	char line[4096], mrn[MRN_MAX];
	int stored = 0, refused = 0, lines = 0;
	int64_t before;

	if (!in) {
		print_message("skipped: %s not found\n", BLNS);
		skip();
	}
	while (fgets(line, sizeof line, in)) {
		size_t n = strlen(line);
		struct patient *back;
		struct folio_err e;
		struct grant *g;

		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		lines++;
		before = fixture_sql_int(x->f, "SELECT count(*) FROM patients");
		if (reg(x->tech, PF_ADDRESS, line, mrn) != FOLIO_OK) {
			/* refused: nothing was saved */
			assert_int_equal(fixture_sql_int(x->f, "SELECT count(*) FROM patients"), before);
			refused++;
		} else {
			stored++;
			back = patient_new();
			assert_int_equal(access_begin(x->tech, ACT_PATIENT_VIEW, mrn, NULL, NULL, &g, &e), FOLIO_OK);
			assert_int_equal(access_end(g, patient_load(g, back, &e), &e), FOLIO_OK);
			{
				/* stored values are trimmed of outer blanks; the rest is byte for byte */
				const char *v = line;
				size_t k = n;
				while (k && (v[k - 1] == ' ' || v[k - 1] == '\t'))
					k--;
				while (k && (*v == ' ' || *v == '\t')) {
					v++;
					k--;
				}
				assert_int_equal(strlen(back->v[PF_ADDRESS]), k);
				assert_memory_equal(back->v[PF_ADDRESS], v, k);
			}
			patient_free(back);
		}
		/* the same string as a surname and as a lookup: no crash, a clear answer */
		(void)reg(x->tech, PF_LAST, line, mrn);
		{
			struct patient_hit *h = patient_hits_new(10);
			size_t hn = 0, total = 0;
			assert_int_equal(access_begin(x->tech, ACT_PATIENT_FIND, NULL, NULL, NULL, &g, &e), FOLIO_OK);
			e.msg[0] = '\0';
			int rc = patient_find(g, line, h, 10, &hn, &total, &e);
			access_end(g, FOLIO_OK, &e);
			assert_true(rc == FOLIO_OK || (rc == FOLIO_EUSAGE && e.msg[0]));
			patient_hits_free(h, 10);
		}
	}
	fclose(in);
	print_message("naughty strings: %d lines, %d stored and read back, %d refused\n", lines, stored, refused);
	assert_true(lines > 500);
	assert_true(stored > lines / 2);
	assert_int_equal(fixture_sql_int(x->f, "PRAGMA integrity_check") == -1, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mrn),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_fields_and_check),
		cmocka_unit_test_setup_teardown(test_naughty_strings, pfx_setup, pfx_teardown),
	};

	if (smem_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
