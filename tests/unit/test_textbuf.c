/* folio — unit tests: the editor's text buffer (src/util/textbuf*.c): the
 * gap buffer's edits against a plain array, UTF-8 characters that never
 * split, word wrap (long words, double-width characters) against an
 * oracle written apart, the layout caches after edits, cursor columns,
 * growth into a new guarded block with the old one wiped, a 100 KB round
 * trip, search, line numbers and the document templates. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* wcwidth */
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <wchar.h>

#include <cmocka.h>

#include "folio/smem.h"
#include "folio/textbuf.h"

#include "unit_fixture.h"

#define E_ACUTE "\xc3\xa9"              /* é, 2 bytes */
#define COMBINING_ACUTE "\xcc\x81"      /* U+0301, zero width */
#define NICHI "\xe6\x97\xa5"            /* 日, 3 bytes, 2 columns */
#define HON "\xe6\x9c\xac"              /* 本 */
#define GRIN "\xf0\x9f\x98\x80"         /* U+1F600, 4 bytes, 2 columns */

static int utf8_locale;

/* ---- helpers --------------------------------------------------------- */

static void load(struct textbuf *tb, const char *s, int width)
{
	assert_int_equal(textbuf_load(tb, s, strlen(s), width), 0);
}

static void text_is(struct textbuf *tb, const char *want)
{
	assert_int_equal(textbuf_len(tb), strlen(want));
	assert_string_equal(textbuf_text(tb), want);
}

static void ins(struct textbuf *tb, size_t pos, const char *s)
{
	assert_int_equal(textbuf_insert(tb, pos, s, strlen(s)), 0);
}

/* The oracle: greedy wrap of a plain string, written apart from the
 * library (mbrtowc to decode).  Rows as (start, end) pairs. */
struct orow {
	size_t start, end;
	int last;
};

static size_t oracle_char(const char *s, size_t i, size_t n, int *w)
{
	mbstate_t st;
	wchar_t wc;
	size_t k;

	memset(&st, 0, sizeof st);
	if ((unsigned char)s[i] < 0x80) {
		*w = 1;
		return 1;
	}
	k = mbrtowc(&wc, s + i, n - i, &st);
	if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
		*w = 1;
		return 1;
	}
	*w = wcwidth(wc);
	if (*w < 0)
		*w = 1;
	return k;
}

static size_t oracle_wrap(const char *s, size_t n, int width, struct orow *out, size_t max)
{
	size_t rows = 0, i = 0;

	for (;;) {
		size_t start = i, brk = 0;
		int col = 0, soft = 0;

		while (i < n && s[i] != '\n') {
			int w;
			size_t k = oracle_char(s, i, n, &w);

			if (w > 0 && col + w > width) {
				soft = 1;
				if (s[i] == ' ')
					i = i + 1;
				else if (brk)
					i = brk;
				else if (i == start)
					i += k;
				break;
			}
			if (s[i] == ' ')
				brk = i + 1;
			col += w;
			i += k;
		}
		assert_true(rows < max);
		out[rows].start = start;
		out[rows].end = i;
		out[rows].last = !soft;
		rows++;
		if (soft)
			continue;
		if (i >= n)
			return rows;
		i++; /* past the '\n' */
	}
}

/* Every row of tb, walked with row_at(0) and row_next, equals the oracle's. */
static void layout_matches_oracle(struct textbuf *tb)
{
	size_t n = textbuf_len(tb), max = n + 2, got = 0, rows;
	struct orow *want = malloc(max * sizeof *want);
	char *copy = malloc(n + 1);
	struct textbuf_row r;

	assert_non_null(want);
	assert_non_null(copy);
	assert_int_equal(textbuf_copy(tb, 0, n, copy), n);
	rows = oracle_wrap(copy, n, tb->width, want, max);
	textbuf_row_at(tb, 0, &r);
	for (;;) {
		assert_true(got < rows);
		assert_int_equal(r.start, want[got].start);
		assert_int_equal(r.end, want[got].end);
		assert_int_equal(r.last, want[got].last);
		got++;
		if (textbuf_row_next(tb, &r, &r) != 0)
			break;
	}
	assert_int_equal(got, rows);
	free(want);
	free(copy);
}

/* ---- edits ----------------------------------------------------------- */

