/* folio — the in-memory code search index (include/folio/codes.h).
 *
 * Every keystroke of a code search must answer in a few milliseconds over
 * the ~98,000 rows of an ICD-10-CM year, so nothing here scans all rows:
 *  - entries are sorted by code: a code or code prefix is a binary search
 *    and a contiguous run;
 *  - the words of the descriptions are sorted, each with a posting list
 *    (the entries holding it, ascending).  A typed word is a prefix, so its
 *    words are a contiguous run of the word list, found by binary search;
 *    post_start[] is cumulative, so the run's posting count is one
 *    subtraction.  The query's rarest word (fewest postings) gives the
 *    candidates, and its postings say where in each entry it first stands
 *    (so a one-word query, the costly first keystroke, scans no tokens);
 *    each candidate is checked for the other words against its own short
 *    token list (token ids are word-list positions, so "has a word
 *    starting with w" is "has a token id in [lo, hi)");
 *  - the best `max` survivors are kept in a bounded heap.
 * The index is immutable after build; a search allocates its own scratch. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "folio/codes.h"

#define WORD_MAX 48     /* longer words are cut: nobody types more */
#define QUERY_WORDS 16  /* words of a query that count */
#define QUERY_MAX 512   /* bytes of a query that count */

struct entry {
	uint32_t code;  /* arena offsets of NUL-terminated strings */
	uint32_t short_desc;
	uint32_t desc;
	uint32_t tok;   /* first token in toks[] */
	uint16_t ntok;  /* tokens of the long description, then new ones of the short */
	uint16_t nlong; /* how many of them are the long description's */
	uint16_t desc_len;
	uint8_t billable;
};

struct codes_index {
	enum codes_system sys;
	int fy;
	size_t n;
	struct entry *ent;    /* sorted by code */
	char *arena;
	uint32_t *toks;       /* per entry, word ids in description order */
	size_t nwords;
	uint32_t *word;       /* warena offsets, sorted by text */
	char *warena;
	uint32_t *post_start; /* nwords + 1, cumulative */
	uint32_t *post;       /* entry indices */
	uint16_t *post_pos;   /* where in that entry's tokens the word first is */
};

/* ---- growing buffers for the build ---------------------------------------- */

struct buf {
	char *p;
	size_t len, cap;
};

static int buf_reserve(struct buf *b, size_t more)
{
	if (b->len + more <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + more)
		cap *= 2;
	char *np = realloc(b->p, cap);
	if (!np)
		return -1;
	b->p = np;
	b->cap = cap;
	return 0;
}

/* Appends s[0..n) and a NUL; returns the offset, or UINT32_MAX. */
static uint32_t buf_str(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > UINT32_MAX || buf_reserve(b, n + 1) != 0)
		return UINT32_MAX;
	uint32_t off = (uint32_t)b->len;
	if (n)
		memcpy(b->p + b->len, s, n);
	b->p[b->len + n] = '\0';
	b->len += n + 1;
	return off;
}

struct u32s {
	uint32_t *p;
	size_t len, cap;
};

static int u32_push(struct u32s *v, uint32_t x)
{
	if (v->len == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 1024;
		uint32_t *np = realloc(v->p, cap * sizeof *np);
		if (!np)
			return -1;
		v->p = np;
		v->cap = cap;
	}
	v->p[v->len++] = x;
	return 0;
}

/* ---- words ------------------------------------------------------------------ */

/* The next word of s[*i..n) into w (lower case, apostrophes dropped so that
 * "Alzheimer's" is "alzheimers"); returns its length, 0 at the end.  Bytes
 * from 0x80 up (UTF-8) are word bytes, kept as they are. */
static size_t next_word(const char *s, size_t n, size_t *i, char w[WORD_MAX + 1])
{
	size_t k = 0;

	while (*i < n) {
		unsigned char ch = (unsigned char)s[*i];
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch >= 0x80)
			break;
		(*i)++;
	}
	while (*i < n) {
		unsigned char ch = (unsigned char)s[*i];
		if (ch >= 'A' && ch <= 'Z')
			ch = (unsigned char)(ch - 'A' + 'a');
		else if (ch == '\'' && k > 0) {
			(*i)++;
			continue;
		} else if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch >= 0x80))
			break;
		if (k < WORD_MAX)
			w[k++] = (char)ch;
		(*i)++;
	}
	w[k] = '\0';
	return k;
}

