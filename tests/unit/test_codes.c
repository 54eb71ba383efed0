/* folio — unit tests of the code sets (include/folio/codes.h): the
 * order-file, POA and weights line parsers at their edges; code text
 * (normalize, dotted form, fiscal year of a date); the search index on
 * fabricated rows (code with or without the dot in any case, prefixes,
 * words in any order, the ranking, a header's children); and a load of a
 * small directory through grants: what is stored, a second load that
 * changes nothing, a malformed file that leaves the stored sets as they
 * were, and the reads (one code, POA-exempt, DRG weights, the index). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "folio/codes.h"
#include "folio/smem.h"
#include "unit_fixture.h"

/* One order-file line in the CMS fixed-width layout (no line end). */
static const char *order_line(char *buf, size_t cap, int ord, const char *code, char flag, const char *sd,
			      const char *ld)
{
	snprintf(buf, cap, "%05d %-7s %c %-60s %s", ord, code, flag, sd, ld);
	return buf;
}

static int parse(enum codes_system sys, const char *line, struct codes_row *r, struct folio_err *e)
{
	return codes_order_line(sys, line, strlen(line), r, e);
}

/* The line is refused with a message containing want. */
static void refused(enum codes_system sys, const char *line, const char *want)
{
	struct codes_row r;
	struct folio_err e = { 0 };

	if (parse(sys, line, &r, &e) == FOLIO_OK)
		fail_msg("accepted: '%s'", line);
	if (!strstr(e.msg, want))
		fail_msg("'%s' refused with '%s', wanted '%s'", line, e.msg, want);
}

static void test_order_line(void **state)
{
	char b[512], b2[512];
	struct codes_row r;
	struct folio_err e = { 0 };

	(void)state;
	assert_int_equal(parse(CODES_ICD10CM, order_line(b, sizeof b, 2, "A000", '1',
		"Cholera due to Vibrio cholerae 01, biovar cholerae", "Cholera due to Vibrio cholerae 01, biovar cholerae"),
		&r, &e), FOLIO_OK);
	assert_string_equal(r.code, "A000");
	assert_int_equal(r.order, 2);
	assert_int_equal(r.billable, 1);
	assert_int_equal(r.short_len, strlen("Cholera due to Vibrio cholerae 01, biovar cholerae"));
	assert_memory_equal(r.long_desc, "Cholera due to Vibrio cholerae 01, biovar cholerae", r.long_len);
	/* a header, trailing blanks trimmed from the long description */
	snprintf(b2, sizeof b2, "%s   ", order_line(b, sizeof b, 1, "A00", '0', "Cholera", "Cholera"));
	assert_int_equal(parse(CODES_ICD10CM, b2, &r, &e), FOLIO_OK);
	assert_int_equal(r.billable, 0);
	assert_int_equal(r.long_len, 7);
	/* a 7-character code fills columns 7-13 */
	assert_int_equal(parse(CODES_ICD10CM, order_line(b, sizeof b, 9, "S72001A", '1', "Fx right femur",
							 "Fracture of unspecified part of neck of right femur"), &r, &e), FOLIO_OK);
	assert_string_equal(r.code, "S72001A");
	/* PCS: 7 characters valid, 3 a header */
	assert_int_equal(parse(CODES_ICD10PCS, order_line(b, sizeof b, 2, "0016070", '1', "Bypass",
							  "Bypass Cerebral Ventricle"), &r, &e), FOLIO_OK);
	assert_int_equal(parse(CODES_ICD10PCS, order_line(b, sizeof b, 1, "001", '0', "CNS, Bypass", "CNS, Bypass"),
			       &r, &e), FOLIO_OK);
	/* valid UTF-8 is text */
	assert_int_equal(parse(CODES_ICD10CM, order_line(b, sizeof b, 3, "B001", '1', "Caf\xc3\xa9 au lait",
							 "Caf\xc3\xa9 au lait spots"), &r, &e), FOLIO_OK);

	refused(CODES_ICD10CM, "00001 A00     0 Cholera", "too short");
	refused(CODES_ICD10CM, "", "too short");
	refused(CODES_ICD10CM, order_line(b, sizeof b, 1, "A00", '2', "Cholera", "Cholera"), "column 15");
	refused(CODES_ICD10CM, order_line(b, sizeof b, 1, "A00", ' ', "Cholera", "Cholera"), "column 15");
	refused(CODES_ICD10CM, order_line(b, sizeof b, 1, "a00", '0', "Cholera", "Cholera"), "upper-case");
	refused(CODES_ICD10CM, order_line(b, sizeof b, 1, "A0", '0', "Cholera", "Cholera"), "not an ICD-10-CM");
	refused(CODES_ICD10CM, order_line(b, sizeof b, 1, "100", '0', "Cholera", "Cholera"), "a letter first");
	refused(CODES_ICD10CM, order_line(b, sizeof b, 1, "A0 1", '0', "Cholera", "Cholera"), "blank");
	refused(CODES_ICD10CM, order_line(b, sizeof b, 1, "A0.1", '0', "Cholera", "Cholera"), "upper-case");
	refused(CODES_ICD10CM, order_line(b, sizeof b, 1, "", '0', "Cholera", "Cholera"), "no code");
	refused(CODES_ICD10CM, order_line(b, sizeof b, 1, "A00", '0', "", "Cholera"), "short description");
	refused(CODES_ICD10CM, order_line(b, sizeof b, 1, "A00", '0', "Cholera", "    "), "long description");
	refused(CODES_ICD10CM, order_line(b, sizeof b, 1, "A00", '0', "Chol\tera", "Cholera"), "control");
	refused(CODES_ICD10CM, order_line(b, sizeof b, 1, "A00", '0', "Cholera", "Chol\xff" "era"), "UTF-8");
	refused(CODES_ICD10CM, order_line(b, sizeof b, 1, "A00", '0', "Cholera", "Chol\xc3"), "UTF-8");
	refused(CODES_ICD10PCS, order_line(b, sizeof b, 1, "0016", '1', "Bypass", "Bypass"), "not an ICD-10-PCS");
	refused(CODES_ICD10PCS, order_line(b, sizeof b, 1, "0016070", '0', "Bypass", "Bypass"), "marked a header");
	refused(CODES_ICD10PCS, order_line(b, sizeof b, 1, "001", '1', "Bypass", "Bypass"), "marked valid");
	/* the order number and the fixed columns */
	memcpy(b, order_line(b2, sizeof b2, 1, "A00", '0', "Cholera", "Cholera"), strlen(b2) + 1);
	b[2] = 'x';
	refused(CODES_ICD10CM, b, "order number");
	memcpy(b, b2, strlen(b2) + 1);
	b[5] = '-';
	refused(CODES_ICD10CM, b, "blank");
	memcpy(b, b2, strlen(b2) + 1);
	b[76] = 'x'; /* the short description runs into the long one */
	refused(CODES_ICD10CM, b, "blank");
	{
		char longd[CODES_LONG_MAX + 10];
		memset(longd, 'x', sizeof longd - 1);
		longd[sizeof longd - 1] = '\0';
		refused(CODES_ICD10CM, order_line(b, sizeof b, 1, "A00", '0', "Cholera", longd), "longer than");
	}
}

