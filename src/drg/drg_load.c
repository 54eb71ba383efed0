/* folio — reading the MS-DRG v43.0 tables from their text dump
 * (../shared/codesets/MANIFEST.md, msdrg_v43/): the DRG formulas, the HAC
 * formulas and the titles here, the code tables in drg_load_codes.c.
 *
 * The loader only parses and interns; it writes a payload and hands it to
 * drg_payload_open(), so tables read from text and tables unpacked from a
 * stored blob go through one set of checks and one layout. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "drg_build.h"

const char *const drg_source_files[DRG_SOURCE_FILES] = {
	"dx_v430.tsv",	     "pdx_exclusion_groups_v430.tsv", "clusters_v430.tsv",
	"pr_v430.tsv",	     "drg_formulas_v430.tsv",	    "hac_v430.tsv",
	"drg_list_v430.tsv", "mdc_descriptions_v430.tsv",
};

static int cmp_formula(const void *a, const void *b)
{
	const struct drg_formula *x = a, *y = b;
	if (x->mdc != y->mdc)
		return (int)x->mdc - (int)y->mdc;
	if (x->rank != y->rank)
		return (int)x->rank - (int)y->rank;
	/* a tie puts a DRG-000 marker after the real formula it shares a rank with */
	return (x->drg == 0) - (y->drg == 0);
}

/* What a DRG-000 formula that matches does: the ones naming an invalid
 * input end the grouping with its return code; the rest (MDCnn and the
 * like) only mark a place in the list. */
static int stop_kind(const struct builder *b, const uint16_t *code, int n)
{
	static const struct {
		const char *name;
		int stop;
	} stops[] = { { "INVALID_PDX", STOP_INVALID_PDX },
		      { "PDX_ECODE", STOP_ECODE },
		      { "INVALID_SEX", STOP_INVALID_SEX },
		      { "INVALID_DSTAT", STOP_INVALID_DSTAT } };
	for (int i = 0; i < n; i++) {
		if (code[i] > OP_KEY_MAX)
			continue;
		const struct drg_key *k = &VEC_AT(b->sec[SEC_KEYS], struct drg_key, code[i]);
		for (size_t s = 0; s < ARRAY_SIZE(stops); s++)
			if (strcmp(drgb_name(b, k->name), stops[s].name) == 0)
				return stops[s].stop;
	}
	return STOP_MARKER;
}

/* Compiles t's formula text in column col into the u16 pool. */
static int compile(struct builder *b, struct tsv *t, int col, uint32_t *off, uint16_t *n,
		   struct folio_err *e)
{
	struct drg_formula_ctx fc = { .user = b, .key = drgb_key };
	uint16_t code[1024];
	int len = drg_formula_compile(&fc, t->f[col], code, ARRAY_SIZE(code));
	if (len < 0) {
		char msg[200];
		snprintf(msg, sizeof msg, "formula: %s", fc.err);
		return drgb_bad(t, e, msg);
	}
	*off = (uint32_t)b->sec[SEC_U16].n;
	*n = (uint16_t)len;
	return drgb_push(&b->sec[SEC_U16], code, (size_t)len) ? FOLIO_OK : drgb_nomem(e, t->tf.path);
}

/* mdc rank drg base_drg surgical drg_severity reroute_mdc
 * formula_collection_id severity_suppression_operands formula */
