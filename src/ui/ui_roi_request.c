/* folio — one release-of-information request on screen: who asks, on what
 * authority, for what, by when; below, every document of the chart and the
 * chart's sections to pick from (minimum necessary), then validation, the
 * release as a PDF packet (optionally sealed with a password), deny,
 * withdraw, the one extension and the history (ui_roi_request_run).
 *
 * The packet is staged beside the chosen file inside the release's grant
 * and placed only once the grant committed (dropped otherwise), as `folio
 * roi release` does: the file exists exactly when the ledger has it.  The
 * request, the patient's name and the reasons typed are PHI: the screen's
 * state is one guarded block, wiped when it closes. */
#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "folio/date.h"
#include "folio/outfile.h"
#include "folio/patient.h"
#include "folio/roi.h"
#include "folio/seal.h"
#include "folio/smem.h"
#include "ui_internal.h"

#define RQ_CAND_MAX 300
#define RQ_TEXT_MAX 8192

static const char request_help[] =
	"One request: the heading says who asks, on what authority, for what\n"
	"and by when.  Below are the chart's documents and sections; [x] marks\n"
	"what goes into the packet (only what is needed for the purpose).\n"
	"Flags: not asked (outside what was asked for), sealed (not your key:\n"
	"a supervisor releases it), restricted (psychotherapy or substance use).\n"
	"Up/Down move; a number picks a row.\n"
	"  Space  select or drop the highlighted document or section\n"
	"  V      validate: the problems that stop a release, if any\n"
	"  R      release: write the packet (a PDF, or sealed with a password)\n"
	"         and record the disclosure in the ledger\n"
	"  D      deny (a reason is required)\n"
	"  W      withdraw (the requester's wish; reason optional)\n"
	"  E      extend the due date once by 30 days (a reason is required)\n"
	"  H      the request's history\n"
	"  F5     read it again\n"
	"A released, partial, denied or withdrawn request no longer changes;\n"
	"actions in parentheses do not apply to it or to your role.\n"
	"Esc or ^ goes back; q signs out and leaves folio.";

struct rq {
	char mrn[MRN_MAX];
	int64_t id;
	char idtext[24];
	struct ui_heading h;
	struct roi_request r;
	struct roi_candidate cand[RQ_CAND_MAX];
	int n_cand;
	int sec[RSEC_COUNT];     /* selected sections */
	struct ui_list list;     /* candidates, then the sections */
	int top;                 /* first row of the list */
	char text[RQ_TEXT_MAX];  /* a popup's text: problems, history */
	size_t tlen;
};

/* ---- reading --------------------------------------------------------------- */

/* The newest RQ_CAND_MAX documents are listed. */
static int keep_cand(const struct roi_candidate *c, void *ctx)
{
	struct rq *q = ctx;

	if (q->n_cand >= RQ_CAND_MAX)
		return 1;
	memcpy(&q->cand[q->n_cand], c, sizeof *c);
	return ++q->n_cand == RQ_CAND_MAX;
}

static int keep_item(const struct roi_item *it, void *ctx)
{
	struct rq *q = ctx;

	if (!it->is_document && (int)it->section >= 0 && it->section < RSEC_COUNT)
		q->sec[it->section] = 1;
	return 0;
}

/* Runs fn under one ACT_ROI_PROCESS grant on the request's chart. */
static int rq_call(struct ui *u, struct rq *q, int (*fn)(struct grant *, struct rq *, void *, struct folio_err *),
		   void *ctx, struct folio_err *e)
{
	struct grant *g = NULL;
	int rc;

	err_clear(e);
	rc = access_begin(u->s, ACT_ROI_PROCESS, q->mrn, "roi", q->idtext, &g, e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, fn(g, q, ctx, e), e);
	return rc;
}

static int do_load(struct grant *g, struct rq *q, void *ctx, struct folio_err *e)
{
	int rc;

	(void)ctx;
	q->n_cand = 0;
	memset(q->sec, 0, sizeof q->sec);
	if ((rc = roi_load(g, q->id, &q->r, e)) == FOLIO_OK && (rc = roi_candidates(g, q->id, keep_cand, q, e)) == FOLIO_OK)
		rc = roi_items(g, q->id, keep_item, q, e);
	return rc;
}

