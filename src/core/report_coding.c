/* folio — the reports that read the sealed coding of each encounter
 * (top-dx, top-drg, cmi): one walk over the encounters discharged or closed
 * in the period, each opened with coding_stored() under the report's one
 * grant, tallied by a key (a code, a DRG, a month). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coding_internal.h"
#include "folio/codes.h"
#include "folio/coding.h"
#include "folio/util.h"
#include "report_internal.h"

struct tally {
	char key[16];
	long n;
	double sum;
};
struct tallies {
	struct tally *t;
	size_t n, cap;
	long total;    /* encounters that counted */
	long skipped;  /* cmi: grouped, but their DRG has no weight */
};

static struct tally *tally_of(struct tallies *ts, const char *key, struct folio_err *e)
{
	for (size_t i = 0; i < ts->n; i++)
		if (strcmp(ts->t[i].key, key) == 0)
			return &ts->t[i];
	if (ts->n == ts->cap) {
		size_t cap = ts->cap ? ts->cap * 2 : 64;
		struct tally *t = realloc(ts->t, cap * sizeof *t);
		if (!t)
			return err_set(e, FOLIO_EFAIL, "out of memory"), NULL;
		ts->t = t;
		ts->cap = cap;
	}
	memset(&ts->t[ts->n], 0, sizeof ts->t[0]);
	str_copy(ts->t[ts->n].key, sizeof ts->t[0].key, key);
	return &ts->t[ts->n++];
}

/* Adds one to key's count and w to its sum. */
static int tally_add(struct tallies *ts, const char *key, double w, struct folio_err *e)
{
	struct tally *t = tally_of(ts, key, e);

	if (!t)
		return FOLIO_EFAIL;
	t->n++;
	t->sum += w;
	ts->total++;
	return FOLIO_OK;
}

/* Most first, then by key. */
static int by_count(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;
	return x->n != y->n ? (x->n < y->n ? 1 : -1) : strcmp(x->key, y->key);
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct tally *)a)->key, ((const struct tally *)b)->key);
}

/* What one coded encounter adds: ended is its discharge time. */
typedef int (*coding_fn)(struct grant *g, const struct coding *c, const char *ended, struct tallies *ts,
			 struct folio_err *e);

/* Every coded encounter ended in the period (inpatients only when
 * inpatient), through fn. */
static int walk(struct grant *g, const struct report_period *p, int inpatient, coding_fn fn, struct tallies *ts,
		struct folio_err *e)
{
	struct coding *c = coding_new();
	struct stmt *s = NULL;
	int rc;

	if (!c)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = stmt_prepare(grant_store(g),
			       "SELECT e.id, e.ended_at FROM encounters e JOIN encounter_coding k ON k.encounter_id = e.id"
			       " WHERE e.ended_at IS NOT NULL AND substr(e.ended_at, 1, 10) BETWEEN ?1 AND ?2"
			       " AND ((e.kind = 'inpatient' AND e.state = 'discharged')"
			       " OR (?3 = 0 AND e.kind <> 'inpatient' AND e.state = 'closed')) ORDER BY e.id",
			       &s, e)))
		goto out;
	stmt_bind_text(s, 1, p->from);
	stmt_bind_text(s, 2, p->to);
	stmt_bind_int64(s, 3, inpatient);
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		char ended[32];
		str_copy(ended, sizeof ended, stmt_text(s, 1));
		if ((rc = coding_stored(g, stmt_int64(s, 0), c, e)) || (rc = fn(g, c, ended, ts, e)))
			break;
	}
	if (rc == STMT_DONE)
		rc = FOLIO_OK;
out:
	if (s)
		stmt_finalize(s);
	coding_free(c);
	return rc;
}

static int dx_one(struct grant *g, const struct coding *c, const char *ended, struct tallies *ts,
		  struct folio_err *e)
{
	(void)g, (void)ended;
	return c->pdx[0] ? tally_add(ts, c->pdx, 0, e) : FOLIO_OK;
}

static int drg_one(struct grant *g, const struct coding *c, const char *ended, struct tallies *ts,
		   struct folio_err *e)
{
	char key[16];

	(void)g, (void)ended;
	if (!c->group.grouped)
		return FOLIO_OK;
	snprintf(key, sizeof key, "%03d", c->group.r.final_drg);
	return tally_add(ts, key, 0, e);
}

/* The weights of the FY of discharge, else the latest loaded. */
static int cmi_one(struct grant *g, const struct coding *c, const char *ended, struct tallies *ts,
		   struct folio_err *e)
{
	struct codes_weight w;
	struct folio_err ignore = { 0 };
	char day[11], month[8];

