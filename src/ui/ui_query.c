/* folio — physician queries in the interface, the coder's side: raising a
 * query from the encounters screen (clinical indicators picked from the
 * chart's results, vitals, problems and document lines, then the format,
 * the question, the options, the physician and the dates), and the list of
 * queries (menu "Physician queries") where the coder reads the answers,
 * closes answered queries and withdraws open ones.  Also the rendering of
 * one query that the physician's inbox (ui_inbox.c) shows before an
 * answer.
 *
 * Indicator lines, the question and options are PHI: they live in guarded
 * blocks wiped when the screen closes. */
#include <curses.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "folio/chart.h"
#include "folio/query.h"
#include "folio/smem.h"
#include "ui_internal.h"

#define PICK_MAX 300
#define PICK_TOP 5
#define QLIST_MAX 500
#define QLIST_TOP 5
#define VIEW_CAP 16384

/* ---- one query as text ------------------------------------------------------ */

static void vadd(char *b, size_t cap, size_t *len, const char *fmt, ...) PRINTF_LIKE(4, 5);
static void vadd(char *b, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len + 1 >= cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b + *len, cap - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len += (size_t)n < cap - *len ? (size_t)n : cap - *len - 1;
}

char *ui_query_compose(const struct query_info *q, const struct query_text *t)
{
	char *b = smem_alloc(VIEW_CAP);
	size_t n = 0;

	if (!b)
		return NULL;
	vadd(b, VIEW_CAP, &n, "Query %" PRId64 " (%s%s%s) on encounter %" PRId64 ", MRN %s\n", q->id,
	     query_format_name(q->format), q->yesno_case[0] ? ": " : "", q->yesno_case, q->encounter_id, q->mrn);
	vadd(b, VIEW_CAP, &n, "From %s to %s, %.10s.  Due %s, escalates %s.  Status: %s%s\n", q->from, q->to,
	     q->created, q->due, q->escalate, q->status, q->days_overdue ? " (overdue)" : "");
	vadd(b, VIEW_CAP, &n, "\nClinical indicators from the record:\n");
	for (size_t i = 0; i < t->n_indicators; i++)
		vadd(b, VIEW_CAP, &n, "  - %s\n", t->indicators[i]);
	vadd(b, VIEW_CAP, &n, "\nQuestion: %s\n", t->question);
	if (t->n_options)
		vadd(b, VIEW_CAP, &n, "\nOptions:\n");
	for (size_t i = 0; i < t->n_options; i++)
		vadd(b, VIEW_CAP, &n, "  %zu. %s\n", i + 1, t->options[i]);
	if (q->answered_at[0]) {
		vadd(b, VIEW_CAP, &n, "\nAnswered by %s, %.10s (signed document %" PRId64 "):\n  %s%s%s\n",
		     q->answered_by, q->answered_at, q->addendum_id,
		     t->answer_option > 0 && (size_t)t->answer_option <= t->n_options ? t->options[t->answer_option - 1] : "",
		     t->answer_option > 0 && t->answer[0] ? ": " : "", t->answer);
		if (t->comment[0])
			vadd(b, VIEW_CAP, &n, "  Comment: %s\n", t->comment);
	}
	if (t->withdraw_reason[0])
		vadd(b, VIEW_CAP, &n, "\nWithdrawn by %s, %.10s: %s\n", q->ended_by, q->ended_at, t->withdraw_reason);
	return b;
}

int ui_query_draw_text(int row, int last, const char *text, int attr)
{
	const int width = COLS - 4;
	const char *p = text;
	char piece[512];

	while (*p) {
		size_t n = strcspn(p, "\n"), take = 0, brk = 0, len;
		int w = 0;

		/* the longest start of the line that fits, cut after its last space */
		while (take < n && take < sizeof piece - 8) {
			char ch[8];
			size_t k = 1;
			int cw;
			while (take + k < n && k < 6 && ((unsigned char)p[take + k] & 0xc0) == 0x80)
				k++;
			memcpy(ch, p + take, k);
			ch[k] = '\0';
			if (w + (cw = ui_text_width(ch)) > width)
				break;
			w += cw;
			take += k;
			if (p[take - 1] == ' ')
				brk = take;
		}
		if (take < n && brk)
			take = brk;
		if (!take && n)
			take = 1;
		for (len = take; len && p[len - 1] == ' '; len--)
			;
		memcpy(piece, p, len);
		piece[len] = '\0';
		if (row <= last)
			ui_put(row, 2, width, piece, attr);
		row++;
		p += take;
		if (take == n && *p == '\n')
			p++;
	}
	smem_wipe(piece, sizeof piece);
	return row;
}

