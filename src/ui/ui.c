/* folio — ui_run(): terminal set-up and teardown, signals, and the loop from
 * the sign-in screen to the menu and back.
 *
 * The terminal is given back on every way out: the normal return, exit()
 * from anywhere (atexit), SIGTERM/SIGHUP (noted, then the session signs out
 * through the normal path and the signal is raised again), and crashes
 * (SIGSEGV and friends: blank, endwin, then the default action).
 */
#include "folio/ui.h"

#include <curses.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui_internal.h"

#define UI_ESC_DELAY_MS 25

static const int fatal_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGABRT, SIGILL };
static const int ending_signals[] = { SIGTERM, SIGHUP };
/* Raw mode delivers ^C, ^\ and ^Z as keys; these cover kill(1) as well. */
static const int ignored_signals[] = { SIGINT, SIGQUIT, SIGTSTP };

static volatile sig_atomic_t curses_on;
static SCREEN *screen;
static struct sigaction saved[3][5];

static void term_restore(void)
{
	if (!curses_on)
		return;
	curses_on = 0;
	/* The curses buffers keep whatever was drawn: leave them blank. */
	erase();
	refresh();
	endwin();
}

static void on_exit_restore(void)
{
	term_restore();
}

static void on_fatal(int sig)
{
	/* Not async-signal-safe, but the process is dying anyway and a wrecked
	 * terminal is worse (htop does the same).  No sign-out here: the access
	 * layer may be what crashed; the keys die with the process. */
	term_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void on_ending(int sig)
{
	ui_signal_note(sig);
}

static void set_handler(int sig, void (*fn)(int), struct sigaction *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a SIGTERM should cut a wait for a key short. */
	sigaction(sig, &sa, old);
}

static void signals_install(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(fatal_signals); i++)
		set_handler(fatal_signals[i], on_fatal, &saved[0][i]);
	for (size_t i = 0; i < ARRAY_SIZE(ending_signals); i++)
		set_handler(ending_signals[i], on_ending, &saved[1][i]);
	for (size_t i = 0; i < ARRAY_SIZE(ignored_signals); i++)
		set_handler(ignored_signals[i], SIG_IGN, &saved[2][i]);
}

static void signals_restore(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(fatal_signals); i++)
		sigaction(fatal_signals[i], &saved[0][i], NULL);
	for (size_t i = 0; i < ARRAY_SIZE(ending_signals); i++)
		sigaction(ending_signals[i], &saved[1][i], NULL);
	for (size_t i = 0; i < ARRAY_SIZE(ignored_signals); i++)
		sigaction(ignored_signals[i], &saved[2][i], NULL);
}

static int term_start(struct ui *u)
{
	static int atexit_done;
	const char *nc = getenv("NO_COLOR");

	screen = newterm(NULL, stdout, stdin);
	if (!screen)
		return -1;
	set_term(screen);
	curses_on = 1;
	if (!atexit_done && atexit(on_exit_restore) == 0)
		atexit_done = 1;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(UI_ESC_DELAY_MS);
	curs_set(0);
	u->colors = has_colors() && !(nc && *nc);
	if (u->colors && start_color() == OK) {
		use_default_colors();
		init_pair(1, COLOR_WHITE, COLOR_BLUE);
		init_pair(2, COLOR_BLACK, COLOR_CYAN);
		init_pair(3, COLOR_RED, -1);
		init_pair(4, COLOR_BLACK, COLOR_YELLOW);
	} else {
		u->colors = 0;
	}
	return 0;
}

static void term_stop(void)
{
	term_restore();
	if (screen) {
		delscreen(screen);
		screen = NULL;
	}
}

int ui_grant_end(struct grant *g, int rc, struct folio_err *e)
{
	struct folio_err rollback;

	if (rc == FOLIO_OK)
		return access_end(g, rc, e);
	err_clear(&rollback);
	(void)access_end(g, rc, &rollback);
	return rc;
}

static void greet(struct ui *u)
{
	const char *last = session_last_login(u->s);
	int fails = session_failures_since(u->s);

	if (!last || !*last)
		ui_msg(u, 0, "Welcome: this is your first sign-in.");
	else if (fails > 0)
		ui_msg(u, 1, "Last sign-in: %s. %d failed attempt%s since.", last, fails,
		       fails == 1 ? "" : "s");
	else
		ui_msg(u, 0, "Last sign-in: %s.", last);
}

/* Sign-in, menu, sign-out, until the user leaves or a signal ends it. */
static void session_loop(struct ui *u)
{
	for (;;) {
		int how;

		u->ending = UI_END_NONE;
		if (ui_login_run(u) != 0)
			return;
		u->last_key = ui_clock();
		greet(u);
		ui_menu_main(u);
		how = u->ending ? u->ending : UI_END_SIGNOUT;
		ui_blank();
		access_logout(u->s);
		u->s = NULL;
		u->top = NULL;
		if (how >= UI_END_QUIT)
			return;
		if (how == UI_END_LOCKOUT)
			ui_msg(u, 1, "Session ended: too many wrong passwords at the lock screen.");
		else
			ui_msg(u, 0, "Signed out.");
	}
}

int ui_run(const char *db_path)
{
	struct ui u;
	struct folio_err e;
	int rc, sig;

	setlocale(LC_ALL, "");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "folio: the interface needs a terminal; 'folio --help' lists the commands\n");
		return 2;
	}
	memset(&u, 0, sizeof u);
	u.db_path = db_path;
	err_clear(&e);
	rc = access_open(db_path, &u.st, &e);
	if (rc != FOLIO_OK) {
		fprintf(stderr, "folio: %s\n", e.msg);
		return err_exit_code(rc);
	}
	signals_install();
	if (term_start(&u) != 0) {
		signals_restore();
		access_close(u.st);
		fprintf(stderr, "folio: cannot start the terminal interface (TERM=%s)\n",
			getenv("TERM") ? getenv("TERM") : "");
		return 1;
	}
	session_loop(&u);
	if (u.s) {
		access_logout(u.s);
		u.s = NULL;
	}
	term_stop();
	access_close(u.st);
	signals_restore();
	sig = ui_pending_signal();
	if (sig) {
		/* Die of the signal, as the sender expects, now that all is clean. */
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return 0;
}
