/* folio — the editor's gap buffer in guarded memory: edits, characters
 * (UTF-8, stepping by character), lines and search.  The layout is in
 * textbuf_wrap.c. */
#define _GNU_SOURCE /* memrchr */
#include "folio/textbuf.h"

#include <string.h>
#include <wchar.h>

#include "folio/smem.h"
#include "textbuf_internal.h"

#define TEXTBUF_MIN_CAP 4096

static size_t gap_len(const struct textbuf *tb)
{
	return tb->gap_end - tb->gap;
}

size_t textbuf_len(const struct textbuf *tb)
{
	return tb->cap - gap_len(tb);
}

int textbuf_init(struct textbuf *tb, size_t cap, int width)
{
	memset(tb, 0, sizeof *tb);
	if (cap < TEXTBUF_MIN_CAP)
		cap = TEXTBUF_MIN_CAP;
	tb->buf = smem_alloc(cap);
	if (!tb->buf)
		return -1;
	tb->cap = cap;
	tb->gap_end = cap;
	tb->width = width > 0 ? width : 1;
	return 0;
}

int textbuf_load(struct textbuf *tb, const char *text, size_t len, int width)
{
	if (len > TEXTBUF_MAX)
		return -1;
	/* Room to type a while before the first growth. */
	if (textbuf_init(tb, len + len / 4 + TEXTBUF_MIN_CAP, width) != 0)
		return -1;
	if (textbuf_insert(tb, 0, text, len) != 0) {
		textbuf_free(tb);
		return -1;
	}
	return 0;
}

void textbuf_free(struct textbuf *tb)
{
	textbuf_wrap_free(tb);
	smem_free(tb->buf);
	memset(tb, 0, sizeof *tb);
}

int textbuf_byte(const struct textbuf *tb, size_t pos)
{
	return pos < textbuf_len(tb) ? tb_at(tb, pos) : -1;
}

/* Puts the gap at pos.  The bytes moved leave copies behind in the gap;
 * they stay inside the guarded block, which is wiped when freed. */
static void gap_move(struct textbuf *tb, size_t pos)
{
	size_t gl = gap_len(tb);

	if (pos < tb->gap)
		memmove(tb->buf + pos + gl, tb->buf + pos, tb->gap - pos);
	else if (pos > tb->gap)
		memmove(tb->buf + tb->gap, tb->buf + tb->gap_end, pos - tb->gap);
	tb->gap = pos;
	tb->gap_end = pos + gl;
}

/* A new guarded block with room for need more bytes (and the NUL of
 * textbuf_text); the old one is wiped and freed, never realloc'ed. */
static int grow(struct textbuf *tb, size_t need)
{
	size_t len = textbuf_len(tb), cap = tb->cap * 2, tail = tb->cap - tb->gap_end;
	char *nb;

	if (need > TEXTBUF_MAX || len + need > TEXTBUF_MAX)
		return -1;
	if (cap < len + need + 1 + TEXTBUF_MIN_CAP)
		cap = len + need + 1 + TEXTBUF_MIN_CAP;
	nb = smem_alloc(cap);
	if (!nb)
		return -1;
	memcpy(nb, tb->buf, tb->gap);
	memcpy(nb + cap - tail, tb->buf + tb->gap_end, tail);
	smem_wipe(tb->buf, tb->cap);
	if (tb->on_release)
		tb->on_release(tb->buf, tb->cap, tb->release_ctx);
	smem_free(tb->buf);
	tb->buf = nb;
	tb->gap_end = cap - tail;
	tb->cap = cap;
	return 0;
}

