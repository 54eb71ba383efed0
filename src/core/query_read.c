/* folio — reading physician queries: one query with its text, lists of
 * plain facts (a chart's, an inbox, the overdue queries of the supervisor's
 * queue), and the chart a query number is on.
 *
 * "escalated" and the days overdue are worked out here, as of today, from
 * the stored dates: an open query is escalated from its escalation date on
 * and overdue the day after its due date. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_internal.h"
#include "core_internal.h"
#include "folio/date.h"
#include "folio/smem.h"
#include "query_internal.h"

#define Q_COLUMNS "q.id, q.encounter_id, p.mrn, q.format, q.yesno_case, q.status, q.to_user, q.from_user," \
		  " q.created_at, q.due_on, q.escalate_on, q.answered_at, q.answered_by, q.addendum_id," \
		  " q.ended_at, q.ended_by, q.row_version, q.patient_id"

static int64_t day_of(const char *ymd)
{
	int y, m, d;

	return sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d) == 3 ? date_days(y, m, d) : DATE_INVALID;
}

static void info_fill(struct stmt *s, const char *today, struct query_info *q)
{
	int f;

	memset(q, 0, sizeof *q);
	q->id = stmt_int64(s, 0);
	q->encounter_id = stmt_int64(s, 1);
	chart_col_copy(s, 2, q->mrn, sizeof q->mrn);
	f = query_format_parse(stmt_text(s, 3));
	q->format = f < 0 ? QUERY_OPEN : (enum query_format)f;
	chart_col_copy(s, 4, q->yesno_case, sizeof q->yesno_case);
	chart_col_copy(s, 5, q->status, sizeof q->status);
	chart_col_copy(s, 6, q->to, sizeof q->to);
	chart_col_copy(s, 7, q->from, sizeof q->from);
	chart_col_copy(s, 8, q->created, sizeof q->created);
	chart_col_copy(s, 9, q->due, sizeof q->due);
	chart_col_copy(s, 10, q->escalate, sizeof q->escalate);
	chart_col_copy(s, 11, q->answered_at, sizeof q->answered_at);
	chart_col_copy(s, 12, q->answered_by, sizeof q->answered_by);
	q->addendum_id = stmt_is_null(s, 13) ? 0 : stmt_int64(s, 13);
	chart_col_copy(s, 14, q->ended_at, sizeof q->ended_at);
	chart_col_copy(s, 15, q->ended_by, sizeof q->ended_by);
	q->row_version = stmt_int64(s, 16);
	if (strcmp(q->status, "open") != 0)
		return;
	if (strcmp(q->escalate, today) <= 0)
		str_copy(q->status, sizeof q->status, "escalated");
	if (strcmp(q->due, today) < 0) {
		int64_t due = day_of(q->due), now = day_of(today);
		q->days_overdue = due == DATE_INVALID || now == DATE_INVALID ? 1 : (int)(now - due);
	}
}

int query_row_load(struct grant *g, int64_t id, struct query_info *info, int64_t *patient_id, struct folio_err *e)
{
	char today[11];
	struct stmt *s;
	int rc;

	query_today(today);
	if ((rc = stmt_prepare(grant_store(g), "SELECT " Q_COLUMNS " FROM queries q JOIN patients p ON"
				   " p.id = q.patient_id WHERE q.id = ? AND p.mrn = ?", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	stmt_bind_text(s, 2, grant_mrn(g) ? grant_mrn(g) : "");
	rc = stmt_step(s, e);
	if (rc == STMT_ROW) {
		info_fill(s, today, info);
		*patient_id = stmt_int64(s, 17);
		rc = FOLIO_OK;
	} else if (rc == STMT_DONE) {
		rc = err_set(e, FOLIO_ENOTFOUND, "no query %" PRId64 " on this chart", id);
	}
	stmt_finalize(s);
	return rc;
}

/* ---- the text ------------------------------------------------------------- */

