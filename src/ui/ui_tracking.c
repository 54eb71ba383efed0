/* folio — the paper chart: a patient's folders with where each one is, the
 * open requests and the movement history, with charge out, check in,
 * request, missing and found (ui_tracking_run, T on the chart screen); and
 * the file room's lists, the pull list (open requests by date needed) and
 * the overdue list (ui_tracking_lists_run, a main-menu item).
 *
 * The patient's name and the history's reasons are PHI: the patient screen
 * keeps them in one guarded block, wiped when it closes.  The file-room
 * lists hold MRNs, user names, dates and places only. */
#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folio/date.h"
#include "folio/patient.h"
#include "folio/smem.h"
#include "folio/tracking.h"
#include "ui_internal.h"

#define TRK_VOL_MAX 24
#define TRK_REQ_MAX 24
#define TRK_HIST_MAX 400
#define TRK_LIST_MAX 2000
#define TRK_TOP 5
#define LISTS_TOP 4

static const char tracking_help[] =
	"The patient's paper chart: each volume (folder) with where it is,\n"
	"the open requests for it, and every movement, newest first.\n"
	"Up/Down pick a volume; the actions work on the highlighted one.\n"
	"  O  charge it out (to a user, clinic or department; due-back date)\n"
	"  I  check it back in to its home\n"
	"  R  request the chart (for a date, with an optional reason)\n"
	"  C  cancel an open request\n"
	"  M  mark it missing (a reason is required)\n"
	"  F  found: clear the missing flag (supervisors only)\n"
	"  N  a new volume (its home location)\n"
	"  H  the whole movement history\n"
	"  F5 read it again\n"
	"Actions in parentheses are not open to your role.\n"
	"Esc or ^ goes back; q signs out and leaves folio.";

static const char lists_help[] =
	"The file room's lists.\n"
	"Pull list: the open requests for paper charts, earliest needed first,\n"
	"with where each chart is now.  Overdue: volumes out past their due date.\n"
	"Up/Down move; a number picks a row.\n"
	"  Enter  the highlighted patient's paper chart\n"
	"  O      pull list: charge the chart out to the requester\n"
	"  I      overdue list: check the volume back in\n"
	"  L      switch between the pull list and the overdue list\n"
	"  D      pull list: needed on or before a date (T, T+1 ...; Enter: all)\n"
	"  P      another patient's paper chart (the patient prompt)\n"
	"  F5     read the list again\n"
	"Esc or ^ goes back to the menu; q signs out and leaves folio.";

/* ---- a patient's paper chart ------------------------------------------ */

struct trk {
	char mrn[MRN_MAX];
	char name[200];
	char where[256];
	struct track_volume vol[TRK_VOL_MAX];
	size_t n_vol;
	struct track_request req[TRK_REQ_MAX];
	size_t n_req;
	struct track_move hist[TRK_HIST_MAX];
	size_t n_hist;
	struct ui_list list;
};

static int keep_vol(const struct track_volume *v, void *ctx)
{
	struct trk *t = ctx;

	if (t->n_vol < TRK_VOL_MAX)
		t->vol[t->n_vol++] = *v;
	return 0;
}

static int keep_req(const struct track_request *r, void *ctx)
{
	struct trk *t = ctx;

	if (t->n_req < TRK_REQ_MAX)
		t->req[t->n_req++] = *r;
	return 0;
}

static int keep_move(const struct track_move *m, void *ctx)
{
	struct trk *t = ctx;

	if (t->n_hist < TRK_HIST_MAX)
		t->hist[t->n_hist++] = *m;
	return t->n_hist >= TRK_HIST_MAX;
}

/* Reads the name (once) and the tracking; -1 with a message when the
 * chart cannot be read. */
