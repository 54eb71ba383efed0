/* folio — the completeness rules (include/folio/deficiency.h):
 * kept in the database, listed to the staff who work the queue, changed
 * only by the supervisor, each change checked and range-limited. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_internal.h"
#include "deficiency_internal.h"
#include "folio/date.h"
#include "folio/store.h"

/* Keywords a rule's responsible may be, besides a user name. */
static const char *const def_keywords[] = { "attending", "author", "cosigner", "coder", "records" };

int def_action_in(struct grant *g, const enum action *a, int n)
{
	for (int i = 0; i < n; i++)
		if (grant_action(g) == a[i])
			return 1;
	return 0;
}

static int may_read_rules(struct grant *g, struct folio_err *e)
{
	static const enum action ok[] = { ACT_QUEUE_VIEW, ACT_DEFICIENCY_EDIT, ACT_DEFICIENCY_RULES,
					  ACT_INBOX_VIEW };

	if (!def_action_in(g, ok, (int)ARRAY_SIZE(ok)))
		return err_set(e, FOLIO_EDENIED, "reading the completeness rules needs a queue or rules grant");
	return FOLIO_OK;
}

int64_t def_epoch(const char *utc)
{
	int y, mo, d, h, mi, s;
	char z;
	int64_t days;

	if (!utc || sscanf(utc, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &z) != 7 || z != 'Z')
		return -1;
	if ((days = date_days(y, mo, d)) == DATE_INVALID || h > 23 || mi > 59 || s > 60)
		return -1;
	return days * 86400 + h * 3600 + mi * 60 + s;
}

int def_note_ok(const char *text, const char *what, struct folio_err *e)
{
	size_t n = text ? strlen(text) : 0;

	if (n > DEF_NOTE_MAX)
		return err_set(e, FOLIO_EUSAGE, "%s: at most %d characters", what, DEF_NOTE_MAX);
	if (text && utf8_length(text, n) < 0)
		return err_set(e, FOLIO_EUSAGE, "%s: not valid UTF-8 text", what);
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)text[i] < 0x20 && text[i] != '\t') || text[i] == 0x7f)
			return err_set(e, FOLIO_EUSAGE, "%s: one line of text, no control characters", what);
	return FOLIO_OK;
}

int deficiency_status_open(const char *status)
{
	return status && (!strcmp(status, "incomplete") || !strcmp(status, "dictated") ||
			  !strcmp(status, "transcribed"));
}

/* ---- rules ------------------------------------------------------------- */

int def_rules_load(struct grant *g, struct deficiency_rule *out, int max, int *n, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	*n = 0;
	if ((rc = stmt_prepare(grant_store(g), "SELECT code, title, applies, anchor, responsible, days, short_stay,"
					       " active, row_version FROM deficiency_rules ORDER BY ord, code", &s, e)))
		return rc;
	while ((rc = stmt_step(s, e)) == STMT_ROW && *n < max) {
		struct deficiency_rule *r = &out[(*n)++];
		memset(r, 0, sizeof *r);
		chart_col_copy(s, 0, r->code, sizeof r->code);
		chart_col_copy(s, 1, r->title, sizeof r->title);
		chart_col_copy(s, 2, r->applies, sizeof r->applies);
		chart_col_copy(s, 3, r->anchor, sizeof r->anchor);
		chart_col_copy(s, 4, r->responsible, sizeof r->responsible);
		r->days = (int)stmt_int64(s, 5);
		r->short_stay = (int)stmt_int64(s, 6);
		r->active = (int)stmt_int64(s, 7);
		r->row_version = stmt_int64(s, 8);
	}
	stmt_finalize(s);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}

int deficiency_rules(struct grant *g, int (*fn)(const struct deficiency_rule *, void *), void *ctx,
		     struct folio_err *e)
{
	struct deficiency_rule r[DEF_RULES_MAX];
	int n, rc;

	if ((rc = may_read_rules(g, e)) || (rc = def_rules_load(g, r, DEF_RULES_MAX, &n, e)))
		return rc;
	for (int i = 0; i < n; i++)
		if (fn(&r[i], ctx))
			break;
	return FOLIO_OK;
}

