/* folio — numbered menus.  The main menu is a table: later features add a
 * row (label, help, the action that gates it, handler) and nothing else.
 * An item shows only when the session's role may perform its action. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ui_internal.h"

#define MENU_MAX 32
#define MENU_TOP 4
#define MENU_DIGIT_WAIT_MS 800
#define MENU_ENTER_WAIT_MS 300

static const struct ui_menu_item main_items[] = {
	{ "Find a patient", "One prompt: LAST,FIRST, MRN, date of birth or last four.",
	  ACT_PATIENT_FIND, ui_patient_find_run },
	{ "Register a patient", "A new chart: demographics, duplicate check, new MRN.",
	  ACT_PATIENT_ADD, ui_patient_register_run },
	{ "Today's check-ins", "Patients checked in today (or another day).", ACT_CHECKIN_LIST,
	  ui_checkins_run },
	{ "Incomplete charts", "The deficiency queue: incomplete and delinquent charts, the rate.",
	  ACT_QUEUE_VIEW, ui_queue_run },
	{ "Duplicate charts", "Pairs of charts that may be one person: compare them, verify or reject.",
	  ACT_MERGE_PROPOSE, ui_dupes_run },
	{ "Restricted-record alerts", "Openings of restricted records, to review.",
	  ACT_ALERT_REVIEW, ui_alerts_run },
	{ "Users", "Add, lock, unlock users; reset passwords.", ACT_USER_LIST,
	  ui_users_run },
	{ "Audit log", "Read the audit log, newest first, with filters.", ACT_AUDIT_SHOW,
	  ui_audit_run },
	{ "Verify audit chain", "Check no audit entry was changed or removed.",
	  ACT_AUDIT_VERIFY, ui_audit_verify },
	{ "Audit chain head", "The newest entry's number and hash.",
	  ACT_AUDIT_HEAD, ui_audit_head },
	{ "Site settings", "Lockout and idle-lock settings for this site.", ACT_CONFIG_READ,
	  ui_settings_run },
	{ "Database check", "SQLite integrity and foreign-key check; every encrypted field opened.", ACT_DB_CHECK,
	  ui_settings_dbcheck },
	{ "Paper charts", "Pull list of requested charts, overdue charts, where a chart is.",
	  ACT_CHART_TRACK, ui_tracking_lists_run },
	{ "Inbox", "Queries to answer, deficiencies and reminders (a supervisor: any physician's).",
	  ACT_INBOX_VIEW, ui_inbox_run },
	{ "Physician queries", "Queries raised to physicians: read answers, close, withdraw.",
	  ACT_QUERY_SEND, ui_queries_run },
	{ "Release of information", "Requests for copies of records: log, select, validate, release.",
	  ACT_ROI_PROCESS, ui_roi_worklist_run },
	{ "Reports", "Department reports: discharges, top codes, CMI, coders, deficiencies, disclosures.",
	  ACT_REPORT_RUN, ui_reports_run },
	{ "Research extract (de-identified)", "Every chart, HIPAA Safe Harbor, as CSV files in a directory.",
	  ACT_EXPORT_RUN, ui_export_deid_run },
	{ "Change my password", "Old password once, the new one twice.", ACT_PASSWD_SELF,
	  ui_account_passwd },
	{ "Signature code", "Set the code you sign documents with (not your password).",
	  ACT_SIGCODE_SET, ui_account_sigcode },
	{ "Lock screen", "Blank the screen until you type your password.", UI_ANYONE,
	  ui_lock_now },
	{ "Sign out", "End this session; the sign-in screen comes back.", UI_ANYONE,
	  ui_account_signout },
};

static const char main_help[] =
	"Type an item's number, or move with the arrow keys and press Enter.\n"
	"Esc asks whether to sign out; q signs out and leaves folio.\n"
	"Items appear only where your role may use them.";

struct menu {
	const char *title;
	const char *help;
	const struct ui_menu_item *vis[MENU_MAX];
	struct ui_list list;
};

static void menu_draw(struct ui *u, void *ctx)
{
	struct menu *m = ctx;
	int page = ui_body_end() - MENU_TOP + 1;
	char line[128];

	ui_list_fit(&m->list, page);
	ui_frame(u, m->title, NULL);
	ui_put(2, 2, COLS - 4, m->title, ui_attr(u, UI_A_TITLE));
	for (int i = m->list.top; i < m->list.n && i < m->list.top + page; i++) {
		int attr = i == m->list.sel ? ui_attr(u, UI_A_SELECT) : (int)A_NORMAL;

		snprintf(line, sizeof line, " %2d  %-30s", i + 1, m->vis[i]->label);
		ui_put(MENU_TOP + i - m->list.top, 2, COLS - 4, line, attr);
	}
	if (m->list.n > 0)
		ui_put(ui_action_row(), 2, COLS - 4, m->vis[m->list.sel]->help, ui_attr(u, UI_A_DIM));
	ui_put(ui_prompt_row(), 2, COLS - 4, "Select an item (number, or arrows and Enter):",
	       A_NORMAL);
}

static void menu_help(struct ui *u, const struct menu *m)
{
	char text[2048];
	size_t off;

	off = (size_t)snprintf(text, sizeof text, "%s\n\n", m->help);
	for (int i = 0; i < m->list.n && off < sizeof text; i++)
		off += (size_t)snprintf(text + off, sizeof text - off, "%2d  %-19s %s\n", i + 1,
					m->vis[i]->label, m->vis[i]->help);
	ui_popup(u, m->title, text);
}

/* After a number, an Enter that follows at once belongs to it ("13
 * Enter"); any other key is left for the screen the number opens. */