/* Build-time word table: open addressing, FNV-1a. */
struct wtab {
	uint32_t *slot; /* temp id + 1, 0 empty */
	size_t cap;
	struct u32s off; /* temp id -> offset in words */
	struct buf words;
};

static size_t word_hash(const char *w, size_t n)
{
	return (size_t)codes_fnv(CODES_FNV_INIT, w, n);
}

static int wtab_grow(struct wtab *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1 << 14;
	uint32_t *slot = calloc(cap, sizeof *slot);
	if (!slot)
		return -1;
	for (size_t i = 0; i < t->off.len; i++) {
		const char *w = t->words.p + t->off.p[i];
		size_t h = word_hash(w, strlen(w)) & (cap - 1);
		while (slot[h])
			h = (h + 1) & (cap - 1);
		slot[h] = (uint32_t)i + 1;
	}
	free(t->slot);
	t->slot = slot;
	t->cap = cap;
	return 0;
}

/* The temp id of word w (added when new); UINT32_MAX when out of memory. */
static uint32_t wtab_id(struct wtab *t, const char *w, size_t n)
{
	if ((t->off.len + 1) * 2 > t->cap && wtab_grow(t) != 0)
		return UINT32_MAX;
	size_t h = word_hash(w, n) & (t->cap - 1);
	while (t->slot[h]) {
		const char *have = t->words.p + t->off.p[t->slot[h] - 1];
		if (strncmp(have, w, n) == 0 && have[n] == '\0')
			return t->slot[h] - 1;
		h = (h + 1) & (t->cap - 1);
	}
	uint32_t off = buf_str(&t->words, w, n);
	if (off == UINT32_MAX || u32_push(&t->off, off) != 0)
		return UINT32_MAX;
	t->slot[h] = (uint32_t)t->off.len;
	return (uint32_t)t->off.len - 1;
}

/* ---- build ------------------------------------------------------------------ */

/* Sorting by text without a global: the key is carried along. */
struct keyed {
	const char *key;
	uint32_t i;
};

static int cmp_keyed(const void *a, const void *b)
{
	return strcmp(((const struct keyed *)a)->key, ((const struct keyed *)b)->key);
}

/* An array of n keys to fill, then sort with keyed_sort(). */
static struct keyed *keyed_new(size_t n)
{
	return malloc((n ? n : 1) * sizeof(struct keyed));
}

static void keyed_sort(struct keyed *k, size_t n)
{
	qsort(k, n, sizeof *k, cmp_keyed);
}

/* Appends the words of s to toks; with dedupe, only those not already in
 * toks[from..]. */
static int add_words(struct wtab *t, struct u32s *toks, size_t from, const char *s, size_t n, int dedupe)
{
	char w[WORD_MAX + 1];
	size_t i = 0, k;

	while ((k = next_word(s, n, &i, w)) > 0) {
		uint32_t id = wtab_id(t, w, k);
		int seen = 0;
		if (id == UINT32_MAX)
			return -1;
		if (dedupe)
			for (size_t j = from; j < toks->len && !seen; j++)
				seen = toks->p[j] == id;
		if (!seen && u32_push(toks, id) != 0)
			return -1;
	}
	return 0;
}

void codes_index_free(struct codes_index *x)
{
	if (!x)
		return;
	free(x->ent);
	free(x->arena);
	free(x->toks);
	free(x->word);
	free(x->warena);
	free(x->post_start);
	free(x->post);
	free(x->post_pos);
	free(x);
}

