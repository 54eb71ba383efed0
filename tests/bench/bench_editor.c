/* folio bench: the document editor's keystroke on a 100 KB document.
 *
 * A keystroke is what the editor does per key, without the terminal: insert
 * a character at the cursor (gap buffer in guarded memory), find the
 * cursor's row, line and column (the status line), and lay out the visible screen (20 rows of 78 columns,
 * copying each row's bytes as drawing does); then Backspace and the same
 * layout again, so the document stays the same size.  Two documents: a
 * note of ordinary paragraphs, and the worst case, one 100 KB paragraph
 * with no line break.  Also the draft snapshot (the text made contiguous
 * for save_draft), and a jump from one end of the text to the other.
 *
 * Baseline, timed in the same run: the same edit in a flat array (memmove
 * the tail one byte up, then back), without any layout: what a plain
 * buffer pays before it draws anything.  Target (the issue): a keystroke
 * well under a millisecond. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "folio/smem.h"
#include "folio/textbuf.h"

#define RUN_SECONDS 0.2
#define DOC_BYTES (100 * 1024)
#define SCREEN_ROWS 20
#define SCREEN_COLS 78
#define T_KEY 1e-3

const char *bench_program = "bench_editor";

static void die(const char *what)
{
	fprintf(stderr, "bench_editor: %s\n", what);
	exit(1);
}

/* A note: sentences with accented and non-Latin names, paragraphs of a
 * few hundred bytes (or none at all when breaks is 0). */
static char *make_doc(size_t want, int breaks, size_t *len)
{
	static const char *const words[] = {
		"the ", "patient ", "reports ", "Mu\xc3\xb1oz ", "Bj\xc3\xb6rk ", "\xe6\x9d\x8e\xe5\xb0\x8f\xe9\xbe\x99 ",
		"denies ", "chest ", "pain. ", "BP 128/82, ", "HR 76. ", "follow-up ", "in ", "two ",
		"weeks. ", "Plan: ", "continue ", "lisinopril ", "10 mg ", "daily. ",
	};
	char *s = malloc(want + 64);
	size_t n = 0;
	unsigned seed = 2024;

	if (!s)
		die("out of memory");
	while (n < want) {
		const char *w;

		seed = seed * 1103515245u + 12345u;
		w = words[(seed >> 16) % ARRAY_SIZE(words)];
		memcpy(s + n, w, strlen(w));
		n += strlen(w);
		if (breaks && (seed >> 8) % 60 == 0)
			s[n++] = '\n';
	}
	*len = n;
	return s;
}

/* ---- keystroke: textbuf ------------------------------------------------------ */

struct key_ctx {
	struct textbuf tb;
	size_t cur;
	size_t top_para, top_index;
	char row[4 * SCREEN_COLS + 64];
	size_t sink;
};

/* The editor's per-key layout: the cursor's row, the status line's line
 * and column, then the screen's rows. */
static void layout(struct key_ctx *c)
{
	struct textbuf_row r, cr;

	textbuf_row_at(&c->tb, c->cur, &cr);
	c->sink += textbuf_line_of(&c->tb, c->cur) + textbuf_col_of(&c->tb, c->cur);
	textbuf_row_get(&c->tb, c->top_para, c->top_index, &r);
	for (int i = 0; i < SCREEN_ROWS; i++) {
		size_t n = r.end - r.start;

		if (n > sizeof c->row)
			n = sizeof c->row;
		c->sink += textbuf_copy(&c->tb, r.start, n, c->row) + (r.start == cr.start);
		BENCH_CLOBBER(c->row);
		if (textbuf_row_next(&c->tb, &r, &r) != 0)
			break;
	}
}

static void run_key(void *p, long iters)
{
	struct key_ctx *c = p;

	for (long i = 0; i < iters; i++) {
		if (textbuf_insert(&c->tb, c->cur, "x", 1) != 0)
			die("textbuf_insert");
		c->cur++;
		layout(c);
		c->cur = textbuf_prev(&c->tb, c->cur);
		textbuf_delete(&c->tb, c->cur, 1);
		layout(c);
	}
}

static void key_open(struct key_ctx *c, const char *doc, size_t len)
{
	struct textbuf_row r;

	memset(c, 0, sizeof *c);
	if (textbuf_load(&c->tb, doc, len, SCREEN_COLS) != 0)
		die("textbuf_load");
	/* The cursor mid-document at a character start, mid-screen. */
	c->cur = textbuf_prev(&c->tb, textbuf_next(&c->tb, len / 2));
	textbuf_row_at(&c->tb, c->cur, &r);
	for (int i = 0; i < SCREEN_ROWS / 2; i++)
		(void)textbuf_row_prev(&c->tb, &r, &r);
	c->top_para = r.para;
	c->top_index = r.index;
}

/* ---- keystroke: flat array baseline -------------------------------------------- */

struct flat_ctx {
	char *buf;  /* the text and one byte of room */
	char *copy; /* a separate block: a misaligned copy would time the CPU's penalty */
	size_t len, cur;
};

