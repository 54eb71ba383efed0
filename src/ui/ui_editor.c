/* folio — the document editor, and the same screen read-only as a viewer
 * of signed documents.
 *
 * The text is a textbuf (guarded memory, gap buffer, lazily wrapped rows:
 * include/folio/textbuf.h), so this file is keys and drawing only.  The
 * screen is a view like any other: a resize re-wraps it to the new width
 * keeping the first row shown, and the idle lock brings it back with the
 * text and the cursor where they were.  Drafts go to the caller's callback
 * at most every draft_seconds after a change, before every return but a
 * discard, and from the lock screen's hook after the screen is blanked and
 * before the keys are wiped; the buffer is made inaccessible while locked.
 *
 * Layout: rows 1 .. LINES-4 are text (column 0 a margin, and the last
 * column where a full row's cursor or a hanging space goes); the prompt row
 * is the editor's status line (position, draft time), which prompts cover
 * while they ask.
 */
#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "folio/smem.h"
#include "folio/textbuf.h"
#include "ui_internal.h"

#define ED_TOP 1
#define ED_LEFT 1
#define ED_TAB 4
#define ED_DRAFT_SECONDS 2.0
#define ED_FIND_MAX 128
#define ED_ROW_BYTES 2048
#define CTRL(c) ((c) & 0x1f)

static const char edit_help[] =
	"Type to write; lines wrap at the edge of the window.\n"
	"Arrows move by character and row. Home or ^A goes to the start of the\n"
	"row, and again to the start of the line; End or ^E to its end.\n"
	"PgUp and PgDn move a page; ^Home and ^End go to the start and the end.\n"
	"Backspace deletes before the cursor, Delete or ^D after it. Enter starts\n"
	"a new line; Tab inserts spaces.\n"
	"F10 or ^X saves and closes. Esc closes; it asks first when there are\n"
	"unsaved changes.";

static const char view_help[] =
	"This document is shown read-only.\n"
	"Arrows scroll a row; PgUp/PgDn, - and + (or Space) a page; Home and End\n"
	"go to the start and the end.\n"
	"/ finds text (letters in either case), n finds the next place.\n"
	"Esc, q or F10 closes.";

struct editor {
	struct ui *u;
	const struct ui_editor_opts *o;
	struct textbuf tb;
	size_t cur;
	int goal;               /* display column kept by Up/Down/PgUp/PgDn; -1 none */
	size_t top_para, top_index; /* first row shown: (paragraph, row in it) */
	int modified;           /* changed since opened */
	int dirty;              /* changed since the last draft */
	double dirty_at;        /* when the first change after the last draft came */
	time_t saved_at;        /* the last draft, 0 none */
	int draft_failed;
	int key_ctrl_home, key_ctrl_end;
	char find[ED_FIND_MAX]; /* viewer: the text looked for, and where it was */
	size_t match, match_len;
	void (*prev_hook)(struct ui *u, void *ctx, int locking);
	void *prev_ctx;
};

const char *ui_editor_template(const char *doc_type)
{
	return textbuf_template(doc_type);
}

/* ---- geometry ------------------------------------------------------------ */

static int ed_rows(void)
{
	int h = ui_prompt_row() - ED_TOP;
	return h > 1 ? h : 1;
}

static int ed_width(void)
{
	return COLS - ED_LEFT - 1;
}

static void top_get(struct editor *ed, struct textbuf_row *r)
{
	textbuf_row_get(&ed->tb, ed->top_para, ed->top_index, r);
}

static void top_set(struct editor *ed, const struct textbuf_row *r)
{
	ed->top_para = r->para;
	ed->top_index = r->index;
}

static int row_holds(const struct textbuf_row *r, size_t pos)
{
	return pos >= r->start && (pos < r->end || (r->last && pos == r->end));
}

/* The first row shown when the last row of the text is at the bottom. */
static void last_top(struct editor *ed, struct textbuf_row *r)
{
	textbuf_row_at(&ed->tb, textbuf_len(&ed->tb), r);
	for (int i = 1; i < ed_rows() && textbuf_row_prev(&ed->tb, r, r) == 0; i++)
		;
}

