/* folio — forms: a question at a time, answers listed above the next one. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "folio/smem.h"
#include "ui_internal.h"

#define FORM_TOP 2

static void form_draw(struct ui *u, void *ctx)
{
	struct ui_form *fm = ctx;
	int row = FORM_TOP;

	ui_frame(u, fm->title, "F1/? help  Esc back  ^ back");
	if (fm->intro && *fm->intro)
		ui_put(row++, 2, COLS - 4, fm->intro, ui_attr(u, UI_A_DIM));
	row++;
	for (int i = 0; i < fm->n && row <= ui_body_end(); i++, row++)
		ui_put(row, 2, COLS - 4, fm->line[i], A_NORMAL);
}

void ui_form_open(struct ui *u, struct ui_form *fm, const char *title, const char *intro)
{
	memset(fm->line, 0, sizeof fm->line);
	fm->title = title;
	fm->intro = intro;
	fm->n = 0;
	ui_view_push(u, &fm->view, form_draw, fm, 1);
}

void ui_form_close(struct ui *u, struct ui_form *fm)
{
	ui_view_pop(u, &fm->view);
	smem_wipe(fm->line, sizeof fm->line);
}

int ui_form_field(struct ui *u, struct ui_form *fm, struct ui_field *f)
{
	int r, row = FORM_TOP + (fm->intro && *fm->intro ? 1 : 0) + 1 + fm->n;

	f->row = row <= ui_body_end() ? row : ui_body_end();
	f->col = 2;
	r = ui_field_run(u, f);
	if (r == UI_OK && fm->n < UI_FORM_LINES) {
		if (f->secret)
			snprintf(fm->line[fm->n], sizeof fm->line[0], "%s: (entered)", f->label);
		else
			snprintf(fm->line[fm->n], sizeof fm->line[0], "%s: %s", f->label, f->buf);
		fm->n++;
		ui_redraw(u);
	}
	return r;
}

void ui_form_drop(struct ui_form *fm, int n)
{
	while (n-- > 0 && fm->n > 0) {
		fm->n--;
		memset(fm->line[fm->n], 0, sizeof fm->line[0]);
	}
}