/* Word ids in sorted order, postings (each entry once per word). */
static int build_postings(struct codes_index *x, struct wtab *t)
{
	size_t nw = t->off.len;
	uint32_t *rank = NULL, *fill = NULL;
	struct keyed *k = NULL;
	int rc = -1;

	x->nwords = nw;
	x->word = malloc((nw ? nw : 1) * sizeof *x->word);
	rank = malloc((nw ? nw : 1) * sizeof *rank);
	x->post_start = calloc(nw + 1, sizeof *x->post_start);
	fill = calloc(nw + 1, sizeof *fill);
	if (!x->word || !rank || !x->post_start || !fill)
		goto out;
	if (!(k = keyed_new(nw)))
		goto out;
	for (size_t i = 0; i < nw; i++)
		k[i] = (struct keyed){ t->words.p + t->off.p[i], (uint32_t)i };
	keyed_sort(k, nw);
	for (size_t r = 0; r < nw; r++) {
		x->word[r] = t->off.p[k[r].i];
		rank[k[r].i] = (uint32_t)r;
	}
	for (size_t e = 0; e < x->n; e++) {
		struct entry *en = &x->ent[e];
		for (size_t j = 0; j < en->ntok; j++) {
			uint32_t id = rank[x->toks[en->tok + j]];
			int dup = 0;
			x->toks[en->tok + j] = id;
			for (size_t q = 0; q < j && !dup; q++)
				dup = x->toks[en->tok + q] == id;
			if (!dup)
				x->post_start[id + 1]++;
		}
	}
	for (size_t w = 0; w < nw; w++)
		x->post_start[w + 1] += x->post_start[w];
	x->post = malloc((x->post_start[nw] ? x->post_start[nw] : 1) * sizeof *x->post);
	x->post_pos = malloc((x->post_start[nw] ? x->post_start[nw] : 1) * sizeof *x->post_pos);
	if (!x->post || !x->post_pos)
		goto out;
	for (size_t e = 0; e < x->n; e++) {
		struct entry *en = &x->ent[e];
		for (size_t j = 0; j < en->ntok; j++) {
			uint32_t id = x->toks[en->tok + j];
			int dup = 0;
			for (size_t q = 0; q < j && !dup; q++)
				dup = x->toks[en->tok + q] == id;
			if (!dup) {
				x->post[x->post_start[id] + fill[id]] = (uint32_t)e;
				x->post_pos[x->post_start[id] + fill[id]++] = (uint16_t)j;
			}
		}
	}
	x->warena = t->words.p;
	t->words.p = NULL;
	rc = 0;
out:
	free(k);
	free(rank);
	free(fill);
	return rc;
}

int codes_index_build(enum codes_system sys, int fy, const struct codes_row *rows, size_t n,
		      struct codes_index **out, struct folio_err *e)
{
	struct codes_index *x = calloc(1, sizeof *x);
	struct buf arena = { 0 };
	struct u32s toks = { 0 };
	struct wtab t = { 0 };
	struct keyed *order = NULL;
	struct entry *sorted = NULL;
	int rc = FOLIO_EFAIL;

