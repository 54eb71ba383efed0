/* folio — the Medicare Code Editor: date-ranged code attributes, age
 * ranges and discharge statuses from the MCE 2.0 tables, and the edits run
 * on a claim before it is grouped (include/folio/mce.h).
 *
 * The tables are date-ranged back to 2015 because a claim is edited by the
 * rules in force on its discharge date: CMS dropped the sex edits in FY2025,
 * so a FY2024 claim still gets them and a FY2026 claim does not. */
#include "folio/mce.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folio/date.h"
#include "folio/textfile.h"

/* The attributes the edits use, as bits.  Others in the tables (MSP, BMI,
 * MDC08 ...) drive no edit here and are not kept. */
#define MCE_ATTRS(_)                                                                               \
	_(MALE) _(FEMALE) _(ADULT) _(MATERNITY) _(NEWBORN) _(PEDIATRIC) _(MANIF) _(ECODEPDX)       \
	_(UNACCEPTABLE) _(UNSPECIFIED) _(QADM) _(REQSDX) _(WRNGPROC) _(NCOV) _(LCOV) _(BILATERAL) \
	_(BIOPSY) _(CSECT) _(VAGDEL)
enum {
#define MCE_ATTR_BIT(n) A_##n,
	MCE_ATTRS(MCE_ATTR_BIT)
#undef MCE_ATTR_BIT
	A_COUNT
};
#define BIT(a) (1u << (a))

struct mce_row {
	char code[DRG_CODE_MAX];
	int32_t from, to; /* day numbers, inclusive */
	uint32_t attrs;
};

struct mce_range {
	uint32_t attr; /* A_ADULT, A_MATERNITY ... */
	int32_t lo, hi, from, to;
};

struct mce_tables {
	struct mce_row *dx, *pcs;
	size_t ndx, npcs;
	struct mce_range *ages;
	size_t nages;
	struct mce_range *dstat; /* attr holds the status code */
	size_t ndstat;
};

static const char *const attr_names[] = {
#define MCE_ATTR_NAME(n) #n,
	MCE_ATTRS(MCE_ATTR_NAME)
#undef MCE_ATTR_NAME
};

static int attr_bit(const char *name, size_t n)
{
	/* Every non-covered (NCOV*) and limited-coverage (LCOV*, COV_*) flavour
	 * gets one bit: the edit's message is the same for all of them. */
	if (n >= 4 && strncmp(name, "NCOV", 4) == 0)
		return A_NCOV;
	if (n >= 4 && (strncmp(name, "LCOV", 4) == 0 || strncmp(name, "COV_", 4) == 0))
		return A_LCOV;
	for (int i = 0; i < A_COUNT; i++)
		if (strlen(attr_names[i]) == n && strncmp(attr_names[i], name, n) == 0)
			return i;
	return -1;
}

static int32_t day_of(const char *s)
{
	int y, m, d;
	char tail;
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return INT32_MIN;
	int64_t days = date_days(y, m, d);
	return days == DATE_INVALID ? INT32_MIN : (int32_t)days;
}

static int code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 3 || n >= DRG_CODE_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isupper((unsigned char)s[i]) && !isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int row_cmp(const void *a, const void *b)
{
	const struct mce_row *x = a, *y = b;
	int c = strcmp(x->code, y->code);
	return c ? c : (x->from > y->from) - (x->from < y->from);
}

/* Parses one line's fields into a row; 0, or -1 when it is malformed. */
typedef int row_parse_fn(char **c, int nf, void *row);

/* Reads a table with a header line into an array of rows of `size` bytes,
 * refusing it at the first malformed line with FILE:LINE. */
