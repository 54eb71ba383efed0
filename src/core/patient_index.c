/* folio — blind indexes over encrypted demographics, and the one-prompt
 * lookup that uses them: a query picks one (kind, tag) bucket, the bucket's
 * cards are decrypted, filtered exactly and ranked.
 *
 * Tags are keyed BLAKE2b truncated to 16 or 18 bits, so each bucket holds
 * every value that shares a tag: the index says "one of these", never which.
 * The surname-prefix + initial index lives in patient_cards, its rows
 * carrying the card; the other kinds in patient_index (schema/002). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "folio/date.h"
#include "folio/lookup.h"
#include "folio/names.h"
#include "folio/smem.h"

/* The index whose rows carry the patient's card (table patient_cards). */
#define IX_CARDS IX_PREFIX3_INIT

#define TAG_BITS_MAX 18
#define KIND_BITS 3
/* Patients per generation (2^16, by row id): the index keys of a
 * generation are contiguous, so bulk registration writes into the current
 * generation's pages only (about 15 MB, within SQLite's page cache)
 * instead of touching most of the index's pages in every transaction; a
 * bucket walk reads one run of rows per generation. */
#define GEN_SHIFT 16

static unsigned index_bits(enum index_kind k)
{
	/* 18 bits where the values are many (a date, a phone, a prefix with an
	 * initial), so two large groups rarely share a bucket; 16 elsewhere. */
	return (k == IX_DOB || k == IX_PHONE || k == IX_PREFIX3_INIT) ? 18 : 16;
}

/* Tag of a value in an index; values are prefixed with nothing: each kind
 * has its own subkey. */
static uint32_t tag_of(const struct blinder *b, enum index_kind k, const char *v)
{
	return blinder_tag(b, (unsigned)k, v, strlen(v), index_bits(k));
}

struct entry {
	int kind;
	uint32_t tag;
};

/* The key (patient_index and patient_cards) of a (kind, tag) among the
 * patients of generation gen. */
static int64_t index_key(int kind, uint32_t tag, int64_t gen)
{
	return (gen << (KIND_BITS + TAG_BITS_MAX)) | (int64_t)kind << TAG_BITS_MAX | tag;
}

static int entry_add(struct entry *es, int n, int max, int kind, uint32_t tag)
{
	for (int i = 0; i < n; i++)
		if (es[i].kind == kind && es[i].tag == tag)
			return n;
	if (n < max) {
		es[n].kind = kind;
		es[n].tag = tag;
		n++;
	}
	return n;
}

static void prefix(const char *s, size_t k, char *out)
{
	size_t n = strlen(s) < k ? strlen(s) : k;
	memcpy(out, s, n);
	out[n] = '\0';
}

/* First letter (byte) of the normal form of a given name, or 0. */
static char initial_of(const char *given)
{
	char norm[NAME_NORM_MAX];
	return name_normalize(given, norm, sizeof norm) > 0 ? norm[0] : 0;
}

static int entries_of(const struct blinder *b, const struct patient *p, struct entry *es, int max)
{
	char tokens[NAME_TOKENS_MAX][NAME_NORM_MAX], v[NAME_NORM_MAX + 8], sx[5];
	char inits[2] = { initial_of(p->v[PF_FIRST]), initial_of(p->v[PF_PREFERRED]) };
	int nt = name_tokens(p->v[PF_LAST], tokens, NAME_TOKENS_MAX), n = 0;
	static const enum patient_field phones[] = { PF_PHONE, PF_MOBILE };

	for (int t = 0; t < nt; t++) {
		prefix(tokens[t], 2, v);
		n = entry_add(es, n, max, IX_PREFIX2, tag_of(b, IX_PREFIX2, v));
		prefix(tokens[t], 3, v);
		n = entry_add(es, n, max, IX_PREFIX3, tag_of(b, IX_PREFIX3, v));
		for (int i = 0; i < 2; i++) {
			size_t l;
			if (!inits[i])
				continue;
			prefix(tokens[t], 3, v);
			l = strlen(v);
			v[l] = ',';
			v[l + 1] = inits[i];
			v[l + 2] = '\0';
			n = entry_add(es, n, max, IX_PREFIX3_INIT, tag_of(b, IX_PREFIX3_INIT, v));
		}
		name_soundex(tokens[t], sx);
		if (sx[0])
			n = entry_add(es, n, max, IX_SOUNDEX, tag_of(b, IX_SOUNDEX, sx));
	}
	if (p->v[PF_DOB][0])
		n = entry_add(es, n, max, IX_DOB, tag_of(b, IX_DOB, p->v[PF_DOB]));
	for (size_t i = 0; i < ARRAY_SIZE(phones); i++) {
		char d[32], l4[5];
		digits_only(p->v[phones[i]], d, sizeof d);
		last_four(d, l4);
		if (l4[0])
			n = entry_add(es, n, max, IX_LAST4, tag_of(b, IX_LAST4, l4));
		if (strlen(d) >= 7)
			n = entry_add(es, n, max, IX_PHONE, tag_of(b, IX_PHONE, d));
	}
	{
		char l4[5];
		last_four(p->v[PF_SSN], l4);
		if (l4[0])
			n = entry_add(es, n, max, IX_LAST4, tag_of(b, IX_LAST4, l4));
	}
	smem_wipe(tokens, sizeof tokens);
	smem_wipe(v, sizeof v);
	return n;
}

