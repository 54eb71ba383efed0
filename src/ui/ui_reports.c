/* folio — the interface's reports (issue 7): the department reports menu
 * (src/core/report*.c: a table of counts with a bar chart of `#` scaled to
 * the terminal) and, from the chart screen, a patient's disclosure ledger,
 * accounting of disclosures and (supervisors) access report.  Both show
 * through one scrollable text screen kept here; the chart's lines hold PHI
 * (recipients, descriptions) so they live in guarded memory. */
#include <curses.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folio/access_report.h"
#include "folio/date.h"
#include "folio/disclosure.h"
#include "folio/report.h"
#include "folio/smem.h"
#include "ui_internal.h"

#define SC_TOP 5 /* first scrolled row; rows 2..4 are the screen's heading */
#define DL_LINE 240
#define DL_MAX 600

/* ---- a scrollable screen of lines ----------------------------------------- */

struct scroll {
	const char *title, *hints, *help;
	char head[2][160];       /* rows 2 and 3 */
	int n, top;
	/* Line i as it fits width columns; *attr its attribute. */
	void (*line)(struct ui *u, void *ctx, int i, int width, char *out, size_t cap, int *attr);
	void *ctx;
};

static int scroll_page(void)
{
	int p = ui_body_end() - SC_TOP + 1;
	return p > 1 ? p : 1;
}

static void scroll_draw(struct ui *u, void *ctx)
{
	struct scroll *s = ctx;
	char buf[DL_LINE + 512];
	int page = scroll_page();

	if (s->top > s->n - page)
		s->top = s->n - page;
	if (s->top < 0)
		s->top = 0;
	ui_frame(u, s->title, s->hints);
	ui_put(2, 0, COLS, s->head[0], ui_attr(u, UI_A_TITLE));
	ui_put(3, 0, COLS, s->head[1], 0);
	for (int i = s->top; i < s->n && i < s->top + page; i++) {
		int attr = A_NORMAL;
		s->line(u, s->ctx, i, COLS - 2, buf, sizeof buf, &attr);
		ui_put(SC_TOP + i - s->top, 1, COLS - 2, buf, attr);
	}
	if (s->n > page) {
		snprintf(buf, sizeof buf, "lines %d-%d of %d", s->top + 1,
			 s->top + page < s->n ? s->top + page : s->n, s->n);
		ui_put(4, COLS - ui_text_width(buf) - 1, ui_text_width(buf), buf, ui_attr(u, UI_A_DIM));
	}
}

static void scroll_run(struct ui *u, struct scroll *s)
{
	struct ui_view v;

	ui_view_push(u, &v, scroll_draw, s, 1);
	ui_redraw(u);
	for (;;) {
		int k = ui_getkey(u), page = scroll_page();

		if (ui_key_is_back(k) || k == '^')
			break;
		if (k == 'q' || k == 'Q') {
			ui_end(u, UI_END_QUIT);
			break;
		}
		switch (k) {
		case UI_FKEY(KEY_UP): s->top--; break;
		case UI_FKEY(KEY_DOWN): s->top++; break;
		case UI_FKEY(KEY_PPAGE): s->top -= page; break;
		case UI_FKEY(KEY_NPAGE): case ' ': s->top += page; break;
		case UI_FKEY(KEY_HOME): s->top = 0; break;
		case UI_FKEY(KEY_END): s->top = s->n; break;
		default:
			if (ui_key_is_help(k))
				ui_popup(u, s->title, s->help);
		}
		ui_redraw(u);
	}
	ui_view_pop(u, &v);
	ui_redraw(u);
}

/* ---- department reports ------------------------------------------------- */

struct rep {
	struct report_table t;
	int w[REPORT_COLS];   /* column widths */
	int right[REPORT_COLS];
	int lw, vw;           /* bar label and value widths */
	double max;
	int table_end;        /* first line after the table and summary */
};

