/* folio — `codes load DIR`, `codes search`, `codes list`: the clinical code
 * sets from the command line (include/folio/codes.h).
 *
 * A load reads and checks every file before it asks for its grant, so the
 * database is locked only while the checked sets are written; a file that
 * fails the check is still reported through the grant, which audits the
 * failure and changes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_internal.h"
#include "folio/codes.h"
#include "folio/date.h"

#define LIMIT_DEFAULT 25
#define LIMIT_MAX 1000
#define QUERY_MAX 512

static const char usage[] =
	"usage: folio codes load DIR [--weights FILE]\n"
	"       folio codes search [--pcs] [--fy YYYY | --date DATE] [--limit N] WORDS... | CODE\n"
	"       folio codes search [--pcs] [--fy YYYY | --date DATE] --children CODE\n"
	"       folio codes list\n";

/* ---- the progress bar ------------------------------------------------------ */

struct bar {
	int on;          /* stderr is a terminal */
	char file[64];   /* what it shows now */
	char phase[16];
	double t0, last;
};

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void bar_show(void *ctx, const struct codes_progress *p)
{
	struct bar *b = ctx;
	double t = now_seconds(), pct;
	char fill[21];
	int k;

	if (!b->on)
		return;
	if (strcmp(b->file, p->file) != 0 || strcmp(b->phase, p->phase) != 0) {
		str_copy(b->file, sizeof b->file, p->file);
		str_copy(b->phase, sizeof b->phase, p->phase);
		b->t0 = t;
		b->last = 0;
	} else if (t - b->last < 0.1 && p->done < p->total) {
		return;
	}
	b->last = t;
	pct = p->total ? 100.0 * (double)p->done / (double)p->total : 100.0;
	k = (int)(pct / 5);
	for (int i = 0; i < 20; i++)
		fill[i] = i < k ? '#' : '.';
	fill[20] = '\0';
	fprintf(stderr, "\r%-7s %-30.30s [%s] %3.0f%%", p->phase, p->file, fill, pct);
	if (p->rows && t > b->t0)
		fprintf(stderr, " %9.0f rows/s", (double)p->rows / (t - b->t0));
	fputs("\033[K", stderr);
	fflush(stderr);
}

static void bar_clear(struct bar *b)
{
	if (b->on && b->file[0])
		fputs("\r\033[K", stderr);
	b->file[0] = '\0';
}

/* ---- load ------------------------------------------------------------------- */

struct load_ctx {
	struct codes_load *l;
	int read_rc;
	struct folio_err read_err;
	struct bar bar;
};

static int do_load(struct cli *c, struct grant *g, void *ctx)
{
	struct load_ctx *x = ctx;

	if (x->read_rc) {
		c->err = x->read_err;
		return x->read_rc;
	}
	if (!x->l)
		return err_set(&c->err, FOLIO_EFAIL, "nothing was read");
	return codes_load_store(g, x->l, bar_show, &x->bar, &c->err);
}

static int has_kind(const struct codes_set_info *s, size_t n, const char *kind)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s[i].kind, kind) == 0)
			return 1;
	return 0;
}

static void load_summary(const struct codes_load *l, const char *dir, double secs)
{
	const struct codes_set_info *s;
	size_t n = codes_load_summary(l, &s);
	char what[96];

	fprintf(stderr, "folio: code sets from %s (%.1f s):\n", dir, secs);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(s[i].kind, "icd10cm") == 0 || strcmp(s[i].kind, "icd10pcs") == 0)
			snprintf(what, sizeof what, "%ld valid, %ld headers", s[i].n_valid, s[i].n_header);
		else if (s[i].bytes)
			snprintf(what, sizeof what, "%s, %zu bytes packed", s[i].version, s[i].bytes);
		else
			snprintf(what, sizeof what, "%ld %s", s[i].n_valid,
				 strcmp(s[i].kind, "drg_weights") == 0 ? "DRGs" : "codes");
		fprintf(stderr, "  %-17s FY%d  %-34s %s%s\n", s[i].title, s[i].fy, what, s[i].source,
			s[i].unchanged ? " (unchanged)" : "");
	}
	if (!has_kind(s, n, "mce"))
		fprintf(stderr, "  %-17s absent from this folder (no mce_vNN/)\n", "MCE tables");
	if (!has_kind(s, n, "msdrg"))
		fprintf(stderr, "  %-17s absent from this folder (no msdrg_vNN/)\n", "MS-DRG tables");
	if (!has_kind(s, n, "drg_weights"))
		fprintf(stderr, "  %-17s absent from this folder: CMS does not ship IPPS Table 5 with the"
			" tables; give --weights FILE (drg, weight, gmlos, amlos)\n", "DRG weights");
}