/* Deletes or writes the rows es[0..n) of patient id; card is its sealed
 * card, for the rows of the index that carries cards. */
static int entries_run(struct store *st, int del, const struct entry *es, int n, int64_t id,
		       const uint8_t *card, size_t card_len, struct folio_err *e)
{
	/* [del][carries cards]; REPLACE: a card row the edit kept gets the new card */
	static const char *const sql[2][2] = {
		{ "INSERT OR IGNORE INTO patient_index (key, patient_id) VALUES (?,?)",
		  "INSERT OR REPLACE INTO patient_cards (key, patient_id, card) VALUES (?,?,?)" },
		{ "DELETE FROM patient_index WHERE key = ? AND patient_id = ?",
		  "DELETE FROM patient_cards WHERE key = ? AND patient_id = ?" },
	};
	struct stmt *s[2] = { NULL, NULL };
	int rc = FOLIO_OK;

	for (int i = 0; i < n && rc == FOLIO_OK; i++) {
		int c = es[i].kind == IX_CARDS;
		if (!s[c] && (rc = stmt_prepare(st, sql[del][c], &s[c], e)))
			break;
		stmt_reset(s[c]);
		stmt_bind_int64(s[c], 1, index_key(es[i].kind, es[i].tag, id >> GEN_SHIFT));
		stmt_bind_int64(s[c], 2, id);
		if (c && !del)
			stmt_bind_blob(s[c], 3, card, card_len);
		if ((rc = stmt_step(s[c], e)) == STMT_DONE)
			rc = FOLIO_OK;
	}
	stmt_finalize(s[0]);
	stmt_finalize(s[1]);
	return rc;
}

int patient_index_write(struct grant *g, const struct patient *old, const struct patient *p, int64_t id,
			const uint8_t *card, size_t card_len, struct folio_err *e)
{
	struct store *st = grant_store(g);
	const struct blinder *b = grant_blinder(g, e);
	struct entry es[64];
	int n, rc;

	if (!b)
		return e ? e->code : FOLIO_EDENIED;
	if (old) {
		n = entries_of(b, old, es, (int)ARRAY_SIZE(es));
		if ((rc = entries_run(st, 1, es, n, id, NULL, 0, e)))
			return rc;
	}
	n = entries_of(b, p, es, (int)ARRAY_SIZE(es));
	return entries_run(st, 0, es, n, id, card, card_len, e);
}

/* ---- the query ------------------------------------------------------ */

/* Working memory of a lookup: the parsed query, the opened card and the
 * normal forms a candidate is scored by.  Guarded, made once per process
 * and wiped at the end of every lookup: each lookup runs under a grant of
 * its own, and a guarded allocation of its own (mmap, mprotect, mlock, then
 * munlock, munmap) would cost several times an MRN lookup. */
struct lookup_mem {
	uint8_t card[CARD_MAX];
	struct lookup_query q;
	char tokens[NAME_TOKENS_MAX][NAME_NORM_MAX];
	char first[NAME_NORM_MAX], pref[NAME_NORM_MAX];
	struct patient_hit tmp;
};

static struct lookup_mem *lookup_mem(struct folio_err *e)
{
	static struct lookup_mem *m;

	if (!m && !(m = smem_alloc(sizeof *m)))
		err_set(e, FOLIO_EFAIL, "out of secure memory");
	return m;
}