/* Reads query id of chart mrn (through the gate) with its text, under an
 * ACT_CHART_VIEW grant; 0, or -1 with a message. */
int ui_query_load(struct ui *u, const char *mrn, int64_t id, struct query_info *q, struct query_text **t)
{
	struct folio_err e;
	struct grant *g = NULL;
	char oid[24];
	int rc;

	*t = NULL;
	if (ui_patient_gate(u, mrn, NULL, 0) != UI_OK)
		return -1;
	snprintf(oid, sizeof oid, "%" PRId64, id);
	err_clear(&e);
	rc = access_begin(u->s, ACT_CHART_VIEW, mrn, "query", oid, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, query_get(g, id, q, t, &e), &e);
	if (rc != FOLIO_OK) {
		ui_msg(u, 1, "Cannot read query %" PRId64 ": %s", id, e.msg);
		return -1;
	}
	return 0;
}

void ui_query_read(struct ui *u, const char *text, int64_t id)
{
	struct ui_editor_opts o = { 0 };
	char title[48];

	snprintf(title, sizeof title, "Query %" PRId64, id);
	o.title = title;
	o.readonly = 1;
	ui_editor_run(u, text, strlen(text), &o, NULL, NULL);
}

static void query_view(struct ui *u, const char *mrn, int64_t id)
{
	struct query_info q;
	struct query_text *t;
	char *text;

	if (ui_query_load(u, mrn, id, &q, &t) != 0)
		return;
	if ((text = ui_query_compose(&q, t))) {
		ui_query_read(u, text, id);
		smem_free(text);
	}
	query_text_free(t);
}

/* ---- raising a query: the indicators ----------------------------------------- */

struct pick_row {
	char text[QUERY_LINE_MAX + 1];
	char source[40];
	int on;
};

struct picker {
	const char *mrn;
	const struct encounter_info *enc;
	struct pick_row *rows;   /* guarded */
	size_t n;
	int on;
	struct ui_list list;
	char due[11], esc[11];
};

static const char pick_help[] =
	"Pick the clinical indicators the query cites: lines of this encounter's\n"
	"results, vitals and documents, and the patient's active problems.\n"
	"A query cites what the record says; it never leads the physician and\n"
	"never mentions payment.\n"
	"  Space or Enter  pick or drop the highlighted line\n"
	"  T               type an indicator (from a paper chart, say)\n"
	"  N or F10        next: the format and the question\n"
	"Esc backs out without sending anything.";

static int pick_keep(const char *line, const char *source, void *ctx)
{
	struct picker *p = ctx;

	if (p->n >= PICK_MAX)
		return 1;
	str_copy(p->rows[p->n].text, sizeof p->rows[0].text, line);
	str_copy(p->rows[p->n].source, sizeof p->rows[0].source, source);
	p->rows[p->n++].on = 0;
	return 0;
}

