/* folio — name handling for the patient index: normal form, tokens,
 * Soundex and a capped edit distance (include/folio/names.h).
 *
 * Pure libc; no allocation except in name_distance for names longer than
 * NAME_NORM_MAX - 1 code points.
 *
 * Folding, per code point of strictly decoded UTF-8 (overlong forms,
 * surrogates, code points past U+10FFFF and truncated sequences are refused):
 *   ASCII            letters upper-cased, digits kept, everything else dropped
 *   U+0080-00BF      dropped (C1 controls, NBSP, Latin-1 punctuation/symbols)
 *   U+00C0-024F      Latin letters to their base ASCII letters (ß -> SS,
 *   U+1E00-1EFF      Æ -> AE, Þ -> TH, Ø -> O, Ł -> L, ı -> I, Vietnamese
 *                    ễ -> E, ...); × ÷ dropped; letters with no ASCII base
 *                    (ə, ʒ, clicks) kept as they are
 *   U+02B0-02FF      dropped (modifier letters: ʼ ʻ ˈ and spacing accents)
 *   combining marks  dropped (U+0300-036F, 0483-0489, 1AB0-1AFF, 1DC0-1DFF,
 *                    20D0-20FF, FE20-FE2F), so decomposed input folds too
 *   Greek, Cyrillic  simple upper-case mapping (U+0370-03FF, 0400-052F);
 *                    Greek punctuation and tonos marks dropped
 *   U+2000-206F,     dropped (spaces, hyphens, dashes, quotes incl. ’,
 *   U+2E00-2E7F      zero-width and bidi controls, supplemental punctuation)
 *   U+FB00-FB06      ligatures ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ to letters
 *   U+FF01-FF5E      full-width ASCII folded like ASCII
 *   dropped besides: U+3000-3003, U+30FB (ideographic space and punctuation,
 *                    katakana middle dot), variation selectors, BOM, tags,
 *                    U+FFF9-FFFD
 *   anything else    (CJK, Arabic, Hebrew, Devanagari, ...) kept as UTF-8.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "folio/names.h"

/* The ASCII letters of U+00C0-024F and U+1E00-1EFF ("" dropped, "*" kept
 * as is); generated from Unicode decompositions and character names. */