static void menu_take_enter(struct ui *u)
{
	int k = ui_getkey_timeout(u, MENU_ENTER_WAIT_MS);

	if (k == UI_KEY_NONE || ui_key_is_enter(k))
		return;
	if (k == UI_KEY_ABORT)
		ui_end(u, UI_END_SIGNAL);
	else if (k >= UI_KEY_FN)
		ungetch(k - UI_KEY_FN);
	else
		unget_wch((wchar_t)k);
}

/* The item number typed, starting with digit d.  In a menu of ten items
 * or more the next key is awaited briefly, as VistA's menus do: a digit
 * makes it two digits, Enter or a pause takes d alone; any other key
 * cancels (0).  So "1", "1 Enter", "12" and "12 Enter" all work. */
static int menu_number(struct ui *u, const struct menu *m, int d)
{
	int k;

	if (m->list.n <= 9)
		return d;
	ui_put(ui_prompt_row(), 2, COLS - 4, "Select an item (number, or arrows and Enter):", A_NORMAL);
	mvprintw(ui_prompt_row(), 49, "%d", d);
	refresh();
	k = ui_getkey_timeout(u, MENU_DIGIT_WAIT_MS);
	if (k == UI_KEY_NONE || ui_key_is_enter(k))
		return d;
	if (k >= '0' && k <= '9') {
		menu_take_enter(u);
		return d * 10 + (k - '0');
	}
	return 0;
}

static void menu_pick(struct ui *u, struct menu *m, int i)
{
	m->list.sel = i;
	ui_redraw(u);
	m->vis[i]->run(u);
}

int ui_menu_run(struct ui *u, const char *title, const char *help,
		const struct ui_menu_item *items, size_t n, int confirm_signout)
{
	struct menu m;
	struct ui_view v;
	int r = UI_BACK;

	memset(&m, 0, sizeof m);
	m.title = title;
	m.help = help;
	for (size_t i = 0; i < n && m.list.n < MENU_MAX; i++)
		if (items[i].need == UI_ANYONE || access_may(u->s, (enum action)items[i].need))
			m.vis[m.list.n++] = &items[i];
	ui_view_push(u, &v, menu_draw, &m, 1);
	ui_redraw(u);
	for (;;) {
		int k = ui_getkey(u);

		if (k == UI_KEY_ABORT) {
			r = UI_ABORT;
			break;
		}
		if (k == UI_KEY_ESC || k == '^') {
			if (!confirm_signout)
				break;
			if (ui_confirm(u, "Sign out?", 0))
				ui_end(u, UI_END_SIGNOUT);
		} else if (k == 'q' || k == 'Q') {
			ui_end(u, UI_END_QUIT);
		} else if (ui_key_is_help(k)) {
			menu_help(u, &m);
		} else if (ui_key_is_enter(k) && m.list.n > 0) {
			menu_pick(u, &m, m.list.sel);
		} else if (k >= '1' && k <= '9') {
			int num = menu_number(u, &m, k - '0');

			if (num >= 1 && num <= m.list.n)
				menu_pick(u, &m, num - 1);
			else if (num > 0)
				ui_msg(u, 1, "No item %d: choose 1 to %d.", num, m.list.n);
		} else {
			ui_list_key(&m.list, k, ui_body_end() - MENU_TOP + 1);
		}
		ui_redraw(u);
	}
	ui_view_pop(u, &v);
	return r;
}

void ui_menu_main(struct ui *u)
{
	char title[64];

	snprintf(title, sizeof title, "%s menu", role_title(session_role(u->s)));
	(void)ui_menu_run(u, title, main_help, main_items, ARRAY_SIZE(main_items), 1);
}
