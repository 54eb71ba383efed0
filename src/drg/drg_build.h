/* folio — what the table loader's parts share while building the packed
 * sections (drg_build.c: growable arrays, interning, the TSV reader;
 * drg_load_codes.c: the code tables; drg_load.c: the logic tables and the
 * assembly).  Private to src/drg. */
#ifndef FOLIO_DRG_BUILD_H
#define FOLIO_DRG_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "drg_internal.h"
#include "folio/textfile.h"

/* A growable array of fixed-size elements (size set before first use). */
struct vec {
	unsigned char *p;
	size_t n, cap, size;
};
/* p comes from malloc, so it is aligned for any element type */
#define VEC_AT(v, type, i) (((type *)(void *)(v).p)[i])

/* Interning of byte strings: open addressing over entry numbers + 1. */
struct bmap {
	uint32_t *slot;
	size_t cap;
	struct vec koff, klen, key, val;
};

struct builder {
	struct vec sec[SEC_COUNT];
	struct bmap lists, schemes, sets, names, keys;
	struct vec dxrows, prrows, clrows, ccodes; /* rows as read, before sorting */
	int nomem;
};

/* One TSV table being read: the current line's fields. */
struct tsv {
	struct textfile tf;
	struct textline line;
	char *buf;
	size_t bufcap;
	char *f[16];
	int nf;
};

/* Appends count elements (zeroed when elem is NULL); NULL out of memory. */
void *drgb_push(struct vec *v, const void *elem, size_t count);
void drgb_init(struct builder *b);
void drgb_free(struct builder *b);

/* The id of an attribute name, added when new; -1 when out of ids. */
int drgb_intern(struct builder *b, const char *s, size_t n);
const char *drgb_name(const struct builder *b, uint32_t id);
/* The key id of (prefix, name), for drg_formula_compile(). */
int drgb_key(void *builder, int prefix, const char *name, size_t len);
/* Interns a space-separated list of names into ids (capacity max);
 * returns the count or -1. */
int drgb_names(struct builder *b, const char *list, uint16_t *ids, int max);
/* Where a list of name ids lives in the u16 pool (equal lists share it);
 * -1 out of memory. */
long drgb_list(struct builder *b, const uint16_t *ids, int n);
/* The index of a record among equal ones in section sec (appended when
 * new); -1 out of memory or past 65535 records. */
long drgb_record(struct builder *b, struct bmap *m, int sec, const void *rec, size_t n);
/* A title in the string pool (sets b->nomem on failure). */
uint32_t drgb_string(struct builder *b, const char *s);

/* Reads dir/name (or name.xz): checks the header has cols columns, then
 * calls row for each non-empty line of exactly cols fields.  Returns the
 * first failure, with "file:line: why" in e. */
int drgb_read(struct builder *b, const char *dir, const char *name, int cols,
	      int (*row)(struct builder *b, struct tsv *t, struct folio_err *e), struct folio_err *e);
/* "file:line: what" for the current line; returns FOLIO_EFAIL. */
int drgb_bad(const struct tsv *t, struct folio_err *e, const char *what);
int drgb_nomem(struct folio_err *e, const char *where);
/* A whole number in [lo, hi]; 0 or -1. */
int drgb_int(const char *s, long lo, long hi, long *out);
/* 1 when s is a code of 1..max characters (A-Z, 0-9, @). */
int drgb_code_ok(const char *s, size_t max);
int drgb_cmp_u64(const void *a, const void *b);

/* drg_load_codes.c: the diagnosis, exclusion, cluster and procedure
 * tables, in that order. */
int drgb_read_codes(struct builder *b, const char *dir, struct folio_err *e);

#endif