/* U+00C0-U+024F */
static const char latin_c0[400][3] = {
	"A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I", "D", "N", "O",
	"O", "O", "O", "O", "", "O", "U", "U", "U", "U", "Y", "TH", "SS", "A", "A", "A", "A", "A", "A",
	"AE", "C", "E", "E", "E", "E", "I", "I", "I", "I", "D", "N", "O", "O", "O", "O", "O", "", "O",
	"U", "U", "U", "U", "Y", "TH", "Y", "A", "A", "A", "A", "A", "A", "C", "C", "C", "C", "C", "C",
	"C", "C", "D", "D", "D", "D", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "G", "G", "G",
	"G", "G", "G", "G", "G", "H", "H", "H", "H", "I", "I", "I", "I", "I", "I", "I", "I", "I", "I",
	"IJ", "IJ", "J", "J", "K", "K", "K", "L", "L", "L", "L", "L", "L", "L", "L", "L", "L", "N", "N",
	"N", "N", "N", "N", "N", "N", "N", "O", "O", "O", "O", "O", "O", "OE", "OE", "R", "R", "R", "R",
	"R", "R", "S", "S", "S", "S", "S", "S", "S", "S", "T", "T", "T", "T", "T", "T", "U", "U", "U",
	"U", "U", "U", "U", "U", "U", "U", "U", "U", "W", "W", "Y", "Y", "Y", "Z", "Z", "Z", "Z", "Z",
	"Z", "S", "B", "B", "B", "B", "*", "*", "*", "C", "C", "*", "D", "D", "D", "*", "*", "*", "*",
	"F", "F", "G", "*", "HV", "*", "I", "K", "K", "L", "*", "*", "N", "N", "O", "O", "O", "OI", "OI",
	"P", "P", "*", "*", "*", "*", "*", "T", "T", "T", "T", "U", "U", "*", "V", "Y", "Y", "Z", "Z",
	"*", "*", "*", "*", "*", "*", "*", "*", "*", "*", "*", "*", "*", "DZ", "DZ", "DZ", "LJ", "LJ",
	"LJ", "NJ", "NJ", "NJ", "A", "A", "I", "I", "O", "O", "U", "U", "U", "U", "U", "U", "U", "U", "U",
	"U", "*", "A", "A", "A", "A", "AE", "AE", "G", "G", "G", "G", "K", "K", "O", "O", "O", "O", "*",
	"*", "J", "DZ", "DZ", "DZ", "G", "G", "*", "*", "N", "N", "A", "A", "AE", "AE", "O", "O", "A",
	"A", "A", "A", "E", "E", "E", "E", "I", "I", "I", "I", "O", "O", "O", "O", "R", "R", "R", "R",
	"U", "U", "U", "U", "S", "S", "T", "T", "*", "*", "H", "H", "N", "D", "OU", "OU", "Z", "Z", "A",
	"A", "E", "E", "O", "O", "O", "O", "O", "O", "O", "O", "Y", "Y", "L", "N", "T", "*", "DB", "QP",
	"A", "C", "C", "L", "T", "S", "Z", "*", "*", "B", "U", "*", "E", "E", "J", "J", "*", "Q", "R",
	"R", "Y", "Y",
};
/* U+1E00-U+1EFF */
static const char latin_1e[256][3] = {
	"A", "A", "B", "B", "B", "B", "B", "B", "C", "C", "D", "D", "D", "D", "D", "D", "D", "D", "D",
	"D", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "F", "F", "G", "G", "H", "H", "H", "H",
	"H", "H", "H", "H", "H", "H", "I", "I", "I", "I", "K", "K", "K", "K", "K", "K", "L", "L", "L",
	"L", "L", "L", "L", "L", "M", "M", "M", "M", "M", "M", "N", "N", "N", "N", "N", "N", "N", "N",
	"O", "O", "O", "O", "O", "O", "O", "O", "P", "P", "P", "P", "R", "R", "R", "R", "R", "R", "R",
	"R", "S", "S", "S", "S", "S", "S", "S", "S", "S", "S", "T", "T", "T", "T", "T", "T", "T", "T",
	"U", "U", "U", "U", "U", "U", "U", "U", "U", "U", "V", "V", "V", "V", "W", "W", "W", "W", "W",
	"W", "W", "W", "W", "W", "X", "X", "X", "X", "Y", "Y", "Z", "Z", "Z", "Z", "Z", "Z", "H", "T",
	"W", "Y", "A", "S", "S", "S", "SS", "D", "A", "A", "A", "A", "A", "A", "A", "A", "A", "A", "A",
	"A", "A", "A", "A", "A", "A", "A", "A", "A", "A", "A", "A", "A", "E", "E", "E", "E", "E", "E",
	"E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "I", "I", "I", "I", "O", "O", "O", "O", "O",
	"O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O",
	"U", "U", "U", "U", "U", "U", "U", "U", "U", "U", "U", "U", "U", "U", "Y", "Y", "Y", "Y", "Y",
	"Y", "Y", "Y", "LL", "LL", "V", "V", "Y", "Y",
};

/* ---- UTF-8 ----------------------------------------------------------- */

/* Decodes one code point of NUL-terminated s (strict); its byte length,
 * 0 when s does not start with a well-formed sequence. */
static int utf8_decode(const unsigned char *s, uint32_t *cp)
{
	unsigned char c = s[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		if ((s[1] & 0xC0) != 0x80)
			return 0;
		*cp = ((uint32_t)(c & 0x1F) << 6) | (s[1] & 0x3F);
		return 2;
	}
	if (c >= 0xE0 && c <= 0xEF) {
		if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0))
			return 0; /* overlong, or a surrogate */
		*cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
			return 0; /* overlong, or past U+10FFFF */
		*cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
		      ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
		return 4;
	}
	return 0;
}

static size_t utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* ---- folding --------------------------------------------------------- */

#define DROP 0u

/* Greek U+0370-03FF: the simple upper case, DROP for punctuation and
 * spacing accents, cp itself when there is no mapping. */
