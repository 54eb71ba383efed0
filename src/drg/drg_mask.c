/* folio — the grouper's attribute mask (step 2 of drg_group.c) and the
 * formula evaluator that reads it.
 *
 * Every attribute of every code counts bare and as ANY:, and as PDX: or
 * SDX: for the principal's and the secondaries'; each key remembers the
 * MDCs in which it is suppressed (a procedure that is part of a satisfied
 * cluster does not count alone there).  The cumulative operands (MULTST,
 * BILATERAL, stent, vessel and fusion counts) and the claim's facts
 * (ALIVE, DIED, AMA, XFRNBA, INVALID_DSTAT, INVALID_SEX, INVALID_PDX,
 * PDX_ECODE ...) join the same mask, so a formula is plain postfix over
 * keys. */
#include <string.h>

#include "drg_work.h"

static void set_key(struct work *w, int k, uint32_t supp)
{
	if (k < 0)
		return;
	uint64_t bit = 1ull << (k & 63);
	if (w->present[k >> 6] & bit) {
		/* present through several codes: suppressed only where all are */
		w->supp[k] &= supp;
	} else {
		w->present[k >> 6] |= bit;
		w->supp[k] = supp;
	}
}

static int key_of(const struct drg_tables *t, int prefix, uint16_t name)
{
	return name < t->nnames ? t->name_key[(size_t)prefix * t->nnames + name] : -1;
}

/* An attribute of some code: counts bare and as ANY:, and as PDX: or SDX:
 * when it is the principal's or a secondary's. */
static void add_attr(struct work *w, uint16_t name, int prefix, uint32_t supp)
{
	const struct drg_tables *t = w->t;
	set_key(w, key_of(t, PFX_BARE, name), supp);
	set_key(w, key_of(t, PFX_ANY, name), supp);
	if (prefix != PFX_BARE)
		set_key(w, key_of(t, prefix, name), supp);
}

static void add_special(struct work *w, int nm)
{
	uint16_t name = w->t->nm[nm];
	if (name != DRG_NAME_NONE)
		add_attr(w, name, PFX_BARE, 0);
}

static int key_true(const struct work *w, int k, int mdc)
{
	return (w->present[k >> 6] >> (k & 63) & 1) && !(w->supp[k] >> mdc & 1);
}

int drg_dx_has(const struct drg_tables *t, const struct drg_dxs *d, int from, int n, uint16_t name)
{
	if (name == DRG_NAME_NONE)
		return 0;
	for (int i = 0; i < n; i++)
		if (t->u16[d->attr + (uint32_t)from + (uint32_t)i] == name)
			return 1;
	return 0;
}