static int codes_load_cmd(struct cli *c, int argc, char **argv)
{
	const char *dir = NULL, *weights = NULL, *v;
	struct load_ctx x;
	double t0 = now_seconds();
	int rc;

	memset(&x, 0, sizeof x);
	for (int i = 2; i < argc; i++) {
		if ((v = cli_opt(argc, argv, &i, "--weights")))
			weights = v;
		else if (argv[i][0] == '-' || dir)
			return cli_fail(2, "unexpected argument '%s'\n%s", argv[i], usage);
		else
			dir = argv[i];
	}
	if (!dir)
		return cli_fail(2, "which directory? %s", usage);
	if ((rc = cli_sign_in(c)))
		return rc;
	x.bar.on = isatty(STDERR_FILENO);
	/* read and check before the grant (no lock held meanwhile); a user
	 * who may not load is refused by the grant without reading anything */
	if (access_may(c->s, ACT_CODES_LOAD))
		x.read_rc = codes_load_read(dir, weights, bar_show, &x.bar, &x.l, &x.read_err);
	rc = cli_grant_run(c, ACT_CODES_LOAD, NULL, "directory", dir, do_load, &x);
	bar_clear(&x.bar);
	cli_done(c);
	if (rc == FOLIO_OK)
		load_summary(x.l, dir, now_seconds() - t0);
	codes_load_free(x.l);
	return cli_report(c, rc);
}

/* ---- search ----------------------------------------------------------------- */

struct search_ctx {
	enum codes_system sys;
	int fy;
	const char *children;
	char query[QUERY_MAX];
	size_t limit, n, total;
	struct codes_hit *hits;
	struct codes_index *idx;
};

static int do_search(struct cli *c, struct grant *g, void *ctx)
{
	struct search_ctx *x = ctx;
	int rc = codes_index_open(g, x->sys, x->fy, &x->idx, &c->err);
	int fy;

	if (rc)
		return rc;
	fy = codes_index_fy(x->idx);
	if (x->children) {
		struct codes_hit h;
		x->total = codes_children(x->idx, x->children, x->hits, x->limit);
		if (x->total == 0 && codes_lookup(x->idx, x->children, &h) != FOLIO_OK)
			return err_set(&c->err, FOLIO_ENOTFOUND, "%s is not an %s FY%d code", x->children,
				       codes_system_name(x->sys), fy);
		if (x->total == 0)
			return err_set(&c->err, FOLIO_ENOTFOUND, "%s is a valid code: it has no codes under it",
				       x->children);
	} else {
		x->total = codes_search(x->idx, x->query, x->hits, x->limit);
		if (x->total == 0)
			return err_set(&c->err, FOLIO_ENOTFOUND, "no %s FY%d code matches '%s'", codes_system_name(x->sys),
				       fy, x->query);
	}
	x->n = x->total < x->limit ? x->total : x->limit;
	return FOLIO_OK;
}

static void print_hits(const struct search_ctx *x)
{
	char code[CODES_DOTTED_MAX];

	cli_tsv((const char *[]){ "code", "billable", "description" }, 3);
	for (size_t i = 0; i < x->n; i++) {
		codes_format(x->sys, x->hits[i].code, code);
		cli_tsv((const char *[]){ code, x->hits[i].billable ? "yes" : "no", x->hits[i].desc }, 3);
	}
	if (x->total > x->n)
		fprintf(stderr, "folio: %zu %s FY%d codes match; the first %zu are shown (--limit N for more)\n",
			x->total, codes_system_name(x->sys), codes_index_fy(x->idx), x->n);
}