/* How s compares with normalised query text q of length n when s is ASCII
 * letters only, whose normal form is their upper case and which is one
 * surname part (names.h): 2 equal, 1 q a prefix, 0 neither; -1 when s is
 * empty or anything else.  Most names, compared in place. */
static int ascii_match(const char *s, const char *q, size_t n)
{
	size_t i;
	int same = 1;

	for (i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 'a' + 'A');
		else if (c < 'A' || c > 'Z')
			return -1;
		if (i < n && c != (unsigned char)q[i])
			same = 0;
	}
	if (i == 0)
		return -1;
	return !same || i < n ? 0 : i == n ? 2 : 1;
}

/* The same for any name, its normal form made in norm (NAME_NORM_MAX
 * bytes) when it is not ASCII letters only. */
static int name_match(const char *s, const char *q, size_t n, char *norm)
{
	int r = ascii_match(s, q, n);
	size_t len;

	if (r >= 0)
		return r;
	name_normalize(s, norm, NAME_NORM_MAX);
	len = strlen(norm);
	return len < n || strncmp(norm, q, n) != 0 ? 0 : len == n ? 2 : 1;
}

/* Score of a surname for a name query: a part equal to what was typed 100
 * (the first part) or 90, a part starting with it 60 or 50; else -1. */
static int surname_score(const struct lookup_query *q, const char *last, struct lookup_mem *m)
{
	int nt, score = -1, r = ascii_match(last, q->last, q->last_len);

	if (r >= 0)
		return r == 2 ? 100 : r == 1 ? 60 : -1;
	nt = name_tokens(last, m->tokens, NAME_TOKENS_MAX);
	for (int t = 0; t < nt; t++) {
		int s = -1;
		if (strcmp(m->tokens[t], q->last) == 0)
			s = t == 0 ? 100 : 90;
		else if (strncmp(m->tokens[t], q->last, q->last_len) == 0)
			s = t == 0 ? 60 : 50;
		if (s > score)
			score = s;
	}
	return score;
}

/* Score of a candidate's card for the query; < 0 when it does not match.
 * The normal forms go to m, wiped once at the end of the lookup. */
static int score_of(const struct lookup_query *q, const struct card *c, struct lookup_mem *m)
{
	int score = -1;

	switch (q->kind) {
	case LOOKUP_MRN:
		return 100;
	case LOOKUP_DOB:
		return strcmp(c->dob, q->value) == 0 ? 100 : -1;
	case LOOKUP_LAST4:
	case LOOKUP_INITIAL_LAST4:
		if (strcmp(c->l4_phone, q->value) == 0 || strcmp(c->l4_mobile, q->value) == 0)
			score = 100;
		else if (strcmp(c->l4_ssn, q->value) == 0)
			score = 90;
		if (score >= 0 && q->kind == LOOKUP_INITIAL_LAST4 &&
		    (name_normalize(c->last, m->first, sizeof m->first) <= 0 || m->first[0] != q->initial))
			score = -1;
		return score;
	case LOOKUP_NAME:
		break;
	}
	score = surname_score(q, c->last, m);
	if (score >= 0 && q->first[0]) {
		size_t fl = strlen(q->first);
		int a = name_match(c->first, q->first, fl, m->first);
		int b = name_match(c->preferred, q->first, fl, m->pref);
		a = a > b ? a : b;
		score = a == 2 ? score + 20 : a == 1 ? score + 10 : -1;
	}
	return score;
}

/* ---- ranking -------------------------------------------------------- */

/* What hits are ordered by: score (higher first), then last, first, DOB
 * and MRN, byte order.  An MRN is its row id's sequence number in 7 digits
 * and a check digit, so the row id orders it without formatting one per
 * candidate. */
struct rank_key {
	int score;
	const char *last, *first, *dob;
	int64_t id;
};

static int key_cmp(const struct rank_key *a, const struct rank_key *b)
{
	int c;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if ((c = strcmp(a->last, b->last)) != 0)
		return c;
	if ((c = strcmp(a->first, b->first)) != 0)
		return c;
	if ((c = strcmp(a->dob, b->dob)) != 0)
		return c;
	return (a->id > b->id) - (a->id < b->id);
}

/* The best `max` candidates of a walk.  Ranking comes before copying: a
 * candidate is compared with the worst kept (its card still in place) and
 * only one that makes the list is copied into a hit.  hits[0..n) are filled
 * in arrival order with their row ids beside them; ord holds their slots
 * best first, so an arrival moves 4-byte slot numbers, not hits. */
