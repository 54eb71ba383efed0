/* folio — `import synthea DIR`: a Synthea CSV export into folio, one
 * ACT_IMPORT_RUN grant (one transaction, one audit row) per batch, with a
 * progress bar on a terminal and the summary on stderr.  Exit 0 when every
 * row was imported or already there, 1 when some were skipped, 2 usage,
 * 3 denied. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_internal.h"
#include "folio/synthea.h"

#define NOTES_MAX 200   /* skipped rows named one by one; the rest counted */

struct run {
	long notes, unnamed;
	int tty, bar_shown;
	double t0, last;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void bar_clear(struct run *r)
{
	if (r->bar_shown) {
		fputs("\r\033[K", stderr);
		r->bar_shown = 0;
	}
}

static void on_note(void *ctx, const char *msg)
{
	struct run *r = ctx;

	if (r->notes++ >= NOTES_MAX) {
		r->unnamed++;
		return;
	}
	bar_clear(r);
	fprintf(stderr, "folio: %s\n", msg);
}

static long rows_read(const struct synthea_report *rep)
{
	long n = 0;

	for (int f = 0; f < SYN_FILES; f++)
		n += rep->f[f].read;
	return n;
}

/* "[#####.....]  45%  12,345 rows/s  ETA 0:12", at most five times a second. */
static void bar(struct run *r, const struct synthea_report *rep, int force)
{
	double t = now_s(), el = t - r->t0, frac, rate;
	char cells[31];
	long eta;
	int n;

	if (!r->tty || (!force && t - r->last < 0.2))
		return;
	r->last = t;
	frac = rep->bytes_total ? (double)rep->bytes_done / (double)rep->bytes_total : 0;
	if (frac > 1)
		frac = 1;
	n = (int)(frac * 30);
	memset(cells, '#', (size_t)n);
	memset(cells + n, '.', (size_t)(30 - n));
	cells[30] = '\0';
	rate = el > 0 ? (double)rows_read(rep) / el : 0;
	eta = frac > 0.001 ? (long)(el / frac - el + 0.5) : -1;
	fprintf(stderr, "\r\033[Kimporting [%s] %3d%%  %.0f rows/s  ", cells, (int)(frac * 100), rate);
	if (eta >= 0)
		fprintf(stderr, "ETA %ld:%02ld", eta / 60, eta % 60);
	else
		fputs("ETA -", stderr);
	r->bar_shown = 1;
}

static void summary(const struct synthea_report *rep, double secs)
{
	fprintf(stderr, "%-18s %9s %9s %15s %9s\n", "import synthea", "read", "imported", "already there",
		"skipped");
	for (int f = 0; f < SYN_FILES; f++) {
		const struct synthea_count *c = &rep->f[f];
		if (!c->present) {
			fprintf(stderr, "%-18s %s\n", synthea_file_name(f), "absent: skipped");
			continue;
		}
		fprintf(stderr, "%-18s %9ld %9ld %15ld %9ld\n", synthea_file_name(f), c->read, c->imported,
			c->already, c->skipped);
	}
	if (rep->f[SYN_OBSERVATIONS].present)
		fprintf(stderr, "  observations: %ld as vitals (%ld sets), %ld as results\n", rep->vitals_rows,
			rep->vitals_sets, rep->result_rows);
	fprintf(stderr, "%ld rows in %.1f s (import run %lld)\n", rows_read(rep), secs, (long long)rep->run_id);
}

int cmd_import_synthea(struct cli *c, int argc, char **argv)
{
	struct run r = { 0 };
	struct synthea_hooks h = { on_note, &r };
	struct synthea_import *imp = NULL;
	const struct synthea_report *rep;
	int rc, done = 0;
	long skipped = 0;

	if (argc != 2 || argv[1][0] == '-')
		return cli_fail(2, "usage: folio import synthea DIR");
	if ((rc = synthea_import_open(argv[1], &h, &imp, &c->err)))
		return cli_fail(rc == FOLIO_ENOTFOUND ? 2 : 1, "%s: %s", argv[1], c->err.msg);
	if ((rc = cli_sign_in(c))) {
		synthea_import_free(imp);
		return rc;
	}
	r.tty = isatty(2);
	r.t0 = now_s();
	while (!done) {
		struct grant *g;
		if ((rc = access_begin(c->s, ACT_IMPORT_RUN, NULL, "import", "synthea", &g, &c->err)))
			break;
		rc = access_end(g, synthea_import_step(g, imp, &done, &c->err), &c->err);
		if (rc)
			break;
		bar(&r, synthea_import_report(imp), 0);
	}
	bar_clear(&r);
	rep = synthea_import_report(imp);
	if (r.unnamed)
		fprintf(stderr, "folio: ... and %ld more rows skipped (counted below)\n", r.unnamed);
	if (rc == FOLIO_OK || rows_read(rep))
		summary(rep, now_s() - r.t0);
	for (int f = 0; f < SYN_FILES; f++)
		skipped += rep->f[f].skipped;
	synthea_import_free(imp);
	cli_done(c);
	if (rc)
		return cli_report(c, rc);
	return skipped ? 1 : 0;
}
