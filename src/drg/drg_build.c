/* folio — the table loader's tools (drg_build.h): growable arrays,
 * interning of names, keys, lists and records, and a TSV reader that
 * checks column counts and reports "file:line: why". */
#include "drg_build.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *drgb_push(struct vec *v, const void *elem, size_t count)
{
	if (v->n + count > v->cap) {
		size_t cap = v->cap ? v->cap : 256;
		while (cap < v->n + count)
			cap *= 2;
		unsigned char *np = realloc(v->p, cap * v->size);
		if (!np)
			return NULL;
		v->p = np;
		v->cap = cap;
	}
	void *dst = v->p + v->n * v->size;
	if (elem)
		memcpy(dst, elem, count * v->size);
	else
		memset(dst, 0, count * v->size);
	v->n += count;
	return dst;
}

static void bmap_init(struct bmap *m)
{
	memset(m, 0, sizeof *m);
	m->koff.size = m->klen.size = m->val.size = sizeof(uint32_t);
	m->key.size = 1;
}

static void bmap_free(struct bmap *m)
{
	free(m->slot);
	free(m->koff.p);
	free(m->klen.p);
	free(m->key.p);
	free(m->val.p);
}

static uint32_t hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 16777619u;
	return h;
}

static void bmap_place(struct bmap *m, uint32_t entry)
{
	const unsigned char *k = m->key.p + VEC_AT(m->koff, uint32_t, entry);
	size_t i = hash_bytes(k, VEC_AT(m->klen, uint32_t, entry)) & (m->cap - 1);
	while (m->slot[i])
		i = (i + 1) & (m->cap - 1);
	m->slot[i] = entry + 1;
}

/* The value stored for key (*isnew = 0), or a new entry whose value the
 * caller sets through bmap_set (*isnew = 1).  -1 out of memory. */
static long bmap_get(struct bmap *m, const void *key, size_t n, int *isnew)
{
	if (m->koff.n * 2 >= m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 1024;
		uint32_t *ns = calloc(cap, sizeof *ns);
		if (!ns)
			return -1;
		free(m->slot);
		m->slot = ns;
		m->cap = cap;
		for (uint32_t e = 0; e < m->koff.n; e++)
			bmap_place(m, e);
	}
	size_t i = hash_bytes(key, n) & (m->cap - 1);
	while (m->slot[i]) {
		uint32_t e = m->slot[i] - 1;
		if (VEC_AT(m->klen, uint32_t, e) == n &&
		    memcmp(m->key.p + VEC_AT(m->koff, uint32_t, e), key, n) == 0) {
			*isnew = 0;
			return VEC_AT(m->val, uint32_t, e);
		}
		i = (i + 1) & (m->cap - 1);
	}
	uint32_t off = (uint32_t)m->key.n, len = (uint32_t)n, zero = 0;
	if (!drgb_push(&m->koff, &off, 1) || !drgb_push(&m->klen, &len, 1) ||
	    (n && !drgb_push(&m->key, key, n)) || !drgb_push(&m->val, &zero, 1))
		return -1;
	m->slot[i] = (uint32_t)m->koff.n;
	*isnew = 1;
	return (long)m->koff.n - 1;
}

static void bmap_set(struct bmap *m, long entry, uint32_t val)
{
	VEC_AT(m->val, uint32_t, entry) = val;
}

static const size_t sec_size[SEC_COUNT] = {
#define DRG_SEC_SIZE(id, f, t) sizeof(t),
	DRG_SECTIONS(DRG_SEC_SIZE)
#undef DRG_SEC_SIZE
};

void drgb_init(struct builder *b)
{
	memset(b, 0, sizeof *b);
	for (int i = 0; i < SEC_COUNT; i++)
		b->sec[i].size = sec_size[i];
	bmap_init(&b->lists);
	bmap_init(&b->schemes);
	bmap_init(&b->sets);
	bmap_init(&b->names);
	bmap_init(&b->keys);
}

void drgb_free(struct builder *b)
{
	for (int i = 0; i < SEC_COUNT; i++)
		free(b->sec[i].p);
	bmap_free(&b->lists);
	bmap_free(&b->schemes);
	bmap_free(&b->sets);
	bmap_free(&b->names);
	bmap_free(&b->keys);
	free(b->dxrows.p);
	free(b->prrows.p);
	free(b->clrows.p);
	free(b->ccodes.p);
}

const char *drgb_name(const struct builder *b, uint32_t id)
{
	return (const char *)b->sec[SEC_NAMES].p + VEC_AT(b->sec[SEC_NAMEOFF], uint32_t, id);
}

int drgb_intern(struct builder *b, const char *s, size_t n)
{
	int isnew;
	if (n == 0 || n > 64)
		return -1;
	long e = bmap_get(&b->names, s, n, &isnew);
	if (e < 0 || !isnew)
		return (int)e;
	uint32_t id = (uint32_t)b->sec[SEC_NAMEOFF].n, off = (uint32_t)b->sec[SEC_NAMES].n;
	if (id >= DRG_NAME_NONE || !drgb_push(&b->sec[SEC_NAMEOFF], &off, 1) ||
	    !drgb_push(&b->sec[SEC_NAMES], s, n) || !drgb_push(&b->sec[SEC_NAMES], "", 1))
		return -1;
	bmap_set(&b->names, e, id);
	return (int)id;
}

