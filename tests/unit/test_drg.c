/* folio — the MS-DRG grouper (src/drg/drg_*.c): the packed form's round
 * trip and its refusal of damaged blobs, the claim-line parser's edge
 * cases, titles, and grouping straight from a struct drg_claim.  Needs
 * ../shared/codesets for everything but the parser and the blob refusals
 * of non-blobs; skips those tests, saying so, when it is absent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "folio/drg.h"

#include "unit_fixture.h"

#define CODESETS "../shared/codesets"
#define TESTSET CODESETS "/tests/msdrg_v430_cms_grouper_testset.tsv"

static struct drg_tables *tables;

/* The tables, read once; NULL (and a message) when ../shared is absent. */
static int open_tables(void **state)
{
	struct folio_err e = { 0 };
	(void)state;
	if (access(CODESETS "/msdrg_v43", R_OK) == 0 &&
	    drg_tables_load(CODESETS, &tables, &e) != FOLIO_OK) {
		fprintf(stderr, "drg_tables_load: %s\n", e.msg);
		return -1;
	}
	return 0;
}

static int close_tables(void **state)
{
	(void)state;
	drg_tables_free(tables);
	tables = NULL;
	return 0;
}

/* Skips the rest of a test that needs the real tables. */
static void need_tables(void)
{
	if (!tables) {
		print_message("skipped: " CODESETS " not found\n");
		skip();
	}
}
#define NEED_TABLES() need_tables()

static int parse(const char *line, struct drg_claim *c, char id[64])
{
	struct folio_err e = { 0 };
	return drg_claim_parse(line, strlen(line), c, id, &e);
}

static void same_result(const struct drg_result *a, const struct drg_result *b)
{
	assert_int_equal(a->final_drg, b->final_drg);
	assert_int_equal(a->final_mdc, b->final_mdc);
	assert_int_equal(a->initial_drg, b->initial_drg);
	assert_int_equal(a->med_surg, b->med_surg);
	assert_int_equal(a->final_severity, b->final_severity);
	assert_string_equal(a->grc, b->grc);
	assert_string_equal(a->hac_status, b->hac_status);
	assert_int_equal(a->nsdx, b->nsdx);
	for (int i = 0; i < a->nsdx; i++)
		assert_int_equal(a->sdx_usage[i], b->sdx_usage[i]);
}

/* Tables packed and unpacked group every claim of the test set exactly as
 * the tables read from text do, and a second pack is byte-identical. */
static void test_pack_round_trip(void **state)
{
	(void)state;
	NEED_TABLES();
	struct folio_err e = { 0 };
	unsigned char *blob = NULL, *blob2 = NULL;
	size_t len = 0, len2 = 0;
	struct drg_tables *copy = NULL;

	assert_int_equal(drg_tables_pack(tables, &blob, &len, &e), FOLIO_OK);
	assert_true(len > 1000);
	assert_int_equal(drg_tables_unpack(blob, len, &copy, &e), FOLIO_OK);
	assert_int_equal(drg_tables_pack(copy, &blob2, &len2, &e), FOLIO_OK);
	assert_int_equal(len, len2);
	assert_memory_equal(blob, blob2, len);

	FILE *f = fopen(TESTSET, "r");
	assert_non_null(f);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int claims = 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		struct drg_claim c;
		struct drg_result r1, r2;
		char id[64];
		if (strncmp(line, "id\t", 3) == 0)
			continue;
		assert_int_equal(drg_claim_parse(line, (size_t)n, &c, id, &e), FOLIO_OK);
		drg_group(tables, &c, &r1);
		drg_group(copy, &c, &r2);
		same_result(&r1, &r2);
		claims++;
	}
	free(line);
	fclose(f);
	assert_int_equal(claims, 7006);
	assert_string_equal(drg_title(copy, 1), drg_title(tables, 1));
	free(blob);
	free(blob2);
	drg_tables_free(copy);
}