static int trk_load(struct ui *u, struct trk *t)
{
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	if (!t->name[0]) {
		struct ui_heading h;

		if (ui_chart_heading(u, t->mrn, &h, &e) != FOLIO_OK) {
			ui_msg(u, 1, "Cannot open the record: %s", e.msg);
			return -1;
		}
		memcpy(t->name, h.name, sizeof t->name);
	}
	smem_wipe(t->hist, sizeof t->hist);
	t->n_vol = t->n_req = t->n_hist = 0;
	err_clear(&e);
	rc = access_begin(u->s, ACT_CHART_VIEW, t->mrn, "chart-volume", t->mrn, &g, &e);
	if (rc == FOLIO_OK) {
		rc = tracking_where(g, t->mrn, t->where, sizeof t->where, &e);
		if (rc == FOLIO_OK)
			rc = tracking_volumes(g, keep_vol, t, &e);
		if (rc == FOLIO_OK)
			rc = tracking_requests(g, keep_req, t, &e);
		if (rc == FOLIO_OK)
			rc = tracking_history(g, keep_move, t, &e);
		rc = ui_grant_end(g, rc, &e);
	}
	if (rc != FOLIO_OK) {
		ui_msg(u, 1, "Cannot read the paper chart: %s", e.msg);
		return -1;
	}
	t->list.n = (int)t->n_vol;
	if (t->list.sel >= t->list.n)
		t->list.sel = t->list.n ? t->list.n - 1 : 0;
	return 0;
}

static const char *state_label(const struct track_volume *v)
{
	if (v->state == TRACK_OUT)
		return v->overdue ? "OVERDUE" : "out";
	return v->state == TRACK_MISSING ? "MISSING" : "in";
}

/* One movement on a row from column 2: when, volume, kind, what, by. */
static void move_draw(const struct track_move *m, int row, int attr)
{
	char when[17] = "", vol[8] = "", what[160];

	datetime_local(m->at, when);
	if (m->volume)
		snprintf(vol, sizeof vol, "v%d", m->volume);
	if (!strcmp(m->kind, "out"))
		snprintf(what, sizeof what, "%s -> %s, due %s", m->from, m->to, m->due);
	else if (!strcmp(m->kind, "request"))
		snprintf(what, sizeof what, "#%" PRId64 " by %s for %s", m->request, m->to, m->due);
	else if (!strcmp(m->kind, "cancel"))
		snprintf(what, sizeof what, "request #%" PRId64 " (%s)", m->request, m->from);
	else if (!strcmp(m->kind, "missing"))
		snprintf(what, sizeof what, "last at %s", m->from);
	else if (!strcmp(m->kind, "created"))
		snprintf(what, sizeof what, "home %s", m->to);
	else
		snprintf(what, sizeof what, "%s%s%s", m->from, m->from[0] && m->to[0] ? " -> " : "", m->to);
	if (attr) {
		attron((attr_t)attr);
		mvhline(row, 0, ' ', COLS);
		attroff((attr_t)attr);
	}
	ui_put(row, 2, 16, when, attr);
	ui_put(row, 19, 3, vol, attr);
	ui_put(row, 23, 8, m->kind, attr);
	ui_put(row, 32, 38, what, attr);
	ui_put(row, 71, COLS - 71, m->by, attr);
}

/* The actions, those the role may not use in parentheses ("? help" is on
 * the status line: the bar fits 80 columns for every role). */
static void action_bar(struct ui *u)
{
	char bar[160];
	int tr = access_may(u->s, ACT_CHART_TRACK), rq = access_may(u->s, ACT_CHART_REQUEST);

	snprintf(bar, sizeof bar, "%s  %s  %s  %s  %s  %s  %s  H Hist", tr ? "O Out" : "(O Out)",
		 tr ? "I In" : "(I In)", rq ? "R Req" : "(R Req)", rq || tr ? "C Cancel" : "(C Cancel)",
		 tr ? "M Missing" : "(M Missing)", access_may(u->s, ACT_CHART_FOUND) ? "F Found" : "(F Found)",
		 tr ? "N Vol" : "(N Vol)");
	ui_put(ui_action_row(), 1, COLS - 2, bar, A_NORMAL);
}

