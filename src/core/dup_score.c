/* folio — the comparison of two person records and the blocking keys of the
 * duplicate finder (include/folio/dupes.h).  Pure: no store, no keys, so the
 * unit tests and the bench measure exactly what the scan runs.  Also the
 * measurement against known truth and the Febrl reader it is measured on. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folio/dupes.h"
#include "folio/names.h"
#include "folio/smem.h"
#include "folio/util.h"

/* ---- normal forms ------------------------------------------------------ */

static void norm(const char *s, char *out, size_t cap)
{
	char buf[NAME_NORM_MAX];

	if (!s || name_normalize(s, buf, sizeof buf) <= 0)
		buf[0] = '\0';
	str_copy(out, cap, buf);
	smem_wipe(buf, sizeof buf);
}

static void digits(const char *s, char *out, size_t cap)
{
	size_t n = 0;

	for (; s && *s && n + 1 < cap; s++)
		if (isdigit((unsigned char)*s))
			out[n++] = *s;
	out[n] = '\0';
}

/* The last keep digits of s. */
static void digits_tail(const char *s, char *out, size_t cap, size_t keep)
{
	char d[40];
	size_t n;

	digits(s, d, sizeof d);
	n = strlen(d);
	str_copy(out, cap, n > keep ? d + n - keep : d);
}

/* Street address: the first token holding a digit is the house number,
 * the other words are normalised one by one (so their spaces survive). */
static void address_split(const char *s, char *no, size_t nocap, char *words, size_t wcap)
{
	char tok[128], nt[128];
	size_t w = 0;

	no[0] = words[0] = '\0';
	while (s && *s) {
		size_t n = 0;
		while (*s && (isspace((unsigned char)*s) || *s == ','))
			s++;
		while (*s && !isspace((unsigned char)*s) && *s != ',' && n + 1 < sizeof tok)
			tok[n++] = *s++;
		while (*s && !isspace((unsigned char)*s) && *s != ',')
			s++;
		tok[n] = '\0';
		if (!n)
			break;
		norm(tok, nt, sizeof nt);
		if (!nt[0])
			continue;
		if (!no[0] && strpbrk(nt, "0123456789")) {
			str_copy(no, nocap, nt);
			continue;
		}
		if (w + strlen(nt) + 2 > wcap)
			break;
		if (w)
			words[w++] = ' ';
		memcpy(words + w, nt, strlen(nt) + 1);
		w += strlen(nt);
	}
	smem_wipe(tok, sizeof tok);
	smem_wipe(nt, sizeof nt);
}

void dup_person_make(const struct dup_input *in, struct dup_person *p)
{
	char d[16];
	char s = in->sex ? (char)toupper((unsigned char)in->sex[0]) : 0;

	memset(p, 0, sizeof *p);
	norm(in->given, p->given, sizeof p->given);
	norm(in->middle, p->middle, sizeof p->middle);
	norm(in->family, p->family, sizeof p->family);
	name_soundex(p->given, p->given_sx);
	name_soundex(p->family, p->family_sx);
	digits(in->dob, d, sizeof d);
	if (strlen(d) == 8 || strlen(d) == 6 || strlen(d) == 4)
		str_copy(p->dob, sizeof p->dob, d);
	p->sex = (s == 'F' || s == 'M' || s == 'X') ? s : 0;
	digits_tail(in->phone, p->phone, sizeof p->phone, 10);
	if (strlen(p->phone) < 7)
		p->phone[0] = '\0';
	address_split(in->address, p->street_no, sizeof p->street_no, p->street, sizeof p->street);
	norm(in->city, p->city, sizeof p->city);
	digits(in->zip, d, sizeof d);
	if (strlen(d) >= 4)
		str_copy(p->zip, sizeof p->zip, d);
	digits(in->ssn, p->ssn, sizeof p->ssn);
	if (strlen(p->ssn) < 4)
		p->ssn[0] = '\0';
	smem_wipe(d, sizeof d);
}

/* ---- blocking ------------------------------------------------------------ */

enum key_kind { K_FAM_YEAR = 1, K_GIVEN_DOB, K_DOB, K_PHONE, K_ZIP_FAM, K_SSN_YEAR, K_NAMES, K_HOUSE_ZIP, K_SSN, K_GIVEN_FAM_YEAR };

/* FNV-1a over the kind and the value parts. */
static uint64_t key_of(int kind, const char *a, const char *b)
{
	uint64_t h = 1469598103934665603ULL;
	const char *parts[2] = { a, b };

	h = (h ^ (uint64_t)kind) * 1099511628211ULL;
	for (int i = 0; i < 2; i++) {
		for (const char *c = parts[i]; c && *c; c++)
			h = (h ^ (unsigned char)*c) * 1099511628211ULL;
		h = (h ^ 0xff) * 1099511628211ULL;
	}
	return h;
}

