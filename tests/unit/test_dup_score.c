/* folio — unit tests: the duplicate finder's comparison and blocking
 * (src/core/dup_score.c), and its quality on the Febrl data sets: precision
 * and recall of the pairs at or over DUP_THRESHOLD, each at least 0.95. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "folio/dupes.h"
#include "folio/smem.h"

#include "unit_fixture.h"

#define FEBRL "../shared/testdata/patient_matching/febrl"

/* ---- helpers --------------------------------------------------------- */

static const struct dup_input harriet = {
	"Harriet", "June", "Vandermolen", "1958-03-07", "F", "(555) 201-7788", "12 Orchard Lane", "Springfield",
	"62704", "123-45-6789",
};

static int score_of(const struct dup_input *x, const struct dup_input *y, char *reasons)
{
	struct dup_person a, b;
	char r[DUP_REASONS_MAX];
	int s;

	dup_person_make(x, &a);
	dup_person_make(y, &b);
	s = dup_compare(&a, &b, r, sizeof r);
	/* symmetric, always */
	assert_int_equal(dup_compare(&b, &a, NULL, 0), s);
	if (reasons)
		strcpy(reasons, r);
	return s;
}

static int has_reason(const char *reasons, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = reasons; (p = strstr(p, word)); p += n)
		if ((p == reasons || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return 1;
	return 0;
}

static int shares_key(const struct dup_input *x, const struct dup_input *y)
{
	struct dup_person a, b;
	uint64_t ka[DUP_KEYS_MAX], kb[DUP_KEYS_MAX];
	int na, nb;

	dup_person_make(x, &a);
	dup_person_make(y, &b);
	na = dup_person_keys(&a, ka);
	nb = dup_person_keys(&b, kb);
	for (int i = 0; i < na; i++)
		for (int j = 0; j < nb; j++)
			if (ka[i] == kb[j])
				return 1;
	return 0;
}

/* ---- the comparison ------------------------------------------------------ */

static void test_identical(void **state)
{
	char r[DUP_REASONS_MAX];
	int s = score_of(&harriet, &harriet, r);

	(void)state;
	assert_true(s >= DUP_THRESHOLD + 20);
	assert_string_equal(r, "family= given= middle= dob= sex= phone= number= street= city= zip= ssn=");
}

static void test_dob_transposed(void **state)
{
	struct dup_input x = harriet;
	char r[DUP_REASONS_MAX];

	(void)state;
	x.dob = "1958-07-03";
	assert_true(score_of(&harriet, &x, r) >= DUP_THRESHOLD);
	assert_true(has_reason(r, "dob-swap"));
	/* a day over 12 cannot be swapped: one digit off instead */
	x.dob = "1958-03-17";
	assert_true(score_of(&harriet, &x, r) >= DUP_THRESHOLD);
	assert_true(has_reason(r, "dob~"));
	/* only the year */
	x.dob = "1958-11-25";
	score_of(&harriet, &x, r);
	assert_true(has_reason(r, "dob-year"));
	/* a partial date agrees as far as it goes */
	x.dob = "1958";
	score_of(&harriet, &x, r);
	assert_true(has_reason(r, "dob-year"));
}

static void test_typo_one_digit(void **state)
{
	struct dup_input x = harriet, y = harriet;
	char r[DUP_REASONS_MAX];
	int same = score_of(&harriet, &harriet, NULL);

	(void)state;
	x.family = "Vandermollen";
	x.phone = "555 201 7789";
	x.dob = "1959-03-07";
	assert_true(score_of(&harriet, &x, r) >= DUP_THRESHOLD);
	assert_true(has_reason(r, "family~"));
	assert_true(has_reason(r, "phone~"));
	assert_true(has_reason(r, "dob~"));
	assert_true(score_of(&harriet, &x, NULL) < same);
	/* a different surname costs more than a typo */
	y.family = "Okonkwo";
	assert_true(score_of(&harriet, &y, r) < score_of(&harriet, &x, NULL));
	assert_true(has_reason(r, "family!"));
}

static void test_names_swapped(void **state)
{
	struct dup_input x = harriet;
	char r[DUP_REASONS_MAX];

	(void)state;
	x.given = "Vandermolen";
	x.family = "Harriet";
	assert_true(score_of(&harriet, &x, r) >= DUP_THRESHOLD);
	assert_true(has_reason(r, "name-swap"));
	assert_false(has_reason(r, "family!"));
	assert_true(shares_key(&harriet, &x));
}

static void test_missing_neutral(void **state)
{
	struct dup_input bare = { 0 }, x = harriet;
	char r[DUP_REASONS_MAX];

	(void)state;
	/* nothing to compare: nothing said, score 0 */
	assert_int_equal(score_of(&bare, &harriet, r), 0);
	assert_string_equal(r, "");
	/* a missing phone neither helps nor hurts */
	x.phone = NULL;
	assert_int_equal(score_of(&harriet, &x, r),
			 score_of(&harriet, &harriet, NULL) - score_of(&(struct dup_input){ .phone = harriet.phone },
								       &(struct dup_input){ .phone = harriet.phone }, NULL));
	assert_false(has_reason(r, "phone=") || has_reason(r, "phone!"));
	/* unknown sex ("U") is missing, not a disagreement */
	x = harriet;
	x.sex = "U";
	score_of(&harriet, &x, r);
	assert_false(has_reason(r, "sex!") || has_reason(r, "sex="));
	x.sex = "M";
	score_of(&harriet, &x, r);
	assert_true(has_reason(r, "sex!"));
}

static void test_accents(void **state)
{
	struct dup_input a = { "Søren", NULL, "Muñoz-O'Brien", "1970-01-02", "M", NULL, NULL, NULL, NULL, NULL };
	struct dup_input b = { "Soren", NULL, "Munoz OBrien", "1970-01-02", "M", NULL, NULL, NULL, NULL, NULL };
	char r[DUP_REASONS_MAX];

	(void)state;
	assert_true(score_of(&a, &b, r) >= DUP_THRESHOLD);
	assert_true(has_reason(r, "family="));
	assert_true(has_reason(r, "given="));
	assert_true(shares_key(&a, &b));
}

/* The reasons name fields, never values. */
static void test_reasons_hold_no_values(void **state)
{
	struct dup_input x = harriet;
	char r[DUP_REASONS_MAX];

	(void)state;
	x.family = "Vandermollen";
	x.dob = "1958-07-03";
	score_of(&harriet, &x, r);
	assert_null(strstr(r, "VANDER"));
	assert_null(strstr(r, "Vander"));
	assert_null(strstr(r, "1958"));
	assert_null(strstr(r, "7788"));
	assert_null(strstr(r, "62704"));
}

static void test_unrelated(void **state)
{
	struct dup_input other = { "Bartholomew", NULL, "Quistgaard", "1990-11-30", "M", "555-909-1234",
				   "400 Elm Street", "Shelbyville", "62565", NULL };
	/* same birthday and city, different person */
	struct dup_input twin_day = { "Oswald", NULL, "Pettigrew", "1958-03-07", "M", NULL, "9 Birch Road",
				      "Springfield", "62704", NULL };

	(void)state;
	assert_true(score_of(&harriet, &other, NULL) < 0);
	assert_true(score_of(&harriet, &twin_day, NULL) < DUP_THRESHOLD);
	assert_false(shares_key(&harriet, &other));
}

static void test_jaro_winkler(void **state)
{
	(void)state;
	assert_true(dup_jaro_winkler("MARTHA", "MARTHA") > 0.999);
	/* the textbook figures */
	assert_true(dup_jaro_winkler("MARTHA", "MARHTA") > 0.960 && dup_jaro_winkler("MARTHA", "MARHTA") < 0.962);
	assert_true(dup_jaro_winkler("DWAYNE", "DUANE") > 0.839 && dup_jaro_winkler("DWAYNE", "DUANE") < 0.841);
	assert_true(dup_jaro_winkler("ABC", "XYZ") < 0.001);
	assert_true(dup_jaro_winkler("", "ABC") < 0.001);
}

static void test_candidates(void **state)
{
	struct dup_person ps[4];
	struct dup_input x = harriet, other = { "Bartholomew", NULL, "Quistgaard", "1990-11-30", "M", NULL, NULL,
						NULL, NULL, NULL };
	uint64_t *pairs;
	size_t n;

	(void)state;
	x.family = "Vandermollen";
	x.dob = "1958-07-03";
	dup_person_make(&harriet, &ps[0]);
	dup_person_make(&other, &ps[1]);
	dup_person_make(&x, &ps[2]);
	dup_person_make(&harriet, &ps[3]);
	assert_int_equal(dup_candidates(ps, 4, &pairs, &n), 0);
	/* 0-2, 0-3, 2-3: the two Harriets and the near one; never Bartholomew */
	assert_int_equal(n, 3);
	assert_true(pairs[0] == ((uint64_t)0 << 32 | 2) && pairs[1] == ((uint64_t)0 << 32 | 3) &&
		    pairs[2] == ((uint64_t)2 << 32 | 3));
	free(pairs);
}

/* ---- Febrl ------------------------------------------------------------------ */

static void test_febrl_quality(void **state)
{
	static const char *const sets[] = { "dataset1.csv", "dataset2.csv", "dataset3.csv" };
	char path[256];

	(void)state;
	for (size_t k = 0; k < 3; k++) {
		struct dup_person *ps;
		struct dup_quality q;
		long *truth;
		size_t n;

		snprintf(path, sizeof path, "%s/%s", FEBRL, sets[k]);
		if (dup_febrl_load(path, &ps, &truth, &n) != 0) {
			printf("skipped: %s not found\n", FEBRL);
			skip();
		}
		assert_true(n == 1000 || n == 5000);
		assert_int_equal(dup_measure(ps, truth, n, DUP_THRESHOLD, &q), 0);
		printf("%s: %zu rows, %zu true pairs, blocking %.4f; P %.4f R %.4f F1 %.4f\n", sets[k], n,
		       q.true_pairs, q.completeness, q.precision, q.recall, q.f1);
		assert_true(q.completeness >= 0.99);
		assert_true(q.precision >= 0.95);
		assert_true(q.recall >= 0.95);
		free(ps);
		free(truth);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical),
		cmocka_unit_test(test_dob_transposed),
		cmocka_unit_test(test_typo_one_digit),
		cmocka_unit_test(test_names_swapped),
		cmocka_unit_test(test_missing_neutral),
		cmocka_unit_test(test_accents),
		cmocka_unit_test(test_reasons_hold_no_values),
		cmocka_unit_test(test_unrelated),
		cmocka_unit_test(test_jaro_winkler),
		cmocka_unit_test(test_candidates),
		cmocka_unit_test(test_febrl_quality),
	};

	if (smem_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
