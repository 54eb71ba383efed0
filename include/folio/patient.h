/* folio — the master patient index (src/core/patient*.c): registration,
 * demographics, the one-prompt lookup, restricted records, check-in.
 *
 * Every demographic field is encrypted with the demographics key in one
 * envelope per patient (associated data "patients.demographics:ID"), and
 * what a lookup ranks and lists (name parts, DOB, sex, last fours) again in
 * a small "card" envelope ("patients.card:ID"), so a bucket walk never opens
 * the full record; the MRN (the chart number on the folder) stays plain.
 * Lookup goes through blind indexes (truncated keyed tags); a bucket's cards
 * are decrypted and filtered exactly.
 *
 * Memory: struct patient and hit arrays hold decrypted PHI: make them with
 * patient_new() / patient_hits_new() (guarded memory) and free them with
 * patient_free() / patient_hits_free(), which wipe.  Every call below runs
 * under a grant for the action named beside it.
 */
#ifndef FOLIO_PATIENT_H
#define FOLIO_PATIENT_H

#include <stddef.h>
#include <stdint.h>

#include "folio/access.h"

/* id, name on the command line, label, maximum bytes, help */
#define PATIENT_FIELDS(_) \
	_(LAST,       "last",       "Last name",        63, "legal family name, e.g. O'Brien-Muñoz") \
	_(FIRST,      "first",      "First name",       47, "legal given name") \
	_(MIDDLE,     "middle",     "Middle name",      47, "middle name or initial") \
	_(SUFFIX,     "suffix",     "Suffix",            7, "Jr, Sr, II, III ...") \
	_(PREFERRED,  "preferred",  "Preferred name",   47, "the name the patient goes by") \
	_(DOB,        "dob",        "Date of birth",    10, "YYYY-MM-DD, 3/14/1962, 14 MAR 1962") \
	_(SEX,        "sex",        "Administrative sex", 1, "F, M, X, or U (unknown)") \
	_(ADDRESS,    "address",    "Street address",   95, "number, street, unit") \
	_(CITY,       "city",       "City",             47, "") \
	_(STATE,      "state",      "State",             2, "two-letter code") \
	_(ZIP,        "zip",        "ZIP code",         10, "5 digits or ZIP+4") \
	_(PHONE,      "phone",      "Home phone",       20, "10 digits, any punctuation") \
	_(MOBILE,     "mobile",     "Mobile phone",     20, "10 digits, any punctuation") \
	_(EMAIL,      "email",      "Email",            95, "") \
	_(SSN,        "ssn",        "SSN",              11, "optional; only its last four are indexed") \
	_(EMERGENCY,  "emergency",  "Emergency contact", 95, "name and relationship") \
	_(EMERGENCY_PHONE, "emergency_phone", "Emergency phone", 20, "") \
	_(INSURER,    "insurer",    "Insurer",          47, "") \
	_(MEMBER_ID,  "member_id",  "Member id",        23, "") \
	_(LANGUAGE,   "language",   "Preferred language", 23, "") \
	_(RACE,       "race",       "Race",             31, "optional") \
	_(ETHNICITY,  "ethnicity",  "Ethnicity",        31, "optional")

enum patient_field {
#define PATIENT_FIELD_ENUM(id, name, label, max, help) PF_##id,
	PATIENT_FIELDS(PATIENT_FIELD_ENUM)
#undef PATIENT_FIELD_ENUM
	PF_COUNT
};

#define PATIENT_VALUE_MAX 96
#define MRN_MAX 16

struct patient {
	int64_t id;                 /* 0 until registered */
	char mrn[MRN_MAX];
	int restricted;
	int test;                   /* a TEST patient: banner on open */
	int64_t row_version;        /* for stale-edit refusal */
	char v[PF_COUNT][PATIENT_VALUE_MAX];
};

const char *patient_field_name(enum patient_field f);
const char *patient_field_label(enum patient_field f);
const char *patient_field_help(enum patient_field f);
size_t patient_field_max(enum patient_field f);
/* The field for a command-line name ("last"), or -1. */
int patient_field_parse(const char *name);

/* Guarded, zeroed; NULL when out of memory. */
struct patient *patient_new(void);
void patient_free(struct patient *p);

/* Sets one field after checking it (valid UTF-8, no control characters,
 * length, format: DOB written any accepted way is stored YYYY-MM-DD, sex
 * upper-cased, phones and SSN keep their digits).  Changes nothing and
 * returns FOLIO_EUSAGE with the reason when the value is refused. */
int patient_set(struct patient *p, enum patient_field f, const char *value, struct folio_err *e);

/* Consistency check: warnings the user should see (missing or implausible
 * DOB, age over 120, malformed ZIP or phone, no sex).  Fills up to max lines
 * of at most 120 bytes; returns the count.  Never PHI in the text. */
int patient_check(const struct patient *p, char warnings[][120], int max);

/* ---- MRN ------------------------------------------------------------ */
/* MRNs are 7 digits and a check digit (Luhn mod 10), e.g. 10000016.
 * 0 when text is a well-formed MRN with the right check digit. */
int mrn_valid(const char *text);
/* The MRN for sequence number n (1..9,999,999) into out[MRN_MAX]. */
void mrn_format(int64_t n, char out[MRN_MAX]);