static void test_poa_and_weights_lines(void **state)
{
	char code[CODES_CODE_MAX];
	struct codes_weight w;
	struct folio_err e = { 0 };
	const char *l;

	(void)state;
	l = "Order26\tPOAexemptCode\tDescription";
	assert_int_equal(codes_poa_line(l, strlen(l), code, &e), FOLIO_OK);
	assert_string_equal(code, "");
	l = "01238\tB90.0\tSequelae of central nervous system tuberculosis";
	assert_int_equal(codes_poa_line(l, strlen(l), code, &e), FOLIO_OK);
	assert_string_equal(code, "B900");
	l = "01238\tZ99\tDependence";
	assert_int_equal(codes_poa_line(l, strlen(l), code, &e), FOLIO_OK);
	assert_string_equal(code, "Z99");
	l = "01238\tB90.0";
	assert_int_not_equal(codes_poa_line(l, strlen(l), code, &e), FOLIO_OK);
	l = "01238\tB9.00\tSequelae";
	assert_int_not_equal(codes_poa_line(l, strlen(l), code, &e), FOLIO_OK);
	l = "01238\tb90.0\tSequelae";
	assert_int_not_equal(codes_poa_line(l, strlen(l), code, &e), FOLIO_OK);
	l = "x1238\tB90.0\tSequelae";
	assert_int_not_equal(codes_poa_line(l, strlen(l), code, &e), FOLIO_OK);
	l = "01238\tB90.0\t";
	assert_int_not_equal(codes_poa_line(l, strlen(l), code, &e), FOLIO_OK);
	l = "01238\tB90.0123456\tSequelae";
	assert_int_not_equal(codes_poa_line(l, strlen(l), code, &e), FOLIO_OK);
	assert_string_equal(code, "");

	l = "drg\tweight\tgmlos\tamlos";
	assert_int_equal(codes_weight_line(l, strlen(l), &w, &e), FOLIO_OK);
	assert_int_equal(w.drg, 0);
	l = "# IPPS FY2026 Table 5";
	assert_int_equal(codes_weight_line(l, strlen(l), &w, &e), FOLIO_OK);
	assert_int_equal(w.drg, 0);
	assert_int_equal(codes_weight_line("", 0, &w, &e), FOLIO_OK);
	assert_int_equal(w.drg, 0);
	l = "291\t1.2345\t3.9\t4.8";
	assert_int_equal(codes_weight_line(l, strlen(l), &w, &e), FOLIO_OK);
	assert_int_equal(w.drg, 291);
	assert_true(w.weight > 1.23449 && w.weight < 1.23451);
	assert_true(w.gmlos > 3.89 && w.amlos < 4.81);
	const char *bad[] = { "0\t1.0\t1\t1", "1000\t1.0\t1\t1", "291\t0\t1\t1", "291\t-1\t1\t1", "291\t1.0\t1",
			      "291\t1.0\t1\t1\t1", "291\tabc\t1\t1", "29x\t1.0\t1\t1", "291\t1.0\t1\t5000",
			      "291\t1e3\t1\t1", "291\t.5\t1\t1", "291\tnan\t1\t1" };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (codes_weight_line(bad[i], strlen(bad[i]), &w, &e) == FOLIO_OK)
			fail_msg("weights line accepted: '%s'", bad[i]);
}

