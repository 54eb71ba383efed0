/* folio — grouping one claim with the MS-DRG v43.0 logic, following the
 * official CMS grouper's sequence:
 *
 *   1. codes: look up every code; satisfied procedure clusters become
 *      pseudo-codes and their member codes stop counting alone in the
 *      cluster's suppression MDCs; PDX exclusion groups and death
 *      exclusions (mccalive codes when the patient died) are marked;
 *   2. the mask: every attribute of every code, as bare, ANY:, PDX: and
 *      SDX: keys, each carrying the MDCs in which it is suppressed, plus
 *      the cumulative operands (MULTST, BILATERAL, stent and fusion
 *      counts) and the claim facts (ALIVE, DIED, AMA, INVALID_DSTAT ...);
 *   3. initial grouping: pre-MDC formulas, reroutes (MDC 24, 25, 11, and
 *      29 for unrelated O.R. procedures), then the PDX's MDC, each list in
 *      rank order; a formula's severity is the highest CC/MCC among the
 *      secondaries that are not excluded and carry none of its
 *      suppression operands;
 *   4. HACs: secondaries on a HAC list that were not present on
 *      admission and satisfy the HAC's formula stop counting as CC/MCC
 *      (the hospital is POA non-exempt); a blank or invalid POA on such a
 *      claim makes it ungroupable (HAC_MISSING_ONE_POA);
 *   5. final grouping as in 3 without the HAC codes, and the per-secondary
 *      usage of the final grouping.
 *
 * Nothing here allocates: the working state lives on the stack and the
 * tables are read-only, so any number of threads may group at once. */
#include <string.h>

#include "drg_work.h"

enum drg_grc {
	GRC_OK,
	GRC_INVALID_PDX,
	GRC_INVALID_AGE,
	GRC_INVALID_SEX,
	GRC_INVALID_DSTAT,
	GRC_DX_CANNOT_BE_PDX,
	GRC_UNGROUPABLE,
	GRC_HAC_MISSING_ONE_POA
};

static const char *const grc_names[] = { "OK",
					 "INVALID_PDX",
					 "INVALID_AGE",
					 "INVALID_SEX",
					 "INVALID_DISCHARGE_STATUS",
					 "DX_CANNOT_BE_PDX",
					 "UNGROUPABLE",
					 "HAC_MISSING_ONE_POA" };

/* One grouping pass's outcome. */
struct pass {
	const struct drg_formula *f; /* the formula that assigned the DRG */
	int mdc;
	int sev;  /* enum drg_sev, as the formula saw it */
	int grc;
};

long drg_code_find(const uint64_t *codes, uint32_t n, uint64_t code)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (codes[mid] < code)
			lo = mid + 1;
		else if (codes[mid] > code)
			hi = mid;
		else
			return (long)mid;
	}
	return -1;
}

static int valid_dstat(int s)
{
	/* the discharge statuses of the official grouper (and the FY2026 MCE) */
	return (s >= 1 && s <= 7) || s == 20 || s == 21 || s == 30 || s == 43 || s == 50 ||
	       s == 51 || (s >= 61 && s <= 66) || s == 69 || s == 70 || (s >= 81 && s <= 95);
}

/* Whether secondary i is left out of a formula's severity by its
 * suppression operands. */
static int suppressed(const struct work *w, const struct drg_formula *f, int i)
{
	const struct drg_tables *t = w->t;
	const struct drg_dxs *d = w->sdx[i].row;
	for (unsigned s = 0; s < f->nsupp; s++)
		if (drg_dx_has(t, d, 0, d->nattr, t->u16[f->supp + s]))
			return 1;
	return 0;
}

static int severity(const struct work *w, const struct drg_formula *f, int final)
{
	int sev = SEV_NCC;
	for (int i = 0; i < w->nsdx; i++) {
		const struct gdx *g = &w->sdx[i];
		if (!g->row || g->row->sev <= sev || (g->flags & (DXF_EXCLUDED | DXF_DEATH)))
			continue;
		if (final && (g->flags & DXF_HAC_MET))
			continue;
		if (f->nsupp && suppressed(w, f, i))
			continue;
		sev = g->row->sev;
	}
	return sev;
}

/* Runs one MDC's formulas in rank order.  Returns the matching formula (or
 * NULL); *stop gets a return code when a stop formula matched. */
