/* folio — what the coding modules share in src/core: the reference tables
 * (coding_tables.c) as the coding module needs them. */
#ifndef FOLIO_CODING_INTERNAL_H
#define FOLIO_CODING_INTERNAL_H

#include "folio/coding.h"
#include "folio/grant.h"

/* The grouper and MCE tables stored by `codes load`, unpacked once per
 * process and shared (read-only) until the stored tables change.  Either
 * may come back NULL (with *why saying so) when never loaded. */
int coding_tables_get(struct grant *g, const struct drg_tables **drg, const struct mce_tables **mce,
		      char *why, size_t whycap, struct folio_err *e) MUST_CHECK;

/* A code in the code set of fiscal year fy: 1 billable, 0 header (with up
 * to 3 billable children listed in children, comma separated), -1 unknown,
 * -2 when no code set of that system is loaded for fy.
 * pcs: ICD-10-PCS rather than CM. */
int coding_code_status(struct grant *g, int pcs, int fy, const char *code, char *children, size_t cap,
		       struct folio_err *e);
/* 1 when the diagnosis is exempt from POA reporting in fy; 0 not; -1 when
 * no POA-exempt list is loaded for fy. */
int coding_poa_exempt(struct grant *g, int fy, const char *code, struct folio_err *e);
/* For the completeness review (deficiency_eval.c), under any grant on the
 * encounter's chart: whether its coding names a principal diagnosis, and
 * how many ICD-10-PCS procedures of the medical and surgical section ('0',
 * the ones that need an operative or procedure note) it lists.  Both 0
 * when it was never coded; a failure when the user's keys cannot open it. */
int coding_review_facts(struct grant *g, int64_t encounter_id, int *has_pdx, int *surgical,
			struct folio_err *e);
/* The stored codes and grouping of encounter_id into c (empty when never
 * coded), under any grant the caller has already checked: for the
 * de-identified extract (export_deid.c), which spans charts. */
int coding_stored(struct grant *g, int64_t encounter_id, struct coding *c, struct folio_err *e);
/* Fills weight/gmlos/amlos (-1 when no weights are loaded). */
void coding_weights(struct grant *g, int drg, double *weight, double *gmlos, double *amlos);

#endif
