/* folio — selection and scrolling shared by the list screens. */
#include <curses.h>

#include "ui_internal.h"

void ui_list_fit(struct ui_list *l, int page)
{
	if (page < 1)
		page = 1;
	if (l->sel >= l->n)
		l->sel = l->n - 1;
	if (l->sel < 0)
		l->sel = 0;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + page)
		l->top = l->sel - page + 1;
	if (l->top > l->n - page)
		l->top = l->n - page;
	if (l->top < 0)
		l->top = 0;
}

/* Row numbers are typed digit by digit: "1" then "2" picks row 12 when there
 * is one, else starts again at row 2. */
static void pick_digit(struct ui_list *l, int d)
{
	int want = l->digits * 10 + d;

	if (l->digits > 0 && want >= 1 && want <= l->n) {
		l->digits = want;
	} else {
		l->digits = d;
		want = d;
	}
	if (want >= 1 && want <= l->n)
		l->sel = want - 1;
}

int ui_list_key(struct ui_list *l, int key, int page)
{
	if (key >= '0' && key <= '9') {
		pick_digit(l, key - '0');
		ui_list_fit(l, page);
		return 1;
	}
	l->digits = 0;
	switch (key) {
	case UI_FKEY(KEY_UP):
		l->sel--;
		break;
	case UI_FKEY(KEY_DOWN):
		l->sel++;
		break;
	case UI_FKEY(KEY_PPAGE):
	case '-':
		l->sel -= page;
		l->top -= page;
		break;
	case UI_FKEY(KEY_NPAGE):
	case '+':
	case ' ':
		l->sel += page;
		l->top += page;
		break;
	case UI_FKEY(KEY_HOME):
		l->sel = 0;
		break;
	case UI_FKEY(KEY_END):
		l->sel = l->n - 1;
		break;
	default:
		return 0;
	}
	ui_list_fit(l, page);
	return 1;
}

int ui_list_bar(struct ui *u, int row, int selected)
{
	int at = selected ? ui_attr(u, UI_A_SELECT) : (int)A_NORMAL;

	if (at != (int)A_NORMAL) {
		attron((attr_t)at);
		mvhline(row, 0, ' ', COLS);
		attroff((attr_t)at);
	}
	return at;
}