static void test_code_text(void **state)
{
	char c[CODES_CODE_MAX], d[CODES_DOTTED_MAX];

	(void)state;
	assert_int_equal(codes_normalize("i21.01", c), 0);
	assert_string_equal(c, "I2101");
	assert_int_equal(codes_normalize("  I2101 ", c), 0);
	assert_string_equal(c, "I2101");
	assert_int_equal(codes_normalize("s72.001a", c), 0);
	assert_string_equal(c, "S72001A");
	assert_int_equal(codes_normalize("", c), -1);
	assert_int_equal(codes_normalize(".", c), -1);
	assert_int_equal(codes_normalize("I21 01", c), -1);
	assert_int_equal(codes_normalize("I21-01", c), -1);
	assert_int_equal(codes_normalize("S72001AB", c), -1);
	codes_format(CODES_ICD10CM, "I2101", d);
	assert_string_equal(d, "I21.01");
	codes_format(CODES_ICD10CM, "S72001A", d);
	assert_string_equal(d, "S72.001A");
	codes_format(CODES_ICD10CM, "I21", d);
	assert_string_equal(d, "I21");
	codes_format(CODES_ICD10PCS, "0016070", d);
	assert_string_equal(d, "0016070");
	assert_int_equal(codes_fy_for_date("2025-10-01"), 2026);
	assert_int_equal(codes_fy_for_date("2025-09-30"), 2025);
	assert_int_equal(codes_fy_for_date("2026-01-15"), 2026);
	assert_int_equal(codes_fy_for_date("2026-12-31"), 2027);
	assert_int_equal(codes_fy_for_date("2025-02-30"), 0);
	assert_int_equal(codes_fy_for_date("2025-10-1"), 0);
	assert_int_equal(codes_fy_for_date("T"), 0);
	assert_int_equal(codes_fy_for_date(NULL), 0);
}

/* ---- the index ---------------------------------------------------------------- */

static const struct {
	const char *code;
	int billable;
	const char *sd, *ld;
} fab[] = {
	{ "I50", 0, "Heart failure", "Heart failure" },
	{ "I502", 0, "Systolic (congestive) heart failure", "Systolic (congestive) heart failure" },
	{ "I5020", 1, "Unsp systolic (congestive) heart failure", "Unspecified systolic (congestive) heart failure" },
	{ "I5021", 1, "Acute systolic (congestive) heart failure", "Acute systolic (congestive) heart failure" },
	{ "I5023", 1, "Acute on chronic systolic (congestive) heart failure",
	  "Acute on chronic systolic (congestive) heart failure" },
	{ "I509", 1, "Heart failure, unspecified", "Heart failure, unspecified" },
	{ "I21", 0, "Acute myocardial infarction", "Acute myocardial infarction" },
	{ "I210", 0, "STEMI involving anterior wall", "ST elevation (STEMI) myocardial infarction of anterior wall" },
	{ "I2101", 1, "STEMI involving left main coronary artery",
	  "ST elevation (STEMI) myocardial infarction involving left main coronary artery" },
	{ "I2109", 1, "STEMI involving oth coronary artery of anterior wall",
	  "ST elevation (STEMI) myocardial infarction involving other coronary artery of anterior wall" },
	{ "I219", 1, "Acute myocardial infarction, unspecified", "Acute myocardial infarction, unspecified" },
	{ "A419", 1, "Sepsis, unspecified organism", "Sepsis, unspecified organism" },
	{ "R6520", 1, "Severe sepsis without septic shock", "Severe sepsis without septic shock" },
	{ "A40", 0, "Streptococcal sepsis", "Streptococcal sepsis" },
	{ "G300", 1, "Alzheimer's disease with early onset", "Alzheimer's disease with early onset" },
	{ "S7200", 0, "Fracture of unsp part of neck of femur", "Fracture of unspecified part of neck of femur" },
	{ "S72001A", 1, "Fx unsp part of neck of right femur, init", "Fracture of unspecified part of neck of right"
	  " femur, initial encounter for closed fracture" },
	{ "Z9981", 1, "Dependence on supplemental oxygen", "Dependence on supplemental oxygen" },
};

static struct codes_index *fab_index(void)
{
	struct codes_row rows[ARRAY_SIZE(fab)];
	struct codes_index *x = NULL;
	struct folio_err e = { 0 };

	memset(rows, 0, sizeof rows);
	/* given out of code order, as an order file may be */
	for (size_t i = 0; i < ARRAY_SIZE(fab); i++) {
		size_t j = ARRAY_SIZE(fab) - 1 - i;
		str_copy(rows[j].code, sizeof rows[j].code, fab[i].code);
		rows[j].billable = fab[i].billable;
		rows[j].short_desc = fab[i].sd;
		rows[j].short_len = strlen(fab[i].sd);
		rows[j].long_desc = fab[i].ld;
		rows[j].long_len = strlen(fab[i].ld);
	}
	if (codes_index_build(CODES_ICD10CM, 2026, rows, ARRAY_SIZE(rows), &x, &e) != FOLIO_OK)
		fail_msg("build: %s", e.msg);
	assert_int_equal(codes_index_size(x), ARRAY_SIZE(fab));
	assert_int_equal(codes_index_fy(x), 2026);
	return x;
}