static void trk_draw(struct ui *u, void *ctx)
{
	struct trk *t = ctx;
	int ta = ui_attr(u, UI_A_TITLE), ha = ui_attr(u, UI_A_HEADER), end = ui_body_end();
	char line[320];
	int row = TRK_TOP;

	ui_frame(u, "Paper chart", "? help  Esc back");
	snprintf(line, sizeof line, "%s   MRN %s", t->name, t->mrn);
	ui_put(2, 0, COLS, line, ta);
	snprintf(line, sizeof line, "Where: %s", t->where[0] ? t->where : "no paper chart yet (O makes volume 1)");
	ui_put(3, 0, COLS, line, t->where[0] && strstr(t->where, "MISSING") ? ui_attr(u, UI_A_ERROR) : 0);
	ui_put(4, 0, COLS, "   #  Vol  Home             State    Borrower             Since      Due", ha);
	ui_list_fit(&t->list, 4);
	for (int i = t->list.top; i < t->list.n && i < t->list.top + 4 && row <= end; i++, row++) {
		const struct track_volume *v = &t->vol[i];
		int a = i == t->list.sel ? ui_attr(u, UI_A_SELECT) : 0;

		if (a) {
			attron((attr_t)a);
			mvhline(row, 0, ' ', COLS);
			attroff((attr_t)a);
		}
		snprintf(line, sizeof line, "%4d  %3d", i + 1, v->number);
		ui_put(row, 0, 9, line, a);
		ui_put(row, 11, 16, v->home, a);
		ui_put(row, 28, 8, state_label(v), v->state == TRACK_IN ? a : (a ? a : ui_attr(u, UI_A_ERROR)));
		ui_put(row, 37, 20, v->state == TRACK_OUT ? v->borrower : "", a);
		snprintf(line, sizeof line, "%.10s", v->state == TRACK_OUT ? v->out_since : v->missing_since);
		ui_put(row, 58, 10, line, a);
		ui_put(row, 69, COLS - 69, v->due, a);
	}
	if (!t->n_vol)
		ui_put(row++, 2, COLS - 2, "No volumes.", ui_attr(u, UI_A_DIM));
	row++;
	snprintf(line, sizeof line, "Open requests (%zu)", t->n_req);
	if (row <= end)
		ui_put(row++, 0, COLS, line, ha);
	for (size_t i = 0; i < t->n_req && i < 3 && row <= end; i++) {
		char when[17] = "";
		datetime_local(t->req[i].at, when);
		snprintf(line, sizeof line, "#%-5" PRId64 " needed %s by %-12s requested %s", t->req[i].id,
			 t->req[i].needed, t->req[i].requester, when);
		ui_put(row++, 2, COLS - 2, line, 0);
	}
	row++;
	if (row <= end)
		ui_put(row++, 0, COLS, "Movements, newest first (H: all)", ha);
	for (size_t i = 0; i < t->n_hist && row <= end; i++)
		move_draw(&t->hist[i], row++, 0);
	action_bar(u);
	smem_wipe(line, sizeof line);
}

/* The highlighted volume's number, 0 when there is none. */
static int trk_volume(const struct trk *t)
{
	return t->n_vol ? t->vol[t->list.sel].number : 0;
}

/* Asks a required reason (PHI: buf is guarded); -1 when backed out. */
static int ask_reason(struct ui *u, const char *label, const char *help, char *buf, size_t cap)
{
	for (;;) {
		buf[0] = '\0';
		if (ui_ask(u, label, help, NULL, buf, cap) != UI_OK)
			return -1;
		if (buf[0])
			return 0;
		ui_msg(u, 1, "A reason is required.");
	}
}

/* A date as typed (T, T+3, 2026-12-01 ...) into out; "" accepted when
 * empty_ok.  -1 when the user backed out. */
static int ask_date(struct ui *u, const char *label, const char *help, const char *def, int empty_ok,
		    char out[11])
{
	char buf[40];
	struct folio_err e;

	for (;;) {
		memset(buf, 0, sizeof buf);
		if (ui_ask(u, label, help, def, buf, sizeof buf) != UI_OK)
			return -1;
		if (!buf[0] && empty_ok) {
			out[0] = '\0';
			return 0;
		}
		err_clear(&e);
		if (date_parse(buf, date_today(), out, &e) == FOLIO_OK)
			return 0;
		ui_msg(u, 1, "%s", e.msg);
	}
}

/* Runs one tracking call under a grant for a on the patient; says how it
 * went.  Returns the status. */