int dup_person_keys(const struct dup_person *p, uint64_t keys[DUP_KEYS_MAX])
{
	char year[5] = "", l4[5] = "", f3[4] = "";
	int n = 0;

	if (strlen(p->dob) >= 4)
		memcpy(year, p->dob, 4);
	if (p->ssn[0])
		str_copy(l4, sizeof l4, p->ssn + strlen(p->ssn) - 4);
	memcpy(f3, p->family, strlen(p->family) < 3 ? strlen(p->family) : 3);
	if (p->family_sx[0] && year[0])
		keys[n++] = key_of(K_FAM_YEAR, p->family_sx, year);
	if (p->given_sx[0] && strlen(p->dob) == 8)
		keys[n++] = key_of(K_GIVEN_DOB, p->given_sx, p->dob);
	if (strlen(p->dob) == 8)
		keys[n++] = key_of(K_DOB, p->dob, NULL);
	if (p->phone[0])
		keys[n++] = key_of(K_PHONE, p->phone, NULL);
	if (p->zip[0] && f3[0])
		keys[n++] = key_of(K_ZIP_FAM, p->zip, f3);
	if (l4[0] && year[0])
		keys[n++] = key_of(K_SSN_YEAR, l4, year);
	if (p->given_sx[0] && p->family_sx[0]) {
		/* either order: given and family names swapped */
		int lo = strcmp(p->given_sx, p->family_sx) < 0;
		keys[n++] = key_of(K_NAMES, lo ? p->given_sx : p->family_sx, lo ? p->family_sx : p->given_sx);
	}
	if (p->street_no[0] && p->zip[0])
		keys[n++] = key_of(K_HOUSE_ZIP, p->street_no, p->zip);
	if (strlen(p->ssn) >= 7)
		keys[n++] = key_of(K_SSN, p->ssn, NULL);
	if (p->given[0] && f3[0] && year[0]) {
		char g2[8];
		snprintf(g2, sizeof g2, "%.2s%s", p->given, f3);
		keys[n++] = key_of(K_GIVEN_FAM_YEAR, g2, year);
		smem_wipe(g2, sizeof g2);
	}
	smem_wipe(year, sizeof year);
	smem_wipe(l4, sizeof l4);
	smem_wipe(f3, sizeof f3);
	return n;
}

struct keyed {
	uint64_t key;
	uint32_t idx;
};

static int keyed_cmp(const void *x, const void *y)
{
	const struct keyed *a = x, *b = y;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

static int u64_cmp(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return (a > b) - (a < b);
}

static int pairs_push(uint64_t **v, size_t *n, size_t *cap, uint64_t code)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 4096;
		uint64_t *nv = realloc(*v, c * sizeof *nv);
		if (!nv)
			return -1;
		*v = nv;
		*cap = c;
	}
	(*v)[(*n)++] = code;
	return 0;
}

int dup_candidates(const struct dup_person *ps, size_t n, uint64_t **pairs, size_t *npairs)
{
	/* the keys are hashes of PHI: guarded memory, wiped on free */
	struct keyed *k = smem_alloc((n ? n : 1) * DUP_KEYS_MAX * sizeof *k);
	uint64_t *v = NULL, keys[DUP_KEYS_MAX];
	size_t nk = 0, nv = 0, cap = 0, u = 0;
	int rc = 0;

	*pairs = NULL;
	*npairs = 0;
	if (!k)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int c = dup_person_keys(&ps[i], keys);
		for (int j = 0; j < c; j++) {
			k[nk].key = keys[j];
			k[nk++].idx = (uint32_t)i;
		}
	}
	qsort(k, nk, sizeof *k, keyed_cmp);
	for (size_t s = 0, e; s < nk && rc == 0; s = e) {
		for (e = s + 1; e < nk && k[e].key == k[s].key; e++)
			;
		if (e - s > DUP_BLOCK_MAX)
			continue;
		for (size_t i = s; i < e && rc == 0; i++)
			for (size_t j = i + 1; j < e && rc == 0; j++)
				if (k[i].idx != k[j].idx)
					rc = pairs_push(&v, &nv, &cap, (uint64_t)k[i].idx << 32 | k[j].idx);
	}
	smem_free(k);
	if (rc) {
		free(v);
		return -1;
	}
	qsort(v, nv, sizeof *v, u64_cmp);
	for (size_t i = 0; i < nv; i++)
		if (u == 0 || v[i] != v[u - 1])
			v[u++] = v[i];
	*pairs = v;
	*npairs = u;
	return 0;
}

