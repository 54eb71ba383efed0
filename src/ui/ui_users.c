/* folio — the user accounts screen: list, add, lock, unlock, reset. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folio/account.h"
#include "folio/smem.h"
#include "ui_internal.h"

#define USERS_TOP 3

static const char users_help[] =
	"Every user account, in name order. Move with the arrows or type a\n"
	"row number; the action keys act on the highlighted user:\n"
	"  A  add a user            L  lock the account\n"
	"  U  unlock the account    R  set a new password\n"
	"  Enter  details           F5  read the list again\n"
	"Actions in parentheses are not open to your role.\n"
	"Esc or ^ goes back to the menu; q signs out and leaves folio.";

struct users {
	struct account_info *a;
	int cap;
	struct ui_list list;
};

static int users_add_row(const struct account_info *ai, void *ctx)
{
	struct users *us = ctx;

	if (us->list.n == us->cap) {
		int cap = us->cap ? us->cap * 2 : 16;
		struct account_info *a = realloc(us->a, (size_t)cap * sizeof *a);

		if (!a)
			return -1;
		us->a = a;
		us->cap = cap;
	}
	us->a[us->list.n++] = *ai;
	return 0;
}

static void users_load(struct ui *u, struct users *us)
{
	char keep[ACCOUNT_NAME_MAX + 1] = "";
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	if (us->list.n > 0)
		str_copy(keep, sizeof keep, us->a[us->list.sel].name);
	us->list.n = 0;
	err_clear(&e);
	rc = access_begin(u->s, ACT_USER_LIST, NULL, NULL, NULL, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, account_list(g, users_add_row, us, &e), &e);
	if (rc != FOLIO_OK)
		ui_msg(u, 1, "Cannot list users: %s", e.msg);
	for (int i = 0; i < us->list.n; i++)
		if (!strcmp(us->a[i].name, keep))
			us->list.sel = i;
}

static void user_status(const struct account_info *a, char *buf, size_t cap)
{
	char when[32];

	if (a->admin_locked) {
		snprintf(buf, cap, "locked by admin");
	} else if (a->locked_until > time_now()) {
		time_format_utc(a->locked_until, when, sizeof when);
		snprintf(buf, cap, "locked to %.11s", when + 11);
	} else if (a->failed_logins > 0) {
		snprintf(buf, cap, "active, %d failed", a->failed_logins);
	} else {
		snprintf(buf, cap, "active");
	}
}

/* "2026-11-24T09:12:33Z" -> "2026-11-24 09:12" */
static void when_short(const char *at, char out[20])
{
	if (!at[0]) {
		str_copy(out, 20, "never");
		return;
	}
	snprintf(out, 20, "%.16s", at);
	if (out[10] == 'T')
		out[10] = ' ';
}

static int users_page(void)
{
	return ui_body_end() - USERS_TOP + 1;
}

static void action_bar(struct ui *u, int row, const char *const *labels, const enum action *acts,
		       size_t n)
{
	char bar[256];
	size_t off = 0;

	bar[0] = '\0';
	for (size_t i = 0; i < n && off < sizeof bar; i++)
		off += (size_t)snprintf(bar + off, sizeof bar - off, access_may(u->s, acts[i]) ?
					"%s  " : "(%s)  ", labels[i]);
	ui_put(row, 1, COLS - 2, bar, A_NORMAL);
}

static void users_draw(struct ui *u, void *ctx)
{
	static const char *const labels[] = { "A Add", "L Lock", "U Unlock", "R Reset password" };
	static const enum action acts[] = { ACT_USER_ADD, ACT_USER_LOCK, ACT_USER_UNLOCK,
					    ACT_USER_RESET };
	struct users *us = ctx;
	char line[160], st[40], when[20];
	int page = users_page();

	ui_list_fit(&us->list, page);
	ui_frame(u, "Users", NULL);
	snprintf(line, sizeof line, "%3s  %-16s %-18s %-18s %s", "#", "User name", "Role", "Status",
		 "Last sign-in");
	ui_put(USERS_TOP - 1, 1, COLS - 2, line, ui_attr(u, UI_A_TITLE));
	for (int i = us->list.top; i < us->list.n && i < us->list.top + page; i++) {
		const struct account_info *a = &us->a[i];

		user_status(a, st, sizeof st);
		when_short(a->last_login, when);
		snprintf(line, sizeof line, "%3d  %-16.16s %-18.18s %-18.18s %s", i + 1, a->name,
			 role_title(a->role), st, when);
		ui_put(USERS_TOP + i - us->list.top, 1, COLS - 2, line,
		       i == us->list.sel ? ui_attr(u, UI_A_SELECT) : (int)A_NORMAL);
	}
	if (us->list.n == 0)
		ui_put(USERS_TOP, 2, COLS - 4, "No users to show.", A_NORMAL);
	action_bar(u, ui_action_row(), labels, acts, ARRAY_SIZE(labels));
}

