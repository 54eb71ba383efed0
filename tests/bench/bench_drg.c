/* folio bench: the MS-DRG grouper (issue 5).
 *
 *   - grouping throughput on one core over the CMS test set repeated to
 *     more than 100,000 claims, beside the baseline of parsing the same
 *     lines alone (what reading the claims costs before any grouping);
 *   - table load: from the text dump (xz) vs from the packed form;
 *   - `drg group` start-up: the built binary spawned on one claim with a
 *     cold cache (tables read from text, cache written) and a warm one,
 *     beside spawning `folio --version`.
 *
 * Needs ../shared/codesets (or $FOLIO_CODESETS); says so and exits 0 when
 * it is absent. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "folio/drg.h"

const char *bench_program = "bench_drg";

#define REPEAT 15 /* 7,006 claims x 15 = 105,090 */

struct claims {
	char **line;
	size_t *len;
	struct drg_claim *c;
	size_t n;
	const struct drg_tables *t;
	size_t next;
};

static const char *codesets_dir(void)
{
	const char *d = getenv("FOLIO_CODESETS");
	return d && *d ? d : "../shared/codesets";
}

static long long file_bytes(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

static void read_claims(const char *path, struct claims *cl)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, n = 0, alloc = 0;
	ssize_t got;
	char **lines = NULL;
	size_t *lens = NULL;

	if (!f)
		bench_die(path, NULL);
	while ((got = getline(&buf, &cap, f)) > 0) {
		if (strncmp(buf, "id\t", 3) == 0)
			continue;
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 8192;
			lines = realloc(lines, alloc * sizeof *lines);
			lens = realloc(lens, alloc * sizeof *lens);
			if (!lines || !lens)
				bench_die("out of memory", NULL);
		}
		lines[n] = strdup(buf);
		lens[n] = (size_t)got;
		if (!lines[n])
			bench_die("out of memory", NULL);
		n++;
	}
	free(buf);
	fclose(f);
	cl->n = n * REPEAT;
	cl->line = malloc(cl->n * sizeof *cl->line);
	cl->len = malloc(cl->n * sizeof *cl->len);
	cl->c = malloc(cl->n * sizeof *cl->c);
	if (!cl->line || !cl->len || !cl->c)
		bench_die("out of memory", NULL);
	for (size_t i = 0; i < cl->n; i++) {
		struct folio_err e;
		char id[64];
		cl->line[i] = lines[i % n];
		cl->len[i] = lens[i % n];
		if (drg_claim_parse(cl->line[i], cl->len[i], &cl->c[i], id, &e) != FOLIO_OK)
			bench_die("a test-set line does not parse", &e);
	}
	free(lines);
	free(lens);
}

/* One claim per iteration: parsed (what), grouped from the parsed array,
 * or parsed and grouped. */
enum { PARSE = 1, GROUP = 2 };
static int mode;

static void run(void *ctx, long iters)
{
	struct claims *cl = ctx;
	struct drg_claim c;
	struct drg_result r;
	struct folio_err e;
	char id[64];
	for (long i = 0; i < iters; i++) {
		size_t k = cl->next++ % cl->n;
		const struct drg_claim *cp = &cl->c[k];
		if (mode & PARSE) {
			drg_claim_parse(cl->line[k], cl->len[k], &c, id, &e);
			cp = &c;
		}
		if (mode & GROUP)
			drg_group(cl->t, cp, &r);
		BENCH_CLOBBER(&r);
		BENCH_CLOBBER(&c);
	}
}

/* Median seconds of runs of one load. */
static double time_load_text(const char *dir, int runs)
{
	double t[9];
	for (int i = 0; i < runs; i++) {
		struct drg_tables *tt;
		struct folio_err e;
		double t0 = bench_now();
		if (drg_tables_load(dir, &tt, &e) != FOLIO_OK)
			bench_die("drg_tables_load", &e);
		t[i] = bench_now() - t0;
		drg_tables_free(tt);
	}
	qsort(t, (size_t)runs, sizeof t[0], bench_cmp_double);
	return t[runs / 2];
}

