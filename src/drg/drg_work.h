/* folio — the grouper's per-claim working state, shared by the claim
 * set-up and grouping (drg_group.c) and the attribute mask with the
 * formula evaluator (drg_mask.c).  Private to src/drg. */
#ifndef FOLIO_DRG_WORK_H
#define FOLIO_DRG_WORK_H

#include <stdint.h>

#include "drg_internal.h"

enum { DXF_VALID = 1, DXF_EXCLUDED = 2, DXF_DEATH = 4, DXF_HAC_MET = 8, DXF_SHOW = 16 };

#define MAX_CLUSTERS 256 /* satisfied clusters kept per claim */

struct gdx {
	const struct drg_dxs *row; /* NULL: not a valid code */
	uint32_t ix;               /* its place in the code table */
	uint8_t flags;
	char poa;
};

/* One claim being grouped.  The mask holds, per formula key, whether some
 * code has it and in which MDCs it is suppressed. */
struct work {
	const struct drg_tables *t;
	const struct drg_claim *c;
	const struct drg_dxs *pdx;
	int pdx_mdc; /* -1 when none */
	int dstat_valid;
	int nsdx, nproc, nclus;
	struct gdx sdx[DRG_MAX_SDX];
	const struct drg_prs *pr[DRG_MAX_PROC];
	uint32_t pr_supp[DRG_MAX_PROC];
	uint32_t clus[MAX_CLUSTERS];
	uint64_t pr_code[DRG_MAX_PROC];
	uint64_t present[DRG_KEYS_MAX / 64];
	uint32_t supp[DRG_KEYS_MAX];
};

/* Fills the mask from the claim's codes and facts (step 2). */
void drg_mask_build(struct work *w);
/* Evaluates postfix code against the mask at MDC mdc, with the claim's
 * severity sev (enum drg_sev) for the MCC and CC operands. */
int drg_mask_eval(const struct work *w, const uint16_t *code, unsigned n, int sev, int mdc);
/* Whether one of a diagnosis's attributes [from, from + n) is name. */
int drg_dx_has(const struct drg_tables *t, const struct drg_dxs *d, int from, int n, uint16_t name);

#endif