static int table_read(const char *dir, const char *name, size_t size, row_parse_fn *parse,
		      const char *what, void **out, size_t *nout, struct folio_err *e)
{
	struct textfile f;
	int rc = textfile_read(dir, name, &f, e);
	if (rc)
		return rc;
	size_t cap = 256, n = 0;
	unsigned char *rows = malloc(cap * size);
	char *buf = malloc(f.len + 1);
	struct textline l = { 0 };
	if (!rows || !buf) {
		rc = err_set(e, FOLIO_EFAIL, "out of memory reading %s", f.path);
		goto out;
	}
	while (textfile_next(&f, &l)) {
		char *c[6];
		if (l.lineno == 1 || l.len == 0)
			continue; /* the column titles */
		if (n == cap) {
			unsigned char *nr = realloc(rows, 2 * cap * size);
			if (!nr) {
				rc = err_set(e, FOLIO_EFAIL, "out of memory reading %s", f.path);
				goto out;
			}
			rows = nr;
			cap *= 2;
		}
		memset(rows + n * size, 0, size);
		if (parse(c, textline_split(&l, buf, c, 6), rows + n * size) != 0) {
			rc = err_set(e, FOLIO_EFAIL, "%s:%u: malformed %s line", f.path, l.lineno, what);
			goto out;
		}
		n++;
	}
	if (n == 0) {
		rc = err_set(e, FOLIO_EFAIL, "%s holds no rows", f.path);
		goto out;
	}
	*out = rows;
	*nout = n;
	rows = NULL;
out:
	free(rows);
	free(buf);
	textfile_free(&f);
	return rc;
}

/* code, effective_from, effective_to, attributes, raw flags */
static int parse_code(char **c, int nf, void *row)
{
	struct mce_row *r = row;
	if (nf < 4 || nf > 5 || !code_ok(c[0]))
		return -1;
	r->from = day_of(c[1]);
	r->to = day_of(c[2]);
	if (r->from == INT32_MIN || r->to == INT32_MIN || r->from > r->to)
		return -1;
	str_copy(r->code, sizeof r->code, c[0]);
	for (char *p = c[3]; *p;) {
		size_t w = strcspn(p, " ");
		int b = w ? attr_bit(p, w) : -1;
		if (b >= 0)
			r->attrs |= BIT(b);
		p += w;
		p += strspn(p, " ");
	}
	return 0;
}

/* The dates that close both range tables. */
static int parse_dates(char **c, struct mce_range *r)
{
	r->from = day_of(c[0]);
	r->to = day_of(c[1]);
	return r->from == INT32_MIN || r->to == INT32_MIN || r->from > r->to ? -1 : 0;
}

static int parse_long(const char *s, long lo, long hi, long *v)
{
	char *end;
	*v = strtol(s, &end, 10);
	return *s && !*end && *v >= lo && *v <= hi ? 0 : -1;
}

/* attribute, start_age, end_age, effective_from, effective_to */
static int parse_age(char **c, int nf, void *row)
{
	struct mce_range *r = row;
	long lo, hi;
	int b = nf == 5 ? attr_bit(c[0], strlen(c[0])) : -1;
	if (b < 0 || parse_long(c[1], 0, 200, &lo) || parse_long(c[2], lo, 200, &hi))
		return -1;
	r->attr = (uint32_t)b;
	r->lo = (int32_t)lo;
	r->hi = (int32_t)hi;
	return parse_dates(c + 3, r);
}

/* discharge_status, effective_from, effective_to */
static int parse_dstat(char **c, int nf, void *row)
{
	struct mce_range *r = row;
	long v;
	if (nf != 3 || parse_long(c[0], 0, 99, &v))
		return -1;
	r->attr = (uint32_t)v;
	return parse_dates(c + 1, r);
}

void mce_tables_free(struct mce_tables *t)
{
	if (!t)
		return;
	free(t->dx);
	free(t->pcs);
	free(t->ages);
	free(t->dstat);
	free(t);
}

int mce_tables_load(const char *dir, struct mce_tables **out, struct folio_err *e)
{
	char sub[512];
	struct textfile probe;
	*out = NULL;
	/* Accept the code-set root or mce_v43 itself. */
	snprintf(sub, sizeof sub, "%s/mce_v43", dir);
	struct folio_err ignore = { 0 };
	const char *d = dir;
	if (textfile_read(sub, "mce_age_ranges.tsv", &probe, &ignore) == FOLIO_OK) {
		textfile_free(&probe);
		d = sub;
	}
	struct mce_tables *t = calloc(1, sizeof *t);
	if (!t)
		return err_set(e, FOLIO_EFAIL, "out of memory");
	int rc = table_read(d, "mce_i10dx.tsv", sizeof *t->dx, parse_code, "code", (void **)&t->dx, &t->ndx, e);
	if (!rc)
		rc = table_read(d, "mce_i10pcs.tsv", sizeof *t->pcs, parse_code, "code", (void **)&t->pcs,
				&t->npcs, e);
	if (!rc)
		rc = table_read(d, "mce_age_ranges.tsv", sizeof *t->ages, parse_age, "age-range",
				(void **)&t->ages, &t->nages, e);
	if (!rc)
		rc = table_read(d, "mce_discharge_status.tsv", sizeof *t->dstat, parse_dstat, "discharge-status",
				(void **)&t->dstat, &t->ndstat, e);
	if (!rc) {
		qsort(t->dx, t->ndx, sizeof *t->dx, row_cmp);
		qsort(t->pcs, t->npcs, sizeof *t->pcs, row_cmp);
	}
	if (rc) {
		mce_tables_free(t);
		return rc;
	}
	*out = t;
	return FOLIO_OK;
}