/* Any damage to a blob is refused; nothing is returned. */
static void test_damaged_blob(void **state)
{
	(void)state;
	struct folio_err e = { 0 };
	struct drg_tables *t = (struct drg_tables *)1;
	static const unsigned char junk[64] = "FOLIODRG but nothing after it";

	assert_int_equal(drg_tables_unpack(NULL, 0, &t, &e), FOLIO_EFAIL);
	assert_null(t);
	assert_int_equal(drg_tables_unpack(junk, sizeof junk, &t, &e), FOLIO_EFAIL);
	assert_null(t);
	assert_int_equal(drg_tables_unpack(junk, 5, &t, &e), FOLIO_EFAIL);
	NEED_TABLES();

	unsigned char *blob = NULL;
	size_t len = 0;
	assert_int_equal(drg_tables_pack(tables, &blob, &len, &e), FOLIO_OK);
	unsigned char *bad = malloc(len);
	assert_non_null(bad);
	/* one flipped bit anywhere: header, section table, data, the end */
	size_t where[] = { 0, 9, 13, 17, 25, 33, 48, 60, 1000, len / 2, len - 1 };
	for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
		memcpy(bad, blob, len);
		bad[where[i]] ^= 0x10;
		t = (struct drg_tables *)1;
		assert_int_equal(drg_tables_unpack(bad, len, &t, &e), FOLIO_EFAIL);
		assert_null(t);
		assert_true(strlen(e.msg) > 10);
	}
	/* truncated, or with bytes added */
	assert_int_equal(drg_tables_unpack(blob, len - 1, &t, &e), FOLIO_EFAIL);
	assert_int_equal(drg_tables_unpack(blob, 100, &t, &e), FOLIO_EFAIL);
	unsigned char *longer = calloc(1, len + 8);
	assert_non_null(longer);
	memcpy(longer, blob, len);
	assert_int_equal(drg_tables_unpack(longer, len + 8, &t, &e), FOLIO_EFAIL);
	assert_non_null(strstr(e.msg, "truncated"));
	/* and the intact blob still opens */
	assert_int_equal(drg_tables_unpack(blob, len, &t, &e), FOLIO_OK);
	drg_tables_free(t);
	free(longer);
	free(bad);
	free(blob);
}

static void test_parse_fields(void **state)
{
	(void)state;
	struct drg_claim c;
	char id[64];

	assert_int_equal(parse("c1\t430\t65\tM\t1\tI5020\tE1165;N179:N;J189:;K219:U;R509:1\t02703DZ;0DJ08ZZ",
			       &c, id),
			 FOLIO_OK);
	assert_string_equal(id, "c1");
	assert_int_equal(c.age, 65);
	assert_int_equal(c.sex, 'M');
	assert_int_equal(c.discharge_status, 1);
	assert_string_equal(c.pdx, "I5020");
	assert_int_equal(c.nsdx, 5);
	assert_int_equal(c.sdx[0].poa, 'Y'); /* no colon: present on admission */
	assert_int_equal(c.sdx[1].poa, 'N');
	assert_int_equal(c.sdx[2].poa, ' '); /* nothing after the colon: blank */
	assert_int_equal(c.sdx[3].poa, 'U');
	assert_int_equal(c.sdx[4].poa, '1'); /* exempt */
	assert_string_equal(c.sdx[1].code, "N179");
	assert_int_equal(c.nproc, 2);
	assert_string_equal(c.proc[1], "0DJ08ZZ");

	/* any case, extra columns ignored, CRLF and empty list items */
	assert_int_equal(parse("c2\t430\t0\tf\t20\ti5020\te1165:Q;;n179:YY;\t;02703dz;\t001\t05\r\n", &c, id),
			 FOLIO_OK);
	assert_int_equal(c.sex, 'F');
	assert_string_equal(c.pdx, "I5020");
	assert_int_equal(c.nsdx, 2);
	assert_string_equal(c.sdx[0].code, "E1165");
	assert_int_equal(c.sdx[0].poa, 'Q'); /* invalid, passed on for the grouper */
	assert_int_equal(c.sdx[1].poa, '?'); /* two letters: invalid */
	assert_int_equal(c.nproc, 1);
	assert_string_equal(c.proc[0], "02703DZ");

	/* values the grouper judges are passed on */
	assert_int_equal(parse("c3\t430\t999\tX\t77\t\t\t", &c, id), FOLIO_OK);
	assert_int_equal(c.age, 999);
	assert_int_equal(c.sex, 'X');
	assert_int_equal(c.discharge_status, 77);
	assert_string_equal(c.pdx, "");
	assert_int_equal(c.nsdx, 0);
	assert_int_equal(parse("c4\t430\t-3\t\t1\tI10\t\t", &c, id), FOLIO_OK);
	assert_int_equal(c.age, -3);
	assert_int_equal(c.sex, '?'); /* empty sex */
	assert_int_equal(parse("c5\t430\t99999999999999999999\tM\t1\tI10\t\t", &c, id), FOLIO_OK);
	assert_true(c.age > 124);
	/* not numbers: invalid values, judged by the grouper, not refused */
	assert_int_equal(parse("c6\t430\tabc\tM\tx1\tI10\t\t", &c, id), FOLIO_OK);
	assert_true(c.age < 0);
	assert_true(c.discharge_status < 0);
	assert_int_equal(parse("c7\t430\t-\tM\t\tI10\t\t", &c, id), FOLIO_OK);
	assert_true(c.age < 0);
}

