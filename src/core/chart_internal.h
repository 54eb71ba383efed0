/* folio — what the chart modules (encounters, documents) share in src/core. */
#ifndef FOLIO_CHART_INTERNAL_H
#define FOLIO_CHART_INTERNAL_H

#include <stdint.h>

#include "folio/grant.h"

/* Row id of the grant's patient; 0 with e set when there is none. */
int64_t chart_patient_id(struct grant *g, struct folio_err *e);

struct adt;
/* Inserts an encounter row of kind in state starting at `at` (UTC) for
 * patient pid; *id gets its id.  No event row: the caller adds it. */
int encounter_insert(struct grant *g, int64_t pid, const char *kind, const char *state, const char *at,
		     const char *clinic, const struct adt *a, int64_t *id, struct folio_err *e) MUST_CHECK;

/* One line of text as typed (a clinic, a room, a reason): at most max
 * bytes of valid UTF-8 without control characters; NULL is fine.
 * FOLIO_EUSAGE naming `what` (never the value) when refused. */
int chart_line_ok(const char *s, size_t max, const char *what, struct folio_err *e);
struct encounter_info;
/* Loads encounter id of the grant's patient (any grant on that chart);
 * FOLIO_ENOTFOUND when it is not on this chart. */
int encounter_row_load(struct grant *g, int64_t id, struct encounter_info *x, struct folio_err *e) MUST_CHECK;
struct stmt;
/* A text column into dst ("" for NULL). */
void chart_col_copy(struct stmt *s, int col, char *dst, size_t cap);

/* The role name of an account ("physician"), or NULL when there is no such
 * user; into buf. */
const char *chart_user_role(struct grant *g, const char *name, char buf[16]);



/* ---- documents (document.c) ---------------------------------------- */
#include "folio/chart.h"

/* A document row as loaded for a change: the facts plus what is not shown. */
struct doc_row {
	struct document_info info;
	int64_t patient_id;
	char mrn[16];
};

/* Loads document id from the grant's chart (any_chart: from any chart). */
int doc_load(struct grant *g, int64_t id, int any_chart, struct doc_row *d, struct folio_err *e) MUST_CHECK;
/* The key class a type's text is sealed under. */
int doc_key_class(enum doc_type t);
/* Checks a body: valid UTF-8, at most DOC_BODY_MAX bytes, no control
 * characters but line feed and tab. */
int doc_text_ok(const char *text, size_t len, struct folio_err *e);
/* Seals text into table.column of row id and stores it there. */
int doc_seal_into(struct grant *g, const char *table, const char *column, int64_t id, enum doc_type t,
		  const char *text, size_t len, struct folio_err *e) MUST_CHECK;
/* Opens table.column of row id into guarded memory (*text, smem_free; NULL
 * when the column is NULL).  FOLIO_EDENIED when the key is not held. */
int doc_open_from(struct grant *g, const char *table, const char *column, int64_t id, char **text,
		  size_t *len, struct folio_err *e) MUST_CHECK;

/* Signs document d's current body as role ("author", "cosigner",
 * "amender") with the signed-in user's key (document_sig.c). */
int doc_signature_add(struct grant *g, const struct doc_row *d, const char *role, const char *code,
		      size_t codelen, struct folio_err *e) MUST_CHECK;
#endif