enum trk_op { OP_OUT, OP_IN, OP_REQUEST, OP_CANCEL, OP_MISSING, OP_FOUND, OP_VOLUME };

struct trk_args {
	enum trk_op op;
	int volume;
	const char *text;  /* borrower, reason, home */
	const char *date;  /* due, needed */
	int64_t id;        /* request to cancel; the request made */
	int number;        /* the volume made */
};

static int trk_call(struct ui *u, const char *mrn, enum action a, struct trk_args *x, const char *done)
{
	struct track_out o = { .volume = x->volume, .to = x->text, .due = x->date };
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	err_clear(&e);
	rc = access_begin(u->s, a, mrn, "chart-volume", mrn, &g, &e);
	if (rc == FOLIO_OK) {
		switch (x->op) {
		case OP_OUT: rc = tracking_out(g, &o, &e); break;
		case OP_IN: rc = tracking_in(g, x->volume, NULL, &e); break;
		case OP_REQUEST: rc = tracking_request(g, x->date, x->text, &x->id, &e); break;
		case OP_CANCEL: rc = tracking_request_cancel(g, x->id, &e); break;
		case OP_MISSING: rc = tracking_missing(g, x->volume, x->text, &e); break;
		case OP_FOUND: rc = tracking_found(g, x->volume, &e); break;
		case OP_VOLUME: rc = tracking_volume_add(g, x->text, &x->number, &e); break;
		}
		rc = ui_grant_end(g, rc, &e);
	}
	if (rc == FOLIO_OK)
		ui_msg(u, 0, "%s", done);
	else
		ui_msg(u, 1, "Not done: %s", e.msg);
	return rc;
}

/* O: charge out; the borrower defaults to the first requester. */
static int trk_out(struct ui *u, const char *mrn, int volume, const char *def_to)
{
	static const char to_help[] = "Who takes the chart: a user name (a request by that user is then\n"
				      "fulfilled), a clinic or a department, e.g. Cardiology clinic.";
	static const char due_help[] = "When it is due back: T+3, T+1W, 2026-12-01 ...\n"
				       "Enter with nothing: the site's default period.";
	struct trk_args x = { .op = OP_OUT, .volume = volume };
	char to[TRACK_NAME_MAX] = "", due[11], done[160];

	if (!ui_may(u, ACT_CHART_TRACK))
		return -1;
	if (ui_ask(u, "Charge out to", to_help, def_to && *def_to ? def_to : NULL, to, sizeof to) != UI_OK)
		return -1;
	if (!to[0]) {
		ui_msg(u, 1, "Not charged out: name who takes it.");
		return -1;
	}
	if (ask_date(u, "Due back", due_help, NULL, 1, due) != 0)
		return -1;
	x.text = to;
	x.date = due;
	snprintf(done, sizeof done, "Charged out to %s.", to);
	return trk_call(u, mrn, ACT_CHART_TRACK, &x, done);
}

static void trk_request(struct ui *u, struct trk *t)
{
	static const char day_help[] = "The day the chart is needed: T today, T+1 tomorrow, 2026-12-01 ...";
	static const char why_help[] = "Why (optional), e.g. clinic visit, coding review; kept encrypted.";
	struct trk_args x = { .op = OP_REQUEST };
	char day[11], *why = smem_alloc(TRACK_REASON_MAX), done[96];

	if (!why) {
		ui_msg(u, 1, "Out of secure memory.");
		return;
	}
	if (ui_may(u, ACT_CHART_REQUEST) && ask_date(u, "Needed on", day_help, "T", 0, day) == 0 &&
	    ui_ask(u, "Reason", why_help, NULL, why, TRACK_REASON_MAX) == UI_OK) {
		x.date = day;
		x.text = why;
		snprintf(done, sizeof done, "Requested for %s.", day);
		if (trk_call(u, t->mrn, ACT_CHART_REQUEST, &x, done) == FOLIO_OK)
			ui_msg(u, 0, "Requested for %s (request %" PRId64 ").", day, x.id);
	}
	smem_free(why);
}

