/* folio — physician queries: the rules of a compliant query, raising one,
 * withdrawing and closing it.  Answering is query_answer.c, reading
 * query_read.c, the indicator picker's lines query_pick.c.
 *
 * The rules (AHIMA/ACDIS 2022, domain.md) are checked here so that no
 * front end can skip them; a refusal names the rule, never the text. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "chart_internal.h"
#include "core_internal.h"
#include "folio/config.h"
#include "folio/date.h"
#include "folio/smem.h"
#include "query_internal.h"

static const char *const format_names[QUERY_FORMATS] = { "open", "multiple-choice", "yes-no" };

const char *query_format_name(enum query_format f)
{
	return (unsigned)f < QUERY_FORMATS ? format_names[f] : "?";
}

int query_format_parse(const char *name)
{
	for (int i = 0; name && i < QUERY_FORMATS; i++)
		if (strcmp(format_names[i], name) == 0)
			return i;
	return -1;
}

static const struct {
	const char *code, *help;
} yesno_cases[] = {
#define QUERY_YESNO_ROW(id, code, help) { code, help },
	QUERY_YESNO_CASES(QUERY_YESNO_ROW)
#undef QUERY_YESNO_ROW
};

const char *query_yesno_code(int c)
{
	return c >= 0 && c < QUERY_YN_COUNT ? yesno_cases[c].code : NULL;
}

const char *query_yesno_help(int c)
{
	return c >= 0 && c < QUERY_YN_COUNT ? yesno_cases[c].help : NULL;
}

int query_yesno_parse(const char *code)
{
	for (int i = 0; code && i < QUERY_YN_COUNT; i++)
		if (strcmp(yesno_cases[i].code, code) == 0)
			return i;
	return -1;
}

int query_need(struct grant *g, const enum action *ok, size_t n, struct folio_err *e)
{
	for (size_t i = 0; i < n; i++)
		if (grant_action(g) == ok[i])
			return FOLIO_OK;
	return err_set(e, FOLIO_EDENIED, "%s does not reach physician queries", action_name(grant_action(g)));
}

void query_today(char out[11])
{
	date_format_days(date_today(), out);
}

/* ---- the rules ----------------------------------------------------------- */

/* Words that tie a query to money or ratings.  Matched at the start of a
 * word, case folded; "cc" is left out (a unit of volume). */
static const char *const payment_words[] = {
	"payment", "reimburs", "drg", "ms-drg", "mcc", "revenue", "billing", "billable", "case mix",
	"case-mix", "financial", "insurer", "quality score", "quality measure", "quality rating", "star rating",
};

static const char *payment_word_in(const char *s)
{
	for (size_t i = 0; s[i]; i++) {
		if (i && isalnum((unsigned char)s[i - 1]))
			continue;
		for (size_t w = 0; w < ARRAY_SIZE(payment_words); w++)
			if (strncasecmp(s + i, payment_words[w], strlen(payment_words[w])) == 0)
				return payment_words[w];
	}
	return NULL;
}

/* One line of query text: present, short enough, no control characters,
 * and no word about payment. */
static int line_ok(const char *s, size_t max, const char *what, struct folio_err *e)
{
	const char *w;
	int rc;

	if (!s || !*s || strspn(s, " ") == strlen(s))
		return err_set(e, FOLIO_EUSAGE, "%s is empty", what);
	if ((rc = chart_line_ok(s, max, what, e)))
		return rc;
	if ((w = payment_word_in(s)))
		return err_set(e, FOLIO_EUSAGE, "%s mentions \"%s\": a query never mentions payment, DRGs or quality"
			       " scores", what, w);
	return FOLIO_OK;
}

/* n lines (indicators, options) of at most max, each as line_ok wants;
 * a refusal names the line by its kind and number. */
static int lines_ok(const char *const *lines, size_t n, size_t max, const char *kind, struct folio_err *e)
{
	char what[40];
	int rc;

	if (n > max)
		return err_set(e, FOLIO_EUSAGE, "a query takes at most %zu %ss", max, kind);
	for (size_t i = 0; i < n; i++) {
		snprintf(what, sizeof what, "%s %zu", kind, i + 1);
		if ((rc = line_ok(lines[i], QUERY_LINE_MAX, what, e)))
			return rc;
	}
	return FOLIO_OK;
}

