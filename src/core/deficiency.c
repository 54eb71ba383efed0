/* folio — reading the deficiencies (include/folio/deficiency.h): a chart's
 * list and `check`, the supervisor's queue, the delinquency rate and a
 * physician's inbox.  Nothing here writes except `check`, which runs the
 * evaluator first.  What depends on the clock (due date, days overdue,
 * delinquent) is worked out here from the stored anchor and the rule's days
 * as they stand now. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "chart_internal.h"
#include "deficiency_internal.h"
#include "folio/date.h"
#include "folio/smem.h"
#include "folio/store.h"

#define DAY 86400

#define DEF_SELECT \
	"SELECT d.id, p.mrn, d.encounter_id, x.kind, x.state, coalesce(nullif(x.service, ''), x.clinic)," \
	" coalesce(x.attending, ''), d.rule, r.title, coalesce(d.document_id, 0), d.responsible," \
	" r.responsible, d.assigned, d.status, d.detail, d.created_at, d.updated_at," \
	" coalesce(d.anchor_at, ''), CASE WHEN x.state IN ('discharged', 'closed') THEN" \
	" coalesce(x.ended_at, '') ELSE '' END, r.days, (SELECT count(*) FROM deficiency_events v" \
	" WHERE v.deficiency_id = d.id AND v.kind = 'remind'), d.row_version" \
	" FROM deficiencies d JOIN encounters x ON x.id = d.encounter_id" \
	" JOIN patients p ON p.id = d.patient_id JOIN deficiency_rules r ON r.code = d.rule"

/* The clock and the setting the derived fields need. */
struct when {
	int64_t now;
	long delinquent_days;
};

static void when_now(struct grant *g, struct when *w)
{
	w->now = time_now();
	w->delinquent_days = grant_setting(g, "delinquent_days");
}

static void info_fill(struct stmt *s, const struct when *w, struct deficiency_info *d)
{
	int64_t anchor, ended;
	int days;

	memset(d, 0, sizeof *d);
	d->id = stmt_int64(s, 0);
	chart_col_copy(s, 1, d->mrn, sizeof d->mrn);
	d->encounter_id = stmt_int64(s, 2);
	chart_col_copy(s, 3, d->enc_kind, sizeof d->enc_kind);
	chart_col_copy(s, 4, d->enc_state, sizeof d->enc_state);
	chart_col_copy(s, 5, d->service, sizeof d->service);
	chart_col_copy(s, 6, d->attending, sizeof d->attending);
	chart_col_copy(s, 7, d->type, sizeof d->type);
	chart_col_copy(s, 8, d->title, sizeof d->title);
	d->document_id = stmt_int64(s, 9);
	chart_col_copy(s, 10, d->responsible, sizeof d->responsible);
	chart_col_copy(s, 11, d->role, sizeof d->role);
	d->assigned = (int)stmt_int64(s, 12);
	chart_col_copy(s, 13, d->status, sizeof d->status);
	chart_col_copy(s, 14, d->detail, sizeof d->detail);
	chart_col_copy(s, 15, d->created, sizeof d->created);
	chart_col_copy(s, 16, d->updated, sizeof d->updated);
	chart_col_copy(s, 17, d->anchor_at, sizeof d->anchor_at);
	chart_col_copy(s, 18, d->discharged, sizeof d->discharged);
	days = (int)stmt_int64(s, 19);
	d->reminders = (int)stmt_int64(s, 20);
	d->row_version = stmt_int64(s, 21);
	d->open = deficiency_status_open(d->status);
	d->age_days = -1;
	if ((anchor = def_epoch(d->anchor_at)) >= 0) {
		int64_t due = anchor + (int64_t)days * DAY;
		date_format_days(due / DAY, d->due);
		if (d->open && w->now > due)
			d->days_overdue = (int)((w->now - due) / DAY);
	}
	if ((ended = def_epoch(d->discharged)) >= 0) {
		d->age_days = w->now > ended ? (int)((w->now - ended) / DAY) : 0;
		d->delinquent = d->open && w->now - ended > (int64_t)w->delinquent_days * DAY;
	}
}