static void trk_cancel(struct ui *u, struct trk *t)
{
	struct trk_args x = { .op = OP_CANCEL };
	char def[24], buf[24] = "";
	int64_t id = 0;

	if (!t->n_req) {
		ui_msg(u, 1, "No open request to cancel.");
		return;
	}
	snprintf(def, sizeof def, "%" PRId64, t->req[0].id);
	if (ui_ask(u, "Cancel request number", "The number after # in the open requests.", def, buf, sizeof buf) !=
	    UI_OK)
		return;
	if (sscanf(buf[0] ? buf : def, "%" SCNd64, &id) != 1 || id <= 0) {
		ui_msg(u, 1, "Not a request number.");
		return;
	}
	x.id = id;
	/* The file room cancels anyone's; a physician their own. */
	(void)trk_call(u, t->mrn, access_may(u->s, ACT_CHART_TRACK) ? ACT_CHART_TRACK : ACT_CHART_REQUEST, &x,
		       "Request cancelled.");
}

static void trk_missing(struct ui *u, struct trk *t)
{
	static const char help[] = "Why it is missing, e.g. not on the shelf, not returned by the clinic;\n"
				   "kept encrypted.  Only a supervisor clears the flag.";
	struct trk_args x = { .op = OP_MISSING, .volume = trk_volume(t) };
	char *why;

	if (!ui_may(u, ACT_CHART_TRACK))
		return;
	if (!(why = smem_alloc(TRACK_REASON_MAX))) {
		ui_msg(u, 1, "Out of secure memory.");
		return;
	}
	if (ask_reason(u, "Why is it missing", help, why, TRACK_REASON_MAX) == 0) {
		x.text = why;
		(void)trk_call(u, t->mrn, ACT_CHART_TRACK, &x, "Marked MISSING.");
	}
	smem_free(why);
}

/* F: tried even when the policy will refuse, so the gate audits the try. */
static void trk_found(struct ui *u, struct trk *t)
{
	struct trk_args x = { .op = OP_FOUND, .volume = trk_volume(t) };

	if (!ui_confirm(u, "Clear the missing flag (the chart is back home)?", 0))
		return;
	(void)trk_call(u, t->mrn, ACT_CHART_FOUND, &x, "Found: back at its home.");
}

static void trk_new_volume(struct ui *u, struct trk *t)
{
	struct trk_args x = { .op = OP_VOLUME };
	char home[TRACK_NAME_MAX] = "";

	if (!ui_may(u, ACT_CHART_TRACK) ||
	    ui_ask(u, "Home location", "Where the new folder is filed, e.g. File room A.", "File room", home,
		   sizeof home) != UI_OK)
		return;
	x.text = home[0] ? home : "File room";
	if (trk_call(u, t->mrn, ACT_CHART_TRACK, &x, "Volume added.") == FOLIO_OK)
		ui_msg(u, 0, "Volume %d added at %s.", x.number, x.text);
}

/* ---- the whole history ---------------------------------------------------- */

struct hist_view {
	struct trk *t;
	struct ui_list list;
};

static void hist_draw(struct ui *u, void *ctx)
{
	struct hist_view *h = ctx;
	int page = ui_body_end() - 4 + 1;
	char line[320];

	ui_list_fit(&h->list, page);
	ui_frame(u, "Paper chart: movements", "Enter details  ? help  Esc back");
	snprintf(line, sizeof line, "%s   MRN %s   %zu movement%s", h->t->name, h->t->mrn, h->t->n_hist,
		 h->t->n_hist == 1 ? "" : "s");
	ui_put(2, 0, COLS, line, ui_attr(u, UI_A_TITLE));
	ui_put(3, 0, COLS, "  When             Vol Kind     What                                   By",
	       ui_attr(u, UI_A_HEADER));
	for (int i = h->list.top; i < h->list.n && i < h->list.top + page; i++)
		move_draw(&h->t->hist[i], 4 + i - h->list.top, i == h->list.sel ? ui_attr(u, UI_A_SELECT) : 0);
	if (!h->list.n)
		ui_put(4, 2, COLS - 2, "No movements.", ui_attr(u, UI_A_DIM));
	ui_put(ui_action_row(), 1, COLS - 2, "Enter Details  +/- page  ? Help  Esc Back", A_NORMAL);
	smem_wipe(line, sizeof line);
}