	*out = NULL;
	if (!x || n >= UINT32_MAX / 2 || !(x->ent = calloc(n ? n : 1, sizeof *x->ent)))
		goto nomem;
	x->sys = sys;
	x->fy = fy;
	x->n = n;
	for (size_t i = 0; i < n; i++) {
		const struct codes_row *r = &rows[i];
		struct entry *en = &x->ent[i];
		size_t clen = strnlen(r->code, CODES_CODE_MAX);
		size_t slen = r->short_desc ? r->short_len : 0, llen = r->long_desc ? r->long_len : 0;
		size_t first = toks.len;

		if (clen == 0 || clen >= CODES_CODE_MAX) {
			rc = err_set(e, FOLIO_EUSAGE, "row %zu: no code", i + 1);
			goto fail;
		}
		if (llen > UINT16_MAX)
			llen = UINT16_MAX;
		en->code = buf_str(&arena, r->code, clen);
		en->short_desc = buf_str(&arena, r->short_desc, slen);
		en->desc = buf_str(&arena, r->long_desc, llen);
		if (en->code == UINT32_MAX || en->short_desc == UINT32_MAX || en->desc == UINT32_MAX)
			goto nomem;
		en->desc_len = (uint16_t)llen;
		en->billable = r->billable ? 1 : 0;
		en->tok = (uint32_t)first;
		if (add_words(&t, &toks, first, r->long_desc, llen, 0) != 0)
			goto nomem;
		if (toks.len - first > UINT16_MAX)
			toks.len = first + UINT16_MAX;
		en->nlong = (uint16_t)(toks.len - first);
		/* the short description's abbreviations ("hrt", "fx") are found too */
		if (add_words(&t, &toks, first, r->short_desc, slen, 1) != 0)
			goto nomem;
		if (toks.len - first > UINT16_MAX)
			toks.len = first + UINT16_MAX;
		en->ntok = (uint16_t)(toks.len - first);
	}
	x->arena = arena.p;
	arena.p = NULL;
	x->toks = toks.p;
	toks.p = NULL;
	if (!(order = keyed_new(n)) || !(sorted = malloc((n ? n : 1) * sizeof *sorted)))
		goto nomem;
	for (size_t i = 0; i < n; i++)
		order[i] = (struct keyed){ x->arena + x->ent[i].code, (uint32_t)i };
	keyed_sort(order, n);
	for (size_t i = 0; i < n; i++)
		sorted[i] = x->ent[order[i].i];
	free(x->ent);
	x->ent = sorted;
	sorted = NULL;
	for (size_t i = 1; i < n; i++)
		if (strcmp(x->arena + x->ent[i - 1].code, x->arena + x->ent[i].code) == 0) {
			rc = err_set(e, FOLIO_EUSAGE, "code %s is listed twice", x->arena + x->ent[i].code);
			goto fail;
		}
	if (build_postings(x, &t) != 0)
		goto nomem;
	free(order);
	free(t.slot);
	free(t.off.p);
	free(t.words.p);
	*out = x;
	return FOLIO_OK;
nomem:
	rc = err_set(e, FOLIO_EFAIL, "out of memory building the code index");
fail:
	free(order);
	free(sorted);
	free(arena.p);
	free(toks.p);
	free(t.slot);
	free(t.off.p);
	free(t.words.p);
	codes_index_free(x);
	return rc;
}

enum codes_system codes_index_system(const struct codes_index *x)
{
	return x->sys;
}

int codes_index_fy(const struct codes_index *x)
{
	return x->fy;
}

size_t codes_index_size(const struct codes_index *x)
{
	return x->n;
}

/* ---- lookups ------------------------------------------------------------------ */

static const char *code_of(const struct codes_index *x, size_t i)
{
	return x->arena + x->ent[i].code;
}

static const char *word_of(const struct codes_index *x, size_t i)
{
	return x->warena + x->word[i];
}

/* [*lo, *hi): the items 0..n of a sorted list (key(x, i)) starting with p,
 * by two binary searches. */
static void prefix_range(const struct codes_index *x, const char *(*key)(const struct codes_index *, size_t),
			 size_t n, const char *p, size_t *lo, size_t *hi)
{
	size_t len = strlen(p), a = 0, b = n;

	while (a < b) {
		size_t m = (a + b) / 2;
		if (strcmp(key(x, m), p) < 0)
			a = m + 1;
		else
			b = m;
	}
	*lo = a;
	b = n;
	while (a < b) {
		size_t m = (a + b) / 2;
		if (strncmp(key(x, m), p, len) <= 0)
			a = m + 1;
		else
			b = m;
	}
	*hi = a;
}

static void code_range(const struct codes_index *x, const char *p, size_t *lo, size_t *hi)
{
	prefix_range(x, code_of, x->n, p, lo, hi);
}

static void word_range(const struct codes_index *x, const char *w, size_t *lo, size_t *hi)
{
	prefix_range(x, word_of, x->nwords, w, lo, hi);
}

static void hit_of(const struct codes_index *x, size_t i, enum codes_match m, struct codes_hit *h)
{
	const struct entry *en = &x->ent[i];

	h->code = x->arena + en->code;
	h->short_desc = x->arena + en->short_desc;
	h->desc = x->arena + en->desc;
	h->billable = en->billable;
	h->match = m;
}

int codes_lookup(const struct codes_index *x, const char *code, struct codes_hit *hit)
{
	char c[CODES_CODE_MAX];
	size_t lo, hi;

	if (codes_normalize(code, c) != 0)
		return FOLIO_ENOTFOUND;
	code_range(x, c, &lo, &hi);
	if (lo == hi || strcmp(code_of(x, lo), c) != 0)
		return FOLIO_ENOTFOUND;
	hit_of(x, lo, CODES_MATCH_EXACT, hit);
	return FOLIO_OK;
}