/* The codes a search gives, space-separated, best first. */
static const char *found(const struct codes_index *x, const char *q, size_t max, size_t *total)
{
	static char out[512];
	struct codes_hit h[32];
	size_t n = codes_search(x, q, h, max < 32 ? max : 32), o = 0;

	if (total)
		*total = n;
	out[0] = '\0';
	for (size_t i = 0; i < n && i < max; i++)
		o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", i ? " " : "", h[i].code);
	return out;
}

static void test_index_codes(void **state)
{
	struct codes_index *x = fab_index();
	struct codes_hit h[8];
	size_t total;

	(void)state;
	/* with or without the dot, in any case: the code, then its children */
	assert_string_equal(found(x, "i21.0", 10, NULL), "I210 I2101 I2109");
	assert_string_equal(found(x, "I210", 10, NULL), "I210 I2101 I2109");
	assert_string_equal(found(x, " i210 ", 10, NULL), "I210 I2101 I2109");
	assert_int_equal(codes_search(x, "I210", h, 8), 3);
	assert_int_equal(h[0].match, CODES_MATCH_EXACT);
	assert_int_equal(h[1].match, CODES_MATCH_PREFIX);
	assert_int_equal(h[0].billable, 0);
	assert_string_equal(h[0].desc, "ST elevation (STEMI) myocardial infarction of anterior wall");
	/* a prefix that is no code itself */
	assert_string_equal(found(x, "I5", 10, NULL), "I50 I502 I5020 I5021 I5023 I509");
	assert_string_equal(found(x, "s72001a", 10, NULL), "S72001A");
	/* max caps the list, not the count */
	assert_string_equal(found(x, "I5", 2, &total), "I50 I502");
	assert_int_equal(total, 6);
	assert_int_equal(codes_search(x, "I5", h, 0), 6);
	/* nothing */
	assert_int_equal(codes_search(x, "Q99", h, 8), 0);
	assert_int_equal(codes_search(x, "", h, 8), 0);
	assert_int_equal(codes_search(x, "  .  ", h, 8), 0);
	assert_int_equal(codes_search(x, NULL, h, 8), 0);
	/* one code */
	assert_int_equal(codes_lookup(x, "i21.01", &h[0]), FOLIO_OK);
	assert_string_equal(h[0].code, "I2101");
	assert_int_equal(h[0].billable, 1);
	assert_string_equal(h[0].short_desc, "STEMI involving left main coronary artery");
	assert_int_equal(codes_lookup(x, "I2", &h[0]), FOLIO_ENOTFOUND);
	assert_int_equal(codes_lookup(x, "I21!", &h[0]), FOLIO_ENOTFOUND);
	codes_index_free(x);
}

static void test_index_words(void **state)
{
	struct codes_index *x = fab_index();
	struct codes_hit h[8];
	size_t total;

	(void)state;
	/* any order, any case, prefixes */
	assert_string_equal(found(x, "heart failure acute systolic", 10, NULL), "I5021 I5023");
	assert_string_equal(found(x, "SYSTOLIC acute HEART failure", 10, NULL), "I5021 I5023");
	assert_string_equal(found(x, "hea fai ac sys", 10, NULL), "I5021 I5023");
	assert_string_equal(found(x, "acute systolic heart failure chronic", 10, NULL), "I5023");
	assert_int_equal(codes_search(x, "acute systolic kidney", h, 8), 0);
	assert_int_equal(codes_search(x, "heart zzz", h, 8), 0);
	/* billable first; then whole words; earlier in the text; shorter */
	assert_string_equal(found(x, "sepsis", 10, NULL), "A419 R6520 A40");
	/* I5021 and I5020 tie on position: the shorter text first */
	assert_string_equal(found(x, "heart failure", 10, NULL), "I509 I5021 I5020 I5023 I50 I502");
	assert_string_equal(found(x, "sep", 10, NULL), "A419 R6520 A40");
	/* whole word beats prefix: "unspecified" whole in I509, I219, A419... and
	 * "unspecified" is not a prefix of "unsp" in I5020's short text */
	assert_string_equal(found(x, "infarction acute", 10, NULL), "I219 I21");
	/* "Alzheimer's" is one word, found with or without the apostrophe */
	assert_string_equal(found(x, "alzheimers", 10, NULL), "G300");
	assert_string_equal(found(x, "alzheimer's early", 10, NULL), "G300");
	/* the short description's abbreviations count too */
	assert_string_equal(found(x, "fx femur", 10, NULL), "S72001A");
	assert_string_equal(found(x, "stemi", 10, NULL), "I2101 I2109 I210");
	/* a word repeated counts once; punctuation separates */
	assert_string_equal(found(x, "sepsis sepsis", 10, NULL), "A419 R6520 A40");
	assert_string_equal(found(x, "(severe)-sepsis", 10, &total), "R6520");
	assert_int_equal(total, 1);
	/* a code prefix that is also a word prefix lists both, code first */
	assert_string_equal(found(x, "A4", 10, NULL), "A40 A419");
	assert_int_equal(codes_search(x, "heart", h, 8), 6);
	assert_int_equal(h[0].match, CODES_MATCH_WORDS);
	codes_index_free(x);
}

/* A word matched whole counts even when a longer word matched first; the
 * first match counts for the position. */
