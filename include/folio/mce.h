/* folio — Medicare Code Editor edits (src/drg/mce.c): pure, tables and a
 * claim in, findings out.  Tables are the MCE 2.0 (v43) data laid out in
 * ../shared/codesets/MANIFEST.md (mce_v43/): per-code attributes with
 * effective date ranges, age ranges, discharge statuses.  A loaded
 * struct mce_tables is immutable and shareable.
 */
#ifndef FOLIO_MCE_H
#define FOLIO_MCE_H

#include <stddef.h>

#include "folio/drg.h"
#include "folio/util.h"

struct mce_tables;

/* dir: the code-set root (holding mce_v43/) or mce_v43 itself. */
int mce_tables_load(const char *dir, struct mce_tables **out, struct folio_err *e);
int mce_tables_pack(const struct mce_tables *t, unsigned char **blob, size_t *len,
		    struct folio_err *e);
int mce_tables_unpack(const unsigned char *blob, size_t len, struct mce_tables **out,
		      struct folio_err *e);
void mce_tables_free(struct mce_tables *t);

enum mce_edit {
	MCE_INVALID_CODE,        /* not a valid code on the discharge date */
	MCE_SEX_CONFLICT,
	MCE_AGE_CONFLICT,
	MCE_MANIFESTATION_AS_PDX,
	MCE_E_CODE_AS_PDX,
	MCE_UNACCEPTABLE_PDX,
	MCE_DUPLICATE_OF_PDX,     /* a secondary repeats the principal */
	MCE_DUPLICATE_CODE,       /* a code listed twice */
	MCE_INVALID_AGE,
	MCE_INVALID_SEX,
	MCE_INVALID_DISCHARGE_STATUS,
	MCE_REQUIRES_SDX,
	MCE_QUESTIONABLE_ADMISSION,
	MCE_NON_COVERED,
	MCE_LIMITED_COVERAGE,
	MCE_OPEN_BIOPSY,
	MCE_WRONG_PROCEDURE,
	MCE_BILATERAL,
	MCE_UNSPECIFIED,
	MCE_EDIT_COUNT
};

/* Where a finding points: the principal, secondary i, procedure i, or the
 * claim's age/sex/status. */
enum mce_where { MCE_AT_CLAIM, MCE_AT_PDX, MCE_AT_SDX, MCE_AT_PROC };

struct mce_finding {
	enum mce_edit edit;
	enum mce_where where;
	int index;  /* secondary or procedure index (0-based) */
	int fatal;  /* 1: the claim cannot be grouped as coded (pre-payment
		     * edits that return the claim); 0: a warning for review */
	char message[200]; /* what is wrong and what would fix it */
};

#define MCE_MAX_FINDINGS 64

/* Runs the edits for a claim discharged on `date` ("YYYY-MM-DD").  Fills at
 * most max findings and returns how many there were in all. */
int mce_check(const struct mce_tables *t, const struct drg_claim *c, const char *date,
	      struct mce_finding *out, int max);

const char *mce_edit_name(enum mce_edit edit);
/* The last day ("YYYY-MM-DD") the tables have rules for: a later claim is
 * edited by the rules of that day, with a warning, until newer tables are
 * loaded. */
void mce_tables_last_day(const struct mce_tables *t, char out[11]);

#endif
