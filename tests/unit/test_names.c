/* folio — unit tests: name normal form, tokens, Soundex, edit distance.
 * (src/core/names.c) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "folio/names.h"

#include "unit_fixture.h"

#define BLNS "../shared/testdata/patient_matching/naughty_strings/blns.txt"

/* ---- helpers --------------------------------------------------------- */


/* name_normalize(s) must be want (and return its length). */
static void norm_is(const char *s, const char *want)
{
	char out[NAME_NORM_MAX];
	int n = name_normalize(s, out, sizeof out);

	assert_string_equal(out, want);
	assert_int_equal(n, (int)strlen(want));
}

/* name_tokens(s) must be exactly want[0..n-1], in order. */
static void tokens_are(const char *s, const char *const *want, int n)
{
	char out[NAME_TOKENS_MAX][NAME_NORM_MAX];
	int got = name_tokens(s, out, NAME_TOKENS_MAX);

	for (int i = 0; i < got && i < n; i++)
		assert_string_equal(out[i], want[i]);
	assert_int_equal(got, n);
}

static void soundex_is(const char *s, const char *want)
{
	char norm[NAME_NORM_MAX], sx[5];

	assert_true(name_normalize(s, norm, sizeof norm) >= 0);
	memset(sx, 'x', sizeof sx);
	name_soundex(norm, sx);
	assert_string_equal(sx, want);
}

/* ---- normal form ----------------------------------------------------- */

static void test_normalize_latin(void **state)
{
	(void)state;
	norm_is("O'Brien", "OBRIEN");
	norm_is("O\xE2\x80\x99" "Brien", "OBRIEN");  /* U+2019 */
	norm_is("O\xCA\xBC" "Brien", "OBRIEN");      /* U+02BC */
	norm_is("Mu\xC3\xB1oz", "MUNOZ");            /* precomposed ñ */
	norm_is("Mun\xCC\x83oz", "MUNOZ");           /* n + U+0303 */
	norm_is("Se\xC3\xA1n", "SEAN");
	norm_is("Stra\xC3\x9F" "e", "STRASSE");
	norm_is("smith", "SMITH");
	norm_is("  Smith-Jones ", "SMITHJONES");
	norm_is("Smith\xE2\x80\x90Jones", "SMITHJONES"); /* U+2010 hyphen */
	norm_is("Smith\xE2\x80\x94Jones", "SMITHJONES"); /* U+2014 dash */
	norm_is("de la Cruz", "DELACRUZ");
	norm_is("St. John", "STJOHN");
	norm_is("\xC3\x86" "thelred", "AETHELRED");      /* Æ */
	norm_is("\xC3\xA6", "AE");
	norm_is("S\xC3\xB8ren", "SOREN");                /* ø */
	norm_is("\xC3\x98" "stergaard", "OSTERGAARD");   /* Ø */
	norm_is("\xC5\x92uvre", "OEUVRE");               /* Œ */
	norm_is("\xC5\x93", "OE");
	norm_is("\xC3\x9E" "orsson", "THORSSON");        /* Þ */
	norm_is("\xC3\x90" "or", "DOR");                 /* Ð */
	norm_is("\xC4\x91" "or\xC4\x91" "evi\xC4\x87", "DORDEVIC"); /* đorđević */
	norm_is("\xC5\x81ukasz \xC5\x82" "a", "LUKASZLA");          /* Ł ł */
	norm_is("Y\xC4\xB1lmaz", "YILMAZ");              /* ı */
	norm_is("Dvo\xC5\x99\xC3\xA1k", "DVORAK");
	norm_is("M\xC3\xBCller", "MULLER");
	norm_is("Zo\xC3\xAB", "ZOE");
	norm_is("Ren\xC3\xA9" "e", "RENEE");
	norm_is("Nguy\xE1\xBB\x85n", "NGUYEN");          /* ễ U+1EC5 */
	norm_is("\xC3\x80\xC3\x81\xC3\x82\xC3\x83\xC3\x84\xC3\x85", "AAAAAA");
	norm_is("\xC3\xBF", "Y");                        /* ÿ */
	norm_is("a\xC3\x97" "b\xC3\xB7" "c", "ABC");     /* × ÷ dropped */
	norm_is("\xEF\xBC\xAD\xEF\xBD\x95", "MU");       /* full-width Mu */
	norm_is("\xEF\xAC\x81" "sher", "FISHER");        /* ﬁ ligature */
}

