/* folio — restricted-record alerts for the supervisor: who opened which
 * restricted record and why; Enter marks one reviewed.
 *
 * The reasons are decrypted with the sensitive key: the rows live in one
 * guarded block, wiped and freed when the screen closes.
 */
#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "folio/patient.h"
#include "folio/smem.h"
#include "ui_internal.h"

#define ALERTS_MAX 500
#define AL_TOP 4

static const char alerts_help[] =
	"Every opening of a restricted record, newest first, with the reason\n"
	"the user gave. Review each: ask the user when the reason is thin.\n"
	"  Enter  mark the highlighted alert reviewed\n"
	"  V      the whole alert\n"
	"  A      show reviewed alerts too, or only the open ones\n"
	"  F5     read the list again\n"
	"Esc or ^ goes back to the menu; q signs out and leaves folio.";

struct alerts {
	struct alert *rows;
	size_t n;
	int all;
	int truncated;
	struct ui_list list;
};

static int alerts_add(const struct alert *a, void *ctx)
{
	struct alerts *as = ctx;

	if (as->n >= ALERTS_MAX) {
		as->truncated = 1;
		return 1;
	}
	as->rows[as->n++] = *a;
	return 0;
}

static void alerts_load(struct ui *u, struct alerts *as)
{
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	smem_wipe(as->rows, ALERTS_MAX * sizeof *as->rows);
	as->n = 0;
	as->truncated = 0;
	err_clear(&e);
	rc = access_begin(u->s, ACT_ALERT_REVIEW, NULL, NULL, NULL, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, alerts_list(g, as->all, alerts_add, as, &e), &e);
	if (rc != FOLIO_OK)
		ui_msg(u, 1, "Cannot list the alerts: %s", e.msg);
	as->list.n = (int)as->n;
}

static int al_page(void)
{
	return ui_body_end() - AL_TOP + 1;
}

static void alerts_draw(struct ui *u, void *ctx)
{
	struct alerts *as = ctx;
	char line[128];
	int page = al_page(), t = ui_attr(u, UI_A_TITLE);

	ui_list_fit(&as->list, page);
	ui_frame(u, "Restricted-record alerts", NULL);
	snprintf(line, sizeof line, "%zu %s alert%s%s", as->n, as->all ? "" : "open",
		 as->n == 1 ? "" : "s", as->truncated ? " (the newest)" : "");
	ui_put(2, 2, COLS - 4, line, t);
	ui_put(AL_TOP - 1, 1, 4, "  #", t);
	ui_put(AL_TOP - 1, 6, 16, "When (UTC)", t);
	ui_put(AL_TOP - 1, 23, 10, "User", t);
	ui_put(AL_TOP - 1, 34, 8, "MRN", t);
	ui_put(AL_TOP - 1, 43, 25, "Reason", t);
	ui_put(AL_TOP - 1, 69, 10, "Reviewed", t);
	for (int i = as->list.top; i < (int)as->n && i < as->list.top + page; i++) {
		const struct alert *a = &as->rows[i];
		int row = AL_TOP + i - as->list.top;
		int at = i == as->list.sel ? ui_attr(u, UI_A_SELECT) : (int)A_NORMAL;

		if (at != (int)A_NORMAL) {
			attron((attr_t)at);
			mvhline(row, 0, ' ', COLS);
			attroff((attr_t)at);
		}
		snprintf(line, sizeof line, "%3d", i + 1);
		ui_put(row, 1, 4, line, at);
		snprintf(line, sizeof line, "%.16s", a->at);
		if (line[10] == 'T')
			line[10] = ' ';
		ui_put(row, 6, 16, line, at);
		ui_put(row, 23, 10, a->user, at);
		ui_put(row, 34, 8, a->mrn, at);
		ui_put(row, 43, 25, a->reason, at);
		ui_put(row, 69, COLS - 70, a->reviewed_by[0] ? a->reviewed_by : "-", at);
	}
	if (as->n == 0)
		ui_put(AL_TOP, 2, COLS - 4, as->all ? "No alerts." : "No alerts waiting for review.",
		       A_NORMAL);
	ui_put(ui_action_row(), 1, COLS - 2,
	       as->all ? "Enter Mark reviewed  V View  A Open only  F5 Reload  ? Help" :
			 "Enter Mark reviewed  V View  A All  F5 Reload  ? Help",
	       A_NORMAL);
	smem_wipe(line, sizeof line);
}

static void alert_view(struct ui *u, const struct alert *a)
{
	char text[512];

	snprintf(text, sizeof text,
		 "Alert:        %" PRId64 "\nWhen:         %s\nUser:         %s\nMRN:          %s\n"
		 "Reviewed by:  %s\n\nReason given:\n%s",
		 a->id, a->at, a->user, a->mrn, a->reviewed_by[0] ? a->reviewed_by : "(not yet)",
		 a->reason);
	ui_popup(u, "Restricted-record alert", text);
	smem_wipe(text, sizeof text);
}

/* 1 when the alert was marked reviewed. */
static int alert_mark(struct ui *u, const struct alert *a)
{
	struct folio_err e;
	struct grant *g = NULL;
	char q[80], id[24];
	int64_t aid = a->id;
	int rc;

	if (a->reviewed_by[0]) {
		ui_msg(u, 1, "Alert %" PRId64 " was reviewed by %s already.", a->id, a->reviewed_by);
		return 0;
	}
	snprintf(q, sizeof q, "Mark alert %" PRId64 " (MRN %s) reviewed?", a->id, a->mrn);
	if (!ui_confirm(u, q, 0))
		return 0;
	snprintf(id, sizeof id, "%" PRId64, aid);
	err_clear(&e);
	rc = access_begin(u->s, ACT_ALERT_REVIEW, NULL, "alert", id, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, alert_review(g, aid, &e), &e);
	if (rc != FOLIO_OK) {
		ui_msg(u, 1, "Not marked: %s", e.msg);
		return 0;
	}
	ui_msg(u, 0, "Alert %" PRId64 " marked reviewed.", aid);
	return 1;
}

void ui_alerts_run(struct ui *u)
{
	struct alerts as;
	struct ui_view v;

	memset(&as, 0, sizeof as);
	if (!(as.rows = smem_alloc(ALERTS_MAX * sizeof *as.rows))) {
		ui_msg(u, 1, "Out of secure memory.");
		return;
	}
	alerts_load(u, &as);
	ui_view_push(u, &v, alerts_draw, &as, 1);
	ui_redraw(u);
	for (;;) {
		int k = ui_getkey(u), reload = 0;
		const struct alert *a = as.n > 0 ? &as.rows[as.list.sel] : NULL;

		if (ui_key_is_back(k) || k == '^')
			break;
		if (k == 'q' || k == 'Q') {
			ui_end(u, UI_END_QUIT);
		} else if (ui_key_is_help(k)) {
			ui_popup(u, "Restricted-record alerts", alerts_help);
		} else if (a && ui_key_is_enter(k)) {
			reload = alert_mark(u, a);
		} else if (a && (k == 'v' || k == 'V')) {
			alert_view(u, a);
		} else if (k == 'a' || k == 'A') {
			as.all = !as.all;
			as.list.sel = as.list.top = 0;
			reload = 1;
		} else if (k == UI_FKEY(KEY_F(5))) {
			reload = 1;
		} else {
			ui_list_key(&as.list, k, al_page());
		}
		if (reload && !u->ending)
			alerts_load(u, &as);
		ui_redraw(u);
	}
	ui_view_pop(u, &v);
	smem_free(as.rows);
}
