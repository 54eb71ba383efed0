/* folio — the access report (include/folio/access_report.h): one chart's
 * audit rows put in plain words for a patient asking who looked at it. */
#include "folio/access_report.h"

#include <stdint.h>
#include <string.h>

#include "folio/grant.h"

/* Actions that only read or look up; the rest change the chart, except
 * releases and exports, which send it out. */
static const enum action reads[] = {
	ACT_PATIENT_FIND, ACT_PATIENT_VIEW, ACT_CHART_VIEW, ACT_CHECKIN_LIST, ACT_ALERT_REVIEW, ACT_QUEUE_VIEW,
	ACT_BREAK_GLASS, ACT_NOTE_VERIFY, ACT_INBOX_VIEW, ACT_ACCESS_REPORT,
	ACT_CODES_SEARCH,
};

const char *access_group_name(enum access_group g)
{
	static const char *const names[] = { "viewed", "changed", "printed-exported", "denied" };

	return (unsigned)g < ARRAY_SIZE(names) ? names[g] : "?";
}

struct walk {
	int (*fn)(const struct access_line *, void *);
	void *ctx;
};

static int one(const struct audit_row *r, void *ctx)
{
	struct walk *w = ctx;
	struct access_line l = { r, AG_CHANGED, r->action };
	int a;

	for (a = 0; a < ACT_COUNT && strcmp(action_name((enum action)a), r->action) != 0; a++)
		;
	if (a < ACT_COUNT) {
		l.what = action_help((enum action)a);
		if (a == ACT_ROI_PROCESS || a == ACT_EXPORT_RUN)
			l.group = AG_PRINTED;
		/* The accounting grant both reads the ledger and records in it:
		 * only an entry ("disclosure" object) is a change. */
		if (a == ACT_DISCLOSURE_ACCOUNT && strcmp(r->object_type, "disclosure") != 0)
			l.group = AG_VIEWED;
		for (size_t i = 0; i < ARRAY_SIZE(reads); i++)
			if (reads[i] == (enum action)a)
				l.group = AG_VIEWED;
	}
	if (strcmp(r->outcome, "denied") == 0)
		l.group = AG_DENIED;
	return w->fn(&l, w->ctx);
}

int access_report(struct grant *g, const char *since, int newest_first,
		  int (*fn)(const struct access_line *, void *), void *ctx, struct folio_err *e)
{
	struct audit_filter f = { .mrn = grant_mrn(g), .since = since, .limit = newest_first ? INT64_MAX : 0 };
	struct walk w = { fn, ctx };

	if (grant_action(g) != ACT_ACCESS_REPORT || !grant_mrn(g))
		return err_set(e, FOLIO_EDENIED, "the access report needs its own grant on the chart");
	return audit_show(g, &f, one, &w, e);
}