/* A new width re-wraps everything: keep the first row shown where it was. */
static void fit_width(struct editor *ed)
{
	struct textbuf_row r;
	size_t keep;

	if (ed_width() == ed->tb.width)
		return;
	top_get(ed, &r);
	keep = r.start;
	textbuf_set_width(&ed->tb, ed_width());
	textbuf_row_at(&ed->tb, keep, &r);
	top_set(ed, &r);
}

/* Scrolls so the cursor's row is on screen (at the bottom when it went
 * below, at the top when it went above). */
static void fit_cursor(struct editor *ed)
{
	struct textbuf_row top, cr, r;
	int h = ed_rows();

	top_get(ed, &top);
	textbuf_row_at(&ed->tb, ed->cur, &cr);
	if (ed->cur < top.start) {
		top_set(ed, &cr);
		return;
	}
	r = top;
	for (int i = 0; i < h; i++) {
		if (r.start == cr.start)
			return;
		if (textbuf_row_next(&ed->tb, &r, &r) != 0)
			break;
	}
	r = cr;
	for (int i = 1; i < h && textbuf_row_prev(&ed->tb, &r, &r) == 0; i++)
		;
	top_set(ed, &r);
}

/* ---- drawing ---------------------------------------------------------------- */

/* Bytes [from, to) made safe to draw into out: damaged bytes become '?',
 * a tab a space (ui_put shows other controls as '?'). */
static void row_text(const struct editor *ed, size_t from, size_t to, char *out, size_t cap)
{
	size_t n = 0;

	while (from < to) {
		size_t k;
		uint32_t cp = textbuf_decode(&ed->tb, from, &k);

		if (n + k + 1 > cap)
			break;
		if (cp == TEXTBUF_BAD || cp == '\t')
			out[n++] = cp == '\t' ? ' ' : '?';
		else
			n += textbuf_copy(&ed->tb, from, k, out + n);
		from += k;
	}
	out[n] = '\0';
}

static void draw_row(struct editor *ed, int row, const struct textbuf_row *r)
{
	char text[ED_ROW_BYTES];
	size_t cut[4] = { r->start, r->start, r->start, r->end };
	int col = ED_LEFT, width = COLS - ED_LEFT;

	/* A search match on this row is drawn highlighted. */
	if (ed->match_len && ed->match < r->end && ed->match + ed->match_len > r->start) {
		cut[1] = ed->match > r->start ? ed->match : r->start;
		cut[2] = ed->match + ed->match_len < r->end ? ed->match + ed->match_len : r->end;
	}
	for (int i = 0; i < 3; i++) {
		if (cut[i + 1] <= cut[i])
			continue;
		row_text(ed, cut[i], cut[i + 1], text, sizeof text);
		col += ui_put(row, col, width - (col - ED_LEFT), text,
			      i == 1 ? ui_attr(ed->u, UI_A_SELECT) : (int)A_NORMAL);
	}
	smem_wipe(text, sizeof text);
}

static void draw_status(struct editor *ed, size_t shown_end)
{
	struct ui *u = ed->u;
	size_t len = textbuf_len(&ed->tb), at = ed->o->readonly ? shown_end : ed->cur;
	int row = ui_prompt_row(), dim = ui_attr(u, UI_A_DIM);
	char left[96], right[48] = "";

	if (ed->o->readonly) {
		struct textbuf_row t;

		top_get(ed, &t);
		snprintf(left, sizeof left, "Ln %zu/%zu  %zu%%  read only",
			 textbuf_line_of(&ed->tb, t.start) + 1, textbuf_lines(&ed->tb),
			 len ? at * 100 / len : 100);
	} else {
		snprintf(left, sizeof left, "Ln %zu/%zu  Col %zu  %zu%%%s",
			 textbuf_line_of(&ed->tb, ed->cur) + 1, textbuf_lines(&ed->tb),
			 textbuf_col_of(&ed->tb, ed->cur) + 1, len ? at * 100 / len : 100,
			 ed->modified ? "  modified" : "");
	}
	if (ed->draft_failed) {
		snprintf(right, sizeof right, "draft NOT saved");
	} else if (ed->saved_at) {
		struct tm tm;

		if (localtime_r(&ed->saved_at, &tm))
			strftime(right, sizeof right, "draft saved %H:%M:%S", &tm);
	}
	move(row, 0);
	clrtoeol();
	ui_put(row, ED_LEFT, COLS - ED_LEFT - 2 - ui_text_width(right), left, dim);
	if (right[0])
		ui_put(row, COLS - 1 - ui_text_width(right), ui_text_width(right), right,
		       ed->draft_failed ? ui_attr(u, UI_A_ERROR) : dim);
}