static void test_index_whole_word(void **state)
{
	static const char *const d[][2] = {
		{ "K210", "Heartburn" },
		{ "K211", "Heartburn due to heart disease" },
		{ "K212", "Disease of the heart valve" },
	};
	struct codes_row rows[3];
	struct codes_index *x = NULL;
	struct folio_err e = { 0 };

	(void)state;
	memset(rows, 0, sizeof rows);
	for (int i = 0; i < 3; i++) {
		strcpy(rows[i].code, d[i][0]);
		rows[i].billable = 1;
		rows[i].long_desc = rows[i].short_desc = d[i][1];
		rows[i].long_len = rows[i].short_len = strlen(d[i][1]);
	}
	assert_int_equal(codes_index_build(CODES_ICD10CM, 2026, rows, 3, &x, &e), FOLIO_OK);
	/* whole "heart" in K211 (at 3, after "heartburn" at 0) and K212 (at 3):
	 * K211's first match is earlier; K210 has only the prefix */
	assert_string_equal(found(x, "heart", 10, NULL), "K211 K212 K210");
	assert_string_equal(found(x, "hear", 10, NULL), "K210 K211 K212");
	assert_string_equal(found(x, "disease heart", 10, NULL), "K212 K211");
	codes_index_free(x);
}

static void test_index_children(void **state)
{
	struct codes_index *x = fab_index();
	struct codes_hit h[8];

	(void)state;
	assert_int_equal(codes_children(x, "I21", h, 8), 3);
	assert_string_equal(h[0].code, "I2101");
	assert_string_equal(h[1].code, "I2109");
	assert_string_equal(h[2].code, "I219");
	assert_int_equal(h[0].match, CODES_MATCH_CHILD);
	assert_int_equal(codes_children(x, "i21.0", h, 1), 2);
	assert_string_equal(h[0].code, "I2101");
	assert_int_equal(codes_children(x, "I50", h, 8), 4);
	assert_int_equal(codes_children(x, "I2101", h, 8), 0); /* billable: no children */
	assert_int_equal(codes_children(x, "Q99", h, 8), 0);
	assert_int_equal(codes_children(x, "I2", h, 8), 0); /* not a code */
	codes_index_free(x);
}

static void test_index_refuses(void **state)
{
	struct codes_row rows[2];
	struct codes_index *x = NULL;
	struct folio_err e = { 0 };

	(void)state;
	memset(rows, 0, sizeof rows);
	strcpy(rows[0].code, "A00");
	strcpy(rows[1].code, "A00");
	rows[0].long_desc = rows[1].long_desc = "Cholera";
	rows[0].long_len = rows[1].long_len = 7;
	assert_int_equal(codes_index_build(CODES_ICD10CM, 2026, rows, 2, &x, &e), FOLIO_EUSAGE);
	assert_null(x);
	assert_non_null(strstr(e.msg, "A00"));
	rows[1].code[0] = '\0';
	assert_int_equal(codes_index_build(CODES_ICD10CM, 2026, rows, 2, &x, &e), FOLIO_EUSAGE);
	/* an empty set is an empty index */
	assert_int_equal(codes_index_build(CODES_ICD10CM, 2026, rows, 0, &x, &e), FOLIO_OK);
	assert_int_equal(codes_search(x, "cholera", NULL, 0), 0);
	assert_int_equal(codes_search(x, "A00", NULL, 0), 0);
	codes_index_free(x);
	codes_index_free(NULL);
}

/* ---- a load through grants ------------------------------------------------------ */

struct load_fx {
	struct fixture *f;
	struct session *super, *tech;
	char dir[96];
};

static void write_file(const char *dir, const char *name, const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	assert_non_null(f = fopen(p, "w"));
	fputs(text, f);
	fclose(f);
}

/* An order file of the rows fab[from..to) with CRLF line ends. */
static void write_order(const char *dir, const char *name, size_t from, size_t to)
{
	char p[256], line[512];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	assert_non_null(f = fopen(p, "w"));
	for (size_t i = from; i < to; i++)
		fprintf(f, "%s\r\n", order_line(line, sizeof line, (int)i + 1, fab[i].code, fab[i].billable ? '1' : '0',
						  fab[i].sd, fab[i].ld));
	fclose(f);
}

static int load_setup(void **state)
{
	struct load_fx *x = calloc(1, sizeof *x);
	char sub[160];

	if (!x || !(x->f = fixture_new_demo()))
		return -1;
	x->super = fixture_login(x->f->st, "super", "demo-super-pass");
	x->tech = fixture_login(x->f->st, "tech", "demo-tech-pass");
	snprintf(x->dir, sizeof x->dir, "%s/codesets", x->f->dir);
	snprintf(sub, sizeof sub, "%s/icd10cm", x->dir);
	if (mkdir(x->dir, 0700) != 0 || mkdir(sub, 0700) != 0)
		return -1;
	write_order(sub, "icd10cm_order_2026.txt", 0, ARRAY_SIZE(fab));
	write_order(x->dir, "icd10cm_order_2025.txt", 0, 6);
	/* these must not be taken for order files */
	write_file(sub, "icd10cm_order_addenda_2026.txt", "not an order file\n");
	write_file(sub, "icd10cm_codes_2026.txt", "not an order file\n");
	write_file(x->dir, "icd10pcs_order_2026.txt",
		   "00001 001     0 Central Nervous System and Cranial Nerves, Bypass            Central Nervous"
		   " System and Cranial Nerves, Bypass\r\n"
		   "00002 0016070 1 Bypass Cereb Vent to Nasophar with Autol Sub, Open Approach  Bypass Cerebral"
		   " Ventricle to Nasopharynx with Autologous Tissue Substitute, Open Approach\r\n");
	write_file(sub, "POAexemptCodesFY26.txt", "Order26\tPOAexemptCode\tDescription\r\n"
		   "00018\tZ99.81\tDependence on supplemental oxygen\r\n");
	write_file(x->dir, "drg_weights_2026.tsv", "drg\tweight\tgmlos\tamlos\n291\t1.2345\t3.9\t4.8\n"
		   "871\t1.8437\t4.6\t5.9\n");
	*state = x;
	return 0;
}

