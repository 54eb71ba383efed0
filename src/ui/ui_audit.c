/* folio — the audit log: rows newest first with filters, chain
 * verification, and the chain head. */
#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folio/audit.h"
#include "folio/smem.h"
#include "ui_internal.h"

/* Newest rows read per look; older ones are reached by filtering on dates. */
#define AUDIT_MAX_ROWS 2000
#define AUDIT_TOP 4

static const char audit_help[] =
	"Audit entries, newest first. Up/Down move; PgUp/PgDn or - and +\n"
	"move a page; Home/End go to the newest/oldest; a number picks a row.\n"
	"  F  filter by user, action, MRN and dates\n"
	"  V  verify the hash chain     H  show the chain head\n"
	"  Enter  the whole entry\n"
	"Esc or ^ goes back to the menu; q signs out and leaves folio.";

struct audit_screen {
	/* One fixed block, never realloc'd, so no stray copies of MRNs are left
	 * in freed memory; wiped before it is freed. */
	struct audit_row *rows;
	struct ui_list list;
	int truncated;
	char user[40], action[32], mrn[24], since[11], until[11];
};

static int audit_add_row(const struct audit_row *r, void *ctx)
{
	struct audit_screen *as = ctx;

	if (as->list.n >= AUDIT_MAX_ROWS)
		return 1;
	as->rows[as->list.n++] = *r;
	return 0;
}

static const char *or_null(const char *s)
{
	return s[0] ? s : NULL;
}

static void audit_load(struct ui *u, struct audit_screen *as)
{
	struct audit_filter f;
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	memset(&f, 0, sizeof f);
	f.user = or_null(as->user);
	f.action = or_null(as->action);
	f.mrn = or_null(as->mrn);
	f.since = or_null(as->since);
	f.until = or_null(as->until);
	f.limit = AUDIT_MAX_ROWS;
	as->list.n = 0;
	as->list.sel = as->list.top = 0;
	err_clear(&e);
	rc = access_begin(u->s, ACT_AUDIT_SHOW, NULL, NULL, NULL, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, audit_show(g, &f, audit_add_row, as, &e), &e);
	if (rc != FOLIO_OK)
		ui_msg(u, 1, "Cannot read the audit log: %s", e.msg);
	as->truncated = as->list.n >= AUDIT_MAX_ROWS;
}

static int audit_page(void)
{
	return ui_body_end() - AUDIT_TOP + 1;
}

static void filter_text(const struct audit_screen *as, char *buf, size_t cap)
{
	size_t off = (size_t)snprintf(buf, cap, "Filter:");
	const char *names[] = { "user", "action", "MRN", "since", "until" };
	const char *vals[] = { as->user, as->action, as->mrn, as->since, as->until };
	int any = 0;

	for (size_t i = 0; i < ARRAY_SIZE(vals) && off < cap; i++) {
		if (!vals[i][0])
			continue;
		off += (size_t)snprintf(buf + off, cap - off, " %s=%s", names[i], vals[i]);
		any = 1;
	}
	if (!any && off < cap)
		snprintf(buf + off, cap - off, " none (F sets one)");
}

static void when_short(const char *at, char out[17])
{
	/* "2026-11-24T09:12:33Z" -> "2026-11-24 09:12" */
	str_copy(out, 17, at);
	if (out[10] == 'T')
		out[10] = ' ';
}

