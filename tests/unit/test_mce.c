/* folio — the Medicare Code Editor (src/drg/mce.c) on the real MCE tables
 * of ../shared/codesets, and the coding lists' editing (coding_edit.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "folio/coding.h"
#include "folio/mce.h"
#include "folio/smem.h"

#include "unit_fixture.h"

#define CODESETS "../shared/codesets"

static struct mce_tables *tables;

static int load(void **state)
{
	struct folio_err e = { 0 };
	(void)state;
	if (smem_init() != 0)
		return -1;
	if (access(CODESETS "/mce_v43", R_OK) != 0)
		return 0;
	if (mce_tables_load(CODESETS, &tables, &e) != FOLIO_OK) {
		fprintf(stderr, "mce_tables_load: %s\n", e.msg);
		return -1;
	}
	return 0;
}

static int unload(void **state)
{
	(void)state;
	mce_tables_free(tables);
	return 0;
}

#define NEED_TABLES()                                                      \
	do {                                                               \
		if (!tables) {                                             \
			print_message("skipped: " CODESETS " not found\n"); \
			skip();                                            \
		}                                                          \
	} while (0)

static struct drg_claim claim(int age, char sex, int dstat, const char *pdx)
{
	struct drg_claim c;
	memset(&c, 0, sizeof c);
	c.age = age;
	c.sex = sex;
	c.discharge_status = dstat;
	str_copy(c.pdx, sizeof c.pdx, pdx);
	return c;
}

/* The number of findings of edit `edit` among those of claim c on date. */
static int count(const struct drg_claim *c, const char *date, enum mce_edit edit, int *fatal)
{
	struct mce_finding f[MCE_MAX_FINDINGS];
	int n = mce_check(tables, c, date, f, MCE_MAX_FINDINGS), k = 0;
	for (int i = 0; i < n && i < MCE_MAX_FINDINGS; i++) {
		assert_true(strlen(f[i].message) > 20); /* says what and how to fix */
		if (f[i].edit == edit) {
			k++;
			if (fatal)
				*fatal = f[i].fatal;
		}
	}
	return k;
}

static void test_clean_claim(void **state)
{
	(void)state;
	NEED_TABLES();
	struct drg_claim c = claim(70, 'M', 1, "I214");
	struct mce_finding f[MCE_MAX_FINDINGS];
	str_copy(c.sdx[0].code, sizeof c.sdx[0].code, "E119");
	c.sdx[0].poa = 'Y';
	c.nsdx = 1;
	str_copy(c.proc[0], sizeof c.proc[0], "02703DZ");
	c.nproc = 1;
	assert_int_equal(mce_check(tables, &c, "2026-03-01", f, MCE_MAX_FINDINGS), 0);
}

static void test_pdx_edits(void **state)
{
	(void)state;
	NEED_TABLES();
	int fatal = 0;
	struct drg_claim c = claim(40, 'F', 1, "V0001XA"); /* pedestrian conveyance accident */
	assert_int_equal(count(&c, "2026-03-01", MCE_E_CODE_AS_PDX, &fatal), 1);
	assert_int_equal(fatal, 1);
	c = claim(40, 'F', 1, "F0280"); /* dementia in other diseases: a manifestation */
	assert_int_equal(count(&c, "2026-03-01", MCE_MANIFESTATION_AS_PDX, NULL), 1);
	c = claim(40, 'F', 1, "B950"); /* streptococcus as the cause of a disease elsewhere: unacceptable */
	assert_true(count(&c, "2026-03-01", MCE_UNACCEPTABLE_PDX, NULL) >= 1);
}

static void test_invalid_codes_by_date(void **state)
{
	(void)state;
	NEED_TABLES();
	struct drg_claim c = claim(50, 'M', 1, "I21");  /* a header, never valid */
	assert_int_equal(count(&c, "2026-03-01", MCE_INVALID_CODE, NULL), 1);
	c = claim(50, 'M', 1, "ZZZ999");
	assert_int_equal(count(&c, "2026-03-01", MCE_INVALID_CODE, NULL), 1);
	/* a code that exists in one year and not in another: the date decides */
	c = claim(50, 'M', 1, "U071"); /* COVID-19, added 2020-04-01 */
	assert_int_equal(count(&c, "2019-12-01", MCE_INVALID_CODE, NULL), 1);
	assert_int_equal(count(&c, "2021-12-01", MCE_INVALID_CODE, NULL), 0);
	struct mce_finding f[4];
	assert_int_equal(mce_check(tables, &c, "", f, 4), 1); /* no discharge date */
	assert_int_equal(f[0].fatal, 1);
}

