/* folio — blind indexes over encrypted demographics, and the one-prompt
 * lookup that uses them: a query picks one (kind, tag) bucket, the bucket is
 * decrypted, filtered exactly and ranked.
 *
 * Tags are keyed BLAKE2b truncated to 16 or 18 bits, so each bucket holds
 * every value that shares a tag: the index says "one of these", never which. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "folio/date.h"
#include "folio/names.h"
#include "folio/smem.h"

enum index_kind {
	IX_PREFIX2 = 1,   /* first 2 letters of a surname part */
	IX_PREFIX3 = 2,   /* first 3 letters of a surname part */
	IX_PREFIX3_INIT = 3, /* first 3 letters + first-name initial */
	IX_DOB = 4,       /* YYYY-MM-DD */
	IX_LAST4 = 5,     /* last four digits of a phone or the SSN */
	IX_SOUNDEX = 6,   /* Soundex of a surname part */
	IX_PHONE = 7      /* all digits of a phone */
};

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

static int entries_run(struct store *st, const char *sql, const struct entry *es, int n, int64_t id,
		       struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if ((rc = stmt_prepare(st, sql, &s, e)))
		return rc;
	for (int i = 0; i < n; i++) {
		stmt_reset(s);
		stmt_bind_int64(s, 1, es[i].kind);
		stmt_bind_int64(s, 2, es[i].tag);
		stmt_bind_int64(s, 3, id);
		if ((rc = stmt_step(s, e)) != STMT_DONE) {
			stmt_finalize(s);
			return rc;
		}
	}
	stmt_finalize(s);
	return FOLIO_OK;
}

int patient_index_write(struct grant *g, const struct patient *old, const struct patient *p, int64_t id,
			struct folio_err *e)
{
	struct store *st = grant_store(g);
	const struct blinder *b = grant_blinder(g, e);
	struct entry es[64];
	int n, rc;

	if (!b)
		return e ? e->code : FOLIO_EDENIED;
	if (old) {
		n = entries_of(b, old, es, (int)ARRAY_SIZE(es));
		if ((rc = entries_run(st, "DELETE FROM patient_index WHERE kind = ? AND tag = ? AND patient_id = ?",
				      es, n, id, e)))
			return rc;
	}
	n = entries_of(b, p, es, (int)ARRAY_SIZE(es));
	return entries_run(st, "INSERT OR IGNORE INTO patient_index (kind, tag, patient_id) VALUES (?,?,?)", es, n,
			   id, e);
}

/* ---- the query ------------------------------------------------------ */

enum query_kind { Q_NAME, Q_MRN, Q_DOB, Q_LAST4, Q_INITIAL_LAST4 };

struct query {
	enum query_kind kind;
	char last[NAME_NORM_MAX];
	char first[NAME_NORM_MAX];
	char value[16];          /* MRN, DOB or last four */
	char initial;
	enum index_kind index;
	char key[NAME_NORM_MAX + 8];
};