static void hist_detail(struct ui *u, const struct track_move *m)
{
	char *text = smem_alloc(1024), when[17] = "", rec[17] = "";

	if (!text)
		return;
	datetime_local(m->at, when);
	datetime_local(m->recorded, rec);
	snprintf(text, 1024,
		 "What:      %s\nVolume:    %d\nWhen:      %s (entered %s)\nBy:        %s\nFrom:      %s\n"
		 "To:        %s\nDue:       %s\nRequest:   %" PRId64 "\n\nReason:\n%s",
		 m->kind, m->volume, when, rec, m->by, m->from, m->to, m->due, m->request,
		 m->reason[0] ? m->reason : "(none)");
	ui_popup(u, "Movement", text);
	smem_free(text);
}

static void trk_history(struct ui *u, struct trk *t)
{
	struct hist_view h = { .t = t };
	struct ui_view v;

	h.list.n = (int)t->n_hist;
	ui_view_push(u, &v, hist_draw, &h, 1);
	ui_redraw(u);
	for (;;) {
		int k = ui_getkey(u);

		if (ui_key_is_back(k) || k == '^')
			break;
		if (k == 'q' || k == 'Q')
			ui_end(u, UI_END_QUIT);
		else if (ui_key_is_help(k))
			ui_popup(u, "Movements", "Every movement of the paper chart, newest first.\n"
						 "Enter shows one in full, with its reason.\n"
						 "Esc or ^ goes back.");
		else if (ui_key_is_enter(k) && h.list.n)
			hist_detail(u, &t->hist[h.list.sel]);
		else
			ui_list_key(&h.list, k, ui_body_end() - 3);
		ui_redraw(u);
	}
	ui_view_pop(u, &v);
}

void ui_tracking_run(struct ui *u, const char *mrn)
{
	struct trk *t = smem_alloc(sizeof *t);
	struct ui_view v;

	if (!t) {
		ui_msg(u, 1, "Out of secure memory.");
		return;
	}
	str_copy(t->mrn, sizeof t->mrn, mrn);
	if (trk_load(u, t) != 0) {
		smem_free(t);
		return;
	}
	session_set_patient(u->s, t->mrn);
	ui_view_push(u, &v, trk_draw, t, 1);
	ui_redraw(u);
	for (;;) {
		int k = ui_getkey(u), reload = 1;

		if (ui_key_is_back(k) || k == '^')
			break;
		switch (k) {
		case 'o': case 'O':
			(void)trk_out(u, t->mrn, trk_volume(t), t->n_req ? t->req[0].requester : NULL);
			break;
		case 'i': case 'I':
			if (ui_may(u, ACT_CHART_TRACK))
				(void)trk_call(u, t->mrn, ACT_CHART_TRACK,
					       &(struct trk_args){ .op = OP_IN, .volume = trk_volume(t) }, "Checked in.");
			break;
		case 'r': case 'R': trk_request(u, t); break;
		case 'c': case 'C': trk_cancel(u, t); break;
		case 'm': case 'M': trk_missing(u, t); break;
		case 'f': case 'F': trk_found(u, t); break;
		case 'n': case 'N': trk_new_volume(u, t); break;
		case 'h': case 'H': trk_history(u, t); reload = 0; break;
		case 'q': case 'Q': ui_end(u, UI_END_QUIT); reload = 0; break;
		case UI_FKEY(KEY_F(5)): break;
		default:
			reload = 0;
			if (ui_key_is_help(k))
				ui_popup(u, "Paper chart", tracking_help);
			else
				ui_list_key(&t->list, k, 4);
		}
		if (reload && !u->ending && trk_load(u, t) != 0)
			break;
		ui_redraw(u);
	}
	ui_view_pop(u, &v);
	session_set_patient(u->s, "");
	smem_free(t);
	ui_redraw(u);
}

/* ---- the file room's lists ---------------------------------------------- */

struct lists {
	int overdue;             /* showing the overdue list, else the pull list */
	char by[11];             /* pull list: needed on or before; "" = all */
	struct track_request *req;
	struct track_overdue *ovd;
	size_t n;
	int truncated;
	struct ui_list list;
};

