/* folio — the chart: encounters with admission/discharge/transfer
 * (src/core/encounter.c) and documents with transcription, signing,
 * addenda, amendments and retraction (src/core/document*.c).
 *
 * Every call runs under a grant on the patient's chart (grant_mrn) for the
 * action named beside it.  Times are UTC "YYYY-MM-DDTHH:MM:SSZ" (see
 * datetime_parse in folio/date.h for what users type).  Document bodies are
 * PHI: they are returned in guarded memory the caller frees with
 * smem_free(); structs here hold no PHI unless their comment says so.
 */
#ifndef FOLIO_CHART_H
#define FOLIO_CHART_H

#include <stddef.h>
#include <stdint.h>

#include "folio/access.h"

/* ---- encounters ----------------------------------------------------- */
#define ENC_NAME_MAX 48

/* What an ADT event carries; NULL or "" fields are not given. */
struct adt {
	const char *at;            /* UTC; NULL = now */
	const char *attending;     /* a physician's user name */
	const char *service;       /* e.g. "medicine", "surgery" */
	const char *room, *bed;
	const char *status;        /* discharge: UB-04 status code ("01") */
	const char *reason;        /* cancel: why (required), encrypted */
	const char *clinic;        /* visits */
	int pre;                   /* admit: pre-admission only */
};

struct encounter_info {
	int64_t id;
	char kind[16];             /* outpatient, emergency, inpatient */
	char state[16];            /* checked-in, in-progress, closed, pre-admitted,
	                              admitted, discharged, cancelled */
	char started[24], ended[24];
	char attending[ENC_NAME_MAX], service[ENC_NAME_MAX], room[16], bed[16];
	char clinic[ENC_NAME_MAX];
	char status[4];            /* discharge status code */
	int64_t row_version;
};

struct encounter_event {
	int64_t id;
	char at[24], recorded[24];
	char kind[20], state[16];
	char attending[ENC_NAME_MAX], service[ENC_NAME_MAX], room[16], bed[16];
	char status[4];
	char reason[200];          /* decrypted (PHI) */
	char by[40];
};

/* The UB-04 patient discharge status codes in force, with what each means;
 * NULL for a code that is not one. */
const char *discharge_status_label(const char *code);
/* The i-th code in order, NULL past the end (for help lists). */
const char *discharge_status_code(size_t i);

/* Admits (or pre-admits) the grant's patient (ACT_ENCOUNTER_EDIT).  Refused
 * while the patient has an admission that is open. */
int encounter_admit(struct grant *g, const struct adt *a, int64_t *id, struct folio_err *e) MUST_CHECK;
/* Pre-admitted -> admitted (ACT_ENCOUNTER_EDIT). */
int encounter_arrive(struct grant *g, int64_t id, const struct adt *a, struct folio_err *e) MUST_CHECK;
/* A new service, room, bed or attending, kept in the movement history. */
int encounter_transfer(struct grant *g, int64_t id, const struct adt *a, struct folio_err *e) MUST_CHECK;
/* Admitted -> discharged with a UB-04 status; not before the admission. */
int encounter_discharge(struct grant *g, int64_t id, const struct adt *a, struct folio_err *e) MUST_CHECK;
/* Cancels a discharge (back to admitted) or an admission (cancelled); a
 * reason is required, nothing is deleted. */
int encounter_cancel(struct grant *g, int64_t id, const char *reason, struct folio_err *e) MUST_CHECK;
/* Opens an outpatient or emergency visit (checked-in) (ACT_ENCOUNTER_EDIT). */
int encounter_visit(struct grant *g, const char *kind, const struct adt *a, int64_t *id,
		    struct folio_err *e) MUST_CHECK;
/* A visit's next state: "start" (checked-in -> in-progress), "close"
 * (-> closed), "cancel" (checked-in -> cancelled, reason required). */
int encounter_step(struct grant *g, int64_t id, const char *step, const struct adt *a,
		   struct folio_err *e) MUST_CHECK;
/* The patient's encounters newest first (ACT_CHART_VIEW). */
int encounter_list(struct grant *g, int (*fn)(const struct encounter_info *, void *), void *ctx,
		   struct folio_err *e);
/* One encounter and its movement history, oldest event first. */
int encounter_show(struct grant *g, int64_t id, struct encounter_info *info,
		   int (*fn)(const struct encounter_event *, void *), void *ctx, struct folio_err *e);

/* ---- documents ------------------------------------------------------ */
#define DOC_BODY_MAX (1024 * 1024)  /* 1 MiB of text */

/* Type codes as stored, with their titles; "psychotherapy" and "substance"
 * (42 CFR Part 2) are sealed under the sensitive key. */
#define DOC_TYPES(_) \
	_(HP,            "hp",            "History and physical") \
	_(PROGRESS,      "progress",      "Progress note") \
	_(CONSULT,       "consult",       "Consultation") \
	_(OPERATIVE,     "operative",     "Operative report") \
	_(PROCEDURE,     "procedure",     "Procedure note") \
	_(DISCHARGE,     "discharge",     "Discharge summary") \
	_(LETTER,        "letter",        "Letter") \
	_(OTHER,         "other",         "Other") \
	_(PSYCHOTHERAPY, "psychotherapy", "Psychotherapy note") \
	_(SUBSTANCE,     "substance",     "Substance-use treatment note")

enum doc_type {
#define DOC_TYPE_ENUM(id, code, title) DOC_##id,
	DOC_TYPES(DOC_TYPE_ENUM)
#undef DOC_TYPE_ENUM
	DOC_TYPE_COUNT
};
const char *doc_type_code(enum doc_type t);
const char *doc_type_title(enum doc_type t);
/* -1 when unknown. */
int doc_type_parse(const char *code);
/* 1 for the types sealed under the sensitive key. */
int doc_type_sensitive(enum doc_type t);