static void test_age_sex(void **state)
{
	(void)state;
	NEED_TABLES();
	/* A33 tetanus neonatorum: a newborn code on a 40-year-old */
	struct drg_claim c = claim(40, 'F', 1, "A33");
	assert_int_equal(count(&c, "2026-03-01", MCE_AGE_CONFLICT, NULL), 1);
	c.age = 0;
	assert_int_equal(count(&c, "2026-03-01", MCE_AGE_CONFLICT, NULL), 0);
	/* A34 obstetrical tetanus: maternity ages 9-64 */
	c = claim(70, 'F', 1, "A34");
	assert_int_equal(count(&c, "2026-03-01", MCE_AGE_CONFLICT, NULL), 1);
	/* the sex edits ended with FY2024: A34 on a man is a conflict only then */
	c = claim(30, 'M', 1, "A34");
	assert_int_equal(count(&c, "2024-03-01", MCE_SEX_CONFLICT, NULL), 1);
	assert_int_equal(count(&c, "2026-03-01", MCE_SEX_CONFLICT, NULL), 0);
	c = claim(130, 'X', 1, "I214");
	assert_int_equal(count(&c, "2026-03-01", MCE_INVALID_AGE, NULL), 1);
	assert_int_equal(count(&c, "2026-03-01", MCE_INVALID_SEX, NULL), 1);
}

static void test_status_and_duplicates(void **state)
{
	(void)state;
	NEED_TABLES();
	int fatal = 0;
	struct drg_claim c = claim(60, 'M', 99, "I214");
	assert_int_equal(count(&c, "2026-03-01", MCE_INVALID_DISCHARGE_STATUS, &fatal), 1);
	assert_int_equal(fatal, 1);
	c.discharge_status = 20;
	assert_int_equal(count(&c, "2026-03-01", MCE_INVALID_DISCHARGE_STATUS, NULL), 0);
	str_copy(c.sdx[0].code, sizeof c.sdx[0].code, "I214");
	str_copy(c.sdx[1].code, sizeof c.sdx[1].code, "E119");
	str_copy(c.sdx[2].code, sizeof c.sdx[2].code, "E119");
	c.nsdx = 3;
	assert_int_equal(count(&c, "2026-03-01", MCE_DUPLICATE_OF_PDX, NULL), 1);
	assert_int_equal(count(&c, "2026-03-01", MCE_DUPLICATE_CODE, NULL), 1);
}

static void test_pack_round_trip(void **state)
{
	(void)state;
	NEED_TABLES();
	unsigned char *blob = NULL;
	size_t len = 0;
	struct mce_tables *t2 = NULL;
	struct folio_err e = { 0 };
	assert_int_equal(mce_tables_pack(tables, &blob, &len, &e), FOLIO_OK);
	assert_int_equal(mce_tables_unpack(blob, len, &t2, &e), FOLIO_OK);
	struct drg_claim c = claim(40, 'F', 1, "A33");
	struct mce_finding a[8], b[8];
	int na = mce_check(tables, &c, "2026-03-01", a, 8), nb = mce_check(t2, &c, "2026-03-01", b, 8);
	assert_int_equal(na, nb);
	assert_true(na > 0);
	assert_string_equal(a[0].message, b[0].message);
	mce_tables_free(t2);
	/* one flipped byte anywhere is refused */
	blob[len / 2] ^= 1;
	assert_int_equal(mce_tables_unpack(blob, len, &t2, &e), FOLIO_EFAIL);
	assert_non_null(strstr(e.msg, "damaged"));
	assert_int_equal(mce_tables_unpack(blob, 10, &t2, &e), FOLIO_EFAIL);
	free(blob);
}

static void test_malformed_table(void **state)
{
	char dir[] = "/tmp/folio-mce-XXXXXX", path[128];
	struct mce_tables *t = NULL;
	struct folio_err e = { 0 };
	FILE *f;
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/mce_i10dx.tsv", dir);
	f = fopen(path, "w");
	fputs("code\teffective_from\teffective_to\tmce_attributes\traw_flags\n"
	      "A000\t2015-10-01\t2026-09-30\t\t\n"
	      "A001\t2015-13-01\t2026-09-30\t\t\n", f);
	fclose(f);
	assert_int_equal(mce_tables_load(dir, &t, &e), FOLIO_EFAIL);
	assert_null(t);
	assert_non_null(strstr(e.msg, "mce_i10dx.tsv:3: malformed code line"));
	unlink(path);
	rmdir(dir);
}

