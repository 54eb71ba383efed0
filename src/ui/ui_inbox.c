/* folio — a physician's inbox (menu "Inbox"): the queries sent to them
 * that wait for an answer and the deficiencies they are responsible for,
 * the most urgent (earliest due) first, then the reminders the supervisor
 * sent them.  From a line: answer a query (its indicators and question,
 * an option or words, then the signature code: the answer is filed as a
 * signed addendum), open the chart, or go to the chart's documents to
 * sign.  A supervisor opens any physician's inbox, to read, not to answer.
 *
 * The list itself holds no PHI but the reminders' notes (decrypted): the
 * rows live in one guarded block, wiped when the screen closes. */
#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folio/deficiency.h"
#include "folio/patient.h"
#include "folio/query.h"
#include "folio/smem.h"
#include "ui_internal.h"

#define INBOX_MAX 400
#define INBOX_TOP 5
#define SIGCODE_CAP 130

struct inbox_row {
	char kind;                 /* 'Q' query, 'D' deficiency, 'R' reminder */
	int64_t id;                /* the query, deficiency or reminder */
	char mrn[16];
	int64_t enc;
	char due[11];
	char since[24];
	char status[16];
	int late;                  /* days overdue */
	char what[DEF_NOTE_MAX + 160];
};

struct inbox {
	char who[40];
	struct inbox_row *rows;    /* guarded */
	size_t n, work;            /* work: queries and deficiencies, before the reminders */
	struct ui_list list;
};

static const char inbox_help[] =
	"Your inbox: queries waiting for your answer and deficiencies you are\n"
	"responsible for, earliest due first; then reminders sent to you.\n"
	"  Enter  a query: read it and answer (your signature code signs the\n"
	"         answer, filed as an addendum);  a deficiency or reminder:\n"
	"         open the chart\n"
	"  C      open the chart of the highlighted line\n"
	"  S      the chart's documents, to sign (S there signs)\n"
	"  V      the whole line (a reminder's note)\n"
	"  W      (supervisor) whose inbox\n"
	"  F5     read the inbox again\n"
	"Esc or ^ goes back to the menu.";

static struct inbox_row *next_row(struct inbox *b)
{
	if (b->n >= INBOX_MAX)
		return NULL;
	memset(&b->rows[b->n], 0, sizeof b->rows[0]);
	return &b->rows[b->n++];
}

static int keep_query(const struct query_info *q, void *ctx)
{
	struct inbox_row *r = next_row(ctx);

	if (!r)
		return 1;
	r->kind = 'Q';
	r->id = q->id;
	str_copy(r->mrn, sizeof r->mrn, q->mrn);
	r->enc = q->encounter_id;
	str_copy(r->due, sizeof r->due, q->due);
	str_copy(r->since, sizeof r->since, q->created);
	str_copy(r->status, sizeof r->status, q->status);
	r->late = q->days_overdue;
	snprintf(r->what, sizeof r->what, "Query %" PRId64 " (%s) from %s", q->id,
		 q->format == QUERY_CHOICE ? "choice" : q->format == QUERY_YESNO ? "yes/no" : "open", q->from);
	return 0;
}

static int keep_deficiency(const struct deficiency_info *d, void *ctx)
{
	struct inbox_row *r = next_row(ctx);

	if (!r)
		return 1;
	r->kind = 'D';
	r->id = d->id;
	str_copy(r->mrn, sizeof r->mrn, d->mrn);
	r->enc = d->encounter_id;
	str_copy(r->due, sizeof r->due, d->due);
	str_copy(r->since, sizeof r->since, d->created);
	str_copy(r->status, sizeof r->status, d->delinquent ? "delinquent" : d->status);
	r->late = d->days_overdue;
	snprintf(r->what, sizeof r->what, "%s%s%s", d->title, d->detail[0] ? ": " : "", d->detail);
	return 0;
}

static int keep_reminder(const struct reminder_info *m, void *ctx)
{
	struct inbox_row *r = next_row(ctx);

	if (!r)
		return 1;
	r->kind = 'R';
	r->id = m->deficiency_id;
	str_copy(r->mrn, sizeof r->mrn, m->mrn);
	r->enc = m->encounter_id;
	str_copy(r->since, sizeof r->since, m->at);
	str_copy(r->status, sizeof r->status, m->open ? "open" : "done");
	snprintf(r->what, sizeof r->what, "Reminder from %s: %s%s%s", m->from, m->title, m->note[0] ? ": " : "",
		 m->note);
	return 0;
}

/* Queries and deficiencies together: earliest due first, then oldest. */
static int by_due(const void *a, const void *b)
{
	const struct inbox_row *x = a, *y = b;
	int c = strcmp(x->due, y->due);

	return c ? c : strcmp(x->since, y->since);
}

