/* folio — checking a patient in (from the patient screen) and the day's
 * check-in list.
 *
 * The list rows hold decrypted names and reasons for visit: one guarded
 * block from checkins_new(), wiped and freed when the screen closes.
 */
#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "folio/date.h"
#include "folio/patient.h"
#include "folio/smem.h"
#include "ui_internal.h"

#define CHECKINS_MAX 1000
#define CK_TOP 4
#define CLINIC_CAP 48
#define VISIT_CAP 96

static const char checkins_help[] =
	"The patients checked in on one day, oldest first.\n"
	"Up/Down move; PgUp/PgDn or - and + move a page; a number picks a row.\n"
	"  Enter  open the highlighted patient\n"
	"  D      another day (T, T-1, 3/14/2026 ...)\n"
	"  F5     read the list again\n"
	"Esc or ^ goes back to the menu; q signs out and leaves folio.";

static const char date_help[] =
	"The day to list: T today, T-1 yesterday, T-1W a week ago,\n"
	"or a date: 3/14/2026, 2026-03-14, 14 MAR 2026.";

/* ---- check in --------------------------------------------------------- */

void ui_patient_checkin(struct ui *u, const char *mrn)
{
	static const char clinic_help[] =
		"The clinic or department the patient is seen in today,\n"
		"e.g. Cardiology, Family medicine, Radiology.";
	static const char reason_help[] =
		"The reason for visit in a few words, as the patient gives it\n"
		"(optional; kept encrypted).";
	struct ui_form fm;
	struct ui_field f;
	struct folio_err e;
	struct grant *g = NULL;
	char *clinic = smem_alloc(CLINIC_CAP), *reason = smem_alloc(VISIT_CAP), title[64];
	int64_t id = 0;
	int step = 0, r = UI_OK, rc;

	if (!clinic || !reason) {
		ui_msg(u, 1, "Out of secure memory.");
		goto out;
	}
	snprintf(title, sizeof title, "Check in: MRN %s", mrn);
	ui_form_open(u, &fm, title, "Clinic, then the reason for visit. Esc goes back a question.");
	while (step >= 0 && step < 2) {
		memset(&f, 0, sizeof f);
		if (step == 0) {
			f.label = "Clinic";
			f.help = clinic_help;
			f.buf = clinic;
			f.cap = CLINIC_CAP;
			smem_wipe(clinic, CLINIC_CAP);
		} else {
			f.label = "Reason for visit";
			f.help = reason_help;
			f.buf = reason;
			f.cap = VISIT_CAP;
			smem_wipe(reason, VISIT_CAP);
		}
		r = ui_form_field(u, &fm, &f);
		if (r == UI_ABORT)
			break;
		if (r == UI_BACK) {
			ui_form_drop(&fm, 1);
			step--;
			continue;
		}
		if (step == 0 && !clinic[0]) {
			ui_msg(u, 1, "Which clinic? ? shows help.");
			ui_form_drop(&fm, 1);
			continue;
		}
		step++;
	}
	if (step == 2 && ui_confirm(u, "Check the patient in?", 1)) {
		err_clear(&e);
		rc = access_begin(u->s, ACT_CHECKIN, mrn, "encounter", NULL, &g, &e);
		if (rc == FOLIO_OK)
			rc = ui_grant_end(g, patient_checkin(g, clinic, reason, &id, &e), &e);
		if (rc == FOLIO_OK)
			ui_msg(u, 0, "Checked in to %s (encounter %" PRId64 ").", clinic, id);
		else
			ui_msg(u, 1, "Not checked in: %s", e.msg);
	} else if (!u->ending) {
		ui_msg(u, 0, "Not checked in.");
	}
	ui_form_close(u, &fm);
out:
	smem_free(clinic);
	smem_free(reason);
}

/* ---- the day's list --------------------------------------------------- */

struct checkins {
	char day[11];
	struct checkin *rows;
	size_t n;
	struct ui_list list;
};

static int ck_page(void)
{
	return ui_body_end() - CK_TOP + 1;
}

static void checkins_load(struct ui *u, struct checkins *ck)
{
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	ck->n = 0;
	ck->list.n = ck->list.sel = ck->list.top = 0;
	smem_wipe(ck->rows, CHECKINS_MAX * sizeof *ck->rows);
	err_clear(&e);
	rc = access_begin(u->s, ACT_CHECKIN_LIST, NULL, "day", ck->day, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, patient_checkins(g, ck->day, ck->rows, CHECKINS_MAX, &ck->n, &e), &e);
	if (rc != FOLIO_OK) {
		ck->n = 0;
		ui_msg(u, 1, "Cannot list the check-ins: %s", e.msg);
	}
	ck->list.n = (int)ck->n;
}