static int lists_req(const struct track_request *r, void *ctx)
{
	struct lists *l = ctx;

	if (l->n >= TRK_LIST_MAX) {
		l->truncated = 1;
		return 1;
	}
	l->req[l->n++] = *r;
	return 0;
}

static int lists_ovd(const struct track_overdue *o, void *ctx)
{
	struct lists *l = ctx;

	if (l->n >= TRK_LIST_MAX) {
		l->truncated = 1;
		return 1;
	}
	l->ovd[l->n++] = *o;
	return 0;
}

static void lists_load(struct ui *u, struct lists *l)
{
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	l->n = 0;
	l->truncated = 0;
	err_clear(&e);
	rc = access_begin(u->s, ACT_CHART_TRACK, NULL, l->overdue ? "overdue" : "pull-list", l->by, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, l->overdue ? tracking_overdue(g, lists_ovd, l, &e) :
						  tracking_pull_list(g, l->by, lists_req, l, &e), &e);
	if (rc != FOLIO_OK)
		ui_msg(u, 1, "Cannot read the list: %s", e.msg);
	l->list.n = (int)l->n;
	if (l->list.sel >= l->list.n)
		l->list.sel = l->list.n ? l->list.n - 1 : 0;
}

static int lists_page(void)
{
	return ui_body_end() - LISTS_TOP + 1;
}

static void lists_draw(struct ui *u, void *ctx)
{
	struct lists *l = ctx;
	int page = lists_page(), ta = ui_attr(u, UI_A_TITLE);
	char line[200];

	ui_list_fit(&l->list, page);
	ui_frame(u, l->overdue ? "Overdue charts" : "Pull list", "? help  Esc back");
	if (l->overdue)
		snprintf(line, sizeof line, "Overdue: %zu volume%s out past the due date%s", l->n, l->n == 1 ? "" : "s",
			 l->truncated ? " (the first)" : "");
	else
		snprintf(line, sizeof line, "Pull list: %zu open request%s%s%s%s", l->n, l->n == 1 ? "" : "s",
			 l->by[0] ? " needed by " : "", l->by, l->truncated ? " (the first)" : "");
	ui_put(2, 2, COLS - 4, line, ta);
	if (l->overdue)
		ui_put(LISTS_TOP - 1, 0, COLS,
		       "   #  MRN       Vol  Borrower              Out since   Due         Days over", ta);
	else
		ui_put(LISTS_TOP - 1, 0, COLS, "   #  Needed      MRN       Requester    Req#   Where now", ta);
	for (int i = l->list.top; i < l->list.n && i < l->list.top + page; i++) {
		int row = LISTS_TOP + i - l->list.top;
		int a = i == l->list.sel ? ui_attr(u, UI_A_SELECT) : (int)A_NORMAL;

		if (a != (int)A_NORMAL) {
			attron((attr_t)a);
			mvhline(row, 0, ' ', COLS);
			attroff((attr_t)a);
		}
		snprintf(line, sizeof line, "%4d", i + 1);
		ui_put(row, 0, 4, line, a);
		if (l->overdue) {
			const struct track_overdue *o = &l->ovd[i];
			ui_put(row, 6, 8, o->mrn, a);
			snprintf(line, sizeof line, "%3d", o->volume);
			ui_put(row, 16, 3, line, a);
			ui_put(row, 21, 21, o->borrower, a);
			snprintf(line, sizeof line, "%.10s", o->out_since);
			ui_put(row, 43, 10, line, a);
			ui_put(row, 55, 10, o->due, a);
			snprintf(line, sizeof line, "%5d", o->days_over);
			ui_put(row, 67, 9, line, a);
		} else {
			const struct track_request *r = &l->req[i];
			ui_put(row, 6, 10, r->needed, a);
			ui_put(row, 18, 8, r->mrn, a);
			ui_put(row, 28, 12, r->requester, a);
			snprintf(line, sizeof line, "%-6" PRId64, r->id);
			ui_put(row, 41, 6, line, a);
			ui_put(row, 48, COLS - 48, r->where, a);
		}
	}
	if (!l->n)
		ui_put(LISTS_TOP, 2, COLS - 4, l->overdue ? "No chart is overdue." : "No open requests.", A_NORMAL);
	ui_put(ui_action_row(), 1, COLS - 2,
	       l->overdue ? "Enter Chart  I Check in  L Pull list  P Patient  F5  ? Help" :
			    "Enter Chart  O Out to requester  D Date  L Overdue  P Patient  ? Help",
	       A_NORMAL);
}

