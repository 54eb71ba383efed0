/* folio — popups: help for a screen or field, and short reports.  The popup
 * is a view on the stack like any screen, so a resize or an idle lock while
 * it is open brings it back. */
#include <curses.h>
#include <string.h>

#include "ui_internal.h"

#define POPUP_FOOT "Press any key to return."

struct popup {
	const char *title;
	const char *text;
};

/* Copies line number i of text (split at '\n') into buf; 0 past the end. */
static int text_line(const char *text, int i, char *buf, size_t cap)
{
	const char *p = text, *nl;
	size_t len;

	for (; i > 0; i--) {
		nl = strchr(p, '\n');
		if (!nl)
			return 0;
		p = nl + 1;
	}
	nl = strchr(p, '\n');
	len = nl ? (size_t)(nl - p) : strlen(p);
	if (len >= cap)
		len = cap - 1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return 1;
}

static void popup_draw(struct ui *u, void *ctx)
{
	const struct popup *pp = ctx;
	char line[256];
	int n = 0, w = ui_text_width(POPUP_FOOT), h, top, left;

	while (text_line(pp->text, n, line, sizeof line)) {
		int lw = ui_text_width(line);

		if (lw > w)
			w = lw;
		n++;
	}
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
	for (int i = 0; i < h - 4 && text_line(pp->text, i, line, sizeof line); i++)
		ui_put(top + 1 + i, left + 2, w - 4, line, A_NORMAL);
	ui_put(top + h - 2, left + 2, w - 4, POPUP_FOOT, ui_attr(u, UI_A_DIM));
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
