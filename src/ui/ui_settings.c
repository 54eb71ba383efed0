/* folio — site settings: the list for readers, changes for admins. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "folio/config.h"
#include "ui_internal.h"

#define SET_TOP 3
#define SET_MAX 32

static const char settings_help[] =
	"The site's settings with their values, defaults and ranges.\n"
	"Move with the arrows or type a row number.\n"
	"  Enter  change the highlighted setting (security officer only)\n"
	"Changes are audited. The idle lock time applies from the next sign-in.\n"
	"Esc or ^ goes back to the menu; q signs out and leaves folio.";

struct setting_row {
	char name[40];
	char help[96];
	long value, def, min, max;
};

struct settings {
	struct setting_row rows[SET_MAX];
	struct ui_list list;
};

static int settings_add(const struct setting_info *si, void *ctx)
{
	struct settings *ss = ctx;
	struct setting_row *r;

	if (ss->list.n >= SET_MAX)
		return 0;
	r = &ss->rows[ss->list.n++];
	str_copy(r->name, sizeof r->name, si->name);
	str_copy(r->help, sizeof r->help, si->help ? si->help : "");
	r->value = si->value;
	r->def = si->def;
	r->min = si->min;
	r->max = si->max;
	return 0;
}

static void settings_load(struct ui *u, struct settings *ss)
{
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	ss->list.n = 0;
	err_clear(&e);
	rc = access_begin(u->s, ACT_CONFIG_READ, NULL, NULL, NULL, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, config_list(g, settings_add, ss, &e), &e);
	if (rc != FOLIO_OK)
		ui_msg(u, 1, "Cannot read the settings: %s", e.msg);
}

static void settings_draw(struct ui *u, void *ctx)
{
	struct settings *ss = ctx;
	char line[200];
	int page = ui_body_end() - SET_TOP + 1;

	ui_list_fit(&ss->list, page);
	ui_frame(u, "Site settings", NULL);
	snprintf(line, sizeof line, "%3s  %-20s %8s %8s  %-14s", "#", "Setting", "Value", "Default",
		 "Range");
	ui_put(SET_TOP - 1, 1, COLS - 2, line, ui_attr(u, UI_A_TITLE));
	for (int i = ss->list.top; i < ss->list.n && i < ss->list.top + page; i++) {
		const struct setting_row *r = &ss->rows[i];
		char range[32];

		snprintf(range, sizeof range, "%ld-%ld", r->min, r->max);
		snprintf(line, sizeof line, "%3d  %-20.20s %8ld %8ld  %-14s", i + 1, r->name, r->value,
			 r->def, range);
		ui_put(SET_TOP + i - ss->list.top, 1, COLS - 2, line,
		       i == ss->list.sel ? ui_attr(u, UI_A_SELECT) : (int)A_NORMAL);
	}
	if (ss->list.n > 0)
		ui_put(ui_action_row() - 1, 2, COLS - 4, ss->rows[ss->list.sel].help,
		       ui_attr(u, UI_A_DIM));
	ui_put(ui_action_row(), 1, COLS - 2,
	       access_may(u->s, ACT_CONFIG_SET) ? "Enter Change  F5 Reload" : "(Enter Change)  F5 Reload",
	       A_NORMAL);
}

static int settings_change(struct ui *u, const struct setting_row *r)
{
	char label[64], def[24], help[256], val[24];
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	if (!access_may(u->s, ACT_CONFIG_SET)) {
		ui_msg(u, 1, "Your role may not %s.", action_help(ACT_CONFIG_SET));
		return 0;
	}
	snprintf(label, sizeof label, "New value for %s", r->name);
	snprintf(def, sizeof def, "%ld", r->value);
	snprintf(help, sizeof help, "%s.\nA whole number from %ld to %ld; the default is %ld.",
		 r->help, r->min, r->max, r->def);
	memset(val, 0, sizeof val);
	if (ui_ask(u, label, help, def, val, sizeof val) != UI_OK || !strcmp(val, def))
		return 0;
	err_clear(&e);
	rc = access_begin(u->s, ACT_CONFIG_SET, NULL, "setting", r->name, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, config_set(g, r->name, val, &e), &e);
	if (rc == FOLIO_OK)
		ui_msg(u, 0, "%s is now %s.", r->name, val);
	else
		ui_msg(u, 1, "Not changed: %s", e.msg);
	return 1;
}

void ui_settings_run(struct ui *u)
{
	struct settings ss;
	struct ui_view v;

	memset(&ss, 0, sizeof ss);
	settings_load(u, &ss);
	ui_view_push(u, &v, settings_draw, &ss, 1);
	ui_redraw(u);
	for (;;) {
		int k = ui_getkey(u), reload = 0;

		if (ui_key_is_back(k) || k == '^')
			break;
		if (k == 'q' || k == 'Q')
			ui_end(u, UI_END_QUIT);
		else if (ui_key_is_help(k))
			ui_popup(u, "Site settings", settings_help);
		else if (ui_key_is_enter(k) && ss.list.n > 0)
			reload = settings_change(u, &ss.rows[ss.list.sel]);
		else if (k == UI_FKEY(KEY_F(5)))
			reload = 1;
		else
			ui_list_key(&ss.list, k, ui_body_end() - SET_TOP + 1);
		if (reload && !u->ending)
			settings_load(u, &ss);
		ui_redraw(u);
	}
	ui_view_pop(u, &v);
}

void ui_settings_dbcheck(struct ui *u)
{
	struct folio_err e;
	struct grant *g = NULL;
	char report[1024] = "", text[1400];
	int rc;

	err_clear(&e);
	ui_msg(u, 0, "Checking the database...");
	ui_redraw(u);
	rc = access_begin(u->s, ACT_DB_CHECK, NULL, NULL, NULL, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, access_db_check(g, report, sizeof report, &e), &e);
	ui_msg_clear(u);
	if (rc == FOLIO_OK) {
		const char *fields = strchr(report, '\n');
		snprintf(text, sizeof text, "The database file is sound: integrity and foreign keys ok;\n%s.",
			 fields ? fields + 1 : "");
		ui_popup(u, "Database check", text);
	} else if (report[0]) {
		snprintf(text, sizeof text, "%s\n%s", report, e.msg);
		ui_popup(u, "Database check FAILED", text);
	} else {
		ui_msg(u, 1, "Cannot check the database: %s", e.msg);
	}
}