int drgb_key(void *builder, int prefix, const char *name, size_t len)
{
	struct builder *b = builder;
	int isnew, nm = drgb_intern(b, name, len);
	if (nm < 0)
		return -1;
	struct drg_key key = { (uint16_t)prefix, (uint16_t)nm };
	long e = bmap_get(&b->keys, &key, sizeof key, &isnew);
	if (e < 0 || !isnew)
		return (int)e;
	uint32_t id = (uint32_t)b->sec[SEC_KEYS].n;
	if (id >= DRG_KEYS_MAX || !drgb_push(&b->sec[SEC_KEYS], &key, 1))
		return -1;
	bmap_set(&b->keys, e, id);
	return (int)id;
}

int drgb_names(struct builder *b, const char *list, uint16_t *ids, int max)
{
	int count = 0;
	const char *p = list;

	for (;;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		const char *s = p;
		while (*p && *p != ' ')
			p++;
		int id = drgb_intern(b, s, (size_t)(p - s));
		if (id < 0 || count >= max)
			return -1;
		ids[count++] = (uint16_t)id;
	}
	return count;
}

long drgb_list(struct builder *b, const uint16_t *ids, int n)
{
	int isnew;
	long e = bmap_get(&b->lists, ids, (size_t)n * sizeof *ids, &isnew);
	if (e < 0 || !isnew)
		return e;
	uint32_t off = (uint32_t)b->sec[SEC_U16].n;
	if (n && !drgb_push(&b->sec[SEC_U16], ids, (size_t)n))
		return -1;
	bmap_set(&b->lists, e, off);
	return off;
}

long drgb_record(struct builder *b, struct bmap *m, int sec, const void *rec, size_t n)
{
	int isnew;
	long e = bmap_get(m, rec, n, &isnew);
	if (e < 0 || !isnew)
		return e;
	uint32_t id = (uint32_t)b->sec[sec].n;
	if (id > 0xFFFF || !drgb_push(&b->sec[sec], rec, 1))
		return -1;
	bmap_set(m, e, id);
	return id;
}

uint32_t drgb_string(struct builder *b, const char *s)
{
	uint32_t off = (uint32_t)b->sec[SEC_STRINGS].n;
	if (!drgb_push(&b->sec[SEC_STRINGS], s, strlen(s) + 1)) {
		b->nomem = 1;
		return 0;
	}
	return off;
}

/* ---- reading a table ---- */

static int header_columns(const struct textline *l)
{
	int cols = 1;
	for (size_t i = 0; i < l->len; i++)
		cols += l->p[i] == '\t';
	return cols;
}

/* The next non-empty line split into fields: 1, 0 at the end, -1 when it
 * has not cols fields (message in e). */
static int tsv_next(struct tsv *t, int cols, struct folio_err *e)
{
	do {
		if (!textfile_next(&t->tf, &t->line))
			return 0;
	} while (t->line.len == 0);
	if (t->line.len + 1 > t->bufcap) {
		size_t cap = t->line.len + 1 + 1024;
		char *nb = realloc(t->buf, cap);
		if (!nb) {
			drgb_nomem(e, t->tf.path);
			return -1;
		}
		t->buf = nb;
		t->bufcap = cap;
	}
	t->nf = textline_split(&t->line, t->buf, t->f, 16);
	if (t->nf != cols) {
		err_set(e, FOLIO_EFAIL, "%s:%u: expected %d columns, found %d", t->tf.path,
			t->line.lineno, cols, t->nf);
		return -1;
	}
	return 1;
}

int drgb_read(struct builder *b, const char *dir, const char *name, int cols,
	      int (*row)(struct builder *b, struct tsv *t, struct folio_err *e), struct folio_err *e)
{
	struct tsv t;
	int rc, r;

	memset(&t, 0, sizeof t);
	if ((rc = textfile_read(dir, name, &t.tf, e)))
		return rc;
	if (!textfile_next(&t.tf, &t.line)) {
		rc = err_set(e, FOLIO_EFAIL, "%s: empty table", t.tf.path);
	} else if (header_columns(&t.line) != cols) {
		rc = err_set(e, FOLIO_EFAIL, "%s:1: expected %d columns in the header, found %d",
			     t.tf.path, cols, header_columns(&t.line));
	} else {
		while ((r = tsv_next(&t, cols, e)) == 1 && (rc = row(b, &t, e)) == FOLIO_OK)
			;
		if (r < 0)
			rc = FOLIO_EFAIL;
	}
	textfile_free(&t.tf);
	free(t.buf);
	return rc;
}

int drgb_bad(const struct tsv *t, struct folio_err *e, const char *what)
{
	return err_set(e, FOLIO_EFAIL, "%s:%u: %s", t->tf.path, t->line.lineno, what);
}

int drgb_nomem(struct folio_err *e, const char *where)
{
	return err_set(e, FOLIO_EFAIL, "out of memory reading %s", where);
}

int drgb_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	if (!*s)
		return -1;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int drgb_code_ok(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '@'))
			return 0;
	return 1;
}

int drgb_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}
