/* folio — release of information in the interface: the department's
 * worklist of requests (a main-menu item), a patient's requests (O on the
 * chart screen), and the form that logs a new request.  The request screen
 * itself (selection, validation, release) is ui_roi_request.c.
 *
 * The requester's name and the request's free text are PHI: list rows and
 * the form's answers live in guarded memory, wiped when the screen closes.
 * Every read and change runs under an ACT_ROI_PROCESS grant: on the chart
 * for one patient's requests, with no chart for the worklist. */
#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "folio/date.h"
#include "folio/patient.h"
#include "folio/roi.h"
#include "folio/smem.h"
#include "ui_internal.h"

#define ROI_LIST_MAX 1000
#define ROI_LIST_TOP 4

static const char worklist_help[] =
	"Release of information: the requests for copies of records.\n"
	"The worklist shows open requests of every patient, the oldest due\n"
	"first; a request past its due date is marked ! and highlighted.\n"
	"Up/Down move; a number picks a row.\n"
	"  Enter  open the highlighted request (select, validate, release)\n"
	"  N      log a new request (the patient prompt, then the form)\n"
	"  A      show all requests, closed ones too (A again: open only)\n"
	"  F5     read the list again\n"
	"Esc or ^ goes back; q signs out and leaves folio.";

static const char chart_list_help[] =
	"The patient's requests for release of information, newest first,\n"
	"open and closed; one past its due date is marked ! and highlighted.\n"
	"Up/Down move; a number picks a row.\n"
	"  Enter  open the highlighted request (select, validate, release)\n"
	"  N      log a new request for this patient\n"
	"  F5     read the list again\n"
	"Esc or ^ goes back to the chart; q signs out and leaves folio.";

/* What a list row shows: the requester is PHI, so rows are guarded. */
struct roi_row {
	int64_t id;
	char mrn[16];
	char received[11], due[11];
	enum roi_status status;
	enum roi_authority authority;
	char requester[48];
	int overdue;
};

struct roilist {
	const char *mrn;          /* the patient's requests; NULL: the worklist */
	int all;                  /* worklist: closed requests too */
	struct roi_row *rows;     /* guarded, ROI_LIST_MAX */
	size_t n, overdue;
	int truncated;
	struct ui_list list;
};

static int keep_row(const struct roi_request *r, void *ctx)
{
	struct roilist *l = ctx;
	struct roi_row *w;

	if (l->n >= ROI_LIST_MAX) {
		l->truncated = 1;
		return 1;
	}
	w = &l->rows[l->n++];
	w->id = r->id;
	str_copy(w->mrn, sizeof w->mrn, r->mrn);
	str_copy(w->received, sizeof w->received, r->received);
	str_copy(w->due, sizeof w->due, r->due);
	w->status = r->status;
	w->authority = r->authority;
	snprintf(w->requester, sizeof w->requester, "%.47s", r->requester);
	w->overdue = r->overdue;
	l->overdue += r->overdue != 0;
	return 0;
}

static void list_load(struct ui *u, struct roilist *l)
{
	struct folio_err e;
	struct grant *g = NULL;

	smem_wipe(l->rows, ROI_LIST_MAX * sizeof *l->rows);
	l->n = l->overdue = 0;
	l->truncated = 0;
	err_clear(&e);
	if (access_begin(u->s, ACT_ROI_PROCESS, l->mrn, "roi", "list", &g, &e) != FOLIO_OK ||
	    ui_grant_end(g, l->mrn ? roi_list(g, keep_row, l, &e) : roi_worklist(g, l->all, keep_row, l, &e), &e) !=
		    FOLIO_OK)
		ui_msg(u, 1, "Cannot read the requests: %s", e.msg);
	l->list.n = (int)l->n;  /* the draw keeps sel inside */
}

#define LIST_PAGE (ui_body_end() - ROI_LIST_TOP + 1)

