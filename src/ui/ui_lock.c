/* folio — the lock screen.
 *
 * Order matters: the terminal is blanked before anything else, so nothing of
 * the screen underneath stays visible while the keys are wiped; the lock
 * screen then shows nothing that names the user, the role or a patient.
 * Between the two, u->lock_hook lets an open editor save its draft while
 * the keys are still there (and hide its buffer until the unlock).
 * The screens underneath keep their state, and the view stack redraws them
 * unchanged after the right password; meanwhile every smem buffer they hold
 * (decrypted names, notes, lists) is encrypted in place under a key only
 * the password leads back to (access_lock_seal), and the screen's own
 * buffers are blanked, so nothing of the patient is left in the process's
 * memory while the session sits locked (tests/reliability/leak.sh).
 */
#include <curses.h>
#include <string.h>

#include "folio/smem.h"
#include "ui_internal.h"

#define LOCK_ROW 8

static const char lock_help[] =
	"This session is locked. Type the password of the user who\n"
	"signed in to go back to the same screen.\n"
	"Wrong passwords count toward the account lockout.\n"
	"Esc offers to sign the locked session out.";

static void lock_draw(struct ui *u, void *ctx)
{
	(void)ctx;
	ui_frame(u, "screen locked", NULL);
	ui_put(3, (COLS - 21) / 2, 21, "folio \xe2\x80\x94 screen locked", ui_attr(u, UI_A_TITLE));
	ui_put(5, 4, COLS - 8, "Type the password of the signed-in user to go back to work.",
	       A_NORMAL);
}

int ui_session_gone(const struct ui *u, int rc, const struct folio_err *e)
{
	(void)e;
	return rc == FOLIO_EDENIED && session_is_ended(u->s);
}

/* Asks for the password until it is right or the session ends. */
static void lock_ask(struct ui *u, char *pw)
{
	struct ui_field f = { 0 };
	struct folio_err e;

	f.label = "Password";
	f.help = lock_help;
	f.buf = pw;
	f.cap = UI_PW_MAX;
	f.secret = 1;
	f.row = LOCK_ROW;
	f.col = 4;
	for (;;) {
		int r, rc;

		ui_field_clear(&f);
		r = ui_field_run(u, &f);
		if (r == UI_ABORT)
			return;
		if (r == UI_BACK) {
			if (ui_confirm(u, "Sign the locked session out?", 0)) {
				ui_end(u, UI_END_SIGNOUT);
				return;
			}
			continue;
		}
		if (f.len == 0)
			continue;
		err_clear(&e);
		rc = access_unlock(u->s, pw, f.len, &e);
		ui_field_clear(&f);
		if (rc == FOLIO_OK)
			return;
		if (ui_session_gone(u, rc, &e)) {
			ui_end(u, UI_END_LOCKOUT);
			return;
		}
		/* Our own words: the layer's message might name the account. */
		ui_msg(u, 1, rc == FOLIO_EDENIED ? "Wrong password." : "Could not unlock; try again.");
	}
}

void ui_lock_run(struct ui *u)
{
	struct ui_view v;
	struct folio_err e;
	char *pw;

	ui_blank();
	/* An open editor saves its draft while the keys are still there. */
	if (u->lock_hook)
		u->lock_hook(u, u->lock_hook_ctx, 1);
	u->locked = 1;
	ui_msg_clear(u);
	err_clear(&e);
	/* While the keys are still there and before the password buffer
	 * exists: the lock screen touches none of the sealed buffers. */
	if (access_lock_seal(u->s, &e) != FOLIO_OK)
		ui_msg(u, 1, "The screens could not be sealed; sign out when you can.");
	err_clear(&e);
	if (access_lock(u->s, u->lock_reason ? u->lock_reason : "idle", &e) != FOLIO_OK)
		ui_msg(u, 1, "The keys could not be locked; sign out when you can.");
	ui_view_push(u, &v, lock_draw, NULL, 1);
	pw = smem_alloc(UI_PW_MAX);
	if (!pw)
		ui_end(u, UI_END_SIGNOUT);
	else
		lock_ask(u, pw);
	smem_free(pw);
	err_clear(&e);
	if (u->ending || access_lock_unseal(u->s, &e) != FOLIO_OK) {
		/* signed out at the lock (or the state cannot come back): what
		 * is unwound on the way out reads zeros, never ciphertext */
		access_lock_drop();
		if (!u->ending)
			ui_end(u, UI_END_SIGNOUT);
	}
	if (u->lock_hook)
		u->lock_hook(u, u->lock_hook_ctx, 0);
	ui_view_pop(u, &v);
	u->locked = 0;
	u->last_key = ui_clock();
	ui_msg_clear(u);
	ui_redraw(u);
}

void ui_lock_now(struct ui *u)
{
	u->lock_reason = "by the user";
	ui_lock_run(u);
	u->lock_reason = NULL;
}
