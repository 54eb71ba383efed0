/* folio — the editor's layout: paragraphs wrapped into rows at word
 * boundaries, computed lazily and cached per paragraph.
 *
 * Why the caches stay right: greedy wrapping decides where a row ends by
 * looking at the bytes from the row's start up to the first one that does
 * not fit (row.look).  A row's start therefore depends only on the bytes
 * the rows before it looked at, and an edit at p leaves every row whose
 * look is before p, and all rows before it, exactly as they were.  So an
 * edit keeps that prefix of the cache and the rest is wrapped again when
 * asked for: near the cursor, a row or two.  Edits before a paragraph just
 * shift its cached offsets.  The arrays hold offsets only, no text, so they
 * are ordinary heap memory; when one cannot grow, rows are still computed,
 * only not kept.
 */
#include <stdlib.h>
#include <string.h>

#include "folio/textbuf.h"
#include "textbuf_internal.h"

/* Caches of paragraphs this short are cheap to rebuild: evicted first. */
#define WRAP_CHEAP_ROWS 16

/* Wraps one row from s; 1 when it is the paragraph's last. */
static int wrap_row(const struct textbuf *tb, size_t s, struct textbuf_wrow *w)
{
	size_t len = textbuf_len(tb), i = s, brk = 0;
	int col = 0, width = tb->width;

	w->start = s;
	while (i < len) {
		unsigned char c = tb_at(tb, i);
		size_t k = 1;
		int cw = 1;

		if (c == '\n')
			break;
		if (c >= 0x80)
			cw = textbuf_cp_width(textbuf_decode(tb, i, &k));
		if (col + cw > width && cw > 0) {
			w->look = i;
			if (c == ' ')
				w->end = i + 1; /* hangs in the margin column */
			else if (brk)
				w->end = brk;
			else if (i == s)
				w->end = i + k; /* wider than the row: it goes anyway */
			else
				w->end = i;
			return 0;
		}
		if (c == ' ')
			brk = i + 1;
		col += cw;
		i += k;
	}
	w->end = i;
	w->look = i;
	return 1;
}

void textbuf_wrap_free(struct textbuf *tb)
{
	for (int i = 0; i < TEXTBUF_WRAP_CACHES; i++) {
		free(tb->wrap[i].row);
		memset(&tb->wrap[i], 0, sizeof tb->wrap[i]);
	}
}

void textbuf_set_width(struct textbuf *tb, int width)
{
	if (width < 1)
		width = 1;
	if (width == tb->width)
		return;
	tb->width = width;
	for (int i = 0; i < TEXTBUF_WRAP_CACHES; i++)
		tb->wrap[i].live = 0;
}

static void shift(struct textbuf_wrap *c, size_t by, int down)
{
	c->para = down ? c->para - by : c->para + by;
	for (size_t i = 0; i < c->n; i++) {
		struct textbuf_wrow *w = &c->row[i];

		if (down) {
			w->start -= by;
			w->end -= by;
			w->look -= by;
		} else {
			w->start += by;
			w->end += by;
			w->look += by;
		}
	}
}

void textbuf_wrap_edited(struct textbuf *tb, size_t pos, size_t removed, size_t inserted)
{
	for (int i = 0; i < TEXTBUF_WRAP_CACHES; i++) {
		struct textbuf_wrap *c = &tb->wrap[i];
		size_t keep = 0;

		if (!c->live)
			continue;
		if (removed && pos + removed < c->para) {
			shift(c, removed, 1);
			continue;
		}
		if (removed && pos < c->para) {
			c->live = 0; /* the '\n' before it went: it joined the one above */
			continue;
		}
		if (inserted && pos < c->para) {
			shift(c, inserted, 0);
			continue;
		}
		while (keep < c->n && c->row[keep].look < pos)
			keep++;
		if (keep < c->n) {
			c->n = keep;
			c->done = 0;
		}
	}
}

static struct textbuf_wrap *cache_for(struct textbuf *tb, size_t para)
{
	struct textbuf_wrap *v = NULL, *cheap = NULL;

	for (int i = 0; i < TEXTBUF_WRAP_CACHES; i++) {
		struct textbuf_wrap *c = &tb->wrap[i];

		if (c->live && c->para == para) {
			c->used = ++tb->clock;
			return c;
		}
		if (!c->live) {
			if (!v || v->live)
				v = c;
			continue;
		}
		if (!v || (v->live && c->used < v->used))
			v = c;
		if (c->n < WRAP_CHEAP_ROWS && (!cheap || c->used < cheap->used))
			cheap = c;
	}
	/* A long paragraph's rows are costly to wrap again: keep them. */
	if (v->live && cheap)
		v = cheap;
	v->live = 1;
	v->para = para;
	v->n = 0;
	v->done = 0;
	v->used = ++tb->clock;
	return v;
}