static void users_details(struct ui *u, const struct account_info *a)
{
	char text[512], st[40];

	user_status(a, st, sizeof st);
	snprintf(text, sizeof text,
		 "User name:     %s\nRole:          %s (%s)\nStatus:        %s\n"
		 "Failed tries:  %d\nLast sign-in:  %s\nFrom:          %s\nCreated:       %s",
		 a->name, role_title(a->role), role_name(a->role), st, a->failed_logins,
		 a->last_login[0] ? a->last_login : "never", a->last_from[0] ? a->last_from : "-",
		 a->created);
	ui_popup(u, "User details", text);
}

static int users_lock(struct ui *u, const struct account_info *a, int lock)
{
	enum action act = lock ? ACT_USER_LOCK : ACT_USER_UNLOCK;
	struct folio_err e;
	struct grant *g = NULL;
	char q[96];
	int rc;

	if (!ui_may(u, act))
		return 0;
	if (lock && !strcmp(a->name, session_user(u->s))) {
		ui_msg(u, 1, "You cannot lock your own account.");
		return 0;
	}
	snprintf(q, sizeof q, "%s user %s?", lock ? "Lock" : "Unlock", a->name);
	if (!ui_confirm(u, q, 0))
		return 0;
	err_clear(&e);
	rc = access_begin(u->s, act, NULL, "user", a->name, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, lock ? account_lock(g, a->name, &e) : account_unlock(g, a->name, &e),
				  &e);
	if (rc == FOLIO_OK)
		ui_msg(u, 0, "User %s %s.", a->name, lock ? "locked" : "unlocked");
	else
		ui_msg(u, 1, "Not done: %s", e.msg);
	return 1;
}

static int users_reset(struct ui *u, const struct account_info *a)
{
	char name[ACCOUNT_NAME_MAX + 1], title[80];
	struct ui_form fm;
	struct folio_err e;
	struct grant *g = NULL;
	char *pw;
	size_t len = 0;
	int rc, done = 0;

	if (!ui_may(u, ACT_USER_RESET))
		return 0;
	if (!strcmp(a->name, session_user(u->s))) {
		ui_msg(u, 1, "For your own password use \"Change my password\" on the menu.");
		return 0;
	}
	pw = smem_alloc(UI_PW_MAX);
	if (!pw)
		return 0;
	str_copy(name, sizeof name, a->name);
	snprintf(title, sizeof title, "Reset password: %s", name);
	ui_form_open(u, &fm, title, "The user signs in with this password and should change it.");
	if (ui_account_new_password(u, &fm, name, pw, UI_PW_MAX, &len) == UI_OK) {
		done = 1;
		err_clear(&e);
		rc = access_begin(u->s, ACT_USER_RESET, NULL, "user", name, &g, &e);
		if (rc == FOLIO_OK)
			rc = ui_grant_end(g, account_reset_password(g, name, pw, len, &e), &e);
		if (rc == FOLIO_OK)
			ui_msg(u, 0, "New password set for %s.", name);
		else
			ui_msg(u, 1, "Not done: %s", e.msg);
	}
	smem_free(pw);
	ui_form_close(u, &fm);
	return done;
}

static int ask_name(struct ui *u, struct ui_form *fm, char *name, size_t cap)
{
	for (;;) {
		struct ui_field f = { 0 };
		struct folio_err e;
		int r;

		f.label = "User name";
		f.help = "1 to 32 characters: a-z, 0-9, '.', '_' or '-', starting with a letter.";
		f.buf = name;
		f.cap = cap;
		memset(name, 0, cap);
		r = ui_form_field(u, fm, &f);
		if (r != UI_OK)
			return r;
		err_clear(&e);
		if (account_name_valid(name, &e) == FOLIO_OK)
			return UI_OK;
		ui_msg(u, 1, "%s", e.msg[0] ? e.msg : "not a valid user name");
		ui_form_drop(fm, 1);
	}
}

