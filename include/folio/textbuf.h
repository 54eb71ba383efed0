/* folio — a text buffer for the document editor, with no terminal in it.
 *
 * The text is patient data, so it lives in guarded memory (smem): a gap
 * buffer, so that typing in the middle of 100 KB moves only the bytes
 * between the old and the new cursor.  When it must grow, a new guarded
 * block is allocated, the text copied, and the old block wiped and freed
 * (never realloc'ed).
 *
 * Characters: the text is UTF-8.  Positions are byte offsets, and the
 * cursor steps by character: a well-formed UTF-8 sequence together with
 * the zero-width code points after it (combining accents), so an accent
 * never gets separated from its letter.  A byte that does not start a
 * well-formed sequence is one character of its own (shown as '?'), so
 * damaged text can still be read and repaired.  Display widths come from
 * wcwidth() in the LC_CTYPE locale, as curses uses: 2 for CJK, 0 for
 * combining marks; a control character (tab included) takes one column.
 *
 * Layout: paragraphs (the text between '\n's) wrap into rows of at most
 * `width` columns, breaking after the last space that fits; a word longer
 * than the row is cut where it must be.  One space may hang past the edge
 * (in the margin column) so that a row exactly filled by words breaks
 * there.  Rows are computed lazily, per paragraph, from the paragraph's
 * start, and kept in a few per-paragraph caches that an edit truncates only
 * from the first row whose wrapping could depend on the edited bytes: so a
 * keystroke re-wraps a row or two near the cursor, not the document.
 *
 * The struct is public so it can live on the stack; its fields are private
 * to textbuf.c.
 */
#ifndef FOLIO_TEXTBUF_H
#define FOLIO_TEXTBUF_H

#include <stddef.h>
#include <stdint.h>

/* Bigger texts are refused (a document, not a data file). */
#define TEXTBUF_MAX ((size_t)64 << 20)
/* decode() of a byte that does not start a well-formed sequence */
#define TEXTBUF_BAD 0xFFFFFFFFu
#define TEXTBUF_WRAP_CACHES 8

struct textbuf_wrow {
	size_t start; /* first byte of the row */
	size_t end;   /* soft row: the next row's start; last row: the '\n' or the end */
	size_t look;  /* the last byte the wrapping looked at to end this row */
};

struct textbuf_wrap {
	size_t para;  /* the paragraph's first byte */
	struct textbuf_wrow *row;
	size_t n, cap;
	int done;     /* row[n - 1] is the paragraph's last row */
	int live;
	unsigned long used;
};

struct textbuf {
	char *buf;             /* smem; text = buf[0, gap) + buf[gap_end, cap) */
	size_t cap, gap, gap_end;
	size_t lines;          /* '\n' count */
	size_t line_pos, line_no; /* a position and its line (0-based): counting starts there */
	int width;             /* layout width in columns */
	unsigned long clock;   /* LRU stamp for the caches */
	struct textbuf_wrap wrap[TEXTBUF_WRAP_CACHES];
	/* Tests only: called with an outgrown block after it was wiped and
	 * just before it is freed. */
	void (*on_release)(const void *block, size_t cap, void *ctx);
	void *release_ctx;
};

/* One row of the layout.  Draw bytes [start, end); `last` says the row ends
 * its paragraph (a '\n', or the end of the text, is at end). */
struct textbuf_row {
	size_t para;   /* the paragraph's first byte */
	size_t index;  /* the row's number within its paragraph, from 0 */
	size_t start, end;
	int last;
};

/* ---- the buffer ------------------------------------------------------- */

/* An empty buffer with room for cap bytes, laid out width columns wide;
 * 0, or -1 when the guarded memory could not be had. */
int textbuf_init(struct textbuf *tb, size_t cap, int width);
/* textbuf_init with the text (len bytes) in it; 0 or -1. */
int textbuf_load(struct textbuf *tb, const char *text, size_t len, int width);
/* Wipes and frees everything; the struct can be initialised again. */
void textbuf_free(struct textbuf *tb);
size_t textbuf_len(const struct textbuf *tb);
/* The byte at pos (0..255), or -1 past the end. */
int textbuf_byte(const struct textbuf *tb, size_t pos);
/* Inserts n bytes at pos (<= length); 0, or -1 (out of memory, or past
 * TEXTBUF_MAX) with nothing changed.  The caller inserts whole characters. */