static void list_draw(struct ui *u, void *ctx)
{
	struct roilist *l = ctx;
	int page = LIST_PAGE, ta = ui_attr(u, UI_A_TITLE);
	char line[200];

	ui_list_fit(&l->list, page);
	ui_frame(u, l->mrn ? "Release of information: the patient's requests" : "Release of information",
		 "? help  Esc back");
	if (l->mrn)
		snprintf(line, sizeof line, "MRN %s: %zu request%s, %zu overdue (!)%s", l->mrn, l->n,
			 l->n == 1 ? "" : "s", l->overdue, l->truncated ? " (the first)" : "");
	else
		snprintf(line, sizeof line, "Worklist: %zu %srequest%s, oldest due first, %zu overdue (!)%s", l->n,
			 l->all ? "" : "open ", l->n == 1 ? "" : "s", l->overdue, l->truncated ? " (the first)" : "");
	ui_put(2, 2, COLS - 4, line, ta);
	ui_put(ROI_LIST_TOP - 1, 0, COLS,
	       "  # Req   MRN      Received   Due         Status     Authority     Requester", ta);
	for (int i = l->list.top; i < l->list.n && i < l->list.top + page; i++) {
		const struct roi_row *w = &l->rows[i];
		int row = ROI_LIST_TOP + i - l->list.top;
		int a = i == l->list.sel ? ui_attr(u, UI_A_SELECT) : w->overdue ? ui_attr(u, UI_A_ERROR) : (int)A_NORMAL;

		if (a != (int)A_NORMAL) {
			attron((attr_t)a);
			mvhline(row, 0, ' ', COLS);
			attroff((attr_t)a);
		}
		snprintf(line, sizeof line, "%3d %-5" PRId64 " %-8.8s %-10s %-10s%c %-10.10s %-13.13s", i + 1, w->id,
			 w->mrn, w->received, w->due, w->overdue ? '!' : ' ', roi_status_name(w->status),
			 roi_authority_name(w->authority));
		ui_put(row, 0, 67, line, a);
		ui_put(row, 67, COLS - 67, w->requester, a);
	}
	if (!l->n)
		ui_put(ROI_LIST_TOP, 2, COLS - 4,
		       l->mrn ? "No requests for this patient." : l->all ? "No requests." : "No open requests.",
		       ui_attr(u, UI_A_DIM));
	snprintf(line, sizeof line, "Enter Open  N New  %s%s  ? Help  Esc Back",
		 l->mrn ? "" : l->all ? "A Open only  " : "A All  ", "F5 Reload");
	ui_put(ui_action_row(), 1, COLS - 2, line, A_NORMAL);
	smem_wipe(line, sizeof line);
}

/* ---- the new-request form ----------------------------------------------- */

struct newreq {
	struct ui_form fm;
	struct roi_request *r;   /* guarded */
	char text[64];           /* a date or authority as typed */
	int again;               /* asked again after a refusal: answers kept */
};

static int form_ask(struct ui *u, struct newreq *n, const char *label, const char *help, const char *def,
		    char *buf, size_t cap)
{
	struct ui_field f = { .label = label, .help = help, .def = def, .buf = buf, .cap = cap };

	return ui_form_field(u, &n->fm, &f) == UI_OK ? 0 : -1;
}

/* The authority by number, name or the start of a name. */
static int authority_pick(const char *s)
{
	int found = -1;
	size_t len = strlen(s);
	char *end;
	long v = strtol(s, &end, 10);

	if (len && !*end)
		return v >= 1 && v <= RA_COUNT ? (int)v - 1 : -1;
	if ((found = roi_authority_parse(s)) >= 0 || !len)
		return found;
	for (int i = 0; i < RA_COUNT; i++)
		if (!strncasecmp(s, roi_authority_name((enum roi_authority)i), len)) {
			if (found >= 0)
				return -1;  /* ambiguous */
			found = i;
		}
	return found;
}

static int ask_authority(struct ui *u, struct newreq *n)
{
	char help[900];
	size_t k = (size_t)snprintf(help, sizeof help, "What the request rests on (a number or a name):\n");
	int a;

	for (int i = 0; i < RA_COUNT && k < sizeof help; i++)
		k += (size_t)snprintf(help + k, sizeof help - k, "  %d %-14s %s\n", i + 1,
				      roi_authority_name((enum roi_authority)i), roi_authority_help((enum roi_authority)i));
	for (;;) {
		memset(n->text, 0, sizeof n->text);
		if (form_ask(u, n, "Authority", help, n->again ? roi_authority_name(n->r->authority) : NULL, n->text,
			     sizeof n->text) != 0)
			return -1;
		if ((a = authority_pick(n->text)) >= 0) {
			n->r->authority = (enum roi_authority)a;
			snprintf(n->fm.line[n->fm.n - 1], sizeof n->fm.line[0], "Authority: %s (%s)",
				 roi_authority_name(n->r->authority), roi_authority_help(n->r->authority));
			return 0;
		}
		ui_form_drop(&n->fm, 1);
		ui_msg(u, 1, "'%s' is not an authority: ? lists the seven.", n->text);
	}
}

/* A required line of text: refused empty. */
static int ask_required(struct ui *u, struct newreq *n, const char *label, const char *help, char *buf, size_t cap)
{
	for (;;) {
		if (form_ask(u, n, label, help, NULL, buf, cap) != 0)
			return -1;
		if (buf[0])
			return 0;
		ui_form_drop(&n->fm, 1);
		ui_msg(u, 1, "%s is required.", label);
	}
}