	(void)e;
	if (!c->group.grouped)
		return FOLIO_OK;
	str_copy(day, sizeof day, ended);
	str_copy(month, sizeof month, ended);
	if (codes_drg_weight(g, codes_fy_for_date(day), c->group.r.final_drg, &w, &ignore) != FOLIO_OK &&
	    codes_drg_weight(g, 0, c->group.r.final_drg, &w, &ignore) != FOLIO_OK) {
		ts->skipped++;
		return FOLIO_OK;
	}
	return tally_add(ts, month, w.weight, e);
}

static void percent(char out[REPORT_CELL], long n, long total)
{
	snprintf(out, REPORT_CELL, "%.1f", total ? 100.0 * (double)n / (double)total : 0.0);
}

/* The first REPORT_TOP rows of a top list: rank, fill's cells, count
 * (in column ncol) and percent (the last column). */
static int top_rows(struct grant *g, const struct report_period *p, int inpatient, coding_fn fn,
		    void (*fill)(struct grant *, const struct tally *, report_row *), int ncol, const char *what,
		    struct report_table *t, struct folio_err *e)
{
	struct tallies ts = { 0 };
	int rc = walk(g, p, inpatient, fn, &ts, e);

	if (!rc && ts.n)
		qsort(ts.t, ts.n, sizeof ts.t[0], by_count);
	for (size_t i = 0; !rc && i < ts.n && i < REPORT_TOP; i++) {
		report_row *r = report_row_add(t, e);
		if (!r) {
			rc = FOLIO_EFAIL;
			break;
		}
		snprintf((*r)[0], REPORT_CELL, "%zu", i + 1);
		fill(g, &ts.t[i], r);
		snprintf((*r)[ncol], REPORT_CELL, "%ld", ts.t[i].n);
		percent((*r)[t->ncols - 1], ts.t[i].n, ts.total);
	}
	if (!rc)
		snprintf(t->summary, sizeof t->summary, "%ld %s, %zu distinct", ts.total, what, ts.n);
	free(ts.t);
	return rc;
}

static void dx_fill(struct grant *g, const struct tally *x, report_row *r)
{
	char dotted[CODES_DOTTED_MAX];

	(void)g;
	codes_format(CODES_ICD10CM, x->key, dotted);
	str_copy((*r)[1], REPORT_CELL, dotted);
}

static void drg_fill(struct grant *g, const struct tally *x, report_row *r)
{
	str_copy((*r)[1], REPORT_CELL, x->key);
	str_copy((*r)[2], REPORT_CELL, coding_drg_title(g, atoi(x->key)));
}

int report_top_dx(struct grant *g, const struct report_period *p, struct report_table *t, struct folio_err *e)
{
	return top_rows(g, p, 0, dx_one, dx_fill, 2, "coded encounters with a principal diagnosis", t, e);
}

int report_top_drg(struct grant *g, const struct report_period *p, struct report_table *t, struct folio_err *e)
{
	return top_rows(g, p, 1, drg_one, drg_fill, 3, "grouped inpatient discharges", t, e);
}

static int weights_loaded(struct grant *g, struct folio_err *e)
{
	struct codes_set_info sets[64];
	size_t n = 0;
	int rc;

	if ((rc = codes_sets(g, sets, 64, &n, e)))
		return rc;
	for (size_t i = 0; i < n && i < 64; i++)
		if (strcmp(sets[i].kind, "drg_weights") == 0)
			return FOLIO_OK;
	return err_set(e, FOLIO_EFAIL, "no DRG weights loaded: folio codes load DIR --weights FILE");
}

int report_cmi(struct grant *g, const struct report_period *p, struct report_table *t, struct folio_err *e)
{
	struct tallies ts = { 0 };
	double sum = 0;
	int rc;

	if ((rc = weights_loaded(g, e)) || (rc = walk(g, p, 1, cmi_one, &ts, e)))
		goto out;
	if (ts.n)
		qsort(ts.t, ts.n, sizeof ts.t[0], by_key);
	for (size_t i = 0; i < ts.n; i++) {
		report_row *r = report_row_add(t, e);
		if (!r) {
			rc = FOLIO_EFAIL;
			goto out;
		}
		sum += ts.t[i].sum;
		str_copy((*r)[0], REPORT_CELL, ts.t[i].key);
		snprintf((*r)[1], REPORT_CELL, "%ld", ts.t[i].n);
		snprintf((*r)[2], REPORT_CELL, "%.4f", ts.t[i].sum);
		snprintf((*r)[3], REPORT_CELL, "%.4f", ts.t[i].sum / (double)ts.t[i].n);
	}
	snprintf(t->summary, sizeof t->summary, "case mix index %.4f over %ld weighted inpatient discharges"
		 " (%ld grouped to a DRG without a weight left out)", ts.total ? sum / (double)ts.total : 0.0,
		 ts.total, ts.skipped);
out:
	free(ts.t);
	return rc;
}
