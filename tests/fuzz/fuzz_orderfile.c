/* libFuzzer target: the code-set parsers (src/codes/codes_parse.c) and the
 * search index built from what they accept (src/codes/codes_index.c).
 *
 * The first byte picks what the rest is: 0 an ICD-10-CM order-file line,
 * 1 an ICD-10-PCS one, 2 a POA-exempt line, 3 a DRG weights line, 4 a
 * whole order file (CM) whose accepted lines are indexed, then searched
 * with the text after the first line starting '?' (or each line's own
 * code and words).  Parsers must stay in bounds, and what they accept
 * must hold what the layout promises; the index must only return codes it
 * holds, and children that are billable codes under a header. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "folio/codes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_row(enum codes_system sys, const char *line, size_t len, const struct codes_row *r)
{
	char norm[CODES_CODE_MAX];
	size_t n = strlen(r->code);

	if (n < 3 || n > 7 || (sys == CODES_ICD10PCS && n != 3 && n != 7))
		abort();
	if (codes_normalize(r->code, norm) != 0 || strcmp(norm, r->code) != 0)
		abort();
	if (r->billable != 0 && r->billable != 1)
		abort();
	if (r->short_desc < line || r->short_desc + r->short_len > line + len || r->short_len == 0 ||
	    r->short_len > 60)
		abort();
	if (r->long_desc < line || r->long_desc + r->long_len > line + len || r->long_len == 0 ||
	    r->long_len >= CODES_LONG_MAX)
		abort();
	if (utf8_length(r->short_desc, r->short_len) < 0 || utf8_length(r->long_desc, r->long_len) < 0)
		abort();
	for (size_t i = 0; i < r->long_len; i++)
		if ((unsigned char)r->long_desc[i] < 0x20)
			abort();
}

static void check_hits(const struct codes_index *x, const struct codes_hit *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct codes_hit back;
		if (codes_lookup(x, h[i].code, &back) != FOLIO_OK || back.code != h[i].code ||
		    back.billable != h[i].billable)
			abort();
	}
}

static void search(const struct codes_index *x, const char *q)
{
	struct codes_hit h[8], kids[8];
	size_t total = codes_search(x, q, h, 8), nk;

	check_hits(x, h, total < 8 ? total : 8);
	if (total > codes_index_size(x))
		abort();
	nk = codes_children(x, q, kids, 8);
	check_hits(x, kids, nk < 8 ? nk : 8);
	for (size_t i = 0; i < nk && i < 8; i++)
		if (!kids[i].billable || kids[i].match != CODES_MATCH_CHILD)
			abort();
}

static void whole_file(const char *text, size_t len)
{
	struct codes_row *rows = calloc(len / 16 + 1, sizeof *rows);
	struct codes_index *x = NULL;
	struct folio_err e;
	const char *query = NULL;
	size_t n = 0;

	if (!rows)
		abort();
	for (size_t off = 0; off < len;) {
		const char *p = text + off, *nl = memchr(p, '\n', len - off);
		size_t l = nl ? (size_t)(nl - p) : len - off;
		off += l + (nl ? 1 : 0);
		if (l && p[l - 1] == '\r')
			l--;
		if (l && p[0] == '?') {
			query = p + 1;
			break;
		}
		if (n < len / 16 + 1 && codes_order_line(CODES_ICD10CM, p, l, &rows[n], &e) == FOLIO_OK) {
			check_row(CODES_ICD10CM, p, l, &rows[n]);
			n++;
		}
	}
	if (codes_index_build(CODES_ICD10CM, 2026, rows, n, &x, &e) == FOLIO_OK) {
		if (codes_index_size(x) != n)
			abort();
		if (query)
			search(x, query); /* NUL-terminated: the caller's copy ends in one */
		for (size_t i = 0; i < n; i++) {
			char words[CODES_LONG_MAX];
			memcpy(words, rows[i].long_desc, rows[i].long_len);
			words[rows[i].long_len] = '\0';
			search(x, rows[i].code);
			/* every row is found by its own description */
			struct codes_hit h[1];
			if (codes_search(x, words, h, 1) == 0 && strpbrk(words, "abcdefghijklmnopqrstuvwxyz"
									"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))
				abort();
		}
		codes_index_free(x);
	}
	free(rows);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct codes_row r;
	struct codes_weight w;
	struct folio_err e;
	char code[CODES_CODE_MAX], *text;
	size_t len;

	if (size == 0)
		return 0;
	len = size - 1;
	/* a copy of exactly len bytes plus a NUL, so reading past len is caught */
	if (!(text = malloc(len + 1)))
		abort();
	memcpy(text, data + 1, len);
	text[len] = '\0';
	switch (data[0] % 5) {
	case 0:
	case 1: {
		enum codes_system sys = data[0] % 5 ? CODES_ICD10PCS : CODES_ICD10CM;
		if (codes_order_line(sys, text, len, &r, &e) == FOLIO_OK)
			check_row(sys, text, len, &r);
		break;
	}
	case 2:
		if (codes_poa_line(text, len, code, &e) == FOLIO_OK) {
			char norm[CODES_CODE_MAX];
			if (code[0] && (strlen(code) < 3 || codes_normalize(code, norm) != 0 || strcmp(norm, code) != 0))
				abort();
		} else if (code[0]) {
			abort();
		}
		break;
	case 3:
		if (codes_weight_line(text, len, &w, &e) == FOLIO_OK && w.drg &&
		    (w.drg < 1 || w.drg > 999 || !(w.weight > 0) || w.gmlos < 0 || w.amlos < 0))
			abort();
		break;
	default:
		whole_file(text, len);
		break;
	}
	free(text);
	return 0;
}