static void pick_draw(struct ui *u, void *ctx)
{
	struct picker *p = ctx;
	int page = ui_body_end() - PICK_TOP + 1;
	char line[200];

	ui_frame(u, "Raise a query: indicators", "Space pick  T type  N next  ? help  Esc cancel");
	snprintf(line, sizeof line, "MRN %s, encounter %" PRId64 " (%s, %s), attending %s", p->mrn, p->enc->id,
		 p->enc->kind, p->enc->state, p->enc->attending[0] ? p->enc->attending : "none");
	ui_put(2, 0, COLS, line, ui_attr(u, UI_A_TITLE));
	snprintf(line, sizeof line, "%d of at most %d indicators picked", p->on, QUERY_INDICATORS_MAX);
	ui_put(3, 0, COLS, line, p->on ? (int)A_BOLD : ui_attr(u, UI_A_DIM));
	ui_put(4, 0, COLS, "   #     From         Line", ui_attr(u, UI_A_HEADER));
	if (!p->n)
		ui_put(PICK_TOP, 2, COLS - 2, "Nothing on this encounter to quote: T types an indicator.",
		       ui_attr(u, UI_A_DIM));
	ui_list_fit(&p->list, page);
	for (int i = p->list.top; i < p->list.n && i < p->list.top + page; i++) {
		int row = PICK_TOP + i - p->list.top, at = i == p->list.sel ? ui_attr(u, UI_A_SELECT) : 0;
		const char *src = p->rows[i].source;
		int doc = strncmp(src, "document ", 9) == 0;
		snprintf(line, sizeof line, "%3d %s %s%-*.*s ", i + 1, p->rows[i].on ? "[x]" : "[ ]", doc ? "doc " : "",
			 doc ? 8 : 12, doc ? 8 : 12, doc ? src + 9 : src);
		ui_put(row, 0, 22, line, at);
		ui_put(row, 22, COLS - 22, p->rows[i].text, at);
	}
}

static void pick_toggle(struct ui *u, struct picker *p)
{
	struct pick_row *r;

	if (!p->n)
		return;
	r = &p->rows[p->list.sel];
	if (!r->on && p->on >= QUERY_INDICATORS_MAX) {
		ui_msg(u, 1, "A query cites at most %d indicators.", QUERY_INDICATORS_MAX);
		return;
	}
	r->on = !r->on;
	p->on += r->on ? 1 : -1;
	ui_msg_clear(u);
}

static void pick_type(struct ui *u, struct picker *p)
{
	struct pick_row *r;

	if (p->n >= PICK_MAX || p->on >= QUERY_INDICATORS_MAX) {
		ui_msg(u, 1, "No room for another indicator.");
		return;
	}
	r = &p->rows[p->n];
	memset(r, 0, sizeof *r);
	if (ui_ask(u, "Indicator", "A clinical fact from the record, as written there\n"
				  "(result, finding, a line of a note), with its date.", NULL, r->text,
		   sizeof r->text) != UI_OK || !r->text[0])
		return;
	str_copy(r->source, sizeof r->source, "typed");
	r->on = 1;
	p->on++;
	p->list.n = (int)++p->n;
	p->list.sel = p->list.n - 1;
}

/* UI_OK when the user picked and went on. */
static int pick_run(struct ui *u, struct picker *p)
{
	struct ui_view v;
	int r = UI_BACK;

	ui_view_push(u, &v, pick_draw, p, 1);
	ui_redraw(u);
	for (;;) {
		int k = ui_getkey(u);

		if (k == UI_KEY_ABORT) {
			r = UI_ABORT;
			break;
		}
		if (ui_key_is_back(k) || k == '^') {
			if (!p->on || ui_confirm(u, "Leave without sending the query?", 0))
				break;
		} else if (k == ' ' || ui_key_is_enter(k)) {
			pick_toggle(u, p);
		} else if (k == 't' || k == 'T') {
			pick_type(u, p);
		} else if (k == 'n' || k == 'N' || k == UI_FKEY(KEY_F(10))) {
			if (p->on) {
				r = UI_OK;
				break;
			}
			ui_msg(u, 1, "Pick at least one indicator: a query cites the record.");
		} else if (ui_key_is_help(k)) {
			ui_popup(u, "Query indicators", pick_help);
		} else if (k == 'q' || k == 'Q') {
			ui_end(u, UI_END_QUIT);
		} else {
			ui_list_key(&p->list, k, ui_body_end() - PICK_TOP + 1);
		}
		ui_redraw(u);
	}
	ui_view_pop(u, &v);
	return r;
}

/* ---- raising a query: the question ------------------------------------------- */

struct raise {
	struct ui_form fm;
	char format[24], why[24], to[40], due[24], esc[24];
	char question[QUERY_QUESTION_MAX + 1];
	char options[QUERY_OPTIONS_MAX][QUERY_LINE_MAX + 1];
	const char *opt[QUERY_OPTIONS_MAX], *ind[QUERY_INDICATORS_MAX];
	size_t n_options;
};