/* A date into out ("" when empty and empty_ok; asked again, "@" empties
 * what was given). */
static int ask_form_date(struct ui *u, struct newreq *n, const char *label, const char *help, const char *def,
			 int empty_ok, char out[11])
{
	struct folio_err e;
	char was[11];

	str_copy(was, sizeof was, out);
	for (;;) {
		memset(n->text, 0, sizeof n->text);
		if (form_ask(u, n, label, help, n->again && was[0] ? was : def, n->text, sizeof n->text) != 0)
			return -1;
		out[0] = '\0';
		if (empty_ok && (!n->text[0] || !strcmp(n->text, "@")))
			return 0;
		err_clear(&e);
		if (n->text[0] && date_parse(n->text, date_today(), out, &e) == FOLIO_OK) {
			snprintf(n->fm.line[n->fm.n - 1], sizeof n->fm.line[0], "%s: %s", label, out);
			return 0;
		}
		ui_form_drop(&n->fm, 1);
		ui_msg(u, 1, "%s: %s", label, n->text[0] ? e.msg : "a date is required");
	}
}

static void asks_help(char *help, size_t cap)
{
	size_t k = (size_t)snprintf(help, cap,
				    "What is asked for, comma separated: all (the default), documents\n"
				    "(every document type), or document types and chart sections.\nTypes:");
	for (int i = 0; i < DOC_TYPE_COUNT && k < cap; i++)
		k += (size_t)snprintf(help + k, cap - k, " %s", doc_type_code((enum doc_type)i));
	k += (size_t)snprintf(help + k, k < cap ? cap - k : 0, "\nSections:");
	for (int i = 0; i < RSEC_COUNT && k < cap; i++)
		k += (size_t)snprintf(help + k, cap - k, " %s", roi_section_name((enum roi_section)i));
	if (k < cap)
		snprintf(help + k, cap - k, "\npsychotherapy and substance must also be named (the last question).");
}

/* Every question in order; 0 when all were answered. */
static int newreq_ask(struct ui *u, struct newreq *n)
{
	static const char date_help[] = "T today, T-3, T-1W or YYYY-MM-DD.  Both ends or neither.\n"
					"@ empties an answer given before.";
	struct roi_request *r = n->r;
	char help[900];

	asks_help(help, sizeof help);
	if (ask_authority(u, n) ||
	    ask_required(u, n, "Requester", "Who asks: a person's name (kept encrypted).", r->requester,
			 ROI_NAME_MAX + 1) ||
	    form_ask(u, n, "Organisation", "The requester's firm, agency or clinic (optional).", NULL, r->organisation,
		     ROI_NAME_MAX + 1) ||
	    form_ask(u, n, "Address", "Where the packet goes (optional; kept encrypted).", NULL, r->address,
		     sizeof r->address) ||
	    ask_required(u, n, "Purpose", "Why the records are asked for, e.g. litigation, continuing care.",
			 r->purpose, sizeof r->purpose) ||
	    ask_form_date(u, n, "Received", "The day the request came in; the due date counts from it.\n" "T today.",
			  "T", 0, r->received) ||
	    ask_form_date(u, n, "Authorization signed", "The day the authorization was signed.\n"
			  "Enter with nothing: not signed (it cannot be released until it is).", NULL, 1, r->auth_signed) ||
	    ask_form_date(u, n, "Authorization expires", "When the authorization ends (an authorization needs one).\n"
			  "Enter with nothing: no expiry given.", NULL, 1, r->auth_expires) ||
	    form_ask(u, n, "Asks for", help, "all", r->asks, sizeof r->asks) ||
	    ask_form_date(u, n, "Dates of service from", date_help, NULL, 1, r->asks_from) ||
	    ask_form_date(u, n, "Dates of service to", date_help, NULL, 1, r->asks_to) ||
	    form_ask(u, n, "Restricted categories named",
		     "Only when the authorization names them: psychotherapy, substance,\n"
		     "or both comma separated.  Enter with nothing: none.", NULL, r->names, sizeof r->names))
		return -1;
	return 0;
}

/* Logs it; *id gets the number.  The message says so (or why not). */
static int newreq_save(struct ui *u, const char *mrn, struct roi_request *r, int64_t *id)
{
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	err_clear(&e);
	rc = access_begin(u->s, ACT_ROI_PROCESS, mrn, "roi", "new", &g, &e);
	if (rc == FOLIO_OK) {
		rc = roi_new(g, r, id, &e);
		if (rc == FOLIO_OK)
			rc = roi_load(g, *id, r, &e);
		rc = ui_grant_end(g, rc, &e);
	}
	if (rc != FOLIO_OK) {
		ui_msg(u, 1, "Not logged: %s", e.msg);
		return -1;
	}
	ui_msg(u, 0, "Request %" PRId64 " logged, due %s", *id, r->due);
	return 0;
}

