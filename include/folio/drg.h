/* folio — the MS-DRG v43 grouper (src/drg/): pure, tables and a claim in,
 * a result out.  No database, no terminal, no global state: a loaded
 * struct drg_tables is immutable and may be shared by any number of
 * concurrent drg_group() calls.
 *
 * Tables come from the CMS grouper's data as laid out in
 * ../shared/codesets/MANIFEST.md (msdrg_v43/), read from a directory, or
 * from the compact packed form drg_tables_pack() makes (stored in the
 * database by `codes load`, so the coding screen needs no directory).
 */
#ifndef FOLIO_DRG_H
#define FOLIO_DRG_H

#include <stddef.h>

#include "folio/util.h"

#define DRG_GROUPER_VERSION "MS-DRG v43.0"
#define DRG_MAX_SDX 24
#define DRG_MAX_PROC 25
#define DRG_CODE_MAX 8 /* 7 characters and the NUL */

struct drg_tables;

/* Loads from dir: either the code-set root (holding msdrg_v43/) or the
 * msdrg_v43 directory itself; .xz files are read transparently.  A malformed
 * table is refused with its file name and line number. */
int drg_tables_load(const char *dir, struct drg_tables **out, struct folio_err *e);
/* The compact packed form: *blob is malloc'd, caller frees. */
int drg_tables_pack(const struct drg_tables *t, unsigned char **blob, size_t *len,
		    struct folio_err *e);
/* Checks and loads a packed form; FOLIO_EFAIL on a damaged blob. */
int drg_tables_unpack(const unsigned char *blob, size_t len, struct drg_tables **out,
		      struct folio_err *e);
void drg_tables_free(struct drg_tables *t);
/* drg_tables_load() through an on-disk cache of the packed form
 * ($XDG_CACHE_HOME/folio/ or ~/.cache/folio/), keyed by the source files'
 * paths, sizes and modification times.  A stale, damaged or unreadable
 * cache is rebuilt silently; an unwritable one is simply not used. */
int drg_tables_load_cached(const char *dir, struct drg_tables **out, struct folio_err *e);

/* A claim as the official grouper takes it.  Codes are upper case without
 * dots.  poa is 'Y','N','U','W','1' (exempt), ' ' (blank) or any other
 * byte as an invalid indicator.  sex is 'M','F','U' (anything else is
 * invalid).  age and discharge_status are as given; the grouper judges
 * their validity. */
struct drg_claim {
	int age;
	char sex;
	int discharge_status;
	char pdx[DRG_CODE_MAX];
	int nsdx;
	struct {
		char code[DRG_CODE_MAX];
		char poa;
	} sdx[DRG_MAX_SDX];
	int nproc;
	char proc[DRG_MAX_PROC][DRG_CODE_MAX];
};

/* How a secondary diagnosis counted (the CMS grouper's sdx_usage). */
enum drg_sdx_usage {
	DRG_SDX_NEITHER,
	DRG_SDX_CC,
	DRG_SDX_MCC,
	DRG_SDX_CC_EXCLUDED,
	DRG_SDX_MCC_EXCLUDED,
	DRG_SDX_CC_EXCLUDED_BY_DRG_LOGIC,
	DRG_SDX_MCC_EXCLUDED_BY_DRG_LOGIC
};
enum drg_severity { DRG_SEV_NONE, DRG_SEV_NON_CC, DRG_SEV_CC, DRG_SEV_MCC };
enum drg_med_surg { DRG_MS_NONE, DRG_MS_MEDICAL, DRG_MS_SURGICAL };

struct drg_result {
	int final_drg;   /* 1..999 */
	int final_mdc;   /* 0..25 */
	int initial_drg;
	int initial_mdc;
	int base_drg;
	enum drg_med_surg med_surg;
	enum drg_severity final_severity;
	const char *grc;        /* return code, e.g. "OK", "DX_CANNOT_BE_PDX" */
	const char *hac_status; /* "NOT_APPLICABLE", "FINAL_DRG_NO_CHANGE", ... */
	int nsdx;
	enum drg_sdx_usage sdx_usage[DRG_MAX_SDX]; /* final grouping, per secondary */
};

/* Groups one claim.  Always fills *r (an ungroupable claim gets DRG 998/999
 * and its return code); returns FOLIO_OK. */
int drg_group(const struct drg_tables *t, const struct drg_claim *c, struct drg_result *r);

/* Titles; "" when unknown. */
const char *drg_title(const struct drg_tables *t, int drg);
const char *drg_mdc_title(const struct drg_tables *t, int mdc);

const char *drg_sdx_usage_name(enum drg_sdx_usage u);
const char *drg_severity_name(enum drg_severity s);
const char *drg_med_surg_name(enum drg_med_surg m);

/* One claim line in the test-set layout (tab-separated: id version age sex
 * discharge_status pdx sdx procedures [other columns ignored]).  id gets the
 * first field even when the line is refused (FOLIO_EUSAGE with the reason:
 * wrong column count, too many codes, a code too long). */
int drg_claim_parse(const char *line, size_t len, struct drg_claim *c, char id[64],
		    struct folio_err *e);

#endif
