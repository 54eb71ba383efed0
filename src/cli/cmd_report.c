/* folio — department reports from the command line: `report NAME [--from D]
 * [--to D] [--csv]` (src/core/report*.c does the counting) printed as
 * 132-column text (title, period, table, and for a trend a bar chart of
 * `#` scaled to the widest bar) or as CSV with a header.  Runs under one
 * report.run grant (supervisors).  `report access` stays in
 * cmd_disclosure.c, which hands every other name here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "folio/date.h"
#include "folio/deid.h"
#include "folio/report.h"

#define REPORT_WIDTH 132

struct rep {
	enum report_kind kind;
	const char *from, *to;
	int csv;
	char from_d[11], to_d[11];
};

static int numeric(const char *s)
{
	char *end;

	if (!s[0])
		return 0;
	(void)strtod(s, &end);
	return *end == '\0';
}

static void print_csv(const struct report_table *t)
{
	deid_csv_row(stdout, t->cols, (size_t)t->ncols);
	for (size_t i = 0; i < t->nrows; i++) {
		const char *row[REPORT_COLS];
		for (int j = 0; j < t->ncols; j++)
			row[j] = t->rows[i][j];
		deid_csv_row(stdout, row, (size_t)t->ncols);
	}
}

/* The leading label columns of row i, joined by a space. */
static void label_of(const struct report_table *t, size_t i, char *out, size_t cap)
{
	out[0] = '\0';
	for (int j = 0; j < t->label_cols; j++) {
		size_t n = strlen(out);
		snprintf(out + n, cap - n, "%s%s", j ? " " : "", t->rows[i][j]);
	}
}

static void print_chart(const struct report_table *t)
{
	char label[2 * REPORT_CELL + 2];
	int lw = 0, vw = 0;
	double max = 0;

	for (size_t i = 0; i < t->nrows; i++) {
		double v = strtod(t->rows[i][t->bar_col], NULL);
		label_of(t, i, label, sizeof label);
		if ((int)strlen(label) > lw)
			lw = (int)strlen(label);
		if ((int)strlen(t->rows[i][t->bar_col]) > vw)
			vw = (int)strlen(t->rows[i][t->bar_col]);
		if (v > max)
			max = v;
	}
	int room = REPORT_WIDTH - lw - vw - 4;
	if (room < 10)
		room = 10;
	printf("\n%s\n", t->cols[t->bar_col]);
	for (size_t i = 0; i < t->nrows; i++) {
		double v = strtod(t->rows[i][t->bar_col], NULL);
		int n = max > 0 ? (int)(v / max * room + 0.5) : 0;
		if (n == 0 && v > 0)
			n = 1; /* a small count still shows */
		label_of(t, i, label, sizeof label);
		printf("%-*s |", lw, label);
		for (int k = 0; k < n; k++)
			putchar('#');
		printf(" %s\n", t->rows[i][t->bar_col]);
	}
}

static void print_text(const struct report_table *t)
{
	int w[REPORT_COLS] = { 0 }, right[REPORT_COLS];

	printf("%s\n", t->title);
	printf("Period: %s to %s\n\n", t->from[0] ? t->from : "the beginning", t->to[0] ? t->to : "today");
	for (int j = 0; j < t->ncols; j++) {
		w[j] = (int)strlen(t->cols[j]);
		right[j] = t->nrows > 0;
		for (size_t i = 0; i < t->nrows; i++) {
			if ((int)strlen(t->rows[i][j]) > w[j])
				w[j] = (int)strlen(t->rows[i][j]);
			right[j] &= numeric(t->rows[i][j]) && j >= t->label_cols;
		}
	}
	for (int j = 0; j < t->ncols; j++)
		printf(right[j] ? "%s%*s" : "%s%-*s", j ? "  " : "", w[j], t->cols[j]);
	putchar('\n');
	for (size_t i = 0; i < t->nrows; i++) {
		for (int j = 0; j < t->ncols; j++)
			printf(right[j] ? "%s%*s" : "%s%-*s", j ? "  " : "", w[j], t->rows[i][j]);
		putchar('\n');
	}
	if (t->nrows == 0)
		printf("(nothing in this period)\n");
	if (t->summary[0])
		printf("\n%s\n", t->summary);
	if (t->trend && t->bar_col >= 0 && t->nrows > 0)
		print_chart(t);
}

static int do_report(struct cli *c, struct grant *g, void *ctx)
{
	struct rep *r = ctx;
	struct report_table t;
	int rc = report_run(g, r->kind, r->from, r->to, &t, &c->err);

	if (rc == 0) {
		if (r->csv)
			print_csv(&t);
		else
			print_text(&t);
	}
	report_table_free(&t);
	return rc;
}

/* A date option into out; 0 or 2 after saying why. */
static int period_date(struct cli *c, const char *opt, const char **v, char out[11])
{
	if (!*v)
		return 0;
	if (date_parse(*v, date_today(), out, &c->err) != FOLIO_OK)
		return cli_fail(2, "%s: %s", opt, c->err.msg);
	*v = out;
	return 0;
}

int cmd_report_run(struct cli *c, int argc, char **argv)
{
	struct rep r = { 0 };
	const struct cli_optdef defs[] = { { "--from", &r.from, NULL },
					   { "--to", &r.to, NULL },
					   { "--csv", NULL, &r.csv },
					   { NULL, NULL, NULL } };
	int k = report_kind_parse(argv[1]);

	if (k < 0)
		return cli_fail(2, "unknown report '%s'; the reports are:\n%s  access MRN     who looked at a chart\n",
				argv[1], report_kinds_help());
	r.kind = (enum report_kind)k;
	if (cli_options(c, argc, argv, 2, defs) || period_date(c, "--from", &r.from, r.from_d) ||
	    period_date(c, "--to", &r.to, r.to_d))
		return 2;
	if (r.from && r.to && strcmp(r.from, r.to) > 0)
		return cli_fail(2, "--to %s is before --from %s", r.to, r.from);
	return cli_grant(c, ACT_REPORT_RUN, NULL, "report", report_kind_name(r.kind), do_report, &r);
}
