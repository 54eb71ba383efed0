/* folio — the view stack and the frame every screen shares (title bar,
 * message line, status line). */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "ui_internal.h"

#define UI_MIN_COLS 80
#define UI_MIN_ROWS 24
#define UI_DEFAULT_HINTS "? help  Esc back  q quit"

void ui_view_push(struct ui *u, struct ui_view *v, ui_draw_fn *draw, void *ctx, int full)
{
	v->draw = draw;
	v->ctx = ctx;
	v->full = full;
	v->below = u->top;
	u->top = v;
}

void ui_view_pop(struct ui *u, const struct ui_view *v)
{
	/* Views live on their screens' stacks and leave in order; tolerate a
	 * mismatch rather than leave a dangling pointer on top. */
	while (u->top && u->top != v)
		u->top = u->top->below;
	if (u->top)
		u->top = u->top->below;
}

static void draw_from(struct ui *u, struct ui_view *v)
{
	if (!v)
		return;
	if (!v->full)
		draw_from(u, v->below);
	v->draw(u, v->ctx);
}

void ui_redraw(struct ui *u)
{
	if (u->ending) {
		ui_blank();
		return;
	}
	if (COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS) {
		erase();
		curs_set(0);
		mvprintw(0, 0, "folio needs at least %dx%d", UI_MIN_COLS, UI_MIN_ROWS);
		mvprintw(1, 0, "(now %dx%d)", COLS, LINES);
		refresh();
		return;
	}
	if (!u->top) {
		erase();
		curs_set(0);
	}
	draw_from(u, u->top);
	refresh();
}

void ui_blank(void)
{
	erase();
	curs_set(0);
	refresh();
}

int ui_attr(const struct ui *u, enum ui_attr a)
{
	switch (a) {
	case UI_A_HEADER:
		return u->colors ? (int)(COLOR_PAIR(1) | A_BOLD) : (int)A_REVERSE;
	case UI_A_STATUS:
		return u->colors ? (int)COLOR_PAIR(2) : (int)A_REVERSE;
	case UI_A_ERROR:
		return u->colors ? (int)(COLOR_PAIR(3) | A_BOLD) : (int)A_BOLD;
	case UI_A_SELECT:
		return u->colors ? (int)(COLOR_PAIR(4) | A_BOLD) : (int)A_REVERSE;
	case UI_A_TITLE:
		return (int)A_BOLD;
	case UI_A_DIM:
		return u->colors ? (int)A_DIM : (int)A_NORMAL;
	}
	return (int)A_NORMAL;
}

/* Decodes s into at most width columns of wide characters; control and
 * undecodable bytes become '?' so stored text cannot move the cursor. */
static size_t fit_wide(const char *s, int width, wchar_t *out, size_t cap, int *cols)
{
	mbstate_t st;
	size_t n = 0, left = strlen(s);
	int used = 0;

	memset(&st, 0, sizeof st);
	while (left > 0 && n + 1 < cap) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, left, &st);
		int w;

		if (k == (size_t)-1 || k == (size_t)-2) {
			memset(&st, 0, sizeof st);
			wc = L'?';
			k = 1;
		} else if (k == 0) {
			break;
		}
		if ((unsigned)wc < 32 || wc == 127)
			wc = L'?';
		w = wcwidth(wc);
		if (w < 0) {
			wc = L'?';
			w = 1;
		}
		if (used + w > width)
			break;
		out[n++] = wc;
		used += w;
		s += k;
		left -= k;
	}
	out[n] = L'\0';
	*cols = used;
	return n;
}

int ui_text_width(const char *s)
{
	wchar_t buf[512];
	int cols;

	fit_wide(s, 1 << 20, buf, ARRAY_SIZE(buf), &cols);
	return cols;
}

int ui_put(int row, int col, int width, const char *s, int attr)
{
	wchar_t buf[512];
	int cols;
	size_t n;

	if (width <= 0 || row < 0 || row >= LINES || col >= COLS)
		return 0;
	if (col + width > COLS)
		width = COLS - col;
	n = fit_wide(s, width, buf, ARRAY_SIZE(buf), &cols);
	attron((attr_t)attr);
	mvaddnwstr(row, col, buf, (int)n);
	attroff((attr_t)attr);
	return cols;
}

static void fill_row(int row, int attr)
{
	attron((attr_t)attr);
	move(row, 0);
	for (int i = 0; i < COLS; i++)
		addch(' ');
	attroff((attr_t)attr);
}

int ui_body_end(void)
{
	return LINES - 5;
}

int ui_action_row(void)
{
	return LINES - 4;
}

int ui_prompt_row(void)
{
	return LINES - 3;
}

static void draw_status(struct ui *u, const char *hints)
{
	char left[160];
	const char *mrn = session_patient(u->s);
	int attr = ui_attr(u, UI_A_STATUS);
	int hw = ui_text_width(hints);

	snprintf(left, sizeof left, " %s  %s  Patient: %s", session_user(u->s),
		 role_title(session_role(u->s)), mrn && *mrn ? mrn : "none");
	fill_row(LINES - 1, attr);
	ui_put(LINES - 1, 0, COLS - hw - 2, left, attr);
	ui_put(LINES - 1, COLS - hw - 1, hw, hints, attr);
}

void ui_frame(struct ui *u, const char *title, const char *hints)
{
	int hattr = ui_attr(u, UI_A_HEADER);
	int col;

	erase();
	curs_set(0);
	fill_row(0, hattr);
	col = ui_put(0, 1, COLS - 2, "folio", hattr);
	if (title && *title) {
		col += ui_put(0, 1 + col, COLS - 2 - col, " \xe2\x80\x94 ", hattr);
		ui_put(0, 1 + col, COLS - 2 - col, title, hattr);
	}
	if (u->msg[0])
		ui_put(LINES - 2, 1, COLS - 2, u->msg,
		       u->msg_err ? ui_attr(u, UI_A_ERROR) : (int)A_NORMAL);
	if (u->s && !u->locked)
		draw_status(u, hints ? hints : UI_DEFAULT_HINTS);
}

void ui_msg(struct ui *u, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->msg, sizeof u->msg, fmt, ap);
	va_end(ap);
	u->msg_err = err;
}

void ui_msg_clear(struct ui *u)
{
	u->msg[0] = '\0';
	u->msg_err = 0;
}

void ui_end(struct ui *u, int how)
{
	/* The strongest ending wins: a signal outranks a quit, a quit a sign-out. */
	if (how > u->ending)
		u->ending = how;
}

int ui_may(struct ui *u, enum action a)
{
	if (access_may(u->s, a))
		return 1;
	ui_msg(u, 1, "Your role may not %s.", action_help(a));
	return 0;
}