static void audit_draw(struct ui *u, void *ctx)
{
	struct audit_screen *as = ctx;
	char line[256], when[17];
	int page = audit_page();

	ui_list_fit(&as->list, page);
	ui_frame(u, "Audit log", NULL);
	filter_text(as, line, sizeof line);
	ui_put(2, 1, COLS - 2, line, A_NORMAL);
	snprintf(line, sizeof line, "%6s %-16s %-10s %-18s %-7s %s", "Seq", "When (UTC)", "User",
		 "Action", "Outcome", "MRN / object");
	ui_put(AUDIT_TOP - 1, 1, COLS - 2, line, ui_attr(u, UI_A_TITLE));
	for (int i = as->list.top; i < as->list.n && i < as->list.top + page; i++) {
		const struct audit_row *r = &as->rows[i];

		when_short(r->at, when);
		snprintf(line, sizeof line, "%6" PRId64 " %-16s %-10.10s %-18.18s %-7.7s %s%s%s",
			 r->seq, when, r->user, r->action, r->outcome, r->mrn,
			 r->mrn[0] && r->object_id[0] ? " " : "", r->object_id);
		ui_put(AUDIT_TOP + i - as->list.top, 1, COLS - 2, line,
		       i == as->list.sel ? ui_attr(u, UI_A_SELECT) : (int)A_NORMAL);
	}
	if (as->list.n == 0)
		ui_put(AUDIT_TOP, 2, COLS - 4, "No entries match.", A_NORMAL);
	ui_put(ui_action_row(), 1, COLS - 2,
	       "F Filter  V Verify chain  H Chain head  Enter details  +/- page", A_NORMAL);
	if (as->list.n > 0) {
		char pos[64];

		snprintf(pos, sizeof pos, "%d of %d%s", as->list.sel + 1, as->list.n,
			 as->truncated ? " (newest)" : "");
		ui_put(2, COLS - 1 - ui_text_width(pos), ui_text_width(pos), pos, ui_attr(u, UI_A_DIM));
	}
}

static void audit_details(struct ui *u, const struct audit_row *r)
{
	char text[1024];

	snprintf(text, sizeof text,
		 "Seq:          %" PRId64 "\nWhen:         %s\nUser:         %s (%s)\n"
		 "Workstation:  %s\nAction:       %s\nOutcome:      %s\nMRN:          %s\n"
		 "Object:       %s %s\nReason:       %.60s\nKey version:  %u",
		 r->seq, r->at, r->user, r->role, r->workstation, r->action, r->outcome,
		 r->mrn[0] ? r->mrn : "-", r->object_type[0] ? r->object_type : "-", r->object_id,
		 r->reason[0] ? r->reason : "-", (unsigned)r->key_version);
	ui_popup(u, "Audit entry", text);
}

/* One filter question: keeps the value on Enter, '@' clears it. */
static int ask_filter(struct ui *u, struct ui_form *fm, const char *label, const char *help,
		      char *val, size_t cap, int is_date)
{
	char cur[40], ans[40], day[11];

	str_copy(cur, sizeof cur, val);
	for (;;) {
		struct ui_field f = { 0 };
		int r;

		memset(ans, 0, sizeof ans);
		f.label = label;
		f.help = help;
		f.def = cur[0] ? cur : NULL;
		f.buf = ans;
		f.cap = cap < sizeof ans ? cap : sizeof ans;
		r = ui_form_field(u, fm, &f);
		if (r != UI_OK)
			return r;
		if (!strcmp(ans, "@")) {
			val[0] = '\0';
			return UI_OK;
		}
		if (!is_date || !ans[0]) {
			str_copy(val, cap, ans);
			return UI_OK;
		}
		if (ui_date_parse(ans, day) == 0) {
			str_copy(val, cap, day);
			snprintf(fm->line[fm->n - 1], sizeof fm->line[0], "%s: %s", label, day);
			return UI_OK;
		}
		ui_msg(u, 1, "Not a date: use YYYY-MM-DD, T (today), T-7 or T-2W.");
		ui_form_drop(fm, 1);
	}
}

static int audit_filter(struct ui *u, struct audit_screen *as)
{
	static const char date_help[] = "YYYY-MM-DD, or T for today, T-1 yesterday, T-2W two weeks "
					"ago.\nEnter keeps the value shown; @ clears it.";
	struct audit_screen next = *as;
	struct ui_form fm;
	int r;

	ui_form_open(u, &fm, "Audit log filter",
		     "Enter keeps the value shown before //, @ clears it, Esc cancels.");
	r = ask_filter(u, &fm, "User", "A user name, exactly. @ clears it.", next.user,
		       sizeof next.user, 0);
	if (r == UI_OK)
		r = ask_filter(u, &fm, "Action",
			       "An action name or its start, e.g. user.add or user. or audit.\n"
			       "@ clears it.",
			       next.action, sizeof next.action, 0);
	if (r == UI_OK)
		r = ask_filter(u, &fm, "MRN", "A medical record number, exactly. @ clears it.",
			       next.mrn, sizeof next.mrn, 0);
	if (r == UI_OK)
		r = ask_filter(u, &fm, "Since", date_help, next.since, sizeof next.since, 1);
	if (r == UI_OK)
		r = ask_filter(u, &fm, "Until", date_help, next.until, sizeof next.until, 1);
	ui_form_close(u, &fm);
	if (r != UI_OK)
		return 0;
	memcpy(as->user, next.user, sizeof as->user);
	memcpy(as->action, next.action, sizeof as->action);
	memcpy(as->mrn, next.mrn, sizeof as->mrn);
	memcpy(as->since, next.since, sizeof as->since);
	memcpy(as->until, next.until, sizeof as->until);
	return 1;
}