int textbuf_insert(struct textbuf *tb, size_t pos, const char *s, size_t n);
/* Deletes n bytes at pos (clipped to the text). */
void textbuf_delete(struct textbuf *tb, size_t pos, size_t n);
/* Copies up to n bytes from pos into out; returns the count copied. */
size_t textbuf_copy(const struct textbuf *tb, size_t pos, size_t n, char *out);
/* The whole text, contiguous and NUL-terminated, inside the buffer: valid
 * until the next change.  (Closes the gap at the end, which moves the bytes
 * after it once.) */
const char *textbuf_text(struct textbuf *tb);

/* ---- characters ------------------------------------------------------- */

/* The code point at pos and its length in *len (1 and TEXTBUF_BAD for a
 * byte that starts no well-formed sequence); *len 0 at the end. */
uint32_t textbuf_decode(const struct textbuf *tb, size_t pos, size_t *len);
/* Columns a code point takes on screen (0, 1 or 2). */
int textbuf_cp_width(uint32_t cp);
/* The start of the character after / before the one at pos (clamped). */
size_t textbuf_next(const struct textbuf *tb, size_t pos);
size_t textbuf_prev(const struct textbuf *tb, size_t pos);

/* ---- lines ------------------------------------------------------------ */

/* The first byte of the paragraph holding pos, and its end (the '\n', or
 * the length). */
size_t textbuf_para_start(const struct textbuf *tb, size_t pos);
size_t textbuf_para_end(const struct textbuf *tb, size_t pos);
/* The 0-based line number of pos (counts '\n's, from a cached point). */
size_t textbuf_line_of(struct textbuf *tb, size_t pos);
/* The number of lines (one more than the '\n's). */
size_t textbuf_lines(const struct textbuf *tb);
/* The 0-based character (code point) column of pos in its line. */
size_t textbuf_col_of(const struct textbuf *tb, size_t pos);
/* Where needle (n bytes, ASCII letters matched in either case) next
 * occurs at or after from; 0 with *at set, or -1. */
int textbuf_find(const struct textbuf *tb, size_t from, const char *needle, size_t n, size_t *at);

/* ---- layout ------------------------------------------------------------- */

/* Changes the layout width (at least 1); the cached rows are dropped. */
void textbuf_set_width(struct textbuf *tb, int width);
/* The row holding pos.  A position where a soft row ends belongs to the
 * next row; the end of a paragraph to its last row. */
void textbuf_row_at(struct textbuf *tb, size_t pos, struct textbuf_row *r);
/* Row `index` of the paragraph starting at para, or its last row when it
 * has fewer (r->index says which). */
void textbuf_row_get(struct textbuf *tb, size_t para, size_t index, struct textbuf_row *r);
/* The row after / before r into out; -1 at the end / start of the text. */
int textbuf_row_next(struct textbuf *tb, const struct textbuf_row *r, struct textbuf_row *out);
int textbuf_row_prev(struct textbuf *tb, const struct textbuf_row *r, struct textbuf_row *out);
/* The display column of pos in row r (pos within the row). */
int textbuf_row_col(const struct textbuf *tb, const struct textbuf_row *r, size_t pos);
/* The position in row r nearest display column col, not past its last
 * character on a soft row (that position belongs to the next row). */
size_t textbuf_row_pos(const struct textbuf *tb, const struct textbuf_row *r, int col);

/* ---- document templates ------------------------------------------------- */

/* The heading template for a document type ("hp", "progress", "consult",
 * "operative", "procedure", "discharge", "letter", "other",
 * "psychotherapy", "substance"), or NULL for an unknown type.  "other" is
 * empty.  (src/util/textbuf_template.c) */
const char *textbuf_template(const char *doc_type);

#endif