static void inbox_load(struct ui *u, struct inbox *b)
{
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	smem_wipe(b->rows, INBOX_MAX * sizeof *b->rows);
	b->n = b->work = 0;
	err_clear(&e);
	rc = access_begin(u->s, ACT_INBOX_VIEW, NULL, "inbox", b->who, &g, &e);
	if (rc == FOLIO_OK) {
		rc = query_inbox(g, b->who, keep_query, b, &e);
		if (rc == FOLIO_OK)
			rc = deficiency_inbox(g, b->who, keep_deficiency, b, &e);
		b->work = b->n;
		if (rc == FOLIO_OK)
			rc = deficiency_reminders(g, b->who, keep_reminder, b, &e);
		rc = ui_grant_end(g, rc, &e);
	}
	if (rc != FOLIO_OK)
		ui_msg(u, 1, "Cannot read the inbox: %s", e.msg);
	qsort(b->rows, b->work, sizeof *b->rows, by_due);
	b->list.n = (int)b->n;
	if (b->list.sel >= b->list.n)
		b->list.sel = b->list.n ? b->list.n - 1 : 0;
}

static void inbox_draw(struct ui *u, void *ctx)
{
	struct inbox *b = ctx;
	int page = ui_body_end() - INBOX_TOP + 1;
	size_t queries = 0;
	char line[DEF_NOTE_MAX + 240];

	for (size_t i = 0; i < b->work; i++)
		queries += b->rows[i].kind == 'Q';
	ui_frame(u, "Inbox", "Enter answer/open  C chart  S sign  V view  ? help");
	snprintf(line, sizeof line, "Inbox of %s: %zu quer%s to answer, %zu deficienc%s, %zu reminder%s", b->who,
		 queries, queries == 1 ? "y" : "ies", b->work - queries, b->work - queries == 1 ? "y" : "ies",
		 b->n - b->work, b->n - b->work == 1 ? "" : "s");
	ui_put(2, 0, COLS, line, ui_attr(u, UI_A_TITLE));
	ui_put(4, 0, COLS, "  #  Kind  Due        Late MRN      Enc   Status     What", ui_attr(u, UI_A_HEADER));
	if (!b->n)
		ui_put(INBOX_TOP, 2, COLS - 2, "Nothing waiting.", ui_attr(u, UI_A_DIM));
	ui_list_fit(&b->list, page);
	for (int i = b->list.top; i < b->list.n && i < b->list.top + page; i++) {
		const struct inbox_row *r = &b->rows[i];
		int at = i == b->list.sel ? ui_attr(u, UI_A_SELECT) : 0;
		char late[16] = "";

		if (r->late)
			snprintf(late, sizeof late, "%3dd", r->late);
		snprintf(line, sizeof line, "%3d  %-5s %-10s %4s %-8s %-5" PRId64 " %-10.10s %s", i + 1,
			 r->kind == 'Q' ? "Query" : r->kind == 'D' ? "Defic" : "Remnd", r->kind == 'R' ? "" : r->due,
			 late, r->mrn, r->enc, r->status, r->what);
		ui_put(INBOX_TOP + i - b->list.top, 0, COLS, line, at);
		if (late[0] && !at)
			ui_put(INBOX_TOP + i - b->list.top, 22, 4, late, ui_attr(u, UI_A_ERROR));
	}
	smem_wipe(line, sizeof line);
}

/* ---- answering a query ----------------------------------------------------------- */

struct answer {
	struct query_info q;
	struct query_text *t;
	char *text;                /* the query as shown (guarded) */
	char name[200];
	char pick[8];
	int overflow;              /* the query is longer than the screen */
	char words[QUERY_ANSWER_MAX + 1], comment[QUERY_ANSWER_MAX + 1];
};

static void answer_draw(struct ui *u, void *ctx)
{
	struct answer *a = ctx;
	char line[300];

	ui_frame(u, "Answer a query", "Read the indicators and the question; F1 helps at each prompt");
	snprintf(line, sizeof line, "%s   MRN %s   encounter %" PRId64, a->name, a->q.mrn, a->q.encounter_id);
	ui_put(2, 0, COLS, line, ui_attr(u, UI_A_TITLE));
	a->overflow = ui_query_draw_text(4, ui_body_end(), a->text, 0) > ui_body_end() + 1;
	if (a->overflow)
		ui_put(ui_body_end(), 2, COLS - 4, "... longer than the screen: you read it whole first", ui_attr(u, UI_A_DIM));
	smem_wipe(line, sizeof line);
}

/* The patient's name for the heading, under its own grant. */
static void answer_name(struct ui *u, struct answer *a)
{
	struct ui_heading h;
	struct folio_err e;

	if (ui_chart_heading(u, a->q.mrn, &h, &e) == FOLIO_OK)
		memcpy(a->name, h.name, sizeof a->name);
}