static const struct drg_formula *group_mdc(const struct work *w, int mdc, int final, int *sev_out,
					   int *stop)
{
	const struct drg_tables *t = w->t;
	int plain = -1;

	*stop = GRC_OK;
	if (mdc < 0 || mdc >= MDC_SLOTS)
		return NULL;
	for (uint32_t i = t->mdc_first[mdc]; i < t->mdc_first[mdc + 1]; i++) {
		const struct drg_formula *f = &t->formulas[i];
		int sev;
		if (f->nsupp) {
			sev = severity(w, f, final);
		} else {
			if (plain < 0)
				plain = severity(w, f, final);
			sev = plain;
		}
		if (!drg_mask_eval(w, t->u16 + f->code, f->ncode, sev, mdc))
			continue;
		if (f->drg == 0 && f->reroute == 0) {
			switch (f->stop) {
			case STOP_INVALID_PDX:
				*stop = GRC_INVALID_PDX;
				return NULL;
			case STOP_ECODE:
				*stop = GRC_DX_CANNOT_BE_PDX;
				return NULL;
			case STOP_INVALID_SEX:
				*stop = GRC_INVALID_SEX;
				return NULL;
			case STOP_INVALID_DSTAT:
				*stop = GRC_INVALID_DSTAT;
				return NULL;
			default:
				continue; /* a marker: keep going */
			}
		}
		*sev_out = sev;
		return f;
	}
	return NULL;
}

/* Runs one MDC's list into p: 1 on a match (p->f, p->sev), 0 when
 * nothing matched, -1 when a stop formula ended the grouping (p->grc). */
static int step(const struct work *w, int mdc, int final, struct pass *p)
{
	int sev, stop;
	const struct drg_formula *f = group_mdc(w, mdc, final, &sev, &stop);
	if (stop) {
		p->f = NULL;
		p->grc = stop;
		return -1;
	}
	if (!f)
		return 0;
	p->f = f;
	p->sev = sev;
	return 1;
}

/* One grouping: the pre-MDC list, else the principal's MDC, each followed
 * through its reroutes (at most two hops, as the official grouper does). */
static void group_pass(const struct work *w, int final, struct pass *p)
{
	const int lists[2] = { 0, w->pdx_mdc };

	memset(p, 0, sizeof *p);
	for (int k = 0; k < 2 && !p->f && lists[k] >= 0; k++) {
		int r = step(w, lists[k], final, p);
		if (r < 0)
			return;
		if (r == 0)
			continue;
		/* a pre-MDC reroute takes its new MDC; a pre-MDC DRG, the principal's;
		 * a reroute from the principal's MDC (to 29) keeps it */
		p->mdc = k == 0 && p->f->reroute ? p->f->reroute : w->pdx_mdc >= 0 ? w->pdx_mdc : 0;
		for (int hop = 0; hop < 2 && p->f->reroute; hop++) {
			const struct drg_formula *from = p->f;
			if ((r = step(w, from->reroute, final, p)) < 0)
				return;
			if (r == 0) {
				p->f = from; /* nothing there: the reroute formula stands */
				break;
			}
		}
	}
	if (!p->grc && (!p->f || p->f->drg == 0))
		p->grc = GRC_UNGROUPABLE;
}

/* ---- claim set-up ---- */

static int dx_in_group(const struct drg_tables *t, uint16_t group, uint32_t row)
{
	const struct drg_xgroup *g = &t->xgroups[group];
	size_t lo = 0, hi = g->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t v = t->u32[g->off + mid];
		if (v < row)
			lo = mid + 1;
		else if (v > row)
			hi = mid;
		else
			return 1;
	}
	return 0;
}

/* Procedure clusters: a claim holding a code of every choice counts as
 * the cluster's pseudo-code.  Member codes are taken in claim order up to
 * the one that completes the cluster, and those stop counting alone in the
 * cluster's suppression MDCs. */
static void find_clusters(struct work *w)
{
	const struct drg_tables *t = w->t;
	struct {
		uint32_t cluster;
		uint32_t members;
		uint64_t got;
		int done;
	} cand[DRG_MAX_PROC * 44]; /* a code is in at most 43 clusters */
	int ncand = 0;

	w->nclus = 0;
	for (int j = 0; j < w->nproc; j++) {
		if (!w->pr[j])
			continue;
		/* first membership row of this code */
		size_t lo = 0, hi = t->n_cmemb;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (t->cmemb[mid].code < w->pr_code[j])
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t r = lo; r < t->n_cmemb && t->cmemb[r].code == w->pr_code[j]; r++) {
			const struct drg_cmemb *cm = &t->cmemb[r];
			int c = 0;
			while (c < ncand && cand[c].cluster != cm->cluster)
				c++;
			if (c == ncand) {
				if (ncand == (int)ARRAY_SIZE(cand))
					continue;
				cand[c].cluster = cm->cluster;
				cand[c].members = 0;
				cand[c].got = 0;
				cand[c].done = 0;
				ncand++;
			}
			if (cand[c].done)
				continue;
			cand[c].got |= 1ull << cm->choice;
			cand[c].members |= 1u << j;
		}
		/* a cluster completed by this code takes no later members */
		for (int c = 0; c < ncand; c++) {
			if (cand[c].done)
				continue;
			unsigned nch = t->clusters[cand[c].cluster].nchoice;
			uint64_t all = nch >= 64 ? ~0ull : (1ull << nch) - 1;
			if (cand[c].got == all)
				cand[c].done = 1;
		}
	}
	for (int c = 0; c < ncand; c++) {
		if (!cand[c].done || w->nclus >= MAX_CLUSTERS)
			continue;
		const struct drg_cluster *cl = &t->clusters[cand[c].cluster];
		w->clus[w->nclus++] = cand[c].cluster;
		for (int j = 0; j < w->nproc; j++)
			if (cand[c].members >> j & 1)
				w->pr_supp[j] |= cl->supp;
	}
}