/* Calls fn for each row of sql (DEF_SELECT + a condition and an order)
 * binding mrn as ?1 when given. */
static int walk(struct grant *g, const char *sql, const char *mrn, int (*keep)(const struct deficiency_info *, void *),
		void *kctx, int (*fn)(const struct deficiency_info *, void *), void *ctx, struct folio_err *e)
{
	struct deficiency_info d;
	struct when w;
	struct stmt *s;
	int rc;

	when_now(g, &w);
	if ((rc = stmt_prepare(grant_store(g), sql, &s, e)))
		return rc;
	if (mrn)
		stmt_bind_text(s, 1, mrn);
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		info_fill(s, &w, &d);
		if (keep && !keep(&d, kctx))
			continue;
		if (fn(&d, ctx))
			break;
	}
	stmt_finalize(s);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}

static int need_any(struct grant *g, const enum action *a, int n, const char *what, struct folio_err *e)
{
	if (!def_action_in(g, a, n))
		return err_set(e, FOLIO_EDENIED, "%s needs its own grant", what);
	return FOLIO_OK;
}

/* ---- a chart ------------------------------------------------------------ */

static int patient_rows(struct grant *g, int all, int (*fn)(const struct deficiency_info *, void *), void *ctx,
			struct folio_err *e)
{
	return walk(g, all ? DEF_SELECT " WHERE p.mrn = ?1 ORDER BY d.status NOT IN ('incomplete', 'dictated',"
				  " 'transcribed'), d.encounter_id, d.id"
			   : DEF_SELECT " WHERE p.mrn = ?1 AND d.status IN ('incomplete', 'dictated', 'transcribed')"
					" ORDER BY d.encounter_id, d.id",
		    grant_mrn(g), NULL, NULL, fn, ctx, e);
}

int deficiency_list(struct grant *g, int all, int (*fn)(const struct deficiency_info *, void *), void *ctx,
		    struct folio_err *e)
{
	static const enum action ok[] = { ACT_CHART_VIEW, ACT_QUEUE_VIEW, ACT_DEFICIENCY_EDIT };
	int rc;

	if ((rc = need_any(g, ok, (int)ARRAY_SIZE(ok), "listing deficiencies", e)))
		return rc;
	if (!grant_mrn(g) || !*grant_mrn(g))
		return err_set(e, FOLIO_EUSAGE, "a chart's deficiencies need a grant on that chart");
	return patient_rows(g, all, fn, ctx, e);
}

int deficiency_check(struct grant *g, int all, int (*fn)(const struct deficiency_info *, void *), void *ctx,
		     struct folio_err *e)
{
	int rc;

	if (grant_action(g) != ACT_DEFICIENCY_EDIT)
		return err_set(e, FOLIO_EDENIED, "checking a chart needs its own grant");
	if (!grant_mrn(g) || !*grant_mrn(g))
		return err_set(e, FOLIO_EUSAGE, "a check needs a grant on the chart");
	if (!chart_patient_id(g, e))
		return e->code;
	if ((rc = deficiency_refresh(g, 0, e)))
		return rc;
	return patient_rows(g, all, fn, ctx, e);
}

int deficiency_charts(struct grant *g, int (*fn)(const char *mrn, void *), void *ctx, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if (grant_action(g) != ACT_QUEUE_VIEW)
		return err_set(e, FOLIO_EDENIED, "listing the charts to check needs a queue grant");
	if ((rc = stmt_prepare(grant_store(g), "SELECT DISTINCT p.mrn FROM encounters x JOIN patients p"
					       " ON p.id = x.patient_id WHERE x.state IN ('admitted', 'discharged',"
					       " 'closed') OR EXISTS (SELECT 1 FROM deficiencies d WHERE"
					       " d.encounter_id = x.id) ORDER BY p.mrn", &s, e)))
		return rc;
	while ((rc = stmt_step(s, e)) == STMT_ROW)
		if (fn(stmt_text(s, 0), ctx))
			break;
	stmt_finalize(s);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}