static void run_flat(void *p, long iters)
{
	struct flat_ctx *c = p;

	for (long i = 0; i < iters; i++) {
		memmove(c->buf + c->cur + 1, c->buf + c->cur, c->len - c->cur);
		c->buf[c->cur] = 'x';
		BENCH_CLOBBER(c->buf);
		memmove(c->buf + c->cur, c->buf + c->cur + 1, c->len - c->cur);
		BENCH_CLOBBER(c->buf);
	}
}

/* ---- draft snapshot and a jump ---------------------------------------------------- */

static void run_snapshot(void *p, long iters)
{
	struct key_ctx *c = p;

	/* Type at the cursor (gap there), then make the text contiguous. */
	for (long i = 0; i < iters; i++) {
		if (textbuf_insert(&c->tb, c->cur, "x", 1) != 0)
			die("textbuf_insert");
		textbuf_delete(&c->tb, c->cur, 1);
		c->sink += (size_t)textbuf_text(&c->tb)[0];
	}
}

static void run_copy(void *p, long iters)
{
	struct flat_ctx *c = p;

	for (long i = 0; i < iters; i++) {
		memcpy(c->copy, c->buf, c->len);
		BENCH_CLOBBER(c->copy);
	}
}

static void run_jump(void *p, long iters)
{
	struct key_ctx *c = p;
	size_t len = textbuf_len(&c->tb);

	/* Type at one end, then at the other: the gap crosses the text. */
	for (long i = 0; i < iters; i++) {
		size_t at = (i & 1) ? len : 0;
		struct textbuf_row r;

		if (textbuf_insert(&c->tb, at, "x", 1) != 0)
			die("textbuf_insert");
		textbuf_delete(&c->tb, at, 1);
		textbuf_row_at(&c->tb, at, &r);
		c->sink += r.start;
	}
}

/* ---- table ------------------------------------------------------------------------ */

static void row(const char *what, const char *data, double sec, double base)
{
	char t[16], ratio[32] = "";

	if (base > 0)
		snprintf(ratio, sizeof ratio, sec / base >= 100 ? "  %.0fx" : "  %.1fx", sec / base);
	printf("%-44s %-22s %10s%s\n", what, data, bench_fmt_time(sec, t, sizeof t), ratio);
}

static void bench_doc(const char *name, int breaks, int *ok)
{
	struct key_ctx c;
	struct flat_ctx f;
	size_t len;
	char *doc = make_doc(DOC_BYTES, breaks, &len);
	char data[40];
	double key, base, snap, copy;

	f.buf = malloc(len + 1);
	f.copy = malloc(len);
	if (!f.buf || !f.copy)
		die("out of memory");
	memcpy(f.buf, doc, len);
	f.len = len;
	f.cur = len / 2;
	key_open(&c, doc, len);
	snprintf(data, sizeof data, "%zu B, %zu lines", len, textbuf_lines(&c.tb));

	base = bench_measure(run_flat, &f, RUN_SECONDS, 1L << 40, NULL) / 2;
	key = bench_measure(run_key, &c, RUN_SECONDS, 1L << 40, NULL) / 2;
	printf("%s\n", name);
	row("  keystroke: insert/delete + screen layout", data, key, base);
	row("    baseline: flat array memmove, no layout", data, base, 0);
	copy = bench_measure(run_copy, &f, RUN_SECONDS, 1L << 40, NULL);
	snap = bench_measure(run_snapshot, &c, RUN_SECONDS, 1L << 40, NULL);
	row("  draft snapshot (text made contiguous)", data, snap, copy);
	row("    baseline: memcpy of the text", data, copy, 0);
	row("  jump end to end + cursor row", data,
	    bench_measure(run_jump, &c, RUN_SECONDS, 1L << 40, NULL), copy);
	if (key >= T_KEY)
		*ok = 0;
	if (textbuf_len(&c.tb) != len)
		die("the document changed size");
	textbuf_free(&c.tb);
	free(f.buf);
	free(f.copy);
	free(doc);
}

int main(void)
{
	double t0 = bench_now();
	int ok = 1;

	if (smem_init() != 0)
		die("smem_init");
	setlocale(LC_CTYPE, "C.UTF-8");
	printf("\nfolio bench: editor (gap buffer in guarded memory, lazy per-paragraph wrap)\n");
	printf("each figure: median of %d timed batches of >= %.1f s; screen %dx%d;\n"
	       "a keystroke is half of an insert + Backspace pair, each with its layout\n\n",
	       BENCH_RUNS, RUN_SECONDS, SCREEN_COLS, SCREEN_ROWS);
	printf("%-44s %-22s %10s  %s\n", "operation", "data", "time/op", "cost vs baseline");
	bench_doc("a 100 KB note (paragraphs)", 1, &ok);
	bench_doc("one 100 KB paragraph (worst case)", 0, &ok);
	printf("\ntarget: a keystroke under %.0f ms: %s\n", T_KEY * 1e3, ok ? "met" : "NOT MET");
	printf("(bench_editor took %.1f s)\n", bench_now() - t0);
	return ok ? 0 : 1;
}
