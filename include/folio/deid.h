/* folio — the pure transformations of the de-identified research extract
 * (src/interop/deid.c), HIPAA Safe Harbor, 45 CFR 164.514(b)(2): dates to
 * the year, ages over 89 grouped as "90+", ZIP to its three-digit area (000
 * for the sparsely populated ones), numeric-only values, and RFC 4180 CSV.
 * No database and no keys: the walk over the charts is src/core/export_deid.c.
 */
#ifndef FOLIO_DEID_H
#define FOLIO_DEID_H

#include <stddef.h>
#include <stdio.h>

/* The year of an ISO date or time ("1962-03-14", "2024-01-02T10:00:00Z")
 * into out; "" (and -1) when the text does not start with one. */
int deid_year(const char *date, char out[5]);

/* Whole years from the ISO date dob to the ISO date on (a leap-day birth
 * counts its birthday on 1 March in other years); -1 when either is not a
 * date or on is before dob. */
int deid_age(const char *dob, const char *on);

/* An age as written in the extract: "90+" over 89, "" when unknown (< 0),
 * else the number. */
void deid_age_text(int age, char out[8]);

/* 1 when the three-digit ZIP area has 20,000 people or fewer (the 17 areas
 * of the Census figures HHS uses), else 0. */
int deid_zip3_restricted(const char zip3[4]);

/* The ZIP's three-digit area into out: "000" for a restricted area, "" when
 * the text is not a 5-digit ZIP or ZIP+4 ("12345", "12345-6789",
 * "123456789"). */
void deid_zip3(const char *zip, char out[4]);

/* 1 when a result value is a number the extract may keep ("7.2", "-1",
 * "<0.01", ">60", "120/80"), 0 for words or anything else. */
int deid_numeric(const char *value);

/* One field quoted per RFC 4180 into out (cap bytes): in double quotes, with
 * inner quotes doubled, when it holds a comma, quote, CR or LF; as is
 * otherwise.  Returns the length written, or cap when it did not fit (out is
 * then "").  */
size_t deid_csv_quote(const char *in, char *out, size_t cap);

/* Writes one record of n fields (NULL written as empty) ended by CRLF;
 * -1 on a write error or a field too long, else 0. */
int deid_csv_row(FILE *f, const char *const *fields, size_t n);

/* ---- the extract (src/core/export_deid.c) ---------------------------- */
struct grant;
struct folio_err;

enum deid_file { DEID_PATIENTS, DEID_ENCOUNTERS, DEID_DIAGNOSES, DEID_PROCEDURES, DEID_DRGS, DEID_VITALS,
		 DEID_RESULTS, DEID_PROBLEMS, DEID_MEDICATIONS, DEID_ALLERGIES, DEID_CHARTED_PROCEDURES, DEID_FILES };
/* The file name of each ("patients.csv" ...). */
const char *deid_file_name(enum deid_file f);

/* Writes the extract of every chart into dir (ACT_EXPORT_RUN, no MRN): the
 * CSV files and manifest.txt, each 0600, built in a temporary directory
 * beside dir and renamed into place at the end, so a failure leaves no
 * partial extract.  dir must not exist or be empty (FOLIO_EUSAGE).  rows[]
 * gets the data rows of each file. */
int export_deid_run(struct grant *g, const char *dir, long rows[DEID_FILES], struct folio_err *e);

#endif