/* The option (and words for "Other", or for an open-ended query) and a
 * comment; 0 when the user went through. */
static int answer_ask(struct ui *u, struct answer *a, struct query_reply *r)
{
	const struct query_text *t = a->t;
	char help[QUERY_OPTIONS_MAX * (QUERY_LINE_MAX + 8) + 64];
	size_t n = 0;

	memset(r, 0, sizeof *r);
	if (t->n_options) {
		n += (size_t)snprintf(help, sizeof help, "Type the number of your answer:\n");
		for (size_t i = 0; i < t->n_options && n < sizeof help; i++)
			n += (size_t)snprintf(help + n, sizeof help - n, "  %zu  %s\n", i + 1, t->options[i]);
		for (;;) {
			a->pick[0] = '\0';
			if (ui_ask(u, "Answer (option number)", help, NULL, a->pick, sizeof a->pick) != UI_OK)
				return -1;
			r->option = atoi(a->pick);
			if (r->option >= 1 && (size_t)r->option <= t->n_options)
				break;
			ui_msg(u, 1, "Type a number from 1 to %zu.", t->n_options);
		}
		smem_wipe(help, sizeof help);
		ui_msg(u, 0, "Your answer: %s", t->options[r->option - 1]);
	}
	if (!t->n_options || strcmp(t->options[r->option - 1], QUERY_OPTION_OTHER) == 0) {
		do {
			if (ui_ask(u, t->n_options ? "Other: your answer" : "Your answer",
				   "Your clinical judgement, in your own words.", NULL, a->words, sizeof a->words) != UI_OK)
				return -1;
		} while (!a->words[0]);
		r->text = a->words;
	}
	if (ui_ask(u, "Comment (optional)", "Anything the coder should know; Enter for none.", NULL, a->comment,
		   sizeof a->comment) != UI_OK)
		return -1;
	r->comment = a->comment;
	return 0;
}

/* Asks the signature code and files the answer; 1 when answered. */
static int answer_sign(struct ui *u, struct answer *a, const struct query_reply *r)
{
	struct ui_field f;
	struct folio_err e;
	struct grant *g = NULL;
	char *code, oid[24];
	int64_t doc = 0;
	int rc;

	if (!(code = smem_alloc(SIGCODE_CAP))) {
		ui_msg(u, 1, "Out of secure memory.");
		return 0;
	}
	memset(&f, 0, sizeof f);
	f.label = "Signature code";
	f.help = "Your electronic signature code (not your password): it signs the\n"
		 "answer, filed as an addendum to the encounter's documentation.";
	f.buf = code;
	f.cap = SIGCODE_CAP;
	f.secret = 1;
	f.row = ui_prompt_row();
	rc = ui_field_run(u, &f);
	if (rc == UI_OK) {
		snprintf(oid, sizeof oid, "%" PRId64, a->q.id);
		err_clear(&e);
		rc = access_begin(u->s, ACT_QUERY_ANSWER, a->q.mrn, "query", oid, &g, &e);
		if (rc == FOLIO_OK)
			rc = ui_grant_end(g, query_answer(g, a->q.id, r, code, f.len, &doc, &e), &e);
		if (rc == FOLIO_OK)
			ui_msg(u, 0, "Query %" PRId64 " answered: signed addendum %" PRId64 " filed.", a->q.id, doc);
		else
			ui_msg(u, 1, "Not answered: %s", e.msg);
	}
	smem_free(code);
	return rc == FOLIO_OK && doc;
}

/* 1 when the query was answered. */
static int answer_run(struct ui *u, const struct inbox_row *row)
{
	struct answer *a = smem_alloc(sizeof *a);
	struct query_reply r;
	struct ui_view v;
	int done = 0;

	if (!a) {
		ui_msg(u, 1, "Out of secure memory.");
		return 0;
	}
	if (ui_query_load(u, row->mrn, row->id, &a->q, &a->t) != 0) {
		smem_free(a);
		return 0;
	}
	if (!(a->text = ui_query_compose(&a->q, a->t))) {
		ui_msg(u, 1, "Out of secure memory.");
	} else {
		str_copy(a->name, sizeof a->name, "");
		answer_name(u, a);
		ui_view_push(u, &v, answer_draw, a, 1);
		ui_msg_clear(u);
		ui_redraw(u);
		if (a->overflow) {
			/* every indicator is read before an answer */
			ui_query_read(u, a->text, a->q.id);
			ui_redraw(u);
		}
		if (!ui_may(u, ACT_QUERY_ANSWER) || strcmp(a->q.to, session_user(u->s)) != 0) {
			ui_msg(u, 0, "Query %" PRId64 " is for %s to answer.  Press any key.", a->q.id, a->q.to);
			ui_redraw(u);
			ui_getkey(u);
		} else if (answer_ask(u, a, &r) == 0) {
			done = answer_sign(u, a, &r);
		}
		ui_view_pop(u, &v);
	}
	smem_free(a->text);
	query_text_free(a->t);
	smem_free(a);
	return done;
}

