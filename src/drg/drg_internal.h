/* folio — the grouper's private table layout, shared by the loader
 * (drg_load.c), the packed form (drg_pack.c), the formula compiler
 * (drg_formula.c) and the grouper itself (drg_group.c).
 *
 * Every table is a flat array of fixed-size records or a pool of small
 * integers, so the whole set lives in one allocation that is also the
 * packed form's payload: loading from text builds the sections and then
 * goes through the same unpack (and the same checks) as a stored blob.
 * Attribute names are interned to 16-bit ids once; formulas are compiled
 * to postfix code over "keys" ((prefix, name) pairs), so grouping a claim
 * never touches a string.
 */
#ifndef FOLIO_DRG_INTERNAL_H
#define FOLIO_DRG_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "folio/drg.h"

/* How an operand names its attribute in a formula: bare (any code),
 * PDX:, SDX:, ANY: or ONLY: (every valid code has it). */
enum drg_prefix { PFX_BARE, PFX_PDX, PFX_SDX, PFX_ANY, PFX_ONLY, PFX_COUNT };

/* Postfix operations; any smaller value pushes that key. */
enum {
	OP_AND = 0xFFF0,
	OP_OR,
	OP_NOT,
	OP_MCC, /* the claim's severity, as the formula sees it, is MCC */
	OP_CC,  /* ... is CC (exactly: "MCC | CC" is written out in the logic) */
	OP_KEY_MAX = 0xEFFF
};
#define DRG_STACK_MAX 64
#define DRG_KEYS_MAX 4096 /* keys a per-claim mask can hold */

enum drg_sev { SEV_NCC, SEV_CC, SEV_MCC };
#define MDC_NONE 0xFF
#define MDC_UNRELATED 29 /* the pseudo-MDC of DRGs 981-989 */
#define MDC_SLOTS 32

/* What a DRG-000 formula means when it matches: most are "leave this
 * MDC's list" markers (MDCnn); the others stop grouping with a return
 * code. */
enum drg_stop {
	STOP_NONE,
	STOP_MARKER,
	STOP_INVALID_PDX,
	STOP_ECODE,
	STOP_INVALID_SEX,
	STOP_INVALID_DSTAT
};

/* A diagnosis scheme: the facts many codes share.  Codes are looked up in
 * a sorted code array and point to their scheme. */
struct drg_dxs {
	uint32_t attr;      /* into u16 pool: nattr, then ncat, then nhac ids */
	uint16_t excl;      /* exclusion group when the code is the PDX, 0 none */
	uint8_t nattr, ncat, nhac;
	uint8_t mdc;        /* 0: cannot be a PDX (external cause) */
	uint8_t sev;        /* enum drg_sev */
	uint8_t male_mdc;   /* gender-specific MDCs, MDC_NONE when not listed */
	uint8_t female_mdc;
	uint8_t pad[3];
};

/* A procedure attribute set, shared by many codes. */
struct drg_prs {
	uint32_t attr; /* into u16 pool */
	uint16_t nattr;
	uint16_t pad;
};

struct drg_cluster {
	uint32_t supp;   /* MDC bits where its member codes stop counting alone */
	int32_t pr;      /* the Z@ pseudo-code's row in the procedure table, -1 if none */
	uint16_t nchoice;
	uint16_t pad;
};

/* A code's place in a cluster: one row per (code, cluster, choice),
 * sorted by code. */
struct drg_cmemb {
	uint64_t code;
	uint32_t cluster;
	uint32_t choice;
};

struct drg_xgroup {
	uint32_t off; /* into u32 pool: sorted dx indices */
	uint32_t n;
};

struct drg_formula {
	uint32_t code;  /* into u16 pool: postfix */
	uint32_t supp;  /* into u16 pool: severity suppression operand names */
	uint16_t ncode, nsupp;
	uint16_t drg, base_drg;
	uint16_t rank;
	uint8_t mdc;
	uint8_t surgical; /* enum drg_med_surg */
	uint8_t reroute;  /* 0 or the MDC to continue in */
	uint8_t stop;     /* enum drg_stop, for DRG 000 */
	uint8_t drg_sev;
	uint8_t pad;
};

struct drg_hacf {
	uint32_t code; /* into u16 pool */
	uint16_t ncode;
	uint16_t num;
};

struct drg_key {
	uint16_t prefix, name;
};

struct drg_dinfo { /* per DRG number 0..999 */
	uint32_t title; /* into strings; 0 = none */
	uint8_t mdc;    /* from the DRG list, MDC_NONE when blank */
	uint8_t type;   /* 'M', 'P' or 0 */
	uint16_t pad;
};

/* The sections, in packed order. */
#define DRG_SECTIONS(_)                                               \
	_(NAMEOFF, name_off, uint32_t)                                \
	_(NAMES, names, char)                                         \
	_(STRINGS, strings, char)                                     \
	_(U16, u16, uint16_t)                                         \
	_(U32, u32, uint32_t)                                         \
	_(DXCODE, dx_code, uint64_t)                                  \
	_(DXSCH, dx_sch, uint16_t)                                    \
	_(DXS, dxs, struct drg_dxs)                                   \
	_(PRCODE, pr_code, uint64_t)                                  \
	_(PRSET, pr_set, uint16_t)                                    \
	_(PRS, prs, struct drg_prs)                                   \
	_(CLUSTERS, clusters, struct drg_cluster)                     \
	_(CMEMB, cmemb, struct drg_cmemb)                             \
	_(XGROUPS, xgroups, struct drg_xgroup)                        \
	_(FORMULAS, formulas, struct drg_formula)                     \
	_(MDCIDX, mdc_first, uint16_t) /* MDC_SLOTS + 1 bounds */     \
	_(HACS, hacs, struct drg_hacf)                                \
	_(KEYS, keys, struct drg_key)                                 \
	_(DINFO, dinfo, struct drg_dinfo) /* 1000 */                  \
	_(MDCTITLE, mdc_title, uint32_t) /* MDC_SLOTS */