/* -1 with a message when the request cannot be read. */
static int rq_load(struct ui *u, struct rq *q)
{
	struct folio_err e;

	if (!q->h.name[0] && ui_chart_heading(u, q->mrn, &q->h, &e) != FOLIO_OK) {
		ui_msg(u, 1, "Cannot open the record: %s", e.msg);
		return -1;
	}
	smem_wipe(q->cand, sizeof q->cand);
	if (rq_call(u, q, do_load, NULL, &e) != FOLIO_OK) {
		ui_msg(u, 1, "Cannot read request %" PRId64 ": %s", q->id, e.msg);
		return -1;
	}
	q->list.n = q->n_cand + RSEC_COUNT;
	if (q->list.sel >= q->list.n)
		q->list.sel = q->list.n - 1;
	return 0;
}

/* ---- drawing ------------------------------------------------------------------ */

/* The heading block from row 2; returns the next free row. */
static int heading_draw(struct ui *u, const struct rq *q)
{
	const struct roi_request *r = &q->r;
	char line[2 * ROI_TEXT_MAX + 200];
	int row = 2;

	snprintf(line, sizeof line, "Request %" PRId64 "   MRN %s   %s   %s%s%s", r->id, r->mrn, q->h.name,
		 q->h.age_sex, q->h.restricted ? "   RESTRICTED" : "", q->h.test ? "   TEST" : "");
	ui_put(row++, 0, COLS, line, ui_attr(u, UI_A_TITLE));
	snprintf(line, sizeof line, "Status: %s   Received %s   Due %s%s%s%s", roi_status_help(r->status), r->received,
		 r->due, r->extended[0] ? " (extended " : "", r->extended, r->extended[0] ? ")" : "");
	if (r->overdue)
		strncat(line, "   OVERDUE", sizeof line - strlen(line) - 1);
	ui_put(row++, 0, COLS, line, r->overdue ? ui_attr(u, UI_A_ERROR) : 0);
	snprintf(line, sizeof line, "Authority: %s   Signed %s   Expires %s", roi_authority_name(r->authority),
		 r->auth_signed[0] ? r->auth_signed : "(not signed)", r->auth_expires[0] ? r->auth_expires : "(none)");
	ui_put(row++, 0, COLS, line, 0);
	snprintf(line, sizeof line, "Asks: %s   Dates of service: %s%s%s%s%s", r->asks,
		 r->asks_from[0] ? r->asks_from : "any", r->asks_to[0] ? " to " : "", r->asks_to,
		 r->names[0] ? "   Names: " : "", r->names);
	ui_put(row++, 0, COLS, line, 0);
	snprintf(line, sizeof line, "Requester: %s%s%s", r->requester, r->organisation[0] ? ", " : "", r->organisation);
	ui_put(row++, 0, COLS, line, 0);
	snprintf(line, sizeof line, "Purpose: %s", r->purpose);
	ui_put(row++, 0, COLS, line, 0);
	if (r->status == RS_RELEASED || r->status == RS_PARTIAL)
		snprintf(line, sizeof line, "Released %s: %d page%s, ledger entry %" PRId64, r->released, r->pages,
			 r->pages == 1 ? "" : "s", r->disclosure_id);
	else if (r->reason[0])
		snprintf(line, sizeof line, "Reason: %s", r->reason);
	else
		line[0] = '\0';
	if (line[0])
		ui_put(row++, 0, COLS, line, ui_attr(u, UI_A_DIM));
	smem_wipe(line, sizeof line);
	return row;
}

static void row_text(const struct rq *q, int i, char *out, size_t cap)
{
	if (i < q->n_cand) {
		const struct roi_candidate *c = &q->cand[i];
		char flags[48];

		snprintf(flags, sizeof flags, "%s%s%s", c->asked ? "" : "not asked ", c->doc.readable ? "" : "sealed ",
			 c->restricted ? "restricted" : "");
		snprintf(out, cap, "%3d [%c] %-6" PRId64 " %-24.24s %-10s %-10.10s %s", i + 1, c->selected ? 'x' : ' ',
			 c->doc.id, doc_type_title(c->doc.type), c->day, c->doc.status, flags);
	} else {
		int s = i - q->n_cand;
		snprintf(out, cap, "%3d [%c] %-6s %-24.24s", i + 1, q->sec[s] ? 'x' : ' ', "",
			 roi_section_title((enum roi_section)s));
	}
}

static int rq_page(const struct rq *q)
{
	int p = ui_body_end() - q->top + 1;
	return p > 1 ? p : 1;
}