static size_t count_nl(const char *s, size_t n)
{
	size_t c = 0;
	const char *end = s + n;

	while (s < end && (s = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		c++;
		s++;
	}
	return c;
}

/* count() over the text in [a, b), a side of the gap at a time, so the
 * counting loops run on plain memory. */
static size_t count_range(const struct textbuf *tb, size_t a, size_t b,
			  size_t (*count)(const char *s, size_t n))
{
	size_t c = 0;

	if (a < tb->gap) {
		size_t e = b < tb->gap ? b : tb->gap;
		c += count(tb->buf + a, e - a);
		a = e;
	}
	if (a < b)
		c += count(tb->buf + a + gap_len(tb), b - a);
	return c;
}

/* '\n's in [a, b). */
static size_t count_nl_range(const struct textbuf *tb, size_t a, size_t b)
{
	return count_range(tb, a, b, count_nl);
}

int textbuf_insert(struct textbuf *tb, size_t pos, const char *s, size_t n)
{
	size_t nl;

	if (pos > textbuf_len(tb))
		return -1;
	if (n == 0)
		return 0;
	/* Keep one byte of gap for textbuf_text's NUL. */
	if (gap_len(tb) < n + 1 && grow(tb, n) != 0)
		return -1;
	gap_move(tb, pos);
	memcpy(tb->buf + tb->gap, s, n);
	tb->gap += n;
	nl = count_nl(s, n);
	tb->lines += nl;
	if (pos < tb->line_pos) {
		tb->line_pos += n;
		tb->line_no += nl;
	}
	textbuf_wrap_edited(tb, pos, 0, n);
	return 0;
}

void textbuf_delete(struct textbuf *tb, size_t pos, size_t n)
{
	size_t len = textbuf_len(tb), nl;

	if (pos >= len || n == 0)
		return;
	if (n > len - pos)
		n = len - pos;
	nl = count_nl_range(tb, pos, pos + n);
	tb->lines -= nl;
	if (pos < tb->line_pos) {
		if (tb->line_pos <= pos + n) {
			tb->line_no -= count_nl_range(tb, pos, tb->line_pos);
			tb->line_pos = pos;
		} else {
			tb->line_no -= nl;
			tb->line_pos -= n;
		}
	}
	gap_move(tb, pos);
	tb->gap_end += n;
	textbuf_wrap_edited(tb, pos, n, 0);
}

size_t textbuf_copy(const struct textbuf *tb, size_t pos, size_t n, char *out)
{
	size_t len = textbuf_len(tb), done = 0;

	if (pos >= len)
		return 0;
	if (n > len - pos)
		n = len - pos;
	if (pos < tb->gap) {
		done = tb->gap - pos < n ? tb->gap - pos : n;
		memcpy(out, tb->buf + pos, done);
	}
	if (done < n)
		memcpy(out + done, tb->buf + pos + done + gap_len(tb), n - done);
	return n;
}

const char *textbuf_text(struct textbuf *tb)
{
	gap_move(tb, textbuf_len(tb));
	tb->buf[tb->gap] = '\0';
	return tb->buf;
}

/* ---- characters ------------------------------------------------------- */

static int cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

uint32_t textbuf_decode(const struct textbuf *tb, size_t pos, size_t *len)
{
	size_t n = textbuf_len(tb), need;
	unsigned char c, b[4];
	uint32_t cp, min;

	if (pos >= n) {
		*len = 0;
		return TEXTBUF_BAD;
	}
	*len = 1;
	c = tb_at(tb, pos);
	if (c < 0x80)
		return c;
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1, cp = c & 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2, cp = c & 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3, cp = c & 0x07, min = 0x10000;
	} else {
		return TEXTBUF_BAD;
	}
	if (pos + need >= n)
		return TEXTBUF_BAD;
	for (size_t k = 1; k <= need; k++) {
		b[k] = tb_at(tb, pos + k);
		if (!cont(b[k]))
			return TEXTBUF_BAD;
		cp = (cp << 6) | (b[k] & 0x3F);
	}
	/* overlong forms, surrogates and values past U+10FFFF are not text */
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return TEXTBUF_BAD;
	*len = need + 1;
	return cp;
}