/* ---- charts ------------------------------------------------------------------------ */

/* The chart's documents screen (to sign), with the header every chart
 * screen shows. */
static void open_documents(struct ui *u, const char *mrn)
{
	struct hdr {
		struct ui_heading head;
		char banner[400];
	} *h = smem_alloc(sizeof *h);
	struct folio_err e;
	int ok = 0;

	if (h && ui_chart_heading(u, mrn, &h->head, &e) == FOLIO_OK)
		ok = ui_clinical_summary(u, mrn, h->banner, sizeof h->banner, NULL, 0) == 0;
	else if (h)
		ui_msg(u, 1, "Cannot open the chart: %s", e.msg);
	if (ok) {
		session_set_patient(u->s, mrn);
		ui_documents_run(u, mrn, h->head.name, h->head.age_sex, h->head.restricted, h->head.test, h->banner);
		session_set_patient(u->s, "");
	}
	smem_free(h);
}

static void row_open(struct ui *u, const struct inbox_row *r, int documents)
{
	if (ui_patient_gate(u, r->mrn, NULL, 0) != UI_OK)
		return;
	if (documents)
		open_documents(u, r->mrn);
	else
		ui_chart_screen(u, r->mrn);
}

/* V: the whole line, for what the list cuts short (a reminder's note). */
static void row_view(struct ui *u, const struct inbox_row *r)
{
	char text[DEF_NOTE_MAX + 400];

	snprintf(text, sizeof text, "%s\n\nMRN %s, encounter %" PRId64 "\nStatus: %s\n%s%s%s%s", r->what, r->mrn,
		 r->enc, r->status, r->due[0] ? "Due: " : "", r->due, r->due[0] ? "\n" : "",
		 r->kind == 'R' ? "Sent: " : "Since: ");
	str_copy(text + strlen(text), sizeof text - strlen(text), r->since);
	ui_popup(u, r->kind == 'Q' ? "Query" : r->kind == 'D' ? "Deficiency" : "Reminder", text);
	smem_wipe(text, sizeof text);
}

/* A supervisor names the physician whose inbox to open; 0 when named. */
static int ask_whose(struct ui *u, struct inbox *b)
{
	char who[40] = "";

	if (ui_ask(u, "Whose inbox (physician's user name)", "A supervisor may read any physician's inbox.",
		   b->who[0] ? b->who : NULL, who, sizeof who) != UI_OK || !who[0])
		return -1;
	str_copy(b->who, sizeof b->who, who);
	b->list.sel = b->list.top = 0;
	return 0;
}

void ui_inbox_run(struct ui *u)
{
	struct inbox b;
	struct ui_view v;

	if (!ui_may(u, ACT_INBOX_VIEW))
		return;
	memset(&b, 0, sizeof b);
	if (session_role(u->s) == ROLE_PHYSICIAN)
		str_copy(b.who, sizeof b.who, session_user(u->s));
	else if (ask_whose(u, &b) != 0)
		return;
	if (!(b.rows = smem_alloc(INBOX_MAX * sizeof *b.rows))) {
		ui_msg(u, 1, "Out of secure memory.");
		return;
	}
	inbox_load(u, &b);
	ui_view_push(u, &v, inbox_draw, &b, 1);
	ui_redraw(u);
	for (;;) {
		int k = ui_getkey(u), reload = 1;
		const struct inbox_row *r = b.n ? &b.rows[b.list.sel] : NULL;

		if (ui_key_is_back(k) || k == '^')
			break;
		if (ui_query_list_key(u, &b.list, k, INBOX_TOP, "Inbox", inbox_help)) {
			reload = 0;
		} else if (r && ui_key_is_enter(k) && r->kind == 'Q') {
			reload = answer_run(u, r);
		} else if (r && (ui_key_is_enter(k) || k == 'c' || k == 'C')) {
			row_open(u, r, 0);
		} else if (r && (k == 's' || k == 'S')) {
			row_open(u, r, 1);
		} else if (r && (k == 'v' || k == 'V')) {
			row_view(u, r);
			reload = 0;
		} else if ((k == 'w' || k == 'W') && session_role(u->s) != ROLE_PHYSICIAN) {
			reload = ask_whose(u, &b) == 0;
		} else if (k != UI_FKEY(KEY_F(5))) {
			reload = 0;
		}
		if (reload && !u->ending)
			inbox_load(u, &b);
		ui_redraw(u);
	}
	ui_view_pop(u, &v);
	smem_free(b.rows);
}