static void test_coding_edit(void **state)
{
	struct coding *c = coding_new();
	struct folio_err e = { 0 };
	char code[DRG_CODE_MAX], poa;
	(void)state;
	assert_int_equal(coding_code_norm(" i21.09 ", code, &e), FOLIO_OK);
	assert_string_equal(code, "I2109");
	assert_int_equal(coding_code_norm("I2", code, &e), FOLIO_EUSAGE);
	assert_int_equal(coding_code_norm("I21-09", code, &e), FOLIO_EUSAGE);
	assert_int_equal(coding_code_norm("I2109 X", code, &e), FOLIO_EUSAGE);
	assert_int_equal(coding_code_norm("A0000000", code, &e), FOLIO_EUSAGE);
	assert_int_equal(coding_poa_norm("e", &poa, &e), FOLIO_OK);
	assert_int_equal(poa, '1');
	assert_int_equal(coding_poa_norm("", &poa, &e), FOLIO_OK);
	assert_int_equal(poa, ' ');
	assert_int_equal(coding_poa_norm("Q", &poa, &e), FOLIO_EUSAGE);

	assert_int_equal(coding_set_pdx(c, "a41.9", &e), FOLIO_OK);
	assert_int_equal(coding_add_sdx(c, "N17.9", "y", &e), FOLIO_OK);
	assert_int_equal(coding_add_sdx(c, "E11.9", "N", &e), FOLIO_OK);
	assert_int_equal(coding_add_sdx(c, "A419", "Y", &e), FOLIO_EUSAGE); /* the principal */
	assert_int_equal(coding_add_sdx(c, "n179", "Y", &e), FOLIO_EUSAGE); /* twice */
	assert_int_equal(coding_set_pdx(c, "E119", &e), FOLIO_EUSAGE);     /* a secondary */
	assert_int_equal(coding_move(c, CODING_SDX, 1, -1, &e), FOLIO_OK);
	assert_string_equal(c->sdx[0].code, "E119");
	assert_int_equal(c->sdx[0].poa, 'N');
	assert_int_equal(coding_move(c, CODING_SDX, 0, -1, &e), FOLIO_EUSAGE);
	assert_int_equal(coding_promote(c, 1, &e), FOLIO_OK);
	assert_string_equal(c->pdx, "N179");
	assert_int_equal(c->nsdx, 2);
	assert_string_equal(c->sdx[0].code, "A419");
	assert_string_equal(c->sdx[1].code, "E119");
	assert_int_equal(coding_add_proc(c, "5A1955Z", "2026-03-02", &e), FOLIO_OK);
	assert_int_equal(coding_add_proc(c, "5A19", "", &e), FOLIO_EUSAGE);
	assert_int_equal(coding_add_proc(c, "0DTJ4ZZ", "3/2/2026", &e), FOLIO_EUSAGE);
	assert_int_equal(coding_remove(c, CODING_PROC, 3, &e), FOLIO_ENOTFOUND);
	assert_int_equal(coding_remove(c, CODING_SDX, 0, &e), FOLIO_OK);
	assert_int_equal(c->nsdx, 1);
	assert_int_equal(coding_find(c, CODING_SDX, "E119"), 0);
	for (int i = 1; i < CODING_SDX_MAX; i++) {
		char k[8];
		snprintf(k, sizeof k, "Z%03d", i);
		assert_int_equal(coding_add_sdx(c, k, "Y", &e), FOLIO_OK);
	}
	assert_int_equal(coding_add_sdx(c, "Z999", "Y", &e), FOLIO_EUSAGE); /* 25th */
	coding_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_claim),
		cmocka_unit_test(test_pdx_edits),
		cmocka_unit_test(test_invalid_codes_by_date),
		cmocka_unit_test(test_age_sex),
		cmocka_unit_test(test_status_and_duplicates),
		cmocka_unit_test(test_pack_round_trip),
		cmocka_unit_test(test_malformed_table),
		cmocka_unit_test(test_coding_edit),
	};
	return cmocka_run_group_tests(tests, load, unload);
}
