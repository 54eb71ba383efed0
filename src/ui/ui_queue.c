/* folio — the supervisor's incomplete-chart queue (the technician's too,
 * read-mostly): open deficiencies sorted by days overdue, filtered by
 * physician, service and deficiency type or grouped by physician, with the
 * delinquency rate against its limit and where each paper chart is.  From
 * a line: open the chart, reassign, add a note, send a reminder (an alert
 * in the physician's inbox), complete by hand, mark reviewed, reopen
 * (supervisor).
 *
 * The rows hold no PHI (chart numbers, rule codes, staff names); the notes
 * shown by the history popup are decrypted into a buffer wiped after. */
#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folio/deficiency.h"
#include "folio/query.h"
#include "folio/smem.h"
#include "folio/tracking.h"
#include "ui_internal.h"

#define Q_TOP 5
#define Q_NAME 40

struct qrow {
	struct deficiency_info d;
	char where[64];
};

struct queue {
	struct qrow *rows;
	size_t n, cap;
	struct deficiency_rate rate;
	int have_rate;
	char physician[Q_NAME], service[Q_NAME], type[DEF_TYPE_MAX];
	int delinquent, closed, grouped;
	size_t total_open, total_delinquent;
	struct ui_list list;
	struct grant *g;      /* while loading */
	int oom;
};

static const char queue_help[] =
	"Incomplete charts: every open deficiency and every overdue physician\n"
	"query (type query), most days overdue first.\n"
	"A chart discharged more than the delinquency limit ago with any open\n"
	"deficiency is delinquent (D). The rate line compares delinquent charts\n"
	"with the average monthly discharges against the limit.\n"
	"  Enter/O  open the chart          H  the deficiency's history\n"
	"  A  assign to a physician         N  add a note\n"
	"  R  send the responsible person a reminder (their inbox)\n"
	"  K  complete by hand              V  mark a signed/completed one reviewed\n"
	"  E  reopen a closed one (supervisor)\n"
	"  P  physician   S  service   T  deficiency type   (Enter alone: all)\n"
	"  D  delinquent only   X  also signed/completed   G  group by physician\n"
	"  C  counts per physician          F5 read again\n"
	"Actions in parentheses are not open to your role.\n"
	"Esc or ^ goes back to the menu; q signs out and leaves folio.";

/* ---- loading ------------------------------------------------------------ */

static int row_add(const struct deficiency_info *d, void *ctx)
{
	struct queue *q = ctx;
	struct folio_err e;

	if (q->n == q->cap) {
		struct qrow *m = realloc(q->rows, (q->cap = q->cap ? q->cap * 2 : 64) * sizeof *m);
		if (!m) {
			q->oom = 1;
			return 1;
		}
		q->rows = m;
	}
	memset(&q->rows[q->n], 0, sizeof q->rows[q->n]);
	q->rows[q->n].d = *d;
	err_clear(&e);
	/* the same chart's location was just looked up: reuse it */
	if (q->n > 0 && strcmp(q->rows[q->n - 1].d.mrn, d->mrn) == 0)
		memcpy(q->rows[q->n].where, q->rows[q->n - 1].where, sizeof q->rows[q->n].where);
	else if (tracking_where(q->g, d->mrn, q->rows[q->n].where, sizeof q->rows[q->n].where, &e) != FOLIO_OK)
		q->rows[q->n].where[0] = '\0';
	q->n++;
	return 0;
}

/* An overdue physician query joins the queue as a row of type "query"
 * with a negative id (-query id): the deficiency actions refuse it, and
 * the coder answers for it in Physician queries. */
static int query_row_add(const struct query_info *qi, void *ctx)
{
	struct deficiency_info d;

	memset(&d, 0, sizeof d);
	d.id = -qi->id;
	str_copy(d.mrn, sizeof d.mrn, qi->mrn);
	d.encounter_id = qi->encounter_id;
	str_copy(d.type, sizeof d.type, "query");
	str_copy(d.title, sizeof d.title, "Physician query overdue");
	str_copy(d.responsible, sizeof d.responsible, qi->to);
	str_copy(d.status, sizeof d.status, qi->status);
	str_copy(d.due, sizeof d.due, qi->due);
	d.days_overdue = qi->days_overdue;
	d.open = 1;
	return row_add(&d, ctx);
}