struct ranker {
	struct patient_hit *hits;
	size_t max, n, cap, total;
	int64_t *ids;
	uint32_t *ord;
};

static void ranker_init(struct ranker *r, struct patient_hit *hits, size_t max)
{
	memset(r, 0, sizeof *r);
	r->hits = hits;
	r->max = max < UINT32_MAX ? max : UINT32_MAX;
}

static void ranker_free(struct ranker *r)
{
	free(r->ids);
	free(r->ord);
}

static struct rank_key key_at(const struct ranker *r, size_t i)
{
	const struct patient_hit *h = &r->hits[r->ord[i]];
	struct rank_key k = { h->score, h->last, h->first, h->dob, r->ids[r->ord[i]] };
	return k;
}

/* The hit to fill for a candidate ranked k, NULL when it does not make the
 * list (or, with *oom set, when the ranking is out of memory). */
static struct patient_hit *ranker_take(struct ranker *r, const struct rank_key *k, int *oom)
{
	size_t lo = 0, hi, slot;

	if (r->max == 0)
		return NULL;
	if (r->n == r->max) {
		struct rank_key worst = key_at(r, r->n - 1);
		if (key_cmp(k, &worst) >= 0)
			return NULL;
		slot = r->ord[--r->n];
	} else {
		if (r->n == r->cap) {
			size_t cap = r->cap ? r->cap * 2 : 64;
			int64_t *ids;
			uint32_t *ord;
			if (cap > r->max)
				cap = r->max;
			if ((ids = realloc(r->ids, cap * sizeof *ids)))
				r->ids = ids;
			if ((ord = realloc(r->ord, cap * sizeof *ord)))
				r->ord = ord;
			if (!ids || !ord) {
				*oom = 1;
				return NULL;
			}
			r->cap = cap;
		}
		slot = r->n;
	}
	hi = r->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct rank_key m = key_at(r, mid);
		if (key_cmp(k, &m) < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	memmove(r->ord + lo + 1, r->ord + lo, (r->n - lo) * sizeof *r->ord);
	r->ord[lo] = (uint32_t)slot;
	r->ids[slot] = k->id;
	r->n++;
	return &r->hits[slot];
}

/* Puts the hits (and their ids) in order, best first, following each
 * cycle of the permutation through one spare hit in secure memory. */
static void ranker_finish(struct ranker *r, struct patient_hit *tmp)
{
	for (size_t i = 0; i < r->n; i++) {
		size_t j = i, k;
		int64_t id;

		if (r->ord[i] == i)
			continue;
		*tmp = r->hits[i];
		id = r->ids[i];
		while ((k = r->ord[j]) != i) {
			r->hits[j] = r->hits[k];
			r->ids[j] = r->ids[k];
			r->ord[j] = (uint32_t)j;
			j = k;
		}
		r->hits[j] = *tmp;
		r->ids[j] = id;
		r->ord[j] = (uint32_t)j;
	}
}

static void hit_fill(struct patient_hit *h, const struct card *c, int score)
{
	str_copy(h->last, sizeof h->last, c->last);
	str_copy(h->first, sizeof h->first, c->first);
	str_copy(h->middle, sizeof h->middle, c->middle);
	str_copy(h->dob, sizeof h->dob, c->dob);
	str_copy(h->sex, sizeof h->sex, c->sex);
	/* the SSN's when there is one, else the phone's, else the mobile's */
	str_copy(h->last4, sizeof h->last4, c->l4_ssn[0] ? c->l4_ssn : c->l4_phone[0] ? c->l4_phone : c->l4_mobile);
	h->score = score;
}

/* The plain columns of a hit, from a row that has them at mrn_col and on. */
static void hit_plain(struct patient_hit *h, struct stmt *s, int mrn_col)
{
	str_copy(h->mrn, sizeof h->mrn, stmt_text(s, mrn_col));
	h->restricted = (int)stmt_int64(s, mrn_col + 1);
	h->test = (int)stmt_int64(s, mrn_col + 2);
}

/* Offers a matching candidate (its card, row id and score) to the ranking;
 * mrn_col >= 0 when row s has mrn, restricted and test_patient from there. */
static int rank_offer(struct ranker *r, const struct card *c, int64_t id, int score, struct stmt *s, int mrn_col,
		      struct folio_err *e)
{
	struct rank_key k = { score, c->last, c->first, c->dob, id };
	struct patient_hit *h;
	int oom = 0;