/* An option as compared: surrounding blanks dropped, case folded. */
static int same_option(const char *a, const char *b)
{
	size_t la, lb;

	while (*a == ' ')
		a++;
	while (*b == ' ')
		b++;
	la = strlen(a);
	lb = strlen(b);
	while (la && a[la - 1] == ' ')
		la--;
	while (lb && b[lb - 1] == ' ')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

static int options_ok(const struct query_new *q, struct folio_err *e)
{
	int other = 0, undetermined = 0;
	size_t clinical = 0;
	int rc;

	if (q->format == QUERY_OPEN)
		return q->n_options ? err_set(e, FOLIO_EUSAGE, "an open-ended query offers no options: the physician"
					      " answers in their own words") : FOLIO_OK;
	if (q->format == QUERY_YESNO) {
		if (q->n_options)
			return err_set(e, FOLIO_EUSAGE, "a yes/no query offers Yes, No, Other and Clinically"
				       " undetermined: give no options");
		if (query_yesno_parse(q->yesno_case) < 0)
			return err_set(e, FOLIO_EUSAGE, "a yes/no query is only for a documented fact, POA status, a"
				       " cause-and-effect link or conflicting documentation (reason documented, poa,"
				       " cause or conflict); never for a new diagnosis");
		return FOLIO_OK;
	}
	if ((rc = lines_ok(q->options, q->n_options, QUERY_OPTIONS_MAX, "option", e)))
		return rc;
	for (size_t i = 0; i < q->n_options; i++) {
		for (size_t j = 0; j < i; j++)
			if (same_option(q->options[i], q->options[j]))
				return err_set(e, FOLIO_EUSAGE, "options %zu and %zu are the same", j + 1, i + 1);
		if (same_option(q->options[i], QUERY_OPTION_OTHER))
			other = 1;
		else if (same_option(q->options[i], QUERY_OPTION_UNDETERMINED))
			undetermined = 1;
		else
			clinical++;
	}
	if (!other || !undetermined)
		return err_set(e, FOLIO_EUSAGE, "a multiple-choice query must offer \"%s\" and \"%s\" (%s missing)",
			       QUERY_OPTION_OTHER, QUERY_OPTION_UNDETERMINED,
			       !other && !undetermined ? "both are" : !other ? "\"Other\" is" :
			       "\"Clinically undetermined\" is");
	if (clinical < 2)
		return err_set(e, FOLIO_EUSAGE, "a multiple-choice query offers at least two clinically reasonable"
			       " options besides \"Other\" and \"Clinically undetermined\"");
	return FOLIO_OK;
}

static int text_ok(const struct query_new *q, struct folio_err *e)
{
	int rc;

	if ((unsigned)q->format >= QUERY_FORMATS)
		return err_set(e, FOLIO_EUSAGE, "the format is open, multiple-choice or yes-no");
	if (q->format != QUERY_YESNO && q->yesno_case && *q->yesno_case)
		return err_set(e, FOLIO_EUSAGE, "only a yes/no query names a yes/no case");
	if ((rc = line_ok(q->question, QUERY_QUESTION_MAX, "the question", e)))
		return rc;
	if (!q->n_indicators)
		return err_set(e, FOLIO_EUSAGE, "a query cites the clinical indicators from the record: give at least"
			       " one");
	if ((rc = lines_ok(q->indicators, q->n_indicators, QUERY_INDICATORS_MAX, "indicator", e)))
		return rc;
	return options_ok(q, e);
}

/* A site setting in days, clamped to its range as the gate does. */
static long site_days(struct grant *g, const char *name)
{
	static const struct {
		const char *name;
		long def, lo, hi;
	} rows[] = {
#define QUERY_SETTING_ROW(n, d, lo, hi, help) { #n, d, lo, hi },
		FOLIO_SETTINGS(QUERY_SETTING_ROW)
#undef QUERY_SETTING_ROW
	};
	struct folio_err e2 = { 0 };
	struct stmt *s;
	long v = 0, lo = 0, hi = 0, def = 0;

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		if (strcmp(rows[i].name, name) == 0) {
			v = def = rows[i].def;
			lo = rows[i].lo;
			hi = rows[i].hi;
		}
	if (stmt_prepare(grant_store(g), "SELECT value FROM settings WHERE name = ?", &s, &e2) == FOLIO_OK) {
		stmt_bind_text(s, 1, name);
		if (stmt_step(s, &e2) == STMT_ROW)
			v = (long)stmt_int64(s, 0);
		stmt_finalize(s);
	}
	return v < lo || v > hi ? def : v;
}

int query_default_dates(struct grant *g, char due[11], char escalate[11], struct folio_err *e)
{
	long d = site_days(g, "query_due_days"), x = site_days(g, "query_escalate_days");

	(void)e;
	date_format_days(date_today() + d, due);
	date_format_days(date_today() + (x > d ? x : d), escalate);
	return FOLIO_OK;
}

/* The due and escalation dates: typed forms (T+2, 3/14/2027) or the
 * site's defaults; neither in the past, escalation not before due. */
static int dates_of(struct grant *g, const struct query_new *q, char due[11], char esc[11], struct folio_err *e)
{
	char today[11], def_due[11], def_esc[11];
	int rc;

	query_today(today);
	if ((rc = query_default_dates(g, def_due, def_esc, e)))
		return rc;
	str_copy(due, 11, def_due);
	if (q->due && *q->due && (rc = date_parse(q->due, date_today(), due, e)))
		return rc;
	if (strcmp(due, today) < 0)
		return err_set(e, FOLIO_EUSAGE, "the due date %s is in the past", due);
	str_copy(esc, 11, strcmp(def_esc, due) < 0 ? due : def_esc);
	if (q->escalate && *q->escalate && (rc = date_parse(q->escalate, date_today(), esc, e)))
		return rc;
	if (strcmp(esc, due) < 0)
		return err_set(e, FOLIO_EUSAGE, "the escalation date %s is before the due date %s", esc, due);
	return FOLIO_OK;
}

static int physician_ok(struct grant *g, const char *name, struct folio_err *e)
{
	char buf[16];
	const char *r;

	if (!name || !*name)
		return err_set(e, FOLIO_EUSAGE, "a query goes to a physician: name their user");
	if (!(r = chart_user_role(g, name, buf)))
		return err_set(e, FOLIO_EUSAGE, "%.40s: no such user", name);
	if (strcmp(r, "physician") != 0)
		return err_set(e, FOLIO_EUSAGE, "%.40s is not a physician: queries go to physicians", name);
	return FOLIO_OK;
}

/* "q\tQUESTION\n", "i\tINDICATOR\n"..., "o\tOPTION\n"... into a guarded
 * block (*len bytes). */
static char *body_of(const struct query_new *q, size_t *len)
{
	static const char *const yesno[] = { "Yes", "No", QUERY_OPTION_OTHER, QUERY_OPTION_UNDETERMINED };
	const char *const *opts = q->format == QUERY_YESNO ? yesno : q->options;
	size_t nopts = q->format == QUERY_YESNO ? ARRAY_SIZE(yesno) : q->n_options;
	size_t n = strlen(q->question) + 3, o = 0;
	char *b;

	for (size_t i = 0; i < q->n_indicators; i++)
		n += strlen(q->indicators[i]) + 3;
	for (size_t i = 0; i < nopts; i++)
		n += strlen(opts[i]) + 3;
	if (!(b = smem_alloc(n + 1)))
		return NULL;
	o += (size_t)snprintf(b + o, n + 1 - o, "%c\t%s\n", QUERY_KEY_QUESTION, q->question);
	for (size_t i = 0; i < q->n_indicators; i++)
		o += (size_t)snprintf(b + o, n + 1 - o, "%c\t%s\n", QUERY_KEY_INDICATOR, q->indicators[i]);
	/* The two options every query offers are kept in their usual spelling. */
	for (size_t i = 0; i < nopts; i++)
		o += (size_t)snprintf(b + o, n + 1 - o, "%c\t%s\n", QUERY_KEY_OPTION,
				      same_option(opts[i], QUERY_OPTION_OTHER) ? QUERY_OPTION_OTHER
				      : same_option(opts[i], QUERY_OPTION_UNDETERMINED) ? QUERY_OPTION_UNDETERMINED
				      : opts[i]);
	*len = o;
	return b;
}

int query_create(struct grant *g, const struct query_new *q, int64_t *id, struct folio_err *e)
{
	static const enum action ok[] = { ACT_QUERY_SEND };
	struct encounter_info enc;
	char due[11], esc[11], now[24];
	int64_t pid;
	struct stmt *s;
	char *body;
	size_t len;
	int rc;

	if ((rc = query_need(g, ok, 1, e)) || (rc = text_ok(q, e)) || (rc = physician_ok(g, q->to, e)))
		return rc;
	if ((rc = encounter_row_load(g, q->encounter_id, &enc, e)))
		return rc == FOLIO_ENOTFOUND ? err_set(e, FOLIO_ENOTFOUND, "no encounter %" PRId64 " on this chart",
						       q->encounter_id) : rc;
	if (strcmp(enc.state, "cancelled") == 0)
		return err_set(e, FOLIO_EUSAGE, "encounter %" PRId64 " was cancelled: there is nothing to query",
			       q->encounter_id);
	if ((rc = dates_of(g, q, due, esc, e)))
		return rc;
	if (!(pid = chart_patient_id(g, e)))
		return e->code;
	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(grant_store(g), "INSERT INTO queries (patient_id, encounter_id, format, yesno_case,"
				   " status, to_user, from_user, created_at, due_on, escalate_on)"
				   " VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, pid);
	stmt_bind_int64(s, 2, q->encounter_id);
	stmt_bind_text(s, 3, query_format_name(q->format));
	if (q->format == QUERY_YESNO)
		stmt_bind_text(s, 4, q->yesno_case);
	else
		stmt_bind_null(s, 4);
	stmt_bind_text(s, 5, q->to);
	stmt_bind_text(s, 6, session_user(grant_session(g)));
	stmt_bind_text(s, 7, now);
	stmt_bind_text(s, 8, due);
	stmt_bind_text(s, 9, esc);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	*id = store_last_rowid(grant_store(g));
	if (!(body = body_of(q, &len)))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	rc = doc_seal_into(g, "queries", "body", *id, DOC_OTHER, body, len, e);
	smem_free(body);
	return rc;
}

int query_set_status(struct grant *g, int64_t id, int64_t expect, const char *status, struct folio_err *e)
{
	const char *sql = strcmp(status, "answered") == 0
		? "UPDATE queries SET status = ?1, answered_at = ?2, answered_by = ?3, row_version = row_version + 1"
		  " WHERE id = ?4 AND row_version = ?5"
		: "UPDATE queries SET status = ?1, ended_at = ?2, ended_by = ?3, row_version = row_version + 1"
		  " WHERE id = ?4 AND row_version = ?5";
	struct stmt *s;
	char now[24];
	int rc;

	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(grant_store(g), sql, &s, e)))
		return rc;
	stmt_bind_text(s, 1, status);
	stmt_bind_text(s, 2, now);
	stmt_bind_text(s, 3, session_user(grant_session(g)));
	stmt_bind_int64(s, 4, id);
	stmt_bind_int64(s, 5, expect);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	if (store_changes(grant_store(g)) != 1)
		return err_set(e, FOLIO_ESTALE, "query %" PRId64 " was changed by someone else meanwhile: look again",
			       id);
	return FOLIO_OK;
}

