/* folio — HL7 v2 ADT and ORU^R01 messages applied to the chart
 * (src/core/import_hl7*.c; domain.md "Interchange").
 *
 * Each message is applied whole or not at all, under its own grant: a
 * message is first planned under an ACT_IMPORT_RUN grant with no chart
 * (which chart it is about: a patient matched by identifier, else by the
 * duplicate guard, else a chart number to register), then applied under an
 * ACT_IMPORT_RUN grant on that chart, and the grant rolls back on any
 * refusal.  The outcome is the acknowledgement an MLLP peer would get: AA
 * applied (or already applied), AE refused for a reason in the data, AR not
 * taken at all (malformed, or a type folio does not process).  Its text
 * names fields and rules, never patient data.
 *
 * Handled: ADT A01 A02 A03 A04 A05 A08 A11 A12 A13 A40, ORU^R01.  An A40
 * marks the pair (PID-3's chart, MRG-1's) a verified duplicate; applied
 * under ACT_MERGE_APPROVE on PID-3's chart (an importer who may approve
 * merges) it merges MRG-1's chart into it with merge_approve (folio/merge.h)
 * in the message's transaction, unless the merge preview finds a conflict,
 * which leaves the pair queued (AA "merge queued for approval: why");
 * under ACT_IMPORT_RUN it queues the pair for the supervisor (domain.md
 * "Duplicates and merges": a person verifies, a supervisor approves).
 */
#ifndef FOLIO_IMPORT_HL7_H
#define FOLIO_IMPORT_HL7_H

#include <stddef.h>
#include <stdint.h>

#include "folio/access.h"
#include "folio/hl7.h"

#define HL7_TEXT_MAX 200
#define HL7_REASON_MAX 160

struct hl7_outcome {
	char code[3];                /* "AA", "AE", "AR" */
	char text[HL7_TEXT_MAX];     /* the acknowledgement's text: why; never PHI */
	char reason[HL7_REASON_MAX]; /* the kind of outcome, for the summary's counts */
	char mrn[16];                /* the chart the message is about ("" none) */
	char event[8];               /* "A01" ... "R01" */
};

struct import_hl7_opts {
	const char *attending;       /* physician used when PV1-7 names no folio physician; NULL none */
};

/* Pure: 0 when folio takes m (planning and applying come next); 1 with o
 * set to AR when it does not (the parser refused it, no message control
 * id, or a type folio does not process). */
int import_hl7_screen(const struct hl7_msg *m, struct hl7_outcome *o);

/* Under ACT_IMPORT_RUN with no chart; changes nothing.  0 with o->mrn the
 * chart to apply m to (an existing one, or the number the next
 * registration gets); 1 when m is decided already (o: AA "already
 * applied", or AE refused: an ambiguous match, an unknown patient, a value
 * refused). */
int import_hl7_plan(struct grant *g, const struct hl7_msg *m, struct hl7_outcome *o, struct folio_err *e);

/* Under ACT_IMPORT_RUN on chart o->mrn (as planned), or ACT_MERGE_APPROVE
 * on it for an A40: applies m.  FOLIO_OK
 * with o set to AA; FOLIO_ESTALE when the plan no longer holds (plan
 * again); any other error refuses m (e says why, no PHI) and the caller
 * ends the grant with it, which rolls everything back. */
int import_hl7_apply(struct grant *g, const struct hl7_msg *m, const struct import_hl7_opts *op,
		     struct hl7_outcome *o, struct folio_err *e) MUST_CHECK;

/* (The run's import_runs row: import_run_begin/end, folio/import.h.) */

#endif