static const char rep_help[] =
	"A department report: counts only, no patient information.\n"
	"  Up/Down, PgUp/PgDn, Home/End  scroll\n"
	"  ? this help     Esc back to the list of reports\n"
	"The bars under the table draw the charted column; each # is scaled to\n"
	"the largest value and to the terminal's width.  The same report is\n"
	"`folio report NAME --from D --to D [--csv]` on the command line.";

static int is_number(const char *s)
{
	char *end;

	if (!s[0])
		return 0;
	(void)strtod(s, &end);
	return *end == '\0';
}

static void rep_label(const struct report_table *t, size_t i, char *out, size_t cap)
{
	out[0] = '\0';
	for (int j = 0; j < t->label_cols; j++) {
		size_t n = strlen(out);
		snprintf(out + n, cap - n, "%s%s", j ? " " : "", t->rows[i][j]);
	}
}

static void rep_measure(struct rep *r)
{
	const struct report_table *t = &r->t;
	char label[2 * REPORT_CELL + 2];

	for (int j = 0; j < t->ncols; j++) {
		r->w[j] = (int)strlen(t->cols[j]);
		r->right[j] = t->nrows > 0 && j >= t->label_cols;
		for (size_t i = 0; i < t->nrows; i++) {
			if ((int)strlen(t->rows[i][j]) > r->w[j])
				r->w[j] = (int)strlen(t->rows[i][j]);
			r->right[j] &= is_number(t->rows[i][j]);
		}
	}
	for (size_t i = 0; t->bar_col >= 0 && i < t->nrows; i++) {
		double v = strtod(t->rows[i][t->bar_col], NULL);
		rep_label(t, i, label, sizeof label);
		if ((int)strlen(label) > r->lw)
			r->lw = (int)strlen(label);
		if ((int)strlen(t->rows[i][t->bar_col]) > r->vw)
			r->vw = (int)strlen(t->rows[i][t->bar_col]);
		if (v > r->max)
			r->max = v;
	}
	/* header, rows (or "nothing"), blank + summary */
	r->table_end = 1 + (t->nrows ? (int)t->nrows : 1) + (t->summary[0] ? 2 : 0);
}

static void rep_cells(const struct rep *r, const char *const *cells, char *out, size_t cap)
{
	size_t off = 0;

	out[0] = '\0';
	for (int j = 0; j < r->t.ncols && off < cap; j++)
		off += (size_t)snprintf(out + off, cap - off, r->right[j] ? "%s%*s" : "%s%-*s", j ? "  " : "",
					r->w[j], cells[j]);
}

static void rep_bar(const struct rep *r, size_t i, int width, char *out, size_t cap)
{
	const struct report_table *t = &r->t;
	char label[2 * REPORT_CELL + 2];
	double v = strtod(t->rows[i][t->bar_col], NULL);
	int room = width - r->lw - r->vw - 4, n, off;

	if (room < 10)
		room = 10;
	n = r->max > 0 ? (int)(v / r->max * room + 0.5) : 0;
	if (n == 0 && v > 0)
		n = 1; /* a small count still shows */
	rep_label(t, i, label, sizeof label);
	off = snprintf(out, cap, "%-*s |", r->lw, label);
	for (int k = 0; k < n && off + 1 < (int)cap - REPORT_CELL - 2; k++)
		out[off++] = '#';
	snprintf(out + off, cap - (size_t)off, " %s", t->rows[i][t->bar_col]);
}