static void test_insert_delete_ends_and_middle(void **state)
{
	struct textbuf tb;

	(void)state;
	assert_int_equal(textbuf_init(&tb, 0, 40), 0);
	text_is(&tb, "");
	ins(&tb, 0, "world");
	ins(&tb, 0, "hello ");       /* start */
	ins(&tb, textbuf_len(&tb), "!"); /* end */
	ins(&tb, 5, ",");            /* middle */
	text_is(&tb, "hello, world!");
	textbuf_delete(&tb, 0, 7);   /* start */
	text_is(&tb, "world!");
	textbuf_delete(&tb, 5, 1);   /* end */
	text_is(&tb, "world");
	textbuf_delete(&tb, 1, 3);   /* middle */
	text_is(&tb, "wd");
	textbuf_delete(&tb, 1, 100); /* clipped */
	text_is(&tb, "w");
	textbuf_delete(&tb, 5, 1);   /* past the end: nothing */
	text_is(&tb, "w");
	assert_int_equal(textbuf_insert(&tb, 2, "x", 1), -1); /* past the end: refused */
	text_is(&tb, "w");
	textbuf_free(&tb);
}

static void test_edits_across_gap_moves(void **state)
{
	char model[4096] = "", piece[8];
	size_t mlen = 0;
	struct textbuf tb;
	unsigned seed = 12345;

	(void)state;
	assert_int_equal(textbuf_init(&tb, 64, 10), 0);
	/* Edits hop around, so the gap moves both ways between them; the
	 * text, line count and line numbers must follow a plain array. */
	for (int step = 0; step < 3000; step++) {
		size_t pos, n;

		seed = seed * 1103515245u + 12345u;
		pos = mlen ? (seed >> 8) % (mlen + 1) : 0;
		if ((seed >> 4) % 3 != 0 && mlen + 4 < sizeof model) {
			n = 1 + (seed >> 20) % 3;
			for (size_t k = 0; k < n; k++)
				piece[k] = "ab \n"[(seed >> (10 + 2 * k)) % 4];
			assert_int_equal(textbuf_insert(&tb, pos, piece, n), 0);
			memmove(model + pos + n, model + pos, mlen - pos);
			memcpy(model + pos, piece, n);
			mlen += n;
		} else if (mlen > 0) {
			pos = pos == mlen ? mlen - 1 : pos;
			n = 1 + (seed >> 20) % 4;
			if (n > mlen - pos)
				n = mlen - pos;
			textbuf_delete(&tb, pos, n);
			memmove(model + pos, model + pos + n, mlen - pos - n);
			mlen -= n;
		}
		model[mlen] = '\0';
		if (step % 50 == 0) {
			size_t lines = 1, at = (seed >> 3) % (mlen + 1), before = 0;

			for (size_t k = 0; k < mlen; k++) {
				lines += model[k] == '\n';
				before += k < at && model[k] == '\n';
			}
			assert_int_equal(textbuf_lines(&tb), lines);
			assert_int_equal(textbuf_line_of(&tb, at), before);
			assert_int_equal(textbuf_len(&tb), mlen);
			for (size_t k = 0; k < mlen; k++)
				assert_int_equal(textbuf_byte(&tb, k), (unsigned char)model[k]);
		}
	}
	text_is(&tb, model);
	/* After the text was made contiguous, editing goes on. */
	ins(&tb, 0, "Z");
	assert_int_equal(textbuf_byte(&tb, 0), 'Z');
	assert_int_equal(textbuf_len(&tb), mlen + 1);
	textbuf_free(&tb);
}

/* ---- characters -------------------------------------------------------- */

static void test_utf8_steps_by_character(void **state)
{
	const char *s = "a" E_ACUTE NICHI GRIN "e" COMBINING_ACUTE "\xff" "z\n" COMBINING_ACUTE "q";
	/* character starts, in bytes */
	const size_t starts[] = { 0, 1, 3, 6, 10, 13, 14, 15, 16, 18, 19 };
	struct textbuf tb;
	size_t pos = 0, k;

	(void)state;
	if (!utf8_locale)
		skip(); /* accents are zero-width only in a UTF-8 locale */
	load(&tb, s, 40);
	for (size_t i = 1; i < ARRAY_SIZE(starts); i++) {
		pos = textbuf_next(&tb, pos);
		assert_int_equal(pos, starts[i]);
	}
	assert_int_equal(textbuf_next(&tb, pos), pos); /* clamped at the end */
	for (size_t i = ARRAY_SIZE(starts) - 1; i > 0; i--) {
		pos = textbuf_prev(&tb, pos);
		assert_int_equal(pos, starts[i - 1]);
	}
	assert_int_equal(textbuf_prev(&tb, 0), 0);
	assert_int_equal(textbuf_decode(&tb, 1, &k), 0xE9);
	assert_int_equal(k, 2);
	assert_int_equal(textbuf_decode(&tb, 6, &k), 0x1F600);
	assert_int_equal(k, 4);
	assert_int_equal(textbuf_decode(&tb, 13, &k), TEXTBUF_BAD); /* the lone 0xFF */
	assert_int_equal(k, 1);
	assert_int_equal(textbuf_decode(&tb, 2, &k), TEXTBUF_BAD);  /* inside é */
	/* Columns count code points: 8 before the '\n' (the accent is one). */
	assert_int_equal(textbuf_col_of(&tb, 15), 8);
	assert_int_equal(textbuf_col_of(&tb, 18), 1);
	textbuf_free(&tb);
}