static int by_overdue(const void *a, const void *b)
{
	const struct qrow *x = a, *y = b;

	if (x->d.days_overdue != y->d.days_overdue)
		return x->d.days_overdue > y->d.days_overdue ? -1 : 1;
	return x->d.id < y->d.id ? -1 : x->d.id > y->d.id;
}

static int by_physician(const void *a, const void *b)
{
	const struct qrow *x = a, *y = b;
	int c = strcmp(x->d.responsible, y->d.responsible);

	if (c)
		return c;
	if (x->d.days_overdue != y->d.days_overdue)
		return x->d.days_overdue > y->d.days_overdue ? -1 : 1;
	return x->d.id < y->d.id ? -1 : x->d.id > y->d.id;
}

static int count_open(const struct deficiency_info *d, void *ctx)
{
	struct queue *q = ctx;

	q->total_open++;
	q->total_delinquent += d->delinquent != 0;
	return 0;
}

static void queue_load(struct ui *u, struct queue *q)
{
	struct deficiency_filter f = { 0 };
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	q->n = 0;
	q->oom = 0;
	q->total_open = q->total_delinquent = 0;
	f.physician = q->physician;
	f.service = q->service;
	f.type = q->type;
	f.delinquent = q->delinquent;
	f.closed = q->closed;
	err_clear(&e);
	rc = access_begin(u->s, ACT_QUEUE_VIEW, NULL, "queue", NULL, &g, &e);
	if (rc == FOLIO_OK) {
		q->g = g;
		if (strcmp(q->type, "query") != 0)
			rc = deficiency_queue(g, &f, row_add, q, &e);
		if (rc == FOLIO_OK && !q->delinquent && !q->service[0] && !q->closed &&
		    (!q->type[0] || strcmp(q->type, "query") == 0)) {
			size_t before = q->n;
			rc = query_overdue(g, q->physician[0] ? q->physician : NULL, query_row_add, q, &e);
			if (rc == FOLIO_OK && q->n > before && !q->grouped)
				qsort(q->rows, q->n, sizeof *q->rows, by_overdue);
		}
		if (rc == FOLIO_OK)
			rc = deficiency_queue(g, NULL, count_open, q, &e);
		if (rc == FOLIO_OK)
			q->have_rate = deficiency_rate(g, &q->rate, &e) == FOLIO_OK;
		q->g = NULL;
		rc = ui_grant_end(g, rc, &e);
	}
	if (rc != FOLIO_OK)
		ui_msg(u, 1, "Cannot read the queue: %s", e.msg);
	else if (q->oom)
		ui_msg(u, 1, "Out of memory: the queue is cut short.");
	if (q->grouped && q->n > 1)
		qsort(q->rows, q->n, sizeof *q->rows, by_physician);
	q->list.n = (int)q->n;
	if (q->list.sel >= q->list.n)
		q->list.sel = q->list.n > 0 ? q->list.n - 1 : 0;
}

/* ---- drawing ------------------------------------------------------------- */

static int q_page(void)
{
	return ui_body_end() - Q_TOP + 1;
}

static void draw_rate(struct ui *u, const struct queue *q)
{
	char line[160];

	if (!q->have_rate) {
		ui_put(2, 2, COLS - 4, "Delinquency rate: not available", ui_attr(u, UI_A_DIM));
		return;
	}
	snprintf(line, sizeof line, "Delinquency %.1f%% (limit %d%%%s): %d delinquent / %.1f discharges a month",
		 q->rate.pct, q->rate.limit_pct, q->rate.over ? ", OVER" : "", q->rate.delinquent, q->rate.monthly);
	ui_put(2, 2, COLS - 4, line, q->rate.over ? ui_attr(u, UI_A_ERROR) : ui_attr(u, UI_A_TITLE));
}