static double time_unpack(const unsigned char *blob, size_t len, int runs)
{
	double t[9];
	for (int i = 0; i < runs; i++) {
		struct drg_tables *tt;
		struct folio_err e;
		double t0 = bench_now();
		if (drg_tables_unpack(blob, len, &tt, &e) != FOLIO_OK)
			bench_die("drg_tables_unpack", &e);
		t[i] = bench_now() - t0;
		drg_tables_free(tt);
	}
	qsort(t, (size_t)runs, sizeof t[0], bench_cmp_double);
	return t[runs / 2];
}

/* Spawns folio with args, one claim on stdin, output to /dev/null, the
 * cache under cache_home; returns wall seconds. */
static double spawn(const char *folio, char *const argv[], const char *cache_home)
{
	static const char claim[] = "c1\t430\t70\tF\t1\tI5020\tN179\t\n";
	int in[2];
	double t0 = bench_now();
	if (pipe(in) != 0)
		bench_die("pipe", NULL);
	pid_t pid = fork();
	if (pid < 0)
		bench_die("fork", NULL);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(in[0], 0);
		dup2(null, 1);
		dup2(null, 2);
		close(in[1]);
		setenv("XDG_CACHE_HOME", cache_home, 1);
		execv(folio, argv);
		_exit(127);
	}
	close(in[0]);
	if (write(in[1], claim, sizeof claim - 1) < 0)
		bench_die("write", NULL);
	close(in[1]);
	int st;
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		bench_die("the spawned folio failed", NULL);
	return bench_now() - t0;
}

static void rm_cache(const char *dir)
{
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		bench_die("rm", NULL);
}

static double median_spawn(const char *folio, char *const argv[], const char *cache, int cold,
			   int runs)
{
	double t[9];
	for (int i = 0; i < runs; i++) {
		if (cold)
			rm_cache(cache);
		t[i] = spawn(folio, argv, cache);
	}
	qsort(t, (size_t)runs, sizeof t[0], bench_cmp_double);
	return t[runs / 2];
}

static void row(const char *what, double per_op, double base_per_op, const char *unit_rate)
{
	char a[16], b[16], ratio[32] = "";
	if (base_per_op > 0)
		snprintf(ratio, sizeof ratio, "  %.2fx", per_op / base_per_op);
	if (unit_rate)
		printf("%-50s %12s %10s%s\n", what, bench_fmt_rate(1.0 / per_op, a, sizeof a),
		       bench_fmt_time(per_op, b, sizeof b), ratio);
	else
		printf("%-50s %12s %10s%s\n", what, "", bench_fmt_time(per_op, b, sizeof b), ratio);
}

