/* folio — what the release-of-information modules share (roi.c requests,
 * roi_check.c validation and scope, roi_packet.c the packet). */
#ifndef FOLIO_ROI_INTERNAL_H
#define FOLIO_ROI_INTERNAL_H

#include <stdint.h>

#include "folio/chart.h"
#include "folio/grant.h"
#include "folio/roi.h"

/* Refuses every grant but ACT_ROI_PROCESS. */
int roi_need(struct grant *g, struct folio_err *e);
/* Loads request id of the grant's patient (texts opened). */
int roi_row_load(struct grant *g, int64_t id, struct roi_request *r, struct folio_err *e) MUST_CHECK;
/* Sets the status of a request that is not final and logs the step;
 * detail is plain (counts, codes: never PHI). */
int roi_step(struct grant *g, int64_t id, enum roi_status to, const char *step, const char *detail,
	     struct folio_err *e) MUST_CHECK;

/* word is one of the comma-separated words of list. */
int roi_list_has(const char *list, const char *word);
/* Scope: whether document type t, or section s, is inside what r asks for
 * ("all" takes every type but the restricted ones, which are asked for by
 * name only). */
int roi_asks_type(const struct roi_request *r, enum doc_type t);
int roi_asks_section(const struct roi_request *r, enum roi_section s);
/* Whether r's authorization names a restricted category ("psychotherapy",
 * "substance"). */
int roi_names(const struct roi_request *r, const char *category);
/* The day (YYYY-MM-DD) a document counts as written for the dates of
 * service: its encounter's start when filed to one, else its creation. */
void roi_document_day(struct grant *g, const struct document_info *d, char day[11]);
/* Whether a document may go out at all: filed, signed, not retracted or
 * superseded. */
int roi_document_releasable(const struct document_info *d);
/* 1 when day is inside r's dates of service (or r gives none). */
int roi_in_dates(const struct roi_request *r, const char *day);

#endif
