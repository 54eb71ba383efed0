/* folio — the demo's completeness work.  The deficiencies themselves come
 * from the charts as demo_chart.c fills them (the evaluator runs with every
 * admission, discharge, note and code); here the records technician works
 * the queue as they would on a Monday: a reminder to the doctor about the
 * most overdue delinquent discharge summaries, a note on one, and a review
 * of a signed summary.  All of it through the gate, audited. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "demo_internal.h"
#include "folio/deficiency.h"

#define DEMO_REMINDERS 2

struct pick {
	int64_t id[DEMO_REMINDERS + 1];
	char mrn[DEMO_REMINDERS + 1][16];
	int n, max;
	const char *status;   /* NULL: any open one */
};

static int pick_add(const struct deficiency_info *d, void *ctx)
{
	struct pick *p = ctx;

	if (p->status && strcmp(d->status, p->status) != 0)
		return 0;
	p->id[p->n] = d->id;
	str_copy(p->mrn[p->n], sizeof p->mrn[p->n], d->mrn);
	return ++p->n >= p->max;
}

static int queue_pick(struct session *tech, const struct deficiency_filter *f, struct pick *p,
		      struct folio_err *e)
{
	struct grant *g;
	int rc = access_begin(tech, ACT_QUEUE_VIEW, NULL, "queue", NULL, &g, e);

	return rc ? rc : access_end(g, deficiency_queue(g, f, pick_add, p, e), e);
}

enum demo_def_op { DD_REMIND, DD_NOTE, DD_REVIEW };

static int on_deficiency(struct session *tech, const char *mrn, int64_t id, enum demo_def_op op,
			 struct folio_err *e)
{
	struct grant *g;
	char oid[24];
	int64_t rid;
	int rc;

	snprintf(oid, sizeof oid, "%" PRId64, id);
	if ((rc = access_begin(tech, ACT_DEFICIENCY_EDIT, mrn, "deficiency", oid, &g, e)))
		return rc;
	if (op == DD_REMIND)
		rc = deficiency_remind(g, id, "Discharge summary past due: the chart is delinquent. Please review"
					      " and sign.", &rid, e);
	else if (op == DD_NOTE)
		rc = deficiency_note(g, id, "Dictation received from the doctor's office; transcribed, awaiting"
					    " signature.", e);
	else
		rc = deficiency_review(g, id, e);
	return access_end(g, rc, e);
}

int demo_deficiencies(struct session *tech, struct folio_err *e)
{
	struct deficiency_filter late = { .type = "discharge-summary", .delinquent = 1 };
	struct deficiency_filter done = { .type = "discharge-summary", .closed = 1 };
	struct pick p = { .max = DEMO_REMINDERS };
	struct pick s = { .max = 1, .status = "signed" };
	int rc;

	if ((rc = queue_pick(tech, &late, &p, e)))
		return rc;
	for (int i = 0; i < p.n && rc == FOLIO_OK; i++)
		rc = on_deficiency(tech, p.mrn[i], p.id[i], DD_REMIND, e);
	if (rc == FOLIO_OK && p.n > 0)
		rc = on_deficiency(tech, p.mrn[0], p.id[0], DD_NOTE, e);
	if (rc == FOLIO_OK)
		rc = queue_pick(tech, &done, &s, e);
	if (rc == FOLIO_OK && s.n > 0)
		rc = on_deficiency(tech, s.mrn[0], s.id[0], DD_REVIEW, e);
	return rc;
}