struct document_info {
	int64_t id;
	int64_t encounter_id;      /* 0 when none */
	enum doc_type type;
	char status[16];           /* TIU: undictated ... completed, amended, retracted */
	char author[40], cosigner[40], entered_by[40];
	int64_t parent_id;         /* an addendum's document, else 0 */
	int64_t supersedes_id;     /* an amendment's earlier version, else 0 */
	int64_t refiled_from;
	int version;
	char created[24], updated[24];
	char signed_by[40], signed_at[24];     /* the author's signature, "" when none */
	char cosigned_by[40], cosigned_at[24];
	int64_t row_version;
	int readable;              /* the signed-in user holds the key of its body */
	size_t body_len;           /* bytes of the envelope's text, 0 when none */
};

struct document_new {
	enum doc_type type;
	const char *author;        /* user name; must be a physician or supervisor */
	const char *cosigner;      /* expected cosigner, or NULL */
	int64_t encounter_id;      /* 0 when none */
	const char *status;        /* NULL, or "undictated"/"untranscribed" for a placeholder */
};

/* Files a new document on the grant's patient (ACT_NOTE_WRITE).  Typed by
 * its author it is "unsigned"; typed by anyone else (transcription) it is
 * "unverified" until the author reviews and signs it. */
int document_create(struct grant *g, const struct document_new *d, const char *text, size_t len,
		    int64_t *id, struct folio_err *e) MUST_CHECK;
/* Replaces the text of an unsigned document (ACT_NOTE_WRITE).  expect is the
 * row_version the text was based on: FOLIO_ESTALE when it changed since.
 * Signed documents are never changed (FOLIO_EUSAGE: addend or amend). */
int document_edit(struct grant *g, int64_t id, int64_t expect, const char *text, size_t len,
		  struct folio_err *e) MUST_CHECK;
/* Signs as author, or as the expected cosigner (ACT_NOTE_SIGN), with the
 * signer's signature code; *status gets the new status. */
int document_sign(struct grant *g, int64_t id, const char *code, size_t codelen, char status[16],
		  struct folio_err *e) MUST_CHECK;
/* An addendum to a signed document (ACT_NOTE_WRITE).  Its author is the
 * signed-in user when they sign documents, else author (a physician; NULL:
 * the document's author) for whom it is transcribed.  Unsigned (or
 * unverified, when transcribed) until its author signs it. */
int document_addend(struct grant *g, int64_t id, const char *author, const char *text, size_t len,
		    int64_t *addendum_id, struct folio_err *e) MUST_CHECK;
/* A new version of a signed document, signed at once by the amender
 * (ACT_NOTE_AMEND); the earlier version is kept as "amended". */
int document_amend(struct grant *g, int64_t id, const char *text, size_t len, const char *code,
		   size_t codelen, int64_t *new_id, struct folio_err *e) MUST_CHECK;
/* Retracts a document filed to the wrong patient (ACT_NOTE_AMEND): kept,
 * hidden from the chart, reason encrypted and audited. */
int document_retract(struct grant *g, int64_t id, const char *reason, struct folio_err *e) MUST_CHECK;
/* Files a copy of a retracted document from another chart onto the grant's
 * patient (ACT_NOTE_AMEND on the destination chart), by the user who
 * retracted it; it needs signing again because a signature names its
 * patient. */
int document_refile(struct grant *g, int64_t from_id, int64_t *new_id, struct folio_err *e) MUST_CHECK;

/* The grant's patient's documents, newest first (ACT_CHART_VIEW); retracted
 * and superseded ones only when all. */
int document_list(struct grant *g, int all, int (*fn)(const struct document_info *, void *), void *ctx,
		  struct folio_err *e);
/* One document's facts and text (ACT_CHART_VIEW): *text is guarded memory
 * (smem_free) or NULL when there is no text yet.  FOLIO_EDENIED when the
 * body is under a key the user does not hold. */
int document_read(struct grant *g, int64_t id, struct document_info *info, char **text, size_t *len,
		  struct folio_err *e) MUST_CHECK;
/* Addenda of a document, oldest first. */
int document_addenda(struct grant *g, int64_t id, int (*fn)(const struct document_info *, void *),
		     void *ctx, struct folio_err *e);

/* Drafts: the signed-in user's unsaved text for a document (or a new one
 * when id is 0), saved as they type and when a save is refused as stale
 * (ACT_NOTE_WRITE). */
int draft_save(struct grant *g, int64_t document_id, enum doc_type type, int64_t base_version,
	       const char *text, size_t len, int64_t *draft_id, struct folio_err *e) MUST_CHECK;
/* The user's draft for a document (0: the newest draft for a new document
 * on this chart); FOLIO_ENOTFOUND when none.  *text: smem_free. */
int draft_load(struct grant *g, int64_t document_id, char **text, size_t *len, int64_t *base_version,
	       struct folio_err *e) MUST_CHECK;
/* Removes the user's draft once its text is saved. */
int draft_discard(struct grant *g, int64_t document_id, struct folio_err *e) MUST_CHECK;

/* Checks every signature in the database (ACT_NOTE_VERIFY, no chart):
 * decrypts each signed body, rebuilds what was signed and verifies it with
 * the signer's public key.  fn is called for each document that fails, with
 * the reason; *checked counts good ones, *unreadable those under a key the
 * user does not hold. */
int document_verify_all(struct grant *g, int (*fn)(int64_t id, const char *mrn, const char *why, void *),
			void *ctx, size_t *checked, size_t *unreadable, struct folio_err *e);

#endif