/* The grant may read deficiency id: one on its chart, or a department-wide
 * one. */
int deficiency_get(struct grant *g, int64_t id, struct deficiency_info *out, struct folio_err *e)
{
	struct when w;
	struct stmt *s;
	const char *mrn = grant_mrn(g);
	int rc;

	when_now(g, &w);
	if ((rc = stmt_prepare(grant_store(g), DEF_SELECT " WHERE d.id = ?1", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	rc = stmt_step(s, e);
	if (rc == STMT_ROW) {
		info_fill(s, &w, out);
		rc = FOLIO_OK;
	} else if (rc == STMT_DONE) {
		rc = err_set(e, FOLIO_ENOTFOUND, "no deficiency %" PRId64, id);
	}
	stmt_finalize(s);
	if (rc == FOLIO_OK && mrn && *mrn && strcmp(mrn, out->mrn) != 0)
		rc = err_set(e, FOLIO_ENOTFOUND, "no deficiency %" PRId64 " on this chart", id);
	else if (rc == FOLIO_OK && (!mrn || !*mrn) && grant_action(g) != ACT_QUEUE_VIEW &&
		 grant_action(g) != ACT_INBOX_VIEW)
		rc = err_set(e, FOLIO_EDENIED, "reading a deficiency needs a grant on its chart");
	return rc;
}

/* ---- the queue ----------------------------------------------------------- */

static int queue_keep(const struct deficiency_info *d, void *ctx)
{
	const struct deficiency_filter *f = ctx;

	if (!f)
		return d->open;
	if (!f->closed && !d->open)
		return 0;
	if (f->physician && *f->physician && strcmp(d->responsible, f->physician) != 0)
		return 0;
	if (f->service && *f->service && strcasecmp(d->service, f->service) != 0)
		return 0;
	if (f->type && *f->type && strcmp(d->type, f->type) != 0)
		return 0;
	return !f->delinquent || d->delinquent;
}

struct rows {
	struct deficiency_info *v;
	size_t n, cap;
	int oom;
};

static int rows_add(const struct deficiency_info *d, void *ctx)
{
	struct rows *r = ctx;

	if (r->n == r->cap) {
		struct deficiency_info *m = realloc(r->v, (r->cap = r->cap ? r->cap * 2 : 64) * sizeof *m);
		if (!m) {
			r->oom = 1;
			return 1;
		}
		r->v = m;
	}
	r->v[r->n++] = *d;
	return 0;
}

/* Most days overdue first, then the oldest due, then chart and number. */
static int queue_order(const void *a, const void *b)
{
	const struct deficiency_info *x = a, *y = b;
	int c;

	if (x->days_overdue != y->days_overdue)
		return x->days_overdue > y->days_overdue ? -1 : 1;
	if ((c = strcmp(x->due, y->due)) != 0)
		return c;
	if ((c = strcmp(x->mrn, y->mrn)) != 0)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

int deficiency_queue(struct grant *g, const struct deficiency_filter *f,
		     int (*fn)(const struct deficiency_info *, void *), void *ctx, struct folio_err *e)
{
	struct rows r = { 0 };
	int rc;

	if (grant_action(g) != ACT_QUEUE_VIEW)
		return err_set(e, FOLIO_EDENIED, "the queue needs its own grant");
	rc = walk(g, f && f->closed ? DEF_SELECT " WHERE d.status <> 'withdrawn'"
				    : DEF_SELECT " WHERE d.status IN ('incomplete', 'dictated', 'transcribed')",
		  NULL, queue_keep, (void *)f, rows_add, &r, e);
	if (rc == FOLIO_OK && r.oom)
		rc = err_set(e, FOLIO_EFAIL, "out of memory");
	if (rc == FOLIO_OK) {
		if (r.n > 1)
			qsort(r.v, r.n, sizeof *r.v, queue_order);
		for (size_t i = 0; i < r.n; i++)
			if (fn(&r.v[i], ctx))
				break;
	}
	free(r.v);
	return rc;
}

/* ---- the delinquency rate ------------------------------------------------ */

double deficiency_rate_pct(int delinquent, int discharges, int months)
{
	double monthly;

	if (delinquent <= 0 || discharges <= 0 || months <= 0)
		return 0.0;
	monthly = (double)discharges / months;
	return (double)delinquent / monthly * 100.0;
}

/* The first day of the month `back` months before the month of day. */
static int64_t month_start(int64_t day, int back)
{
	char ymd[11];
	int y, m, d;

	date_format_days(day, ymd);
	if (sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return day;
	m -= back;
	while (m < 1) {
		m += 12;
		y--;
	}
	return date_days(y, m, 1);
}

static int count_of(struct grant *g, const char *sql, const char *a, const char *b, int *out, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if ((rc = stmt_prepare(grant_store(g), sql, &s, e)))
		return rc;
	if (a)
		stmt_bind_text(s, 1, a);
	if (b)
		stmt_bind_text(s, 2, b);
	rc = stmt_step(s, e);
	if (rc == STMT_ROW)
		*out = (int)stmt_int64(s, 0);
	stmt_finalize(s);
	return rc == STMT_ROW ? FOLIO_OK : rc == STMT_DONE ? err_set(e, FOLIO_EFAIL, "no count") : rc;
}

int deficiency_rate_at(struct grant *g, int64_t now, struct deficiency_rate *out, struct folio_err *e)
{
	static const enum action ok[] = { ACT_QUEUE_VIEW, ACT_INBOX_VIEW, ACT_REPORT_RUN };
	char from[24], to[24], cut[24];
	int64_t today = now / DAY, first, last;
	int rc;

	if ((rc = need_any(g, ok, (int)ARRAY_SIZE(ok), "the delinquency rate", e)))
		return rc;
	memset(out, 0, sizeof *out);
	out->months = (int)grant_setting(g, "delinquency_months");
	out->limit_pct = (int)grant_setting(g, "delinquency_limit_pct");
	out->delinquent_days = (int)grant_setting(g, "delinquent_days");
	first = month_start(today, out->months);
	last = month_start(today, 0); /* exclusive: the month under way is not full */
	date_format_days(first, out->from);
	date_format_days(last - 1, out->to);
	time_utc_format(first * DAY, from, sizeof from);
	time_utc_format(last * DAY, to, sizeof to);
	time_utc_format(now - (int64_t)out->delinquent_days * DAY, cut, sizeof cut);
	if ((rc = count_of(g, "SELECT count(*) FROM encounters WHERE kind = 'inpatient' AND state = 'discharged'"
			      " AND ended_at >= ?1 AND ended_at < ?2", from, to, &out->discharges, e)) ||
	    (rc = count_of(g, "SELECT count(DISTINCT x.id) FROM encounters x JOIN deficiencies d"
			      " ON d.encounter_id = x.id WHERE x.kind = 'inpatient' AND x.state = 'discharged'"
			      " AND x.ended_at < ?1 AND d.status IN ('incomplete', 'dictated', 'transcribed')",
			      cut, NULL, &out->delinquent, e)) ||
	    (rc = count_of(g, "SELECT count(DISTINCT d.encounter_id) FROM deficiencies d"
			      " WHERE d.status IN ('incomplete', 'dictated', 'transcribed')", NULL, NULL,
			      &out->incomplete, e)))
		return rc;
	out->monthly = out->months > 0 ? (double)out->discharges / out->months : 0.0;
	out->pct = deficiency_rate_pct(out->delinquent, out->discharges, out->months);
	out->over = out->pct > out->limit_pct;
	return FOLIO_OK;
}

int deficiency_rate(struct grant *g, struct deficiency_rate *out, struct folio_err *e)
{
	return deficiency_rate_at(g, time_now(), out, e);
}

/* ---- the inbox ------------------------------------------------------------ */

/* The user whose inbox this grant may read: a physician their own. */
static int inbox_user(struct grant *g, const char *user, const char **out, struct folio_err *e)
{
	struct session *s = grant_session(g);

	if (grant_action(g) != ACT_INBOX_VIEW)
		return err_set(e, FOLIO_EDENIED, "the inbox needs its own grant");
	*out = user && *user ? user : session_user(s);
	if (session_role(s) != ROLE_SUPERVISOR && strcmp(*out, session_user(s)) != 0)
		return err_set(e, FOLIO_EDENIED, "a physician reads only their own inbox");
	return FOLIO_OK;
}

static int inbox_order(const void *a, const void *b)
{
	const struct deficiency_info *x = a, *y = b;
	int c;

	if ((c = strcmp(x->due, y->due)) != 0)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int mine(const struct deficiency_info *d, void *ctx)
{
	return strcmp(d->responsible, (const char *)ctx) == 0;
}

int deficiency_inbox(struct grant *g, const char *user, int (*fn)(const struct deficiency_info *, void *),
		     void *ctx, struct folio_err *e)
{
	struct rows r = { 0 };
	const char *u;
	int rc;

	if ((rc = inbox_user(g, user, &u, e)))
		return rc;
	rc = walk(g, DEF_SELECT " WHERE d.status IN ('incomplete', 'dictated', 'transcribed')", NULL, mine, (void *)u,
		  rows_add, &r, e);
	if (rc == FOLIO_OK && r.oom)
		rc = err_set(e, FOLIO_EFAIL, "out of memory");
	if (rc == FOLIO_OK) {
		if (r.n > 1)
			qsort(r.v, r.n, sizeof *r.v, inbox_order);
		for (size_t i = 0; i < r.n; i++)
			if (fn(&r.v[i], ctx))
				break;
	}
	free(r.v);
	return rc;
}

int deficiency_reminders(struct grant *g, const char *user, int (*fn)(const struct reminder_info *, void *),
			 void *ctx, struct folio_err *e)
{
	struct reminder_info *ri;
	struct stmt *s;
	const char *u;
	int rc;

	if ((rc = inbox_user(g, user, &u, e)))
		return rc;
	/* the notes are decrypted into guarded memory */
	if (!(ri = smem_alloc(sizeof *ri)))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = stmt_prepare(grant_store(g),
			       "SELECT v.id, d.id, p.mrn, d.encounter_id, d.rule, r.title, v.by_user, v.at, v.note,"
			       " d.status IN ('incomplete', 'dictated', 'transcribed')"
			       " FROM deficiency_events v JOIN deficiencies d ON d.id = v.deficiency_id"
			       " JOIN patients p ON p.id = d.patient_id JOIN deficiency_rules r ON r.code = d.rule"
			       " WHERE v.kind = 'remind' AND v.to_user = ? ORDER BY v.id DESC", &s, e))) {
		smem_free(ri);
		return rc;
	}
	stmt_bind_text(s, 1, u);
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		size_t len = 0;
		const void *env;
		memset(ri, 0, sizeof *ri);
		ri->id = stmt_int64(s, 0);
		ri->deficiency_id = stmt_int64(s, 1);
		chart_col_copy(s, 2, ri->mrn, sizeof ri->mrn);
		ri->encounter_id = stmt_int64(s, 3);
		chart_col_copy(s, 4, ri->type, sizeof ri->type);
		chart_col_copy(s, 5, ri->title, sizeof ri->title);
		chart_col_copy(s, 6, ri->from, sizeof ri->from);
		chart_col_copy(s, 7, ri->at, sizeof ri->at);
		env = stmt_is_null(s, 8) ? NULL : stmt_blob(s, 8, &len);
		def_event_note(g, ri->id, env, len, ri->note, sizeof ri->note);
		ri->open = stmt_int64(s, 9) != 0;
		if (fn(ri, ctx))
			break;
	}
	stmt_finalize(s);
	smem_free(ri);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}
