/* folio — "Merges": every merge of two charts, newest first (merge.propose
 * reads the list), with who merged and when, how many row values moved and
 * whether it was undone.  U undoes the highlighted merge after a
 * confirmation (supervisors: merge.approve on the surviving chart, as
 * `folio merge undo`); the others see "(U undo)".
 *
 * The list holds MRNs, user names and counts only: nothing to wipe.
 */
#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folio/merge.h"
#include "ui_internal.h"

#define MERGES_MAX 500
#define ML_TOP 4

static const char merges_help[] =
	"Every merge of two charts, newest first: the chart that stayed, the\n"
	"one merged into it, who approved it and when, and how many values\n"
	"moved. An undone merge says who undid it.\n"
	"  U   undo the highlighted merge: exactly the rows it moved go back,\n"
	"      both charts are found apart again (supervisors; audited)\n"
	"  F5  read the list again\n"
	"Esc or ^ goes back.";

struct merges {
	struct merge_info *rows;
	size_t n;
	int truncated, may_undo;
	struct ui_list list;
};

static int merges_add(const struct merge_info *m, void *ctx)
{
	struct merges *d = ctx;

	if (d->n >= MERGES_MAX) {
		d->truncated = 1;
		return 1;
	}
	d->rows[d->n++] = *m;
	return 0;
}

static void merges_load(struct ui *u, struct merges *d)
{
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	d->n = 0;
	d->truncated = 0;
	err_clear(&e);
	rc = access_begin(u->s, ACT_MERGE_PROPOSE, NULL, "merges", NULL, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, merge_list(g, merges_add, d, &e), &e);
	if (rc != FOLIO_OK)
		ui_msg(u, 1, "Cannot list the merges: %s", e.msg);
	d->list.n = (int)d->n;  /* the draw keeps sel in range */
}

static int ml_page(void)
{
	return ui_body_end() - ML_TOP + 1;
}

static void merges_draw(struct ui *u, void *ctx)
{
	struct merges *d = ctx;
	char line[160];
	int page = ml_page(), t = ui_attr(u, UI_A_TITLE);

	ui_list_fit(&d->list, page);
	ui_frame(u, "Merges", NULL);
	snprintf(line, sizeof line, "%zu merge%s%s", d->n, d->n == 1 ? "" : "s", d->truncated ? " (the newest)" : "");
	ui_put(2, 2, COLS - 4, line, t);
	ui_put(ML_TOP - 1, 1, 5, "   #", t);
	ui_put(ML_TOP - 1, 7, 9, "Survivor", t);
	ui_put(ML_TOP - 1, 17, 9, "Merged", t);
	ui_put(ML_TOP - 1, 27, 12, "By", t);
	ui_put(ML_TOP - 1, 40, 17, "At (UTC)", t);
	ui_put(ML_TOP - 1, 58, 6, "Rows", t);
	ui_put(ML_TOP - 1, 65, COLS - 66, "Undone", t);
	for (int i = d->list.top; i < (int)d->n && i < d->list.top + page; i++) {
		const struct merge_info *m = &d->rows[i];
		int row = ML_TOP + i - d->list.top;
		int at = ui_list_bar(u, row, i == d->list.sel);

		snprintf(line, sizeof line, "%4" PRId64, m->id);
		ui_put(row, 1, 5, line, at);
		ui_put(row, 7, 9, m->survivor, at);
		ui_put(row, 17, 9, m->loser, at);
		ui_put(row, 27, 12, m->by, at);
		snprintf(line, sizeof line, "%.16s", m->at);
		ui_put(row, 40, 17, line, at);
		snprintf(line, sizeof line, "%5ld", m->rows);
		ui_put(row, 58, 6, line, at);
		snprintf(line, sizeof line, "%s%s%.16s", m->undone_by, m->undone_by[0] ? " " : "", m->undone_at);
		ui_put(row, 65, COLS - 66, m->undone_at[0] ? line : "-", at);
	}
	if (d->n == 0)
		ui_put(ML_TOP, 2, COLS - 4, "No merges yet.", A_NORMAL);
	ui_put(ui_action_row(), 1, COLS - 2,
	       d->may_undo ? "U Undo  F5 Reload  Esc Back  ? Help" : "(U undo)  F5 Reload  Esc Back  ? Help", A_NORMAL);
}

/* Undoes m after a confirmation; 1 when undone. */
static int merges_undo(struct ui *u, const struct merge_info *m, int may)
{
	struct merge_info done;
	struct folio_err e;
	struct grant *g = NULL;
	char q[128], loser[16];
	int rc;

	if (!may) {
		ui_msg(u, 1, "A supervisor undoes a merge (merge.approve).");
		return 0;
	}
	if (m->undone_at[0]) {
		ui_msg(u, 1, "Merge %" PRId64 " was undone already by %s.", m->id, m->undone_by);
		return 0;
	}
	snprintf(q, sizeof q, "Undo merge %" PRId64 ": charts %s and %s apart again?", m->id, m->survivor, m->loser);
	if (!ui_confirm(u, q, 0))
		return 0;
	str_copy(loser, sizeof loser, m->loser);
	err_clear(&e);
	rc = access_begin(u->s, ACT_MERGE_APPROVE, m->survivor, "unmerge", loser, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, merge_undo(g, m->id, &done, &e), &e);
	if (rc != FOLIO_OK) {
		ui_msg(u, 1, "Not undone: %s", e.msg);
		return 0;
	}
	ui_msg(u, 0, "Merge %" PRId64 " undone: charts %s and %s are apart again.", m->id, m->survivor, m->loser);
	return 1;
}

void ui_merges_run(struct ui *u)
{
	struct merges d;
	struct ui_view v;

	memset(&d, 0, sizeof d);
	d.may_undo = access_may(u->s, ACT_MERGE_APPROVE);
	if (!(d.rows = calloc(MERGES_MAX, sizeof *d.rows))) {
		ui_msg(u, 1, "Out of memory.");
		return;
	}
	merges_load(u, &d);
	ui_view_push(u, &v, merges_draw, &d, 1);
	ui_redraw(u);
	for (;;) {
		int k = ui_getkey(u), reload = 0;
		const struct merge_info *m = d.n > 0 ? &d.rows[d.list.sel] : NULL;

		if (ui_key_is_back(k) || k == '^')
			break;
		if (k == 'q' || k == 'Q')
			ui_end(u, UI_END_QUIT);
		else if (ui_key_is_help(k))
			ui_popup(u, "Merges", merges_help);
		else if (m && (k == 'u' || k == 'U'))
			reload = merges_undo(u, m, d.may_undo);
		else if (k == UI_FKEY(KEY_F(5)))
			reload = 1;
		else
			ui_list_key(&d.list, k, ml_page());
		if (reload && !u->ending)
			merges_load(u, &d);
		ui_redraw(u);
	}
	ui_view_pop(u, &v);
	free(d.rows);
}
