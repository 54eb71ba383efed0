/* folio — FHIR R4 export: a small JSON writer and checker
 * (src/interop/fhir_json.c, pure: no database, no keys) and the Bundle of
 * one patient's record (src/core/export_fhir.c, `folio export fhir MRN`).
 *
 * The writer keeps its text in guarded memory (smem) because a Bundle is
 * the whole chart in plaintext: it grows by copying into a bigger guarded
 * buffer, never by realloc, and json_free() wipes.  Errors are sticky: a
 * misuse (a key inside an array, a missing key inside an object, closing
 * what is not open, too deep) or running out of memory marks the writer
 * failed, later calls do nothing and json_text() returns NULL.
 */
#ifndef FOLIO_FHIR_H
#define FOLIO_FHIR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- the JSON writer (RFC 8259) --------------------------------------- */
#define JSON_DEPTH_MAX 32

struct json_out;

/* A new writer (guarded memory); NULL when out of memory. */
struct json_out *json_new(void);
/* Wipes and frees; NULL is allowed. */
void json_free(struct json_out *j);

/* Each call takes key: the member name inside an object, NULL inside an
 * array or at the top.  Strings are written escaped: '"', '\\' and control
 * characters, and every byte that is not part of well-formed UTF-8 becomes
 * U+FFFD. */
void json_object(struct json_out *j, const char *key);
void json_array(struct json_out *j, const char *key);
/* Closes the innermost object or array. */
void json_end(struct json_out *j);
void json_string(struct json_out *j, const char *key, const char *value);
void json_string_n(struct json_out *j, const char *key, const char *value, size_t len);
/* A string of the base64 (RFC 4648, padded) of len bytes. */
void json_base64(struct json_out *j, const char *key, const void *data, size_t len);
/* A number given as text; the writer fails when it is not a JSON number. */
void json_number(struct json_out *j, const char *key, const char *text);
void json_int(struct json_out *j, const char *key, long long v);
void json_bool(struct json_out *j, const char *key, int v);

/* 1 when the writer failed. */
int json_failed(const struct json_out *j);
/* The text written (NUL-terminated, in the writer's guarded memory) and its
 * length; NULL when the writer failed or something is still open. */
const char *json_text(const struct json_out *j, size_t *len);

/* 1 when text is a JSON number (RFC 8259 section 6), else 0. */
int json_number_ok(const char *text);
/* 0 when s[0..n) is one well-formed JSON value (RFC 8259) in well-formed
 * UTF-8 nested at most JSON_DEPTH_MAX deep, else -1. */
int json_check(const char *s, size_t n);

/* ---- FHIR value forms (pure) ------------------------------------------ */
/* The identifier system of folio's chart numbers. */
#define FHIR_MRN_SYSTEM "urn:folio:mrn"

/* A stored date or time ("2026-10-29", "2026-10-29T13:10",
 * "2026-10-29 13:10", "2026-10-29T13:10:05Z") as a FHIR dateTime into
 * out: a date as is, a time in UTC with seconds and "Z".  "" when it is
 * not one. */
void fhir_datetime(const char *in, char out[32]);
/* A stored ICD-10-CM code ("I5023") in its dotted form ("I50.23"). */
void fhir_icd10_dotted(const char *code, char out[16]);
/* 32 hex digits (a keyed pseudonym) as a UUID (RFC 9562 version 8, the
 * form for name-based UUIDs of another hash) "urn:uuid:..." into out. */
void fhir_uuid_urn(const char hex[33], char out[46]);

/* ---- the export (src/core/export_fhir.c) ------------------------------ */
struct grant;
struct folio_err;
struct disclosure;

enum fhir_resource { FHIR_PATIENT, FHIR_ENCOUNTER, FHIR_CONDITION, FHIR_OBSERVATION, FHIR_ALLERGY,
		     FHIR_MEDICATION, FHIR_DOCUMENT, FHIR_PROCEDURE, FHIR_RESOURCES };
/* "Patient", "Encounter", ... */
const char *fhir_resource_name(enum fhir_resource r);

struct fhir_export {
	const char *out;       /* the file to write (0600, via a temporary file
				* beside it renamed into place), or NULL */
	FILE *stream;          /* written to when out is NULL (stdout) */
	int force;             /* replace an existing out */
	int include_sensitive; /* psychotherapy and substance-use notes too:
				* needs the sensitive key (FOLIO_EDENIED) */
	/* A disclosure to a person or agency: kind, recipient, address and
	 * purpose filled (the date, description and source are set here); it is
	 * recorded in the ledger in the grant's transaction.  NULL: an internal
	 * export, audited by its grant only. */
	const struct disclosure *to;
};

struct fhir_counts {
	int n[FHIR_RESOURCES];
	int total;
	int sensitive_left_out;  /* sensitive documents not exported */
	int64_t disclosure_id;   /* the ledger entry, 0 for none */
};

/* Writes the Bundle (type collection) of the grant's patient (ACT_EXPORT_RUN
 * on that MRN): Patient, Encounter, Condition (encounter diagnoses and the
 * problem list), Observation (vitals and results), AllergyIntolerance,
 * MedicationRequest, Procedure (the clinical procedures), DocumentReference
 * (signed documents).  Items entered in error are left out.  Resource ids
 * are stable UUIDs from keyed pseudonyms.  FOLIO_EUSAGE, and nothing
 * written, when out exists and force is not set. */
int export_fhir_run(struct grant *g, const struct fhir_export *x, struct fhir_counts *c,
		    struct folio_err *e);

/* "N resources (Patient, Encounter ×k, ...)" into out: what the ledger
 * says was disclosed (no PHI). */
void fhir_counts_text(const struct fhir_counts *c, char *out, size_t cap);

/* The charts linked to this one by a merge, for Patient.link.  Merges do
 * not exist yet (issue 8 adds them): today there are none. */
struct fhir_link {
	char mrn[16];
	int replaced_by;  /* 1: this chart was replaced by mrn; 0: it replaces mrn */
};
int export_fhir_links(struct grant *g, struct fhir_link *links, size_t max, size_t *n,
		      struct folio_err *e);
/* Writes the Patient.link array of n links (nothing when n is 0). */
void fhir_patient_links(struct json_out *j, const struct fhir_link *links, size_t n);

#endif