static void draw_filters(const struct queue *q)
{
	char line[200];

	snprintf(line, sizeof line, "%zu shown of %zu open (%zu delinquent).  %s%s%s%s%s%s%s%s", q->n, q->total_open,
		 q->total_delinquent, q->physician[0] ? "Physician " : "", q->physician, q->physician[0] ? "  " : "",
		 q->service[0] ? "Service " : "", q->service, q->service[0] ? "  " : "", q->type,
		 q->delinquent ? (q->type[0] ? "  delinquent only" : "Delinquent only") : "");
	ui_put(3, 2, COLS - 4, line, A_NORMAL);
}

static const char *short_status(const char *s)
{
	return !strcmp(s, "incomplete") ? "incomplete" : s;
}

static void queue_draw(struct ui *u, void *ctx)
{
	struct queue *q = ctx;
	int page = q_page(), t = ui_attr(u, UI_A_TITLE);
	char line[160];

	ui_list_fit(&q->list, page);
	ui_frame(u, "Incomplete charts", "? help");
	draw_rate(u, q);
	draw_filters(q);
	ui_put(Q_TOP - 1, 1, COLS - 2,
	       "  # MRN      Enc  Deficiency        Responsib Status      Over D Paper chart", t);
	for (int i = q->list.top; i < (int)q->n && i < q->list.top + page; i++) {
		const struct qrow *r = &q->rows[i];
		int row = Q_TOP + i - q->list.top;
		int at = i == q->list.sel ? ui_attr(u, UI_A_SELECT) : (int)A_NORMAL;
		char who[DEF_NAME_MAX + 2];

		if (at != (int)A_NORMAL) {
			attron((attr_t)at);
			mvhline(row, 0, ' ', COLS);
			attroff((attr_t)at);
		}
		snprintf(who, sizeof who, "%s%s%s", r->d.responsible[0] ? "" : "(", r->d.responsible[0] ? r->d.responsible : r->d.role,
			 r->d.responsible[0] ? "" : ")");
		snprintf(line, sizeof line, "%3d %-8.8s %-4" PRId64 " %-17.17s %-9.9s %-11.11s %4d %c", i + 1, r->d.mrn,
			 r->d.encounter_id, r->d.type, who, short_status(r->d.status), r->d.days_overdue,
			 r->d.delinquent ? 'D' : ' ');
		ui_put(row, 1, 64, line, r->d.delinquent && at == (int)A_NORMAL ? ui_attr(u, UI_A_ERROR) : at);
		ui_put(row, 66, COLS - 67, r->where[0] ? r->where : "-", at);
	}
	if (q->n == 0)
		ui_put(Q_TOP, 2, COLS - 4,
		       q->total_open ? "No deficiency matches the filters." : "No incomplete charts: every chart is complete.",
		       A_NORMAL);
	{
		int ed = access_may(u->s, ACT_DEFICIENCY_EDIT), re = access_may(u->s, ACT_DEFICIENCY_REOPEN);
		snprintf(line, sizeof line, "O Open  %s  %s  %s  %s  %s  %s  H History",
			 ed ? "A Assign" : "(A Assign)", ed ? "N Note" : "(N Note)", ed ? "R Remind" : "(R Remind)",
			 ed ? "K Complete" : "(K Complete)", ed ? "V Review" : "(V Review)", re ? "E Reopen" : "(E Reopen)");
		ui_put(ui_action_row(), 1, COLS - 2, line, A_NORMAL);
	}
	snprintf(line, sizeof line, "P Physician  S Service  T Type  D %s  X %s  G %s  C Counts",
		 q->delinquent ? "All" : "Delinquent", q->closed ? "Open only" : "With done",
		 q->grouped ? "Ungroup" : "Group");
	ui_put(ui_prompt_row(), 1, COLS - 2, line, ui_attr(u, UI_A_DIM));
}

/* ---- actions --------------------------------------------------------------- */