static void test_parse_refusals(void **state)
{
	(void)state;
	struct drg_claim c;
	char id[64], line[1024];

	/* too few columns: the id is still returned */
	assert_int_equal(parse("short\t430\t65", &c, id), FOLIO_EUSAGE);
	assert_string_equal(id, "short");
	assert_int_equal(parse("", &c, id), FOLIO_EUSAGE);
	assert_string_equal(id, "");
	assert_int_equal(parse("a\t430\t65\tM\t1\tI1000000X\t\t", &c, id), FOLIO_EUSAGE);
	assert_int_equal(parse("a\t430\t65\tM\t1\tI10\tE11651234\t", &c, id), FOLIO_EUSAGE);
	assert_int_equal(parse("a\t430\t65\tM\t1\tI10\t\t02703DZZ", &c, id), FOLIO_EUSAGE);

	/* 24 secondaries and 25 procedures fit; one more does not */
	size_t n = (size_t)snprintf(line, sizeof line, "m\t430\t65\tM\t1\tI10\t");
	for (int i = 0; i < 24; i++)
		n += (size_t)snprintf(line + n, sizeof line - n, "%sE11%d", i ? ";" : "", i);
	n += (size_t)snprintf(line + n, sizeof line - n, "\t");
	for (int i = 0; i < 25; i++)
		n += (size_t)snprintf(line + n, sizeof line - n, "%s0DJ08Z%c", i ? ";" : "", 'A' + i);
	assert_int_equal(parse(line, &c, id), FOLIO_OK);
	assert_int_equal(c.nsdx, 24);
	assert_int_equal(c.nproc, 25);
	n += (size_t)snprintf(line + n, sizeof line - n, ";0DJ08ZZ");
	assert_int_equal(parse(line, &c, id), FOLIO_EUSAGE);
	snprintf(line, sizeof line, "m\t430\t65\tM\t1\tI10\t");
	for (int i = 0; i < 25; i++)
		strcat(line, i ? ";E119" : "E119");
	strcat(line, "\t");
	assert_int_equal(parse(line, &c, id), FOLIO_EUSAGE);

	/* a very long id is cut, not overflowed */
	memset(line, 'x', 200);
	strcpy(line + 200, "\t430");
	assert_int_equal(parse(line, &c, id), FOLIO_EUSAGE);
	assert_int_equal(strlen(id), 63);
}