/* The gate (restricted record, near twin), then the patient's paper chart. */
static void lists_open(struct ui *u, const char *mrn)
{
	if (ui_patient_gate(u, mrn, NULL, 0) == UI_OK)
		ui_tracking_run(u, mrn);
}

static void lists_action(struct ui *u, struct lists *l)
{
	char mrn[MRN_MAX];

	if (!l->n)
		return;
	if (l->overdue) {
		const struct track_overdue *o = &l->ovd[l->list.sel];
		char q[96];

		str_copy(mrn, sizeof mrn, o->mrn);
		snprintf(q, sizeof q, "Check volume %d of MRN %s in from %s?", o->volume, o->mrn, o->borrower);
		if (ui_confirm(u, q, 1) && ui_patient_gate(u, mrn, NULL, 0) == UI_OK)
			(void)trk_call(u, mrn, ACT_CHART_TRACK, &(struct trk_args){ .op = OP_IN, .volume = o->volume },
				       "Checked in.");
	} else {
		const struct track_request *r = &l->req[l->list.sel];
		char to[40];

		str_copy(mrn, sizeof mrn, r->mrn);
		str_copy(to, sizeof to, r->requester);
		if (ui_patient_gate(u, mrn, NULL, 0) == UI_OK)
			(void)trk_out(u, mrn, 0, to);
	}
}

void ui_tracking_lists_run(struct ui *u)
{
	struct lists l;
	struct ui_view v;

	memset(&l, 0, sizeof l);
	l.req = calloc(TRK_LIST_MAX, sizeof *l.req);
	l.ovd = calloc(TRK_LIST_MAX, sizeof *l.ovd);
	if (!l.req || !l.ovd) {
		free(l.req);
		free(l.ovd);
		ui_msg(u, 1, "Out of memory.");
		return;
	}
	lists_load(u, &l);
	ui_view_push(u, &v, lists_draw, &l, 1);
	ui_redraw(u);
	for (;;) {
		int k = ui_getkey(u), reload = 1;
		char mrn[MRN_MAX];

		if (ui_key_is_back(k) || k == '^')
			break;
		if (k == 'q' || k == 'Q') {
			ui_end(u, UI_END_QUIT);
			reload = 0;
		} else if (ui_key_is_help(k)) {
			ui_popup(u, "Paper charts", lists_help);
			reload = 0;
		} else if (k == 'l' || k == 'L' || k == '\t') {
			l.overdue = !l.overdue;
			l.list.sel = l.list.top = 0;
		} else if ((k == 'd' || k == 'D') && !l.overdue) {
			char by[11];
			if (ask_date(u, "Needed on or before", "T, T+1, 2026-12-01 ...; Enter with nothing: every day.",
				     NULL, 1, by) == 0)
				memcpy(l.by, by, sizeof l.by);
		} else if (ui_key_is_enter(k) && l.n) {
			str_copy(mrn, sizeof mrn, l.overdue ? l.ovd[l.list.sel].mrn : l.req[l.list.sel].mrn);
			lists_open(u, mrn);
		} else if ((k == 'o' || k == 'O') && !l.overdue) {
			lists_action(u, &l);
		} else if ((k == 'i' || k == 'I') && l.overdue) {
			lists_action(u, &l);
		} else if (k == 'p' || k == 'P') {
			if (ui_patient_lookup(u, "Paper chart of", mrn, sizeof mrn) == UI_OK)
				lists_open(u, mrn);
		} else if (k != UI_FKEY(KEY_F(5))) {
			ui_list_key(&l.list, k, lists_page());
			reload = 0;
		}
		if (reload && !u->ending)
			lists_load(u, &l);
		ui_redraw(u);
	}
	ui_view_pop(u, &v);
	free(l.req);
	free(l.ovd);
	ui_redraw(u);
}