static int load_teardown(void **state)
{
	struct load_fx *x = *state;
	char cmd[160];

	access_logout(x->super);
	access_logout(x->tech);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", x->dir);
	if (system(cmd) != 0)
		return -1;
	fixture_free(x->f);
	free(x);
	return 0;
}

/* Reads and stores x->dir as the supervisor; returns the status. */
static int load(struct load_fx *x, struct codes_load **out, struct folio_err *e)
{
	struct codes_load *l = NULL;
	struct grant *g;
	int rc = codes_load_read(x->dir, NULL, NULL, NULL, &l, e);

	if (rc == FOLIO_OK) {
		g = fixture_begin(x->super, ACT_CODES_LOAD);
		rc = access_end(g, codes_load_store(g, l, NULL, NULL, e), e);
	}
	if (out)
		*out = l;
	else
		codes_load_free(l);
	return rc;
}

static const struct codes_set_info *info_of(const struct codes_set_info *s, size_t n, const char *kind, int fy)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s[i].kind, kind) == 0 && s[i].fy == fy)
			return &s[i];
	fail_msg("no %s FY%d in the summary", kind, fy);
	return NULL;
}

static void test_load(void **state)
{
	struct load_fx *x = *state;
	const struct codes_set_info *s;
	struct codes_load *l;
	struct folio_err e = { 0 };
	int64_t seq;
	size_t n;

	if (load(x, &l, &e) != FOLIO_OK)
		fail_msg("load: %s", e.msg);
	n = codes_load_summary(l, &s);
	assert_int_equal(n, 5); /* CM 2025, CM 2026, PCS 2026, POA 2026, weights 2026 */
	assert_int_equal(info_of(s, n, "icd10cm", 2026)->n_valid, 12);
	assert_int_equal(info_of(s, n, "icd10cm", 2026)->n_header, 6);
	assert_int_equal(info_of(s, n, "icd10cm", 2025)->n_valid + info_of(s, n, "icd10cm", 2025)->n_header, 6);
	assert_int_equal(info_of(s, n, "icd10pcs", 2026)->n_valid, 1);
	assert_int_equal(info_of(s, n, "poa_exempt", 2026)->n_valid, 1);
	assert_int_equal(info_of(s, n, "drg_weights", 2026)->n_valid, 2);
	assert_false(info_of(s, n, "icd10cm", 2026)->unchanged);
	assert_string_equal(info_of(s, n, "icd10cm", 2026)->loaded_by, "super");
	codes_load_free(l);
	assert_int_equal(fixture_sql_int(x->f, "SELECT count(*) FROM codes"), ARRAY_SIZE(fab) + 6 + 2);
	assert_int_equal(fixture_sql_int(x->f, "SELECT count(*) FROM code_sets"), 5);
	assert_true(fixture_audit_count(x->f, 0, "super", "codes.load", "ok") >= 1);

	/* again: the same sets, no duplicates, nothing rewritten */
	seq = fixture_audit_last_seq(x->f);
	if (load(x, &l, &e) != FOLIO_OK)
		fail_msg("second load: %s", e.msg);
	n = codes_load_summary(l, &s);
	for (size_t i = 0; i < n; i++)
		assert_true(s[i].unchanged);
	codes_load_free(l);
	assert_int_equal(fixture_sql_int(x->f, "SELECT count(*) FROM codes"), ARRAY_SIZE(fab) + 6 + 2);
	assert_int_equal(fixture_audit_count(x->f, seq, "super", "codes.load", "ok"), 1);

	/* a changed file replaces its year's set only */
	write_order(x->dir, "icd10cm_order_2025.txt", 0, 3);
	assert_int_equal(load(x, NULL, &e), FOLIO_OK);
	assert_int_equal(fixture_sql_int(x->f, "SELECT n_valid + n_header FROM code_sets WHERE kind = 'icd10cm'"
					       " AND fy = 2025"), 3);
	assert_int_equal(fixture_sql_int(x->f, "SELECT count(*) FROM codes"), ARRAY_SIZE(fab) + 3 + 2);
}

