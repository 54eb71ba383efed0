/* folio — the demo's physician queries: on the fixed patients' admissions
 * the technician asks the doctor what coders ask (indicators quoted from
 * the chart as the interface picks them), so `make run` shows an inbox with
 * work in it and the supervisor's queue an overdue query:
 *   - heart failure chart: a multiple-choice query, open;
 *   - diabetes chart: an open-ended query raised ten days ago, now overdue
 *     and escalated; and a yes/no present-on-admission query the doctor
 *     has answered (a signed addendum, waiting for the coder to close it);
 *   - asthma chart: an open-ended query on the emergency visit, open. */
#include <stdio.h>
#include <string.h>

#include "demo_internal.h"
#include "folio/chart.h"
#include "folio/date.h"
#include "folio/demo.h"
#include "folio/grant.h"
#include "folio/query.h"
#include "folio/smem.h"
#include "folio/store.h"

#define DQ_LINES 4

/* Indicators taken from the chart: the first three results, then a problem. */
struct dq_pick {
	char line[DQ_LINES][QUERY_LINE_MAX + 1];
	const char *ptr[DQ_LINES];
	size_t n, results;
};

static int dq_keep(const char *line, const char *source, void *ctx)
{
	struct dq_pick *p = ctx;
	int result = strcmp(source, "result") == 0;

	if ((result && p->results < DQ_LINES - 1) || (!result && strcmp(source, "problem") == 0 && p->n < DQ_LINES)) {
		str_copy(p->line[p->n], sizeof p->line[0], line);
		p->ptr[p->n] = p->line[p->n];
		p->n++;
		p->results += result;
	}
	return p->n >= DQ_LINES;
}

struct dq_enc {
	const char *kind;
	int64_t id;
};

static int dq_enc_keep(const struct encounter_info *x, void *ctx)
{
	struct dq_enc *f = ctx;

	if (strcmp(x->kind, f->kind) != 0 || strcmp(x->state, "cancelled") == 0)
		return 0;
	f->id = x->id;
	return 1;
}

/* The newest encounter of kind on chart mrn, and indicators from it. */
static int dq_read(struct session *tech, const char *mrn, const char *kind, int64_t *enc, struct dq_pick *p,
		   struct folio_err *e)
{
	struct dq_enc f = { kind, 0 };
	struct grant *g;
	int rc;

	if ((rc = access_begin(tech, ACT_CHART_VIEW, mrn, "query", "demo", &g, e)))
		return rc;
	rc = encounter_list(g, dq_enc_keep, &f, e);
	if (rc == FOLIO_OK && f.id)
		rc = query_indicator_lines(g, f.id, dq_keep, p, e);
	*enc = f.id;
	return access_end(g, rc, e);
}

/* Moves a new query back in time: raised days_ago, due and escalated
 * before today (the demo's history; a user cannot date a query back). */
static int dq_backdate(struct grant *g, int64_t id, int days_ago, struct folio_err *e)
{
	char created[24], due[11], esc[11];
	struct stmt *s;
	int rc;

	time_utc_format(time_now() - (int64_t)days_ago * 86400, created, sizeof created);
	date_format_days(date_today() - days_ago + 2, due);
	date_format_days(date_today() - days_ago + 7, esc);
	if ((rc = stmt_prepare(grant_store(g), "UPDATE queries SET created_at = ?, due_on = ?, escalate_on = ?"
				   " WHERE id = ?", &s, e)))
		return rc;
	stmt_bind_text(s, 1, created);
	stmt_bind_text(s, 2, due);
	stmt_bind_text(s, 3, esc);
	stmt_bind_int64(s, 4, id);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

static int dq_send(struct session *tech, const char *mrn, struct query_new *q, int days_ago, int64_t *id,
		   struct folio_err *e)
{
	struct grant *g;
	int rc;

	if ((rc = access_begin(tech, ACT_QUERY_SEND, mrn, "query", "demo", &g, e)))
		return rc;
	rc = query_create(g, q, id, e);
	if (rc == FOLIO_OK && days_ago)
		rc = dq_backdate(g, *id, days_ago, e);
	return access_end(g, rc, e);
}

static int dq_answer(struct session *doctor, const char *mrn, int64_t id, struct folio_err *e)
{
	static const char code[] = DEMO_DOCTOR_SIGNATURE_CODE;
	struct query_reply r = { 1, NULL, "Cough and fever for three days before admission." };
	struct grant *g;
	int64_t doc;
	int rc;

	if ((rc = access_begin(doctor, ACT_QUERY_ANSWER, mrn, "query", "demo", &g, e)))
		return rc;
	return access_end(g, query_answer(g, id, &r, code, sizeof code - 1, &doc, e), e);
}

/* The queries of one fixed chart. */
static int dq_chart(struct session *tech, struct session *doctor, const struct demo_chart *c, struct dq_pick *p,
		    struct folio_err *e)
{
	static const char *const hf_options[] = { "Hypokalemia", "Expected finding, not clinically significant",
						  QUERY_OPTION_OTHER, QUERY_OPTION_UNDETERMINED };
	struct query_new q = { 0 };
	const char *kind = c->story == DEMO_STORY_ASTHMA ? "emergency" : "inpatient";
	int64_t enc = 0, id = 0;
	int rc;

	memset(p, 0, sizeof *p);
	if ((rc = dq_read(tech, c->mrn, kind, &enc, p, e)) || !enc || !p->n)
		return rc;
	q.encounter_id = enc;
	q.to = "doctor";
	q.indicators = p->ptr;
	q.n_indicators = p->n;
	switch (c->story) {
	case DEMO_STORY_HEART:
		q.format = QUERY_CHOICE;
		q.question = "Based on the results cited, please clarify the clinical significance of the potassium"
			     " level during this admission.";
		q.options = hf_options;
		q.n_options = ARRAY_SIZE(hf_options);
		return dq_send(tech, c->mrn, &q, 0, &id, e);
	case DEMO_STORY_DIABETES:
		q.format = QUERY_OPEN;
		q.question = "Please document the clinical significance of the glucose and hemoglobin A1c results"
			     " during this admission.";
		if ((rc = dq_send(tech, c->mrn, &q, 10, &id, e)))
			return rc;
		q.format = QUERY_YESNO;
		q.yesno_case = "poa";
		q.question = "Was the pneumonia documented in the discharge summary present on admission?";
		if ((rc = dq_send(tech, c->mrn, &q, 0, &id, e)))
			return rc;
		return dq_answer(doctor, c->mrn, id, e);
	default:
		q.format = QUERY_OPEN;
		q.question = "Please document the severity of the asthma exacerbation treated at this visit.";
		return dq_send(tech, c->mrn, &q, 0, &id, e);
	}
}

int demo_queries(struct session *tech, struct session *doctor, const struct demo_chart *c, size_t n,
		 struct folio_err *e)
{
	struct dq_pick *p = smem_alloc(sizeof *p);
	int rc = FOLIO_OK;

	if (!p)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	for (size_t i = 0; i < n && rc == FOLIO_OK; i++)
		if (c[i].story == DEMO_STORY_HEART || c[i].story == DEMO_STORY_DIABETES ||
		    c[i].story == DEMO_STORY_ASTHMA)
			rc = dq_chart(tech, doctor, &c[i], p, e);
	smem_free(p);
	return rc;
}