void query_text_free(struct query_text *t)
{
	smem_free(t);
}

/* Splits "K\tVALUE\n" lines of buf in place and files each value. */
static void text_parse(char *buf, struct query_text *t, int answer)
{
	char *line = buf, *next;

	for (; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!line[0] || line[1] != '\t')
			continue;
		switch (line[0]) {
		case QUERY_KEY_QUESTION: t->question = line + 2; break;
		case QUERY_KEY_INDICATOR:
			if (t->n_indicators < QUERY_INDICATORS_MAX)
				t->indicators[t->n_indicators++] = line + 2;
			break;
		case QUERY_KEY_OPTION:
			if (t->n_options < QUERY_OPTIONS_MAX)
				t->options[t->n_options++] = line + 2;
			break;
		case QUERY_KEY_PICK: if (answer) t->answer_option = atoi(line + 2); break;
		case QUERY_KEY_ANSWER: if (answer) t->answer = line + 2; break;
		case QUERY_KEY_COMMENT: if (answer) t->comment = line + 2; break;
		default: break;
		}
	}
}

int query_text_open(struct grant *g, int64_t id, struct query_text **out, struct folio_err *e)
{
	static const char *const cols[] = { "body", "answer", "withdraw_reason" };
	char *part[3] = { NULL, NULL, NULL };
	size_t len[3] = { 0, 0, 0 }, off = sizeof(struct query_text);
	struct query_text *t = NULL;
	char *block, *at[3];
	int rc = FOLIO_OK;

	*out = NULL;
	for (size_t i = 0; i < 3 && rc == FOLIO_OK; i++)
		rc = doc_open_from(g, "queries", cols[i], id, &part[i], &len[i], e);
	if (rc == FOLIO_OK && !(block = smem_alloc(off + len[0] + len[1] + len[2] + 3)))
		rc = err_set(e, FOLIO_EFAIL, "out of secure memory");
	if (rc == FOLIO_OK) {
		t = (struct query_text *)(void *)block;
		for (size_t i = 0; i < 3; i++) {
			at[i] = block + off;
			if (part[i])
				memcpy(at[i], part[i], len[i]);
			at[i][len[i]] = '\0';
			off += len[i] + 1;
		}
		t->question = t->answer = t->comment = "";
		text_parse(at[0], t, 0);
		text_parse(at[1], t, 1);
		t->withdraw_reason = at[2];
		*out = t;
	}
	for (size_t i = 0; i < 3; i++)
		smem_free(part[i]);
	return rc;
}

int query_get(struct grant *g, int64_t id, struct query_info *info, struct query_text **text, struct folio_err *e)
{
	static const enum action ok[] = { ACT_CHART_VIEW, ACT_QUERY_SEND, ACT_QUERY_ANSWER };
	int64_t pid;
	int rc;

	if (text)
		*text = NULL;
	if ((rc = query_need(g, ok, ARRAY_SIZE(ok), e)) || (rc = query_row_load(g, id, info, &pid, e)))
		return rc;
	return text ? query_text_open(g, id, text, e) : FOLIO_OK;
}

/* ---- lists ------------------------------------------------------------------ */

static const char *const statuses[] = { "open", "escalated", "answered", "withdrawn", "closed", "pending" };