static int query_parse(const char *text, struct query *q, struct folio_err *e)
{
	size_t n = strlen(text);
	char buf[256];
	const char *comma;

	memset(q, 0, sizeof *q);
	while (n && isspace((unsigned char)text[n - 1]))
		n--;
	while (n && isspace((unsigned char)*text)) {
		text++;
		n--;
	}
	if (n == 0)
		return err_set(e, FOLIO_EUSAGE, "type a name (LAST,FIRST), an MRN, a date of birth or last four");
	if (n >= sizeof buf)
		return err_set(e, FOLIO_EUSAGE, "the lookup is too long");
	memcpy(buf, text, n);
	buf[n] = '\0';
	if (n == 8 && strspn(buf, "0123456789") == 8) {
		if (mrn_valid(buf) != 0)
			return err_set(e, FOLIO_EUSAGE, "%s is not a valid MRN: its check digit is wrong (mistyped?)", buf);
		q->kind = Q_MRN;
		str_copy(q->value, sizeof q->value, buf);
		return FOLIO_OK;
	}
	if (n == 4 && strspn(buf, "0123456789") == 4) {
		q->kind = Q_LAST4;
		str_copy(q->value, sizeof q->value, buf);
		q->index = IX_LAST4;
		str_copy(q->key, sizeof q->key, buf);
		return FOLIO_OK;
	}
	if (n == 5 && isalpha((unsigned char)buf[0]) && strspn(buf + 1, "0123456789") == 4) {
		q->kind = Q_INITIAL_LAST4;
		q->initial = (char)toupper((unsigned char)buf[0]);
		str_copy(q->value, sizeof q->value, buf + 1);
		q->index = IX_LAST4;
		str_copy(q->key, sizeof q->key, buf + 1);
		return FOLIO_OK;
	}
	if (strpbrk(buf, "0123456789")) {
		char d[11];
		if (date_parse(buf, date_today(), d, NULL) == FOLIO_OK) {
			q->kind = Q_DOB;
			str_copy(q->value, sizeof q->value, d);
			q->index = IX_DOB;
			str_copy(q->key, sizeof q->key, d);
			return FOLIO_OK;
		}
		/* The typed text is not repeated: a failed lookup's message is
		 * audited, and what was typed may be part of a date of birth. */
		return err_set(e, FOLIO_EUSAGE,
			       "with digits, type an MRN (8 digits), a date of birth, last four digits,"
			       " or an initial and last four");
	}
	q->kind = Q_NAME;
	comma = strchr(buf, ',');
	if (comma)
		buf[comma - buf] = '\0';
	if (name_normalize(buf, q->last, sizeof q->last) < 0 ||
	    (comma && name_normalize(comma + 1, q->first, sizeof q->first) < 0))
		return err_set(e, FOLIO_EUSAGE, "the lookup is not valid UTF-8 text");
	smem_wipe(buf, sizeof buf);
	if (strlen(q->last) < 2)
		return err_set(e, FOLIO_EUSAGE,
			       "type at least two letters of the last name (one letter matches too many"
			       " charts), or an initial and last four, e.g. S1234");
	if (strlen(q->last) >= 3 && q->first[0]) {
		q->index = IX_PREFIX3_INIT;
		snprintf(q->key, sizeof q->key, "%.3s,%c", q->last, q->first[0]);
	} else if (strlen(q->last) >= 3) {
		q->index = IX_PREFIX3;
		snprintf(q->key, sizeof q->key, "%.3s", q->last);
	} else {
		q->index = IX_PREFIX2;
		snprintf(q->key, sizeof q->key, "%.2s", q->last);
	}
	return FOLIO_OK;
}

static int starts(const char *s, const char *pre)
{
	return strncmp(s, pre, strlen(pre)) == 0;
}

/* Score of a decrypted candidate for the query; < 0 when it does not match. */
static int score_of(const struct query *q, const struct patient *p)
{
	char tokens[NAME_TOKENS_MAX][NAME_NORM_MAX], first[NAME_NORM_MAX], pref[NAME_NORM_MAX];
	int nt, score = -1;

	switch (q->kind) {
	case Q_MRN:
		return 100;
	case Q_DOB:
		return strcmp(p->v[PF_DOB], q->value) == 0 ? 100 : -1;
	case Q_LAST4:
	case Q_INITIAL_LAST4: {
		static const enum patient_field f4[] = { PF_PHONE, PF_MOBILE, PF_SSN };
		char l4[5];
		for (size_t i = 0; i < ARRAY_SIZE(f4) && score < 0; i++) {
			last_four(p->v[f4[i]], l4);
			if (strcmp(l4, q->value) == 0)
				score = f4[i] == PF_SSN ? 90 : 100;
		}
		if (score >= 0 && q->kind == Q_INITIAL_LAST4) {
			char norm[NAME_NORM_MAX];
			if (name_normalize(p->v[PF_LAST], norm, sizeof norm) <= 0 || norm[0] != q->initial)
				score = -1;
		}
		return score;
	}
	case Q_NAME:
		break;
	}
	nt = name_tokens(p->v[PF_LAST], tokens, NAME_TOKENS_MAX);
	for (int t = 0; t < nt; t++) {
		int s = -1;
		if (strcmp(tokens[t], q->last) == 0)
			s = t == 0 ? 100 : 90;
		else if (starts(tokens[t], q->last))
			s = t == 0 ? 60 : 50;
		if (s > score)
			score = s;
	}
	if (score >= 0 && q->first[0]) {
		name_normalize(p->v[PF_FIRST], first, sizeof first);
		name_normalize(p->v[PF_PREFERRED], pref, sizeof pref);
		if (strcmp(first, q->first) == 0 || strcmp(pref, q->first) == 0)
			score += 20;
		else if (starts(first, q->first) || (pref[0] && starts(pref, q->first)))
			score += 10;
		else
			score = -1;
		smem_wipe(first, sizeof first);
		smem_wipe(pref, sizeof pref);
	}
	smem_wipe(tokens, sizeof tokens);
	return score;
}

static int hit_cmp(const struct patient_hit *a, const struct patient_hit *b)
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
	return strcmp(a->mrn, b->mrn);
}