/* Runs fn on deficiency r under a grant for action a on its chart. */
static int on_row(struct ui *u, const struct qrow *r, enum action a,
		  int (*fn)(struct grant *, const struct qrow *, void *, struct folio_err *), void *ctx,
		  const char *done)
{
	struct folio_err e;
	struct grant *g = NULL;
	char id[24];
	int rc;

	if (r->d.id < 0) {
		ui_msg(u, 1, "Query %" PRId64 " is overdue: chase or withdraw it in Physician queries.", -r->d.id);
		return 0;
	}
	snprintf(id, sizeof id, "%" PRId64, r->d.id);
	err_clear(&e);
	rc = access_begin(u->s, a, r->d.mrn, "deficiency", id, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, fn(g, r, ctx, &e), &e);
	if (rc != FOLIO_OK) {
		ui_msg(u, 1, "Deficiency %" PRId64 ": %s", r->d.id, e.msg);
		return 0;
	}
	ui_msg(u, 0, "Deficiency %" PRId64 ": %s", r->d.id, done);
	return 1;
}

static int do_assign(struct grant *g, const struct qrow *r, void *ctx, struct folio_err *e)
{
	return deficiency_assign(g, r->d.id, ctx, e);
}

static int do_note(struct grant *g, const struct qrow *r, void *ctx, struct folio_err *e)
{
	return deficiency_note(g, r->d.id, ctx, e);
}

static int do_remind(struct grant *g, const struct qrow *r, void *ctx, struct folio_err *e)
{
	int64_t rid;

	return deficiency_remind(g, r->d.id, ctx, &rid, e);
}

static int do_complete(struct grant *g, const struct qrow *r, void *ctx, struct folio_err *e)
{
	return deficiency_complete(g, r->d.id, ctx, e);
}

static int do_review(struct grant *g, const struct qrow *r, void *ctx, struct folio_err *e)
{
	(void)ctx;
	return deficiency_review(g, r->d.id, e);
}

static int do_reopen(struct grant *g, const struct qrow *r, void *ctx, struct folio_err *e)
{
	return deficiency_reopen(g, r->d.id, ctx, e);
}

/* The actions on a line: the key, what the policy must allow, what state
 * the deficiency must be in, the question (NULL: a Yes/No confirmation),
 * whether an answer is needed, the call and what it says when done. */
enum qa_when { QA_OPEN, QA_CLOSED, QA_ANY };
static const struct qact {
	int key;
	enum action need;
	enum qa_when when;
	const char *ask, *help;
	size_t cap;
	int need_text;
	int (*fn)(struct grant *, const struct qrow *, void *, struct folio_err *);
	const char *done;
} qacts[] = {
	{ 'a', ACT_DEFICIENCY_EDIT, QA_ANY, "Assign to (user name)", "A physician's or the supervisor's user name.",
	  Q_NAME, 1, do_assign, "assigned." },
	{ 'n', ACT_DEFICIENCY_EDIT, QA_ANY, "Note", "One line, kept with the deficiency (encrypted).",
	  DEF_NOTE_MAX + 1, 1, do_note, "note added." },
	{ 'r', ACT_DEFICIENCY_EDIT, QA_OPEN, "Reminder note (Enter for none)", "Shown with the alert in their inbox.",
	  DEF_NOTE_MAX + 1, 0, do_remind, "reminder sent." },
	{ 'k', ACT_DEFICIENCY_EDIT, QA_OPEN, "Complete by hand: why", "What completed it (kept as a note).",
	  DEF_NOTE_MAX + 1, 1, do_complete, "completed." },
	{ 'v', ACT_DEFICIENCY_EDIT, QA_CLOSED, NULL, NULL, 0, 0, do_review, "reviewed." },
	{ 'e', ACT_DEFICIENCY_REOPEN, QA_CLOSED, "Reopen: why", "The reason is kept and audited.", DEF_NOTE_MAX + 1,
	  1, do_reopen, "reopened." },
};

static const struct qact *qact_find(int k)
{
	for (size_t i = 0; i < ARRAY_SIZE(qacts); i++)
		if (k == qacts[i].key || k == qacts[i].key - 'a' + 'A')
			return &qacts[i];
	return NULL;
}

/* 1 when the action may run on r, else says why. */
static int qact_fits(struct ui *u, const struct qact *a, const struct qrow *r)
{
	if (!ui_may(u, a->need))
		return 0;
	if (a->when == QA_OPEN && !r->d.open) {
		ui_msg(u, 1, "It is %s already: nothing to do.", r->d.status);
		return 0;
	}
	if (a->when == QA_CLOSED && r->d.open) {
		ui_msg(u, 1, "It is still %s%s.", r->d.status, a->key == 'v' ? ": X shows signed and completed ones" : "");
		return 0;
	}
	if (a->fn == do_remind && !r->d.responsible[0]) {
		ui_msg(u, 1, "No one is responsible for it yet: assign it first (A).");
		return 0;
	}
	return 1;
}