static const char format_help[] =
	"How the physician answers:\n"
	"  1 open             in their own words (preferred when it fits)\n"
	"  2 multiple-choice  clinically reasonable options; \"Other\" and\n"
	"                     \"Clinically undetermined\" are always added\n"
	"  3 yes-no           only to confirm a documented fact, POA status,\n"
	"                     a cause-and-effect link or conflicting documentation;\n"
	"                     never to bring in a new diagnosis";

static int ask(struct ui *u, struct raise *r, const char *label, const char *help, const char *def, char *buf,
	       size_t cap)
{
	struct ui_field f = { .label = label, .help = help, .def = def, .buf = buf, .cap = cap };

	return ui_form_field(u, &r->fm, &f);
}

/* The form's last answer as understood ("2" is "multiple-choice"). */
static void form_restate(struct ui_form *fm, const char *label, const char *value)
{
	if (fm->n > 0 && fm->n <= UI_FORM_LINES)
		snprintf(fm->line[fm->n - 1], sizeof fm->line[0], "%s: %s", label, value);
}

static int ask_format(struct ui *u, struct raise *r, enum query_format *fmt)
{
	static const char *const abbrev[] = { "1", "2", "3", "o", "m", "y" };
	for (;;) {
		int v;
		if (ask(u, r, "Format", format_help, "open", r->format, sizeof r->format) != UI_OK)
			return -1;
		v = query_format_parse(r->format);
		for (int i = 0; v < 0 && i < 6; i++)
			if (!strcasecmp(r->format, abbrev[i]))
				v = i % 3;
		if (v >= 0) {
			*fmt = (enum query_format)v;
			str_copy(r->format, sizeof r->format, query_format_name(*fmt));
			form_restate(&r->fm, "Format", r->format);
			return 0;
		}
		ui_form_drop(&r->fm, 1);
		r->format[0] = '\0';
		ui_msg(u, 1, "The format is open, multiple-choice or yes-no (? lists them).");
	}
}

static int ask_why(struct ui *u, struct raise *r)
{
	char help[600];
	size_t n = 0;

	n += (size_t)snprintf(help, sizeof help, "A yes/no query is allowed only:\n");
	for (int i = 0; i < QUERY_YN_COUNT && n < sizeof help; i++)
		n += (size_t)snprintf(help + n, sizeof help - n, "  %d %-11s %s\n", i + 1, query_yesno_code(i),
				      query_yesno_help(i));
	for (;;) {
		int v;
		if (ask(u, r, "Yes/no because", help, NULL, r->why, sizeof r->why) != UI_OK)
			return -1;
		v = query_yesno_parse(r->why);
		if (v < 0 && atoi(r->why) >= 1 && atoi(r->why) <= QUERY_YN_COUNT)
			v = atoi(r->why) - 1;
		if (v >= 0) {
			str_copy(r->why, sizeof r->why, query_yesno_code(v));
			form_restate(&r->fm, "Yes/no because", r->why);
			return 0;
		}
		ui_form_drop(&r->fm, 1);
		r->why[0] = '\0';
		ui_msg(u, 1, "Not a case where yes/no is allowed (? lists them); Esc, then ask open-ended.");
	}
}

static int ask_options(struct ui *u, struct raise *r)
{
	static const char help[] = "A clinically reasonable answer, supported by the indicators.\n"
				   "Enter on an empty option ends the list (two at least);\n"
				   "\"Other\" and \"Clinically undetermined\" are added for you.";
	char label[24];

	r->n_options = 0;
	while (r->n_options < QUERY_OPTIONS_MAX - 2) {
		char *o = r->options[r->n_options];
		snprintf(label, sizeof label, "Option %zu", r->n_options + 1);
		o[0] = '\0';
		if (ask(u, r, label, help, NULL, o, sizeof r->options[0]) != UI_OK)
			return -1;
		if (!o[0]) {
			ui_form_drop(&r->fm, 1);
			if (r->n_options >= 2)
				break;
			ui_msg(u, 1, "Give at least two clinically reasonable options.");
			continue;
		}
		if (!strcasecmp(o, QUERY_OPTION_OTHER) || !strcasecmp(o, QUERY_OPTION_UNDETERMINED)) {
			ui_form_drop(&r->fm, 1);
			ui_msg(u, 1, "\"%s\" is added for you.", o);
			continue;
		}
		r->n_options++;
	}
	str_copy(r->options[r->n_options++], sizeof r->options[0], QUERY_OPTION_OTHER);
	str_copy(r->options[r->n_options++], sizeof r->options[0], QUERY_OPTION_UNDETERMINED);
	if (r->fm.n < UI_FORM_LINES)
		snprintf(r->fm.line[r->fm.n++], sizeof r->fm.line[0], "Always offered: %s; %s", QUERY_OPTION_OTHER,
			 QUERY_OPTION_UNDETERMINED);
	return 0;
}