static void ed_draw(struct ui *u, void *ctx)
{
	struct editor *ed = ctx;
	struct textbuf_row r;
	int crow = -1, ccol = 0, h = ed_rows();
	size_t shown_end = 0;
	const char *hints = ed->o->hints ? ed->o->hints
			  : ed->o->readonly ? "/ find  n next  Esc close  F1 help"
					    : "F10 save  Esc cancel  F1 help";

	fit_width(ed);
	if (!ed->o->readonly)
		fit_cursor(ed);
	ui_frame(u, ed->o->title, hints);
	top_get(ed, &r);
	for (int i = 0; i < h; i++) {
		draw_row(ed, ED_TOP + i, &r);
		shown_end = r.end;
		if (!ed->o->readonly && row_holds(&r, ed->cur)) {
			crow = ED_TOP + i;
			ccol = ED_LEFT + textbuf_row_col(&ed->tb, &r, ed->cur);
		}
		if (textbuf_row_next(&ed->tb, &r, &r) != 0)
			break;
	}
	draw_status(ed, shown_end);
	if (crow >= 0) {
		move(crow, ccol < COLS ? ccol : COLS - 1);
		curs_set(1);
	}
}

/* ---- drafts ------------------------------------------------------------------ */

static double draft_seconds(const struct editor *ed)
{
	return ed->o->draft_seconds > 0 ? ed->o->draft_seconds : ED_DRAFT_SECONDS;
}

static void draft_save(struct editor *ed)
{
	const char *text;

	if (!ed->dirty || !ed->o->save_draft)
		return;
	text = textbuf_text(&ed->tb);
	if (ed->o->save_draft(ed->o->ctx, text, textbuf_len(&ed->tb)) == 0) {
		ed->dirty = 0;
		ed->draft_failed = 0;
		ed->saved_at = time(NULL);
	} else {
		/* Kept dirty: tried again after another interval. */
		ed->draft_failed = 1;
		ed->dirty_at = ui_clock();
	}
}

/* Milliseconds until the next draft is due (0 now), or -1 when none is. */
static int draft_wait(const struct editor *ed)
{
	double left;

	if (!ed->dirty || !ed->o->save_draft)
		return -1;
	left = ed->dirty_at + draft_seconds(ed) - ui_clock();
	return left <= 0 ? 0 : (int)(left * 1000.0) + 1;
}

static void lock_hook(struct ui *u, void *ctx, int locking)
{
	struct editor *ed = ctx;

	if (locking) {
		draft_save(ed);
		smem_noaccess(ed->tb.buf);
	} else {
		smem_readwrite(ed->tb.buf);
	}
	if (ed->prev_hook)
		ed->prev_hook(u, ed->prev_ctx, locking);
}

/* ---- editing ----------------------------------------------------------------- */

static void edited(struct editor *ed, size_t pos)
{
	/* An edit above the first row shown (Backspace joining it to the line
	 * above) moves the first row to the edit. */
	if (pos < ed->top_para) {
		struct textbuf_row r;

		textbuf_row_at(&ed->tb, pos, &r);
		top_set(ed, &r);
	}
	ed->modified = 1;
	if (!ed->dirty) {
		ed->dirty = 1;
		ed->dirty_at = ui_clock();
	}
}

static void insert(struct editor *ed, const char *s, size_t n)
{
	if (textbuf_insert(&ed->tb, ed->cur, s, n) != 0) {
		ui_msg(ed->u, 1, "The document cannot grow any more: not inserted.");
		return;
	}
	edited(ed, ed->cur);
	ed->cur += n;
}

/* A typed character, encoded as the line fields do (the locale is UTF-8
 * wherever names are typed). */
static void insert_key(struct editor *ed, int k)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t n;

	if (k < 32 || k == 127 || (k >= 0x80 && k < 0xA0) || k >= UI_KEY_FN)
		return;
	memset(&st, 0, sizeof st);
	n = wcrtomb(mb, (wchar_t)k, &st);
	if (n != (size_t)-1)
		insert(ed, mb, n);
	smem_wipe(mb, sizeof mb);
}