static uint32_t greek_upper(uint32_t cp)
{
	switch (cp) {
	case 0x0374: case 0x0375: case 0x037A: case 0x037E: case 0x0384: case 0x0385:
	case 0x0387: case 0x03F6:
		return DROP;
	case 0x03AC: return 0x0386;
	case 0x03AD: return 0x0388;
	case 0x03AE: return 0x0389;
	case 0x03AF: return 0x038A;
	case 0x03C2: return 0x03A3;
	case 0x03CC: return 0x038C;
	case 0x03CD: return 0x038E;
	case 0x03CE: return 0x038F;
	case 0x03D0: return 0x0392;
	case 0x03D1: return 0x0398;
	case 0x03D5: return 0x03A6;
	case 0x03D6: return 0x03A0;
	case 0x03D7: return 0x03CF;
	case 0x03F0: return 0x039A;
	case 0x03F1: return 0x03A1;
	case 0x03F2: return 0x03F9;
	case 0x03F3: return 0x037F;
	case 0x03F5: return 0x0395;
	case 0x03F8: return 0x03F7;
	case 0x03FB: return 0x03FA;
	default:
		break;
	}
	if (cp >= 0x037B && cp <= 0x037D)
		return cp + 0x82; /* ͻ ͼ ͽ -> Ͻ Ͼ Ͽ */
	if (cp >= 0x03B1 && cp <= 0x03CB)
		return cp - 0x20;
	if (((cp >= 0x0370 && cp <= 0x0373) || (cp >= 0x0376 && cp <= 0x0377) ||
	     (cp >= 0x03D8 && cp <= 0x03EF)) && (cp & 1))
		return cp - 1;
	return cp;
}

/* Cyrillic U+0400-052F: the simple upper case; DROP for the combining
 * marks and the thousands sign. */
static uint32_t cyrillic_upper(uint32_t cp)
{
	if (cp >= 0x0482 && cp <= 0x0489)
		return DROP;
	if (cp >= 0x0430 && cp <= 0x044F)
		return cp - 0x20;
	if (cp >= 0x0450 && cp <= 0x045F)
		return cp - 0x50;
	if (cp == 0x04CF)
		return 0x04C0;
	if (cp >= 0x04C1 && cp <= 0x04CE)
		return (cp & 1) ? cp : cp - 1;
	if (((cp >= 0x0460 && cp <= 0x0481) || (cp >= 0x048A && cp <= 0x04BF) ||
	     (cp >= 0x04D0 && cp <= 0x052F)) && (cp & 1))
		return cp - 1;
	return cp;
}

static size_t put_ascii(uint32_t c, char *out)
{
	if (c >= 'a' && c <= 'z') {
		out[0] = (char)(c - 'a' + 'A');
		return 1;
	}
	if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
		out[0] = (char)c;
		return 1;
	}
	return 0;
}

static size_t put_table(const char *t, uint32_t cp, char *out)
{
	size_t n;

	if (t[0] == '*')
		return utf8_encode(cp, out);
	n = strlen(t);
	memcpy(out, t, n);
	return n;
}

/* The bytes cp folds to, in out (at most 4); 0 when it is dropped. */
static size_t fold_cp(uint32_t cp, char *out)
{
	static const char lig[7][4] = { "FF", "FI", "FL", "FFI", "FFL", "ST", "ST" };
	uint32_t u;

	if (cp < 0x80)
		return put_ascii(cp, out);
	if (cp < 0xC0)
		return 0;
	if (cp <= 0x024F)
		return put_table(latin_c0[cp - 0xC0], cp, out);
	if (cp < 0x02B0)
		return utf8_encode(cp, out); /* IPA letters */
	if (cp < 0x0370)
		return 0; /* modifier letters, combining diacritics */
	if (cp < 0x0400)
		u = greek_upper(cp);
	else if (cp < 0x0530)
		u = cyrillic_upper(cp);
	else if ((cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF))
		return 0;
	else if (cp >= 0x1E00 && cp <= 0x1EFF)
		return put_table(latin_1e[cp - 0x1E00], cp, out);
	else if ((cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x20D0 && cp <= 0x20FF) ||
		 (cp >= 0x2E00 && cp <= 0x2E7F) || (cp >= 0x3000 && cp <= 0x3003) || cp == 0x30FB ||
		 (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFE20 && cp <= 0xFE2F) || cp == 0xFEFF ||
		 (cp >= 0xFFF9 && cp <= 0xFFFD) || (cp >= 0xE0000 && cp <= 0xE01EF))
		return 0;
	else if (cp >= 0xFB00 && cp <= 0xFB06) {
		size_t n = strlen(lig[cp - 0xFB00]);
		memcpy(out, lig[cp - 0xFB00], n);
		return n;
	} else if (cp >= 0xFF01 && cp <= 0xFF5E)
		return put_ascii(cp - 0xFEE0, out);
	else
		u = cp;
	return u == DROP ? 0 : utf8_encode(u, out);
}

