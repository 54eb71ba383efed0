/* folio — department reports (src/core/report*.c): discharges and visits
 * by month, the most frequent principal diagnoses and DRGs, the case mix
 * index, coder productivity, deficiency and delinquency trends, disclosures
 * by purpose.  Each runs under one ACT_REPORT_RUN grant with no patient and
 * comes back as a small table of counts (no PHI: codes, months, user names
 * and counts only) that a front end prints as text, CSV or a bar chart.
 *
 * Memory: report_run() fills a struct report_table the caller frees with
 * report_table_free().
 */
#ifndef FOLIO_REPORT_H
#define FOLIO_REPORT_H

#include <stddef.h>

#include "folio/access.h"

enum report_kind {
	REPORT_DISCHARGES,
	REPORT_TOP_DX,
	REPORT_TOP_DRG,
	REPORT_CMI,
	REPORT_CODERS,
	REPORT_DEFICIENCIES,
	REPORT_DISCLOSURES,
	REPORT_KINDS
};

#define REPORT_COLS 6
#define REPORT_CELL 64
#define REPORT_TOP 20 /* rows of the top-dx and top-drg lists */

typedef char report_row[REPORT_COLS][REPORT_CELL];

struct report_table {
	char title[80];
	char from[11], to[11];     /* the period, inclusive ("" = unbounded) */
	int ncols;
	const char *cols[REPORT_COLS]; /* CSV header names */
	int label_cols;            /* leading columns that name a bar */
	int bar_col;               /* the column a bar chart draws, -1 none */
	int trend;                 /* by month: a chart reads better than the table */
	size_t nrows, cap;
	report_row *rows;
	char summary[160];         /* a closing line ("case mix index 1.2345 ..."), or "" */
};

/* "discharges", "top-dx", ...; -1 when name is none of them. */
int report_kind_parse(const char *name);
const char *report_kind_name(enum report_kind k);
/* One line per report, for a usage message. */
const char *report_kinds_help(void);

/* Runs report k over [from, to] (YYYY-MM-DD, either NULL for unbounded)
 * under an ACT_REPORT_RUN grant.  cmi: FOLIO_ENOTFOUND saying how to load
 * them when no DRG weights are loaded. */
int report_run(struct grant *g, enum report_kind k, const char *from, const char *to, struct report_table *out,
	       struct folio_err *e) MUST_CHECK;
void report_table_free(struct report_table *t);

#endif