static void test_normalize_other_scripts(void **state)
{
	(void)state;
	/* Greek: lower to upper (ς too), accented letters to accented capitals */
	norm_is("\xCE\xB1\xCE\xB2\xCE\xB3", "\xCE\x91\xCE\x92\xCE\x93"); /* αβγ */
	norm_is("\xCF\x83\xCF\x82", "\xCE\xA3\xCE\xA3");                 /* σς */
	norm_is("\xCE\xA0\xCE\xB1\xCF\x80\xCE\xB1\xCE\xB4\xCF\x8C\xCF\x80\xCE\xBF\xCF\x85\xCE\xBB\xCE\xBF\xCF\x82",
		"\xCE\xA0\xCE\x91\xCE\xA0\xCE\x91\xCE\x94\xCE\x8C\xCE\xA0\xCE\x9F\xCE\xA5\xCE\x9B\xCE\x9F\xCE\xA3");
	/* Cyrillic: Иванов -> ИВАНОВ, ёж -> ЁЖ */
	norm_is("\xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD\xD0\xBE\xD0\xB2",
		"\xD0\x98\xD0\x92\xD0\x90\xD0\x9D\xD0\x9E\xD0\x92");
	norm_is("\xD1\x91\xD0\xB6", "\xD0\x81\xD0\x96");
	norm_is("\xD1\x97", "\xD0\x87");  /* ї -> Ї */
	/* CJK and Arabic kept as they are; spaces between them dropped */
	norm_is("\xE7\x8E\x8B", "\xE7\x8E\x8B");                          /* 王 */
	norm_is("\xE7\x94\xB0\xE4\xB8\xAD \xE8\x8A\xB1\xE5\xAD\x90",
		"\xE7\x94\xB0\xE4\xB8\xAD\xE8\x8A\xB1\xE5\xAD\x90");      /* 田中 花子 */
	norm_is("\xD8\xAD\xD8\xAF\xD8\xA7\xD8\xAF", "\xD8\xAD\xD8\xAF\xD8\xA7\xD8\xAF");
	/* mixed */
	norm_is("Wang \xE7\x8E\x8B", "WANG\xE7\x8E\x8B");
	/* invisible and bidi characters dropped */
	norm_is("Sm\xE2\x80\x8Bith\xE2\x80\x8F", "SMITH");
	norm_is("\xEF\xBB\xBFSmith", "SMITH");
}

static void test_normalize_empty_digits(void **state)
{
	char out[8];

	(void)state;
	norm_is("", "");
	norm_is("'-- .,", "");
	norm_is("Smith 3rd", "SMITH3RD");
	assert_int_equal(name_normalize("x", out, 0), 0);
	assert_int_equal(name_normalize(NULL, out, sizeof out), -1);
	assert_string_equal(out, "");
}

static void test_normalize_invalid(void **state)
{
	static const char *const bad[] = {
		"\x80",                 /* lone continuation */
		"Mu\xC3",               /* truncated */
		"Mu\xC3" "oz",          /* lead without continuation */
		"\xC0\xAF",             /* overlong / */
		"\xC1\xBF",             /* overlong */
		"\xE0\x80\xAF",         /* overlong */
		"\xED\xA0\x80",         /* surrogate U+D800 */
		"\xF4\x90\x80\x80",     /* past U+10FFFF */
		"\xF8\x88\x80\x80\x80", /* 5-byte form */
		"\xFF",
		"Smith\xE2\x80",        /* truncated at the end */
	};
	char out[32];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(out, 'x', sizeof out);
		assert_int_equal(name_normalize(bad[i], out, sizeof out), -1);
		assert_string_equal(out, "");
	}
	/* invalid after the truncation point still counts */
	assert_int_equal(name_normalize("ABCDEFGH\xFF", out, 4), -1);
	/* valid edge cases */
	norm_is("\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"); /* U+1F600 kept */
	norm_is("\xF4\x8F\xBF\xBF", "\xF4\x8F\xBF\xBF"); /* U+10FFFF */
}

