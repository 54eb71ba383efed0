/* folio — popups: help for a screen or field, and short reports.  The popup
 * is a view on the stack like any screen, so a resize or an idle lock while
 * it is open brings it back. */
#include <curses.h>
#include <string.h>

#include "folio/smem.h"
#include "ui_internal.h"

#define POPUP_FOOT "Press any key to return."
#define POPUP_LINE 256
#define POPUP_MAX_LINES 64

struct popup {
	const char *title;
	const char *text;
};

/* Splits text at '\n' and wraps it at spaces to width columns, into lines[]
 * (at most max); returns the number of lines. */
static int wrap_text(const char *text, int width, char lines[][POPUP_LINE], int max)
{
	const char *p = text;
	int n = 0;

	while (n < max) {
		size_t len = strcspn(p, "\n"), take = len, space;
		char buf[POPUP_LINE];

		if (len >= sizeof buf)
			take = len = sizeof buf - 1;
		memcpy(buf, p, take);
		buf[take] = '\0';
		/* Shorten to the last space that fits; a word longer than the
		 * line is cut where it must be. */
		while (take > 0 && ui_text_width(buf) > width) {
			for (space = take - 1; space > 0 && buf[space] != ' '; space--)
				;
			take = space > 0 ? space : take - 1;
			buf[take] = '\0';
		}
		if (take == 0 && len > 0)
			take = 1;
		memcpy(lines[n], p, take);
		lines[n++][take] = '\0';
		p += take;
		if (*p == ' ' && take < len)
			p++;
		else if (*p == '\n' && *++p == '\0')
			break;
		else if (!*p)
			break;
	}
	return n;
}

static void popup_draw(struct ui *u, void *ctx)
{
	const struct popup *pp = ctx;
	char lines[POPUP_MAX_LINES][POPUP_LINE];
	int n, w = ui_text_width(POPUP_FOOT), h, top, left;

	n = wrap_text(pp->text, COLS - 8, lines, POPUP_MAX_LINES);
	for (int i = 0; i < n; i++)
		if (ui_text_width(lines[i]) > w)
			w = ui_text_width(lines[i]);
	if (ui_text_width(pp->title) + 2 > w)
		w = ui_text_width(pp->title) + 2;
	w += 4;
	if (w > COLS - 2)
		w = COLS - 2;
	h = n + 4;
	if (h > LINES - 2)
		h = LINES - 2;
	top = (LINES - h) / 2;
	left = (COLS - w) / 2;

	curs_set(0);
	for (int r = 0; r < h; r++) {
		move(top + r, left);
		for (int c = 0; c < w; c++)
			addch(' ');
	}
	mvaddch(top, left, ACS_ULCORNER);
	mvhline(top, left + 1, ACS_HLINE, w - 2);
	mvaddch(top, left + w - 1, ACS_URCORNER);
	mvvline(top + 1, left, ACS_VLINE, h - 2);
	mvvline(top + 1, left + w - 1, ACS_VLINE, h - 2);
	mvaddch(top + h - 1, left, ACS_LLCORNER);
	mvhline(top + h - 1, left + 1, ACS_HLINE, w - 2);
	mvaddch(top + h - 1, left + w - 1, ACS_LRCORNER);
	ui_put(top, left + 2, w - 4, pp->title, ui_attr(u, UI_A_TITLE));
	for (int i = 0; i < h - 4 && i < n; i++)
		ui_put(top + 1 + i, left + 2, w - 4, lines[i], A_NORMAL);
	ui_put(top + h - 2, left + 2, w - 4, POPUP_FOOT, ui_attr(u, UI_A_DIM));
	/* The wrapped copy may hold record data: gone once drawn. */
	smem_wipe(lines, sizeof lines);
}

void ui_popup(struct ui *u, const char *title, const char *text)
{
	struct popup pp = { title, text };
	struct ui_view v;

	ui_view_push(u, &v, popup_draw, &pp, 0);
	ui_redraw(u);
	(void)ui_getkey(u);
	ui_view_pop(u, &v);
	ui_redraw(u);
}