static void keep_row(struct textbuf_wrap *c, const struct textbuf_wrow *w, int last)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct textbuf_wrow *r = realloc(c->row, cap * sizeof *r);

		if (!r)
			return;
		c->row = r;
		c->cap = cap;
	}
	c->row[c->n++] = *w;
	c->done = last;
}

static void fill(struct textbuf_row *r, size_t para, size_t index, const struct textbuf_wrow *w,
		 int last)
{
	r->para = para;
	r->index = index;
	r->start = w->start;
	r->end = w->end;
	r->last = last;
}

/* Row `index` of c's paragraph (its last when it has fewer), or with
 * by_pos the row holding pos. */
static void wrap_find(struct textbuf *tb, struct textbuf_wrap *c, int by_pos, size_t key,
		      struct textbuf_row *r)
{
	struct textbuf_wrow w;
	size_t idx;
	int last;

	if (by_pos && c->n > 0) {
		size_t lo = 0, hi = c->n; /* the last cached row starting at or before key */

		while (hi - lo > 1) {
			size_t mid = lo + (hi - lo) / 2;
			if (c->row[mid].start <= key)
				lo = mid;
			else
				hi = mid;
		}
		if (key < c->row[lo].end || (lo == c->n - 1 && c->done)) {
			fill(r, c->para, lo, &c->row[lo], c->done && lo == c->n - 1);
			return;
		}
	} else if (!by_pos && (key < c->n || (c->done && c->n > 0))) {
		idx = key < c->n ? key : c->n - 1;
		fill(r, c->para, idx, &c->row[idx], c->done && idx == c->n - 1);
		return;
	}
	/* Wrap on from the last cached row. */
	idx = c->n;
	w.end = c->n ? c->row[c->n - 1].end : c->para;
	for (;;) {
		size_t kept = c->n;

		last = wrap_row(tb, w.end, &w);
		if (kept == idx)
			keep_row(c, &w, last);
		if (last || (by_pos ? key < w.end : idx == key))
			break;
		idx++;
	}
	fill(r, c->para, idx, &w, last);
}

void textbuf_row_at(struct textbuf *tb, size_t pos, struct textbuf_row *r)
{
	size_t para;

	if (pos > textbuf_len(tb))
		pos = textbuf_len(tb);
	para = textbuf_para_start(tb, pos);
	wrap_find(tb, cache_for(tb, para), 1, pos, r);
}

void textbuf_row_get(struct textbuf *tb, size_t para, size_t index, struct textbuf_row *r)
{
	wrap_find(tb, cache_for(tb, para), 0, index, r);
}

int textbuf_row_next(struct textbuf *tb, const struct textbuf_row *r, struct textbuf_row *out)
{
	if (!r->last) {
		textbuf_row_get(tb, r->para, r->index + 1, out);
		return 0;
	}
	if (r->end >= textbuf_len(tb))
		return -1;
	textbuf_row_get(tb, r->end + 1, 0, out);
	return 0;
}

int textbuf_row_prev(struct textbuf *tb, const struct textbuf_row *r, struct textbuf_row *out)
{
	if (r->index > 0) {
		textbuf_row_get(tb, r->para, r->index - 1, out);
		return 0;
	}
	if (r->para == 0)
		return -1;
	textbuf_row_get(tb, textbuf_para_start(tb, r->para - 1), (size_t)-1, out);
	return 0;
}

/* The columns of the character at pos (its accents take none). */
static int char_width(const struct textbuf *tb, size_t pos)
{
	size_t k;
	unsigned char c = tb_at(tb, pos);

	return c < 0x80 ? 1 : textbuf_cp_width(textbuf_decode(tb, pos, &k));
}

int textbuf_row_col(const struct textbuf *tb, const struct textbuf_row *r, size_t pos)
{
	int col = 0;

	for (size_t q = r->start; q < pos && q < r->end; q = textbuf_next(tb, q))
		col += char_width(tb, q);
	return col;
}

size_t textbuf_row_pos(const struct textbuf *tb, const struct textbuf_row *r, int col)
{
	size_t q = r->start;
	int c = 0;

	while (q < r->end) {
		size_t nq = textbuf_next(tb, q);
		int w = char_width(tb, q);

		if (c + w > col || (!r->last && nq >= r->end))
			break;
		q = nq;
		c += w;
	}
	return q;
}