static int ask_role(struct ui *u, struct ui_form *fm, enum role *out)
{
	char help[512], ans[32];
	size_t off = (size_t)snprintf(help, sizeof help, "Type the number or the name:");

	for (int r = 0; r < ROLE_COUNT && off < sizeof help; r++)
		off += (size_t)snprintf(help + off, sizeof help - off, "\n  %d  %-12s %s", r + 1,
					role_name((enum role)r), role_title((enum role)r));
	for (;;) {
		struct ui_field f = { 0 };
		int r, n;

		f.label = "Role";
		f.help = help;
		f.buf = ans;
		f.cap = sizeof ans;
		memset(ans, 0, sizeof ans);
		r = ui_form_field(u, fm, &f);
		if (r != UI_OK)
			return r;
		n = (ans[0] >= '1' && ans[0] <= '9' && !ans[1]) ? ans[0] - '1' : role_parse(ans);
		if (n >= 0 && n < ROLE_COUNT) {
			*out = (enum role)n;
			snprintf(fm->line[fm->n - 1], sizeof fm->line[0], "Role: %s", role_title(*out));
			return UI_OK;
		}
		ui_msg(u, 1, "No such role; type ? for the list.");
		ui_form_drop(fm, 1);
	}
}

static int users_add(struct ui *u)
{
	char name[ACCOUNT_NAME_MAX + 8];
	struct ui_form fm;
	struct folio_err e;
	struct grant *g = NULL;
	enum role role = ROLE_FRONTDESK;
	size_t len = 0;
	int step = 0, r, rc;
	char *pw;

	if (!ui_may(u, ACT_USER_ADD))
		return 0;
	pw = smem_alloc(UI_PW_MAX);
	if (!pw)
		return 0;
	ui_form_open(u, &fm, "Add a user", "Name, role, then the first password twice.");
	/* Esc on a question goes back to the one before it. */
	while (step >= 0 && step < 3) {
		if (step == 0)
			r = ask_name(u, &fm, name, sizeof name);
		else if (step == 1)
			r = ask_role(u, &fm, &role);
		else
			r = ui_account_new_password(u, &fm, name, pw, UI_PW_MAX, &len);
		if (r == UI_ABORT)
			break;
		if (r == UI_BACK)
			ui_form_drop(&fm, 1);
		step += r == UI_OK ? 1 : -1;
	}
	if (step == 3) {
		err_clear(&e);
		rc = access_begin(u->s, ACT_USER_ADD, NULL, "user", name, &g, &e);
		if (rc == FOLIO_OK)
			rc = ui_grant_end(g, account_add(g, name, role, pw, len, &e), &e);
		if (rc == FOLIO_OK)
			ui_msg(u, 0, "User %s added (%s).", name, role_title(role));
		else
			ui_msg(u, 1, "Not added: %s", e.msg);
	}
	smem_free(pw);
	ui_form_close(u, &fm);
	return step == 3;
}

void ui_users_run(struct ui *u)
{
	struct users us;
	struct ui_view v;

	memset(&us, 0, sizeof us);
	users_load(u, &us);
	ui_view_push(u, &v, users_draw, &us, 1);
	ui_redraw(u);
	for (;;) {
		int k = ui_getkey(u), changed = 0;
		const struct account_info *a = us.list.n > 0 ? &us.a[us.list.sel] : NULL;

		if (ui_key_is_back(k) || k == '^')
			break;
		if (k == 'q' || k == 'Q') {
			ui_end(u, UI_END_QUIT);
		} else if (ui_key_is_help(k)) {
			ui_popup(u, "Users", users_help);
		} else if (k == 'a' || k == 'A') {
			changed = users_add(u);
		} else if (a && (k == 'l' || k == 'L' || k == 'u' || k == 'U')) {
			changed = users_lock(u, a, k == 'l' || k == 'L');
		} else if (a && (k == 'r' || k == 'R')) {
			changed = users_reset(u, a);
		} else if (a && ui_key_is_enter(k)) {
			users_details(u, a);
		} else if (k == UI_FKEY(KEY_F(5))) {
			changed = 1;
		} else {
			ui_list_key(&us.list, k, users_page());
		}
		if (changed && !u->ending)
			users_load(u, &us);
		ui_redraw(u);
	}
	ui_view_pop(u, &v);
	free(us.a);
}