/* Asks the rest and sends; 1 when sent. */
static int raise_form(struct ui *u, struct picker *p, struct raise *r)
{
	struct query_new q = { 0 };
	struct folio_err e;
	struct grant *g = NULL;
	size_t n_ind = 0;
	int64_t id = 0;
	int rc;

	for (size_t i = 0; i < p->n; i++)
		if (p->rows[i].on && n_ind < QUERY_INDICATORS_MAX)
			r->ind[n_ind++] = p->rows[i].text;
	ui_form_open(u, &r->fm, "Raise a query", "Cite, do not lead; never mention payment.  Esc cancels.");
	if (r->fm.n < UI_FORM_LINES)
		snprintf(r->fm.line[r->fm.n++], sizeof r->fm.line[0], "%zu indicator%s picked", n_ind,
			 n_ind == 1 ? "" : "s");
	rc = ask_format(u, r, &q.format);
	if (rc == 0 && q.format == QUERY_YESNO)
		rc = ask_why(u, r);
	if (rc == 0 && ask(u, r, "Question", "What you ask the physician, in a neutral way.", NULL, r->question,
			   sizeof r->question) != UI_OK)
		rc = -1;
	if (rc == 0 && q.format == QUERY_CHOICE)
		rc = ask_options(u, r);
	if (rc == 0 && (ask(u, r, "To physician", "The physician's user name.", p->enc->attending[0] ?
			    p->enc->attending : NULL, r->to, sizeof r->to) != UI_OK ||
			ask(u, r, "Due", "When the answer is due: T+2, 2026-12-01.", p->due, r->due, sizeof r->due) !=
			    UI_OK ||
			ask(u, r, "Escalate on", "When an unanswered query goes to the supervisor.", p->esc, r->esc,
			    sizeof r->esc) != UI_OK))
		rc = -1;
	if (rc == 0 && !ui_confirm(u, "Send the query?", 1))
		rc = -1;
	ui_form_close(u, &r->fm);
	if (rc != 0) {
		ui_msg(u, 0, "Not sent.");
		return 0;
	}
	for (size_t i = 0; i < r->n_options; i++)
		r->opt[i] = r->options[i];
	q.encounter_id = p->enc->id;
	q.to = r->to;
	q.yesno_case = r->why[0] ? r->why : NULL;
	q.question = r->question;
	q.indicators = r->ind;
	q.n_indicators = n_ind;
	q.options = r->opt;
	q.n_options = q.format == QUERY_CHOICE ? r->n_options : 0;
	q.due = r->due;
	q.escalate = r->esc;
	err_clear(&e);
	rc = access_begin(u->s, ACT_QUERY_SEND, p->mrn, "query", NULL, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, query_create(g, &q, &id, &e), &e);
	if (rc != FOLIO_OK) {
		ui_msg(u, 1, "Not sent: %s", e.msg);
		return 0;
	}
	ui_msg(u, 0, "Query %" PRId64 " sent to %s.", id, r->to);
	return 1;
}