/* ---- packed form: "FMCE", format 1, four counts, the arrays, FNV-1a ---- */

#define PACK_MAGIC "FMCE"
#define PACK_FORMAT 1u

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

int mce_tables_pack(const struct mce_tables *t, unsigned char **blob, size_t *len,
		    struct folio_err *e)
{
	size_t head = 4 + 4 + 4 * 8;
	size_t body = t->ndx * sizeof *t->dx + t->npcs * sizeof *t->pcs +
		      (t->nages + t->ndstat) * sizeof(struct mce_range);
	unsigned char *b = malloc(head + body + 8);
	if (!b)
		return err_set(e, FOLIO_EFAIL, "out of memory packing the MCE tables");
	uint32_t fmt = PACK_FORMAT;
	uint64_t counts[4] = { t->ndx, t->npcs, t->nages, t->ndstat };
	unsigned char *p = b;
	memcpy(p, PACK_MAGIC, 4), p += 4;
	memcpy(p, &fmt, 4), p += 4;
	memcpy(p, counts, sizeof counts), p += sizeof counts;
	memcpy(p, t->dx, t->ndx * sizeof *t->dx), p += t->ndx * sizeof *t->dx;
	memcpy(p, t->pcs, t->npcs * sizeof *t->pcs), p += t->npcs * sizeof *t->pcs;
	memcpy(p, t->ages, t->nages * sizeof *t->ages), p += t->nages * sizeof *t->ages;
	memcpy(p, t->dstat, t->ndstat * sizeof *t->dstat), p += t->ndstat * sizeof *t->dstat;
	uint64_t h = fnv1a(b, (size_t)(p - b));
	memcpy(p, &h, 8), p += 8;
	*blob = b;
	*len = (size_t)(p - b);
	return FOLIO_OK;
}

static void *take(const unsigned char **p, const unsigned char *end, uint64_t n, size_t size)
{
	if (n > (uint64_t)(end - *p) / (size ? size : 1))
		return NULL;
	void *v = malloc(n * size + 1);
	if (v) {
		memcpy(v, *p, n * size);
		*p += n * size;
	}
	return v;
}

int mce_tables_unpack(const unsigned char *blob, size_t len, struct mce_tables **out,
		      struct folio_err *e)
{
	uint32_t fmt;
	uint64_t counts[4], h;
	*out = NULL;
	if (len < 48 || memcmp(blob, PACK_MAGIC, 4) != 0)
		return err_set(e, FOLIO_EFAIL, "the stored MCE tables are damaged (bad header)");
	memcpy(&h, blob + len - 8, 8);
	if (fnv1a(blob, len - 8) != h)
		return err_set(e, FOLIO_EFAIL, "the stored MCE tables are damaged (checksum)");
	memcpy(&fmt, blob + 4, 4);
	if (fmt != PACK_FORMAT)
		return err_set(e, FOLIO_EFAIL, "the stored MCE tables are format %u; run codes load again",
			       fmt);
	memcpy(counts, blob + 8, sizeof counts);
	const unsigned char *p = blob + 8 + sizeof counts, *end = blob + len - 8;
	struct mce_tables *t = calloc(1, sizeof *t);
	if (!t)
		return err_set(e, FOLIO_EFAIL, "out of memory");
	t->dx = take(&p, end, counts[0], sizeof *t->dx);
	t->pcs = t->dx ? take(&p, end, counts[1], sizeof *t->pcs) : NULL;
	t->ages = t->pcs ? take(&p, end, counts[2], sizeof *t->ages) : NULL;
	t->dstat = t->ages ? take(&p, end, counts[3], sizeof *t->dstat) : NULL;
	if (!t->dstat || p != end) {
		mce_tables_free(t);
		return err_set(e, FOLIO_EFAIL, "the stored MCE tables are damaged (sizes)");
	}
	t->ndx = counts[0];
	t->npcs = counts[1];
	t->nages = counts[2];
	t->ndstat = counts[3];
	for (size_t i = 0; i < t->ndx + t->npcs; i++) {
		struct mce_row *r = i < t->ndx ? &t->dx[i] : &t->pcs[i - t->ndx];
		if (memchr(r->code, 0, sizeof r->code) == NULL) {
			mce_tables_free(t);
			return err_set(e, FOLIO_EFAIL, "the stored MCE tables are damaged (codes)");
		}
	}
	*out = t;
	return FOLIO_OK;
}

