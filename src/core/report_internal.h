/* folio — what the report modules share in src/core: the table being
 * filled and the period's bounds. */
#ifndef FOLIO_REPORT_INTERNAL_H
#define FOLIO_REPORT_INTERNAL_H

#include "folio/grant.h"
#include "folio/report.h"
#include "folio/store.h"

/* The period as bound in SQL: never NULL ("0000-01-01" / "9999-12-31"). */
struct report_period {
	const char *from, *to;
};

/* A new row of t (cells ""), or NULL after setting e. */
report_row *report_row_add(struct report_table *t, struct folio_err *e);
/* Appends each row of s (a statement whose first t->ncols columns are the
 * cells) to t. */
int report_rows_from(struct report_table *t, struct stmt *s, struct folio_err *e);

/* The reports that read the sealed coding (report_coding.c). */
int report_top_dx(struct grant *g, const struct report_period *p, struct report_table *t, struct folio_err *e);
int report_top_drg(struct grant *g, const struct report_period *p, struct report_table *t, struct folio_err *e);
int report_cmi(struct grant *g, const struct report_period *p, struct report_table *t, struct folio_err *e);

#endif
