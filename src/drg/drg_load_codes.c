/* folio — the grouper's code tables from the text dump (msdrg_v43/):
 * diagnoses (dx_v430), PDX exclusion groups, procedure clusters and
 * procedures (pr_v430), into sorted code arrays that point at shared
 * schemes and attribute sets (drg_internal.h). */
#include <stdlib.h>
#include <string.h>

#include "drg_build.h"

/* Rows as read, before sorting by code; each starts with its code. */
struct dxrow {
	uint64_t code;
	struct drg_dxs s;
};
struct prrow {
	uint64_t code;
	struct drg_prs s;
};
struct clrow {
	uint64_t code;
	struct drg_cluster c;
	uint32_t choice_codes; /* into ccodes: per choice its count, then its codes */
};

static int cmp_cmemb(const void *a, const void *b)
{
	const struct drg_cmemb *x = a, *y = b;
	if (x->code != y->code)
		return x->code < y->code ? -1 : 1;
	if (x->cluster != y->cluster)
		return x->cluster < y->cluster ? -1 : 1;
	return (x->choice > y->choice) - (x->choice < y->choice);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* "1=12 2=13": the principal's MDC for a male (1) and a female (2). */
static int gender_mdcs(const char *g, struct drg_dxs *s)
{
	while (*g) {
		char *end;
		long sex = strtol(g, &end, 10), mdc;
		if (*end != '=' || (sex != 1 && sex != 2))
			return -1;
		mdc = strtol(end + 1, &end, 10);
		if (mdc < 0 || mdc > 25 || (*end && *end != ' '))
			return -1;
		if (sex == 1)
			s->male_mdc = (uint8_t)mdc;
		else
			s->female_mdc = (uint8_t)mdc;
		g = *end ? end + 1 : end;
	}
	return 0;
}

/* code mdc severity cc_exclusion_group_when_pdx clinical_significance
 * gender_mdcs dx_attributes dx_cat_attributes dx_hac_attributes cluster_ids */
static int dx_row(struct builder *b, struct tsv *t, struct folio_err *e)
{
	struct dxrow d;
	uint16_t ids[3 * 255];
	long v;

	memset(&d, 0, sizeof d);
	if (!drgb_code_ok(t->f[0], 7))
		return drgb_bad(t, e, "bad diagnosis code");
	d.code = drg_code_key(t->f[0]);
	if (drgb_int(t->f[1], 0, 25, &v))
		return drgb_bad(t, e, "bad MDC");
	d.s.mdc = (uint8_t)v;
	if (strcmp(t->f[2], "MCC") == 0)
		d.s.sev = SEV_MCC;
	else if (strcmp(t->f[2], "CC") == 0)
		d.s.sev = SEV_CC;
	else if (strcmp(t->f[2], "NCC") == 0)
		d.s.sev = SEV_NCC;
	else
		return drgb_bad(t, e, "severity is not CC, MCC or NCC");
	if (t->f[3][0]) {
		if (drgb_int(t->f[3], 1, 65535, &v))
			return drgb_bad(t, e, "bad exclusion group");
		d.s.excl = (uint16_t)v;
	}
	d.s.male_mdc = d.s.female_mdc = MDC_NONE;
	if (gender_mdcs(t->f[5], &d.s))
		return drgb_bad(t, e, "bad gender_mdcs");
	int na = drgb_names(b, t->f[6], ids, 255);
	int nc = na < 0 ? -1 : drgb_names(b, t->f[7], ids + na, 255);
	int nh = nc < 0 ? -1 : drgb_names(b, t->f[8], ids + na + nc, 255);
	long off = nh < 0 ? -1 : drgb_list(b, ids, na + nc + nh);
	if (off < 0)
		return drgb_bad(t, e, "too many attributes (or out of memory)");
	d.s.attr = (uint32_t)off;
	d.s.nattr = (uint8_t)na;
	d.s.ncat = (uint8_t)nc;
	d.s.nhac = (uint8_t)nh;
	return drgb_push(&b->dxrows, &d, 1) ? FOLIO_OK : drgb_nomem(e, t->tf.path);
}

/* Rows sorted by code into a code section and an index section pointing
 * at records interned in section rec (schemes, attribute sets).  Every row
 * type starts with its code, and its record follows at rec_off. */
static int split_rows(struct builder *b, struct vec *rows, size_t rec_off, size_t rec_size,
		      struct bmap *m, int rec, int codes, int index, const char *file,
		      struct folio_err *e)
{
	qsort(rows->p, rows->n, rows->size, drgb_cmp_u64);
	for (size_t i = 0; i < rows->n; i++) {
		const unsigned char *r = rows->p + i * rows->size;
		uint64_t code;
		memcpy(&code, r, sizeof code);
		if (i && drgb_cmp_u64(r, r - rows->size) == 0)
			return err_set(e, FOLIO_EFAIL, "%s: code listed twice", file);
		long id = drgb_record(b, m, rec, r + rec_off, rec_size);
		uint16_t id16 = (uint16_t)id;
		if (id < 0 || !drgb_push(&b->sec[codes], &code, 1) || !drgb_push(&b->sec[index], &id16, 1))
			return drgb_nomem(e, file);
	}
	return FOLIO_OK;
}

static long dx_index(const struct builder *b, uint64_t code)
{
	const struct vec *v = &b->dxrows;
	size_t lo = 0, hi = v->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t c = VEC_AT(*v, struct dxrow, mid).code;
		if (c < code)
			lo = mid + 1;
		else if (c > code)
			hi = mid;
		else
			return (long)mid;
	}
	return -1;
}