/* ---- the edits ---- */

/* The row in force for code on day, or NULL when the code is not valid. */
static const struct mce_row *row_find(const struct mce_row *rows, size_t n, const char *code,
				      int32_t day)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(rows[mid].code, code) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n && strcmp(rows[lo].code, code) == 0; lo++)
		if (rows[lo].from <= day && day <= rows[lo].to)
			return &rows[lo];
	return NULL;
}

struct sink {
	struct mce_finding *out;
	int max, n;
};

static void PRINTF_LIKE(6, 7) add(struct sink *s, enum mce_edit edit, enum mce_where where,
				  int index, int fatal, const char *fmt, ...)
{
	if (s->n < s->max) {
		struct mce_finding *f = &s->out[s->n];
		va_list ap;
		f->edit = edit;
		f->where = where;
		f->index = index;
		f->fatal = fatal;
		va_start(ap, fmt);
		vsnprintf(f->message, sizeof f->message, fmt, ap);
		va_end(ap);
	}
	s->n++;
}

static const char *where_name(enum mce_where w, int i, char buf[32])
{
	switch (w) {
	case MCE_AT_PDX:
		return "the principal diagnosis";
	case MCE_AT_SDX:
		snprintf(buf, 32, "secondary diagnosis %d", i + 1);
		return buf;
	case MCE_AT_PROC:
		snprintf(buf, 32, "procedure %d", i + 1);
		return buf;
	default:
		return "the claim";
	}
}

static const char *age_label(int attr)
{
	switch (attr) {
	case A_NEWBORN:
		return "newborn";
	case A_PEDIATRIC:
		return "pediatric";
	case A_MATERNITY:
		return "maternity";
	default:
		return "adult";
	}
}

static void edit_age_sex(const struct mce_tables *t, const struct drg_claim *c, int32_t day,
			 const struct mce_row *r, enum mce_where w, int i, struct sink *s)
{
	char buf[32];
	static const int age_attrs[] = { A_NEWBORN, A_PEDIATRIC, A_MATERNITY, A_ADULT };
	if (c->age >= 0 && c->age <= 124)
		for (size_t k = 0; k < ARRAY_SIZE(age_attrs); k++) {
			if (!(r->attrs & BIT(age_attrs[k])))
				continue;
			for (size_t j = 0; j < t->nages; j++) {
				const struct mce_range *a = &t->ages[j];
				if ((int)a->attr != age_attrs[k] || day < a->from || day > a->to)
					continue;
				if (c->age < a->lo || c->age > a->hi)
					add(s, MCE_AGE_CONFLICT, w, i, 0,
					    "%s (%s) is a %s code (ages %d-%d) but the patient is %d: "
					    "check the code or the age",
					    where_name(w, i, buf), r->code, age_label(age_attrs[k]),
					    a->lo, a->hi, c->age);
			}
		}
	if ((r->attrs & BIT(A_MALE)) && c->sex == 'F')
		add(s, MCE_SEX_CONFLICT, w, i, 0,
		    "%s (%s) applies to male patients only, the patient is female: check the code "
		    "or the sex",
		    where_name(w, i, buf), r->code);
	if ((r->attrs & BIT(A_FEMALE)) && c->sex == 'M')
		add(s, MCE_SEX_CONFLICT, w, i, 0,
		    "%s (%s) applies to female patients only, the patient is male: check the code "
		    "or the sex",
		    where_name(w, i, buf), r->code);
}

