/* folio — the access report: "who looked at my chart" (src/access/
 * access_report.c), read from the audit log under ACT_ACCESS_REPORT.
 *
 * Each audit row on the grant's chart becomes one line: who, their role,
 * what they did in plain words, in which group (viewed, changed,
 * printed-exported, denied), when, from which workstation.
 */
#ifndef FOLIO_ACCESS_REPORT_H
#define FOLIO_ACCESS_REPORT_H

#include "folio/audit.h"

enum access_group { AG_VIEWED, AG_CHANGED, AG_PRINTED, AG_DENIED };

struct access_line {
	const struct audit_row *row; /* the audit row itself */
	enum access_group group;
	const char *what;            /* "read the clinical chart" */
};

/* "viewed", "changed", "printed-exported", "denied". */
const char *access_group_name(enum access_group g);
/* Every audit row on the grant's chart since `since` (YYYY-MM-DD, or NULL
 * for all), oldest first or newest_first.  A non-zero return from fn stops
 * the walk. */
int access_report(struct grant *g, const char *since, int newest_first,
		  int (*fn)(const struct access_line *, void *), void *ctx, struct folio_err *e) MUST_CHECK;

#endif