static void insert_tab(struct editor *ed)
{
	static const char spaces[] = "    "; /* ED_TAB of them */
	struct textbuf_row r;

	textbuf_row_at(&ed->tb, ed->cur, &r);
	insert(ed, spaces, (size_t)(ED_TAB - textbuf_row_col(&ed->tb, &r, ed->cur) % ED_TAB));
}

static void delete_back(struct editor *ed)
{
	size_t p;

	if (ed->cur == 0)
		return;
	p = textbuf_prev(&ed->tb, ed->cur);
	textbuf_delete(&ed->tb, p, ed->cur - p);
	ed->cur = p;
	edited(ed, p);
}

static void delete_here(struct editor *ed)
{
	size_t n = textbuf_next(&ed->tb, ed->cur);

	if (n == ed->cur)
		return;
	textbuf_delete(&ed->tb, ed->cur, n - ed->cur);
	edited(ed, ed->cur);
}

/* Up (dir -1) or down (+1) n rows, keeping the goal column; the first row
 * shown moves as far when page is set.  Past the first or last row the
 * cursor goes to the start or end of the text. */
static void move_rows(struct editor *ed, int dir, int n, int page)
{
	struct textbuf_row r, t;
	int moved = 0;

	textbuf_row_at(&ed->tb, ed->cur, &r);
	if (ed->goal < 0)
		ed->goal = textbuf_row_col(&ed->tb, &r, ed->cur);
	top_get(ed, &t);
	while (moved < n) {
		int rc = dir > 0 ? textbuf_row_next(&ed->tb, &r, &r) : textbuf_row_prev(&ed->tb, &r, &r);

		if (rc != 0)
			break;
		if (page && (dir > 0 ? textbuf_row_next(&ed->tb, &t, &t)
				     : textbuf_row_prev(&ed->tb, &t, &t)) == 0)
			top_set(ed, &t);
		moved++;
	}
	if (moved == 0)
		ed->cur = dir > 0 ? textbuf_len(&ed->tb) : 0;
	else
		ed->cur = textbuf_row_pos(&ed->tb, &r, ed->goal);
}

/* Home: the row's start, and when already there the line's. */
static void move_home(struct editor *ed)
{
	struct textbuf_row r;

	textbuf_row_at(&ed->tb, ed->cur, &r);
	ed->cur = ed->cur != r.start ? r.start : textbuf_para_start(&ed->tb, ed->cur);
}

/* End: before the row's last character (after it is the next row), the
 * paragraph's end on its last row; when already there the line's end. */
static void move_end(struct editor *ed)
{
	struct textbuf_row r;
	size_t end;

	textbuf_row_at(&ed->tb, ed->cur, &r);
	end = r.last ? r.end : textbuf_prev(&ed->tb, r.end);
	ed->cur = ed->cur != end ? end : textbuf_para_end(&ed->tb, ed->cur);
}

/* One key of the editor; returns 1 when it used it. */
static int edit_key(struct editor *ed, int k)
{
	int goal = ed->goal;

	ed->goal = -1;
	if (k == UI_FKEY(KEY_UP) || k == UI_FKEY(KEY_DOWN)) {
		ed->goal = goal;
		move_rows(ed, k == UI_FKEY(KEY_UP) ? -1 : 1, 1, 0);
	} else if (k == UI_FKEY(KEY_PPAGE) || k == UI_FKEY(KEY_NPAGE)) {
		ed->goal = goal;
		move_rows(ed, k == UI_FKEY(KEY_PPAGE) ? -1 : 1, ed_rows() > 2 ? ed_rows() - 1 : 1, 1);
	} else if (k == UI_FKEY(KEY_LEFT)) {
		ed->cur = textbuf_prev(&ed->tb, ed->cur);
	} else if (k == UI_FKEY(KEY_RIGHT)) {
		ed->cur = textbuf_next(&ed->tb, ed->cur);
	} else if (k == UI_FKEY(KEY_HOME) || k == CTRL('A')) {
		move_home(ed);
	} else if (k == UI_FKEY(KEY_END) || k == CTRL('E')) {
		move_end(ed);
	} else if (ed->key_ctrl_home > 0 && k == UI_FKEY(ed->key_ctrl_home)) {
		ed->cur = 0;
	} else if (ed->key_ctrl_end > 0 && k == UI_FKEY(ed->key_ctrl_end)) {
		ed->cur = textbuf_len(&ed->tb);
	} else if (ui_key_is_enter(k)) {
		insert(ed, "\n", 1);
	} else if (k == '\t') {
		insert_tab(ed);
	} else if (k == UI_FKEY(KEY_DC) || k == CTRL('D')) {
		delete_here(ed);
	} else if (ui_key_is_backspace(k)) {
		delete_back(ed);
	} else if (k == CTRL('L')) {
		clearok(curscr, TRUE);
	} else if (k >= 32 && k < UI_KEY_FN) {
		insert_key(ed, k);
	} else {
		return 0;
	}
	return 1;
}

