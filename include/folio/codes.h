/* folio — clinical code sets: ICD-10-CM and ICD-10-PCS per fiscal year, the
 * POA-exempt list, the MCE and MS-DRG tables and the DRG weights.
 *
 * Two halves:
 *  - pure (src/codes/): the line parsers of the CMS/CDC files, code text
 *    helpers, and an in-memory search index over one system and fiscal
 *    year.  No database, no terminal, no global state; fuzzed and
 *    benchmarked alone.
 *  - core (src/core/codes_load.c, codes_store.c): `codes load` and the
 *    reads, through a grant.
 *
 * Codes are always passed and returned upper case without the dot
 * ("I2101"); codes_normalize() turns what a user types ("i21.01") into that
 * form and codes_format() puts the dot back for display.  The fiscal year
 * (FY) starts on October 1: FY2026 runs 2025-10-01 to 2026-09-30.
 *
 * Code sets are public reference data (not PHI): plain heap memory and plain
 * columns are right for them.
 */
#ifndef FOLIO_CODES_H
#define FOLIO_CODES_H

#include <stddef.h>
#include <stdint.h>

#include "folio/util.h"

struct grant;

enum codes_system { CODES_ICD10CM, CODES_ICD10PCS };

#define CODES_CODE_MAX 8   /* 7 characters and the NUL, no dot */
#define CODES_DOTTED_MAX 9 /* with the dot */
#define CODES_SHORT_MAX 64 /* a short description (60 columns) and its NUL */
#define CODES_LONG_MAX 400 /* a long description and its NUL */

/* "ICD-10-CM" / "ICD-10-PCS". */
const char *codes_system_name(enum codes_system s);

/* ---- code text (pure) --------------------------------------------------- */

/* What a user typed as a code ("i21.01", " I2101 ") into the stored form:
 * dots and surrounding blanks dropped, upper case.  0, or -1 when it is not
 * 1 to 7 letters and digits. */
int codes_normalize(const char *in, char out[CODES_CODE_MAX]);
/* The display form: ICD-10-CM gets its dot after the third character
 * ("I2101" -> "I21.01"); ICD-10-PCS codes have none. */
void codes_format(enum codes_system sys, const char *code, char out[CODES_DOTTED_MAX]);
/* The fiscal year a date "YYYY-MM-DD" falls in (2025-10-01 -> 2026); 0 when
 * the text is not such a date. */
int codes_fy_for_date(const char *date);
/* FNV-1a 64 over p[0..n), continued from h (start with CODES_FNV_INIT):
 * the content hash that tells an unchanged set, and the index's word
 * table.  Not a cryptographic hash (those live in src/crypto). */
#define CODES_FNV_INIT 0xcbf29ce484222325ULL
uint64_t codes_fnv(uint64_t h, const void *p, size_t n);

/* ---- line parsers (pure) ------------------------------------------------ */
/* Each parses one line without its line end.  On a refusal e->msg says what
 * is wrong (the caller prefixes "FILE:LINE: "). */

/* A CMS order-file row.  Descriptions are views into the line with the
 * trailing blanks trimmed (not NUL-terminated). */
struct codes_row {
	char code[CODES_CODE_MAX];
	int order;     /* CMS order number */
	int billable;  /* 1 valid for reporting, 0 a header */
	const char *short_desc;
	size_t short_len;
	const char *long_desc;
	size_t long_len;
};
/* Fixed width: cols 1-5 order number, 7-13 code (left-justified, no dot),
 * 15 '1' billable / '0' header, 17-76 short description, 78- long
 * description.  ICD-10-CM codes are 3-7 letters and digits, a letter first;
 * ICD-10-PCS codes 7 characters when billable, 3 for a header.
 * Descriptions must be non-empty, valid UTF-8 without control characters,
 * the long one shorter than CODES_LONG_MAX.  FOLIO_EUSAGE on a malformed
 * line. */
int codes_order_line(enum codes_system sys, const char *line, size_t len, struct codes_row *r,
		     struct folio_err *e);