void ui_audit_verify(struct ui *u)
{
	struct audit_report rep;
	struct folio_err e;
	struct grant *g = NULL;
	char text[640];
	int rc;

	memset(&rep, 0, sizeof rep);
	err_clear(&e);
	ui_msg(u, 0, "Verifying the audit chain...");
	ui_redraw(u);
	rc = access_begin(u->s, ACT_AUDIT_VERIFY, NULL, NULL, NULL, &g, &e);
	if (rc != FOLIO_OK) {
		ui_msg(u, 1, "Cannot verify: %s", e.msg);
		return;
	}
	rc = ui_grant_end(g, audit_verify(g, NULL, &rep, &e), &e);
	ui_msg_clear(u);
	if (rc == FOLIO_OK)
		snprintf(text, sizeof text,
			 "The audit chain holds.\n\nEntries checked: %" PRId64 "\n"
			 "Head: %" PRId64 ":%s",
			 rep.rows, rep.head_seq, rep.head_hex);
	else if (rep.bad_seq > 0)
		snprintf(text, sizeof text,
			 "The audit chain is BROKEN.\n\nFirst bad entry: %" PRId64 "\n"
			 "Problem: %.60s\nEntries checked: %" PRId64,
			 rep.bad_seq, rep.problem, rep.rows);
	else
		snprintf(text, sizeof text, "The check could not run:\n%.70s", e.msg);
	ui_popup(u, "Verify audit chain", text);
}

void ui_audit_head(struct ui *u)
{
	struct folio_err e;
	struct grant *g = NULL;
	char hex[2 * 32 + 1] = "", text[256];
	int64_t seq = 0;
	int rc;

	err_clear(&e);
	rc = access_begin(u->s, ACT_AUDIT_HEAD, NULL, NULL, NULL, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, audit_head(g, &seq, hex, &e), &e);
	if (rc != FOLIO_OK) {
		ui_msg(u, 1, "Cannot read the chain head: %s", e.msg);
		return;
	}
	snprintf(text, sizeof text,
		 "Seq:  %" PRId64 "\nHash: %s\n\n"
		 "Keep SEQ:HASH somewhere safe: a later verification\n"
		 "can prove the log was not rewritten up to this entry.",
		 seq, hex);
	ui_popup(u, "Audit chain head", text);
}

void ui_audit_run(struct ui *u)
{
	struct audit_screen as;
	struct ui_view v;

	memset(&as, 0, sizeof as);
	as.rows = calloc(AUDIT_MAX_ROWS, sizeof *as.rows);
	if (!as.rows) {
		ui_msg(u, 1, "out of memory");
		return;
	}
	audit_load(u, &as);
	ui_view_push(u, &v, audit_draw, &as, 1);
	ui_redraw(u);
	for (;;) {
		int k = ui_getkey(u);

		if (ui_key_is_back(k) || k == '^')
			break;
		if (k == 'q' || k == 'Q')
			ui_end(u, UI_END_QUIT);
		else if (ui_key_is_help(k))
			ui_popup(u, "Audit log", audit_help);
		else if ((k == 'f' || k == 'F') && audit_filter(u, &as))
			audit_load(u, &as);
		else if ((k == 'v' || k == 'V') && access_may(u->s, ACT_AUDIT_VERIFY))
			ui_audit_verify(u);
		else if ((k == 'h' || k == 'H') && access_may(u->s, ACT_AUDIT_HEAD))
			ui_audit_head(u);
		else if (ui_key_is_enter(k) && as.list.n > 0)
			audit_details(u, &as.rows[as.list.sel]);
		else
			ui_list_key(&as.list, k, audit_page());
		ui_redraw(u);
	}
	ui_view_pop(u, &v);
	smem_wipe(as.rows, AUDIT_MAX_ROWS * sizeof *as.rows);
	free(as.rows);
}