size_t codes_children(const struct codes_index *x, const char *code, struct codes_hit *hits, size_t max)
{
	char c[CODES_CODE_MAX];
	size_t lo, hi, total = 0;

	if (codes_normalize(code, c) != 0)
		return 0;
	code_range(x, c, &lo, &hi);
	if (lo == hi || strcmp(code_of(x, lo), c) != 0 || x->ent[lo].billable)
		return 0;
	for (size_t i = lo + 1; i < hi; i++) {
		if (!x->ent[i].billable)
			continue;
		if (total < max)
			hit_of(x, i, CODES_MATCH_CHILD, &hits[total]);
		total++;
	}
	return total;
}

/* ---- word search ---------------------------------------------------------------- */

struct qword {
	size_t lo, hi;  /* word-list run */
	size_t exact;   /* the word itself, or SIZE_MAX */
	size_t count;   /* postings in the run */
};

struct cand {
	uint32_t e;
	uint8_t billable;
	uint8_t whole;
	uint16_t pos;
	uint16_t len;
};

/* 1 when a ranks before b. */
static int better(const struct cand *a, const struct cand *b)
{
	if (a->billable != b->billable)
		return a->billable > b->billable;
	if (a->whole != b->whole)
		return a->whole > b->whole;
	if (a->pos != b->pos)
		return a->pos < b->pos;
	if (a->len != b->len)
		return a->len < b->len;
	return a->e < b->e;
}

/* Bounded heap whose root is the worst kept candidate. */
static void heap_push(struct cand *h, size_t *n, size_t cap, const struct cand *c)
{
	size_t i;

	if (cap == 0)
		return;
	if (*n < cap) {
		i = (*n)++;
		while (i > 0 && better(&h[(i - 1) / 2], c)) {
			h[i] = h[(i - 1) / 2];
			i = (i - 1) / 2;
		}
		h[i] = *c;
		return;
	}
	if (!better(c, &h[0]))
		return;
	i = 0;
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, w = i;
		const struct cand *wc = c;
		if (l < *n && better(wc, &h[l])) {
			w = l;
			wc = &h[l];
		}
		if (r < *n && better(wc, &h[r])) {
			w = r;
			wc = &h[r];
		}
		if (w == i)
			break;
		h[i] = h[w];
		i = w;
	}
	h[i] = *c;
}

static int cmp_cand(const void *a, const void *b)
{
	return better(a, b) ? -1 : better(b, a) ? 1 : 0;
}

/* Scores entry e against the query words after the first, whose position
 * (and whether it was matched whole) the postings gave; 0 when a word is
 * missing. */
static int score(const struct codes_index *x, uint32_t e, uint32_t first0, const struct qword *q, size_t nq,
		 struct cand *c)
{
	const struct entry *en = &x->ent[e];
	const uint32_t *tk = x->toks + en->tok;
	unsigned pos = first0 & 0xffff, whole = first0 >> 16;

	for (size_t i = 1; i < nq; i++) {
		size_t first = SIZE_MAX;
		int w = 0;
		for (size_t j = 0; j < en->ntok; j++) {
			if (tk[j] < q[i].lo || tk[j] >= q[i].hi)
				continue;
			if (first == SIZE_MAX)
				first = j;
			if (tk[j] == q[i].exact && j < en->nlong)
				w = 1; /* whole words of the long description only */
		}
		if (first == SIZE_MAX)
			return 0;
		pos += (unsigned)first;
		whole += (unsigned)w;
	}
	c->e = e;
	c->billable = en->billable;
	c->whole = (uint8_t)whole;
	c->pos = (uint16_t)(pos > UINT16_MAX ? UINT16_MAX : pos);
	c->len = en->desc_len;
	return 1;
}

static int cmp_qword(const void *a, const void *b)
{
	const struct qword *x = a, *y = b;
	return (x->count > y->count) - (x->count < y->count);
}

/* The query's words (deduplicated), with their runs; -1 when a word has
 * no match at all (then nothing can match), else how many. */
