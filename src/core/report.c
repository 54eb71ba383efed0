/* folio — department reports (include/folio/report.h): the table, the
 * dispatch, and the reports read from plain columns (discharges, coders,
 * deficiencies, disclosures).  The ones that open sealed coding are in
 * report_coding.c. */
#include "folio/report.h"

#include <stdlib.h>
#include <string.h>

#include "folio/util.h"
#include "report_internal.h"

static const char *const names[REPORT_KINDS] = {
	[REPORT_DISCHARGES] = "discharges", [REPORT_TOP_DX] = "top-dx",   [REPORT_TOP_DRG] = "top-drg",
	[REPORT_CMI] = "cmi",               [REPORT_CODERS] = "coders",   [REPORT_DEFICIENCIES] = "deficiencies",
	[REPORT_DISCLOSURES] = "disclosures",
};

int report_kind_parse(const char *name)
{
	for (int k = 0; name && k < REPORT_KINDS; k++)
		if (strcmp(name, names[k]) == 0)
			return k;
	return -1;
}

const char *report_kind_name(enum report_kind k)
{
	return k < REPORT_KINDS ? names[k] : "";
}

const char *report_kinds_help(void)
{
	return "  discharges     inpatient discharges and closed visits by month\n"
	       "  top-dx         the most frequent principal diagnoses\n"
	       "  top-drg        the most frequent MS-DRGs\n"
	       "  cmi            case mix index (mean DRG weight of inpatient discharges) by month\n"
	       "  coders         encounters coded per coder per month\n"
	       "  deficiencies   open and delinquent deficiencies by month of discharge and type\n"
	       "  disclosures    disclosures by purpose per month\n";
}

report_row *report_row_add(struct report_table *t, struct folio_err *e)
{
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		report_row *r = realloc(t->rows, cap * sizeof *r);
		if (!r)
			return err_set(e, FOLIO_EFAIL, "out of memory"), NULL;
		t->rows = r;
		t->cap = cap;
	}
	memset(t->rows[t->nrows], 0, sizeof t->rows[0]);
	return &t->rows[t->nrows++];
}

int report_rows_from(struct report_table *t, struct stmt *s, struct folio_err *e)
{
	int rc;

	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		report_row *r = report_row_add(t, e);
		if (!r) {
			rc = FOLIO_EFAIL;
			break;
		}
		for (int i = 0; i < t->ncols; i++)
			str_copy((*r)[i], REPORT_CELL, stmt_text(s, i));
	}
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

static void columns(struct report_table *t, const char *title, int label_cols, int bar_col, int trend,
		    const char *const *cols, int n)
{
	str_copy(t->title, sizeof t->title, title);
	t->ncols = n;
	for (int i = 0; i < n; i++)
		t->cols[i] = cols[i];
	t->label_cols = label_cols;
	t->bar_col = bar_col;
	t->trend = trend;
}

/* Runs sql binding the period as ?1 and ?2 (and extra, when given, as ?3),
 * rows into t. */
static int plain(struct grant *g, const struct report_period *p, const char *sql, const char *extra,
		 struct report_table *t, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if ((rc = stmt_prepare(grant_store(g), sql, &s, e)))
		return rc;
	stmt_bind_text(s, 1, p->from);
	stmt_bind_text(s, 2, p->to);
	if (extra)
		stmt_bind_text(s, 3, extra);
	return report_rows_from(t, s, e);
}

static int discharges(struct grant *g, const struct report_period *p, struct report_table *t, struct folio_err *e)
{
	static const char *const cols[] = { "month", "inpatient_discharges", "visits_closed", "total" };
	columns(t, "Discharges and closed visits by month", 1, 3, 1, cols, 4);
	return plain(g, p, "SELECT substr(ended_at, 1, 7) AS m,"
			   " sum(kind = 'inpatient' AND state = 'discharged'),"
			   " sum(kind <> 'inpatient' AND state = 'closed'), count(*) FROM encounters"
			   " WHERE ended_at IS NOT NULL AND ((kind = 'inpatient' AND state = 'discharged')"
			   " OR (kind <> 'inpatient' AND state = 'closed'))"
			   " AND substr(ended_at, 1, 10) BETWEEN ?1 AND ?2 GROUP BY m ORDER BY m", NULL, t, e);
}

static int coders(struct grant *g, const struct report_period *p, struct report_table *t, struct folio_err *e)
{
	static const char *const cols[] = { "month", "coder", "encounters_coded" };
	columns(t, "Coder productivity: encounters coded per coder per month", 2, 2, 1, cols, 3);
	return plain(g, p, "SELECT substr(coded_at, 1, 7) AS m, coded_by, count(*) FROM encounter_coding"
			   " WHERE substr(coded_at, 1, 10) BETWEEN ?1 AND ?2 GROUP BY m, coded_by"
			   " ORDER BY m, coded_by", NULL, t, e);
}