/* A CDC POA-exempt line: order, dotted code, description, tab-separated.
 * *code gets the code without the dot, or "" for the column-title line
 * ("Order26<TAB>POAexemptCode<TAB>Description"). */
int codes_poa_line(const char *line, size_t len, char code[CODES_CODE_MAX], struct folio_err *e);

/* A DRG weights line: drg, weight, gmlos, amlos, tab-separated (IPPS Table
 * 5 values).  drg 0 for a line to skip: blank, '#' comment, or the column
 * titles ("drg<TAB>weight...").  DRG 1-999; weight > 0; the lengths of stay
 * >= 0. */
struct codes_weight {
	int drg;
	double weight, gmlos, amlos;
};
int codes_weight_line(const char *line, size_t len, struct codes_weight *w, struct folio_err *e);

/* ---- the search index (pure) -------------------------------------------- */
/* Built from the rows of one system and FY, it answers each keystroke of a
 * code search in memory.  The index owns copies of everything it was given
 * and holds no database handle or grant, so it outlives the grant that
 * loaded it; free it with codes_index_free().  It is immutable once built:
 * any number of searches may run on it at once.  Hit pointers stay valid
 * until the index is freed. */
struct codes_index;

int codes_index_build(enum codes_system sys, int fy, const struct codes_row *rows, size_t n,
		      struct codes_index **out, struct folio_err *e);
void codes_index_free(struct codes_index *x);
enum codes_system codes_index_system(const struct codes_index *x);
int codes_index_fy(const struct codes_index *x);
size_t codes_index_size(const struct codes_index *x);

enum codes_match {
	CODES_MATCH_EXACT,  /* the code typed */
	CODES_MATCH_PREFIX, /* a code starting with what was typed */
	CODES_MATCH_WORDS,  /* every word typed starts a word of the description */
	CODES_MATCH_CHILD   /* from codes_children() */
};

struct codes_hit {
	const char *code;       /* upper case, no dot */
	const char *short_desc; /* NUL-terminated */
	const char *desc;       /* the long description */
	int billable;           /* 0: a header, not to be reported */
	enum codes_match match;
};

/* Searches by code (with or without the dot, any case; exact, then codes
 * starting with it, in code order) and by words in any order (each a prefix
 * of some word of the description, case-insensitive), best first:
 * billable before header, more words matched whole, matches earlier in the
 * description, shorter descriptions.  Fills at most max hits; returns how
 * many codes matched in all (0: none). */
size_t codes_search(const struct codes_index *x, const char *query, struct codes_hit *hits, size_t max);
/* One code: FOLIO_OK with *hit, or FOLIO_ENOTFOUND. */
int codes_lookup(const struct codes_index *x, const char *code, struct codes_hit *hit);
/* The billable codes under a header code, in code order (up to max);
 * returns how many there are (0 for a billable code or an unknown one). */
size_t codes_children(const struct codes_index *x, const char *code, struct codes_hit *hits, size_t max);

/* ---- loading (core) ----------------------------------------------------- */
/* `folio codes load DIR` in two steps, so the database is locked only while
 * it is written: codes_load_read() finds, reads and checks every file under
 * DIR and its immediate subdirectories with no database at all (a malformed
 * line refuses the whole load: "FILE:LINE: what is wrong");
 * codes_load_store() then replaces each fiscal year's sets inside the
 * grant's one transaction (ACT_CODES_LOAD).  A set whose content is
 * unchanged is left as it is. */

struct codes_progress {
	const char *file;  /* base name of the file or directory */
	const char *phase; /* "reading" or "storing" */
	size_t done, total; /* bytes read, or rows stored, of the whole */
	size_t rows;        /* rows so far */
};
typedef void (*codes_progress_fn)(void *ctx, const struct codes_progress *p);

/* One loaded set, as the database records it (codes_sets) or as a load
 * found it (codes_load_summary). */