static int query_words(const struct codes_index *x, const char *query, struct qword *q)
{
	char w[QUERY_WORDS][WORD_MAX + 1];
	size_t n = strnlen(query, QUERY_MAX), i = 0, k;
	int nq = 0;

	while (nq < QUERY_WORDS && (k = next_word(query, n, &i, w[nq])) > 0) {
		int dup = 0;
		for (int j = 0; j < nq && !dup; j++)
			dup = strcmp(w[j], w[nq]) == 0;
		if (dup)
			continue;
		word_range(x, w[nq], &q[nq].lo, &q[nq].hi);
		if (q[nq].lo == q[nq].hi)
			return -1;
		q[nq].exact = strcmp(word_of(x, q[nq].lo), w[nq]) == 0 ? q[nq].lo : SIZE_MAX;
		q[nq].count = x->post_start[q[nq].hi] - x->post_start[q[nq].lo];
		nq++;
	}
	return nq;
}

/* Word matches not already in [skip_lo, skip_hi) into hits; returns how
 * many matched in all. */
static size_t word_search(const struct codes_index *x, const char *query, size_t skip_lo, size_t skip_hi,
			  struct codes_hit *hits, size_t max)
{
	struct qword q[QUERY_WORDS];
	struct cand *heap = NULL, c;
	uint64_t *bits = NULL;
	uint32_t *first0 = NULL; /* per candidate: first position | whole << 16 */
	size_t kept = 0, total = 0, nbits = (x->n + 63) / 64;
	int nq = query_words(x, query, q);

	if (nq <= 0)
		return 0;
	qsort(q, (size_t)nq, sizeof q[0], cmp_qword);
	bits = calloc(nbits ? nbits : 1, sizeof *bits);
	first0 = malloc((x->n ? x->n : 1) * sizeof *first0);
	heap = malloc((max ? max : 1) * sizeof *heap);
	if (!bits || !first0 || !heap)
		goto out;
	/* candidates: the entries of the rarest word's run, with where it
	 * first matched (the postings know: no token scan for it) */
	for (size_t w = q[0].lo; w < q[0].hi; w++)
		for (size_t p = x->post_start[w]; p < x->post_start[w + 1]; p++) {
			uint32_t e = x->post[p], pos = x->post_pos[p];
			uint32_t whole = w == q[0].exact && pos < x->ent[e].nlong ? 1u << 16 : 0;
			uint64_t bit = (uint64_t)1 << (e % 64);
			if (!(bits[e / 64] & bit)) {
				bits[e / 64] |= bit;
				first0[e] = pos | whole;
			} else {
				if (pos < (first0[e] & 0xffff))
					first0[e] = (first0[e] & ~0xffffu) | pos;
				first0[e] |= whole;
			}
		}
	for (size_t b = 0; b < nbits; b++) {
		uint64_t m = bits[b];
		while (m) {
			uint32_t e = (uint32_t)(b * 64 + (size_t)__builtin_ctzll(m));
			m &= m - 1;
			if (e >= skip_lo && e < skip_hi)
				continue;
			if (!score(x, e, first0[e], q, (size_t)nq, &c))
				continue;
			total++;
			heap_push(heap, &kept, max, &c);
		}
	}
	qsort(heap, kept, sizeof *heap, cmp_cand);
	for (size_t i = 0; i < kept; i++)
		hit_of(x, heap[i].e, CODES_MATCH_WORDS, &hits[i]);
out:
	free(bits);
	free(first0);
	free(heap);
	return total;
}

size_t codes_search(const struct codes_index *x, const char *query, struct codes_hit *hits, size_t max)
{
	char c[CODES_CODE_MAX];
	size_t lo = 0, hi = 0, shown = 0;

	if (!query)
		return 0;
	if (codes_normalize(query, c) == 0) {
		code_range(x, c, &lo, &hi);
		for (size_t i = lo; i < hi && shown < max; i++, shown++)
			hit_of(x, i, i == lo && strcmp(code_of(x, i), c) == 0 ? CODES_MATCH_EXACT : CODES_MATCH_PREFIX,
			       &hits[shown]);
	}
	return (hi - lo) + word_search(x, query, lo, hi, hits + shown, max - shown);
}