static void test_utf8_never_split_by_deletes(void **state)
{
	const char *s = E_ACUTE NICHI "x" GRIN HON "e" COMBINING_ACUTE E_ACUTE;
	struct textbuf tb;

	(void)state;
	/* Deleting character by character, from the end or the middle, as
	 * Backspace and Delete do, leaves well-formed UTF-8 every time. */
	for (int from_end = 0; from_end < 2; from_end++) {
		load(&tb, s, 40);
		while (textbuf_len(&tb) > 0) {
			size_t len = textbuf_len(&tb), at, to;
			const char *t;

			if (from_end) {
				at = textbuf_prev(&tb, len);
				to = len;
			} else {
				at = textbuf_next(&tb, 0) < len ? textbuf_next(&tb, 0) : 0;
				to = textbuf_next(&tb, at);
			}
			textbuf_delete(&tb, at, to - at);
			t = textbuf_text(&tb);
			assert_true(fixture_utf8_ok(t, strlen(t)));
		}
		textbuf_free(&tb);
	}
}

/* ---- layout ------------------------------------------------------------ */

static void test_wrap_words_and_long_words(void **state)
{
	struct textbuf tb;
	struct textbuf_row r;

	(void)state;
	/* width 10: words move whole to the next row; a 25-letter word is cut
	 * at the edge; a row filled exactly breaks at its space. */
	load(&tb, "the quick brown fox\nabcdefghijklmnopqrstuvwxy end\naaaa bbbbb ccc", 10);
	textbuf_row_at(&tb, 0, &r);
	assert_int_equal(r.start, 0);
	assert_int_equal(r.end, 10);     /* "the quick " */
	assert_false(r.last);
	assert_int_equal(textbuf_row_next(&tb, &r, &r), 0);
	assert_int_equal(r.start, 10);   /* "brown fox" */
	assert_int_equal(r.end, 19);
	assert_true(r.last);
	assert_int_equal(textbuf_row_next(&tb, &r, &r), 0);
	assert_int_equal(r.start, 20);   /* "abcdefghij" cut */
	assert_int_equal(r.end, 30);
	assert_int_equal(r.index, 0);
	assert_int_equal(textbuf_row_next(&tb, &r, &r), 0);
	assert_int_equal(r.end, 40);     /* "klmnopqrst" */
	assert_int_equal(textbuf_row_next(&tb, &r, &r), 0);
	assert_int_equal(r.start, 40);   /* "uvwxy end" */
	assert_int_equal(r.index, 2);
	assert_true(r.last);
	assert_int_equal(textbuf_row_next(&tb, &r, &r), 0);
	assert_int_equal(r.start, 50);   /* "aaaa bbbbb" + hanging space */
	assert_int_equal(r.end, 61);
	assert_int_equal(textbuf_row_next(&tb, &r, &r), 0);
	assert_int_equal(r.start, 61);   /* "ccc" */
	assert_true(r.last);
	assert_int_equal(textbuf_row_next(&tb, &r, &r), -1);
	layout_matches_oracle(&tb);
	/* The row a position is in: a soft row's end belongs to the next. */
	textbuf_row_at(&tb, 10, &r);
	assert_int_equal(r.start, 10);
	textbuf_row_at(&tb, 19, &r);     /* the end of the paragraph */
	assert_int_equal(r.start, 10);
	/* The rows above, back to the start. */
	textbuf_row_at(&tb, 45, &r);
	assert_int_equal(textbuf_row_prev(&tb, &r, &r), 0);
	assert_int_equal(r.start, 30);
	assert_int_equal(textbuf_row_prev(&tb, &r, &r), 0);
	assert_int_equal(textbuf_row_prev(&tb, &r, &r), 0);
	assert_int_equal(r.start, 10);
	assert_true(r.last);
	/* Narrower, then back: rows follow the width. */
	textbuf_set_width(&tb, 4);
	layout_matches_oracle(&tb);
	textbuf_set_width(&tb, 1);
	layout_matches_oracle(&tb);
	textbuf_set_width(&tb, 78);
	layout_matches_oracle(&tb);
	textbuf_free(&tb);
}