static int yes_no(const char *v, int *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "y") || !strcmp(v, "1") || !strcmp(v, "on"))
		*out = 1;
	else if (!strcmp(v, "no") || !strcmp(v, "n") || !strcmp(v, "0") || !strcmp(v, "off"))
		*out = 0;
	else
		return -1;
	return 0;
}

/* A rule's responsible: a keyword or a physician's or supervisor's account. */
static int responsible_ok(struct grant *g, const char *v, struct folio_err *e)
{
	char buf[16];
	const char *role;

	for (size_t i = 0; i < ARRAY_SIZE(def_keywords); i++)
		if (strcmp(v, def_keywords[i]) == 0)
			return FOLIO_OK;
	if (!(role = chart_user_role(g, v, buf)))
		return err_set(e, FOLIO_EUSAGE, "responsible: attending, author, cosigner, coder, records or a"
						" user name (no user '%s')", v);
	if (strcmp(role, "admin") == 0 || strcmp(role, "frontdesk") == 0)
		return err_set(e, FOLIO_EUSAGE, "responsible: %s is %s staff, who do not complete charts", v, role);
	return FOLIO_OK;
}

int deficiency_rule_set(struct grant *g, const char *code, const char *field, const char *value,
			struct folio_err *e)
{
	struct stmt *s;
	const char *sql;
	char *end;
	long num = 0;
	int rc, flag = 0, exists = 0;

	if (grant_action(g) != ACT_DEFICIENCY_RULES)
		return err_set(e, FOLIO_EDENIED, "changing the completeness rules needs its own grant");
	if (!code || !field || !value)
		return err_set(e, FOLIO_EUSAGE, "a rule, a field and a value are needed");
	if ((rc = stmt_prepare(grant_store(g), "SELECT 1 FROM deficiency_rules WHERE code = ?", &s, e)))
		return rc;
	stmt_bind_text(s, 1, code);
	exists = stmt_step(s, e) == STMT_ROW;
	stmt_finalize(s);
	if (!exists)
		return err_set(e, FOLIO_ENOTFOUND, "no completeness rule '%s' (deficiency rules lists them)", code);
	if (!strcmp(field, "days")) {
		errno = 0;
		num = strtol(value, &end, 10);
		if (errno || end == value || *end || num < 0 || num > 365)
			return err_set(e, FOLIO_EUSAGE, "days: a whole number from 0 to 365");
		sql = "UPDATE deficiency_rules SET days = ?2, row_version = row_version + 1 WHERE code = ?1";
	} else if (!strcmp(field, "short-stay") || !strcmp(field, "active")) {
		if (yes_no(value, &flag))
			return err_set(e, FOLIO_EUSAGE, "%s: yes or no", field);
		num = flag;
		sql = !strcmp(field, "active")
			      ? "UPDATE deficiency_rules SET active = ?2, row_version = row_version + 1 WHERE code = ?1"
			      : "UPDATE deficiency_rules SET short_stay = ?2, row_version = row_version + 1 WHERE code = ?1";
	} else if (!strcmp(field, "responsible")) {
		if ((rc = chart_line_ok(value, DEF_NAME_MAX - 1, "responsible", e)) ||
		    (rc = responsible_ok(g, value, e)))
			return rc;
		sql = "UPDATE deficiency_rules SET responsible = ?3, row_version = row_version + 1 WHERE code = ?1";
	} else if (!strcmp(field, "title")) {
		if (!*value)
			return err_set(e, FOLIO_EUSAGE, "title: some text is needed");
		if ((rc = chart_line_ok(value, DEF_TITLE_MAX - 1, "title", e)))
			return rc;
		sql = "UPDATE deficiency_rules SET title = ?3, row_version = row_version + 1 WHERE code = ?1";
	} else {
		return err_set(e, FOLIO_EUSAGE, "a rule's fields: days, responsible, short-stay, active, title");
	}
	if ((rc = stmt_prepare(grant_store(g), sql, &s, e)))
		return rc;
	stmt_bind_text(s, 1, code);
	stmt_bind_int64(s, 2, num);
	stmt_bind_text(s, 3, value);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}