static void action_bar(struct ui *u, const struct rq *q)
{
	char bar[160];
	int may = access_may(u->s, ACT_ROI_PROCESS) && !roi_status_final(q->r.status);

	snprintf(bar, sizeof bar, "%s  %s  %s  %s  %s  %s", may ? "Space Pick" : "(Space Pick)",
		 may ? "V Validate" : "(V Validate)", may ? "R Release" : "(R Release)", may ? "D Deny" : "(D Deny)",
		 may ? "W Withdraw" : "(W Withdraw)", may ? "E Extend" : "(E Extend)");
	ui_put(ui_action_row(), 1, COLS - 2, bar, A_NORMAL);
	/* The prompt row, until a prompt takes it. */
	ui_put(ui_prompt_row(), 1, COLS - 2, "H History  F5 Reload  ? Help  Esc Back", ui_attr(u, UI_A_DIM));
}

static void rq_draw(struct ui *u, void *ctx)
{
	struct rq *q = ctx;
	char line[200];
	int page;

	ui_frame(u, "Release of information: request", "? help  Esc back");
	q->top = heading_draw(u, q) + 1;
	page = rq_page(q);
	ui_list_fit(&q->list, page);
	ui_put(q->top - 1, 0, COLS, "  # Sel Doc    Document or section      Service    Status     Flags",
	       ui_attr(u, UI_A_HEADER));
	for (int i = q->list.top; i < q->list.n && i < q->list.top + page; i++) {
		int row = q->top + i - q->list.top, a = i == q->list.sel ? ui_attr(u, UI_A_SELECT) : (int)A_NORMAL;

		if (a != (int)A_NORMAL) {
			attron((attr_t)a);
			mvhline(row, 0, ' ', COLS);
			attroff((attr_t)a);
		}
		row_text(q, i, line, sizeof line);
		ui_put(row, 0, COLS, line, a == (int)A_NORMAL && i >= q->n_cand ? ui_attr(u, UI_A_DIM) : a);
	}
	action_bar(u, q);
}

/* ---- the selection and validation ----------------------------------------------- */

static int do_select(struct grant *g, struct rq *q, void *ctx, struct folio_err *e)
{
	struct roi_item it = { 0 };
	int i = q->list.sel, add;

	(void)ctx;
	if (i < q->n_cand) {
		it.is_document = 1;
		it.document_id = q->cand[i].doc.id;
		add = !q->cand[i].selected;
	} else {
		it.section = (enum roi_section)(i - q->n_cand);
		add = !q->sec[it.section];
	}
	return roi_select(g, q->id, &it, add, e);
}

static void rq_toggle(struct ui *u, struct rq *q)
{
	struct folio_err e;

	if (rq_call(u, q, do_select, NULL, &e) != FOLIO_OK)
		ui_msg(u, 1, "Not changed: %s", e.msg);
	else
		ui_msg_clear(u);
}

static void text_add(struct rq *q, const char *s)
{
	int n = snprintf(q->text + q->tlen, sizeof q->text - q->tlen, "%s\n", s);

	if (n > 0)
		q->tlen += (size_t)n < sizeof q->text - q->tlen ? (size_t)n : sizeof q->text - q->tlen - 1;
}

static int keep_problem(const char *problem, void *ctx)
{
	text_add(ctx, problem);
	return 0;
}

static int do_validate(struct grant *g, struct rq *q, void *ctx, struct folio_err *e)
{
	return roi_validate(g, q->id, keep_problem, q, ctx, e);
}

static void rq_validate(struct ui *u, struct rq *q)
{
	struct folio_err e;
	int problems = 0;

	q->tlen = 0;
	q->text[0] = '\0';
	if (rq_call(u, q, do_validate, &problems, &e) != FOLIO_OK) {
		ui_msg(u, 1, "Not validated: %s", e.msg);
		return;
	}
	if (!problems) {
		ui_msg(u, 0, "Request %" PRId64 ": no problems, ready to release.", q->id);
		ui_popup(u, "Validation", "No problems: ready to release.");
		return;
	}
	ui_msg(u, 1, "Request %" PRId64 ": %d problem%s stop%s the release.", q->id, problems, problems == 1 ? "" : "s",
	       problems == 1 ? "s" : "");
	ui_popup(u, "Validation: problems to resolve", q->text);
}

/* ---- deny, withdraw, extend, history ------------------------------------------------ */

struct change {
	char op;              /* 'D', 'W', 'E' */
	const char *reason;   /* guarded */
};

static int do_change(struct grant *g, struct rq *q, void *ctx, struct folio_err *e)
{
	const struct change *c = ctx;

	if (c->op == 'D')
		return roi_deny(g, q->id, c->reason, e);
	if (c->op == 'E')
		return roi_extend(g, q->id, c->reason, e);
	return roi_withdraw(g, q->id, c->reason[0] ? c->reason : NULL, e);
}

