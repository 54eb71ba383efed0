/* folio — unit tests: synthetic patients (src/core/synth.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "folio/names.h"
#include "folio/synth.h"

#include "unit_fixture.h"

#define PEOPLE 100000
#define SEED 20261124u

/* ---- helpers --------------------------------------------------------- */


/* A field is NUL-terminated inside its array and valid UTF-8. */
#define FIELD_OK(p, f)                                                                      \
	do {                                                                                \
		const char *z_ = memchr((p)->f, '\0', sizeof (p)->f);                       \
		if (!z_ || !fixture_utf8_text((p)->f, (size_t)(z_ - (p)->f)))                         \
			fail_msg("person %d: field " #f " malformed", i);                   \
	} while (0)

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* "NPA-555-nnnn" */
static int phone_ok(const char *s)
{
	return strlen(s) == 12 && all_digits(s, 3) && s[0] >= '2' && memcmp(s + 3, "-555-", 5) == 0 &&
	       all_digits(s + 8, 4);
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* YYYY-MM-DD, a real date from 1925-11-25 to 2026-11-24 (ages 0-100). */
static int dob_ok(const char *s, int *y, int *m, int *d)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	long ymd;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !all_digits(s, 4) || !all_digits(s + 5, 2) ||
	    !all_digits(s + 8, 2))
		return 0;
	*y = atoi(s);
	*m = atoi(s + 5);
	*d = atoi(s + 8);
	if (*m < 1 || *m > 12 || *d < 1 || *d > mdays[*m - 1] + (*m == 2 && leap(*y)))
		return 0;
	ymd = *y * 10000L + *m * 100L + *d;
	return ymd >= 19251125L && ymd <= 20261124L;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* ---- determinism ----------------------------------------------------- */

static void test_deterministic(void **state)
{
	struct synth a, b, c;
	struct synth_person *pa = malloc(sizeof *pa), *pb = malloc(sizeof *pb), *pc = malloc(sizeof *pc);
	int differ = 0;

	(void)state;
	assert_non_null(pa);
	assert_non_null(pb);
	assert_non_null(pc);
	synth_init(&a, 7);
	synth_init(&b, 7);
	synth_init(&c, 8);
	for (int i = 0; i < 1000; i++) {
		memset(pa, 0, sizeof *pa);
		memset(pb, 0xFF, sizeof *pb);
		synth_person(&a, pa);
		synth_person(&b, pb);
		synth_person(&c, pc);
		/* compare field by field (bytes past the NULs are not defined) */
#define SAME(f) assert_string_equal(pa->f, pb->f)
		SAME(last); SAME(first); SAME(middle); SAME(suffix); SAME(preferred); SAME(dob);
		SAME(sex); SAME(address); SAME(city); SAME(state); SAME(zip); SAME(phone);
		SAME(mobile); SAME(email); SAME(ssn); SAME(language); SAME(insurer);
		SAME(member_id); SAME(emergency_name); SAME(emergency_phone);
#undef SAME
		differ += strcmp(pa->last, pc->last) != 0 || strcmp(pa->phone, pc->phone) != 0;
	}
	assert_true(differ > 900); /* another seed, other people */
	/* seed 0 works too */
	synth_init(&a, 0);
	synth_person(&a, pa);
	assert_true(pa->last[0] != '\0');
	free(pa);
	free(pb);
	free(pc);
}

/* ---- every field of 100,000 people ----------------------------------- */

static void test_fields_valid(void **state)
{
	struct synth g;
	struct synth_person p;
	int sex[4] = { 0 }, feb29 = 0, no_ssn = 0, mobile = 0, emails = 0, english = 0, spanish = 0;
	int medicare_young = 0, old = 0, first_accent = 0, preferred = 0;

	(void)state;
	synth_init(&g, SEED);
	for (int i = 0; i < PEOPLE; i++) {
		int y = 0, m = 0, d = 0;

		memset(&p, 0x5A, sizeof p);
		synth_person(&g, &p);
		FIELD_OK(&p, last);
		FIELD_OK(&p, first);
		FIELD_OK(&p, middle);
		FIELD_OK(&p, suffix);
		FIELD_OK(&p, preferred);
		FIELD_OK(&p, dob);
		FIELD_OK(&p, sex);
		FIELD_OK(&p, address);
		FIELD_OK(&p, city);
		FIELD_OK(&p, state);
		FIELD_OK(&p, zip);
		FIELD_OK(&p, phone);
		FIELD_OK(&p, mobile);
		FIELD_OK(&p, email);
		FIELD_OK(&p, ssn);
		FIELD_OK(&p, language);
		FIELD_OK(&p, insurer);
		FIELD_OK(&p, member_id);
		FIELD_OK(&p, emergency_name);
		FIELD_OK(&p, emergency_phone);

		if (p.last[0] == '\0' || p.first[0] == '\0')
			fail_msg("person %d: no name", i);
		if (!dob_ok(p.dob, &y, &m, &d))
			fail_msg("person %d: dob '%s'", i, p.dob);
		feb29 += m == 2 && d == 29;
		old += y < 1960;
		if (strlen(p.sex) != 1 || !strchr("FMXU", p.sex[0]))
			fail_msg("person %d: sex '%s'", i, p.sex);
		sex[strchr("FMXU", p.sex[0]) - "FMXU"]++;

		if (strlen(p.zip) != 5 || !all_digits(p.zip, 5))
			fail_msg("person %d: zip '%s'", i, p.zip);
		if (strlen(p.state) != 2 || p.state[0] < 'A' || p.state[0] > 'Z' || p.state[1] < 'A' ||
		    p.state[1] > 'Z')
			fail_msg("person %d: state '%s'", i, p.state);
		if (p.address[0] < '1' || p.address[0] > '9' || !strchr(p.address, ' ') || !p.city[0])
			fail_msg("person %d: address '%s'", i, p.address);

		if (!phone_ok(p.phone))
			fail_msg("person %d: phone '%s'", i, p.phone);
		if (p.mobile[0] && !phone_ok(p.mobile))
			fail_msg("person %d: mobile '%s'", i, p.mobile);
		mobile += p.mobile[0] != '\0';
		if (p.emergency_phone[0] && !phone_ok(p.emergency_phone))
			fail_msg("person %d: emergency phone '%s'", i, p.emergency_phone);
		if (!p.emergency_name[0] != !p.emergency_phone[0])
			fail_msg("person %d: emergency contact half there", i);

		if (p.ssn[0] == '\0') {
			no_ssn++;
		} else if (strlen(p.ssn) != 11 || p.ssn[0] != '9' || !all_digits(p.ssn, 3) ||
			   p.ssn[3] != '-' || !all_digits(p.ssn + 4, 2) || p.ssn[6] != '-' ||
			   !all_digits(p.ssn + 7, 4) || memcmp(p.ssn + 4, "00", 2) == 0 ||
			   memcmp(p.ssn + 7, "0000", 4) == 0) {
			fail_msg("person %d: ssn '%s'", i, p.ssn);
		}

		if (p.email[0]) {
			const char *at = strchr(p.email, '@');
			emails++;
			if (!at || at == p.email || strchr(at + 1, '@') ||
			    (strcmp(at + 1, "example.org") && strcmp(at + 1, "example.com") &&
			     strcmp(at + 1, "example.net")))
				fail_msg("person %d: email '%s'", i, p.email);
			for (const char *c = p.email; *c; c++)
				if ((unsigned char)*c >= 0x80 || *c == ' ')
					fail_msg("person %d: email '%s'", i, p.email);
		}

		if (!p.language[0] || !p.insurer[0])
			fail_msg("person %d: no language or insurer", i);
		english += strcmp(p.language, "English") == 0;
		spanish += strcmp(p.language, "Spanish") == 0;
		if (strcmp(p.insurer, "Medicare") == 0 && y > 1961)
			medicare_young++;
		if (strcmp(p.insurer, "Self-pay") != 0 && !p.member_id[0])
			fail_msg("person %d: insurer without member id", i);

		for (const char *c = p.first; *c; c++)
			if ((unsigned char)*c >= 0x80) {
				first_accent++;
				break;
			}
		preferred += p.preferred[0] != '\0';

		/* every surname makes index tokens */
		{
			char toks[NAME_TOKENS_MAX][NAME_NORM_MAX];
			if (name_tokens(p.last, toks, NAME_TOKENS_MAX) < 1)
				fail_msg("person %d: no tokens for '%s'", i, p.last);
		}
	}
	printf("sex F %d M %d X %d U %d; Feb 29 %d; no SSN %d; mobile %d; email %d; English %d "
	       "Spanish %d; accented first names %d; preferred %d\n",
	       sex[0], sex[1], sex[2], sex[3], feb29, no_ssn, mobile, emails, english, spanish,
	       first_accent, preferred);
	assert_in_range(sex[0], PEOPLE * 45 / 100, PEOPLE * 54 / 100);
	assert_in_range(sex[1], PEOPLE * 45 / 100, PEOPLE * 54 / 100);
	assert_in_range(sex[2], PEOPLE / 500, PEOPLE / 100); /* ~0.5% */
	assert_in_range(sex[3], PEOPLE / 500, PEOPLE / 100);
	assert_in_range(feb29, 20, 200);                     /* ~1/1461 of births */
	assert_in_range(old, PEOPLE / 5, PEOPLE / 2);        /* born before 1960 */
	assert_in_range(no_ssn, PEOPLE * 15 / 100, PEOPLE * 25 / 100);
	assert_in_range(mobile, PEOPLE * 60 / 100, PEOPLE * 80 / 100);
	assert_true(english > PEOPLE * 70 / 100);
	assert_true(spanish > PEOPLE / 50);
	assert_int_equal(medicare_young, 0);
	assert_true(first_accent > PEOPLE / 200);
}

/* ---- names: spread and shapes ----------------------------------------- */

static void test_surname_spread(void **state)
{
	struct synth g;
	struct synth_person p;
	char(*names)[64] = malloc(PEOPLE * sizeof *names);
	int accent = 0, hyphen = 0, apos = 0, curly = 0, particle = 0, script = 0;
	size_t distinct = 0, best = 0, run = 0;
	const char *top = "";

	(void)state;
	assert_non_null(names);
	synth_init(&g, SEED);
	for (int i = 0; i < PEOPLE; i++) {
		const unsigned char *c;
		int latin_accent = 0, other = 0;

		synth_person(&g, &p);
		memcpy(names[i], p.last, sizeof names[i]);
		for (c = (const unsigned char *)p.last; *c; c++) {
			if ((*c >= 0xC3 && *c <= 0xC5) || *c == 0xE1)
				latin_accent = 1; /* U+00C0-017F, U+1E00-1EFF */
			else if ((*c >= 0xCE && *c <= 0xDB) || *c == 0xE0)
				other = 1; /* Greek, Cyrillic, Hebrew, Arabic; Devanagari */
			else if (*c >= 0xE3 && *c <= 0xED)
				other = 1; /* CJK, Hangul */
		}
		accent += latin_accent;
		script += other;
		hyphen += strchr(p.last, '-') != NULL;
		apos += strchr(p.last, '\'') != NULL || strstr(p.last, "\xE2\x80\x99") != NULL;
		curly += strstr(p.last, "\xE2\x80\x99") != NULL;
		particle += strchr(p.last, ' ') != NULL;
	}
	qsort(names, PEOPLE, sizeof *names, cmp_names);
	for (size_t i = 0; i < PEOPLE; i++) {
		if (i == 0 || strcmp(names[i], names[i - 1]) != 0) {
			distinct++;
			run = 0;
		}
		if (++run > best) {
			best = run;
			top = names[i];
		}
	}
	printf("surnames: %zu distinct; most common %s %.3f%%; accented %.2f%%, hyphenated %.2f%%, "
	       "apostrophe %.2f%% (%d curly), particles %.2f%%, other scripts %.2f%%\n",
	       distinct, top, 100.0 * (double)best / PEOPLE, 100.0 * accent / PEOPLE,
	       100.0 * hyphen / PEOPLE, 100.0 * apos / PEOPLE, curly, 100.0 * particle / PEOPLE,
	       100.0 * script / PEOPLE);
	assert_in_range(best, PEOPLE / 200, PEOPLE / 50); /* 0.5% - 2% */
	assert_true(distinct >= 2000);
	assert_in_range(accent, PEOPLE * 2 / 100, PEOPLE * 5 / 100);
	assert_in_range(hyphen, PEOPLE * 15 / 1000, PEOPLE * 3 / 100);
	assert_in_range(apos, PEOPLE * 1 / 100, PEOPLE * 3 / 100);
	assert_true(curly > 0);
	assert_in_range(particle, PEOPLE * 5 / 1000, PEOPLE * 2 / 100);
	assert_in_range(script, PEOPLE * 2 / 1000, PEOPLE * 1 / 100);
	free(names);
}

/* ---- phones ---------------------------------------------------------- */

static void test_phone_spread(void **state)
{
	struct synth g;
	struct synth_person p;
	static unsigned char seen[10000];
	int distinct = 0;

	(void)state;
	memset(seen, 0, sizeof seen);
	synth_init(&g, SEED);
	for (int i = 0; i < PEOPLE; i++) {
		int last4;

		synth_person(&g, &p);
		last4 = atoi(p.phone + 8);
		assert_in_range(last4, 0, 9999);
		distinct += !seen[last4];
		seen[last4] = 1;
	}
	printf("phone last four: %d distinct of 10000\n", distinct);
	assert_true(distinct >= 9000);
}

/* ---- speed (printed, loosely checked) -------------------------------- */

static void test_speed(void **state)
{
	struct synth g;
	struct synth_person p;
	struct timespec t0, t1;
	unsigned sink = 0;
	double s;
	const int n = 200000;

	(void)state;
	synth_init(&g, 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < n; i++) {
		synth_person(&g, &p);
		sink += (unsigned char)p.last[0];
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("synth_person: %.0f people/s (%u)\n", n / s, sink & 1);
	assert_true(n / s > 20000); /* even sanitized */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_fields_valid),
		cmocka_unit_test(test_surname_spread),
		cmocka_unit_test(test_phone_spread),
		cmocka_unit_test(test_speed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