static void test_wrap_double_width(void **state)
{
	struct textbuf tb;
	struct textbuf_row r;

	(void)state;
	if (!utf8_locale)
		skip();
	/* width 5: two 2-column characters fill 4 columns; the third does not
	 * fit in the last one and goes to the next row. */
	load(&tb, NICHI HON NICHI HON "a" E_ACUTE COMBINING_ACUTE "b", 5);
	textbuf_row_at(&tb, 0, &r);
	assert_int_equal(r.end, 6);
	assert_int_equal(textbuf_row_col(&tb, &r, 3), 2);
	assert_int_equal(textbuf_row_next(&tb, &r, &r), 0);
	assert_int_equal(r.start, 6);
	/* 日本 then "a": 5 columns; é with its accent, then b: 2 more. */
	assert_int_equal(r.end, 13);
	assert_int_equal(textbuf_row_col(&tb, &r, 13), 5);
	assert_int_equal(textbuf_row_next(&tb, &r, &r), 0);
	assert_int_equal(r.start, 13);
	assert_int_equal(textbuf_row_col(&tb, &r, textbuf_len(&tb)), 2);
	assert_true(r.last);
	layout_matches_oracle(&tb);
	/* A 2-column character on 1-column rows still goes somewhere. */
	textbuf_set_width(&tb, 1);
	layout_matches_oracle(&tb);
	textbuf_free(&tb);
}

static void test_layout_follows_edits(void **state)
{
	static const char *const pieces[] = {
		"a", "word ", " ", "\n", E_ACUTE, NICHI, "longerword", "  ", "x\ny", GRIN,
	};
	struct textbuf tb;
	unsigned seed = 777;

	(void)state;
	/* Random edits while rows are asked for near the edit (as the editor
	 * does): the cached layout must always equal a fresh wrap. */
	assert_int_equal(textbuf_init(&tb, 0, 12), 0);
	for (int step = 0; step < 1500; step++) {
		size_t len = textbuf_len(&tb), pos;
		struct textbuf_row r;

		seed = seed * 1103515245u + 12345u;
		pos = len ? (seed >> 8) % (len + 1) : 0;
		pos = textbuf_prev(&tb, textbuf_next(&tb, pos)); /* a character start */
		if ((seed >> 4) % 4 != 0 || len == 0) {
			ins(&tb, pos, pieces[(seed >> 16) % ARRAY_SIZE(pieces)]);
		} else {
			size_t to = textbuf_next(&tb, pos);

			for (int k = (int)((seed >> 20) % 6); k > 0; k--)
				to = textbuf_next(&tb, to);
			textbuf_delete(&tb, pos, to - pos);
		}
		textbuf_row_at(&tb, pos, &r);
		if (step % 3 == 0)
			(void)textbuf_row_prev(&tb, &r, &r);
		if (step % 25 == 0)
			layout_matches_oracle(&tb);
	}
	layout_matches_oracle(&tb);
	textbuf_free(&tb);
}