static void rq_change(struct ui *u, struct rq *q, char op)
{
	static const char *const label[] = { "Reason for the denial", "Reason for withdrawing (optional)",
					     "Reason for the extension" };
	static const char *const help[] = {
		"Why the request is denied, e.g. authorization invalid; it is kept\n"
		"encrypted and the requester is told in writing.",
		"Why the requester withdrew it (optional; kept encrypted).",
		"Why more time is needed, e.g. records in off-site storage.  The\n"
		"requester must be told in writing within the first 30 days.",
	};
	static const char *const done[] = { "denied", "withdrawn", "extended" };
	int k = op == 'D' ? 0 : op == 'W' ? 1 : 2;
	char *reason = smem_alloc(ROI_TEXT_MAX + 1);
	struct change c = { op, reason };
	struct folio_err e;

	if (!reason) {
		ui_msg(u, 1, "Out of secure memory.");
		return;
	}
	for (;;) {
		if (ui_ask(u, label[k], help[k], NULL, reason, ROI_TEXT_MAX + 1) != UI_OK)
			goto out;
		if (reason[0] || op == 'W')
			break;
		ui_msg(u, 1, "A reason is required.");
	}
	if (op == 'W' && !ui_confirm(u, "Withdraw the request?", 0))
		goto out;
	if (rq_call(u, q, do_change, &c, &e) != FOLIO_OK)
		ui_msg(u, 1, "Not %s: %s", done[k], e.msg);
	else
		ui_msg(u, 0, "Request %" PRId64 " %s.", q->id, done[k]);
out:
	smem_free(reason);
}

static int keep_event(const struct roi_event *ev, void *ctx)
{
	struct rq *q = ctx;
	char when[17] = "", line[256];

	datetime_local(ev->at, when);
	snprintf(line, sizeof line, "%-16s %-10s %-10s %-10s %s", when, ev->by, ev->step, ev->status, ev->detail);
	text_add(q, line);
	smem_wipe(line, sizeof line);
	return 0;
}

static int do_events(struct grant *g, struct rq *q, void *ctx, struct folio_err *e)
{
	(void)ctx;
	return roi_events(g, q->id, keep_event, q, e);
}

static void rq_history(struct ui *u, struct rq *q)
{
	struct folio_err e;

	q->tlen = 0;
	q->text[0] = '\0';
	text_add(q, "When             By         Step       Status     Detail");
	if (rq_call(u, q, do_events, NULL, &e) != FOLIO_OK)
		ui_msg(u, 1, "Cannot read the history: %s", e.msg);
	else
		ui_popup(u, "Request history", q->text);
	smem_wipe(q->text, sizeof q->text);
}

/* ---- the release --------------------------------------------------------------------- */

struct release {
	char path[1024];
	char *password;       /* guarded; NULL: a plain PDF */
	int force;
	char *staged;
	struct roi_release rel;
};

/* The packet's password, asked twice on the prompt line into r->password;
 * 0, or -1 when the user backed out. */
static int ask_password(struct ui *u, struct release *r)
{
	char *again = smem_alloc(UI_PW_MAX);
	struct ui_field f = { .help = "The recipient opens the packet with `folio unseal` and this password:\n"
				      "tell it to them another way than the packet.",
			      .cap = UI_PW_MAX, .secret = 1, .row = -3, .col = 1 };
	int rc = -1;

	if (!again || !(r->password = smem_alloc(UI_PW_MAX))) {
		smem_free(again);
		ui_msg(u, 1, "Out of secure memory.");
		return -1;
	}
	for (;;) {
		smem_wipe(r->password, UI_PW_MAX);
		smem_wipe(again, UI_PW_MAX);
		f.label = "Password for the packet";
		f.buf = r->password;
		if (ui_field_run(u, &f) != UI_OK)
			break;
		if (strlen(r->password) < SEAL_PASSWORD_MIN) {
			ui_msg(u, 1, "A packet's password has at least %d characters.", SEAL_PASSWORD_MIN);
			continue;
		}
		f.label = "The same password again";
		f.buf = again;
		if (ui_field_run(u, &f) != UI_OK)
			break;
		if (strlen(again) == strlen(r->password) && !smem_equal(again, r->password, strlen(again))) {
			rc = 0;
			break;
		}
		ui_msg(u, 1, "The two passwords differ: type them again.");
	}
	smem_free(again);
	return rc;
}

static int do_release(struct grant *g, struct rq *q, void *ctx, struct folio_err *e)
{
	struct release *r = ctx;

	return roi_release_stage(g, q->id, r->path, r->password, &r->rel, &r->staged, e);
}

/* The file, a password when sealed, the release; the packet placed only
 * when the release committed.  The password alone is secret (guarded). */