/* ---- comparison ---------------------------------------------------------- */

double dup_jaro_winkler(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), win, m = 0, t = 0, l = 0;
	unsigned char fa[128] = { 0 }, fb[128] = { 0 };
	double j;

	if (!la || !lb)
		return 0.0;
	if (la > sizeof fa)
		la = sizeof fa;
	if (lb > sizeof fb)
		lb = sizeof fb;
	win = (la > lb ? la : lb) / 2;
	win = win ? win - 1 : 0;
	for (size_t i = 0; i < la; i++) {
		size_t lo = i > win ? i - win : 0, hi = i + win + 1 < lb ? i + win + 1 : lb;
		for (size_t k = lo; k < hi; k++)
			if (!fb[k] && a[i] == b[k]) {
				fa[i] = fb[k] = 1;
				m++;
				break;
			}
	}
	if (!m)
		return 0.0;
	for (size_t i = 0, k = 0; i < la; i++) {
		if (!fa[i])
			continue;
		while (!fb[k])
			k++;
		if (a[i] != b[k])
			t++;
		k++;
	}
	j = ((double)m / (double)la + (double)m / (double)lb + ((double)m - (double)t / 2.0) / (double)m) / 3.0;
	while (l < 4 && l < la && l < lb && a[l] == b[l])
		l++;
	return j + (double)l * 0.1 * (1.0 - j);
}

enum level { L_MISSING, L_EXACT, L_CLOSE, L_PHONETIC, L_PARTIAL, L_DIFFER };

/* How two normalised names compare. */
static enum level name_level(const char *a, const char *b, const char *sa, const char *sb)
{
	double jw;

	if (!a[0] || !b[0])
		return L_MISSING;
	if (strcmp(a, b) == 0)
		return L_EXACT;
	jw = dup_jaro_winkler(a, b);
	if (jw >= 0.92 || name_distance(a, b, 1) <= 1)
		return L_CLOSE;
	if (sa[0] && strcmp(sa, sb) == 0)
		return L_PHONETIC;
	if (jw >= 0.8 || name_distance(a, b, 2) <= 2)
		return L_PARTIAL;
	return L_DIFFER;
}

/* weights per level: missing, exact, close, phonetic, partial, differ */
static const int w_family[] = { 0, 8, 6, 5, 2, -6 };
static const int w_given[] = { 0, 7, 5, 4, 2, -5 };

struct out {
	char *s;
	size_t cap, len;
	int score;
};

static void say(struct out *o, int w, const char *field, const char *mark)
{
	int n;

	o->score += w;
	if (!o->cap)
		return;
	n = snprintf(o->s + o->len, o->cap - o->len, "%s%s%s", o->len ? " " : "", field, mark);
	if (n > 0 && o->len + (size_t)n < o->cap)
		o->len += (size_t)n;
	else
		o->s[o->len] = '\0';
}

static const char *mark_of(enum level l)
{
	return l == L_EXACT ? "=" : l == L_DIFFER ? "!" : "~";
}

static void names(const struct dup_person *a, const struct dup_person *b, struct out *o)
{
	enum level f = name_level(a->family, b->family, a->family_sx, b->family_sx);
	enum level g = name_level(a->given, b->given, a->given_sx, b->given_sx);
	enum level sf = name_level(a->family, b->given, a->family_sx, b->given_sx);
	enum level sg = name_level(a->given, b->family, a->given_sx, b->family_sx);
	int straight = w_family[f] + w_given[g], swapped = w_family[sf] + w_given[sg] - 2;

	if (f != L_MISSING && g != L_MISSING && sf <= L_PHONETIC && sg <= L_PHONETIC && swapped > straight) {
		say(o, swapped, "name-swap", "");
	} else {
		/* one name missing here and present in the other field there:
		 * Febrl-style and real-life "the given name went into the surname" */
		if (f != L_MISSING)
			say(o, w_family[f], "family", mark_of(f));
		if (g != L_MISSING)
			say(o, w_given[g], "given", mark_of(g));
	}
	if (a->middle[0] && b->middle[0]) {
		if (strcmp(a->middle, b->middle) == 0)
			say(o, 2, "middle", "=");
		else if (a->middle[0] == b->middle[0])
			say(o, 1, "middle", "~");
		else
			say(o, -2, "middle", "!");
	}
}

/* Positions where two equal-length digit strings differ (up to 3). */
static int digit_diffs(const char *a, const char *b)
{
	int d = 0;

	if (strlen(a) != strlen(b))
		return 3;
	for (; *a && d < 3; a++, b++)
		d += *a != *b;
	return d;
}