static void edit_help_show(struct editor *ed)
{
	char text[sizeof edit_help + 256];

	snprintf(text, sizeof text, "%s", edit_help);
	if (ed->o->save_draft)
		snprintf(text + strlen(text), sizeof text - strlen(text),
			 "\nA draft is kept (encrypted) within %.0f seconds of a change, and\n"
			 "when the screen locks; the status line shows when it was saved.",
			 draft_seconds(ed));
	ui_popup(ed->u, "Editor", text);
}

static int edit_loop(struct editor *ed)
{
	struct ui *u = ed->u;

	for (;;) {
		int k, wait;

		if (draft_wait(ed) == 0)
			draft_save(ed);
		wait = draft_wait(ed);
		ui_redraw(u);
		k = wait < 0 ? ui_getkey(u) : ui_getkey_timeout(u, wait);
		if (k == UI_KEY_NONE)
			continue;
		if (k == UI_KEY_ABORT) {
			draft_save(ed);
			return UI_ABORT;
		}
		if (k == UI_FKEY(KEY_F(10)) || k == CTRL('X')) {
			draft_save(ed);
			return UI_OK;
		}
		if (k == UI_KEY_ESC) {
			if (!ed->modified || ui_confirm(u, "Discard changes?", 0))
				return UI_BACK;
			if (u->ending) {
				draft_save(ed);
				return UI_ABORT;
			}
		} else if (k == UI_FKEY(KEY_F(1))) {
			edit_help_show(ed);
		} else if (!edit_key(ed, k)) {
			ui_msg(u, 0, "F1 shows the editor's keys.");
		}
	}
}

/* ---- viewing ----------------------------------------------------------------- */

/* Scrolls the first row shown by n rows (down when n > 0), no further than
 * the last row at the bottom (n 0 just enforces that). */
static void view_scroll(struct editor *ed, int n)
{
	struct textbuf_row t, end;

	top_get(ed, &t);
	last_top(ed, &end);
	if (t.start > end.start)
		t = end;
	for (; n > 0 && t.start < end.start; n--)
		if (textbuf_row_next(&ed->tb, &t, &t) != 0)
			break;
	for (; n < 0; n++)
		if (textbuf_row_prev(&ed->tb, &t, &t) != 0)
			break;
	top_set(ed, &t);
}

/* '/' asks for the text, n looks again; from the top of the screen, or
 * after the last place found, wrapping to the start once. */
static void view_find(struct editor *ed, int again)
{
	struct ui *u = ed->u;
	struct textbuf_row t;
	size_t from, at, n;

	top_get(ed, &t);
	if (!again || !ed->find[0]) {
		char buf[ED_FIND_MAX] = "";
		int r = ui_ask(u, "Find", "Text to look for in this document; letters match in "
			       "either case. n finds the next place.", ed->find[0] ? ed->find : NULL,
			       buf, sizeof buf);

		if (r == UI_OK && buf[0])
			str_copy(ed->find, sizeof ed->find, buf);
		smem_wipe(buf, sizeof buf);
		if (r != UI_OK || !ed->find[0])
			return;
		from = t.start;
	} else {
		from = ed->match_len && ed->match >= t.start ? ed->match + 1 : t.start;
	}
	n = strlen(ed->find);
	ed->match_len = 0;
	if (textbuf_find(&ed->tb, from, ed->find, n, &at) != 0) {
		if (from == 0 || textbuf_find(&ed->tb, 0, ed->find, n, &at) != 0) {
			ui_msg(u, 1, "Not found.");
			return;
		}
		ui_msg(u, 0, "Found again from the start.");
	}
	ed->match = at;
	ed->match_len = n;
	/* Keep the screen if the place is on it; else start it there. */
	for (int i = 0; i < ed_rows(); i++) {
		if (row_holds(&t, at))
			return;
		if (textbuf_row_next(&ed->tb, &t, &t) != 0)
			break;
	}
	textbuf_row_at(&ed->tb, at, &t);
	top_set(ed, &t);
	view_scroll(ed, 0); /* near the end: a full screen, the place on it */
}

