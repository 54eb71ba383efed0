/* folio — duplicate charts in the master patient index (domain.md
 * "Duplicates and merges"): the comparison of two person records and the
 * blocking keys (src/core/dup_score.c, pure: no store, no keys), the scan
 * over the whole index (src/core/dup_scan.c) and the pairs kept for a
 * person to verify (src/core/dup_pairs.c).  Merging is not here.
 *
 * Scoring is additive, Fellegi-Sunter style: each field that both records
 * have adds a weight for agreement (exact, near, phonetic, day and month
 * swapped, ...) or subtracts one for disagreement; a field missing on
 * either side adds nothing.  The reasons are field names with a marker,
 * never values: "=" agrees, "~" nearly, "!" differs; "name-swap" for given
 * and family names swapped, "dob-swap" for day and month swapped, "dob~" one
 * digit off, "dob-year" only the year agrees.  e.g.
 * "family~ given= dob-swap sex= phone= zip=".
 *
 * Threshold, measured on the Febrl data (../shared/testdata/patient_matching/
 * febrl, make bench prints it again): a pair scoring DUP_THRESHOLD or more is a
 * potential duplicate.  At 12, pairs over the threshold against the truth
 * (Febrl has no sex or phone; blocking, below, keeps 99.7-100% of the true
 * pairs while scoring 0.03-0.1% of all pairs):
 *   dataset1 (1,000 rows):  P 1.000  R 0.994  F1 0.997
 *   dataset2 (5,000 rows):  P 1.000  R 0.987  F1 0.993
 *   dataset3 (5,000 rows):  P 1.000  R 0.976  F1 0.988
 * Baseline, exact DOB + surname: P 0.999-1.000, R 0.48-0.57.  From 8 to 14
 * P stays >= 0.995 and R >= 0.96 on all three; 12 keeps the margin on
 * precision for records that also carry sex and phone.
 */
#ifndef FOLIO_DUPES_H
#define FOLIO_DUPES_H

#include <stddef.h>
#include <stdint.h>

#include "folio/access.h"

#define DUP_THRESHOLD 12
#define DUP_REASONS_MAX 128
#define DUP_KEYS_MAX 10

/* A person record in the normal forms the comparison uses.  Holds PHI:
 * keep it in guarded memory (smem) outside tests. */
struct dup_person {
	char given[64], middle[64], family[64];
	char given_sx[5], family_sx[5];
	char dob[9];                /* YYYYMMDD digits, YYYY or YYYYMM when partial, "" unknown */
	char sex;                   /* 'F', 'M', 'X'; 0 unknown */
	char phone[16];             /* digits, the last 10 */
	char street_no[12];         /* the house number (first token with a digit) */
	char street[128];           /* normalised street words, one space between */
	char city[64];
	char zip[6];                /* the five-digit ZIP (postcode) */
	char ssn[12];               /* digits: the whole number, or its last four */
};

/* What a person record is made from: plain strings as typed, NULL or "" for
 * missing.  dob as stored (YYYY-MM-DD, or YYYY-MM / YYYY when partial). */
struct dup_input {
	const char *given, *middle, *family, *dob, *sex, *phone, *address, *city, *zip, *ssn;
};

void dup_person_make(const struct dup_input *in, struct dup_person *p);

/* The blocking keys of p (64-bit hashes of a key kind and value, at most
 * DUP_KEYS_MAX): Soundex(family)+birth year, Soundex(given)+DOB, DOB,
 * phone, ZIP+first 3 letters of family, SSN last four+birth year, the two
 * Soundexes (in either order), house number+ZIP.  Two records are a
 * candidate pair when they share a key.  Returns the count. */
int dup_person_keys(const struct dup_person *p, uint64_t keys[DUP_KEYS_MAX]);

/* Candidate pairs among ps[0..n): sorted, unique codes (i << 32 | j) with
 * i < j, in *pairs (malloc'd; caller frees), *npairs of them.  A key
 * shared by more than DUP_BLOCK_MAX records is skipped (a value everyone
 * has says nothing).  -1 when out of memory. */
#define DUP_BLOCK_MAX 400
int dup_candidates(const struct dup_person *ps, size_t n, uint64_t **pairs, size_t *npairs);

/* Score of the pair (higher: more alike) and the reasons into reasons
 * (cap bytes, DUP_REASONS_MAX is enough). */
