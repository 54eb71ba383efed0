/* folio — the signed-in user's own account: password change, sign-out. */
#include <string.h>

#include "folio/smem.h"
#include "folio/account.h"
#include "ui_internal.h"

static const char new_help[] =
	"At least 12 characters, and not your user name.\n"
	"A phrase of several words is easier to type and harder to guess.";
static const char again_help[] = "The same password once more, to catch typing mistakes.";
static const char old_help[] = "The password you signed in with today.";

int ui_account_new_password(struct ui *u, struct ui_form *fm, const char *user, char *pw,
			    size_t cap, size_t *len)
{
	char *again = smem_alloc(cap);
	int r = UI_ABORT;

	if (!again)
		return UI_ABORT;
	for (;;) {
		struct ui_field f1 = { 0 }, f2 = { 0 };
		struct folio_err e;

		f1.label = "New password";
		f1.help = new_help;
		f1.buf = pw;
		f1.cap = cap;
		f1.secret = 1;
		smem_wipe(pw, cap);
		r = ui_form_field(u, fm, &f1);
		if (r != UI_OK)
			break;
		err_clear(&e);
		if (access_password_acceptable(user, pw, f1.len, &e) != FOLIO_OK) {
			ui_msg(u, 1, "%s", e.msg);
			ui_form_drop(fm, 1);
			continue;
		}
		f2.label = "New password again";
		f2.help = again_help;
		f2.buf = again;
		f2.cap = cap;
		f2.secret = 1;
		smem_wipe(again, cap);
		r = ui_form_field(u, fm, &f2);
		if (r == UI_ABORT)
			break;
		if (r == UI_BACK) {
			ui_form_drop(fm, 1);
			continue;
		}
		if (f1.len != f2.len || smem_equal(pw, again, f1.len) != 0) {
			ui_msg(u, 1, "The two passwords differ; type them again.");
			ui_form_drop(fm, 2);
			continue;
		}
		*len = f1.len;
		r = UI_OK;
		break;
	}
	smem_free(again);
	if (r != UI_OK)
		smem_wipe(pw, cap);
	return r;
}

void ui_account_passwd(struct ui *u)
{
	struct ui_form fm;
	struct ui_field f = { 0 };
	struct folio_err e;
	char *old = smem_alloc(UI_PW_MAX), *pw = smem_alloc(UI_PW_MAX);
	size_t len = 0;
	int r;

	if (!old || !pw) {
		smem_free(old);
		smem_free(pw);
		ui_msg(u, 1, "out of memory");
		return;
	}
	ui_form_open(u, &fm, "Change my password",
		     "Type your current password, then the new one twice.");
	do {
		f.label = "Current password";
		f.help = old_help;
		f.buf = old;
		f.cap = UI_PW_MAX;
		f.secret = 1;
		smem_wipe(old, UI_PW_MAX);
		ui_form_drop(&fm, UI_FORM_LINES);
		r = ui_form_field(u, &fm, &f);
		if (r != UI_OK)
			break;
		r = ui_account_new_password(u, &fm, session_user(u->s), pw, UI_PW_MAX, &len);
	} while (r == UI_BACK);
	if (r == UI_OK) {
		err_clear(&e);
		ui_msg(u, 0, "Changing the password...");
		ui_redraw(u);
		if (access_change_password(u->s, old, f.len, pw, len, &e) == FOLIO_OK)
			ui_msg(u, 0, "Your password is changed.");
		else
			ui_msg(u, 1, "Password not changed: %s", e.msg);
	}
	ui_form_close(u, &fm);
	smem_free(old);
	smem_free(pw);
}

void ui_account_signout(struct ui *u)
{
	ui_end(u, UI_END_SIGNOUT);
}

void ui_account_sigcode(struct ui *u)
{
	static const char code_help[] =
		"Your electronic signature code: you type it each time you sign.\n"
		"6 characters or more, and not your password.  Setting a new one\n"
		"keeps every earlier signature valid.";
	struct ui_form fm;
	struct ui_field f[2];
	struct folio_err e;
	struct grant *g = NULL;
	char *a = smem_alloc(UI_PW_MAX), *b = smem_alloc(UI_PW_MAX);
	int r = UI_BACK, rc;

	if (!a || !b) {
		smem_free(a);
		smem_free(b);
		ui_msg(u, 1, "out of memory");
		return;
	}
	ui_form_open(u, &fm, "Signature code", "Type the new signature code twice.");
	for (int i = 0; i < 2; i++) {
		memset(&f[i], 0, sizeof f[i]);
		f[i].label = i ? "Again" : "New signature code";
		f[i].help = code_help;
		f[i].buf = i ? b : a;
		f[i].cap = UI_PW_MAX;
		f[i].secret = 1;
		if ((r = ui_form_field(u, &fm, &f[i])) != UI_OK)
			break;
	}
	if (r == UI_OK && (f[0].len != f[1].len || memcmp(a, b, f[0].len) != 0)) {
		ui_msg(u, 1, "The two codes differ: nothing changed.");
	} else if (r == UI_OK) {
		err_clear(&e);
		ui_msg(u, 0, "Setting the signature code...");
		ui_redraw(u);
		rc = access_begin(u->s, ACT_SIGCODE_SET, NULL, "user", session_user(u->s), &g, &e);
		if (rc == FOLIO_OK)
			rc = ui_grant_end(g, account_sigcode_set(g, a, f[0].len, &e), &e);
		if (rc == FOLIO_OK)
			ui_msg(u, 0, "Your signature code is set.");
		else
			ui_msg(u, 1, "Not set: %s", e.msg);
	}
	ui_form_close(u, &fm);
	smem_free(a);
	smem_free(b);
}