static const struct mce_row *edit_code(const struct mce_tables *t, const struct drg_claim *c,
				       int32_t day, const char *code, enum mce_where w, int i,
				       struct sink *s)
{
	char buf[32];
	int proc = w == MCE_AT_PROC;
	const struct mce_row *r =
		proc ? row_find(t->pcs, t->npcs, code, day) : row_find(t->dx, t->ndx, code, day);
	if (!r) {
		add(s, MCE_INVALID_CODE, w, i, 1,
		    "%s (%s) is not a valid ICD-10-%s code on the discharge date: use a complete "
		    "(billable) code in force then",
		    where_name(w, i, buf), code[0] ? code : "empty", proc ? "PCS" : "CM");
		return NULL;
	}
	edit_age_sex(t, c, day, r, w, i, s);
	return r;
}

int mce_check(const struct mce_tables *t, const struct drg_claim *c, const char *date,
	      struct mce_finding *out, int max)
{
	struct sink s = { out, max, 0 };
	char buf[32];
	int32_t day = day_of(date ? date : "");
	if (day == INT32_MIN) {
		add(&s, MCE_INVALID_CODE, MCE_AT_CLAIM, 0, 1,
		    "no discharge date: the codes in force cannot be chosen until the encounter "
		    "is discharged or closed");
		return s.n;
	}
	if (c->age < 0 || c->age > 124)
		add(&s, MCE_INVALID_AGE, MCE_AT_CLAIM, 0, 1,
		    "age %d is outside 0-124: correct the date of birth", c->age);
	if (c->sex != 'M' && c->sex != 'F')
		add(&s, MCE_INVALID_SEX, MCE_AT_CLAIM, 0, 0,
		    "sex is not recorded as male or female: record it in the demographics");
	int dstat_ok = 0;
	for (size_t j = 0; j < t->ndstat; j++)
		if ((int)t->dstat[j].attr == c->discharge_status && t->dstat[j].from <= day &&
		    day <= t->dstat[j].to)
			dstat_ok = 1;
	if (!dstat_ok)
		add(&s, MCE_INVALID_DISCHARGE_STATUS, MCE_AT_CLAIM, 0, 1,
		    "discharge status %02d is not a valid UB-04 status on the discharge date: "
		    "record the patient's discharge status",
		    c->discharge_status);

	const struct mce_row *p = edit_code(t, c, day, c->pdx, MCE_AT_PDX, 0, &s);
	/* The principal's own edits, each with how to fix it (after the code). */
	static const struct {
		int attr;
		enum mce_edit edit;
		int fatal;
		const char *what;
	} pdx_edits[] = {
		{ A_ECODEPDX, MCE_E_CODE_AS_PDX, 1,
		  "is an external-cause code and cannot be principal: code the injury first and list "
		  "it as a secondary" },
		{ A_MANIF, MCE_MANIFESTATION_AS_PDX, 1,
		  "is a manifestation code and cannot be principal: sequence the underlying condition "
		  "first" },
		{ A_UNACCEPTABLE, MCE_UNACCEPTABLE_PDX, 1,
		  "is not acceptable as a principal diagnosis for inpatient care: choose the condition "
		  "that occasioned the admission" },
		{ A_REQSDX, MCE_REQUIRES_SDX, 0,
		  "requires a secondary diagnosis: add the condition it describes" },
		{ A_QADM, MCE_QUESTIONABLE_ADMISSION, 0,
		  "is a questionable reason for an inpatient admission: review the documentation" },
		{ A_UNSPECIFIED, MCE_UNSPECIFIED, 0,
		  "is unspecified: code the documented specificity (site, laterality, type) or query "
		  "the physician" },
		{ A_WRNGPROC, MCE_WRONG_PROCEDURE, 0,
		  "reports a wrong procedure performed: the claim needs review before billing" },
	};
	for (size_t k = 0; p && k < ARRAY_SIZE(pdx_edits); k++) {
		if (!(p->attrs & BIT(pdx_edits[k].attr)))
			continue;
		if (pdx_edits[k].edit == MCE_REQUIRES_SDX && c->nsdx > 0)
			continue;
		add(&s, pdx_edits[k].edit, MCE_AT_PDX, 0, pdx_edits[k].fatal, "%s %s", p->code, pdx_edits[k].what);
	}
	for (int i = 0; i < c->nsdx; i++) {
		const char *code = c->sdx[i].code;
		if (c->pdx[0] && strcmp(code, c->pdx) == 0) {
			add(&s, MCE_DUPLICATE_OF_PDX, MCE_AT_SDX, i, 0,
			    "%s repeats the principal diagnosis: remove it", where_name(MCE_AT_SDX, i, buf));
			continue;
		}
		int dup = 0;
		for (int j = 0; j < i; j++)
			dup |= strcmp(c->sdx[j].code, code) == 0;
		if (dup) {
			add(&s, MCE_DUPLICATE_CODE, MCE_AT_SDX, i, 0,
			    "%s repeats an earlier secondary (%s): remove it",
			    where_name(MCE_AT_SDX, i, buf), code);
			continue;
		}
		const struct mce_row *r = edit_code(t, c, day, code, MCE_AT_SDX, i, &s);
		if (r && (r->attrs & BIT(A_WRNGPROC)))
			add(&s, MCE_WRONG_PROCEDURE, MCE_AT_SDX, i, 0,
			    "%s reports a wrong procedure performed: the claim needs review before "
			    "billing",
			    r->code);
	}
	for (int i = 0; i < c->nproc; i++) {
		const struct mce_row *r = edit_code(t, c, day, c->proc[i], MCE_AT_PROC, i, &s);
		if (!r)
			continue;
		if (r->attrs & BIT(A_NCOV))
			add(&s, MCE_NON_COVERED, MCE_AT_PROC, i, 0,
			    "%s (%s) is not covered by Medicare in most circumstances: check coverage "
			    "before billing",
			    where_name(MCE_AT_PROC, i, buf), r->code);
		if (r->attrs & BIT(A_LCOV))
			add(&s, MCE_LIMITED_COVERAGE, MCE_AT_PROC, i, 0,
			    "%s (%s) has limited Medicare coverage: confirm the coverage criteria are "
			    "documented",
			    where_name(MCE_AT_PROC, i, buf), r->code);
		if (r->attrs & BIT(A_BIOPSY))
			add(&s, MCE_OPEN_BIOPSY, MCE_AT_PROC, i, 0,
			    "%s (%s) is an open biopsy: confirm the approach was open",
			    where_name(MCE_AT_PROC, i, buf), r->code);
		if (r->attrs & BIT(A_BILATERAL))
			add(&s, MCE_BILATERAL, MCE_AT_PROC, i, 0,
			    "%s (%s) is a bilateral procedure: confirm both sides were treated",
			    where_name(MCE_AT_PROC, i, buf), r->code);
	}
	return s.n;
}

