/* folio — the sign-in screen. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "folio/account.h"
#include "folio/smem.h"
#include "ui_internal.h"

#define LOGIN_ROW 9

static const char user_help[] =
	"Your user name, as the security officer gave it to you\n"
	"(lower-case letters, digits, '.', '_' or '-').\n"
	"Esc or ^ on an empty field leaves folio.";
static const char pw_help[] =
	"Your password. Wrong passwords count: after several in a row\n"
	"the account locks for a while, or until a security officer\n"
	"unlocks it. Esc goes back to the user name.";

struct login {
	char user[ACCOUNT_NAME_MAX + 8];
	char last[ACCOUNT_NAME_MAX + 8];
	int asking_pw;
};

static void login_draw(struct ui *u, void *ctx)
{
	struct login *l = ctx;
	char line[160];
	const char *path = u->db_path;
	int pw = COLS - 16;

	ui_frame(u, "sign in", "? help  Esc leave");
	ui_put(3, (COLS - 5) / 2, 5, "folio", ui_attr(u, UI_A_TITLE));
	ui_put(4, (COLS - 15) / 2, 15, "medical records", ui_attr(u, UI_A_DIM));
	/* A long path keeps its end, where the file name is. */
	while (ui_text_width(path) > pw && *path)
		path++;
	snprintf(line, sizeof line, "Database: %s%s", path != u->db_path ? "..." : "", path);
	ui_put(6, 4, COLS - 8, line, A_NORMAL);
	if (l->asking_pw) {
		snprintf(line, sizeof line, "User name: %s", l->user);
		ui_put(LOGIN_ROW, 4, COLS - 8, line, A_BOLD);
	}
}

/* Asks for the password and tries it: 1 signed in, 0 try again, -1 leave. */
static int login_try(struct ui *u, struct login *l, char *pw)
{
	struct ui_field f = { 0 };
	struct folio_err e;
	struct session *s = NULL;
	int r, rc;

	f.label = "Password";
	f.help = pw_help;
	f.buf = pw;
	f.cap = UI_PW_MAX;
	f.secret = 1;
	f.row = LOGIN_ROW + 1;
	f.col = 4;
	l->asking_pw = 1;
	ui_field_clear(&f);
	do {
		r = ui_field_run(u, &f);
		if (r == UI_OK && f.len == 0)
			ui_msg(u, 1, "Type your password (Esc goes back to the user name).");
	} while (r == UI_OK && f.len == 0);
	l->asking_pw = 0;
	if (r != UI_OK) {
		ui_field_clear(&f);
		return r == UI_ABORT ? -1 : 0;
	}
	ui_msg(u, 0, "Signing in...");
	ui_redraw(u);
	err_clear(&e);
	rc = access_login(u->st, l->user, pw, f.len, &s, &e);
	ui_field_clear(&f);
	if (rc != FOLIO_OK) {
		ui_msg(u, 1, "%s", e.msg[0] ? e.msg : "sign-in refused");
		return 0;
	}
	ui_msg_clear(u);
	u->s = s;
	return 1;
}

int ui_login_run(struct ui *u)
{
	struct login l;
	struct ui_view v;
	char *pw = smem_alloc(UI_PW_MAX);
	int done = 0;

	if (!pw) {
		ui_msg(u, 1, "out of memory");
		return -1;
	}
	memset(&l, 0, sizeof l);
	ui_view_push(u, &v, login_draw, &l, 1);
	while (!done) {
		struct ui_field f = { 0 };
		int r;

		f.label = "User name";
		f.help = user_help;
		f.def = l.last[0] ? l.last : NULL;
		f.buf = l.user;
		f.cap = sizeof l.user;
		f.row = LOGIN_ROW;
		f.col = 4;
		memset(l.user, 0, sizeof l.user);
		r = ui_field_run(u, &f);
		if (r != UI_OK) {
			done = -1;
			break;
		}
		if (!l.user[0])
			continue;
		str_copy(l.last, sizeof l.last, l.user);
		done = login_try(u, &l, pw);
	}
	ui_view_pop(u, &v);
	smem_free(pw);
	return done == 1 ? 0 : -1;
}