static void test_load_refuses(void **state)
{
	struct load_fx *x = *state;
	struct codes_load *l = NULL;
	struct folio_err e = { 0 };
	int64_t before;
	char p[160], line[256], text[600];

	assert_int_equal(load(x, NULL, &e), FOLIO_OK);
	before = fixture_sql_int(x->f, "SELECT count(*) FROM codes");

	/* a malformed line: FILE:LINE and nothing read */
	snprintf(text, sizeof text, "%s\r\n", order_line(line, sizeof line, 1, "A00", '0', "Cholera", "Cholera"));
	snprintf(text + strlen(text), sizeof text - strlen(text), "%s\r\n",
		 order_line(line, sizeof line, 2, "A000", '7', "Cholera due to", "Cholera due to"));
	write_file(x->dir, "icd10cm_order_2025.txt", text);
	assert_int_equal(codes_load_read(x->dir, NULL, NULL, NULL, &l, &e), FOLIO_EFAIL);
	assert_null(l);
	assert_non_null(strstr(e.msg, "icd10cm_order_2025.txt:2: column 15"));
	assert_int_equal(fixture_sql_int(x->f, "SELECT count(*) FROM codes"), before);

	/* a duplicate code */
	snprintf(text, sizeof text, "%s\r\n%s\r\n", order_line(line, sizeof line, 1, "A00", '0', "Cholera", "Cholera"),
		 line);
	write_file(x->dir, "icd10cm_order_2025.txt", text);
	assert_int_equal(codes_load_read(x->dir, NULL, NULL, NULL, &l, &e), FOLIO_EFAIL);
	assert_non_null(strstr(e.msg, ":2: code A00 is listed twice"));
	write_order(x->dir, "icd10cm_order_2025.txt", 0, 6);

	/* a POA code that is no valid code of its year */
	snprintf(p, sizeof p, "%s/icd10cm", x->dir);
	write_file(p, "POAexemptCodesFY26.txt", "00018\tZ99.81\tDependence\r\n00019\tI21.0\tSTEMI\r\n");
	assert_int_equal(codes_load_read(x->dir, NULL, NULL, NULL, &l, &e), FOLIO_EFAIL);
	assert_non_null(strstr(e.msg, "POAexemptCodesFY26.txt:2: I210 is not a valid ICD-10-CM FY2026 code"));
	write_file(p, "POAexemptCodesFY26.txt", "00018\tZ99.81\tDependence\r\n");

	/* the same year twice (plain and compressed names) */
	write_order(p, "icd10cm_order_2025.txt", 0, 6);
	assert_int_equal(codes_load_read(x->dir, NULL, NULL, NULL, &l, &e), FOLIO_EFAIL);
	assert_non_null(strstr(e.msg, "two ICD-10-CM codes files for FY2025"));
	snprintf(p, sizeof p, "%s/icd10cm/icd10cm_order_2025.txt", x->dir);
	unlink(p);

	/* weights: a bad line, a missing --weights file */
	write_file(x->dir, "drg_weights_2026.tsv", "291\t1.2345\t3.9\t4.8\n291\t1.1\t3.9\t4.8\n");
	assert_int_equal(codes_load_read(x->dir, NULL, NULL, NULL, &l, &e), FOLIO_EFAIL);
	assert_non_null(strstr(e.msg, "drg_weights_2026.tsv:2: DRG 291 is listed twice"));
	assert_int_equal(codes_load_read(x->dir, "/nonexistent/w.tsv", NULL, NULL, &l, &e), FOLIO_ENOTFOUND);

	/* no directory, an empty one */
	assert_int_equal(codes_load_read("/nonexistent-folio-dir", NULL, NULL, NULL, &l, &e), FOLIO_ENOTFOUND);
	snprintf(p, sizeof p, "%s/empty", x->f->dir);
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(codes_load_read(p, NULL, NULL, NULL, &l, &e), FOLIO_ENOTFOUND);
	assert_non_null(strstr(e.msg, "no code sets"));
	rmdir(p);
	assert_int_equal(fixture_sql_int(x->f, "SELECT count(*) FROM codes"), before);

	/* a grant for something else cannot store */
	write_file(x->dir, "drg_weights_2026.tsv", "291\t1.2345\t3.9\t4.8\n");
	assert_int_equal(codes_load_read(x->dir, NULL, NULL, NULL, &l, &e), FOLIO_OK);
	{
		struct grant *g = fixture_begin(x->tech, ACT_CODES_SEARCH);
		assert_int_equal(codes_load_store(g, l, NULL, NULL, &e), FOLIO_EDENIED);
		access_end(g, FOLIO_EDENIED, &e);
	}
	codes_load_free(l);
}