/* The normal form of [s, end) (valid up to end, NUL or not) into out;
 * -1 on invalid UTF-8 (out emptied). */
static int normalize_range(const unsigned char *s, const unsigned char *end, char *out, size_t cap)
{
	size_t n = 0;
	int full = (out == NULL || cap == 0);

	while (s < end && *s) {
		uint32_t cp;
		char buf[4];
		size_t m;
		int k = utf8_decode(s, &cp);

		if (k == 0 || (size_t)(end - s) < (size_t)k) {
			if (out && cap)
				out[0] = '\0';
			return -1;
		}
		s += k;
		if (full)
			continue; /* keep validating */
		m = fold_cp(cp, buf);
		if (m == 0)
			continue;
		/* Stop at the first piece that does not fit whole, so that the
		 * output is always a prefix of the untruncated normal form and
		 * never ends inside a code point. */
		if (m > cap - 1 - n) {
			full = 1;
			continue;
		}
		memcpy(out + n, buf, m);
		n += m;
	}
	if (out && cap)
		out[n] = '\0';
	return n > INT_MAX ? INT_MAX : (int)n;
}

int name_normalize(const char *s, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s) {
		if (out && cap)
			out[0] = '\0';
		return -1;
	}
	return normalize_range(p, p + strlen(s), out, cap);
}

/* ---- tokens ---------------------------------------------------------- */

/* Whether cp separates the parts of a surname: white space, hyphens and
 * dashes, and the comma and slash some systems put between double names.
 * Apostrophes do not (O'Brien is one part). */
static int is_part_sep(uint32_t cp)
{
	switch (cp) {
	case ' ': case '\t': case '\n': case '\r': case '\v': case '\f':
	case '-': case ',': case '/': case 0x00A0: case 0x1680: case 0x2028: case 0x2029:
	case 0x202F: case 0x205F: case 0x2212: case 0x2E3A: case 0x2E3B: case 0x3000:
	case 0xFE58: case 0xFE63: case 0xFF0D:
		return 1;
	default:
		return (cp >= 0x2000 && cp <= 0x200A) || (cp >= 0x2010 && cp <= 0x2015);
	}
}

static size_t count_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

int name_tokens(const char *surname, char out[][NAME_NORM_MAX], int max)
{
	const unsigned char *p = (const unsigned char *)surname, *end, *start;
	int n = 0;

	if (!surname || !out || max <= 0)
		return 0;
	end = p + strlen(surname);
	if (normalize_range(p, end, out[0], NAME_NORM_MAX) <= 0) {
		out[0][0] = '\0';
		return 0;
	}
	n = 1;
	start = p;
	while (n < max) {
		uint32_t cp = 0;
		int k = (p < end) ? utf8_decode(p, &cp) : 0;

		if (p < end && k == 0)
			break; /* cannot happen: validated above */
		if (p >= end || is_part_sep(cp)) {
			if (p > start && normalize_range(start, p, out[n], NAME_NORM_MAX) > 0 &&
			    count_chars(out[n]) >= 2) {
				int dup = 0;
				for (int i = 0; i < n && !dup; i++)
					dup = strcmp(out[i], out[n]) == 0;
				if (!dup)
					n++;
			}
			if (p >= end)
				break;
			start = p + k;
		}
		p += k;
	}
	if (n < max)
		out[n][0] = '\0';
	return n;
}

/* ---- Soundex --------------------------------------------------------- */

