/* folio — the grouper tables' packed form: a checked binary image that
 * `codes load` stores in the database and `drg group` caches on disk, so
 * the tables come back in milliseconds instead of re-reading the text.
 *
 * Layout: a 48-byte header (magic "FOLIODRG", format version, byte-order
 * mark, grouper version, payload length, checksum over header and
 * payload) and the payload: a section table (count and element size per
 * section) followed by the sections, each 8-byte aligned.  Every offset
 * and id inside is bounds-checked when opened, so even a blob whose
 * checksum was forged cannot make the grouper read out of bounds. */
#include <stdlib.h>
#include <string.h>

#include "drg_internal.h"

#define PACK_MAGIC "FOLIODRG"
#define PACK_FORMAT 1u
#define PACK_BOM 0x01020304u
#define PACK_GROUPER 430u
#define PACK_HEADER 48

static const uint32_t sec_size[SEC_COUNT] = {
#define DRG_SEC_SIZE(id, f, t) (uint32_t)sizeof(t),
	DRG_SECTIONS(DRG_SEC_SIZE)
#undef DRG_SEC_SIZE
};

static uint64_t rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static uint64_t mix(uint64_t h, uint64_t w)
{
	h ^= rotl(w * 0x9E3779B185EBCA87ull, 31) * 0xC2B2AE3D27D4EB4Full;
	return rotl(h, 27) * 0x9E3779B185EBCA87ull + 0x85EBCA77C2B2AE63ull;
}

static uint64_t checksum_more(uint64_t h, const unsigned char *p, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h = mix(h, w);
	}
	uint64_t tail = 0;
	for (size_t k = 0; i < n; i++, k++)
		tail |= (uint64_t)p[i] << (8 * k);
	h = mix(h, tail ^ ((uint64_t)n << 56));
	h ^= h >> 33;
	h *= 0xFF51AFD7ED558CCDull;
	return h ^ (h >> 33);
}

uint64_t drg_checksum(const unsigned char *p, size_t n)
{
	return checksum_more(0x27D4EB2F165667C5ull, p, n);
}

