/* folio — release of information (src/core/roi.c requests and their
 * history, roi_check.c validation, roi_packet.c the packet and the release;
 * schema/011_roi.sql; domain.md "Release of information").
 *
 * A request moves logged -> validating (problems found) -> pending (valid,
 * waiting for its packet) -> released or partial (something asked for was
 * not sent); denied and withdrawn end it at any point before release.  Every
 * call runs under an ACT_ROI_PROCESS grant on the request's patient
 * (access_object_mrn(session, "roi", id) finds it), except roi_worklist,
 * which takes a grant with no chart.  Structs hold decrypted requester
 * details: keep them in guarded memory (roi_request_new) and free them with
 * roi_request_free.  Messages never carry the requester's details or the
 * chart's text.
 */
#ifndef FOLIO_ROI_H
#define FOLIO_ROI_H

#include <stddef.h>
#include <stdint.h>

#include "folio/access.h"
#include "folio/chart.h"

/* The authority a request rests on, with the disclosure kind its release is
 * recorded under. */
#define FOLIO_ROI_AUTHORITIES(_) \
	_(AUTHORIZATION, "authorization", "the patient's signed authorization") \
	_(PATIENT,       "patient",       "the patient's own request (right of access)") \
	_(SUBPOENA,      "subpoena",      "a subpoena") \
	_(COURT_ORDER,   "court-order",   "a court order") \
	_(PUBLIC_HEALTH, "public-health", "a public-health mandate") \
	_(LEGAL_MANDATE, "legal-mandate", "another legal mandate") \
	_(TREATMENT,     "treatment",     "continuing treatment by another provider")

enum roi_authority {
#define FOLIO_ROI_AUTH_ENUM(id, name, help) RA_##id,
	FOLIO_ROI_AUTHORITIES(FOLIO_ROI_AUTH_ENUM)
#undef FOLIO_ROI_AUTH_ENUM
	RA_COUNT
};
const char *roi_authority_name(enum roi_authority a);
const char *roi_authority_help(enum roi_authority a);
int roi_authority_parse(const char *name);  /* -1 when unknown */

#define FOLIO_ROI_STATUSES(_) \
	_(LOGGED,     "logged",     "logged") \
	_(VALIDATING, "validating", "validating: problems to resolve") \
	_(PENDING,    "pending",    "valid, waiting for release") \
	_(RELEASED,   "released",   "released") \
	_(PARTIAL,    "partial",    "partially released") \
	_(DENIED,     "denied",     "denied") \
	_(WITHDRAWN,  "withdrawn",  "withdrawn")

enum roi_status {
#define FOLIO_ROI_STATUS_ENUM(id, name, help) RS_##id,
	FOLIO_ROI_STATUSES(FOLIO_ROI_STATUS_ENUM)
#undef FOLIO_ROI_STATUS_ENUM
	RS_COUNT
};
const char *roi_status_name(enum roi_status s);
const char *roi_status_help(enum roi_status s);
int roi_status_parse(const char *name);     /* -1 when unknown */
/* 1 for released, partial, denied, withdrawn: nothing changes after. */
int roi_status_final(enum roi_status s);

/* Chart sections a packet may hold besides documents. */
#define FOLIO_ROI_SECTIONS(_) \
	_(DEMOGRAPHICS, "demographics", "Demographics") \
	_(ENCOUNTERS,   "encounters",   "Encounters") \
	_(DIAGNOSES,    "diagnoses",    "Coded diagnoses and procedures") \
	_(PROBLEMS,     "problems",     "Problem list") \
	_(MEDICATIONS,  "medications",  "Medications") \
	_(ALLERGIES,    "allergies",    "Allergies") \
	_(VITALS,       "vitals",       "Vital signs") \
	_(RESULTS,      "results",      "Results") \
	_(PROCEDURES,   "procedures",   "Procedures")

enum roi_section {
#define FOLIO_ROI_SECTION_ENUM(id, name, title) RSEC_##id,
	FOLIO_ROI_SECTIONS(FOLIO_ROI_SECTION_ENUM)
#undef FOLIO_ROI_SECTION_ENUM
	RSEC_COUNT
};
const char *roi_section_name(enum roi_section s);
const char *roi_section_title(enum roi_section s);
int roi_section_parse(const char *name);    /* -1 when unknown */

#define ROI_TEXT_MAX 400     /* address, purpose, reason */
#define ROI_NAME_MAX 95      /* requester, organisation: both fit the ledger's recipient */
#define ROI_ASKS_MAX 200
#define ROI_DAYS_DUE 30      /* 45 CFR 164.524(b)(2) */
#define ROI_DAYS_EXTENSION 30

struct roi_request {
	int64_t id;
	char mrn[16];
	char received[11], due[11], extended[11];    /* "" when not extended */
	enum roi_status status;
	enum roi_authority authority;
	char auth_signed[11];     /* "" unsigned */
	char auth_expires[11];    /* "" none given */
	char names[40];           /* restricted categories named: "psychotherapy,substance" or "" */
	char asks[ROI_ASKS_MAX + 1];  /* "all", or document types and sections, comma separated */
	char asks_from[11], asks_to[11];   /* dates of service asked for, "" none */
	char requester[ROI_TEXT_MAX + 1];  /* decrypted (PHI) from here ... */
	char organisation[ROI_TEXT_MAX + 1];
	char address[ROI_TEXT_MAX + 1];
	char purpose[ROI_TEXT_MAX + 1];
	char reason[ROI_TEXT_MAX + 1];     /* ... to here */
	char released[11];
	int pages;
	char packet_hash[65];
	int64_t disclosure_id;
	char created_by[40], created_at[24];
	int64_t row_version;
	int overdue;              /* open and past its due date */
};

