/* folio — the single input loop: idle lock, resize and endings are handled
 * here so that no screen can forget them. */
#include <curses.h>
#include <signal.h>
#include <time.h>

#include "ui_internal.h"

/* getch waits this long, so the idle lock fires within a second of its due
 * time and a pending SIGTERM is noticed just as fast. */
#define UI_TICK_MS 1000
/* A closed terminal makes getch fail at once, forever: after this many quick
 * failures in a row the terminal is taken as gone. */
#define UI_QUICK_ERR_LIMIT 50

static volatile sig_atomic_t pending_signal;

void ui_signal_note(int sig)
{
	pending_signal = sig;
}

int ui_pending_signal(void)
{
	return pending_signal;
}

double ui_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int ui_key_is_enter(int k)
{
	return k == '\n' || k == '\r' || k == UI_FKEY(KEY_ENTER);
}

int ui_key_is_backspace(int k)
{
	return k == 127 || k == 8 || k == UI_FKEY(KEY_BACKSPACE) || k == UI_FKEY(KEY_DC);
}

int ui_key_is_back(int k)
{
	return k == UI_KEY_ESC || k == UI_KEY_ABORT;
}

int ui_key_is_help(int k)
{
	return k == '?' || k == UI_FKEY(KEY_F(1));
}

static int idle_due(const struct ui *u, double now)
{
	int limit;

	if (!u->s || u->locked)
		return 0;
	limit = session_idle_seconds(u->s);
	return limit > 0 && now - u->last_key >= (double)limit;
}

int ui_getkey_timeout(struct ui *u, int ms)
{
	double deadline = ms >= 0 ? ui_clock() + (double)ms / 1000.0 : 0;

	for (;;) {
		wint_t wch = 0;
		double before;
		int rc, wait = UI_TICK_MS;

		if (pending_signal && !u->ending)
			ui_end(u, UI_END_SIGNAL);
		if (u->ending)
			return UI_KEY_ABORT;
		if (ms >= 0) {
			double left = deadline - ui_clock();

			if (left <= 0)
				return UI_KEY_NONE;
			if (left * 1000.0 < (double)UI_TICK_MS)
				wait = (int)(left * 1000.0) + 1;
		}
		timeout(wait);
		before = ui_clock();
		rc = get_wch(&wch);
		if (rc == ERR) {
			double now = ui_clock();

			/* A short wait's timeout is not a dead terminal. */
			if (now - before < 0.05 && wait >= 100 && !pending_signal) {
				if (++u->quick_errs >= UI_QUICK_ERR_LIMIT)
					ui_end(u, UI_END_SIGNAL);
			} else {
				u->quick_errs = 0;
			}
			if (idle_due(u, now))
				ui_lock_run(u);
			continue;
		}
		u->quick_errs = 0;
		if (rc == KEY_CODE_YES && wch == KEY_RESIZE) {
			ui_redraw(u);
			continue;
		}
		u->last_key = ui_clock();
		/* A message stays until the next key, so it is read once. */
		ui_msg_clear(u);
		if (rc == KEY_CODE_YES)
			return UI_FKEY((int)wch);
		return (int)wch;
	}
}

int ui_getkey(struct ui *u)
{
	return ui_getkey_timeout(u, -1);
}
