/* folio — the reference tables as the coding module sees them
 * (coding_internal.h): grouper and MCE tables unpacked once per process and
 * kept while the stored sets stay the same, and code-set questions asked in
 * the coding's own terms. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coding_internal.h"
#include "folio/codes.h"

/* One process-wide copy of each: unpacking costs tens of milliseconds, and
 * every coding screen and command would otherwise pay it.  The stamp (what
 * codes_sets() reports for the stored set) tells when `codes load` ran
 * since. */
static struct {
	char stamp[2][96];
	struct drg_tables *drg;
	struct mce_tables *mce;
} cache;

static void stamp_of(const struct codes_set_info *s, char *out, size_t cap)
{
	snprintf(out, cap, "%d|%s|%s|%zu", s->fy, s->version, s->loaded_at, s->bytes);
}

static int refresh(struct grant *g, enum codes_tables which, const char *stamp, struct folio_err *e)
{
	unsigned char *blob = NULL;
	size_t len = 0;
	int rc = codes_tables_fetch(g, which, 0, &blob, &len, NULL, e);
	if (rc)
		return rc;
	if (which == CODES_TABLES_DRG) {
		struct drg_tables *t = NULL;
		rc = drg_tables_unpack(blob, len, &t, e);
		if (!rc) {
			drg_tables_free(cache.drg);
			cache.drg = t;
		}
	} else {
		struct mce_tables *t = NULL;
		rc = mce_tables_unpack(blob, len, &t, e);
		if (!rc) {
			mce_tables_free(cache.mce);
			cache.mce = t;
		}
	}
	free(blob);
	if (!rc)
		str_copy(cache.stamp[which], sizeof cache.stamp[which], stamp);
	return rc;
}

int coding_tables_get(struct grant *g, const struct drg_tables **drg, const struct mce_tables **mce,
		      char *why, size_t whycap, struct folio_err *e)
{
	struct codes_set_info sets[16];
	size_t n = 0;
	char stamp[2][96] = { "", "" };
	int rc;

	*drg = NULL;
	*mce = NULL;
	if ((rc = codes_sets(g, sets, ARRAY_SIZE(sets), &n, e)))
		return rc;
	for (size_t i = 0; i < n && i < ARRAY_SIZE(sets); i++) {
		int which = strcmp(sets[i].kind, "msdrg") == 0 ? CODES_TABLES_DRG
			    : strcmp(sets[i].kind, "mce") == 0 ? CODES_TABLES_MCE
							       : -1;
		if (which >= 0)
			stamp_of(&sets[i], stamp[which], sizeof stamp[which]);
	}
	for (int w = 0; w < 2; w++) {
		if (!stamp[w][0] || strcmp(stamp[w], cache.stamp[w]) == 0)
			continue;
		if ((rc = refresh(g, (enum codes_tables)w, stamp[w], e)))
			return rc;
	}
	if (stamp[CODES_TABLES_DRG][0])
		*drg = cache.drg;
	if (stamp[CODES_TABLES_MCE][0])
		*mce = cache.mce;
	if (!*drg || !*mce)
		snprintf(why, whycap, "no %s tables loaded: a supervisor runs folio codes load DIR",
			 !*drg ? "MS-DRG grouper" : "Medicare Code Editor");
	return FOLIO_OK;
}

int coding_code_status(struct grant *g, int pcs, int fy, const char *code, char *children, size_t cap,
		       struct folio_err *e)
{
	struct codes_info info;
	enum codes_system sys = pcs ? CODES_ICD10PCS : CODES_ICD10CM;
	children[0] = 0;
	int rc = codes_get(g, sys, fy, code, &info, e);
	if (rc == FOLIO_ENOTFOUND)
		return -2;
	if (rc != FOLIO_OK || !info.exists)
		return -1;
	if (info.billable)
		return 1;
	/* a header: name a few of its billable codes so the fix is one step */
	struct codes_index *x = NULL;
	if (codes_index_open(g, sys, fy, &x, e) == FOLIO_OK) {
		struct codes_hit h[3];
		size_t total = codes_children(x, code, h, ARRAY_SIZE(h)), off = 0;
		for (size_t i = 0; i < total && i < ARRAY_SIZE(h) && off < cap; i++)
			off += (size_t)snprintf(children + off, cap - off, "%s%s", i ? ", " : "", h[i].code);
		if (total > ARRAY_SIZE(h) && off < cap)
			snprintf(children + off, cap - off, " and %zu more", total - ARRAY_SIZE(h));
		codes_index_free(x);
	}
	return 0;
}

int coding_poa_exempt(struct grant *g, int fy, const char *code, struct folio_err *e)
{
	int exempt = 0;
	struct folio_err ignore = { 0 };
	(void)e;
	if (codes_poa_exempt(g, fy, code, &exempt, &ignore) != FOLIO_OK)
		return -1;
	return exempt ? 1 : 0;
}

void coding_weights(struct grant *g, int drg, double *weight, double *gmlos, double *amlos)
{
	struct codes_weight w;
	struct folio_err ignore = { 0 };
	*weight = *gmlos = *amlos = -1;
	if (codes_drg_weight(g, 0, drg, &w, &ignore) == FOLIO_OK) {
		*weight = w.weight;
		*gmlos = w.gmlos;
		*amlos = w.amlos;
	}
}

/* The grouper tables for a title, refreshed if `codes load` ran since. */
static const struct drg_tables *titles_of(struct grant *g)
{
	const struct drg_tables *drg = NULL;
	const struct mce_tables *mce = NULL;
	char why[120];
	struct folio_err ignore = { 0 };
	if (coding_tables_get(g, &drg, &mce, why, sizeof why, &ignore) != FOLIO_OK)
		return NULL;
	return drg;
}

const char *coding_drg_title(struct grant *g, int drg)
{
	const struct drg_tables *t = titles_of(g);
	return t ? drg_title(t, drg) : "";
}

const char *coding_mdc_title(struct grant *g, int mdc)
{
	const struct drg_tables *t = titles_of(g);
	return t ? drg_mdc_title(t, mdc) : "";
}