static void checkins_draw(struct ui *u, void *ctx)
{
	struct checkins *ck = ctx;
	char line[160], name[120];
	int page = ck_page();

	ui_list_fit(&ck->list, page);
	ui_frame(u, "Check-ins", NULL);
	snprintf(line, sizeof line, "Check-ins of %s: %zu", ck->day, ck->n);
	ui_put(2, 2, COLS - 4, line, ui_attr(u, UI_A_TITLE));
	ui_put(CK_TOP - 1, 1, 4, "  #", ui_attr(u, UI_A_TITLE));
	ui_put(CK_TOP - 1, 6, 5, "Time", ui_attr(u, UI_A_TITLE));
	ui_put(CK_TOP - 1, 12, 8, "MRN", ui_attr(u, UI_A_TITLE));
	ui_put(CK_TOP - 1, 21, 24, "Name", ui_attr(u, UI_A_TITLE));
	ui_put(CK_TOP - 1, 46, 14, "Clinic", ui_attr(u, UI_A_TITLE));
	ui_put(CK_TOP - 1, 61, 18, "Reason for visit", ui_attr(u, UI_A_TITLE));
	for (int i = ck->list.top; i < (int)ck->n && i < ck->list.top + page; i++) {
		const struct checkin *c = &ck->rows[i];
		int row = CK_TOP + i - ck->list.top;
		int a = i == ck->list.sel ? ui_attr(u, UI_A_SELECT) : (int)A_NORMAL;

		if (a != (int)A_NORMAL) {
			attron((attr_t)a);
			mvhline(row, 0, ' ', COLS);
			attroff((attr_t)a);
		}
		snprintf(line, sizeof line, "%3d", i + 1);
		ui_put(row, 1, 4, line, a);
		/* "2026-11-24T09:12:33Z" -> "09:12" */
		snprintf(line, sizeof line, "%.5s", strlen(c->at) >= 16 ? c->at + 11 : c->at);
		ui_put(row, 6, 5, line, a);
		ui_put(row, 12, 8, c->mrn, a);
		ui_patient_name(c->last, c->first, "", name, sizeof name);
		ui_put(row, 21, 24, name, a);
		ui_put(row, 46, 14, c->clinic, a);
		ui_put(row, 61, COLS - 62, c->reason, a);
	}
	if (ck->n == 0)
		ui_put(CK_TOP, 2, COLS - 4, "No one checked in that day.", A_NORMAL);
	ui_put(ui_action_row(), 1, COLS - 2, "Enter Open patient  D Day  F5 Reload  +/- page  ? Help",
	       A_NORMAL);
	smem_wipe(name, sizeof name);
	smem_wipe(line, sizeof line);
}

/* Asks for the day: UI_OK with ck->day set. */
static int ask_day(struct ui *u, struct checkins *ck, const char *def)
{
	char ans[40], day[11];
	struct folio_err e;

	for (;;) {
		int r;

		memset(ans, 0, sizeof ans);
		r = ui_ask(u, "Check-ins of the day", date_help, def, ans, sizeof ans);
		if (r != UI_OK)
			return r;
		err_clear(&e);
		if (date_parse(ans, date_today(), day, &e) == FOLIO_OK) {
			memcpy(ck->day, day, sizeof ck->day);
			return UI_OK;
		}
		ui_msg(u, 1, "%s", e.msg[0] ? e.msg : "Not a date: T, T-1, 3/14/2026 ...");
	}
}

void ui_checkins_run(struct ui *u)
{
	struct checkins ck;
	struct ui_view v;

	memset(&ck, 0, sizeof ck);
	if (!(ck.rows = checkins_new(CHECKINS_MAX))) {
		ui_msg(u, 1, "Out of secure memory.");
		return;
	}
	ui_view_push(u, &v, checkins_draw, &ck, 1);
	if (ask_day(u, &ck, "T") != UI_OK)
		goto out;
	checkins_load(u, &ck);
	ui_redraw(u);
	for (;;) {
		int k = ui_getkey(u), reload = 0;

		if (ui_key_is_back(k) || k == '^')
			break;
		if (k == 'q' || k == 'Q') {
			ui_end(u, UI_END_QUIT);
		} else if (ui_key_is_help(k)) {
			ui_popup(u, "Check-ins", checkins_help);
		} else if (k == 'd' || k == 'D') {
			reload = ask_day(u, &ck, ck.day) == UI_OK;
		} else if (k == UI_FKEY(KEY_F(5))) {
			reload = 1;
		} else if (ui_key_is_enter(k) && ck.n > 0) {
			char mrn[MRN_MAX];

			str_copy(mrn, sizeof mrn, ck.rows[ck.list.sel].mrn);
			ui_patient_open(u, mrn, NULL, 0);
		} else {
			ui_list_key(&ck.list, k, ck_page());
		}
		if (reload && !u->ending)
			checkins_load(u, &ck);
		ui_redraw(u);
	}
out:
	ui_view_pop(u, &v);
	checkins_free(ck.rows, CHECKINS_MAX);
	ui_redraw(u);
}