static int poa_valid(char poa)
{
	return poa == 'Y' || poa == 'N' || poa == 'U' || poa == 'W';
}

/* HAC evaluation (step 4).  A secondary on a HAC list that was not
 * present on admission (POA other than Y or W) and is not excluded by the
 * principal has its HAC's formula evaluated on the whole claim.  Returns
 * the number of HAC categories met, or -1 when the claim is ungroupable
 * for a blank or invalid POA (the hospital is POA non-exempt). */
static int process_hacs(struct work *w)
{
	const struct drg_tables *t = w->t;
	uint32_t met = 0;          /* HAC numbers met, as bits */
	uint32_t met_invalid = 0;  /* ... of which some code has a blank/invalid POA */
	int hac6_off_show = 0;     /* HAC 6 met by a code not on the show list */
	int invalid_seen = 0;      /* an evaluated HAC code with a blank/invalid POA */

	for (int i = 0; i < w->nsdx; i++) {
		struct gdx *g = &w->sdx[i];
		const struct drg_dxs *d = g->row;
		if (!d || !d->nhac || g->poa == 'Y' || g->poa == 'W' || (g->flags & DXF_EXCLUDED))
			continue;
		for (int k = 0; k < d->nhac; k++) {
			uint16_t name = t->u16[d->attr + d->nattr + d->ncat + (uint32_t)k];
			unsigned num = t->name_flags[name] >> NF_HACNUM_SHIFT;
			if (!num || num > 31)
				continue;
			if (!poa_valid(g->poa))
				invalid_seen = 1;
			int hit = 0;
			for (uint32_t h = 0; h < t->n_hacs && !hit; h++)
				if (t->hacs[h].num == num)
					hit = drg_mask_eval(w, t->u16 + t->hacs[h].code, t->hacs[h].ncode, SEV_NCC, 0);
			if (!hit)
				continue;
			g->flags |= DXF_HAC_MET;
			met |= 1u << num;
			if (!poa_valid(g->poa))
				met_invalid |= 1u << num;
			if (num == 6 && !(g->flags & DXF_SHOW))
				hac6_off_show = 1;
		}
	}
	for (unsigned num = 1; num < 32; num++) {
		if (!(met >> num & 1))
			continue;
		/* a HAC 6 met only through show-list codes asks nothing of the POAs */
		if (num == 6) {
			if (hac6_off_show && (met_invalid >> 6 & 1))
				return -1;
			continue;
		}
		if ((met_invalid >> num & 1) || invalid_seen)
			return -1;
	}
	return __builtin_popcount(met);
}

static void ungroupable(struct drg_result *r, int grc)
{
	r->final_drg = 999;
	r->final_mdc = 0;
	r->base_drg = 999;
	r->med_surg = DRG_MS_NONE;
	r->final_severity = DRG_SEV_NONE;
	r->grc = grc_names[grc];
	for (int i = 0; i < r->nsdx; i++)
		r->sdx_usage[i] = DRG_SDX_NEITHER;
}

static enum drg_severity out_severity(int sev)
{
	return sev == SEV_MCC ? DRG_SEV_MCC : sev == SEV_CC ? DRG_SEV_CC : DRG_SEV_NON_CC;
}