static void rep_line(struct ui *u, void *ctx, int i, int width, char *out, size_t cap, int *attr)
{
	const struct rep *r = ctx;
	const struct report_table *t = &r->t;
	const char *cells[REPORT_COLS];

	out[0] = '\0';
	if (i == 0) {
		rep_cells(r, t->cols, out, cap);
		*attr = ui_attr(u, UI_A_HEADER);
	} else if (i <= (int)t->nrows) {
		for (int j = 0; j < t->ncols; j++)
			cells[j] = t->rows[i - 1][j];
		rep_cells(r, cells, out, cap);
	} else if (i == 1 && t->nrows == 0) {
		snprintf(out, cap, "(nothing in this period)");
		*attr = ui_attr(u, UI_A_DIM);
	} else if (i < r->table_end) {
		if (i == r->table_end - 1)
			snprintf(out, cap, "%s", t->summary);
	} else if (i == r->table_end + 1) {
		snprintf(out, cap, "%s", t->cols[t->bar_col]);
		*attr = ui_attr(u, UI_A_HEADER);
	} else if (i >= r->table_end + 2) {
		rep_bar(r, (size_t)(i - r->table_end - 2), width, out, cap);
	}
}

/* Asks one end of the period; 1 with out filled ("" for none), 0 backed out. */
static int rep_ask_date(struct ui *u, const char *label, char out[11])
{
	char buf[32];

	for (;;) {
		memset(buf, 0, sizeof buf);
		if (ui_ask(u, label, "A date: T (today), T-30, T-1M, or YYYY-MM-DD; Enter for no limit.", NULL, buf,
			   sizeof buf) != UI_OK)
			return 0;
		if (!buf[0]) {
			out[0] = '\0';
			return 1;
		}
		if (ui_date_parse(buf, out) == 0)
			return 1;
		ui_msg(u, 1, "'%s' is not a date: try T, T-30 or YYYY-MM-DD.", buf);
	}
}

static void reports_show(struct ui *u, enum report_kind k)
{
	struct rep *r = calloc(1, sizeof *r);
	struct scroll s = { 0 };
	struct grant *g = NULL;
	struct folio_err e;
	char from[11], to[11];
	int rc;

	if (!r) {
		ui_msg(u, 1, "Out of memory.");
		return;
	}
	if (!rep_ask_date(u, "From", from) || !rep_ask_date(u, "To", to))
		goto out;
	if (from[0] && to[0] && strcmp(from, to) > 0) {
		ui_msg(u, 1, "The period ends (%s) before it starts (%s).", to, from);
		goto out;
	}
	err_clear(&e);
	rc = access_begin(u->s, ACT_REPORT_RUN, NULL, "report", report_kind_name(k), &g, &e);
	if (rc == FOLIO_OK) {
		rc = report_run(g, k, from[0] ? from : NULL, to[0] ? to : NULL, &r->t, &e);
		rc = ui_grant_end(g, rc, &e);
	}
	if (rc != FOLIO_OK) {
		ui_msg(u, 1, "%s", e.msg);
		report_table_free(&r->t);
		goto out;
	}
	rep_measure(r);
	s.title = r->t.title;
	s.hints = "arrows PgUp/PgDn scroll  ? help  Esc back";
	s.help = rep_help;
	snprintf(s.head[0], sizeof s.head[0], "%s", r->t.title);
	snprintf(s.head[1], sizeof s.head[1], "Period: %s to %s", r->t.from[0] ? r->t.from : "the beginning",
		 r->t.to[0] ? r->t.to : "today");
	s.n = r->table_end + (r->t.bar_col >= 0 && r->t.nrows ? 2 + (int)r->t.nrows : 0);
	s.line = rep_line;
	s.ctx = r;
	scroll_run(u, &s);
	report_table_free(&r->t);
out:
	free(r);
}

#define REPORT_ITEM(kind, fn) \
	static void fn(struct ui *u) { reports_show(u, kind); }
REPORT_ITEM(REPORT_DISCHARGES, rep_discharges)
REPORT_ITEM(REPORT_TOP_DX, rep_top_dx)
REPORT_ITEM(REPORT_TOP_DRG, rep_top_drg)
REPORT_ITEM(REPORT_CMI, rep_cmi)
REPORT_ITEM(REPORT_CODERS, rep_coders)
REPORT_ITEM(REPORT_DEFICIENCIES, rep_deficiencies)
REPORT_ITEM(REPORT_DISCLOSURES, rep_disclosures)