struct codes_set_info {
	char kind[16];     /* icd10cm icd10pcs poa_exempt mce msdrg drg_weights */
	char title[24];    /* "ICD-10-CM codes", "MS-DRG tables", "DRG weights" ... */
	int fy;
	char version[32];  /* the tables' version, "" for code sets */
	char source[128];  /* the file or directory's base name */
	long n_valid;      /* codes valid for reporting, or rows */
	long n_header;     /* header codes */
	size_t bytes;      /* packed tables: blob size */
	char loaded_at[24];
	char loaded_by[64];
	int unchanged;     /* after a load: the same content was already stored */
};

struct codes_load;

/* weights_file: a DRG weights TSV, or NULL to use a drg_weights*.tsv found
 * under dir (none is shipped by CMS with the tables: its absence is not an
 * error).  fn (may be NULL) is called as files are read.  FOLIO_ENOTFOUND
 * when dir is missing or holds no code set; FOLIO_EFAIL when a file is
 * malformed. */
int codes_load_read(const char *dir, const char *weights_file, codes_progress_fn fn, void *ctx,
		    struct codes_load **out, struct folio_err *e);
int codes_load_store(struct grant *g, struct codes_load *l, codes_progress_fn fn, void *ctx,
		     struct folio_err *e);
/* The sets a load found (after codes_load_store, with .unchanged and
 * .loaded_at/.loaded_by set); valid until codes_load_free(). */
size_t codes_load_summary(const struct codes_load *l, const struct codes_set_info **sets);
void codes_load_free(struct codes_load *l);

/* ---- reading (core) ----------------------------------------------------- */
/* Every read takes a grant for ACT_CODES_SEARCH, ACT_CODE_ASSIGN,
 * ACT_CHART_VIEW (a coding's checks), ACT_CODES_LOAD or ACT_REPORT_RUN (the case-mix index needs weights);
 * any other is refused (FOLIO_EDENIED).  fy 0 means the latest loaded.
 * FOLIO_ENOTFOUND, with "run folio codes load DIR" in the message, when
 * the set asked for is not loaded. */

/* Every loaded set, ordered by kind then FY.  *n gets how many (at most
 * max are filled). */
int codes_sets(struct grant *g, struct codes_set_info *out, size_t max, size_t *n, struct folio_err *e);
/* The latest FY loaded for a system, or 0 when none. */
int codes_latest_fy(struct grant *g, enum codes_system sys, struct folio_err *e);

/* Loads the search index of a system and FY: the grant is checked and
 * audited here, once; the searches that follow touch no database.  *out is
 * the caller's (codes_index_free). */
int codes_index_open(struct grant *g, enum codes_system sys, int fy, struct codes_index **out,
		     struct folio_err *e);

struct codes_info {
	int exists;   /* a code of that system in that FY */
	int billable; /* valid for reporting; 0 for a header */
	char code[CODES_CODE_MAX];
	char short_desc[CODES_SHORT_MAX];
	char long_desc[CODES_LONG_MAX];
};
/* One code (typed form accepted) in an FY's set.  FOLIO_OK with
 * out->exists 0 when the set is loaded but the code is not in it. */
int codes_get(struct grant *g, enum codes_system sys, int fy, const char *code, struct codes_info *out,
	      struct folio_err *e);
/* Whether a diagnosis code is exempt from POA reporting in FY fy. */
int codes_poa_exempt(struct grant *g, int fy, const char *code, int *exempt, struct folio_err *e);

enum codes_tables { CODES_TABLES_MCE, CODES_TABLES_DRG };
/* The packed MCE or MS-DRG tables of FY fy (mce_tables_unpack /
 * drg_tables_unpack read them).  *blob is malloc'd, the caller frees it;
 * info (may be NULL) gets the FY and version stored with them. */
int codes_tables_fetch(struct grant *g, enum codes_tables which, int fy, unsigned char **blob, size_t *len,
		       struct codes_set_info *info, struct folio_err *e);
/* A DRG's relative weight and mean lengths of stay in FY fy.  FOLIO_ENOTFOUND
 * when no weights are loaded for that FY (the message says how to load
 * them) or the DRG has none. */
int codes_drg_weight(struct grant *g, int fy, int drg, struct codes_weight *w, struct folio_err *e);

#endif