static int formula_row(struct builder *b, struct tsv *t, struct folio_err *e)
{
	struct drg_formula f;
	long mdc, rank, drg, base, sev, rr;
	uint16_t supp[64];
	int rc;

	memset(&f, 0, sizeof f);
	if (drgb_int(t->f[0], 0, MDC_SLOTS - 1, &mdc) || drgb_int(t->f[1], 0, 65535, &rank) ||
	    drgb_int(t->f[2], 0, 999, &drg) || drgb_int(t->f[3], 0, 999, &base) ||
	    drgb_int(t->f[5], 0, 255, &sev) || drgb_int(t->f[6], 0, MDC_SLOTS - 1, &rr))
		return drgb_bad(t, e, "bad number");
	f.mdc = (uint8_t)mdc;
	f.rank = (uint16_t)rank;
	f.drg = (uint16_t)drg;
	f.base_drg = (uint16_t)base;
	f.drg_sev = (uint8_t)sev;
	f.reroute = (uint8_t)rr;
	if (strcmp(t->f[4], "SURGICAL") == 0)
		f.surgical = DRG_MS_SURGICAL;
	else if (strcmp(t->f[4], "MEDICAL") == 0)
		f.surgical = DRG_MS_MEDICAL;
	else if (strcmp(t->f[4], "NA") == 0)
		f.surgical = DRG_MS_NONE;
	else
		return drgb_bad(t, e, "surgical is not SURGICAL, MEDICAL or NA");
	int ns = drgb_names(b, t->f[8], supp, (int)ARRAY_SIZE(supp));
	long soff = ns < 0 ? -1 : drgb_list(b, supp, ns);
	if (soff < 0)
		return drgb_bad(t, e, "bad suppression operands");
	f.supp = (uint32_t)soff;
	f.nsupp = (uint16_t)ns;
	if ((rc = compile(b, t, 9, &f.code, &f.ncode, e)))
		return rc;
	if (f.drg == 0 && f.reroute == 0)
		f.stop = (uint8_t)stop_kind(b, &VEC_AT(b->sec[SEC_U16], uint16_t, f.code), f.ncode);
	return drgb_push(&b->sec[SEC_FORMULAS], &f, 1) ? FOLIO_OK : drgb_nomem(e, t->tf.path);
}

/* The formulas in (MDC, rank) order, and where each MDC's list starts. */
static int index_formulas(struct builder *b, struct folio_err *e)
{
	struct vec *fv = &b->sec[SEC_FORMULAS];
	if (fv->n == 0 || fv->n > 65535)
		return err_set(e, FOLIO_EFAIL, "drg_formulas_v430.tsv: no formulas");
	qsort(fv->p, fv->n, sizeof(struct drg_formula), cmp_formula);
	if (!drgb_push(&b->sec[SEC_MDCIDX], NULL, MDC_SLOTS + 1))
		return drgb_nomem(e, "drg_formulas_v430.tsv");
	size_t i = 0;
	for (int m = 0; m <= MDC_SLOTS; m++) {
		while (i < fv->n && VEC_AT(*fv, struct drg_formula, i).mdc < m)
			i++;
		VEC_AT(b->sec[SEC_MDCIDX], uint16_t, m) = (uint16_t)i;
	}
	return FOLIO_OK;
}

/* hac_number description formula_collection_id formula */
static int hac_row(struct builder *b, struct tsv *t, struct folio_err *e)
{
	struct drg_hacf h;
	long num;
	int rc;

	memset(&h, 0, sizeof h);
	if (drgb_int(t->f[0], 1, 31, &num))
		return drgb_bad(t, e, "bad HAC number");
	h.num = (uint16_t)num;
	if ((rc = compile(b, t, 3, &h.code, &h.ncode, e)))
		return rc;
	return drgb_push(&b->sec[SEC_HACS], &h, 1) ? FOLIO_OK : drgb_nomem(e, t->tf.path);
}

/* drg mdc type title base_drg_title formula_mdcs */
static int drg_row(struct builder *b, struct tsv *t, struct folio_err *e)
{
	long drg, mdc = MDC_NONE;
	if (drgb_int(t->f[0], 1, 999, &drg) || (t->f[1][0] && drgb_int(t->f[1], 0, 25, &mdc)))
		return drgb_bad(t, e, "bad DRG or MDC");
	struct drg_dinfo *d = &VEC_AT(b->sec[SEC_DINFO], struct drg_dinfo, drg);
	d->mdc = (uint8_t)mdc;
	d->type = (uint8_t)(t->f[2][0] == 'M' || t->f[2][0] == 'P' ? t->f[2][0] : 0);
	d->title = drgb_string(b, t->f[3]);
	return b->nomem ? drgb_nomem(e, t->tf.path) : FOLIO_OK;
}

/* mdc description */
static int mdc_row(struct builder *b, struct tsv *t, struct folio_err *e)
{
	long mdc;
	if (drgb_int(t->f[0], 0, MDC_SLOTS - 1, &mdc))
		return drgb_bad(t, e, "bad MDC");
	VEC_AT(b->sec[SEC_MDCTITLE], uint32_t, mdc) = drgb_string(b, t->f[1]);
	return b->nomem ? drgb_nomem(e, t->tf.path) : FOLIO_OK;
}