static void rq_release(struct ui *u, struct rq *q)
{
	static const char path_help[] = "Where the packet is written: a file name (in the directory folio was\n"
					"started in) or a path.  It is readable by you only.";
	struct release r = { .force = 0 };
	struct folio_err e;
	char def[40], ask[sizeof r.path + 40];
	int rc;

	snprintf(def, sizeof def, "roi-%" PRId64 ".pdf", q->id);
	if (!ui_may(u, ACT_ROI_PROCESS) || ui_ask(u, "Write the packet to", path_help, def, r.path, sizeof r.path) != UI_OK ||
	    !r.path[0])
		return;
	snprintf(ask, sizeof ask, "%s exists: replace it?", r.path);
	if (access(r.path, F_OK) == 0 && !(r.force = ui_confirm(u, ask, 0)))
		return;
	if (ui_confirm(u, "Seal it with a password for electronic delivery?", 0) && ask_password(u, &r) != 0)
		goto out;
	rc = rq_call(u, q, do_release, &r, &e);
	if (rc == FOLIO_OK && r.staged) {
		if (outfile_place(r.staged, r.path, r.force, &e) == FOLIO_OK)
			ui_msg(u, 0, "Released: %d page%s, ledger entry %" PRId64 " \xe2\x80\x94 %s%s", r.rel.pages,
			       r.rel.pages == 1 ? "" : "s", r.rel.disclosure_id, r.path, r.rel.partial ? " (partial)" : "");
		else  /* the ledger has the release: say so rather than lose it */
			ui_msg(u, 1, "%s; request %" PRId64 " is recorded as released (ledger entry %" PRId64
				     ") but its packet could not be placed", e.msg, q->id, r.rel.disclosure_id);
	} else {
		if (r.staged)
			outfile_drop(r.staged);
		ui_msg(u, 1, "Not released: %s", rc != FOLIO_OK ? e.msg : "no packet was made");
	}
	free(r.staged);
	roi_release_free(&r.rel);
out:
	smem_free(r.password);
}

/* ---- the screen ------------------------------------------------------------------------- */

/* A closed request is not asked a file or a reason for nothing (the core
 * refuses the change all the same). */
static int rq_open(struct ui *u, const struct rq *q)
{
	if (!roi_status_final(q->r.status))
		return 1;
	ui_msg(u, 1, "Request %" PRId64 " is %s: it no longer changes.", q->id, roi_status_name(q->r.status));
	return 0;
}

/* One key; 1 when the request is to be read again. */
static int rq_key(struct ui *u, struct rq *q, int k)
{
	if (k > 0 && k < 128 && strchr("rRdDwWeE", k) && !rq_open(u, q))
		return 0;
	switch (k) {
	case ' ': rq_toggle(u, q); return 1;
	case 'v': case 'V': rq_validate(u, q); return 1;
	case 'r': case 'R': rq_release(u, q); return 1;
	case 'd': case 'D': case 'w': case 'W': case 'e': case 'E':
		rq_change(u, q, (char)(k & ~0x20));
		return 1;
	case 'h': case 'H': rq_history(u, q); return 0;
	case 'q': case 'Q': ui_end(u, UI_END_QUIT); return 0;
	case UI_FKEY(KEY_F(5)): return 1;
	}
	if (ui_key_is_help(k))
		ui_popup(u, "Release of information: request", request_help);
	else
		ui_list_key(&q->list, k, rq_page(q));
	return 0;
}

void ui_roi_request_run(struct ui *u, const char *mrn, int64_t id)
{
	struct rq *q = smem_alloc(sizeof *q);
	struct ui_view v;
	char prev[MRN_MAX] = "";
	int k;

	if (q) {
		str_copy(q->mrn, sizeof q->mrn, mrn);
		q->id = id;
		snprintf(q->idtext, sizeof q->idtext, "%" PRId64, id);
	} else {
		ui_msg(u, 1, "Out of secure memory.");
	}
	if (!q || rq_load(u, q) != 0) {
		smem_free(q);
		return;
	}
	/* The patient is in context while the request shows. */
	str_copy(prev, sizeof prev, session_patient(u->s) ? session_patient(u->s) : "");
	session_set_patient(u->s, q->mrn);
	ui_view_push(u, &v, rq_draw, q, 1);
	ui_redraw(u);
	while (!ui_key_is_back(k = ui_getkey(u)) && k != '^') {
		if (rq_key(u, q, k) && !u->ending && rq_load(u, q) != 0)
			break;
		ui_redraw(u);
	}
	ui_view_pop(u, &v);
	session_set_patient(u->s, prev);
	smem_free(q);
	ui_redraw(u);
}