static int action(struct ui *u, struct queue *q, const struct qact *a)
{
	const struct qrow *r = q->n ? &q->rows[q->list.sel] : NULL;
	char *buf;
	int did = 0, go;

	if (!r || !qact_fits(u, a, r))
		return 0;
	if (!a->ask)
		return ui_confirm(u, "Mark it reviewed?", 1) && on_row(u, r, a->need, a->fn, NULL, a->done);
	if (!(buf = smem_alloc(DEF_NOTE_MAX + 1))) {
		ui_msg(u, 1, "Out of secure memory.");
		return 0;
	}
	go = ui_ask(u, a->ask, a->help, NULL, buf, a->cap) == UI_OK;
	if (go && a->need_text && !buf[0]) {
		ui_msg(u, 1, "Nothing entered: nothing changed.");
		go = 0;
	}
	if (go)
		did = on_row(u, r, a->need, a->fn, buf, a->done);
	smem_free(buf);
	return did;
}

struct hist {
	char *text;
	size_t cap, off;
};

static int hist_add(const struct deficiency_event *v, void *ctx)
{
	struct hist *h = ctx;
	char at[17];

	str_copy(at, sizeof at, v->at);
	if (at[10] == 'T')
		at[10] = ' ';
	if (h->off < h->cap)
		h->off += (size_t)snprintf(h->text + h->off, h->cap - h->off, "%s %-9.9s %-8s %s%s%s\n%s%.300s%s", at,
					   v->by, v->kind, v->to_status, v->to_user[0] ? " -> " : "", v->to_user,
					   v->note[0] ? "    \"" : "", v->note, v->note[0] ? "\"\n" : "");
	return h->off >= h->cap;
}

static void history(struct ui *u, const struct qrow *r)
{
	struct hist h = { .cap = 4096 };
	struct folio_err e;
	struct grant *g = NULL;
	char title[64];
	int rc;

	if (r->d.id < 0) {
		ui_msg(u, 1, "Query %" PRId64 " to %s, due %s: its history is in Physician queries.", -r->d.id,
		       r->d.responsible, r->d.due);
		return;
	}
	if (!(h.text = smem_alloc(h.cap))) {
		ui_msg(u, 1, "Out of secure memory.");
		return;
	}
	h.off = (size_t)snprintf(h.text, h.cap, "%s, encounter %" PRId64 ", MRN %s\n%s\nDue %s, %s%s\n\n", r->d.title,
				 r->d.encounter_id, r->d.mrn, r->d.detail, r->d.due, r->d.status,
				 r->d.delinquent ? ", DELINQUENT" : "");
	err_clear(&e);
	rc = access_begin(u->s, ACT_QUEUE_VIEW, NULL, "deficiency", NULL, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, deficiency_events(g, r->d.id, hist_add, &h, &e), &e);
	if (rc != FOLIO_OK)
		ui_msg(u, 1, "No history: %s", e.msg);
	else {
		snprintf(title, sizeof title, "Deficiency %" PRId64, r->d.id);
		ui_popup(u, title, h.text);
	}
	smem_free(h.text);
}

static void counts(struct ui *u, const struct queue *q)
{
	char text[2048];
	size_t off = 0;
	struct {
		char who[Q_NAME];
		int open, delinquent, worst;
	} c[24];
	int n = 0;

	for (size_t i = 0; i < q->n; i++) {
		const struct deficiency_info *d = &q->rows[i].d;
		const char *who = d->responsible[0] ? d->responsible : d->role;
		int j;
		for (j = 0; j < n && strcmp(c[j].who, who); j++)
			;
		if (j == n) {
			if (n == (int)ARRAY_SIZE(c))
				continue;
			memset(&c[n], 0, sizeof c[n]);
			str_copy(c[n++].who, Q_NAME, who);
		}
		c[j].open++;
		c[j].delinquent += d->delinquent != 0;
		if (d->days_overdue > c[j].worst)
			c[j].worst = d->days_overdue;
	}
	off = (size_t)snprintf(text, sizeof text, "%-16s %6s %10s %12s\n", "Responsible", "Open", "Delinquent",
			       "Most overdue");
	for (int j = 0; j < n && off < sizeof text; j++)
		off += (size_t)snprintf(text + off, sizeof text - off, "%-16.16s %6d %10d %9d d\n", c[j].who, c[j].open,
					c[j].delinquent, c[j].worst);
	if (n == 0)
		snprintf(text + off, sizeof text - off, "(no deficiencies shown)\n");
	ui_popup(u, "Deficiencies per physician (as filtered)", text);
}