void name_soundex(const char *norm, char out[5])
{
	/* A-Z; '7' marks H and W, which do not separate equal codes. */
	static const char code[27] = "01230127022455012623017202";
	const unsigned char *p = (const unsigned char *)norm;
	char last = '0';
	int n = 0;

	memset(out, 0, 5);
	if (!norm)
		return;
	for (; *p; p++) {
		int c = *p;
		char d;

		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c < 'A' || c > 'Z')
			continue; /* digits and other scripts are not coded */
		d = code[c - 'A'];
		if (n == 0) {
			out[n++] = (char)c;
			last = d;
			continue;
		}
		if (d == '7')
			continue;
		if (d != '0' && d != last) {
			out[n++] = d;
			if (n == 4)
				break;
		}
		last = d;
	}
	if (n == 0)
		return;
	while (n < 4)
		out[n++] = '0';
	out[4] = '\0';
}

/* ---- distance -------------------------------------------------------- */

/* Code points of s into cps (at most max); invalid bytes become U+DC80+ so
 * that any byte string compares. */
static size_t to_cps(const char *s, uint32_t *cps, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	while (*p && n < max) {
		uint32_t cp;
		int k = utf8_decode(p, &cp);

		if (k == 0) {
			cp = 0xDC00u + *p;
			k = 1;
		}
		cps[n++] = cp;
		p += k;
	}
	return n;
}

static size_t count_cps(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	while (*p) {
		uint32_t cp;
		int k = utf8_decode(p, &cp);
		p += k ? k : 1;
		n++;
	}
	return n;
}

static int osa(const uint32_t *a, size_t n, const uint32_t *b, size_t m, int cap, int *rows)
{
	int *r0 = rows, *r1 = rows + (m + 1), *r2 = rows + 2 * (m + 1);
	int prevmin = 0;

	/* r1: row i-1, r0: row i-2, r2: row i */
	for (size_t j = 0; j <= m; j++)
		r1[j] = (int)j;
	for (size_t i = 1; i <= n; i++) {
		int rowmin;
		int *t;

		r2[0] = (int)i;
		rowmin = r2[0];
		for (size_t j = 1; j <= m; j++) {
			int cost = a[i - 1] != b[j - 1];
			int v = r1[j] + 1;

			if (r2[j - 1] + 1 < v)
				v = r2[j - 1] + 1;
			if (r1[j - 1] + cost < v)
				v = r1[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    r0[j - 2] + 1 < v)
				v = r0[j - 2] + 1;
			r2[j] = v;
			if (v < rowmin)
				rowmin = v;
		}
		/* Every later cell derives from this row, or from the previous
		 * one through a transposition. */
		if (rowmin > cap && prevmin > cap)
			return cap + 1;
		prevmin = rowmin;
		t = r0;
		r0 = r1;
		r1 = r2;
		r2 = t;
	}
	return r1[m] > cap ? cap + 1 : r1[m];
}

int name_distance(const char *a, const char *b, int cap)
{
	enum { SMALL = NAME_NORM_MAX };
	uint32_t sa[SMALL], sb[SMALL];
	int srows[3 * (SMALL + 1)];
	uint32_t *ca = sa, *cb = sb;
	int *rows = srows;
	size_t n, m;
	int d;

	if (!a)
		a = "";
	if (!b)
		b = "";
	if (cap < 0 || cap > INT_MAX - 2)
		cap = INT_MAX - 2; /* uncapped */
	n = count_cps(a);
	m = count_cps(b);
	if ((n > m ? n - m : m - n) > (size_t)cap)
		return cap + 1;
	if (n == 0 || m == 0)
		return (int)(n + m);
	if (n > SMALL || m > SMALL) {
		if (m >= SIZE_MAX / (3 * sizeof(int)) - 1)
			return cap + 1;
		ca = n > SMALL ? malloc(n * sizeof *ca) : sa;
		cb = m > SMALL ? malloc(m * sizeof *cb) : sb;
		rows = malloc(3 * (m + 1) * sizeof *rows);
		if (!ca || !cb || !rows) {
			d = cap + 1; /* out of memory: report "too far" */
			goto out;
		}
	}
	to_cps(a, ca, n);
	to_cps(b, cb, m);
	d = osa(ca, n, cb, m, cap, rows);
out:
	if (ca != sa)
		free(ca);
	if (cb != sb)
		free(cb);
	if (rows != srows)
		free(rows);
	return d;
}