static void test_normalize_truncation(void **state)
{
	/* accented Latin, ß (two letters from one), Greek and CJK */
	static const char s[] = "Mu\xC3\xB1oz Stra\xC3\x9F" "e \xCE\xB1\xCE\xB2 \xE7\x8E\x8B\xE7\x8E\x8B "
				"Pe\xC3\xB1" "a \xF0\x9F\x98\x80 S\xC3\xB8ren";
	char full[NAME_NORM_MAX];
	int fulln = name_normalize(s, full, sizeof full);

	(void)state;
	assert_true(fulln > 20);
	for (size_t cap = 1; cap <= 40; cap++) {
		char buf[64];
		int n;

		memset(buf, 0x5A, sizeof buf);
		n = name_normalize(s, buf, cap);
		assert_true(n >= 0);
		assert_true((size_t)n <= cap - 1);
		assert_int_equal(buf[n], '\0');
		assert_int_equal((size_t)n, strlen(buf));
		for (size_t i = cap; i < sizeof buf; i++)
			assert_int_equal(buf[i], 0x5A); /* nothing past cap */
		assert_true(fixture_utf8_ok(buf, (size_t)n));
		/* a prefix of the full normal form, at most 3 bytes short */
		assert_memory_equal(buf, full, (size_t)n);
		if ((size_t)fulln > cap - 1)
			assert_true((size_t)n + 3 >= cap - 1);
		else
			assert_int_equal(n, fulln);
	}
}

/* ---- tokens ---------------------------------------------------------- */

static void test_tokens(void **state)
{
	static const char *const obm[] = { "OBRIENMUNOZ", "OBRIEN", "MUNOZ" };
	static const char *const cruz[] = { "DELACRUZ", "DE", "LA", "CRUZ" };
	static const char *const smith[] = { "SMITH" };
	static const char *const vdb[] = { "VANDERBERG", "VAN", "DER", "BERG" };
	static const char *const sj[] = { "SMITHJONES", "SMITH", "JONES" };
	static const char *const ab[] = { "SMITHSMITH", "SMITH" };
	static const char *const jfk[] = { "OBRIEN", "BRIEN" };
	char out[NAME_TOKENS_MAX][NAME_NORM_MAX];

	(void)state;
	tokens_are("O'Brien-Mu\xC3\xB1oz", obm, 3);
	tokens_are("O\xE2\x80\x99" "Brien\xE2\x80\x90Mun\xCC\x83oz", obm, 3);
	tokens_are("de la Cruz", cruz, 4);
	tokens_are("Smith", smith, 1);
	tokens_are("  smith  ", smith, 1);
	tokens_are("van der Berg", vdb, 4);
	tokens_are("Smith - Jones", sj, 3);
	tokens_are("Smith\xE2\x80\x94Jones", sj, 3);
	tokens_are("Smith-Smith", ab, 2);   /* no repeats */
	tokens_are("O' Brien", jfk, 2);    /* "O" too short */
	tokens_are("O Brien", jfk, 2);
	/* nothing to index */
	assert_int_equal(name_tokens("", out, NAME_TOKENS_MAX), 0);
	assert_int_equal(name_tokens("'-'", out, NAME_TOKENS_MAX), 0);
	assert_int_equal(name_tokens("Mu\xC3", out, NAME_TOKENS_MAX), 0);
	assert_int_equal(name_tokens(NULL, out, NAME_TOKENS_MAX), 0);
	assert_int_equal(name_tokens("Smith", out, 0), 0);
	/* max respected */
	assert_int_equal(name_tokens("de la Cruz", out, 2), 2);
	assert_string_equal(out[0], "DELACRUZ");
	assert_string_equal(out[1], "DE");
	assert_int_equal(name_tokens("aa bb cc dd ee ff gg hh ii jj", out, NAME_TOKENS_MAX), NAME_TOKENS_MAX);
	/* one-letter CJK parts are skipped, two-letter ones kept */
	assert_int_equal(name_tokens("\xE7\x8E\x8B \xE6\x9D\x8E", out, NAME_TOKENS_MAX), 1);
	assert_int_equal(name_tokens("\xE7\x94\xB0\xE4\xB8\xAD-\xE7\x8E\x8B", out, NAME_TOKENS_MAX), 2);
	assert_string_equal(out[1], "\xE7\x94\xB0\xE4\xB8\xAD");
}