int dup_compare(const struct dup_person *a, const struct dup_person *b, char *reasons, size_t cap);

/* Jaro-Winkler similarity of two strings, 0..1. */
double dup_jaro_winkler(const char *a, const char *b);

/* ---- measuring against known truth --------------------------------- */
struct dup_quality {
	size_t records, true_pairs, candidates, true_candidates, predicted, true_predicted;
	double completeness;        /* true pairs among the candidates / true pairs */
	double reduction;           /* 1 - candidates / all n(n-1)/2 pairs */
	double precision, recall, f1;
};

/* Blocks and scores ps[0..n), whose truth[i] names the person each record
 * is (records with equal truth are the same person), and counts the pairs
 * scoring threshold or more against the truth.  -1 when out of memory. */
int dup_measure(const struct dup_person *ps, const long *truth, size_t n, int threshold,
		struct dup_quality *q);

/* Reads a Febrl data set (rec_id, given_name, surname, street_number,
 * address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id;
 * ", " separated) into *ps (malloc'd, n records) and *truth (the N of
 * rec-N-...).  -1 (errno set) when the file cannot be read or is not one. */
int dup_febrl_load(const char *path, struct dup_person **ps, long **truth, size_t *n);

/* ---- the scan and the pairs (ACT_MERGE_PROPOSE) --------------------- */
enum dup_status { DUP_POTENTIAL, DUP_DUPLICATE, DUP_NOT_DUPLICATE };
const char *dup_status_name(enum dup_status s);   /* "potential", "duplicate", "not-duplicate" */
int dup_status_parse(const char *name);            /* -1 when unknown */

struct dup_scan_result {
	size_t patients, candidates, found, added, updated, kept;  /* kept: decided pairs left alone */
	double seconds;             /* the whole scan */
	double read_seconds;        /* of which reading and decrypting the records */
};

/* Scans the whole index under one grant with no chart: decrypts every
 * patient's demographics, blocks, scores, and stores the pairs at or over
 * DUP_THRESHOLD.  A potential pair found again gets its new score; a
 * decided pair is never changed or re-opened. */
int dup_scan(struct grant *g, struct dup_scan_result *r, struct folio_err *e) MUST_CHECK;

struct dup_pair {
	int64_t id;
	char mrn_a[16], mrn_b[16];
	int score;
	char reasons[DUP_REASONS_MAX];
	enum dup_status status;
	char found_at[24], decided_by[40], decided_at[24];
	int merged;
	int64_t row_version;
};

/* Pairs, best score first; status < 0 for any status. */
int dup_list(struct grant *g, int status, int min_score, int (*fn)(const struct dup_pair *, void *), void *ctx,
	     struct folio_err *e);
/* One pair; FOLIO_ENOTFOUND when there is none. */
int dup_get(struct grant *g, int64_t id, struct dup_pair *p, struct folio_err *e);

/* Both charts of a pair side by side, decrypted for the user: for each
 * shown field its label, the two values and whether they agree. */
enum dup_side_field {
	DS_MRN, DS_FAMILY, DS_GIVEN, DS_MIDDLE, DS_DOB, DS_SEX, DS_PHONE, DS_ADDRESS, DS_CITY, DS_ZIP, DS_SSN4,
	DS_COUNT
};
struct dup_side {
	struct dup_pair pair;
	const char *label[DS_COUNT];
	char a[DS_COUNT][96], b[DS_COUNT][96];
	char mark[DS_COUNT];        /* '=' agree, '~' nearly, '!' differ, ' ' missing on a side */
};
/* Guarded; free with dup_side_free (wipes). */
struct dup_side *dup_side_new(void);
void dup_side_free(struct dup_side *s);
int dup_show(struct grant *g, int64_t id, struct dup_side *s, struct folio_err *e);
/* A restricted chart not opened in this session (access_chart_flags) shows
 * only what the patient lookup shows (MRN, names, date of birth, sex): the
 * front end blanks the rest of that side (0: chart a, 1: chart b). */
void dup_side_restrict(struct dup_side *s, int side);

/* Decides a pair: duplicate (verify) or not a duplicate (reject), with an
 * optional note (sealed).  FOLIO_EUSAGE when it is already decided. */
int dup_decide(struct grant *g, int64_t id, enum dup_status to, const char *note, struct folio_err *e) MUST_CHECK;

#endif