/* ---- lookup --------------------------------------------------------- */
struct patient_hit {
	char mrn[MRN_MAX];
	char last[64], first[48], middle[48];
	char dob[11], sex[2], last4[5];
	int restricted, test;
	int score;                  /* higher is better */
};

/* Guarded array of n hits; free with patient_hits_free(p, n). */
struct patient_hit *patient_hits_new(size_t n);
void patient_hits_free(struct patient_hit *h, size_t n);

/* The one prompt (ACT_PATIENT_FIND): "LAST,FIRST" fragments, an MRN, a DOB
 * (3/14/1962, 1962-03-14, 14 MAR 1962), last four digits (of a phone or the
 * SSN), or initial + last four (S1234).  Best matches first; at most max
 * into hits, *n how many were written, *total how many matched.
 * FOLIO_EUSAGE with a hint for a query it cannot take (one letter, say). */
int patient_find(struct grant *g, const char *query, struct patient_hit *hits, size_t max,
		 size_t *n, size_t *total, struct folio_err *e);

/* Every patient in MRN order (ACT_PATIENT_FIND, `patient find --all`), a
 * merged chart left out (its MRN resolves to the survivor):
 * *out a guarded array of *n hits (score 0), freed with
 * patient_hits_free(*out, *n ? *n : 1). */
int patient_find_all(struct grant *g, struct patient_hit **out, size_t *n, struct folio_err *e) MUST_CHECK;

/* Likely existing duplicates of p before it is registered (ACT_PATIENT_ADD):
 * same DOB with a similar name (Soundex or edit distance), day and month
 * swapped, or the same phone. */
int patient_duplicates(struct grant *g, const struct patient *p, struct patient_hit *hits,
		       size_t max, size_t *n, struct folio_err *e);

/* ---- records -------------------------------------------------------- */
/* Registers p (ACT_PATIENT_ADD): assigns p->id and p->mrn. Needs at least
 * a last name; the caller has already shown the duplicates. */
int patient_register(struct grant *g, struct patient *p, struct folio_err *e) MUST_CHECK;
/* Loads the patient of the grant's MRN (ACT_PATIENT_VIEW or _EDIT). */
int patient_load(struct grant *g, struct patient *p, struct folio_err *e) MUST_CHECK;
/* Saves p (ACT_PATIENT_EDIT for the grant's MRN); FOLIO_ESTALE when the
 * record changed since it was loaded (nothing is lost: reload and redo). */
int patient_update(struct grant *g, struct patient *p, struct folio_err *e) MUST_CHECK;
/* Marks the grant's patient restricted or not (ACT_PATIENT_RESTRICT). */
int patient_restrict(struct grant *g, int on, struct folio_err *e) MUST_CHECK;
/* Links a staff account to its own patient record (ACT_USER_LINK, granted
 * without an MRN: the officer never opens the chart): that user is then
 * blocked from opening it.  user NULL unlinks. */
int patient_link_staff(struct grant *g, const char *mrn, const char *user, struct folio_err *e) MUST_CHECK;

/* ---- check-in ------------------------------------------------------- */
struct checkin {
	int64_t encounter_id;
	char mrn[MRN_MAX];
	char at[24];                /* UTC "YYYY-MM-DDTHH:MM:SSZ" */
	char clinic[48];
	char reason[96];            /* reason for visit (decrypted) */
	char last[64], first[48];   /* for the list (decrypted) */
	char by[40];
};
/* Opens an outpatient encounter for the grant's patient (ACT_CHECKIN). */
int patient_checkin(struct grant *g, const char *clinic, const char *reason, int64_t *encounter_id,
		    struct folio_err *e) MUST_CHECK;
/* Check-ins of one day "YYYY-MM-DD" (ACT_CHECKIN_LIST), oldest first.
 * rows is a guarded array from checkins_new(max). */
struct checkin *checkins_new(size_t n);
void checkins_free(struct checkin *c, size_t n);
int patient_checkins(struct grant *g, const char *day, struct checkin *rows, size_t max, size_t *n,
		     struct folio_err *e);

/* A patient's encounters, newest first (ACT_CHART_VIEW for the grant's MRN):
 * the start of the clinical chart. */
struct encounter_row {
	int64_t id;
	char kind[16], state[16];
	char at[24];
	char clinic[48];
	char reason[96];            /* decrypted */
};
int patient_encounters(struct grant *g, int (*fn)(const struct encounter_row *, void *), void *ctx,
		       struct folio_err *e);

/* ---- restricted-record alerts -------------------------------------- */
struct alert {
	int64_t id;
	char at[24];
	char user[40];
	char mrn[MRN_MAX];
	char reason[200];           /* decrypted (sensitive key) */
	char reviewed_by[40];
};
/* Alerts newest first (ACT_ALERT_REVIEW); reviewed ones only when all. */
int alerts_list(struct grant *g, int all, int (*fn)(const struct alert *, void *), void *ctx,
		struct folio_err *e);
/* Marks an alert reviewed (ACT_ALERT_REVIEW). */
int alert_review(struct grant *g, int64_t id, struct folio_err *e) MUST_CHECK;

#endif
