/* folio — unit tests: the Safe Harbor transformations and CSV quoting of
 * the de-identified extract (src/interop/deid.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "folio/deid.h"

static void test_year(void **state)
{
	char y[5];

	(void)state;
	assert_int_equal(deid_year("1962-03-14", y), 1962);
	assert_string_equal(y, "1962");
	assert_int_equal(deid_year("2024-02-29T23:59:59Z", y), 2024);
	assert_string_equal(y, "2024");
	assert_int_equal(deid_year("1999", y), 1999);
	assert_int_equal(deid_year("3/14/1962", y), -1);
	assert_string_equal(y, "");
	assert_int_equal(deid_year("", y), -1);
	assert_int_equal(deid_year(NULL, y), -1);
	assert_int_equal(deid_year("19621", y), -1);
}

static void test_age(void **state)
{
	(void)state;
	assert_int_equal(deid_age("1962-03-14", "2026-03-13"), 63);
	assert_int_equal(deid_age("1962-03-14", "2026-03-14"), 64);
	/* leap-day births: the birthday comes on 1 March in a common year */
	assert_int_equal(deid_age("2000-02-29", "2021-02-28"), 20);
	assert_int_equal(deid_age("2000-02-29", "2021-03-01"), 21);
	assert_int_equal(deid_age("2000-02-29", "2024-02-29"), 24);
	assert_int_equal(deid_age("2000-02-29", "2024-02-28"), 23);
	assert_int_equal(deid_age("2026-01-01", "2025-12-31"), -1);
	assert_int_equal(deid_age("", "2025-12-31"), -1);
	assert_int_equal(deid_age("1962-13-01", "2025-12-31"), -1);
	assert_int_equal(deid_age("1962-03-14", "2026-03-14T10:00:00Z"), 64);
}

static void test_age_text(void **state)
{
	char a[8];

	(void)state;
	deid_age_text(89, a);
	assert_string_equal(a, "89");
	deid_age_text(90, a);
	assert_string_equal(a, "90+");
	deid_age_text(117, a);
	assert_string_equal(a, "90+");
	deid_age_text(0, a);
	assert_string_equal(a, "0");
	deid_age_text(-1, a);
	assert_string_equal(a, "");
	/* 89 the day before the 90th birthday, 90+ on it */
	deid_age_text(deid_age("1936-06-15", "2026-06-14"), a);
	assert_string_equal(a, "89");
	deid_age_text(deid_age("1936-06-15", "2026-06-15"), a);
	assert_string_equal(a, "90+");
}

static void test_zip3(void **state)
{
	static const char *const restricted[] = { "036", "059", "063", "102", "203", "556", "692", "790", "821",
						  "823", "830", "831", "878", "879", "884", "890", "893" };
	char z[4], zip[6];

	(void)state;
	deid_zip3("02134", z);
	assert_string_equal(z, "021");
	deid_zip3("02134-1234", z);
	assert_string_equal(z, "021");
	deid_zip3("021341234", z);
	assert_string_equal(z, "021");
	for (size_t i = 0; i < sizeof restricted / sizeof restricted[0]; i++) {
		snprintf(zip, sizeof zip, "%s01", restricted[i]);
		deid_zip3(zip, z);
		assert_string_equal(z, "000");
		assert_int_equal(deid_zip3_restricted(restricted[i]), 1);
	}
	/* neighbours of restricted areas stay */
	deid_zip3("03701", z);
	assert_string_equal(z, "037");
	deid_zip3("82201", z);
	assert_string_equal(z, "822");
	assert_int_equal(deid_zip3_restricted("000"), 0);
	/* short, long and odd ZIPs give nothing */
	const char *odd[] = { "", "021", "0213", "021345", "0213a", "02134-12", "02134 1234", "ABCDE", "02134-",
			      "0213412345" };
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		deid_zip3(odd[i], z);
		assert_string_equal(z, "");
	}
	deid_zip3(NULL, z);
	assert_string_equal(z, "");
}

static void test_numeric(void **state)
{
	(void)state;
	assert_true(deid_numeric("7.2"));
	assert_true(deid_numeric("-1"));
	assert_true(deid_numeric("<0.01"));
	assert_true(deid_numeric(">=60"));
	assert_true(deid_numeric("120/80"));
	assert_false(deid_numeric("positive"));
	assert_false(deid_numeric("7.2 see note"));
	assert_false(deid_numeric(""));
	assert_false(deid_numeric("."));
	assert_false(deid_numeric(NULL));
}

static void test_csv_quote(void **state)
{
	/* commas, quotes, LF and CR force quoting; inner quotes are doubled */
	static const char *const cases[][2] = {
		{ "a,b", "\"a,b\"" },           { "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "two\nlines", "\"two\nlines\"" }, { "cr\rhere", "\"cr\rhere\"" },
		{ "\"", "\"\"\"\"" },             { "", "" },
		{ "no comma; here", "no comma; here" },
	};
	char out[64];

	(void)state;
	assert_int_equal(deid_csv_quote("plain", out, sizeof out), 5);
	assert_string_equal(out, "plain");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		deid_csv_quote(cases[i][0], out, sizeof out);
		assert_string_equal(out, cases[i][1]);
	}
	deid_csv_quote(NULL, out, sizeof out);
	assert_string_equal(out, "");
	/* too long: refused, not cut */
	assert_int_equal(deid_csv_quote("a,bcdefgh", out, 8), 8);
	assert_string_equal(out, "");
}

static void test_csv_row(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *row[] = { "a", "b,c", NULL, "d\"e" };

	(void)state;
	assert_non_null(f);
	assert_int_equal(deid_csv_row(f, row, 4), 0);
	fclose(f);
	assert_string_equal(buf, "a,\"b,c\",,\"d\"\"e\"\r\n");
	free(buf);
}

static void test_file_names(void **state)
{
	(void)state;
	assert_string_equal(deid_file_name(DEID_PATIENTS), "patients.csv");
	assert_string_equal(deid_file_name(DEID_RESULTS), "results.csv");
	assert_string_equal(deid_file_name(DEID_FILES), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_year),       cmocka_unit_test(test_age),
		cmocka_unit_test(test_age_text),   cmocka_unit_test(test_zip3),
		cmocka_unit_test(test_numeric),    cmocka_unit_test(test_csv_quote),
		cmocka_unit_test(test_csv_row),    cmocka_unit_test(test_file_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