/* ---- Soundex --------------------------------------------------------- */

static void test_soundex(void **state)
{
	(void)state;
	soundex_is("Robert", "R163");
	soundex_is("Rupert", "R163");
	soundex_is("Ashcraft", "A261");
	soundex_is("Ashcroft", "A261");
	soundex_is("Tymczak", "T522");
	soundex_is("Pfister", "P236");
	soundex_is("Honeyman", "H555");
	soundex_is("Lee", "L000");
	soundex_is("Gutierrez", "G362");
	soundex_is("Jackson", "J250");
	soundex_is("O'Brien", "O165");
	soundex_is("Mu\xC3\xB1oz", "M520");
	soundex_is("Smith", "S530");
	soundex_is("Schmidt", "S530");
}

static void test_soundex_edge(void **state)
{
	char sx[5];

	(void)state;
	name_soundex("", sx);
	assert_string_equal(sx, "");
	name_soundex("\xE7\x8E\x8B", sx);
	assert_string_equal(sx, "");
	name_soundex("1234", sx);
	assert_string_equal(sx, "");
	name_soundex(NULL, sx);
	assert_string_equal(sx, "");
	name_soundex("smith", sx);  /* lower case accepted */
	assert_string_equal(sx, "S530");
	name_soundex("A", sx);
	assert_string_equal(sx, "A000");
}

/* ---- distance -------------------------------------------------------- */

static void test_distance(void **state)
{
	char a[300], b[300];

	(void)state;
	assert_int_equal(name_distance("KITTEN", "SITTING", 10), 3);
	assert_int_equal(name_distance("SMTIH", "SMITH", 10), 1);
	assert_int_equal(name_distance("CA", "ABC", 10), 3); /* OSA, not full Damerau */
	assert_int_equal(name_distance("SMITH", "SMITH", 0), 0);
	assert_int_equal(name_distance("", "", 3), 0);
	assert_int_equal(name_distance("", "ABC", 3), 3);
	assert_int_equal(name_distance("ABC", "", 5), 3);
	assert_int_equal(name_distance(NULL, "AB", 5), 2);
	/* capped: cap+1 as soon as it is beyond */
	assert_int_equal(name_distance("KITTEN", "SITTING", 2), 3);
	assert_int_equal(name_distance("KITTEN", "SITTING", 1), 2);
	assert_int_equal(name_distance("KITTEN", "SITTING", 0), 1);
	assert_int_equal(name_distance("A", "ABCDEFGHIJ", 3), 4);         /* lengths alone */
	assert_int_equal(name_distance("ABCDEFGHIJ", "KLMNOPQRST", 2), 3); /* rows */
	assert_int_equal(name_distance("JOHNSON", "JONSON", 1), 1);
	/* code points, not bytes: ИВАНОВ / ИВАНОФ */
	assert_int_equal(name_distance("\xD0\x98\xD0\x92\xD0\x90\xD0\x9D\xD0\x9E\xD0\x92",
				       "\xD0\x98\xD0\x92\xD0\x90\xD0\x9D\xD0\x9E\xD0\xA4", 5), 1);
	/* long names (malloc path) */
	memset(a, 'A', sizeof a - 1);
	a[sizeof a - 1] = '\0';
	memcpy(b, a, sizeof b);
	b[100] = 'B';
	b[200] = 'C';
	assert_int_equal(name_distance(a, b, 5), 2);
	assert_int_equal(name_distance(a, b, 1), 2);
	assert_int_equal(name_distance(a, "AAA", 5), 6);
	/* negative cap: uncapped */
	assert_int_equal(name_distance("KITTEN", "SITTING", -1), 3);
	/* invalid bytes compare too */
	assert_int_equal(name_distance("A\xFF", "A\xFE", 5), 1);
}

/* ---- naughty strings ------------------------------------------------- */