/* The form, then the new request's screen.  mrn is through the gate. */
static void newreq_run(struct ui *u, const char *mrn)
{
	struct newreq *n = smem_alloc(sizeof *n);
	char intro[120];
	int64_t id = 0;
	int ok;

	if (!n || !(n->r = roi_request_new())) {
		smem_free(n);
		ui_msg(u, 1, "Out of secure memory.");
		return;
	}
	snprintf(intro, sizeof intro, "MRN %s.  ? on an empty answer explains it; Esc cancels.", mrn);
	ui_form_open(u, &n->fm, "Release of information: new request", intro);
	ui_redraw(u);
	/* A refusal (its reason on the message line) asks again, the
	 * answers kept: Enter takes each, the one refused is changed. */
	while ((ok = newreq_ask(u, n) == 0) && newreq_save(u, mrn, n->r, &id) != 0) {
		n->again = 1;
		ui_form_close(u, &n->fm);
		ui_form_open(u, &n->fm, "Release of information: new request",
			     "Change what was refused; Enter keeps an answer, @ empties a date; Esc cancels.");
		ui_redraw(u);
	}
	ui_form_close(u, &n->fm);
	if (ok)
		ui_roi_request_run(u, mrn, id);
	else if (!u->ending)
		ui_msg(u, 0, "Not logged.");
	roi_request_free(n->r);
	smem_free(n);
}

/* ---- the list screens --------------------------------------------------- */

/* The worklist goes through the gate for each chart; a patient's list
 * comes from a chart already through it. */
static void list_open(struct ui *u, struct roilist *l)
{
	char mrn[MRN_MAX];
	int64_t id;

	if (!l->n)
		return;
	str_copy(mrn, sizeof mrn, l->rows[l->list.sel].mrn);
	id = l->rows[l->list.sel].id;
	if (l->mrn || ui_patient_gate(u, mrn, NULL, 0) == UI_OK)
		ui_roi_request_run(u, mrn, id);
}

static void list_new(struct ui *u, struct roilist *l)
{
	char mrn[MRN_MAX];

	if (!ui_may(u, ACT_ROI_PROCESS))
		return;
	if (l->mrn) {
		newreq_run(u, l->mrn);
		return;
	}
	if (ui_patient_lookup(u, "Release of information for", mrn, sizeof mrn) == UI_OK &&
	    ui_patient_gate(u, mrn, NULL, 0) == UI_OK) {
		session_set_patient(u->s, mrn);
		newreq_run(u, mrn);
		session_set_patient(u->s, "");
	}
}

/* One key of a list screen; 1 when the list is to be read again. */
static int list_key(struct ui *u, struct roilist *l, int k)
{
	switch (k) {
	case 'q': case 'Q':
		ui_end(u, UI_END_QUIT);
		return 0;
	case 'n': case 'N':
		list_new(u, l);
		return 1;
	case 'a': case 'A':
		if (l->mrn)
			return 0;
		l->all = !l->all;
		l->list.sel = l->list.top = 0;
		return 1;
	case UI_FKEY(KEY_F(5)):
		return 1;
	}
	if (ui_key_is_enter(k)) {
		list_open(u, l);
		return 1;
	}
	if (ui_key_is_help(k))
		ui_popup(u, "Release of information", l->mrn ? chart_list_help : worklist_help);
	else
		ui_list_key(&l->list, k, LIST_PAGE);
	return 0;
}

static void list_run(struct ui *u, const char *mrn)
{
	struct roilist l = { .mrn = mrn };
	struct ui_view v;

	if (!ui_may(u, ACT_ROI_PROCESS) || !(l.rows = smem_alloc(ROI_LIST_MAX * sizeof *l.rows))) {
		if (access_may(u->s, ACT_ROI_PROCESS))
			ui_msg(u, 1, "Out of secure memory.");
		return;
	}
	list_load(u, &l);
	ui_view_push(u, &v, list_draw, &l, 1);
	ui_redraw(u);
	for (int k; !ui_key_is_back(k = ui_getkey(u)) && k != '^'; ui_redraw(u))
		if (list_key(u, &l, k) && !u->ending)
			list_load(u, &l);
	ui_view_pop(u, &v);
	smem_free(l.rows);
	ui_redraw(u);
}

void ui_roi_worklist_run(struct ui *u)
{
	list_run(u, NULL);
}

void ui_roi_chart_run(struct ui *u, const char *mrn)
{
	list_run(u, mrn);
}