/* group_id count excluded_secondary_dx_codes: members as sorted indices
 * into the (sorted) diagnosis codes. */
static int excl_row(struct builder *b, struct tsv *t, struct folio_err *e)
{
	long id, count;
	if (drgb_int(t->f[0], 1, 65535, &id) || drgb_int(t->f[1], 0, 1000000, &count))
		return drgb_bad(t, e, "bad group id or count");
	struct vec *g = &b->sec[SEC_XGROUPS];
	if ((size_t)id >= g->n && !drgb_push(g, NULL, (size_t)id + 1 - g->n))
		return drgb_nomem(e, t->tf.path);
	struct drg_xgroup *xg = &VEC_AT(*g, struct drg_xgroup, id);
	if (xg->n)
		return drgb_bad(t, e, "exclusion group listed twice");
	xg->off = (uint32_t)b->sec[SEC_U32].n;
	for (char *p = t->f[2]; *p;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		char *s = p;
		while (*p && *p != ' ')
			p++;
		char save = *p;
		*p = 0;
		long ix = dx_index(b, drg_code_key(s));
		*p = save;
		if (ix < 0)
			return drgb_bad(t, e, "exclusion of a code not in dx_v430.tsv");
		uint32_t v = (uint32_t)ix;
		if (!drgb_push(&b->sec[SEC_U32], &v, 1))
			return drgb_nomem(e, t->tf.path);
		xg->n++;
	}
	if ((long)xg->n != count)
		return drgb_bad(t, e, "count does not match the codes listed");
	qsort(&VEC_AT(b->sec[SEC_U32], uint32_t, xg->off), xg->n, sizeof(uint32_t), cmp_u32);
	return FOLIO_OK;
}

/* "choices={1={A=A, B=B}, 2={C=C}}" into ccodes. */
static int parse_choices(struct builder *b, char *s, struct clrow *c)
{
	if (strncmp(s, "choices={", 9) != 0)
		return -1;
	char *p = s + 9;
	c->choice_codes = (uint32_t)b->ccodes.n;
	while (*p && *p != '}') {
		while (*p == ' ' || *p == ',')
			p++;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p[0] != '=' || p[1] != '{')
			return -1;
		p += 2;
		size_t count_at = b->ccodes.n;
		uint64_t count = 0;
		if (!drgb_push(&b->ccodes, &count, 1))
			return -1;
		while (*p && *p != '}') {
			while (*p == ' ' || *p == ',')
				p++;
			char *code = p;
			while (*p && *p != '=' && *p != ',' && *p != '}')
				p++;
			char save = *p;
			*p = 0;
			int ok = drgb_code_ok(code, 7);
			uint64_t k = drg_code_key(code);
			*p = save;
			if (!ok)
				return -1;
			if (*p == '=') /* "CODE=CODE": the value repeats the key */
				while (*p && *p != ',' && *p != '}')
					p++;
			if (!drgb_push(&b->ccodes, &k, 1))
				return -1;
			count++;
		}
		if (*p != '}' || count == 0)
			return -1;
		p++;
		VEC_AT(b->ccodes, uint64_t, count_at) = count;
		if (++c->c.nchoice > 64)
			return -1;
	}
	if (*p != '}' || p[1] || c->c.nchoice == 0)
		return -1;
	return 0;
}

/* cluster_id suppression_mdcs codes choices */
static int cluster_row(struct builder *b, struct tsv *t, struct folio_err *e)
{
	struct clrow c;
	memset(&c, 0, sizeof c);
	if (!drgb_code_ok(t->f[0], 7))
		return drgb_bad(t, e, "bad cluster id");
	c.code = drg_code_key(t->f[0]);
	c.c.pr = -1;
	for (char *p = t->f[1]; *p;) {
		char *end;
		long m = strtol(p, &end, 10);
		if (end == p || m < 0 || (*end && *end != ' '))
			return drgb_bad(t, e, "bad suppression_mdcs");
		/* 99 stands for "none"; only real MDCs suppress */
		if (m < MDC_SLOTS)
			c.c.supp |= 1u << m;
		p = *end ? end + 1 : end;
	}
	if (parse_choices(b, t->f[3], &c))
		return drgb_bad(t, e, "bad choices");
	return drgb_push(&b->clrows, &c, 1) ? FOLIO_OK : drgb_nomem(e, t->tf.path);
}