enum {
#define DRG_SEC_ENUM(id, f, t) SEC_##id,
	DRG_SECTIONS(DRG_SEC_ENUM)
#undef DRG_SEC_ENUM
	SEC_COUNT
};

/* Names the grouper gives meaning to beyond the formulas; looked up once
 * per table set (DRG_NAME_NONE when absent). */
#define DRG_SPECIAL_NAMES(_)                                                          \
	_(INVALID_PDX) _(PDX_ECODE) _(INVALID_SEX) _(INVALID_DSTAT) _(ANYDX) _(MULTST)  \
	_(MDC_20_FALL_THRU) _(BILATERAL) _(FOUR_NON_DRUG_ELUTING_STENTS)              \
	_(FOUR_DRUG_ELUTING_STENTS) _(FOUR_VESSELS) _(FOUR_STENTS) _(MULTFUSE)          \
	_(SGLANTSECTXCTR) _(SGLPOSTFUSECTR) _(SINGLEFUSIONCTR) _(SGLANTCTR)             \
	_(SGLPOST1CTR) _(ALIVE) _(DIED) _(AMA) _(XFRNBA) _(ORPROC) _(incident)          \
	_(ecode) _(mccalive) _(d468) _(d477) _(NORdrugstent) _(NORstent)                \
	_(sglantfuse) _(sglpostfuse1) _(sglpostfuse) _(sglantsectXfuse)                \
	_(hac06_show)
enum {
#define DRG_SPECIAL_ENUM(n) NM_##n,
	DRG_SPECIAL_NAMES(DRG_SPECIAL_ENUM)
#undef DRG_SPECIAL_ENUM
	NM_COUNT
};
#define DRG_NAME_NONE 0xFFFF

/* Per-name facts for the cumulative operands (bilateral joints,
 * significant trauma sites, stents, vessels). */
enum {
	NF_SIGTRAUMA_SHIFT = 0, /* bits 0-7: which of the 8 trauma sites */
	NF_BILAT_SHIFT = 8,     /* bits 8-13: which of the 6 joints */
	NF_STENT_SHIFT = 16,    /* bits 16-18: stent count 1-4 */
	NF_VESSEL_SHIFT = 20,   /* bits 20-23: vessel count 1-9 */
	NF_HACNUM_SHIFT = 24    /* bits 24-31: HAC number for a HAC list name */
};

struct drg_tables {
	unsigned char *blob; /* the payload; every section points into it */
	size_t blob_len;
#define DRG_SEC_FIELD(id, f, t) const t *f; uint32_t n_##f;
	DRG_SECTIONS(DRG_SEC_FIELD)
#undef DRG_SEC_FIELD
	/* derived at unpack */
	uint16_t nm[NM_COUNT];
	int16_t *name_key;   /* [PFX_COUNT * nnames]: key id or -1 */
	uint32_t *name_flags; /* [nnames] NF_* bits */
	uint32_t nnames;
};

/* Codes of up to 8 characters as one big-endian integer, so that integer
 * order is string order.  NUL-terminated input; longer input is cut. */
static inline uint64_t drg_code_key(const char *s)
{
	uint64_t k = 0;
	int i = 0;

	for (; i < 8 && s[i]; i++)
		k = (k << 8) | (unsigned char)s[i];
	return i == 0 ? 0 : i == 8 ? k : k << (8 * (8 - i));
}

static inline void drg_code_str(uint64_t k, char out[DRG_CODE_MAX + 1])
{
	for (int i = 0; i < 8; i++)
		out[i] = (char)(k >> (56 - 8 * i));
	out[8] = 0;
}

const char *drg_name(const struct drg_tables *t, uint16_t id);
/* Index of a code in a sorted code array, or -1. */
long drg_code_find(const uint64_t *codes, uint32_t n, uint64_t code);

/* The text files drg_tables_load() reads (each may be NAME or NAME.xz). */
extern const char *const drg_source_files[];
#define DRG_SOURCE_FILES 8

/* Resolves the table directory: dir itself or dir/msdrg_v43. */
int drg_tables_dir(const char *dir, char *out, size_t cap, struct folio_err *e);

/* drg_pack.c: builds a checked table set from a payload (copied). */
int drg_payload_open(const unsigned char *payload, size_t len, struct drg_tables **out,
		     struct folio_err *e);
/* A payload's layout: section offsets are 8-aligned. */
size_t drg_payload_size(const uint32_t count[SEC_COUNT], const uint32_t elem[SEC_COUNT]);

/* drg_formula.c: compiles one formula text.  intern(name) returns a name
 * id; key(prefix, name) a key id (both may grow the caller's tables).
 * Writes postfix code into out (capacity cap).  Returns the length, or -1
 * with a message in err. */
struct drg_formula_ctx {
	void *user;
	int (*key)(void *user, int prefix, const char *name, size_t len);
	char err[128];
};
int drg_formula_compile(struct drg_formula_ctx *ctx, const char *text, uint16_t *out,
			size_t cap);
/* Checks postfix code: operands < nkeys, no stack underflow, depth at most
 * DRG_STACK_MAX, exactly one value left.  0 when sound. */
int drg_formula_check(const uint16_t *code, size_t n, uint32_t nkeys);

/* 64-bit checksum of the packed form. */
uint64_t drg_checksum(const unsigned char *p, size_t n);

#endif