static void dob(const struct dup_person *a, const struct dup_person *b, struct out *o)
{
	const char *x = a->dob, *y = b->dob;

	if (!x[0] || !y[0])
		return;
	if (strlen(x) == 8 && strlen(y) == 8) {
		int d = digit_diffs(x, y);
		if (d == 0)
			{ say(o, 9, "dob", "="); return; }
		if (memcmp(x, y, 4) == 0 && memcmp(x + 4, y + 6, 2) == 0 && memcmp(x + 6, y + 4, 2) == 0)
			{ say(o, 6, "dob-swap", ""); return; }
		if (d == 1)
			{ say(o, 6, "dob", "~"); return; }
		if (memcmp(x, y, 6) == 0 || (memcmp(x + 4, y + 4, 4) == 0 && digit_diffs(x, y) <= 2))
			{ say(o, 2, "dob", "~"); return; }
		if (memcmp(x, y, 4) == 0)
			{ say(o, 0, "dob-year", ""); return; }
		{ say(o, -6, "dob", "!"); return; }
	}
	/* a partial date: as far as both go */
	{
		size_t n = strlen(x) < strlen(y) ? strlen(x) : strlen(y);
		if (memcmp(x, y, n) == 0)
			{ say(o, n == 4 ? 1 : 3, "dob-year", ""); return; }
		{ say(o, -4, "dob", "!"); return; }
	}
}

static void sex(const struct dup_person *a, const struct dup_person *b, struct out *o)
{
	if (!a->sex || !b->sex)
		return;
	if (a->sex == b->sex)
		say(o, 1, "sex", "=");
	else
		say(o, -5, "sex", "!");
}

/* A number compared digit by digit: equal, one digit off, or differing. */
static void number(const char *x, const char *y, int w_eq, int w_one, int w_ne, const char *field, struct out *o)
{
	int d;

	if (!x[0] || !y[0])
		return;
	d = digit_diffs(x, y);
	if (d == 0)
		say(o, w_eq, field, "=");
	else if (d == 1 || (strlen(x) != strlen(y) && name_distance(x, y, 1) <= 1))
		say(o, w_one, field, "~");
	else
		say(o, w_ne, field, "!");
}

/* Street words compared as sets: how many of the shorter side's words have
 * a near twin on the other side. */
static void street(const struct dup_person *a, const struct dup_person *b, struct out *o)
{
	char wa[8][64], wb[8][64];
	int na = 0, nb = 0, m = 0;

	if (a->street_no[0] && b->street_no[0])
		number(a->street_no, b->street_no, 2, 1, -1, "number", o);
	if (!a->street[0] || !b->street[0])
		return;
	for (int side = 0; side < 2; side++) {
		const char *s = side ? b->street : a->street;
		char (*w)[64] = side ? wb : wa;
		int *n = side ? &nb : &na;
		while (*s && *n < 8) {
			size_t l = strcspn(s, " ");
			str_copy(w[*n], sizeof w[0], "");
			if (l < sizeof w[0]) {
				memcpy(w[*n], s, l);
				w[*n][l] = '\0';
				(*n)++;
			}
			s += l;
			s += *s == ' ';
		}
	}
	for (int i = 0; i < na; i++)
		for (int j = 0; j < nb; j++)
			if (dup_jaro_winkler(wa[i], wb[j]) >= 0.9) {
				m++;
				break;
			}
	if (m == na && na == nb)
		say(o, 4, "street", strcmp(a->street, b->street) == 0 ? "=" : "~");
	else if (m >= (na < nb ? na : nb))
		say(o, 3, "street", "~");
	else if (m)
		say(o, 1, "street", "~");
	else
		say(o, -2, "street", "!");
	smem_wipe(wa, sizeof wa);
	smem_wipe(wb, sizeof wb);
}

static void city(const struct dup_person *a, const struct dup_person *b, struct out *o)
{
	double jw;

	if (!a->city[0] || !b->city[0])
		return;
	jw = dup_jaro_winkler(a->city, b->city);
	if (strcmp(a->city, b->city) == 0)
		say(o, 3, "city", "=");
	else if (jw >= 0.9)
		say(o, 2, "city", "~");
	else
		say(o, -1, "city", "!");
}

int dup_compare(const struct dup_person *a, const struct dup_person *b, char *reasons, size_t cap)
{
	struct out o = { reasons, reasons ? cap : 0, 0, 0 };

	if (o.cap)
		reasons[0] = '\0';
	names(a, b, &o);
	dob(a, b, &o);
	sex(a, b, &o);
	number(a->phone, b->phone, 7, 4, -2, "phone", &o);
	street(a, b, &o);
	city(a, b, &o);
	number(a->zip, b->zip, 3, 1, -1, "zip", &o);
	number(a->ssn, b->ssn, 8, 5, -4, "ssn", &o);
	return o.score;
}