static void hit_fill(struct patient_hit *h, const struct patient *p, const char *mrn, int restricted,
		     int test, int score)
{
	char l4[5] = "";

	str_copy(h->mrn, sizeof h->mrn, mrn);
	str_copy(h->last, sizeof h->last, p->v[PF_LAST]);
	str_copy(h->first, sizeof h->first, p->v[PF_FIRST]);
	str_copy(h->middle, sizeof h->middle, p->v[PF_MIDDLE]);
	str_copy(h->dob, sizeof h->dob, p->v[PF_DOB]);
	str_copy(h->sex, sizeof h->sex, p->v[PF_SEX]);
	last_four(p->v[PF_SSN][0] ? p->v[PF_SSN] : (p->v[PF_PHONE][0] ? p->v[PF_PHONE] : p->v[PF_MOBILE]), l4);
	str_copy(h->last4, sizeof h->last4, l4);
	h->restricted = restricted;
	h->test = test;
	h->score = score;
}

/* Keeps the best `max` hits in order (insertion into a sorted array). */
static void hit_keep(struct patient_hit *hits, size_t max, size_t *n, const struct patient_hit *h)
{
	size_t i = *n;

	if (max == 0)
		return;
	if (*n == max) {
		if (hit_cmp(h, &hits[max - 1]) >= 0)
			return;
		i = max - 1;
	} else {
		(*n)++;
	}
	while (i > 0 && hit_cmp(h, &hits[i - 1]) < 0) {
		hits[i] = hits[i - 1];
		i--;
	}
	hits[i] = *h;
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

/* What a bucket walk hands each decrypted candidate: the record, its plain
 * columns, and a secure hit slot to fill. */
struct candidate {
	const struct patient *p;
	const char *mrn;
	int restricted, test;
	struct patient_hit *slot;
};
typedef void candidate_fn(void *ctx, const struct candidate *c);

/* Decrypts every candidate a statement yields (id, mrn, restricted, test,
 * demographics), its parameters bound as (text) or (kind, tag). */
/* Working memory of one lookup, from the grant's secure scratch so that a
 * lookup makes no guarded allocation of its own. */
struct walk_mem {
	uint8_t blob[PATIENT_BLOB_MAX];
	struct patient p;
	struct patient_hit h;
	struct query q;
};

static struct walk_mem *walk_mem(struct grant *g, struct folio_err *e)
{
	struct walk_mem *m = grant_scratch(g, sizeof *m);

	if (!m)
		err_set(e, FOLIO_EFAIL, "out of secure memory");
	return m;
}

static int bucket_walk(struct grant *g, struct walk_mem *m, const char *sql, const char *text, int64_t kind,
		       uint32_t tag, candidate_fn *fn, void *ctx, struct folio_err *e)
{
	const struct keyring *kr = grant_keys(g);
	struct stmt *s = NULL;
	int rc;

	if ((rc = stmt_prepare(grant_store(g), sql, &s, e)))
		return rc;
	if (text) {
		stmt_bind_text(s, 1, text);
	} else {
		stmt_bind_int64(s, 1, kind);
		stmt_bind_int64(s, 2, tag);
	}
	/* one mprotect pair for the whole bucket, not one per record */
	keyring_pin(kr);
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		size_t len;
		const uint8_t *env = stmt_blob(s, 4, &len);
		struct candidate c = { &m->p, stmt_text(s, 1), (int)stmt_int64(s, 2), (int)stmt_int64(s, 3), &m->h };

		if ((rc = patient_open(kr, stmt_int64(s, 0), env, len, m->blob, &m->p, e)))
			break;
		fn(ctx, &c);
	}
	keyring_unpin(kr);
	stmt_finalize(s);
	smem_wipe(&m->p, sizeof m->p);
	smem_wipe(&m->h, sizeof m->h);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

struct rank {
	const struct query *q;
	struct patient_hit *hits;
	size_t max, *n, *total;
};

static void rank_one(void *ctx, const struct candidate *c)
{
	struct rank *r = ctx;
	int score = score_of(r->q, c->p);

	if (score < 0)
		return;
	(*r->total)++;
	hit_fill(c->slot, c->p, c->mrn, c->restricted, c->test, score);
	hit_keep(r->hits, r->max, r->n, c->slot);
}

#define BUCKET_SQL "SELECT p.id, p.mrn, p.restricted, p.test_patient, p.demographics" \
		   " FROM patient_index i JOIN patients p ON p.id = i.patient_id" \
		   " WHERE i.kind = ? AND i.tag = ?"

int patient_find(struct grant *g, const char *text, struct patient_hit *hits, size_t max, size_t *n,
		 size_t *total, struct folio_err *e)
{
	const struct blinder *b;
	struct walk_mem *m;
	struct query *q;
	int rc;

	*n = 0;
	*total = 0;
	if (grant_action(g) != ACT_PATIENT_FIND)
		return err_set(e, FOLIO_EDENIED, "a lookup needs its own grant");
	if (!(m = walk_mem(g, e)))
		return FOLIO_EFAIL;
	q = &m->q;
	if ((rc = query_parse(text, q, e)) == FOLIO_OK) {
		struct rank r = { q, hits, max, n, total };
		if (q->kind == Q_MRN)
			rc = bucket_walk(g, m, "SELECT id, mrn, restricted, test_patient, demographics FROM patients"
					       " WHERE mrn = ?", q->value, 0, 0, rank_one, &r, e);
		else if (!(b = grant_blinder(g, e)))
			rc = e ? e->code : FOLIO_EDENIED;
		else
			rc = bucket_walk(g, m, BUCKET_SQL, NULL, q->index, tag_of(b, q->index, q->key), rank_one,
					 &r, e);
	}
	smem_wipe(q, sizeof *q);
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

struct dup {
	const struct patient *p;
	int kind, need_name, score;
	const char *value;
	struct patient_hit *hits;
	size_t max, *n;
};

static void dup_one(void *ctx, const struct candidate *c)
{
	struct dup *d = ctx;
	int match;

	if (d->kind == IX_PHONE) {
		char d1[32], d2[32], d3[32];
		digits_only(d->value, d1, sizeof d1);
		digits_only(c->p->v[PF_PHONE], d2, sizeof d2);
		digits_only(c->p->v[PF_MOBILE], d3, sizeof d3);
		match = strcmp(d1, d2) == 0 || strcmp(d1, d3) == 0;
	} else {
		match = strcmp(c->p->v[PF_DOB], d->value) == 0;
	}
	if (!match || (d->need_name && !similar_names(d->p, c->p)))
		return;
	/* already listed from an earlier bucket, with a better score */
	for (size_t i = 0; i < *d->n; i++)
		if (strcmp(d->hits[i].mrn, c->mrn) == 0)
			return;
	hit_fill(c->slot, c->p, c->mrn, c->restricted, c->test, d->score);
	hit_keep(d->hits, d->max, d->n, c->slot);
}

static int dup_bucket(struct grant *g, const struct patient *p, int kind, const char *value, int need_name,
		      int score, struct patient_hit *hits, size_t max, size_t *n, struct folio_err *e)
{
	const struct blinder *b = grant_blinder(g, e);
	struct dup d = { p, kind, need_name, score, value, hits, max, n };
	struct walk_mem *m = walk_mem(g, e);

	if (!b || !m)
		return e ? e->code : FOLIO_EFAIL;
	return bucket_walk(g, m, BUCKET_SQL, NULL, kind, tag_of(b, (enum index_kind)kind, value), dup_one, &d, e);
}

int patient_duplicates(struct grant *g, const struct patient *p, struct patient_hit *hits, size_t max,
		       size_t *n, struct folio_err *e)
{
	static const enum patient_field phones[] = { PF_PHONE, PF_MOBILE };
	int rc = FOLIO_OK, y, m, d;

	*n = 0;
	if (grant_action(g) != ACT_PATIENT_ADD && grant_action(g) != ACT_PATIENT_EDIT &&
	    grant_action(g) != ACT_IMPORT_RUN)
		return err_set(e, FOLIO_EDENIED, "the duplicate check runs under registration");
	if (p->v[PF_DOB][0]) {
		if ((rc = dup_bucket(g, p, IX_DOB, p->v[PF_DOB], 1, 100, hits, max, n, e)))
			return rc;
		/* day and month swapped: 1962-03-04 vs 1962-04-03 */
		if (sscanf(p->v[PF_DOB], "%d-%d-%d", &y, &m, &d) == 3 && m != d && d <= 12) {
			char sw[11];
			if (date_days(y, d, m) != DATE_INVALID) {
				snprintf(sw, sizeof sw, "%04d-%02d-%02d", y, d, m);
				if ((rc = dup_bucket(g, p, IX_DOB, sw, 1, 80, hits, max, n, e)))
					return rc;
			}
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(phones); i++) {
		char dg[32];
		digits_only(p->v[phones[i]], dg, sizeof dg);
		if (strlen(dg) >= 7 && (rc = dup_bucket(g, p, IX_PHONE, dg, 0, 70, hits, max, n, e)))
			return rc;
	}
	return rc;
}