static void test_cursor_up_down_keeps_column(void **state)
{
	struct textbuf tb;
	struct textbuf_row r;
	size_t pos;
	int goal;

	(void)state;
	load(&tb, "0123456789\nabc\n" E_ACUTE "bcdefghijkl", 20);
	/* From column 7 of the first line down: the short line stops at its
	 * end, the next goes back to column 7 (by columns, not bytes). */
	textbuf_row_at(&tb, 7, &r);
	goal = textbuf_row_col(&tb, &r, 7);
	assert_int_equal(goal, 7);
	assert_int_equal(textbuf_row_next(&tb, &r, &r), 0);
	pos = textbuf_row_pos(&tb, &r, goal);
	assert_int_equal(pos, 14);        /* after "abc" */
	assert_int_equal(textbuf_row_next(&tb, &r, &r), 0);
	pos = textbuf_row_pos(&tb, &r, goal);
	assert_int_equal(pos, 15 + 8);    /* é is 2 bytes, 1 column */
	assert_int_equal(textbuf_row_col(&tb, &r, pos), 7);
	assert_int_equal(textbuf_row_prev(&tb, &r, &r), 0);
	assert_int_equal(textbuf_row_prev(&tb, &r, &r), 0);
	assert_int_equal(textbuf_row_pos(&tb, &r, goal), 7);
	textbuf_free(&tb);

	/* On a soft row the column stops before the row's last character:
	 * the position after it is the next row's start. */
	load(&tb, "aaaa bbbb cccc", 6);
	textbuf_row_at(&tb, 0, &r);
	assert_int_equal(r.end, 5);
	assert_int_equal(textbuf_row_pos(&tb, &r, 99), 4);
	textbuf_row_at(&tb, 10, &r);
	assert_true(r.last);
	assert_int_equal(textbuf_row_pos(&tb, &r, 99), 14);
	textbuf_free(&tb);

	if (!utf8_locale)
		return;
	/* A goal column inside a double-width character lands on its start. */
	load(&tb, "abcd\n" NICHI HON, 20);
	textbuf_row_at(&tb, 5, &r);
	assert_int_equal(textbuf_row_pos(&tb, &r, 3), 8);
	assert_int_equal(textbuf_row_pos(&tb, &r, 1), 5);
	textbuf_free(&tb);
}

/* ---- memory -------------------------------------------------------------- */

struct released {
	int calls;
	int all_zero;
	size_t cap;
};

static void on_release(const void *block, size_t cap, void *ctx)
{
	struct released *r = ctx;
	const unsigned char *p = block;

	r->calls++;
	r->cap = cap;
	r->all_zero = 1;
	for (size_t i = 0; i < cap; i++)
		if (p[i]) {
			r->all_zero = 0;
			break;
		}
}

static void test_growth_wipes_old_block(void **state)
{
	struct textbuf tb;
	struct released rel = { 0, 0, 0 };
	char line[64];
	size_t first_cap;

	(void)state;
	assert_int_equal(textbuf_init(&tb, 16, 40), 0);
	tb.on_release = on_release;
	tb.release_ctx = &rel;
	first_cap = tb.cap;
	memset(line, 'p', sizeof line);
	/* Fill past the capacity, in the middle so text sits on both sides
	 * of the gap when it grows. */
	ins(&tb, 0, "[]");
	while (rel.calls == 0)
		assert_int_equal(textbuf_insert(&tb, 1, line, sizeof line), 0);
	assert_int_equal(rel.cap, first_cap);
	assert_true(rel.all_zero);
	assert_true(tb.cap > first_cap);
	assert_int_equal(textbuf_byte(&tb, 0), '[');
	assert_int_equal(textbuf_byte(&tb, textbuf_len(&tb) - 1), ']');
	for (size_t i = 1; i + 1 < textbuf_len(&tb); i++)
		assert_int_equal(textbuf_byte(&tb, i), 'p');
	/* Too big for a document: refused, text unchanged. */
	assert_int_equal(textbuf_insert(&tb, 0, line, TEXTBUF_MAX), -1);
	assert_int_equal(textbuf_byte(&tb, 0), '[');
	textbuf_free(&tb);
	assert_null(tb.buf);
}

static void test_100k_round_trip(void **state)
{
	const size_t want = 100 * 1024;
	/* names in several scripts, an accent apart, a tab, a damaged byte */
	static const char line[] = "Mu\xc3\xb1oz " NICHI HON " e" COMBINING_ACUTE " " GRIN
		" BP 120/80\tZo\xc3\xab \xff patient reports improvement.";
	char *src = malloc(want + 8 * sizeof line), *copy = malloc(want + 8 * sizeof line);
	size_t n = 0, pos;
	struct textbuf tb;

	(void)state;
	assert_non_null(src);
	assert_non_null(copy);
	/* Paragraphs of 1 to 7 lines' worth, so some wrap over several rows. */
	for (int i = 0; n < want; i++) {
		for (int k = 0; k <= i % 7; k++) {
			memcpy(src + n, line, sizeof line - 1);
			n += sizeof line - 1;
		}
		src[n++] = '\n';
	}
	assert_int_equal(textbuf_load(&tb, src, n, 78), 0);
	assert_int_equal(textbuf_len(&tb), n);
	assert_memory_equal(textbuf_text(&tb), src, n);
	/* Walk to the middle a character at a time, type and take it back. */
	for (pos = 0; pos < n / 2; pos = textbuf_next(&tb, pos))
		;
	ins(&tb, pos, "inserted");
	textbuf_delete(&tb, pos, 8);
	assert_int_equal(textbuf_copy(&tb, 0, n + 10, copy), n);
	assert_memory_equal(copy, src, n);
	assert_memory_equal(textbuf_text(&tb), src, n);
	layout_matches_oracle(&tb);
	textbuf_free(&tb);
	free(src);
	free(copy);
}