static void test_titles_and_names(void **state)
{
	(void)state;
	assert_string_equal(drg_sdx_usage_name(DRG_SDX_CC_EXCLUDED_BY_DRG_LOGIC), "CC_EXCLUDED_BY_DRG_LOGIC");
	assert_string_equal(drg_severity_name(DRG_SEV_NON_CC), "NON_CC");
	assert_string_equal(drg_med_surg_name(DRG_MS_SURGICAL), "SURGICAL");
	assert_string_equal(drg_title(NULL, 1), "");
	NEED_TABLES();
	assert_non_null(strstr(drg_title(tables, 1), "Heart Transplant"));
	assert_non_null(strstr(drg_title(tables, 999), "Ungroupable"));
	assert_string_equal(drg_title(tables, 0), "");
	assert_string_equal(drg_title(tables, 1000), "");
	assert_string_equal(drg_title(tables, -5), "");
	assert_non_null(strstr(drg_mdc_title(tables, 5), "Circulatory"));
	assert_string_equal(drg_mdc_title(tables, 77), "");
}

static void test_group_struct(void **state)
{
	(void)state;
	NEED_TABLES();
	struct drg_claim c;
	struct drg_result r;
	char id[64];

	/* heart failure with a CC, then the same claim with the CC as a HAC */
	assert_int_equal(parse("h\t430\t70\tF\t1\tI5020\tN179\t", &c, id), FOLIO_OK);
	drg_group(tables, &c, &r);
	assert_int_equal(r.final_drg, 292);
	assert_int_equal(r.final_mdc, 5);
	assert_int_equal(r.med_surg, DRG_MS_MEDICAL);
	assert_int_equal(r.final_severity, DRG_SEV_CC);
	assert_string_equal(r.grc, "OK");
	assert_int_equal(r.sdx_usage[0], DRG_SDX_CC);

	/* a secondary in the principal's exclusion group loses its CC */
	assert_int_equal(parse("x\t430\t70\tF\t1\tA001\tA000\t", &c, id), FOLIO_OK);
	drg_group(tables, &c, &r);
	assert_int_equal(r.sdx_usage[0], DRG_SDX_CC_EXCLUDED);

	/* out-of-range fields straight in the struct are judged, not trusted */
	memset(&c, 0, sizeof c);
	c.age = 70;
	c.sex = 'M';
	c.discharge_status = 1;
	strcpy(c.pdx, "I5020");
	c.nsdx = 1000;
	c.nproc = -4;
	drg_group(tables, &c, &r);
	assert_int_equal(r.nsdx, DRG_MAX_SDX);
	assert_int_equal(r.final_drg, 293);
	c.nsdx = 0;
	c.age = 200;
	drg_group(tables, &c, &r);
	assert_int_equal(r.final_drg, 999);
	assert_string_equal(r.grc, "INVALID_AGE");
}

static void test_load_errors(void **state)
{
	(void)state;
	struct folio_err e = { 0 };
	struct drg_tables *t = (struct drg_tables *)1;
	assert_int_equal(drg_tables_load("/nonexistent/codesets", &t, &e), FOLIO_EFAIL);
	assert_null(t);
	assert_non_null(strstr(e.msg, "/nonexistent/codesets"));
	assert_int_equal(drg_tables_load("", &t, &e), FOLIO_EUSAGE);
	assert_int_equal(drg_tables_load("/", &t, &e), FOLIO_EFAIL);
	assert_non_null(strstr(e.msg, "no MS-DRG v43 tables"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pack_round_trip),  cmocka_unit_test(test_damaged_blob),
		cmocka_unit_test(test_parse_fields),     cmocka_unit_test(test_parse_refusals),
		cmocka_unit_test(test_titles_and_names), cmocka_unit_test(test_group_struct),
		cmocka_unit_test(test_load_errors),
	};
	return cmocka_run_group_tests(tests, open_tables, close_tables);
}
