/* folio — what the HL7 importer's modules share (src/core/import_hl7*.c):
 * one message being applied, its segments found once, and the helpers the
 * ADT and ORU halves both use. */
#ifndef FOLIO_IMPORT_HL7_INTERNAL_H
#define FOLIO_IMPORT_HL7_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "folio/grant.h"
#include "folio/hl7.h"
#include "folio/import.h"
#include "folio/import_hl7.h"

/* Lives in guarded memory: the scratch buffers hold patient data. */
struct h7 {
	struct grant *g;
	struct import_ctx *x;
	const struct hl7_msg *m;
	const struct import_hl7_opts *op;
	struct hl7_outcome *o;
	long pid, pv1;               /* segment indexes, -1 when absent */
	int64_t patient_id;          /* the chart, once matched or registered */
	char facility[64];           /* MSH-4, else MSH-3: who numbers visits and identifiers */
	char sender[132];            /* "MSH-3^MSH-4", for keys and notes (not PHI) */
	char note[HL7_TEXT_MAX];     /* what the AA text adds ("discharge status 01 assumed") */
	char v[6][1024];             /* value scratch */
	char attending[40];
};

/* hl7_get on segment seg (HL7_ABSENT when seg < 0). */
int h7_get(struct h7 *h, long seg, int field, int rep, int comp, int sub, char *out, size_t cap);
/* The strings up to a NULL joined into out (cap bytes, cut when longer). */
void h7_join(char *out, size_t cap, ...);
/* Adds a sentence to the AA text. */
void h7_note(struct h7 *h, const char *text);
/* An HL7 TS ("YYYYMMDD[HHMM[SS[.S]]][+-ZZZZ]") as UTC "YYYY-MM-DDTHH:MM:SSZ";
 * without an offset it is the site's wall clock.  FOLIO_EUSAGE naming what
 * when it is not one. */
int h7_time(const char *ts, char out[24], const char *what, struct folio_err *e);
/* The first of the fields given as (segment, field) pairs that holds a
 * time, converted; out "" when none does.  n pairs. */
int h7_time_first(struct h7 *h, const long *segs, const int *fields, size_t n, char out[24], const char *what,
		  struct folio_err *e);
/* The folio physician an XCN names (its id number or family name as a
 * user name), else the --attending one; "" when neither. */
void h7_physician(struct h7 *h, long seg, int field, char out[40]);

/* The one chart the identifiers (CX) of a field name: *patient_id, 0 when
 * none; FOLIO_EUSAGE when they name two. */
int h7_cx_patient(struct h7 *h, long seg, int field, int64_t *patient_id, struct folio_err *e) MUST_CHECK;
/* A08: the chart's demographics updated from PID (absent: no change, `""`:
 * deleted). */
int h7_demographics(struct h7 *h, struct folio_err *e) MUST_CHECK;

/* The ADT half (import_hl7_adt.c): applies the event to the matched chart. */
int h7_adt(struct h7 *h, struct folio_err *e) MUST_CHECK;
/* Diagnoses (DG1) and allergies (AL1) of the message, filed to encounter
 * enc (0 none); each kept once. */
int h7_dg1_al1(struct h7 *h, int64_t enc, struct folio_err *e) MUST_CHECK;
/* The encounter the message names: its visit number (PV1-19), else the
 * chart's latest encounter in one of states ("admitted|pre-admitted");
 * *id 0 when none. */
int h7_encounter(struct h7 *h, const char *states, int64_t *id, struct folio_err *e) MUST_CHECK;
/* The ORU half (import_hl7_oru.c). */
int h7_oru(struct h7 *h, struct folio_err *e) MUST_CHECK;

#endif