static void check_naughty(const char *s)
{
	static const size_t caps[] = { 1, 2, 3, 5, 8, 16, NAME_NORM_MAX };
	char buf[NAME_NORM_MAX + 8];
	char toks[NAME_TOKENS_MAX + 1][NAME_NORM_MAX];
	char sx[5];
	int n, t;

	for (size_t c = 0; c < sizeof caps / sizeof caps[0]; c++) {
		memset(buf, 0x5A, sizeof buf);
		n = name_normalize(s, buf, caps[c]);
		assert_true(n >= -1);
		if (n >= 0) {
			assert_true((size_t)n < caps[c]);
			assert_int_equal(strlen(buf), (size_t)n);
			assert_true(fixture_utf8_ok(buf, (size_t)n));
		} else {
			assert_string_equal(buf, "");
		}
		for (size_t i = caps[c]; i < sizeof buf; i++)
			assert_int_equal(buf[i], 0x5A);
	}
	memset(toks, 0x5A, sizeof toks);
	t = name_tokens(s, toks, NAME_TOKENS_MAX);
	assert_true(t >= 0 && t <= NAME_TOKENS_MAX);
	for (int i = 0; i < t; i++) {
		assert_true(memchr(toks[i], '\0', NAME_NORM_MAX) != NULL);
		assert_true(strlen(toks[i]) > 0);
		assert_true(fixture_utf8_ok(toks[i], strlen(toks[i])));
	}
	for (size_t i = 0; i < NAME_NORM_MAX; i++)
		assert_int_equal((unsigned char)toks[NAME_TOKENS_MAX][i], 0x5A);
	if (n >= 0) {
		name_soundex(buf, sx);
		assert_true(strlen(sx) == 0 || strlen(sx) == 4);
		assert_true(name_distance(buf, "SMITH", 3) <= 4);
	}
}

static void test_naughty_strings(void **state)
{
	FILE *f = fopen(BLNS, "rb");
	char line[8192];
	int count = 0;

	(void)state;
	if (!f) {
		printf("SKIP naughty strings: %s not found\n", BLNS);
		return;
	}
	while (fgets(line, sizeof line, f)) {
		size_t n = strlen(line);

		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		check_naughty(line);
		count++;
	}
	fclose(f);
	assert_true(count > 100);
	/* and some hostile inputs of our own */
	check_naughty("\xCC\x83\xCC\x83\xCC\x83\xCC\x83");       /* combining marks only */
	check_naughty("\xEF\xBB\xBF\xE2\x80\x8B\xE2\x80\xAE");  /* BOM, ZWSP, RLO */
	check_naughty("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9");
	check_naughty("-------------- - - - ' ' '");
}

/* Every single code point, alone and after a letter, at a tight cap. */
static void test_every_code_point(void **state)
{
	(void)state;
	for (uint32_t cp = 1; cp <= 0x10FFFF; cp++) {
		char s[8], out[6], big[16];
		size_t k;
		int n;

		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		s[0] = 'a';
		if (cp < 0x80) {
			s[1] = (char)cp;
			k = 1;
		} else if (cp < 0x800) {
			s[1] = (char)(0xC0 | (cp >> 6));
			s[2] = (char)(0x80 | (cp & 0x3F));
			k = 2;
		} else if (cp < 0x10000) {
			s[1] = (char)(0xE0 | (cp >> 12));
			s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
			s[3] = (char)(0x80 | (cp & 0x3F));
			k = 3;
		} else {
			s[1] = (char)(0xF0 | (cp >> 18));
			s[2] = (char)(0x80 | ((cp >> 12) & 0x3F));
			s[3] = (char)(0x80 | ((cp >> 6) & 0x3F));
			s[4] = (char)(0x80 | (cp & 0x3F));
			k = 4;
		}
		s[k + 1] = '\0';
		n = name_normalize(s, big, sizeof big);
		if (n < 1 || n > 5 || !fixture_utf8_ok(big, (size_t)n) || big[0] != 'A')
			fail_msg("U+%04X: %d", (unsigned)cp, n);
		n = name_normalize(s, out, 3);
		if (n < 1 || n > 2 || !fixture_utf8_ok(out, (size_t)n))
			fail_msg("U+%04X at cap 3: %d", (unsigned)cp, n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize_latin),
		cmocka_unit_test(test_normalize_other_scripts),
		cmocka_unit_test(test_normalize_empty_digits),
		cmocka_unit_test(test_normalize_invalid),
		cmocka_unit_test(test_normalize_truncation),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_soundex),
		cmocka_unit_test(test_soundex_edge),
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_naughty_strings),
		cmocka_unit_test(test_every_code_point),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
