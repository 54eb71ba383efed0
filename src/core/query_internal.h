/* folio — what the query modules (src/core/query*.c) share. */
#ifndef FOLIO_QUERY_INTERNAL_H
#define FOLIO_QUERY_INTERNAL_H

#include <stdint.h>

#include "folio/grant.h"
#include "folio/query.h"

/* FOLIO_EDENIED unless the grant is for one of the n actions given. */
int query_need(struct grant *g, const enum action *ok, size_t n, struct folio_err *e);

/* A query row of the grant's chart: its facts and its patient's row id.
 * FOLIO_ENOTFOUND when it is not on this chart. */
int query_row_load(struct grant *g, int64_t id, struct query_info *info, int64_t *patient_id,
		   struct folio_err *e) MUST_CHECK;

/* Today as "YYYY-MM-DD" (UTC day, as date_today()). */
void query_today(char out[11]);

/* Opens the body, answer and withdrawal reason of query id into one
 * guarded block. */
int query_text_open(struct grant *g, int64_t id, struct query_text **out, struct folio_err *e) MUST_CHECK;

/* Sets status (and stamps who and when into the columns of that step),
 * refusing a row changed since it was read at row_version expect. */
int query_set_status(struct grant *g, int64_t id, int64_t expect, const char *status, struct folio_err *e)
	MUST_CHECK;

/* The answer envelope's plaintext: "n\tOPTION\na\tTEXT\nc\tCOMMENT\n". */
#define QUERY_KEY_QUESTION 'q'
#define QUERY_KEY_INDICATOR 'i'
#define QUERY_KEY_OPTION 'o'
#define QUERY_KEY_PICK 'n'
#define QUERY_KEY_ANSWER 'a'
#define QUERY_KEY_COMMENT 'c'

#endif
