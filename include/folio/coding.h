/* folio — coding an encounter (src/core/coding*.c): the principal
 * diagnosis, up to 24 secondaries each with its present-on-admission
 * indicator, up to 25 ICD-10-PCS procedures with dates; the checks before
 * grouping (billable in the fiscal year of discharge, the Medicare Code
 * Editor, POA); and the MS-DRG, regrouped on every save and kept with the
 * grouper version and a hash of its inputs.
 *
 * Memory: a struct coding holds a patient's diagnoses: make it with
 * coding_new() (guarded) and free it with coding_free() (wipes).  Reads run
 * under ACT_CHART_VIEW or ACT_CODE_ASSIGN, saves under ACT_CODE_ASSIGN, on
 * the encounter's patient.  Messages never echo a stored code's patient.
 */
#ifndef FOLIO_CODING_H
#define FOLIO_CODING_H

#include <stdint.h>

#include "folio/access.h"
#include "folio/drg.h"
#include "folio/mce.h"

#define CODING_SDX_MAX DRG_MAX_SDX
#define CODING_PROC_MAX DRG_MAX_PROC

struct coding_dx {
	char code[DRG_CODE_MAX]; /* upper case, no dot */
	char poa;                /* Y N U W, '1' exempt, ' ' not given */
};
struct coding_proc {
	char code[DRG_CODE_MAX];
	char date[11]; /* YYYY-MM-DD or "" */
};

/* One grouping of the codes. */
struct coding_group {
	int grouped;             /* 0: not grouped (see note) */
	char note[120];          /* why not, when not */
	char version[24];        /* DRG_GROUPER_VERSION */
	char hash[17];           /* of the grouper's inputs (16 hex digits) */
	char at[24];             /* UTC time grouped */
	struct drg_result r;     /* r.grc and r.hac_status point into static names */
	double weight, gmlos, amlos; /* when the weights table is loaded; else -1 */
};

/* What the claim takes from the chart: the encounter and the patient. */
struct coding_context {
	int64_t encounter_id;
	char kind[16];           /* inpatient, outpatient, emergency */
	char state[16];
	char admitted[11], discharged[11]; /* local dates; discharged "" when open */
	int discharge_status;    /* -1 when none recorded */
	int age;                 /* years at admission; -1 unknown */
	char sex;                /* M F U */
	int fy;                  /* fiscal year of the discharge (or today) */
	int code_fy;             /* the code set checked against: fy when it is
				  * loaded, else the latest loaded (0: none) */
};

struct coding {
	int64_t encounter_id;
	int64_t row_version;     /* 0 until first saved */
	char pdx[DRG_CODE_MAX];
	int nsdx, nproc;
	struct coding_dx sdx[CODING_SDX_MAX];
	struct coding_proc proc[CODING_PROC_MAX];
	struct coding_group group; /* the stored (last saved) grouping */
	int stale;               /* the chart changed since it was grouped (a
				  * discharge status, the age or sex): save to
				  * regroup */
	char coded_by[40], coded_at[24];
};

struct coding *coding_new(void);
void coding_free(struct coding *c);

/* ---- editing (pure) -------------------------------------------------- */
/* A code as typed ("i21.09", " I2109 ") into canonical form (upper case,
 * no dot); FOLIO_EUSAGE when it cannot be a code. */
int coding_code_norm(const char *in, char out[DRG_CODE_MAX], struct folio_err *e);
/* A POA indicator as typed: Y N U W, 1 or E (exempt), "" or "-" blank. */
int coding_poa_norm(const char *in, char *out, struct folio_err *e);

enum coding_list { CODING_SDX, CODING_PROC };
int coding_set_pdx(struct coding *c, const char *code, struct folio_err *e);
int coding_add_sdx(struct coding *c, const char *code, const char *poa, struct folio_err *e);
int coding_set_poa(struct coding *c, int i, const char *poa, struct folio_err *e);
int coding_add_proc(struct coding *c, const char *code, const char *date, struct folio_err *e);
/* Removes item i of a list; FOLIO_ENOTFOUND when there is none. */
int coding_remove(struct coding *c, enum coding_list l, int i, struct folio_err *e);
/* Moves item i one place up (dir -1) or down (+1); makes a secondary the
 * principal with coding_promote (the old principal becomes secondary 1). */
int coding_move(struct coding *c, enum coding_list l, int i, int dir, struct folio_err *e);
int coding_promote(struct coding *c, int i, struct folio_err *e);
/* The index of code in a list, or -1. */
int coding_find(const struct coding *c, enum coding_list l, const char *code);

/* ---- the chart -------------------------------------------------------- */
/* Loads the encounter's coding (empty, row_version 0, when never coded) and
 * its context.  The encounter must be on the grant's patient. */
int coding_load(struct grant *g, int64_t encounter_id, struct coding *c, struct coding_context *ctx,
		struct folio_err *e) MUST_CHECK;

/* A finding of the checks before grouping. */
struct coding_finding {
	int fatal;            /* the claim cannot be grouped as coded */
	enum mce_where where;
	int index;
	char code[24];        /* "INVALID_CODE", "POA_MISSING", "HEADER_CODE" ... */
	char message[200];    /* what is wrong and what would fix it */
};
#define CODING_FINDINGS_MAX 64
/* Runs every check; returns the number of findings (at most max stored). */
int coding_check(struct grant *g, const struct coding *c, const struct coding_context *ctx,
		 struct coding_finding *out, int max, struct folio_err *e);

/* Groups c as it stands (nothing is saved: the "what if").  Not grouped,
 * with a note, for a visit, or when no grouper tables are loaded. */
int coding_group(struct grant *g, const struct coding *c, const struct coding_context *ctx,
		 struct coding_group *out, struct folio_err *e) MUST_CHECK;

/* Saves c (ACT_CODE_ASSIGN): regroups, stores codes and grouping in one
 * envelope.  FOLIO_ESTALE when someone saved since it was loaded. */
int coding_save(struct grant *g, struct coding *c, const struct coding_context *ctx,
		struct folio_err *e) MUST_CHECK;

/* "what made the CC or MCC": the secondary whose usage set the final
 * severity, or -1. */
int coding_severity_driver(const struct coding_group *gr);

/* The title of an MS-DRG, and of an MDC, from the stored grouper tables
 * (under any grant that may read the code sets); "" when unknown or when no
 * tables are loaded.  The text belongs to the shared tables, which the next
 * call under a grant may replace after a `codes load`: copy it at once. */
const char *coding_drg_title(struct grant *g, int drg);
const char *coding_mdc_title(struct grant *g, int mdc);

#endif
