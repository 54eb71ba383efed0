/* folio — what the completeness modules (src/core/deficiency*.c) share,
 * and the hook the chart's mutators call. */
#ifndef FOLIO_DEFICIENCY_INTERNAL_H
#define FOLIO_DEFICIENCY_INTERNAL_H

#include <stdint.h>

#include "folio/deficiency.h"
#include "folio/grant.h"

/* The hook (deficiency_eval.c): re-evaluates encounter_id of the grant's
 * patient against the rules, in the caller's transaction, stamping each
 * step with the signed-in user and the time; 0 re-evaluates every
 * encounter of the patient (a change that is not an encounter's: allergies,
 * a document without one).  Rules the user's keys cannot judge (the coding,
 * the demographics) leave their deficiencies as they are. */
int deficiency_refresh(struct grant *g, int64_t encounter_id, struct folio_err *e) MUST_CHECK;

/* The one-line forms for a mutator's return: rc when it failed, else the
 * refresh.  _after: encounter_id (nothing when 0: a document without an
 * encounter meets no rule).  _after_clinical: a vitals set refreshes its
 * encounter, an allergy or NKA assertion every encounter of the chart
 * (enum clinical_kind), other items nothing. */
int deficiency_after(struct grant *g, int64_t encounter_id, int rc, struct folio_err *e) MUST_CHECK;
int deficiency_after_clinical(struct grant *g, int kind, int64_t encounter_id, int rc,
			      struct folio_err *e) MUST_CHECK;

/* ---- shared inside the module ------------------------------------------ */
#define DEF_RULES_MAX 32

/* Every rule, in listing order; *n how many. */
int def_rules_load(struct grant *g, struct deficiency_rule *out, int max, int *n, struct folio_err *e);
/* Seconds since the epoch of a stored UTC time "YYYY-MM-DDTHH:MM:SSZ", or
 * -1 when it is not one. */
int64_t def_epoch(const char *utc);
/* Appends an event to deficiency id, by the signed-in user now; note (may
 * be NULL or "") is sealed under the clinical key.  *event_id may be NULL. */
int def_event_add(struct grant *g, int64_t id, const char *kind, const char *from, const char *to,
		  const char *to_user, const char *note, int64_t *event_id, struct folio_err *e) MUST_CHECK;
/* A note as typed: at most DEF_NOTE_MAX bytes of UTF-8 text without control
 * characters but tab; FOLIO_EUSAGE naming what (never the text). */
int def_note_ok(const char *text, const char *what, struct folio_err *e);
/* Opens the note of event id into out (cap bytes) ("" when none or the key
 * is not held). */
void def_event_note(struct grant *g, int64_t id, const void *env, size_t len, char *out, size_t cap);
/* 1 when the grant's action is one of the n given. */
int def_action_in(struct grant *g, const enum action *a, int n);

#endif