/* Guarded, zeroed; NULL when out of memory. */
struct roi_request *roi_request_new(void);
void roi_request_free(struct roi_request *r);

/* Logs a request for the grant's patient: fill authority, requester,
 * purpose (required), and what else is known; received "" is today.  The
 * scope (asks, names, dates) is checked here: unknown types or sections,
 * a restricted category asked for without being named, dates that do not
 * parse, an expiry before the signature.  *id gets the request number. */
int roi_new(struct grant *g, const struct roi_request *r, int64_t *id, struct folio_err *e) MUST_CHECK;
/* One request of the grant's patient. FOLIO_ENOTFOUND when not theirs. */
int roi_load(struct grant *g, int64_t id, struct roi_request *r, struct folio_err *e) MUST_CHECK;
/* The grant's patient's requests, newest first. */
int roi_list(struct grant *g, int (*fn)(const struct roi_request *, void *), void *ctx,
	     struct folio_err *e) MUST_CHECK;
/* Every open request of every patient (a grant with no chart), oldest due
 * first; all includes closed ones.  Requester details are opened. */
int roi_worklist(struct grant *g, int all, int (*fn)(const struct roi_request *, void *), void *ctx,
		 struct folio_err *e) MUST_CHECK;

/* Changes: each refused (FOLIO_EUSAGE) on a final request, each an event. */
int roi_deny(struct grant *g, int64_t id, const char *reason, struct folio_err *e) MUST_CHECK;
int roi_withdraw(struct grant *g, int64_t id, const char *reason, struct folio_err *e) MUST_CHECK;
/* The one 30-day extension, recorded before the due date with its reason
 * (the requester is told in writing within the first 30 days). */
int roi_extend(struct grant *g, int64_t id, const char *reason, struct folio_err *e) MUST_CHECK;

/* ---- the selection (minimum necessary) -------------------------------- */
struct roi_item {
	int is_document;
	int64_t document_id;      /* when is_document */
	enum roi_section section; /* otherwise */
};
/* Adds or removes one item ("document" ids must be this patient's and not
 * retracted; sections by name).  Adding twice or removing what is not
 * selected is not an error. */
int roi_select(struct grant *g, int64_t id, const struct roi_item *it, int add, struct folio_err *e) MUST_CHECK;
/* The selection, documents first in id order then sections in order. */
int roi_items(struct grant *g, int64_t id, int (*fn)(const struct roi_item *, void *), void *ctx,
	      struct folio_err *e) MUST_CHECK;

/* The chart's documents as candidates for a request, newest first (the
 * picking list of the interface and `roi show`): addenda travel with their
 * document and are not listed. */
struct roi_candidate {
	struct document_info doc;
	char day[11];             /* the date of service it counts under */
	int asked;                /* its type and day are inside what was asked for */
	int releasable;           /* signed, and readable by this user */
	int restricted;           /* psychotherapy or substance-use */
	int selected;
};
int roi_candidates(struct grant *g, int64_t id, int (*fn)(const struct roi_candidate *, void *), void *ctx,
		   struct folio_err *e) MUST_CHECK;

/* ---- validation ---------------------------------------------------------- */
#define ROI_PROBLEM_MAX 160
/* Checks the request and its selection as of today: the authorization
 * signed and not expired, every item inside what was asked for (types,
 * sections, dates of service), restricted categories only when named under
 * an authority that may name them, documents signed, something selected.
 * Each problem goes to fn (no PHI in it); *problems counts them.  The
 * status becomes pending when there are none, else validating. */
int roi_validate(struct grant *g, int64_t id, int (*fn)(const char *problem, void *), void *ctx,
		 int *problems, struct folio_err *e) MUST_CHECK;

/* ---- the packet and the release ------------------------------------------ */
struct roi_release {
	unsigned char *packet;    /* the PDF (guarded memory; roi_release_free) */
	size_t len;
	int pages;
	int documents, sections;  /* items in it */
	int partial;              /* something asked for was not selected */
	int64_t disclosure_id;
	char hash[65];            /* BLAKE2b of packet, hex */
};
/* Validates again (FOLIO_EFAIL naming the first problem when any: nothing
 * is released), builds the packet from exactly the selected items (a cover
 * letter, each item, a manifest; "CONFIDENTIAL" and "Page N of M" on every
 * page), records the disclosure in the ledger and marks the request
 * released or partial, all in the grant's transaction.  The caller writes
 * rel->packet out and frees it with roi_release_free. */
int roi_release(struct grant *g, int64_t id, struct roi_release *rel, struct folio_err *e) MUST_CHECK;
void roi_release_free(struct roi_release *rel);
/* roi_release, then the packet (sealed with password when one is given,
 * folio/seal.h) staged in a new temporary file beside path (folio/
 * outfile.h): *staged gets its name (free()).  The caller ends the grant
 * and only when it committed places the file with outfile_place(*staged,
 * path, force), else drops it with outfile_drop: the packet exists exactly
 * when the ledger has it.  rel->packet is freed here. */
int roi_release_stage(struct grant *g, int64_t id, const char *path, const char *password,
		      struct roi_release *rel, char **staged, struct folio_err *e) MUST_CHECK;

/* The request's history, oldest first. */
struct roi_event {
	char at[24], by[40], step[24], status[16], detail[120];
};
int roi_events(struct grant *g, int64_t id, int (*fn)(const struct roi_event *, void *), void *ctx,
	       struct folio_err *e) MUST_CHECK;

#endif