static int walk(struct grant *g, const struct query_filter *f, int (*fn)(const struct query_info *, void *),
		void *ctx, struct folio_err *e)
{
	const char *me = session_user(grant_session(g)), *to = f->to && *f->to ? f->to : "";
	const char *status = f->status && strcmp(f->status, "all") != 0 ? f->status : "";
	struct query_info q;
	char today[11];
	struct stmt *s;
	int rc, known = !*status;

	for (size_t i = 0; i < ARRAY_SIZE(statuses); i++)
		known |= strcmp(status, statuses[i]) == 0;
	if (!known)
		return err_set(e, FOLIO_EUSAGE, "status is open, escalated, answered, withdrawn, closed, pending or all");
	/* Minimum necessary: a physician's lists are the queries sent to them. */
	if (session_role(grant_session(g)) == ROLE_PHYSICIAN) {
		if (*to && strcmp(to, me) != 0)
			return err_set(e, FOLIO_EDENIED, "a physician sees the queries sent to them only");
		to = me;
	}
	query_today(today);
	if ((rc = stmt_prepare(grant_store(g),
			       "SELECT " Q_COLUMNS " FROM queries q JOIN patients p ON p.id = q.patient_id"
			       " WHERE (?1 = '' OR p.mrn = ?1) AND (?2 = '' OR q.to_user = ?2)"
			       " AND (?3 = '' OR q.from_user = ?3) AND (?4 = 0 OR q.encounter_id = ?4)"
			       " AND (?5 = '' OR (?5 = 'pending' AND q.status = 'open')"
			       "  OR (?5 = 'open' AND q.status = 'open' AND q.escalate_on > ?6)"
			       "  OR (?5 = 'escalated' AND q.status = 'open' AND q.escalate_on <= ?6)"
			       "  OR (?5 NOT IN ('pending', 'open', 'escalated') AND q.status = ?5))"
			       " AND (?7 = 0 OR (q.status = 'open' AND q.due_on < ?6))"
			       " ORDER BY CASE WHEN ?7 THEN q.due_on END, q.created_at, q.id", &s, e)))
		return rc;
	stmt_bind_text(s, 1, grant_mrn(g) ? grant_mrn(g) : "");
	stmt_bind_text(s, 2, to);
	stmt_bind_text(s, 3, f->from && *f->from ? f->from : "");
	stmt_bind_int64(s, 4, f->encounter_id);
	stmt_bind_text(s, 5, status);
	stmt_bind_text(s, 6, today);
	stmt_bind_int64(s, 7, f->overdue != 0);
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		info_fill(s, today, &q);
		if (fn(&q, ctx))
			break;
	}
	stmt_finalize(s);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}

int query_list(struct grant *g, const struct query_filter *f, int (*fn)(const struct query_info *, void *),
	       void *ctx, struct folio_err *e)
{
	static const enum action chart[] = { ACT_CHART_VIEW, ACT_QUERY_SEND, ACT_QUERY_ANSWER };
	static const enum action across[] = { ACT_QUERY_SEND, ACT_INBOX_VIEW, ACT_QUEUE_VIEW };
	const char *mrn = grant_mrn(g);
	struct query_filter none = { 0 };
	int rc;

	if (mrn && *mrn)
		rc = query_need(g, chart, ARRAY_SIZE(chart), e);
	else
		rc = query_need(g, across, ARRAY_SIZE(across), e);
	return rc ? rc : walk(g, f ? f : &none, fn, ctx, e);
}

int query_inbox(struct grant *g, const char *physician, int (*fn)(const struct query_info *, void *), void *ctx,
		struct folio_err *e)
{
	static const enum action ok[] = { ACT_INBOX_VIEW };
	struct query_filter f = { .to = physician, .status = "pending" };
	int rc;

	if ((rc = query_need(g, ok, 1, e)))
		return rc;
	if ((!physician || !*physician) && session_role(grant_session(g)) != ROLE_PHYSICIAN)
		return err_set(e, FOLIO_EUSAGE, "whose inbox: name the physician");
	return walk(g, &f, fn, ctx, e);
}

int query_overdue(struct grant *g, const char *physician, int (*fn)(const struct query_info *, void *), void *ctx,
		  struct folio_err *e)
{
	static const enum action ok[] = { ACT_QUEUE_VIEW, ACT_QUERY_SEND, ACT_INBOX_VIEW };
	struct query_filter f = { .to = physician, .overdue = 1 };
	int rc;

	if ((rc = query_need(g, ok, ARRAY_SIZE(ok), e)))
		return rc;
	return walk(g, &f, fn, ctx, e);
}