int drg_group(const struct drg_tables *t, const struct drg_claim *c, struct drg_result *r)
{
	struct work w;
	struct pass ip, fp;

	memset(r, 0, sizeof *r);
	r->nsdx = c->nsdx < 0 ? 0 : c->nsdx > DRG_MAX_SDX ? DRG_MAX_SDX : c->nsdx;
	r->hac_status = "NOT_APPLICABLE";
	r->initial_drg = 999;
	if (c->age < 0 || c->age > 124) {
		ungroupable(r, GRC_INVALID_AGE);
		return FOLIO_OK;
	}

	w.t = t;
	w.c = c;
	w.nsdx = r->nsdx;
	w.nproc = c->nproc < 0 ? 0 : c->nproc > DRG_MAX_PROC ? DRG_MAX_PROC : c->nproc;
	w.dstat_valid = valid_dstat(c->discharge_status);
	w.pdx = NULL;
	w.pdx_mdc = -1;
	long ix = c->pdx[0] ? drg_code_find(t->dx_code, t->n_dx_code, drg_code_key(c->pdx)) : -1;
	if (ix >= 0) {
		w.pdx = &t->dxs[t->dx_sch[ix]];
		w.pdx_mdc = w.pdx->mdc;
		if (w.pdx->male_mdc != MDC_NONE && c->sex == 'M')
			w.pdx_mdc = w.pdx->male_mdc;
		else if (w.pdx->female_mdc != MDC_NONE && c->sex == 'F')
			w.pdx_mdc = w.pdx->female_mdc;
	}
	for (int i = 0; i < w.nsdx; i++) {
		struct gdx *g = &w.sdx[i];
		long s = c->sdx[i].code[0]
				 ? drg_code_find(t->dx_code, t->n_dx_code, drg_code_key(c->sdx[i].code))
				 : -1;
		g->row = s >= 0 ? &t->dxs[t->dx_sch[s]] : NULL;
		g->ix = s >= 0 ? (uint32_t)s : 0;
		g->poa = c->sdx[i].poa;
		g->flags = 0;
		if (!g->row)
			continue;
		g->flags = DXF_VALID;
		if (w.pdx && w.pdx->excl && dx_in_group(t, w.pdx->excl, (uint32_t)s))
			g->flags |= DXF_EXCLUDED;
		if (c->discharge_status == 20 &&
		    drg_dx_has(t, g->row, 0, g->row->nattr, t->nm[NM_mccalive]))
			g->flags |= DXF_DEATH;
		if (drg_dx_has(t, g->row, 0, g->row->nattr + g->row->ncat + g->row->nhac,
			     t->nm[NM_hac06_show]))
			g->flags |= DXF_SHOW;
	}
	for (int i = 0; i < w.nproc; i++) {
		w.pr_code[i] = drg_code_key(c->proc[i]);
		long p = drg_code_find(t->pr_code, t->n_pr_code, w.pr_code[i]);
		w.pr[i] = p >= 0 ? &t->prs[t->pr_set[p]] : NULL;
		w.pr_supp[i] = 0;
	}
	find_clusters(&w);
	drg_mask_build(&w);

	group_pass(&w, 0, &ip);
	if (ip.grc) {
		ungroupable(r, ip.grc);
		r->initial_drg = 999;
		return FOLIO_OK;
	}
	r->initial_drg = ip.f->drg;
	r->initial_mdc = ip.mdc;

	int hacs = process_hacs(&w);
	if (hacs < 0) {
		ungroupable(r, GRC_HAC_MISSING_ONE_POA);
		r->hac_status = "FINAL_DRG_UNGROUPABLE";
		return FOLIO_OK;
	}
	group_pass(&w, 1, &fp);
	if (fp.grc) {
		ungroupable(r, fp.grc);
		return FOLIO_OK;
	}
	r->final_drg = fp.f->drg;
	r->final_mdc = fp.mdc;
	r->base_drg = fp.f->base_drg;
	r->med_surg = (enum drg_med_surg)fp.f->surgical;
	/* DRG 998 and the like are neither medical nor surgical and carry no
	 * severity */
	r->final_severity = fp.f->surgical == DRG_MS_NONE ? DRG_SEV_NONE : out_severity(fp.sev);
	r->grc = grc_names[GRC_OK];
	if (hacs > 0)
		r->hac_status = r->final_drg == r->initial_drg ? "FINAL_DRG_NO_CHANGE"
							       : "FINAL_DRG_CHANGES";
	for (int i = 0; i < w.nsdx; i++) {
		const struct gdx *g = &w.sdx[i];
		enum drg_sdx_usage u = DRG_SDX_NEITHER;
		if (g->row && g->row->sev != SEV_NCC) {
			int mcc = g->row->sev == SEV_MCC;
			if (g->flags & DXF_DEATH)
				u = DRG_SDX_NEITHER; /* an "MCC if alive" code of a death */
			else if (g->flags & DXF_EXCLUDED)
				u = mcc ? DRG_SDX_MCC_EXCLUDED : DRG_SDX_CC_EXCLUDED;
			else if (fp.f->nsupp && suppressed(&w, fp.f, i))
				u = mcc ? DRG_SDX_MCC_EXCLUDED_BY_DRG_LOGIC
					: DRG_SDX_CC_EXCLUDED_BY_DRG_LOGIC;
			else if (g->flags & DXF_HAC_MET)
				u = DRG_SDX_NEITHER;
			else
				u = mcc ? DRG_SDX_MCC : DRG_SDX_CC;
		}
		r->sdx_usage[i] = u;
	}
	return FOLIO_OK;
}