static const struct ui_menu_item report_items[] = {
	{ "Discharges by month", "Inpatient discharges and closed visits per month.", ACT_REPORT_RUN, rep_discharges },
	{ "Top diagnoses", "The most frequent principal diagnoses.", ACT_REPORT_RUN, rep_top_dx },
	{ "Top DRGs", "The most frequent MS-DRGs.", ACT_REPORT_RUN, rep_top_drg },
	{ "Case mix index", "Mean DRG weight by month (needs DRG weights loaded).", ACT_REPORT_RUN, rep_cmi },
	{ "Coder productivity", "Charts coded per coder.", ACT_REPORT_RUN, rep_coders },
	{ "Deficiency trends", "Incomplete and delinquent charts by month.", ACT_REPORT_RUN, rep_deficiencies },
	{ "Disclosures by purpose", "Disclosures recorded, by legal basis.", ACT_REPORT_RUN, rep_disclosures },
};

void ui_reports_run(struct ui *u)
{
	if (!ui_may(u, ACT_REPORT_RUN))
		return;
	(void)ui_menu_run(u, "Reports",
			  "Pick a report, then the period: From and To take T, T-30 or a date;\n"
			  "Enter leaves that end open.  Esc goes back to the main menu.",
			  report_items, ARRAY_SIZE(report_items), 0);
}

/* ---- a chart's disclosures, accounting and access report ----------------- */

struct dl {
	char (*line)[DL_LINE]; /* guarded: recipients and descriptions are PHI */
	unsigned char *hdr;
	int n;
};