	if (!(h = ranker_take(r, &k, &oom)))
		return oom ? err_set(e, FOLIO_EFAIL, "out of memory") : FOLIO_OK;
	hit_fill(h, c, score);
	if (mrn_col >= 0)
		hit_plain(h, s, mrn_col);
	return FOLIO_OK;
}

struct patient_hit *patient_hits_new(size_t n)
{
	return smem_alloc((n ? n : 1) * sizeof(struct patient_hit));
}

void patient_hits_free(struct patient_hit *h, size_t n)
{
	(void)n;
	smem_free(h);
}

/* ---- bucket walks --------------------------------------------------- */

typedef int row_fn(void *ctx, struct stmt *s, struct folio_err *e);

/* Hands every row of sql to fn, its one parameter bound to text, or else
 * to the key of (kind, tag) in each generation in turn; the keys (of the
 * keyring) stay readable for the whole walk, one mprotect pair, not one per
 * row. */
static int rows_walk(struct grant *g, const char *sql, const char *text, int kind, uint32_t tag, row_fn *fn,
		     void *ctx, struct folio_err *e)
{
	const struct keyring *kr = grant_keys(g);
	struct stmt *s = NULL;
	int64_t gen = 0, last = 0;
	int rc;

	/* the generations that hold patients: the first and last row ids
	 * (two subqueries, each answered from the end of the table) */
	if (!text) {
		if ((rc = stmt_prepare(grant_store(g), "SELECT (SELECT min(id) FROM patients), (SELECT max(id) FROM patients)", &s, e)))
			return rc;
		if ((rc = stmt_step(s, e)) == STMT_ROW) {
			gen = stmt_int64(s, 0) >> GEN_SHIFT;
			last = stmt_int64(s, 1) >> GEN_SHIFT;
			rc = FOLIO_OK;
		}
		stmt_finalize(s);
		if (rc != FOLIO_OK)
			return rc;
	}
	if ((rc = stmt_prepare(grant_store(g), sql, &s, e)))
		return rc;
	keyring_pin(kr);
	for (rc = STMT_DONE; gen <= last && rc == STMT_DONE; gen++) {
		stmt_reset(s);
		if (text)
			stmt_bind_text(s, 1, text);
		else
			stmt_bind_int64(s, 1, index_key(kind, tag, gen));
		while ((rc = stmt_step(s, e)) == STMT_ROW)
			if ((rc = fn(ctx, s, e)) != FOLIO_OK)
				break;
	}
	keyring_unpin(kr);
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

/* Rows (id, card) of the index that carries cards; the plain columns of
 * the hits that make the list are read afterwards, by row id. */
#define CARD_BUCKET_SQL "SELECT patient_id, card FROM patient_cards WHERE key = ?"
/* Rows (id, card, mrn, restricted, test_patient) of the other indexes. */
#define BUCKET_SQL "SELECT p.id, p.card, p.mrn, p.restricted, p.test_patient" \
		   " FROM patient_index i JOIN patients p ON p.id = i.patient_id WHERE i.key = ?"
/* A merged chart's MRN finds the chart it was merged into (src/core/merge.c). */
#define MRN_SQL "SELECT v.id, v.card, v.mrn, v.restricted, v.test_patient FROM patients p" \
		" JOIN patients v ON v.id = coalesce(p.merged_into, p.id) WHERE p.mrn = ?"

struct find {
	const struct keyring *kr;
	const struct lookup_query *q;
	struct lookup_mem *m;
	struct ranker r;
	int plain;               /* rows carry mrn, restricted, test_patient */
};

static int find_row(void *ctx, struct stmt *s, struct folio_err *e)
{
	struct find *f = ctx;
	int64_t id = stmt_int64(s, 0);
	struct card c;
	size_t len;
	const uint8_t *env = stmt_blob(s, 1, &len);
	int rc, score;

	if ((rc = card_open(f->kr, id, env, len, f->m->card, &c, e)))
		return rc;
	if ((score = score_of(f->q, &c, f->m)) < 0)
		return FOLIO_OK;
	f->r.total++;
	return rank_offer(&f->r, &c, id, score, s, f->plain ? 2 : -1, e);
}

/* The MRN, restricted and TEST flags of each hit, by row id. */
static int hits_plain(struct grant *g, struct ranker *r, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if ((rc = stmt_prepare(grant_store(g), "SELECT mrn, restricted, test_patient FROM patients WHERE id = ?",
			       &s, e)))
		return rc;
	for (size_t i = 0; i < r->n && rc == FOLIO_OK; i++) {
		stmt_reset(s);
		stmt_bind_int64(s, 1, r->ids[i]);
		rc = stmt_step(s, e);
		if (rc == STMT_ROW) {
			hit_plain(&r->hits[i], s, 0);
			rc = FOLIO_OK;
		} else if (rc == STMT_DONE) {
			rc = err_set(e, FOLIO_EFAIL, "the patient index names a missing record");
		}
	}
	stmt_finalize(s);
	return rc;
}

/* Walks the query's bucket (or its MRN row) into f->r. */
static int find_walk(struct grant *g, struct find *f, struct folio_err *e)
{
	const struct lookup_query *q = f->q;
	uint32_t tag;
	int rc;

	if (q->kind == LOOKUP_MRN) {
		f->plain = 1;
		return rows_walk(g, MRN_SQL, q->value, 0, 0, find_row, f, e);
	}
	/* One subkey for the one tag, rather than the grant's blinder (every
	 * index's subkey): a lookup's grant tags nothing else. */
	if ((rc = blind_tag(f->kr, (uint64_t)q->index, q->key, strlen(q->key), index_bits(q->index), &tag, e)))
		return rc;
	f->plain = q->index != IX_CARDS;
	return rows_walk(g, f->plain ? BUCKET_SQL : CARD_BUCKET_SQL, NULL, q->index, tag, find_row, f, e);
}

int patient_find(struct grant *g, const char *text, struct patient_hit *hits, size_t max, size_t *n,
		 size_t *total, struct folio_err *e)
{
	struct find f = { grant_keys(g), NULL, NULL, { 0 }, 0 };
	int rc;

	*n = 0;
	*total = 0;
	if (grant_action(g) != ACT_PATIENT_FIND)
		return err_set(e, FOLIO_EDENIED, "a lookup needs its own grant");
	if (!(f.m = lookup_mem(e)))
		return FOLIO_EFAIL;
	f.q = &f.m->q;
	ranker_init(&f.r, hits, max);
	/* the keys stay readable from the tag to the last card */
	keyring_pin(f.kr);
	if ((rc = lookup_parse(text, &f.m->q, e)) == FOLIO_OK && (rc = find_walk(g, &f, e)) == FOLIO_OK) {
		ranker_finish(&f.r, &f.m->tmp);
		if (!f.plain)
			rc = hits_plain(g, &f.r, e);
	}
	if (rc == FOLIO_OK) {
		*n = f.r.n;
		*total = f.r.total;
	}
	keyring_unpin(f.kr);
	ranker_free(&f.r);
	smem_wipe(f.m, sizeof *f.m);
	return rc;
}

/* ---- duplicate guard ------------------------------------------------ */

static int similar_names(const struct patient *a, const struct patient *b)
{
	char x[NAME_NORM_MAX], y[NAME_NORM_MAX], sx[5], sy[5];
	int close = 0;

	name_normalize(a->v[PF_LAST], x, sizeof x);
	name_normalize(b->v[PF_LAST], y, sizeof y);
	name_soundex(x, sx);
	name_soundex(y, sy);
	if ((sx[0] && strcmp(sx, sy) == 0) || name_distance(x, y, 2) <= 2)
		close = 1;
	if (close) {
		name_normalize(a->v[PF_FIRST], x, sizeof x);
		name_normalize(b->v[PF_FIRST], y, sizeof y);
		/* a missing first name, an initial, or a near spelling */
		close = !x[0] || !y[0] || x[0] == y[0] || name_distance(x, y, 2) <= 2;
	}
	smem_wipe(x, sizeof x);
	smem_wipe(y, sizeof y);
	return close;
}

/* Working memory of a duplicate check, from the grant's scratch (a bulk
 * registration reuses it): whole records, since a phone is matched in full. */
struct dup_mem {
	uint8_t blob[PATIENT_BLOB_MAX];
	struct patient p;
	struct patient_hit tmp;
	char l4[3][5];
};

struct dup {
	const struct keyring *kr;
	struct dup_mem *m;
	const struct patient *p;
	int kind, need_name, score;
	const char *value;
	struct ranker *r;
};

/* Rows (id, demographics, mrn, restricted, test_patient) of a bucket. */
#define RECORD_BUCKET_SQL "SELECT p.id, p.demographics, p.mrn, p.restricted, p.test_patient" \
			  " FROM patient_index i JOIN patients p ON p.id = i.patient_id WHERE i.key = ?"

static int dup_row(void *ctx, struct stmt *s, struct folio_err *e)
{
	struct dup *d = ctx;
	const struct patient *c = &d->m->p;
	const char *mrn = stmt_text(s, 2);
	int64_t id = stmt_int64(s, 0);
	struct card view;
	size_t len;
	const uint8_t *env = stmt_blob(s, 1, &len);
	int match, rc;

	if ((rc = patient_open(d->kr, id, env, len, d->m->blob, &d->m->p, e)))
		return rc;
	if (d->kind == IX_PHONE) {
		char d1[32], d2[32], d3[32];
		digits_only(d->value, d1, sizeof d1);
		digits_only(c->v[PF_PHONE], d2, sizeof d2);
		digits_only(c->v[PF_MOBILE], d3, sizeof d3);
		match = strcmp(d1, d2) == 0 || strcmp(d1, d3) == 0;
	} else {
		match = strcmp(c->v[PF_DOB], d->value) == 0;
	}
	if (!match || (d->need_name && !similar_names(d->p, c)))
		return FOLIO_OK;
	/* already listed from an earlier bucket, with a better score */
	for (size_t i = 0; i < d->r->n; i++)
		if (strcmp(d->r->hits[i].mrn, mrn) == 0)
			return FOLIO_OK;
	card_view(c, d->m->l4, &view);
	return rank_offer(d->r, &view, id, d->score, s, 2, e);
}

static int dup_bucket(struct grant *g, struct dup *d, int kind, const char *value, int need_name, int score,
		      struct folio_err *e)
{
	const struct blinder *b = grant_blinder(g, e);

	if (!b)
		return e ? e->code : FOLIO_EDENIED;
	d->kind = kind;
	d->value = value;
	d->need_name = need_name;
	d->score = score;
	return rows_walk(g, RECORD_BUCKET_SQL, NULL, kind, tag_of(b, (enum index_kind)kind, value), dup_row, d, e);
}

int patient_duplicates(struct grant *g, const struct patient *p, struct patient_hit *hits, size_t max,
		       size_t *n, struct folio_err *e)
{
	static const enum patient_field phones[] = { PF_PHONE, PF_MOBILE };
	struct ranker r;
	struct dup d = { grant_keys(g), NULL, p, 0, 0, 0, NULL, &r };
	int rc = FOLIO_OK, y, m, dd;

	*n = 0;
	/* merge.approve: an A40 applied by a supervisor matches its patient
	 * as any other HL7 message does */
	if (grant_action(g) != ACT_PATIENT_ADD && grant_action(g) != ACT_PATIENT_EDIT &&
	    grant_action(g) != ACT_IMPORT_RUN && grant_action(g) != ACT_MERGE_APPROVE)
		return err_set(e, FOLIO_EDENIED, "the duplicate check runs under registration or an import");
	if (!(d.m = grant_scratch(g, sizeof *d.m)))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	ranker_init(&r, hits, max);
	if (p->v[PF_DOB][0]) {
		rc = dup_bucket(g, &d, IX_DOB, p->v[PF_DOB], 1, 100, e);
		/* day and month swapped: 1962-03-04 vs 1962-04-03 */
		if (rc == FOLIO_OK && sscanf(p->v[PF_DOB], "%d-%d-%d", &y, &m, &dd) == 3 && m != dd && dd <= 12 &&
		    date_days(y, dd, m) != DATE_INVALID) {
			char sw[11];
			snprintf(sw, sizeof sw, "%04d-%02d-%02d", y, dd, m);
			rc = dup_bucket(g, &d, IX_DOB, sw, 1, 80, e);
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(phones) && rc == FOLIO_OK; i++) {
		char dg[32];
		digits_only(p->v[phones[i]], dg, sizeof dg);
		if (strlen(dg) >= 7)
			rc = dup_bucket(g, &d, IX_PHONE, dg, 0, 70, e);
	}
	if (rc == FOLIO_OK) {
		ranker_finish(&r, &d.m->tmp);
		*n = r.n;
	}
	ranker_free(&r);
	smem_wipe(d.m, sizeof *d.m);
	return rc;
}