/* code pr_attributes cluster_ids hac_operands.  cluster_ids repeats what
 * the clusters' choices say, and the HAC operands are among the
 * attributes: the choices and the attributes rule. */
static int pr_row(struct builder *b, struct tsv *t, struct folio_err *e)
{
	struct prrow p;
	uint16_t ids[1024];

	memset(&p, 0, sizeof p);
	if (!drgb_code_ok(t->f[0], 7))
		return drgb_bad(t, e, "bad procedure code");
	p.code = drg_code_key(t->f[0]);
	int na = drgb_names(b, t->f[1], ids, (int)ARRAY_SIZE(ids));
	long off = na < 0 ? -1 : drgb_list(b, ids, na);
	if (off < 0)
		return drgb_bad(t, e, "too many attributes (or out of memory)");
	p.s.attr = (uint32_t)off;
	p.s.nattr = (uint16_t)na;
	return drgb_push(&b->prrows, &p, 1) ? FOLIO_OK : drgb_nomem(e, t->tf.path);
}

/* Clusters in code order, each pointing at its Z@ row, and the membership
 * rows (code, cluster, choice) sorted by code. */
static int finish_clusters(struct builder *b, struct folio_err *e)
{
	struct vec *v = &b->clrows;
	const uint64_t *prc = (const uint64_t *)(const void *)b->sec[SEC_PRCODE].p;
	uint32_t npr = (uint32_t)b->sec[SEC_PRCODE].n;

	qsort(v->p, v->n, v->size, drgb_cmp_u64);
	for (size_t i = 0; i < v->n; i++) {
		struct clrow *c = &VEC_AT(*v, struct clrow, i);
		if (i && c->code == VEC_AT(*v, struct clrow, i - 1).code)
			return err_set(e, FOLIO_EFAIL, "clusters_v430.tsv: a cluster appears twice");
		c->c.pr = (int32_t)drg_code_find(prc, npr, c->code);
		size_t at = c->choice_codes;
		for (uint32_t h = 0; h < c->c.nchoice; h++) {
			uint64_t n = VEC_AT(b->ccodes, uint64_t, at++);
			for (uint64_t k = 0; k < n; k++) {
				struct drg_cmemb m = { VEC_AT(b->ccodes, uint64_t, at++), (uint32_t)i, h };
				if (!drgb_push(&b->sec[SEC_CMEMB], &m, 1))
					return drgb_nomem(e, "clusters_v430.tsv");
			}
		}
		if (!drgb_push(&b->sec[SEC_CLUSTERS], &c->c, 1))
			return drgb_nomem(e, "clusters_v430.tsv");
	}
	qsort(b->sec[SEC_CMEMB].p, b->sec[SEC_CMEMB].n, sizeof(struct drg_cmemb), cmp_cmemb);
	return FOLIO_OK;
}

int drgb_read_codes(struct builder *b, const char *dir, struct folio_err *e)
{
	int rc;

	b->dxrows.size = sizeof(struct dxrow);
	b->prrows.size = sizeof(struct prrow);
	b->clrows.size = sizeof(struct clrow);
	b->ccodes.size = sizeof(uint64_t);
	if ((rc = drgb_read(b, dir, "dx_v430.tsv", 10, dx_row, e)))
		return rc;
	/* the exclusion groups find their members among the sorted codes */
	qsort(b->dxrows.p, b->dxrows.n, b->dxrows.size, drgb_cmp_u64);
	if (!drgb_push(&b->sec[SEC_XGROUPS], NULL, 1)) /* group 0 is "none" */
		return drgb_nomem(e, dir);
	if ((rc = drgb_read(b, dir, "pdx_exclusion_groups_v430.tsv", 3, excl_row, e)))
		return rc;
	for (size_t i = 0; i < b->dxrows.n; i++)
		if (VEC_AT(b->dxrows, struct dxrow, i).s.excl >= b->sec[SEC_XGROUPS].n)
			return err_set(e, FOLIO_EFAIL,
				       "dx_v430.tsv names an exclusion group that "
				       "pdx_exclusion_groups_v430.tsv lacks");
	if ((rc = split_rows(b, &b->dxrows, offsetof(struct dxrow, s), sizeof(struct drg_dxs),
			     &b->schemes, SEC_DXS, SEC_DXCODE, SEC_DXSCH, "dx_v430.tsv", e)) ||
	    (rc = drgb_read(b, dir, "clusters_v430.tsv", 4, cluster_row, e)) ||
	    (rc = drgb_read(b, dir, "pr_v430.tsv", 4, pr_row, e)) ||
	    (rc = split_rows(b, &b->prrows, offsetof(struct prrow, s), sizeof(struct drg_prs),
			     &b->sets, SEC_PRS, SEC_PRCODE, SEC_PRSET, "pr_v430.tsv", e)))
		return rc;
	return finish_clusters(b, e);
}