/* ---- lines, search, templates ---------------------------------------------- */

static void test_lines_and_paragraphs(void **state)
{
	struct textbuf tb;

	(void)state;
	load(&tb, "one\ntwo\n\nfour", 20);
	assert_int_equal(textbuf_lines(&tb), 4);
	assert_int_equal(textbuf_line_of(&tb, 13), 3);
	assert_int_equal(textbuf_line_of(&tb, 0), 0);
	assert_int_equal(textbuf_line_of(&tb, 5), 1);
	assert_int_equal(textbuf_para_start(&tb, 6), 4);
	assert_int_equal(textbuf_para_end(&tb, 6), 7);
	assert_int_equal(textbuf_para_start(&tb, 8), 8);
	assert_int_equal(textbuf_para_end(&tb, 8), 8);
	assert_int_equal(textbuf_para_end(&tb, 10), 13);
	/* Lines above the cached point change: the count follows. */
	textbuf_delete(&tb, 3, 1);
	assert_int_equal(textbuf_line_of(&tb, 12), 2);
	ins(&tb, 0, "\n\n");
	assert_int_equal(textbuf_line_of(&tb, 14), 4);
	assert_int_equal(textbuf_lines(&tb), 5);
	textbuf_free(&tb);
}

static void test_find(void **state)
{
	struct textbuf tb;
	size_t at = 0;

	(void)state;
	load(&tb, "Allergies: penicillin\nPlan: recheck PENICILLIN rash " E_ACUTE "t" E_ACUTE, 30);
	assert_int_equal(textbuf_find(&tb, 0, "penicillin", 10, &at), 0);
	assert_int_equal(at, 11);
	assert_int_equal(textbuf_find(&tb, at + 1, "penicillin", 10, &at), 0);
	assert_int_equal(at, 36);
	assert_int_equal(textbuf_find(&tb, at + 1, "penicillin", 10, &at), -1);
	assert_int_equal(textbuf_find(&tb, 0, E_ACUTE "t", 3, &at), 0);
	assert_int_equal(at, 52);
	assert_int_equal(textbuf_find(&tb, 0, "amoxicillin", 11, &at), -1);
	assert_int_equal(textbuf_find(&tb, 0, "", 0, &at), -1);
	textbuf_free(&tb);
}

static void test_templates(void **state)
{
	static const char *const types[] = {
		"hp", "progress", "consult", "operative", "procedure", "discharge", "letter",
		"other", "psychotherapy", "substance",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		const char *t = textbuf_template(types[i]);

		assert_non_null(t);
		assert_true(fixture_utf8_ok(t, strlen(t)));
		if (strcmp(types[i], "other") != 0)
			assert_true(strlen(t) > 10);
	}
	assert_non_null(strstr(textbuf_template("hp"), "Chief complaint:"));
	assert_non_null(strstr(textbuf_template("hp"), "Review of systems:"));
	assert_non_null(strstr(textbuf_template("progress"), "Subjective:"));
	assert_non_null(strstr(textbuf_template("operative"), "Estimated blood loss:"));
	assert_non_null(strstr(textbuf_template("discharge"), "Condition at discharge:"));
	assert_non_null(strstr(textbuf_template("consult"), "Recommendations:"));
	assert_string_equal(textbuf_template("other"), "");
	assert_null(textbuf_template("nonsense"));
	assert_null(textbuf_template(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_delete_ends_and_middle),
		cmocka_unit_test(test_edits_across_gap_moves),
		cmocka_unit_test(test_utf8_steps_by_character),
		cmocka_unit_test(test_utf8_never_split_by_deletes),
		cmocka_unit_test(test_wrap_words_and_long_words),
		cmocka_unit_test(test_wrap_double_width),
		cmocka_unit_test(test_layout_follows_edits),
		cmocka_unit_test(test_cursor_up_down_keeps_column),
		cmocka_unit_test(test_growth_wipes_old_block),
		cmocka_unit_test(test_100k_round_trip),
		cmocka_unit_test(test_lines_and_paragraphs),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_templates),
	};

	if (smem_init() != 0)
		return 1;
	/* Widths follow the locale, as on screen. */
	utf8_locale = setlocale(LC_CTYPE, "C.UTF-8") != NULL;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