void drg_mask_build(struct work *w)
{
	const struct drg_tables *t = w->t;
	const struct drg_claim *c = w->c;
	uint32_t bilat = 0, sites = 0;
	int vessels = 0, stents_drug = 0, stents_bare = 0;
	int single_fuse = 0, ant_sectx = 0, post_fuse = 0, fuse_ctr = 0, single_ant = 0,
	    single_post1 = 0;

	memset(w->present, 0, sizeof w->present);

	for (int i = 0; i < w->nsdx; i++) {
		const struct drg_dxs *d = w->sdx[i].row;
		if (!d)
			continue;
		int n = d->nattr + d->ncat + d->nhac;
		for (int k = 0; k < n; k++) {
			uint16_t name = t->u16[d->attr + (uint32_t)k];
			add_attr(w, name, PFX_SDX, 0);
			uint32_t f = t->name_flags[name];
			bilat |= f >> NF_BILAT_SHIFT & 0x3F;
			vessels += (int)(f >> NF_VESSEL_SHIFT & 0xF);
			if (k < d->nattr)
				sites |= f & 0xFF;
		}
	}
	for (int i = 0; i < w->nproc; i++) {
		const struct drg_prs *p = w->pr[i];
		if (!p)
			continue;
		int weight = 0, drug = 0, bare = 0, orproc = 0;
		for (uint32_t k = 0; k < p->nattr; k++) {
			uint16_t name = t->u16[p->attr + k];
			uint32_t f = t->name_flags[name];
			add_attr(w, name, PFX_BARE, w->pr_supp[i]);
			bilat |= f >> NF_BILAT_SHIFT & 0x3F;
			vessels += (int)(f >> NF_VESSEL_SHIFT & 0xF);
			if (f >> NF_STENT_SHIFT & 7)
				weight = (int)(f >> NF_STENT_SHIFT & 7);
			if (name == t->nm[NM_NORdrugstent])
				drug = 1;
			if (name == t->nm[NM_NORstent])
				bare = 1;
			if (name == t->nm[NM_d468] || name == t->nm[NM_d477])
				orproc = 1;
			if (name == t->nm[NM_sglantfuse]) {
				single_fuse++;
				single_ant++;
				fuse_ctr++;
			}
			if (name == t->nm[NM_sglpostfuse1]) {
				single_fuse++;
				single_post1++;
			}
			if (name == t->nm[NM_sglantsectXfuse])
				ant_sectx++;
			if (name == t->nm[NM_sglpostfuse]) {
				post_fuse++;
				fuse_ctr++;
			}
		}
		if (orproc && t->nm[NM_ORPROC] != DRG_NAME_NONE)
			add_attr(w, t->nm[NM_ORPROC], PFX_BARE, w->pr_supp[i]);
		if (drug)
			stents_drug += weight;
		if (bare)
			stents_bare += weight;
	}
	for (int i = 0; i < w->nclus; i++) {
		const struct drg_cluster *cl = &t->clusters[w->clus[i]];
		if (cl->pr < 0)
			continue;
		const struct drg_prs *p = &t->prs[t->pr_set[cl->pr]];
		for (uint32_t k = 0; k < p->nattr; k++) {
			uint16_t name = t->u16[p->attr + k];
			uint32_t f = t->name_flags[name];
			add_attr(w, name, PFX_BARE, 0);
			bilat |= f >> NF_BILAT_SHIFT & 0x3F;
			vessels += (int)(f >> NF_VESSEL_SHIFT & 0xF);
		}
	}
	if (w->pdx) {
		const struct drg_dxs *d = w->pdx;
		int n = d->nattr + d->ncat + d->nhac;
		for (int k = 0; k < n; k++) {
			uint16_t name = t->u16[d->attr + (uint32_t)k];
			uint32_t f = t->name_flags[name];
			add_attr(w, name, PFX_PDX, 0);
			bilat |= f >> NF_BILAT_SHIFT & 0x3F;
			vessels += (int)(f >> NF_VESSEL_SHIFT & 0xF);
			if (k < d->nattr)
				sites |= f & 0xFF;
		}
		if (d->mdc == 0 || drg_dx_has(t, d, 0, d->nattr, t->nm[NM_ecode]))
			add_special(w, NM_PDX_ECODE);
		/* ONLY:incident: the principal and every valid secondary are incidental */
		if (drg_dx_has(t, d, 0, d->nattr, t->nm[NM_incident])) {
			int all = 1;
			for (int i = 0; i < w->nsdx && all; i++)
				if (w->sdx[i].row &&
				    !drg_dx_has(t, w->sdx[i].row, 0, w->sdx[i].row->nattr,
					      t->nm[NM_incident]))
					all = 0;
			if (all && t->nm[NM_incident] != DRG_NAME_NONE)
				set_key(w, key_of(t, PFX_ONLY, t->nm[NM_incident]), 0);
		}
		if (d->male_mdc != MDC_NONE && c->sex != 'M' && c->sex != 'F')
			add_special(w, NM_INVALID_SEX);
		if (w->pdx_mdc == 20)
			add_special(w, NM_MDC_20_FALL_THRU);
	} else {
		add_special(w, NM_INVALID_PDX);
	}
	if (c->discharge_status != 20)
		add_special(w, NM_ALIVE);
	else
		add_special(w, NM_DIED);
	if (c->discharge_status == 7)
		add_special(w, NM_AMA);
	if (!w->dstat_valid)
		add_special(w, NM_INVALID_DSTAT);
	switch (c->discharge_status) {
	case 2: case 5: case 66: case 82: case 85: case 94:
		add_special(w, NM_XFRNBA);
		break;
	default:
		break;
	}
	add_special(w, NM_ANYDX);
	/* the cumulative operands: counts over all the claim's codes */
	const struct {
		int have, need, name;
	} cumul[] = {
		{ __builtin_popcount(sites), 2, NM_MULTST },
		{ __builtin_popcount(bilat), 2, NM_BILATERAL },
		{ stents_bare, 4, NM_FOUR_NON_DRUG_ELUTING_STENTS },
		{ stents_drug, 4, NM_FOUR_DRUG_ELUTING_STENTS },
		{ vessels, 4, NM_FOUR_VESSELS },
		{ stents_drug + stents_bare, 4, NM_FOUR_STENTS },
		{ single_fuse, 2, NM_MULTFUSE },
		{ ant_sectx, 2, NM_SGLANTSECTXCTR },
		{ post_fuse, 2, NM_SGLPOSTFUSECTR },
		{ fuse_ctr, 3, NM_SINGLEFUSIONCTR },
		{ single_ant, 2, NM_SGLANTCTR },
		{ single_post1, 2, NM_SGLPOST1CTR },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cumul); i++)
		if (cumul[i].have >= cumul[i].need)
			add_special(w, cumul[i].name);
}

int drg_mask_eval(const struct work *w, const uint16_t *code, unsigned n, int sev, int mdc)
{
	uint8_t st[DRG_STACK_MAX];
	int sp = 0;

	for (unsigned i = 0; i < n; i++) {
		uint16_t op = code[i];
		switch (op) {
		case OP_AND:
			sp--;
			st[sp - 1] &= st[sp];
			break;
		case OP_OR:
			sp--;
			st[sp - 1] |= st[sp];
			break;
		case OP_NOT:
			st[sp - 1] ^= 1;
			break;
		case OP_MCC:
			st[sp++] = sev == SEV_MCC;
			break;
		case OP_CC:
			st[sp++] = sev == SEV_CC;
			break;
		default:
			st[sp++] = (uint8_t)key_true(w, op, mdc);
			break;
		}
	}
	return st[0];
}