static void dl_add(struct dl *d, int hdr, const char *fmt, ...) PRINTF_LIKE(3, 4);
static void dl_add(struct dl *d, int hdr, const char *fmt, ...)
{
	va_list ap;

	if (d->n >= DL_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(d->line[d->n], DL_LINE, fmt, ap);
	va_end(ap);
	d->hdr[d->n++] = (unsigned char)hdr;
}

static void dl_line(struct ui *u, void *ctx, int i, int width, char *out, size_t cap, int *attr)
{
	const struct dl *d = ctx;

	(void)width;
	snprintf(out, cap, "%s", d->line[i]);
	if (d->hdr[i])
		*attr = ui_attr(u, UI_A_HEADER);
}

static int dl_entry(const struct disclosure *x, void *ctx)
{
	struct dl *d = ctx;
	char note[48] = "";

	if (x->corrected_by)
		snprintf(note, sizeof note, " [corrected by %" PRId64 "]", x->corrected_by);
	else if (x->corrects)
		snprintf(note, sizeof note, " [corrects %" PRId64 "]", x->corrects);
	dl_add(d, 0, "%-5" PRId64 " %-10.10s %-16.16s %-22.22s %s; %s%s", x->id, x->date,
	       disclosure_kind_name(x->kind), x->recipient, x->description, x->purpose, note);
	return 0;
}

static int dl_accounted(const struct disclosure *x, void *ctx)
{
	struct dl *d = ctx;

	dl_add(d, 0, "%-10.10s %-22.22s %s; %s; %s (%s)", x->date, x->recipient, x->address[0] ? x->address : "-",
	       x->description, x->purpose, disclosure_kind_help(x->kind));
	return 0;
}

static int dl_access(const struct access_line *l, void *ctx)
{
	struct dl *d = ctx;
	char at[17];

	datetime_local(l->row->at, at);
	dl_add(d, 0, "%-16s %-10.10s %-11.11s %-16s %-8.8s %s  from %s", at, l->row->user, l->row->role,
	       access_group_name(l->group), l->row->outcome, l->what, l->row->workstation);
	return 0;
}

static int dl_load(struct ui *u, const char *mrn, struct dl *d, struct folio_err *e)
{
	struct accounting_summary sum;
	struct grant *g = NULL;
	int rc;

	dl_add(d, 1, "Disclosure ledger (every entry, corrected ones included)");
	dl_add(d, 1, "%-5s %-10s %-16s %-22s %s", "id", "date", "kind", "recipient", "what; purpose");
	rc = access_begin(u->s, ACT_DISCLOSURE_ACCOUNT, mrn, "disclosures", NULL, &g, e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, disclosure_list(g, dl_entry, d, e), e);
	if (rc != FOLIO_OK)
		return rc;
	if (d->n == 2)
		dl_add(d, 0, "  none recorded");
	dl_add(d, 0, "%s", "");
	memset(&sum, 0, sizeof sum);
	dl_add(d, 1, "Accounting of disclosures (45 CFR 164.528: 6 years, exclusions left out)");
	rc = access_begin(u->s, ACT_DISCLOSURE_ACCOUNT, mrn, "accounting", NULL, &g, e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, disclosure_accounting(g, NULL, dl_accounted, d, &sum, e), e);
	if (rc != FOLIO_OK)
		return rc;
	dl_add(d, 0, "Period %s to %s: %" PRId64 " entr%s.  Due %s (one extension: %s).", sum.from, sum.requested,
	       sum.entries, sum.entries == 1 ? "y" : "ies", sum.due, sum.extended_due);
	dl_add(d, 0, "Fee: %s%s%s", sum.free ? "free (the first accounting in 12 months)" : "chargeable (one was given in the 12 months before)",
	       sum.last_given[0] ? "; last given " : "", sum.last_given);
	if (!access_may(u->s, ACT_ACCESS_REPORT))
		return FOLIO_OK;
	dl_add(d, 0, "%s", "");
	dl_add(d, 1, "Access report (who viewed, changed, printed or was denied; newest first)");
	dl_add(d, 1, "%-16s %-10s %-11s %-16s %-8s %s", "when", "user", "role", "group", "outcome", "what, from where");
	rc = access_begin(u->s, ACT_ACCESS_REPORT, mrn, "access-report", NULL, &g, e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, access_report(g, NULL, 1, dl_access, d, e), e);
	return rc;
}

static const char dl_help[] =
	"The patient's disclosures outside the covered entity.\n"
	"  Ledger: every entry as recorded, corrections marked.\n"
	"  Accounting: what the patient is owed on request: the 6 years before\n"
	"  today, kinds 164.528 excludes left out, the due date (60 days, one\n"
	"  30-day extension) and whether it is free.\n"
	"  Access report (supervisors): every audited use of this chart.\n"
	"Record disclosures and log an accounting as given with\n"
	"`folio disclosure add` and `folio accounting MRN --give`.\n"
	"  Up/Down, PgUp/PgDn, Home/End scroll     Esc back to the chart";

void ui_disclosures_run(struct ui *u, const char *mrn)
{
	struct dl *d;
	struct scroll s = { 0 };
	struct folio_err e;

	if (!ui_may(u, ACT_DISCLOSURE_ACCOUNT))
		return;
	d = calloc(1, sizeof *d);
	if (!d || !(d->line = smem_alloc(sizeof *d->line * DL_MAX)) || !(d->hdr = calloc(DL_MAX, 1))) {
		ui_msg(u, 1, "Out of secure memory.");
		goto out;
	}
	err_clear(&e);
	if (dl_load(u, mrn, d, &e) != FOLIO_OK) {
		ui_msg(u, 1, "Cannot read the disclosures: %s", e.msg);
		goto out;
	}
	s.title = "Disclosures";
	s.hints = "arrows PgUp/PgDn scroll  ? help  Esc back";
	s.help = dl_help;
	snprintf(s.head[0], sizeof s.head[0], "Disclosures and accounting   MRN %s", mrn);
	snprintf(s.head[1], sizeof s.head[1], "%s", access_may(u->s, ACT_ACCESS_REPORT) ? "with the access report" : "");
	s.n = d->n;
	s.line = dl_line;
	s.ctx = d;
	scroll_run(u, &s);
out:
	if (d) {
		smem_free(d->line);
		free(d->hdr);
	}
	free(d);
}