static void set_filter(struct ui *u, struct queue *q, int k)
{
	char buf[Q_NAME];
	char *dst = k == 'p' || k == 'P' ? q->physician : k == 's' || k == 'S' ? q->service : q->type;
	size_t cap = k == 't' || k == 'T' ? sizeof q->type : Q_NAME;
	const char *label = k == 'p' || k == 'P' ? "Physician (Enter for all)"
			    : k == 's' || k == 'S' ? "Service or clinic (Enter for all)"
						 : "Deficiency type (Enter for all)";
	const char *help = k == 't' || k == 'T'
				   ? "hp discharge-summary signature cosignature operative discharge-status coding\n"
				     "visit-diagnosis vitals allergies demographics"
				   : "Type it as shown in the list; Enter alone shows all.";

	memset(buf, 0, sizeof buf);
	if (ui_ask(u, label, help, NULL, buf, cap < sizeof buf ? cap : sizeof buf) != UI_OK)
		return;
	str_copy(dst, cap, buf);
	q->list.sel = q->list.top = 0;
}

static void open_chart(struct ui *u, const struct qrow *r)
{
	char mrn[16];

	str_copy(mrn, sizeof mrn, r->d.mrn);
	if (!ui_may(u, ACT_CHART_VIEW))
		return;
	if (ui_patient_gate(u, mrn, NULL, 0) == UI_OK)
		ui_chart_screen(u, mrn);
}

void ui_queue_run(struct ui *u)
{
	struct queue *q = calloc(1, sizeof *q);
	struct ui_view v;

	if (!q) {
		ui_msg(u, 1, "Out of memory.");
		return;
	}
	queue_load(u, q);
	ui_view_push(u, &v, queue_draw, q, 1);
	ui_redraw(u);
	for (;;) {
		int k = ui_getkey(u), reload = 0;
		const struct qrow *r = q->n ? &q->rows[q->list.sel] : NULL;

		if (ui_key_is_back(k) || k == '^')
			break;
		if (k == 'q' || k == 'Q') {
			ui_end(u, UI_END_QUIT);
		} else if (ui_key_is_help(k)) {
			ui_popup(u, "Incomplete charts", queue_help);
		} else if (r && (ui_key_is_enter(k) || k == 'o' || k == 'O')) {
			open_chart(u, r);
			reload = 1;
		} else if (r && (k == 'h' || k == 'H')) {
			history(u, r);
		} else if (qact_find(k)) {
			reload = action(u, q, qact_find(k));
		} else if (k == 'p' || k == 'P' || k == 's' || k == 'S' || k == 't' || k == 'T') {
			set_filter(u, q, k);
			reload = 1;
		} else if (k == 'd' || k == 'D') {
			q->delinquent = !q->delinquent;
			q->list.sel = q->list.top = 0;
			reload = 1;
		} else if (k == 'x' || k == 'X') {
			q->closed = !q->closed;
			reload = 1;
		} else if (k == 'g' || k == 'G') {
			q->grouped = !q->grouped;
			reload = 1;
		} else if (k == 'c' || k == 'C') {
			counts(u, q);
		} else if (k == UI_FKEY(KEY_F(5))) {
			reload = 1;
		} else {
			ui_list_key(&q->list, k, q_page());
		}
		if (reload && !u->ending)
			queue_load(u, q);
		ui_redraw(u);
	}
	ui_view_pop(u, &v);
	free(q->rows);
	free(q);
}