const char *mce_edit_name(enum mce_edit edit)
{
	static const char *const names[MCE_EDIT_COUNT] = {
		[MCE_INVALID_CODE] = "INVALID_CODE",
		[MCE_SEX_CONFLICT] = "SEX_CONFLICT",
		[MCE_AGE_CONFLICT] = "AGE_CONFLICT",
		[MCE_MANIFESTATION_AS_PDX] = "MANIFESTATION_AS_PDX",
		[MCE_E_CODE_AS_PDX] = "E_CODE_AS_PDX",
		[MCE_UNACCEPTABLE_PDX] = "UNACCEPTABLE_PDX",
		[MCE_DUPLICATE_OF_PDX] = "DUPLICATE_OF_PDX",
		[MCE_DUPLICATE_CODE] = "DUPLICATE_CODE",
		[MCE_INVALID_AGE] = "INVALID_AGE",
		[MCE_INVALID_SEX] = "INVALID_SEX",
		[MCE_INVALID_DISCHARGE_STATUS] = "INVALID_DISCHARGE_STATUS",
		[MCE_REQUIRES_SDX] = "REQUIRES_SDX",
		[MCE_QUESTIONABLE_ADMISSION] = "QUESTIONABLE_ADMISSION",
		[MCE_NON_COVERED] = "NON_COVERED",
		[MCE_LIMITED_COVERAGE] = "LIMITED_COVERAGE",
		[MCE_OPEN_BIOPSY] = "OPEN_BIOPSY",
		[MCE_WRONG_PROCEDURE] = "WRONG_PROCEDURE_PERFORMED",
		[MCE_BILATERAL] = "BILATERAL",
		[MCE_UNSPECIFIED] = "UNSPECIFIED",
	};
	return edit >= 0 && edit < MCE_EDIT_COUNT && names[edit] ? names[edit] : "?";
}

void mce_tables_last_day(const struct mce_tables *t, char out[11])
{
	int32_t last = INT32_MIN;
	for (size_t i = 0; i < t->ndstat; i++)
		if (t->dstat[i].to > last)
			last = t->dstat[i].to;
	if (last == INT32_MIN)
		last = 0;
	date_format_days(last, out);
}