static int read_logic(struct builder *b, const char *dir, struct folio_err *e)
{
	int rc;

	if (!drgb_push(&b->sec[SEC_DINFO], NULL, 1000) ||
	    !drgb_push(&b->sec[SEC_MDCTITLE], NULL, MDC_SLOTS) ||
	    !drgb_push(&b->sec[SEC_STRINGS], "", 1)) /* offset 0: no title */
		return drgb_nomem(e, dir);
	for (int i = 0; i < 1000; i++)
		VEC_AT(b->sec[SEC_DINFO], struct drg_dinfo, i).mdc = MDC_NONE;
	if ((rc = drgb_read(b, dir, "drg_formulas_v430.tsv", 10, formula_row, e)) ||
	    (rc = index_formulas(b, e)) || (rc = drgb_read(b, dir, "hac_v430.tsv", 4, hac_row, e)) ||
	    (rc = drgb_read(b, dir, "drg_list_v430.tsv", 6, drg_row, e)))
		return rc;
	return drgb_read(b, dir, "mdc_descriptions_v430.tsv", 2, mdc_row, e);
}

int drg_tables_dir(const char *dir, char *out, size_t cap, struct folio_err *e)
{
	struct stat st;
	char probe[600];

	if (stat(dir, &st) != 0)
		return err_set(e, errno == ENOENT ? FOLIO_ENOTFOUND : FOLIO_EFAIL,
			       "cannot read the grouper tables in %s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return err_set(e, FOLIO_EFAIL, "%s is not a directory", dir);
	snprintf(probe, sizeof probe, "%s/msdrg_v43", dir);
	if (stat(probe, &st) == 0 && S_ISDIR(st.st_mode))
		dir = probe;
	if (snprintf(out, cap, "%s", dir) >= (int)cap)
		return err_set(e, FOLIO_EUSAGE, "table directory path too long");
	snprintf(probe, sizeof probe, "%s/drg_formulas_v430.tsv", out);
	if (stat(probe, &st) != 0)
		return err_set(e, FOLIO_ENOTFOUND,
			       "no MS-DRG v43 tables in %s (expected msdrg_v43/ or "
			       "drg_formulas_v430.tsv)",
			       out);
	return FOLIO_OK;
}

/* The builder's sections laid out as a payload (drg_internal.h). */
static unsigned char *payload_write(const struct builder *b, size_t *len)
{
	uint32_t count[SEC_COUNT], elem[SEC_COUNT];
	for (int i = 0; i < SEC_COUNT; i++) {
		count[i] = (uint32_t)b->sec[i].n;
		elem[i] = (uint32_t)b->sec[i].size;
	}
	*len = drg_payload_size(count, elem);
	unsigned char *p = calloc(1, *len);
	if (!p)
		return NULL;
	size_t off = (SEC_COUNT * 2 * sizeof(uint32_t) + 7) & ~(size_t)7;
	for (int i = 0; i < SEC_COUNT; i++) {
		size_t n = (size_t)count[i] * elem[i];
		memcpy(p + i * 8, &count[i], 4);
		memcpy(p + i * 8 + 4, &elem[i], 4);
		if (n)
			memcpy(p + off, b->sec[i].p, n);
		off += (n + 7) & ~(size_t)7;
	}
	return p;
}

int drg_tables_load(const char *dir, struct drg_tables **out, struct folio_err *e)
{
	struct builder b;
	char tdir[512];
	size_t len = 0;
	int rc;

	*out = NULL;
	if (!dir || !*dir)
		return err_set(e, FOLIO_EUSAGE, "no table directory given");
	if ((rc = drg_tables_dir(dir, tdir, sizeof tdir, e)))
		return rc == FOLIO_EUSAGE ? rc : FOLIO_EFAIL;
	drgb_init(&b);
	if ((rc = drgb_read_codes(&b, tdir, e)) == FOLIO_OK)
		rc = read_logic(&b, tdir, e);
	unsigned char *payload = rc ? NULL : payload_write(&b, &len);
	drgb_free(&b);
	if (rc)
		return rc == FOLIO_EUSAGE ? rc : FOLIO_EFAIL;
	if (!payload)
		return drgb_nomem(e, tdir);
	rc = drg_payload_open(payload, len, out, e);
	free(payload);
	return rc;
}
