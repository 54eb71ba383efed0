/* folio — the disclosure ledger and the accounting of disclosures
 * (src/core/disclosure.c; 45 CFR 164.528, domain.md "Release of
 * information").
 *
 * Every disclosure of a patient's information outside the covered entity is
 * recorded here, whoever made it: the release-of-information workflow and
 * exports call disclosure_record() under their own grant (ACT_ROI_PROCESS,
 * ACT_EXPORT_RUN); the records staff enter ones made outside folio under
 * ACT_DISCLOSURE_ACCOUNT.  The ledger is append-only: a correction is a new
 * entry naming the one it replaces.  All functions work on the grant's
 * patient.  Entries handed to callbacks live in guarded memory owned by the
 * walk (wiped after it); copy what you keep.
 */
#ifndef FOLIO_DISCLOSURE_H
#define FOLIO_DISCLOSURE_H

#include <stdint.h>

#include "folio/access.h"

/* The legal basis of a disclosure.  The first DK_EXCLUDED_N kinds are the
 * ones 164.528(a)(1) leaves out of an accounting. */
#define FOLIO_DISCLOSURE_KINDS(_) \
	_(TREATMENT,        "treatment",         1, "treatment") \
	_(PAYMENT,          "payment",           1, "payment") \
	_(OPERATIONS,       "operations",        1, "health care operations") \
	_(PATIENT,          "patient",           1, "to the patient") \
	_(AUTHORIZATION,    "authorization",     1, "under the patient's authorization") \
	_(INCIDENTAL,       "incidental",        1, "incidental to a permitted use") \
	_(DIRECTORY,        "directory",         1, "facility directory, persons involved in care") \
	_(NATIONAL_SECURITY, "national-security", 1, "national security or intelligence") \
	_(CORRECTIONAL,     "correctional",      1, "correctional institution or custody") \
	_(LIMITED_DATA_SET, "limited-data-set",  1, "limited data set") \
	_(PUBLIC_HEALTH,    "public-health",     0, "public health activity") \
	_(COURT_ORDER,      "court-order",       0, "court or tribunal order") \
	_(SUBPOENA,         "subpoena",          0, "subpoena or discovery request") \
	_(LAW_ENFORCEMENT,  "law-enforcement",   0, "law enforcement") \
	_(HEALTH_OVERSIGHT, "health-oversight",  0, "health oversight") \
	_(RESEARCH,         "research",          0, "research (waiver of authorization)") \
	_(ABUSE_REPORT,     "abuse-report",      0, "victim of abuse, neglect or violence") \
	_(DECEDENT,         "decedent",          0, "coroner, medical examiner, funeral director") \
	_(ORGAN_DONATION,   "organ-donation",    0, "organ or tissue donation") \
	_(SERIOUS_THREAT,   "serious-threat",    0, "to avert a serious threat to health or safety") \
	_(WORKERS_COMP,     "workers-comp",      0, "workers' compensation") \
	_(REQUIRED_BY_LAW,  "required-by-law",   0, "otherwise required by law")

enum disclosure_kind {
#define FOLIO_DK_ENUM(id, name, excluded, help) DK_##id,
	FOLIO_DISCLOSURE_KINDS(FOLIO_DK_ENUM)
#undef FOLIO_DK_ENUM
	DK_COUNT
};

const char *disclosure_kind_name(enum disclosure_kind k);  /* "public-health" */
const char *disclosure_kind_help(enum disclosure_kind k);  /* "public health activity" */
/* 1 when 164.528 leaves kind k out of an accounting. */
int disclosure_kind_excluded(enum disclosure_kind k);
/* The kind named; -1 when unknown. */
int disclosure_kind_parse(const char *name);

#define DISC_RECIPIENT_MAX 200
#define DISC_ADDRESS_MAX 400
#define DISC_WHAT_MAX 1000
#define DISC_PURPOSE_MAX 400

/* Where an entry came from. */
enum disclosure_source { DS_MANUAL, DS_ROI, DS_EXPORT };

/* One ledger entry.  To record: fill date ("" for today; YYYY-MM-DD or any
 * form date_parse takes), kind, the four texts, source and source_id (the
 * request or export run; 0 for none).  A walk fills the rest too. */
struct disclosure {
	int64_t id;
	char date[24];
	enum disclosure_kind kind;
	char recipient[DISC_RECIPIENT_MAX + 1];
	char address[DISC_ADDRESS_MAX + 1];   /* "" when not known */
	char description[DISC_WHAT_MAX + 1];  /* what was disclosed */
	char purpose[DISC_PURPOSE_MAX + 1];
	enum disclosure_source source;
	int64_t source_id;
	int64_t corrects;      /* the entry this one replaces, or 0 */
	int64_t corrected_by;  /* the entry that replaced this one, or 0 */
	char recorded_by[40];
	char recorded_at[24];  /* UTC */
};

/* Records d for the grant's patient (ACT_ROI_PROCESS, ACT_EXPORT_RUN or
 * ACT_DISCLOSURE_ACCOUNT); *id gets the entry's number.  FOLIO_EUSAGE, and
 * nothing written, on a date in the future or unreadable, an empty
 * recipient, description or purpose, or text too long or with control
 * characters. */
int disclosure_record(struct grant *g, const struct disclosure *d, int64_t *id, struct folio_err *e) MUST_CHECK;
/* Records d as the correction of entry old_id (same grants).  FOLIO_ENOTFOUND
 * when old_id is not this patient's; FOLIO_ESTALE when it was corrected
 * already (correct the newest version). */
int disclosure_correct(struct grant *g, int64_t old_id, const struct disclosure *d, int64_t *id,
		       struct folio_err *e) MUST_CHECK;
/* Every entry of the grant's patient, corrected ones included, oldest first
 * (the same grants).  A non-zero return from fn stops the walk. */
int disclosure_list(struct grant *g, int (*fn)(const struct disclosure *, void *), void *ctx,
		    struct folio_err *e) MUST_CHECK;

/* What an accounting owes the patient. */
struct accounting_summary {
	char requested[11];   /* the request date (as_of) */
	char from[11];        /* the window's first day: 6 years before */
	char due[11];         /* requested + 60 days */
	char extended_due[11]; /* due + 30 days: the one extension allowed */
	int64_t entries;      /* entries listed */
	int free;             /* 1 when no accounting was given in the 12 months before */
	char last_given[11];  /* the newest accounting given before, or "" */
};

/* The accounting of disclosures as of as_of (NULL or "" for today; any
 * date_parse form) under ACT_DISCLOSURE_ACCOUNT: the entries dated in the 6
 * years up to as_of, kinds 164.528 excludes left out, each corrected entry
 * shown in its newest version only, oldest first.  sum is filled. */
int disclosure_accounting(struct grant *g, const char *as_of, int (*fn)(const struct disclosure *, void *),
			  void *ctx, struct accounting_summary *sum, struct folio_err *e) MUST_CHECK;
/* Logs that the accounting sum describes was given today (ACT_DISCLOSURE_
 * ACCOUNT): what the next one's "free" is counted from.  *id may be NULL. */
int disclosure_accounting_given(struct grant *g, const struct accounting_summary *sum, int64_t *id,
				struct folio_err *e) MUST_CHECK;

#endif