void ui_query_raise(struct ui *u, const char *mrn, const struct encounter_info *enc)
{
	struct picker p;
	struct raise *r = NULL;
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	if (!ui_may(u, ACT_QUERY_SEND))
		return;
	memset(&p, 0, sizeof p);
	p.mrn = mrn;
	p.enc = enc;
	if (!(p.rows = smem_alloc(PICK_MAX * sizeof *p.rows)) || !(r = smem_alloc(sizeof *r))) {
		smem_free(p.rows);
		ui_msg(u, 1, "Out of secure memory.");
		return;
	}
	err_clear(&e);
	rc = access_begin(u->s, ACT_CHART_VIEW, mrn, "query", "indicators", &g, &e);
	if (rc == FOLIO_OK) {
		rc = query_indicator_lines(g, enc->id, pick_keep, &p, &e);
		if (rc == FOLIO_OK)
			rc = query_default_dates(g, p.due, p.esc, &e);
		rc = ui_grant_end(g, rc, &e);
	}
	p.list.n = (int)p.n;
	if (rc != FOLIO_OK)
		ui_msg(u, 1, "Cannot read the chart: %s", e.msg);
	else if (pick_run(u, &p) == UI_OK)
		raise_form(u, &p, r);
	smem_free(r);
	smem_free(p.rows);
}

/* ---- the coder's list ----------------------------------------------------------- */

struct qlist {
	struct query_info *rows;
	size_t n;
	int filter;              /* 0 pending, 1 answered, 2 overdue, 3 all */
	int mine;
	struct ui_list list;
};

static const char *const filter_names[] = { "pending", "answered", "overdue", "all" };

static const char qlist_help[] =
	"Physician queries, oldest first.  A pending query is open or escalated\n"
	"(past its escalation date: the supervisor follows it up).\n"
	"  Enter  read the query and its answer\n"
	"  C      close an answered query once you have reviewed the answer\n"
	"  W      withdraw an unanswered query (a reason is asked)\n"
	"  F      which queries: pending, answered, overdue, all\n"
	"  M      only the queries you raised, or everyone's\n"
	"  F5     read the list again\n"
	"A query is raised from a patient's encounters screen (U).\n"
	"Esc or ^ goes back.";

int ui_query_list_key(struct ui *u, struct ui_list *l, int k, int top, const char *title, const char *help)
{
	if (ui_list_key(l, k, ui_body_end() - top + 1))
		return 1;
	if (ui_key_is_help(k))
		ui_popup(u, title, help);
	else if (k == 'q' || k == 'Q')
		ui_end(u, UI_END_QUIT);
	else
		return 0;
	return 1;
}

static int qlist_keep(const struct query_info *q, void *ctx)
{
	struct qlist *l = ctx;

	if (l->n >= QLIST_MAX)
		return 1;
	l->rows[l->n++] = *q;
	return 0;
}

static void qlist_load(struct ui *u, struct qlist *l)
{
	struct query_filter f = { 0 };
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	l->n = 0;
	f.status = l->filter == 0 ? "pending" : l->filter == 1 ? "answered" : NULL;
	f.overdue = l->filter == 2;
	f.from = l->mine ? session_user(u->s) : NULL;
	err_clear(&e);
	rc = access_begin(u->s, ACT_QUERY_SEND, NULL, "query", "list", &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, query_list(g, &f, qlist_keep, l, &e), &e);
	if (rc != FOLIO_OK)
		ui_msg(u, 1, "Cannot list the queries: %s", e.msg);
	l->list.n = (int)l->n;
	if (l->list.sel >= l->list.n)
		l->list.sel = l->list.n ? l->list.n - 1 : 0;
}

static void query_line(const struct query_info *q, char *out, size_t cap)
{
	char late[16] = "";

	if (q->days_overdue)
		snprintf(late, sizeof late, " %dd late", q->days_overdue);
	snprintf(out, cap, "%-5" PRId64 " %-8s %-5" PRId64 " %-15s %-9s %-10.10s %-10.10s %s%s", q->id, q->mrn,
		 q->encounter_id, query_format_name(q->format), q->status, q->to, q->from, q->due, late);
}