/* Parses the options of `codes search` into x; 0 or an exit code. */
static int search_args(struct search_ctx *x, int argc, char **argv)
{
	const char *fy = NULL, *date = NULL, *limit = NULL, *v;
	size_t qlen = 0;

	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--pcs") == 0)
			x->sys = CODES_ICD10PCS;
		else if ((v = cli_opt(argc, argv, &i, "--fy")))
			fy = v;
		else if ((v = cli_opt(argc, argv, &i, "--date")))
			date = v;
		else if ((v = cli_opt(argc, argv, &i, "--limit")))
			limit = v;
		else if ((v = cli_opt(argc, argv, &i, "--children")))
			x->children = v;
		else if (argv[i][0] == '-' && argv[i][1] == '-')
			return cli_fail(2, "unknown or incomplete option '%s'\n%s", argv[i], usage);
		else {
			size_t n = strlen(argv[i]);
			if (qlen + n + 2 > sizeof x->query)
				return cli_fail(2, "the search words are too long");
			if (qlen)
				x->query[qlen++] = ' ';
			memcpy(x->query + qlen, argv[i], n + 1);
			qlen += n;
		}
	}
	if (fy && date)
		return cli_fail(2, "give --fy or --date, not both");
	if (fy) {
		char *end;
		long y = strtol(fy, &end, 10);
		if (*end || end == fy || y < 2000 || y > 2999)
			return cli_fail(2, "--fy takes a fiscal year such as 2026, not '%s'", fy);
		x->fy = (int)y;
	}
	if (date) {
		char iso[11];
		struct folio_err e;
		if (date_parse(date, date_today(), iso, &e) != FOLIO_OK)
			return cli_fail(2, "--date: %s", e.msg);
		x->fy = codes_fy_for_date(iso);
	}
	x->limit = LIMIT_DEFAULT;
	if (limit) {
		char *end;
		long n = strtol(limit, &end, 10);
		if (*end || end == limit || n < 1 || n > LIMIT_MAX)
			return cli_fail(2, "--limit takes 1 to %d, not '%s'", LIMIT_MAX, limit);
		x->limit = (size_t)n;
	}
	if (x->children && qlen)
		return cli_fail(2, "give --children CODE or search words, not both\n%s", usage);
	if (!x->children && !qlen)
		return cli_fail(2, "what to search for? %s", usage);
	return 0;
}

static int codes_search_cmd(struct cli *c, int argc, char **argv)
{
	struct search_ctx x;
	char oid[32];
	int rc;

	memset(&x, 0, sizeof x);
	if ((rc = search_args(&x, argc, argv)))
		return rc;
	if (!(x.hits = calloc(x.limit, sizeof *x.hits)))
		return cli_fail(1, "out of memory");
	if (x.fy)
		snprintf(oid, sizeof oid, "%s:%d", x.sys == CODES_ICD10PCS ? "icd10pcs" : "icd10cm", x.fy);
	else
		snprintf(oid, sizeof oid, "%s:latest", x.sys == CODES_ICD10PCS ? "icd10pcs" : "icd10cm");
	rc = cli_grant(c, ACT_CODES_SEARCH, NULL, "code_set", oid, do_search, &x);
	if (rc == 0)
		print_hits(&x);
	codes_index_free(x.idx);
	free(x.hits);
	return rc;
}

/* ---- list ------------------------------------------------------------------- */

#define LIST_MAX 64

struct list_ctx {
	struct codes_set_info sets[LIST_MAX];
	size_t n;
};

static int do_list(struct cli *c, struct grant *g, void *ctx)
{
	struct list_ctx *x = ctx;
	int rc = codes_sets(g, x->sets, LIST_MAX, &x->n, &c->err);

	if (rc == FOLIO_OK && x->n == 0)
		rc = err_set(&c->err, FOLIO_ENOTFOUND, "no code sets are loaded; run folio codes load DIR");
	if (x->n > LIST_MAX)
		x->n = LIST_MAX;
	return rc;
}

static int codes_list_cmd(struct cli *c, int argc)
{
	struct list_ctx *x;
	int rc;

	if (argc > 2)
		return cli_fail(2, "%s", usage);
	if (!(x = calloc(1, sizeof *x)))
		return cli_fail(1, "out of memory");
	rc = cli_grant(c, ACT_CODES_SEARCH, NULL, "code_set", "list", do_list, x);
	if (rc == 0) {
		cli_tsv((const char *[]){ "kind", "fy", "version", "source", "valid", "headers", "bytes", "loaded_at",
					  "loaded_by" }, 9);
		for (size_t i = 0; i < x->n; i++) {
			const struct codes_set_info *s = &x->sets[i];
			char fy[12], nv[24], nh[24], nb[24];
			snprintf(fy, sizeof fy, "%d", s->fy);
			snprintf(nv, sizeof nv, "%ld", s->n_valid);
			snprintf(nh, sizeof nh, "%ld", s->n_header);
			snprintf(nb, sizeof nb, "%zu", s->bytes);
			cli_tsv((const char *[]){ s->kind, fy, s->version, s->source, nv, nh, nb, s->loaded_at,
						  s->loaded_by }, 9);
		}
	}
	free(x);
	return rc;
}

int cmd_codes(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_fail(2, "%s", usage);
	if (strcmp(argv[1], "load") == 0)
		return codes_load_cmd(c, argc, argv);
	if (strcmp(argv[1], "search") == 0)
		return codes_search_cmd(c, argc, argv);
	if (strcmp(argv[1], "list") == 0)
		return codes_list_cmd(c, argc);
	return cli_fail(2, "unknown codes command '%s'\n%s", argv[1], usage);
}