int textbuf_cp_width(uint32_t cp)
{
	int w;

	/* Controls and damaged bytes show as one '?' (a tab as a space). */
	if (cp < 0x7F || cp == TEXTBUF_BAD)
		return 1;
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

/* A zero-width code point that joins the character before it. */
static int joins(const struct textbuf *tb, size_t pos)
{
	size_t k;
	uint32_t cp;

	if (pos >= textbuf_len(tb) || tb_at(tb, pos) < 0x80)
		return 0;
	cp = textbuf_decode(tb, pos, &k);
	return cp != TEXTBUF_BAD && textbuf_cp_width(cp) == 0;
}

/* The start of the code point (or lone byte) that ends at pos.  A lead
 * byte always starts a character when read forwards, so a sequence found
 * backwards that decodes to exactly pos is the one read forwards. */
static size_t prev_cp(const struct textbuf *tb, size_t pos)
{
	size_t s = pos - 1, k;

	while (s > 0 && pos - s < 4 && cont(tb_at(tb, s)))
		s--;
	if (textbuf_decode(tb, s, &k) != TEXTBUF_BAD && s + k == pos)
		return s;
	return pos - 1;
}

size_t textbuf_next(const struct textbuf *tb, size_t pos)
{
	size_t len = textbuf_len(tb), k;

	if (pos >= len)
		return len;
	if (tb_at(tb, pos) == '\n')
		return pos + 1;
	textbuf_decode(tb, pos, &k);
	pos += k;
	while (joins(tb, pos)) {
		textbuf_decode(tb, pos, &k);
		pos += k;
	}
	return pos;
}

size_t textbuf_prev(const struct textbuf *tb, size_t pos)
{
	size_t len = textbuf_len(tb);

	if (pos > len)
		pos = len;
	if (pos == 0)
		return 0;
	pos = prev_cp(tb, pos);
	/* Back over the accents to their letter (not past a line's start). */
	while (pos > 0 && joins(tb, pos) && tb_at(tb, pos - 1) != '\n')
		pos = prev_cp(tb, pos);
	return pos;
}

/* ---- lines ------------------------------------------------------------ */

size_t textbuf_para_start(const struct textbuf *tb, size_t pos)
{
	size_t gl = gap_len(tb);
	const char *p;

	if (pos > textbuf_len(tb))
		pos = textbuf_len(tb);
	if (pos > tb->gap) {
		p = memrchr(tb->buf + tb->gap_end, '\n', pos - tb->gap);
		if (p)
			return (size_t)(p - tb->buf) - gl + 1;
		pos = tb->gap;
	}
	p = memrchr(tb->buf, '\n', pos);
	return p ? (size_t)(p - tb->buf) + 1 : 0;
}

size_t textbuf_para_end(const struct textbuf *tb, size_t pos)
{
	size_t len = textbuf_len(tb), gl = gap_len(tb);
	const char *p;

	if (pos >= len)
		return len;
	if (pos < tb->gap) {
		p = memchr(tb->buf + pos, '\n', tb->gap - pos);
		if (p)
			return (size_t)(p - tb->buf);
		pos = tb->gap;
	}
	p = memchr(tb->buf + pos + gl, '\n', len - pos);
	return p ? (size_t)(p - tb->buf) - gl : len;
}

size_t textbuf_line_of(struct textbuf *tb, size_t pos)
{
	if (pos > textbuf_len(tb))
		pos = textbuf_len(tb);
	/* Count from the last answer: the cursor moves a little at a time. */
	if (pos >= tb->line_pos)
		tb->line_no += count_nl_range(tb, tb->line_pos, pos);
	else
		tb->line_no -= count_nl_range(tb, pos, tb->line_pos);
	tb->line_pos = pos;
	return tb->line_no;
}

size_t textbuf_lines(const struct textbuf *tb)
{
	return tb->lines + 1;
}

/* Code points in n bytes: the bytes that are not continuations (10xxxxxx),
 * eight at a time (the status line asks on every key, and a line can be
 * the whole document). */
static size_t count_cp(const char *s, size_t n)
{
	const uint64_t high = 0x8080808080808080ull;
	size_t c = n, i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t x;

		memcpy(&x, s + i, 8);
		c -= (size_t)__builtin_popcountll(x & ~(x << 1) & high);
	}
	for (; i < n; i++)
		c -= cont((unsigned char)s[i]);
	return c;
}

size_t textbuf_col_of(const struct textbuf *tb, size_t pos)
{
	if (pos > textbuf_len(tb))
		pos = textbuf_len(tb);
	return count_range(tb, textbuf_para_start(tb, pos), pos, count_cp);
}

static unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

int textbuf_find(const struct textbuf *tb, size_t from, const char *needle, size_t n, size_t *at)
{
	size_t len = textbuf_len(tb);
	unsigned char first;

	if (n == 0 || n > len)
		return -1;
	first = fold((unsigned char)needle[0]);
	for (size_t i = from; i + n <= len; i++) {
		size_t k = 0;

		if (fold(tb_at(tb, i)) != first)
			continue;
		while (k < n && fold(tb_at(tb, i + k)) == fold((unsigned char)needle[k]))
			k++;
		/* Only at a character's start: no match inside a multibyte one. */
		if (k == n && !cont(tb_at(tb, i))) {
			*at = i;
			return 0;
		}
	}
	return -1;
}