/* Delinquent as deficiency.c has it: open, on an encounter discharged or
 * closed more than the site's delinquent_days ago. */
static int deficiencies(struct grant *g, const struct report_period *p, struct report_table *t,
			struct folio_err *e)
{
	static const char *const cols[] = { "month", "type", "open", "delinquent" };
	char cut[32];

	columns(t, "Open and delinquent deficiencies by month of discharge and type", 2, 2, 1, cols, 4);
	time_utc_format(time_now() - (int64_t)grant_setting(g, "delinquent_days") * 86400, cut, sizeof cut);
	return plain(g, p, "SELECT substr(e.ended_at, 1, 7) AS m, d.rule, count(*), sum(e.ended_at < ?3)"
			   " FROM deficiencies d JOIN encounters e ON e.id = d.encounter_id"
			   " WHERE d.status IN ('incomplete', 'dictated', 'transcribed')"
			   " AND e.ended_at IS NOT NULL AND substr(e.ended_at, 1, 10) BETWEEN ?1 AND ?2"
			   " GROUP BY m, d.rule ORDER BY m, d.rule", cut, t, e);
}

/* A corrected entry counts once: as its newest version. */
static int disclosures(struct grant *g, const struct report_period *p, struct report_table *t,
		       struct folio_err *e)
{
	static const char *const cols[] = { "month", "purpose", "disclosures" };
	columns(t, "Disclosures by purpose per month", 2, 2, 1, cols, 3);
	return plain(g, p, "SELECT substr(disclosed_on, 1, 7) AS m, kind, count(*) FROM disclosures d"
			   " WHERE disclosed_on BETWEEN ?1 AND ?2 AND NOT EXISTS"
			   " (SELECT 1 FROM disclosures c WHERE c.corrects = d.id)"
			   " GROUP BY m, kind ORDER BY m, kind", NULL, t, e);
}

static int coded(struct grant *g, const struct report_period *p, struct report_table *t, struct folio_err *e,
		 int (*fn)(struct grant *, const struct report_period *, struct report_table *, struct folio_err *),
		 const char *title, const char *const *cols, int n, int label_cols, int bar_col, int trend)
{
	columns(t, title, label_cols, bar_col, trend, cols, n);
	return fn(g, p, t, e);
}

int report_run(struct grant *g, enum report_kind k, const char *from, const char *to, struct report_table *out,
	       struct folio_err *e)
{
	static const char *const dx_cols[] = { "rank", "icd10cm", "encounters", "percent" };
	static const char *const drg_cols[] = { "rank", "drg", "title", "discharges", "percent" };
	static const char *const cmi_cols[] = { "month", "discharges", "weighted", "cmi" };
	struct report_period p = { from && from[0] ? from : "0000-01-01", to && to[0] ? to : "9999-12-31" };

	memset(out, 0, sizeof *out);
	out->bar_col = -1;
	if (grant_action(g) != ACT_REPORT_RUN)
		return err_set(e, FOLIO_EDENIED, "reports need their own grant");
	if (strcmp(p.from, p.to) > 0)
		return err_set(e, FOLIO_EUSAGE, "the period ends (%s) before it starts (%s)", p.to, p.from);
	str_copy(out->from, sizeof out->from, from ? from : "");
	str_copy(out->to, sizeof out->to, to ? to : "");
	switch (k) {
	case REPORT_DISCHARGES:
		return discharges(g, &p, out, e);
	case REPORT_TOP_DX:
		return coded(g, &p, out, e, report_top_dx, "Most frequent principal diagnoses", dx_cols, 4, 2, 2, 0);
	case REPORT_TOP_DRG:
		return coded(g, &p, out, e, report_top_drg, "Most frequent MS-DRGs of inpatient discharges", drg_cols,
			     5, 2, 3, 0);
	case REPORT_CMI:
		return coded(g, &p, out, e, report_cmi, "Case mix index by month of discharge", cmi_cols, 4, 1, 3, 1);
	case REPORT_CODERS:
		return coders(g, &p, out, e);
	case REPORT_DEFICIENCIES:
		return deficiencies(g, &p, out, e);
	case REPORT_DISCLOSURES:
		return disclosures(g, &p, out, e);
	default:
		return err_set(e, FOLIO_EUSAGE, "unknown report");
	}
}

void report_table_free(struct report_table *t)
{
	free(t->rows);
	t->rows = NULL;
	t->nrows = t->cap = 0;
}