int main(int argc, char **argv)
{
	const char *dir = codesets_dir();
	char testset[PATH_MAX], folio[PATH_MAX + 16], exe[PATH_MAX], cache[PATH_MAX];
	struct claims cl = { 0 };
	struct drg_tables *t;
	struct folio_err e;
	double t_start = bench_now();
	long iters;

	(void)argc;
	snprintf(testset, sizeof testset, "%s/tests/msdrg_v430_cms_grouper_testset.tsv", dir);
	if (access(testset, R_OK) != 0) {
		printf("\nfolio bench: drg: skipped: %s not found\n", dir);
		return 0;
	}
	if (drg_tables_load(dir, &t, &e) != FOLIO_OK)
		bench_die("drg_tables_load", &e);
	read_claims(testset, &cl);
	cl.t = t;

	unsigned char *blob;
	size_t blen;
	if (drg_tables_pack(t, &blob, &blen, &e) != FOLIO_OK)
		bench_die("drg_tables_pack", &e);

	printf("\nfolio bench: drg (MS-DRG v43.0 grouper, one core)\n");
	long long xz = 0, claims_bytes = 0;
	static const char *const files[] = { "dx_v430.tsv.xz", "pr_v430.tsv.xz", "clusters_v430.tsv.xz",
					     "pdx_exclusion_groups_v430.tsv.xz", "drg_formulas_v430.tsv",
					     "hac_v430.tsv", "drg_list_v430.tsv", "mdc_descriptions_v430.tsv" };
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char p[PATH_MAX + 64];
		snprintf(p, sizeof p, "%s/msdrg_v43/%s", dir, files[i]);
		long long b = file_bytes(p);
		xz += b > 0 ? b : 0;
	}
	for (size_t i = 0; i < cl.n / REPEAT; i++)
		claims_bytes += (long long)cl.len[i];
	printf("data: tables %.2f MB on disk (text, mostly xz), packed form %.2f MB;"
	       " claims %zu (the %zu-claim test set x %d, %.1f MB of lines)\n\n",
	       (double)xz / 1e6, (double)blen / 1e6, cl.n, cl.n / REPEAT, REPEAT,
	       (double)claims_bytes * REPEAT / 1e6);

	printf("%-50s %12s %10s  %s\n", "operation", "per second", "each", "vs baseline");
	mode = PARSE;
	double per_parse = bench_measure(run, &cl, 0.5, (long)cl.n * 4, &iters);
	mode = GROUP;
	double per_group = bench_measure(run, &cl, 0.5, (long)cl.n * 4, &iters);
	mode = PARSE | GROUP;
	double per_both = bench_measure(run, &cl, 0.5, (long)cl.n * 4, &iters);
	row("drg_group: one claim (parsed beforehand)", per_group, per_parse, "claims");
	row("drg_claim_parse + drg_group: one line", per_both, per_parse, "claims");
	row("  baseline: drg_claim_parse alone", per_parse, 0, "claims");
	printf("  (target: at least 100,000 claims/s grouped: %s)\n",
	       1.0 / per_both >= 100000 ? "met" : "NOT MET");

	double t_text = time_load_text(dir, 3);
	double t_unpack = time_unpack(blob, blen, 7);
	row("table load: drg_tables_unpack (packed form)", t_unpack, t_text, NULL);
	row("  baseline: drg_tables_load (text, xz)", t_text, 0, NULL);

	/* the binary sits at build/folio beside build/bench/ */
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = 0;
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = 0;
		if (snprintf(folio, sizeof folio, "%s/../folio", exe) >= (int)sizeof folio)
			n = 0;
	}
	if (n <= 0 || access(folio, X_OK) != 0) {
		printf("drg group start-up: skipped (no built folio beside %s)\n", argv[0]);
	} else {
		char tdir[PATH_MAX];
		const char *tmp = getenv("TMPDIR");
		if (snprintf(cache, sizeof cache, "%s/folio-bench-drg-%ld", tmp && *tmp ? tmp : "/tmp",
			     (long)getpid()) >= (int)sizeof cache ||
		    snprintf(tdir, sizeof tdir, "%s", dir) >= (int)sizeof tdir)
			bench_die("path too long", NULL);
		char a_drg[] = "drg", a_group[] = "group", a_tables[] = "--tables", a_version[] = "--version";
		char *group[] = { folio, a_drg, a_group, a_tables, tdir, NULL };
		char *version[] = { folio, a_version, NULL };
		double cold = median_spawn(folio, group, cache, 1, 3);
		double warm = median_spawn(folio, group, cache, 0, 7);
		double base = median_spawn(folio, version, cache, 0, 7);
		row("drg group start-up, one claim, warm cache", warm, base, NULL);
		row("drg group start-up, one claim, cold cache", cold, base, NULL);
		row("  baseline: folio --version", base, 0, NULL);
		printf("  (target: start-up under 200 ms: %s)\n", warm < 0.2 ? "met" : "NOT MET");
		rm_cache(cache);
	}
	printf("\n(bench_drg took %.1f s)\n", bench_now() - t_start);
	free(blob);
	drg_tables_free(t);
	return 0;
}