size_t drg_payload_size(const uint32_t count[SEC_COUNT], const uint32_t elem[SEC_COUNT])
{
	size_t off = (SEC_COUNT * 2 * sizeof(uint32_t) + 7) & ~(size_t)7;
	for (int i = 0; i < SEC_COUNT; i++)
		off += ((size_t)count[i] * elem[i] + 7) & ~(size_t)7;
	return off;
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static uint64_t blob_checksum(const unsigned char *hdr, const unsigned char *payload, size_t len)
{
	/* header bytes 0-31 (everything before the checksum), then the payload */
	return checksum_more(drg_checksum(hdr, 32), payload, len);
}

int drg_tables_pack(const struct drg_tables *t, unsigned char **blob, size_t *len,
		    struct folio_err *e)
{
	*blob = NULL;
	*len = 0;
	if (!t || !t->blob)
		return err_set(e, FOLIO_EUSAGE, "no grouper tables to pack");
	size_t n = PACK_HEADER + t->blob_len;
	unsigned char *b = malloc(n);
	if (!b)
		return err_set(e, FOLIO_EFAIL, "out of memory packing the grouper tables");
	memset(b, 0, PACK_HEADER);
	memcpy(b, PACK_MAGIC, 8);
	put32(b + 8, PACK_FORMAT);
	memcpy(b + 12, &(uint32_t){ PACK_BOM }, 4);
	put32(b + 16, PACK_GROUPER);
	put64(b + 24, t->blob_len);
	memcpy(b + PACK_HEADER, t->blob, t->blob_len);
	put64(b + 32, blob_checksum(b, b + PACK_HEADER, t->blob_len));
	*blob = b;
	*len = n;
	return FOLIO_OK;
}

int drg_tables_unpack(const unsigned char *blob, size_t len, struct drg_tables **out,
		      struct folio_err *e)
{
	*out = NULL;
	if (!blob || len < PACK_HEADER || memcmp(blob, PACK_MAGIC, 8) != 0)
		return err_set(e, FOLIO_EFAIL, "not a packed grouper table set");
	if (get32(blob + 8) != PACK_FORMAT)
		return err_set(e, FOLIO_EFAIL, "packed grouper tables of format %u, expected %u",
			       get32(blob + 8), PACK_FORMAT);
	uint32_t bom;
	memcpy(&bom, blob + 12, 4);
	if (bom != PACK_BOM)
		return err_set(e, FOLIO_EFAIL, "packed grouper tables from a machine of another byte order");
	if (get32(blob + 16) != PACK_GROUPER)
		return err_set(e, FOLIO_EFAIL, "packed grouper tables of version %u, expected %u",
			       get32(blob + 16), PACK_GROUPER);
	uint64_t plen = get64(blob + 24);
	if (plen != len - PACK_HEADER)
		return err_set(e, FOLIO_EFAIL, "packed grouper tables are truncated or padded");
	if (get64(blob + 32) != blob_checksum(blob, blob + PACK_HEADER, (size_t)plen))
		return err_set(e, FOLIO_EFAIL, "packed grouper tables are damaged (checksum mismatch)");
	return drg_payload_open(blob + PACK_HEADER, (size_t)plen, out, e);
}

void drg_tables_free(struct drg_tables *t)
{
	if (!t)
		return;
	free(t->blob);
	free(t->name_key);
	free(t->name_flags);
	free(t);
}

/* ---- checking an opened payload ---- */

#define BAD(why) return err_set(e, FOLIO_EFAIL, "packed grouper tables are inconsistent: %s", why)

static int in_range(uint64_t off, uint64_t n, uint64_t limit)
{
	return off <= limit && n <= limit - off;
}

static int check_names(const struct drg_tables *t, uint32_t off, uint32_t n)
{
	if (!in_range(off, n, t->n_u16))
		return -1;
	for (uint32_t i = 0; i < n; i++)
		if (t->u16[off + i] >= t->n_name_off)
			return -1;
	return 0;
}

static int check_tables(const struct drg_tables *t, struct folio_err *e)
{
	if (t->n_names == 0 || t->names[t->n_names - 1] != 0)
		BAD("name pool");
	for (uint32_t i = 0; i < t->n_name_off; i++)
		if (t->name_off[i] >= t->n_names)
			BAD("name offsets");
	if (t->n_name_off >= DRG_NAME_NONE)
		BAD("too many names");
	if (t->n_strings == 0 || t->strings[t->n_strings - 1] != 0)
		BAD("string pool");
	if (t->n_dinfo != 1000 || t->n_mdc_title != MDC_SLOTS || t->n_mdc_first != MDC_SLOTS + 1)
		BAD("fixed-size tables");
	for (uint32_t i = 0; i < t->n_dinfo; i++)
		if (t->dinfo[i].title >= t->n_strings ||
		    (t->dinfo[i].mdc > 25 && t->dinfo[i].mdc != MDC_NONE))
			BAD("DRG list");
	for (uint32_t i = 0; i < MDC_SLOTS; i++)
		if (t->mdc_title[i] >= t->n_strings)
			BAD("MDC titles");
	if (t->n_keys > DRG_KEYS_MAX)
		BAD("too many formula operands");
	for (uint32_t i = 0; i < t->n_keys; i++)
		if (t->keys[i].prefix >= PFX_COUNT || t->keys[i].name >= t->n_name_off)
			BAD("formula keys");
	if (t->n_dx_sch != t->n_dx_code || t->n_pr_set != t->n_pr_code)
		BAD("code tables");
	for (uint32_t i = 0; i < t->n_dx_code; i++)
		if ((i && t->dx_code[i] <= t->dx_code[i - 1]) || t->dx_sch[i] >= t->n_dxs)
			BAD("diagnosis codes");
	for (uint32_t i = 0; i < t->n_dxs; i++) {
		const struct drg_dxs *d = &t->dxs[i];
		if (check_names(t, d->attr, (uint32_t)d->nattr + d->ncat + d->nhac) ||
		    d->excl >= t->n_xgroups || d->mdc > 25 || d->sev > SEV_MCC ||
		    (d->male_mdc > 25 && d->male_mdc != MDC_NONE) ||
		    (d->female_mdc > 25 && d->female_mdc != MDC_NONE))
			BAD("diagnosis schemes");
	}
	for (uint32_t i = 0; i < t->n_pr_code; i++)
		if ((i && t->pr_code[i] <= t->pr_code[i - 1]) || t->pr_set[i] >= t->n_prs)
			BAD("procedure codes");
	for (uint32_t i = 0; i < t->n_prs; i++)
		if (check_names(t, t->prs[i].attr, t->prs[i].nattr))
			BAD("procedure attribute sets");
	for (uint32_t i = 0; i < t->n_clusters; i++) {
		const struct drg_cluster *c = &t->clusters[i];
		if (c->nchoice == 0 || c->nchoice > 64 || c->pr < -1 ||
		    (c->pr >= 0 && (uint32_t)c->pr >= t->n_pr_code))
			BAD("cluster table");
	}
	for (uint32_t i = 0; i < t->n_cmemb; i++) {
		const struct drg_cmemb *m = &t->cmemb[i];
		if (m->cluster >= t->n_clusters || m->choice >= t->clusters[m->cluster].nchoice ||
		    (i && m->code < t->cmemb[i - 1].code))
			BAD("cluster members");
	}
	for (uint32_t i = 0; i < t->n_xgroups; i++) {
		const struct drg_xgroup *g = &t->xgroups[i];
		if (!in_range(g->off, g->n, t->n_u32))
			BAD("exclusion groups");
		for (uint32_t k = 0; k < g->n; k++)
			if (t->u32[g->off + k] >= t->n_dx_code ||
			    (k && t->u32[g->off + k] < t->u32[g->off + k - 1]))
				BAD("exclusion group members");
	}
	for (uint32_t i = 0; i < t->n_formulas; i++) {
		const struct drg_formula *f = &t->formulas[i];
		if (!in_range(f->code, f->ncode, t->n_u16) ||
		    drg_formula_check(t->u16 + f->code, f->ncode, t->n_keys) ||
		    check_names(t, f->supp, f->nsupp) || f->mdc >= MDC_SLOTS ||
		    f->reroute >= MDC_SLOTS || f->drg > 999 || f->surgical > DRG_MS_SURGICAL ||
		    f->stop > STOP_INVALID_DSTAT || (i && f->mdc < t->formulas[i - 1].mdc))
			BAD("formulas");
	}
	for (uint32_t m = 0; m <= MDC_SLOTS; m++) {
		uint16_t a = t->mdc_first[m];
		if (a > t->n_formulas || (m && a < t->mdc_first[m - 1]) ||
		    (m == MDC_SLOTS && a != t->n_formulas))
			BAD("formula index");
		if (m < MDC_SLOTS)
			for (uint32_t i = a; i < t->mdc_first[m + 1] && i < t->n_formulas; i++)
				if (t->formulas[i].mdc != m)
					BAD("formula index");
	}
	for (uint32_t i = 0; i < t->n_hacs; i++) {
		const struct drg_hacf *h = &t->hacs[i];
		if (!in_range(h->code, h->ncode, t->n_u16) ||
		    drg_formula_check(t->u16 + h->code, h->ncode, t->n_keys) || h->num > 99)
			BAD("HAC formulas");
	}
	return FOLIO_OK;
}

const char *drg_name(const struct drg_tables *t, uint16_t id)
{
	return id < t->n_name_off ? t->names + t->name_off[id] : "";
}

static const char *const sig_trauma[] = { "sthead",   "stchest",  "stabdom", "stkidney",
					  "sturin",   "stpel",    "stuplimb", "stlolimb" };
static const char *const bilateral[] = { "righthip",  "lefthip",   "leftknee",
					 "rightknee", "leftankle", "rightankle" };

static uint32_t name_facts(const char *s)
{
	uint32_t f = 0;
	size_t n = strlen(s);

	for (size_t i = 0; i < ARRAY_SIZE(sig_trauma); i++)
		if (strcmp(s, sig_trauma[i]) == 0)
			f |= 1u << (NF_SIGTRAUMA_SHIFT + i);
	for (size_t i = 0; i < ARRAY_SIZE(bilateral); i++)
		if (strcmp(s, bilateral[i]) == 0)
			f |= 1u << (NF_BILAT_SHIFT + i);
	if (n == 6 && strncmp(s, "stent", 5) == 0 && s[5] >= '1' && s[5] <= '4')
		f |= (uint32_t)(s[5] - '0') << NF_STENT_SHIFT;
	if (n > 6 && strncmp(s, "vessel", 6) == 0 && s[n - 1] >= '1' && s[n - 1] <= '9')
		f |= (uint32_t)(s[n - 1] - '0') << NF_VESSEL_SHIFT;
	if (n > 3 && (strncmp(s, "hac", 3) == 0 || strncmp(s, "HAC", 3) == 0) && s[3] >= '0' &&
	    s[3] <= '9') {
		unsigned num = 0;
		for (size_t i = 3; i < n && s[i] >= '0' && s[i] <= '9' && num < 100; i++)
			num = num * 10 + (unsigned)(s[i] - '0');
		if (num > 0 && num < 100)
			f |= (uint32_t)num << NF_HACNUM_SHIFT;
	}
	return f;
}

int drg_payload_open(const unsigned char *payload, size_t len, struct drg_tables **out,
		     struct folio_err *e)
{
	static const char *const special[NM_COUNT] = {
#define DRG_SPECIAL_STR(n) #n,
		DRG_SPECIAL_NAMES(DRG_SPECIAL_STR)
#undef DRG_SPECIAL_STR
	};
	size_t table = (SEC_COUNT * 2 * sizeof(uint32_t) + 7) & ~(size_t)7;
	uint32_t count[SEC_COUNT], elem[SEC_COUNT];

	*out = NULL;
	if (len < table)
		BAD("no section table");
	for (int i = 0; i < SEC_COUNT; i++) {
		memcpy(&count[i], payload + i * 8, 4);
		memcpy(&elem[i], payload + i * 8 + 4, 4);
		if (elem[i] != sec_size[i])
			BAD("section layout");
	}
	/* sizes in 64 bits: a forged count cannot wrap around */
	uint64_t need = table;
	for (int i = 0; i < SEC_COUNT; i++)
		need += ((uint64_t)count[i] * elem[i] + 7) & ~(uint64_t)7;
	if (need != len)
		BAD("section sizes");

	struct drg_tables *t = calloc(1, sizeof *t);
	if (!t || !(t->blob = malloc(len ? len : 1))) {
		free(t);
		return err_set(e, FOLIO_EFAIL, "out of memory opening the grouper tables");
	}
	memcpy(t->blob, payload, len);
	t->blob_len = len;
	size_t off = table;
	int i = 0;
#define DRG_SEC_BIND(id, f, ty)                                 \
	t->f = (const ty *)(const void *)(t->blob + off);      \
	t->n_##f = count[i];                                    \
	off += ((size_t)count[i] * elem[i] + 7) & ~(size_t)7;  \
	i++;
	DRG_SECTIONS(DRG_SEC_BIND)
#undef DRG_SEC_BIND
	int rc = check_tables(t, e);
	if (rc) {
		drg_tables_free(t);
		return rc;
	}
	t->nnames = t->n_name_off;
	t->name_key = malloc((size_t)PFX_COUNT * t->nnames * sizeof *t->name_key + 1);
	t->name_flags = calloc(t->nnames + 1, sizeof *t->name_flags);
	if (!t->name_key || !t->name_flags) {
		drg_tables_free(t);
		return err_set(e, FOLIO_EFAIL, "out of memory opening the grouper tables");
	}
	memset(t->name_key, 0xFF, (size_t)PFX_COUNT * t->nnames * sizeof *t->name_key);
	for (uint32_t k = 0; k < t->n_keys; k++)
		t->name_key[(size_t)t->keys[k].prefix * t->nnames + t->keys[k].name] = (int16_t)k;
	for (int s = 0; s < NM_COUNT; s++)
		t->nm[s] = DRG_NAME_NONE;
	for (uint32_t n = 0; n < t->nnames; n++) {
		const char *s = drg_name(t, (uint16_t)n);
		t->name_flags[n] = name_facts(s);
		for (int k = 0; k < NM_COUNT; k++)
			if (t->nm[k] == DRG_NAME_NONE && strcmp(s, special[k]) == 0)
				t->nm[k] = (uint16_t)n;
	}
	*out = t;
	return FOLIO_OK;
}
