/* folio — Synthea CSV exports.
 *
 * Pure part (src/interop/synthea.c): the files an importer reads, each
 * file's columns by name across every header variant Synthea has written
 * (MANIFEST.md: v2/v3 allergies and procedures, FIPS, INCOME, MIDDLE,
 * SYSTEM ...), and what a row's text becomes: dates and times, names
 * without Synthea's digits, state codes, folio encounter kinds, the LOINC
 * codes that are vitals, and the stable key of a row.
 *
 * The importer (src/core/import_synthea.c) runs in steps, one grant of
 * ACT_IMPORT_RUN (one transaction) per step; a front end loops
 * access_begin / synthea_import_step / access_end until done.  Values are
 * PHI: rows are unquoted into guarded memory, every value goes through
 * patient_set() or the clinical field checks, and messages name the file,
 * the line and the rule, never a value.
 */
#ifndef FOLIO_SYNTHEA_H
#define FOLIO_SYNTHEA_H

#include <stddef.h>
#include <stdint.h>

#include "folio/access.h"
#include "folio/csv.h"

/* The files, in the order they are imported (patients before what names
 * them, encounters before what is filed to them). */
enum syn_file {
	SYN_PATIENTS,
	SYN_ENCOUNTERS,
	SYN_CONDITIONS,
	SYN_MEDICATIONS,
	SYN_ALLERGIES,
	SYN_PROCEDURES,
	SYN_OBSERVATIONS,
	SYN_FILES
};
/* "patients.csv" ... */
const char *synthea_file_name(int file);

/* Logical columns; each file maps those it has. */
enum syn_col {
	SC_ID, SC_PATIENT, SC_ENCOUNTER, SC_START, SC_STOP, SC_CODE, SC_SYSTEM, SC_DESC, SC_REASONCODE,
	SC_REASONDESC, SC_CLASS, SC_CATEGORY, SC_VALUE, SC_UNITS, SC_TYPE, SC_SEVERITY1, SC_REACTION1,
	SC_SEVERITY2, SC_REACTION2, SC_BIRTHDATE, SC_DEATHDATE, SC_SSN, SC_PREFIX, SC_FIRST, SC_MIDDLE,
	SC_LAST, SC_SUFFIX, SC_MAIDEN, SC_RACE, SC_ETHNICITY, SC_GENDER, SC_ADDRESS, SC_CITY, SC_STATE,
	SC_ZIP, SC_COUNT
};

struct syn_map {
	int file;
	int idx[SC_COUNT];   /* header index, -1 when the file has no such column */
};

/* Maps the header c has read for file: 0, or -1 with why (a required
 * column missing, named).  Unknown columns (FIPS, INCOME, LAT ...) are
 * ignored. */
int synthea_map(int file, const struct csv *c, struct syn_map *m, char *why, size_t cap);
/* The current record's value of a logical column ("" when absent). */
const char *synthea_get(const struct syn_map *m, const struct csv *c, int col);

/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS[.fff]Z" into "YYYY-MM-DDTHH:MM:SSZ"
 * (a date alone is midnight): 0, or -1 when it is neither. */
int synthea_time(const char *in, char out[24]);
/* The date part of the same: 0 or -1. */
int synthea_date(const char *in, char out[11]);
/* A name without the digits Synthea appends ("Freeman822" -> "Freeman"). */
void synthea_name(const char *in, char *out, size_t cap);
/* The USPS code of a state's name ("Massachusetts" -> "MA"); a two-letter
 * code is returned as it is; NULL when unknown. */
const char *synthea_state(const char *name);
/* folio's encounter kind for ENCOUNTERCLASS: inpatient -> inpatient,
 * emergency and urgentcare -> emergency, others -> outpatient. */
const char *synthea_encounter_kind(const char *cls);
/* folio's allergy type for CATEGORY ("" when it has none). */
const char *synthea_allergy_type(const char *category);

/* The vitals among the observations, by LOINC code. */
enum syn_vital {
	SV_NONE, SV_WEIGHT, SV_HEIGHT, SV_SYSTOLIC, SV_DIASTOLIC, SV_PULSE, SV_RESP, SV_TEMP, SV_SPO2,
	SV_BMI, SV_PAIN
};
int synthea_vital(const char *loinc);

/* The stable source key of the current record: its Id for patients and
 * encounters, else its identifying columns joined (PATIENT|ENCOUNTER|CODE|
 * START|STOP, with VALUE for observations).  The importer adds an
 * occurrence number for exact repeats.  0, or -1 when it does not fit. */
int synthea_row_key(const struct syn_map *m, const struct csv *c, char *out, size_t cap);

/* ---- the importer (src/core/import_synthea.c) ----------------------- */
struct synthea_count {
	int present;         /* the file was there */
	long read, imported, already, skipped;
};

struct synthea_report {
	struct synthea_count f[SYN_FILES];
	long vitals_rows, result_rows;   /* observations filed as vitals / results */
	long vitals_sets;                /* vitals items made (rows of one time grouped) */
	int64_t run_id;                  /* import_runs row */
	size_t bytes_done, bytes_total;  /* for progress */
};

struct synthea_hooks {
	/* "FILE:LINE: reason" for a skipped row, and notes ("allergies.csv
	 * absent: skipped"); never a value. */
	void (*note)(void *ctx, const char *msg);
	void *ctx;
};

struct synthea_import;
/* Opens the export in dir (FOLIO_ENOTFOUND when dir holds no
 * patients.csv(.xz)); nothing is read into the database yet. */
int synthea_import_open(const char *dir, const struct synthea_hooks *h, struct synthea_import **out,
			struct folio_err *e) MUST_CHECK;
/* Imports the next batch under g (ACT_IMPORT_RUN, no chart): up to a
 * batch of rows of the current file.  *done is 1 after the last batch
 * (the import_runs row is then complete).  A refused row is counted and
 * noted, not an error; an error is a failure of the store or the keys. */
int synthea_import_step(struct grant *g, struct synthea_import *imp, int *done, struct folio_err *e) MUST_CHECK;
/* Fewer rows per step than the default 5,000 patients / 100,000 other
 * rows (shorter transactions, a livelier progress bar); -1 unless 1 <= n
 * <= the default. */
int synthea_import_batch(struct synthea_import *imp, long patients, long rows);
const struct synthea_report *synthea_import_report(const struct synthea_import *imp);
void synthea_import_free(struct synthea_import *imp);

#endif