static void test_reads(void **state)
{
	struct load_fx *x = *state;
	struct folio_err e = { 0 };
	struct codes_index *idx = NULL;
	struct codes_info info;
	struct codes_weight w;
	struct codes_hit h[4];
	struct codes_set_info sets[8];
	unsigned char *blob;
	size_t n, len;
	int exempt;
	struct grant *g;

	/* nothing loaded yet: the message says what to do */
	g = fixture_begin(x->tech, ACT_CODES_SEARCH);
	assert_int_equal(codes_index_open(g, CODES_ICD10CM, 0, &idx, &e), FOLIO_ENOTFOUND);
	assert_non_null(strstr(e.msg, "run folio codes load DIR"));
	assert_int_equal(codes_latest_fy(g, CODES_ICD10CM, &e), 0);
	fixture_end(g);

	assert_int_equal(load(x, NULL, &e), FOLIO_OK);
	g = fixture_begin(x->tech, ACT_CODES_SEARCH);
	assert_int_equal(codes_sets(g, sets, ARRAY_SIZE(sets), &n, &e), FOLIO_OK);
	assert_int_equal(n, 5);
	assert_string_equal(sets[0].kind, "icd10cm");
	assert_int_equal(sets[0].fy, 2025);
	assert_int_equal(sets[1].fy, 2026);
	assert_int_equal(codes_latest_fy(g, CODES_ICD10CM, &e), 2026);
	/* the index of the latest year, used after the grant ends */
	assert_int_equal(codes_index_open(g, CODES_ICD10CM, 0, &idx, &e), FOLIO_OK);
	fixture_end(g);
	assert_int_equal(codes_index_fy(idx), 2026);
	assert_int_equal(codes_index_size(idx), ARRAY_SIZE(fab));
	assert_int_equal(codes_search(idx, "heart failure acute systolic", h, 4), 2);
	assert_string_equal(h[0].code, "I5021");
	codes_index_free(idx);

	g = fixture_begin(x->tech, ACT_CODES_SEARCH);
	assert_int_equal(codes_index_open(g, CODES_ICD10CM, 2025, &idx, &e), FOLIO_OK);
	assert_int_equal(codes_index_size(idx), 6);
	codes_index_free(idx);
	assert_int_equal(codes_index_open(g, CODES_ICD10CM, 2027, &idx, &e), FOLIO_ENOTFOUND);
	assert_non_null(strstr(e.msg, "FY2027"));
	assert_non_null(strstr(e.msg, "loaded: FY2025, FY2026"));

	assert_int_equal(codes_get(g, CODES_ICD10CM, 2026, "i21.01", &info, &e), FOLIO_OK);
	assert_true(info.exists);
	assert_true(info.billable);
	assert_string_equal(info.code, "I2101");
	assert_string_equal(info.long_desc, "ST elevation (STEMI) myocardial infarction involving left main coronary artery");
	assert_int_equal(codes_get(g, CODES_ICD10CM, 2026, "I21", &info, &e), FOLIO_OK);
	assert_true(info.exists);
	assert_false(info.billable);
	/* I21.01 is not in the (shortened) FY2025 set */
	assert_int_equal(codes_get(g, CODES_ICD10CM, 2025, "I2101", &info, &e), FOLIO_OK);
	assert_false(info.exists);
	assert_int_equal(codes_get(g, CODES_ICD10CM, 2026, "not a code", &info, &e), FOLIO_OK);
	assert_false(info.exists);
	assert_int_equal(codes_get(g, CODES_ICD10PCS, 2026, "0016070", &info, &e), FOLIO_OK);
	assert_true(info.exists);

	assert_int_equal(codes_poa_exempt(g, 2026, "Z99.81", &exempt, &e), FOLIO_OK);
	assert_true(exempt);
	assert_int_equal(codes_poa_exempt(g, 2026, "I2101", &exempt, &e), FOLIO_OK);
	assert_false(exempt);
	assert_int_equal(codes_poa_exempt(g, 2025, "Z9981", &exempt, &e), FOLIO_ENOTFOUND);

	assert_int_equal(codes_drg_weight(g, 2026, 291, &w, &e), FOLIO_OK);
	assert_true(w.weight > 1.23449 && w.weight < 1.23451);
	assert_true(w.gmlos > 3.89 && w.gmlos < 3.91);
	assert_true(w.amlos > 4.79 && w.amlos < 4.81);
	assert_int_equal(codes_drg_weight(g, 0, 871, &w, &e), FOLIO_OK);
	assert_int_equal(codes_drg_weight(g, 2026, 292, &w, &e), FOLIO_ENOTFOUND);
	assert_int_equal(codes_drg_weight(g, 2025, 291, &w, &e), FOLIO_ENOTFOUND);
	assert_non_null(strstr(e.msg, "--weights"));

	/* no tables in this directory */
	assert_int_equal(codes_tables_fetch(g, CODES_TABLES_DRG, 0, &blob, &len, NULL, &e), FOLIO_ENOTFOUND);
	assert_null(blob);
	fixture_end(g);

	/* a grant for another action reads nothing */
	g = fixture_begin(x->tech, ACT_PATIENT_FIND);
	assert_int_equal(codes_index_open(g, CODES_ICD10CM, 0, &idx, &e), FOLIO_EDENIED);
	assert_int_equal(codes_get(g, CODES_ICD10CM, 2026, "I2101", &info, &e), FOLIO_EDENIED);
	assert_int_equal(codes_sets(g, sets, ARRAY_SIZE(sets), &n, &e), FOLIO_EDENIED);
	fixture_end(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_line),
		cmocka_unit_test(test_poa_and_weights_lines),
		cmocka_unit_test(test_code_text),
		cmocka_unit_test(test_index_codes),
		cmocka_unit_test(test_index_words),
		cmocka_unit_test(test_index_whole_word),
		cmocka_unit_test(test_index_children),
		cmocka_unit_test(test_index_refuses),
		cmocka_unit_test_setup_teardown(test_load, load_setup, load_teardown),
		cmocka_unit_test_setup_teardown(test_load_refuses, load_setup, load_teardown),
		cmocka_unit_test_setup_teardown(test_reads, load_setup, load_teardown),
	};

	if (smem_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
