/* folio — site settings, range-checked and audited. */
#include "folio/config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "access_internal.h"
#include "folio/grant.h"

static const struct setting_info settings[] = {
#define FOLIO_SETTING_ROW(n, d, lo, hi, help) { #n, d, d, lo, hi, help },
	FOLIO_SETTINGS(FOLIO_SETTING_ROW)
#undef FOLIO_SETTING_ROW
};

static const struct setting_info *setting_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(settings); i++)
		if (strcmp(settings[i].name, name) == 0)
			return &settings[i];
	return NULL;
}

long settings_value(struct store *st, const char *name)
{
	const struct setting_info *si = setting_find(name);
	struct folio_err e;
	struct stmt *s;
	long v = si ? si->def : 0;

	if (stmt_prepare(st, "SELECT value FROM settings WHERE name = ?", &s, &e) == FOLIO_OK) {
		stmt_bind_text(s, 1, name);
		if (stmt_step(s, &e) == STMT_ROW)
			v = (long)stmt_int64(s, 0);
		stmt_finalize(s);
	}
	/* A value edited out of range in the file is clamped, not trusted. */
	if (si && (v < si->min || v > si->max))
		v = si->def;
	return v;
}

int config_get(struct grant *g, const char *name, long *value, struct folio_err *e)
{
	if (grant_action(g) != ACT_CONFIG_READ)
		return err_set(e, FOLIO_EDENIED, "reading settings needs its own grant");
	if (!setting_find(name))
		return err_set(e, FOLIO_ENOTFOUND, "no setting '%s'", name);
	*value = settings_value(grant_store(g), name);
	return FOLIO_OK;
}

int config_set(struct grant *g, const char *name, const char *value, struct folio_err *e)
{
	const struct setting_info *si = setting_find(name);
	struct stmt *s;
	char *end;
	long v;
	int rc;

	if (grant_action(g) != ACT_CONFIG_SET)
		return err_set(e, FOLIO_EDENIED, "changing settings needs its own grant");
	if (!si)
		return err_set(e, FOLIO_ENOTFOUND, "no setting '%s'", name);
	errno = 0;
	v = strtol(value, &end, 10);
	if (errno || end == value || *end || v < si->min || v > si->max)
		return err_set(e, FOLIO_EUSAGE, "%s takes a whole number from %ld to %ld", name, si->min,
			       si->max);
	if ((rc = stmt_prepare(grant_store(g), "INSERT INTO settings (name, value) VALUES (?, ?)"
				   " ON CONFLICT (name) DO UPDATE SET value = excluded.value", &s, e)))
		return rc;
	stmt_bind_text(s, 1, name);
	stmt_bind_int64(s, 2, v);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

int config_list(struct grant *g, int (*fn)(const struct setting_info *, void *), void *ctx,
		struct folio_err *e)
{
	if (grant_action(g) != ACT_CONFIG_READ)
		return err_set(e, FOLIO_EDENIED, "reading settings needs its own grant");
	for (size_t i = 0; i < ARRAY_SIZE(settings); i++) {
		struct setting_info si = settings[i];
		si.value = settings_value(grant_store(g), si.name);
		if (fn(&si, ctx) != 0)
			break;
	}
	return FOLIO_OK;
}