static void qlist_draw(struct ui *u, void *ctx)
{
	struct qlist *l = ctx;
	int page = ui_body_end() - QLIST_TOP + 1;
	char line[160];

	ui_frame(u, "Physician queries", "Enter read  C close  W withdraw  F filter  M mine  ? help");
	snprintf(line, sizeof line, "%zu %s quer%s%s", l->n, filter_names[l->filter], l->n == 1 ? "y" : "ies",
		 l->mine ? " you raised" : "");
	ui_put(2, 0, COLS, line, ui_attr(u, UI_A_TITLE));
	ui_put(4, 0, COLS, "   #  Query MRN      Enc   Format          Status    To         From       Due",
	       ui_attr(u, UI_A_HEADER));
	if (!l->n)
		ui_put(QLIST_TOP, 2, COLS - 2, "No queries.", ui_attr(u, UI_A_DIM));
	ui_list_fit(&l->list, page);
	for (int i = l->list.top; i < l->list.n && i < l->list.top + page; i++) {
		char num[16];
		snprintf(num, sizeof num, "%3d ", i + 1);
		query_line(&l->rows[i], line, sizeof line);
		ui_put(QLIST_TOP + i - l->list.top, 0, 4, num, 0);
		ui_put(QLIST_TOP + i - l->list.top, 5, COLS - 5, line, i == l->list.sel ? ui_attr(u, UI_A_SELECT) : 0);
	}
}

static void qlist_change(struct ui *u, const struct query_info *q, int op)
{
	struct folio_err e;
	struct grant *g = NULL;
	char why[256] = "", oid[24], prompt[64];
	int rc;

	if (op == 'C' && strcmp(q->status, "answered") != 0) {
		ui_msg(u, 1, "Query %" PRId64 " is %s: a query is closed once answered.", q->id, q->status);
		return;
	}
	if (op == 'W' && strcmp(q->status, "open") != 0 && strcmp(q->status, "escalated") != 0) {
		ui_msg(u, 1, "Query %" PRId64 " is %s: only an unanswered query is withdrawn.", q->id, q->status);
		return;
	}
	if (ui_patient_gate(u, q->mrn, NULL, 0) != UI_OK)
		return;
	snprintf(prompt, sizeof prompt, "Close query %" PRId64 "?", q->id);
	if (op == 'C' && !ui_confirm(u, prompt, 1))
		return;
	if (op == 'W' && (ui_ask(u, "Why withdraw it", "Kept encrypted with the query.", NULL, why, sizeof why) !=
			  UI_OK || !why[0]))
		return;
	snprintf(oid, sizeof oid, "%" PRId64, q->id);
	err_clear(&e);
	rc = access_begin(u->s, ACT_QUERY_SEND, q->mrn, "query", oid, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, op == 'C' ? query_close(g, q->id, &e) : query_withdraw(g, q->id, why, &e), &e);
	smem_wipe(why, sizeof why);
	if (rc == FOLIO_OK)
		ui_msg(u, 0, "Query %" PRId64 " %s.", q->id, op == 'C' ? "closed" : "withdrawn");
	else
		ui_msg(u, 1, "Not done: %s", e.msg);
}

void ui_queries_run(struct ui *u)
{
	struct qlist l;
	struct ui_view v;

	if (!ui_may(u, ACT_QUERY_SEND))
		return;
	memset(&l, 0, sizeof l);
	if (!(l.rows = calloc(QLIST_MAX, sizeof *l.rows))) {
		ui_msg(u, 1, "Out of memory.");
		return;
	}
	qlist_load(u, &l);
	ui_view_push(u, &v, qlist_draw, &l, 1);
	ui_redraw(u);
	for (;;) {
		int k = ui_getkey(u), reload = 1;
		const struct query_info *q = l.n ? &l.rows[l.list.sel] : NULL;

		if (ui_key_is_back(k) || k == '^')
			break;
		if (ui_query_list_key(u, &l.list, k, QLIST_TOP, "Physician queries", qlist_help)) {
			reload = 0;
		} else if (q && ui_key_is_enter(k)) {
			query_view(u, q->mrn, q->id);
			reload = 0;
		} else if (q && (k == 'c' || k == 'C' || k == 'w' || k == 'W')) {
			qlist_change(u, q, k & ~0x20);
		} else if (k == 'f' || k == 'F') {
			l.filter = (l.filter + 1) % 4;
			l.list.sel = l.list.top = 0;
		} else if (k == 'm' || k == 'M') {
			l.mine = !l.mine;
			l.list.sel = l.list.top = 0;
		} else if (k != UI_FKEY(KEY_F(5))) {
			reload = 0;
		}
		if (reload && !u->ending)
			qlist_load(u, &l);
		ui_redraw(u);
	}
	ui_view_pop(u, &v);
	free(l.rows);
}