/* ---- measuring ------------------------------------------------------------ */

static int long_cmp(const void *x, const void *y)
{
	long a = *(const long *)x, b = *(const long *)y;
	return (a > b) - (a < b);
}

static double ratio(size_t a, size_t b)
{
	return b ? (double)a / (double)b : 1.0;
}

int dup_measure(const struct dup_person *ps, const long *truth, size_t n, int threshold, struct dup_quality *q)
{
	long *t = malloc((n ? n : 1) * sizeof *t);
	uint64_t *pairs;
	size_t np;

	memset(q, 0, sizeof *q);
	if (!t)
		return -1;
	/* true pairs: k records of one person make k(k-1)/2 */
	memcpy(t, truth, n * sizeof *t);
	qsort(t, n, sizeof *t, long_cmp);
	for (size_t s = 0, e; s < n; s = e) {
		for (e = s + 1; e < n && t[e] == t[s]; e++)
			;
		q->true_pairs += (e - s) * (e - s - 1) / 2;
	}
	free(t);
	if (dup_candidates(ps, n, &pairs, &np))
		return -1;
	q->records = n;
	q->candidates = np;
	for (size_t i = 0; i < np; i++) {
		size_t a = (size_t)(pairs[i] >> 32), b = (size_t)(pairs[i] & 0xffffffffu);
		int same = truth[a] == truth[b];
		q->true_candidates += same;
		if (dup_compare(&ps[a], &ps[b], NULL, 0) >= threshold) {
			q->predicted++;
			q->true_predicted += same;
		}
	}
	free(pairs);
	q->completeness = ratio(q->true_candidates, q->true_pairs);
	q->reduction = n > 1 ? 1.0 - (double)np / ((double)n * (double)(n - 1) / 2.0) : 0.0;
	q->precision = ratio(q->true_predicted, q->predicted);
	q->recall = ratio(q->true_predicted, q->true_pairs);
	q->f1 = q->precision + q->recall > 0 ? 2 * q->precision * q->recall / (q->precision + q->recall) : 0;
	return 0;
}

/* ---- the Febrl reader ------------------------------------------------------ */

/* Splits line into at most max fields at ',' and skips the spaces that
 * follow each separator; trailing newline dropped.  Returns the count. */
static int csv_split(char *line, char **f, int max)
{
	int n = 0;
	char *s = line;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < max) {
		while (*s == ' ')
			s++;
		f[n++] = s;
		if (!(s = strchr(s, ',')))
			break;
		*s++ = '\0';
	}
	return n;
}

int dup_febrl_load(const char *path, struct dup_person **ps, long **truth, size_t *n)
{
	FILE *fp = fopen(path, "r");
	char line[1024], addr[400], dob[16];
	char *f[11];
	size_t cap = 0, k = 0;
	struct dup_person *v = NULL;
	long *t = NULL;

	*ps = NULL;
	*truth = NULL;
	*n = 0;
	if (!fp)
		return -1;
	if (!fgets(line, sizeof line, fp) || strncmp(line, "rec_id", 6) != 0) {
		fclose(fp);
		errno = EINVAL;
		return -1;
	}
	while (fgets(line, sizeof line, fp)) {
		struct dup_input in = { 0 };
		if (csv_split(line, f, 11) != 11 || strncmp(f[0], "rec-", 4) != 0)
			continue;
		if (k == cap) {
			size_t c = cap ? cap * 2 : 1024;
			struct dup_person *nv = realloc(v, c * sizeof *nv);
			long *nt = realloc(t, c * sizeof *nt);
			if (nv)
				v = nv;
			if (nt)
				t = nt;
			if (!nv || !nt) {
				free(v);
				free(t);
				fclose(fp);
				errno = ENOMEM;
				return -1;
			}
			cap = c;
		}
		t[k] = strtol(f[0] + 4, NULL, 10);
		snprintf(addr, sizeof addr, "%s %s, %s", f[3], f[4], f[5]);
		snprintf(dob, sizeof dob, "%s", strlen(f[9]) == 8 ? f[9] : "");
		in.given = f[1];
		in.family = f[2];
		in.address = addr;
		in.city = f[6];
		in.zip = f[7];
		in.dob = dob;
		in.ssn = f[10];
		dup_person_make(&in, &v[k++]);
	}
	fclose(fp);
	*ps = v;
	*truth = t;
	*n = k;
	return 0;
}