/* Loads query id for a change by the coder's side (ACT_QUERY_SEND). */
static int coder_load(struct grant *g, int64_t id, struct query_info *q, struct folio_err *e)
{
	static const enum action ok[] = { ACT_QUERY_SEND };
	int64_t pid;
	int rc;

	if ((rc = query_need(g, ok, 1, e)))
		return rc;
	return query_row_load(g, id, q, &pid, e);
}

int query_withdraw(struct grant *g, int64_t id, const char *reason, struct folio_err *e)
{
	struct query_info q;
	int rc;

	if ((rc = coder_load(g, id, &q, e)))
		return rc;
	if (strcmp(q.status, "open") != 0 && strcmp(q.status, "escalated") != 0)
		return err_set(e, FOLIO_EUSAGE, "query %" PRId64 " is %s: only an unanswered query is withdrawn", id,
			       q.status);
	if (!reason || !*reason)
		return err_set(e, FOLIO_EUSAGE, "a withdrawal needs a reason");
	if ((rc = chart_line_ok(reason, 500, "the reason", e)) || (rc = query_set_status(g, id, q.row_version,
											 "withdrawn", e)))
		return rc;
	return doc_seal_into(g, "queries", "withdraw_reason", id, DOC_OTHER, reason, strlen(reason), e);
}

int query_close(struct grant *g, int64_t id, struct folio_err *e)
{
	struct query_info q;
	int rc;

	if ((rc = coder_load(g, id, &q, e)))
		return rc;
	if (strcmp(q.status, "answered") != 0)
		return err_set(e, FOLIO_EUSAGE, "query %" PRId64 " is %s: a query is closed once it is answered%s", id,
			       q.status, strcmp(q.status, "closed") == 0 || strcmp(q.status, "withdrawn") == 0
			       ? "" : " (or withdrawn with a reason)");
	return query_set_status(g, id, q.row_version, "closed", e);
}