static int view_loop(struct editor *ed)
{
	struct ui *u = ed->u;

	for (;;) {
		int k, page;

		ui_redraw(u);
		k = ui_getkey(u);
		page = ed_rows() > 2 ? ed_rows() - 1 : 1;
		if (k == UI_KEY_ABORT)
			return UI_ABORT;
		if (k == UI_KEY_ESC || k == 'q' || k == 'Q' || k == UI_FKEY(KEY_F(10)) ||
		    k == CTRL('X'))
			return UI_BACK;
		if (ui_key_is_help(k)) {
			ui_popup(u, "Document viewer", view_help);
		} else if (k == '/' || k == 'n') {
			view_find(ed, k != '/');
		} else if (k == UI_FKEY(KEY_UP)) {
			view_scroll(ed, -1);
		} else if (k == UI_FKEY(KEY_DOWN) || ui_key_is_enter(k)) {
			view_scroll(ed, 1);
		} else if (k == UI_FKEY(KEY_PPAGE) || k == '-') {
			view_scroll(ed, -page);
		} else if (k == UI_FKEY(KEY_NPAGE) || k == '+' || k == ' ') {
			view_scroll(ed, page);
		} else if (k == UI_FKEY(KEY_HOME) || k == CTRL('A') ||
			   (ed->key_ctrl_home > 0 && k == UI_FKEY(ed->key_ctrl_home))) {
			ed->top_para = 0;
			ed->top_index = 0;
		} else if (k == UI_FKEY(KEY_END) || k == CTRL('E') ||
			   (ed->key_ctrl_end > 0 && k == UI_FKEY(ed->key_ctrl_end))) {
			struct textbuf_row t;

			last_top(ed, &t);
			top_set(ed, &t);
		} else {
			ui_msg(u, 0, "Read only: F1 shows the keys; Esc closes.");
		}
	}
}

/* ---- entry ------------------------------------------------------------------- */

int ui_editor_run(struct ui *u, const char *initial, size_t len, const struct ui_editor_opts *o,
		  char **out, size_t *outlen)
{
	struct editor ed;
	struct ui_view v;
	int r;

	if (out)
		*out = NULL;
	if (outlen)
		*outlen = 0;
	if (!o || (!o->readonly && (!out || !outlen)))
		return -1;
	memset(&ed, 0, sizeof ed);
	ed.u = u;
	ed.o = o;
	ed.goal = -1;
	if (textbuf_load(&ed.tb, initial ? initial : "", initial ? len : 0, ed_width()) != 0) {
		ui_msg(u, 1, "Not enough memory to open the document.");
		return -1;
	}
	/* ^Home and ^End, where the terminal has them (xterm, tmux). */
	ed.key_ctrl_home = key_defined("\033[1;5H");
	ed.key_ctrl_end = key_defined("\033[1;5F");
	ed.prev_hook = u->lock_hook;
	ed.prev_ctx = u->lock_hook_ctx;
	u->lock_hook = lock_hook;
	u->lock_hook_ctx = &ed;
	ui_view_push(u, &v, ed_draw, &ed, 1);

	r = o->readonly ? view_loop(&ed) : edit_loop(&ed);
	if (r == UI_OK) {
		size_t n = textbuf_len(&ed.tb);
		char *copy = smem_alloc(n + 1);

		if (copy) {
			memcpy(copy, textbuf_text(&ed.tb), n);
			*out = copy;
			*outlen = n;
		} else {
			ui_msg(u, 1, "Not enough memory to hand the document over; the draft is kept.");
			r = -1;
		}
	}
	curs_set(0);
	ui_view_pop(u, &v);
	u->lock_hook = ed.prev_hook;
	u->lock_hook_ctx = ed.prev_ctx;
	smem_wipe(ed.find, sizeof ed.find);
	textbuf_free(&ed.tb);
	return r;
}
