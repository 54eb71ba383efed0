/* folio bench: the duplicate finder (include/folio/dupes.h).
 *
 * Quality on the Febrl data sets (../shared/testdata/patient_matching/febrl,
 * FOLIO_FEBRL_DIR to move it): blocking's pairs completeness and reduction
 * ratio, then precision, recall and F1 of the pairs at or over
 * DUP_THRESHOLD against the truth in rec_id.  Baseline in the same run:
 * exact DOB + surname matching (what a clerk's "same name, same birthday"
 * report finds).  Time: blocking + scoring vs just reading the file.
 *
 * The scan at scale: N synthetic patients (FOLIO_BENCH_DUP_PATIENTS,
 * default 20,000) registered in bulk, then one dup_scan() under one grant
 * (decrypt every record, block, score, store) vs the baseline of the same
 * grant decrypting every record alone. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "folio/access.h"
#include "folio/crypto.h"
#include "folio/demo.h"
#include "folio/dupes.h"
#include "folio/smem.h"

const char *bench_program = "bench_dup";


static const char *febrl_dir(void)
{
	const char *d = getenv("FOLIO_FEBRL_DIR");
	return d && *d ? d : "../shared/testdata/patient_matching/febrl";
}

/* ---- baseline: exact DOB + surname --------------------------------------- */

struct exact_q {
	double precision, recall, f1;
};

static int exact_cmp(const void *x, const void *y, void *ctx)
{
	const struct dup_person *ps = ctx;
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	int c = strcmp(ps[a].dob, ps[b].dob);
	return c ? c : strcmp(ps[a].family, ps[b].family);
}

static const struct dup_person *sort_ps;
static int exact_cmp_q(const void *x, const void *y)
{
	return exact_cmp(x, y, (void *)sort_ps);
}

static void exact_baseline(const struct dup_person *ps, const long *truth, size_t n, size_t true_pairs,
			   struct exact_q *q)
{
	uint32_t *ix = malloc(n * sizeof *ix);
	size_t pred = 0, good = 0;

	if (!ix)
		bench_die("malloc", NULL);
	for (size_t i = 0; i < n; i++)
		ix[i] = (uint32_t)i;
	sort_ps = ps;
	qsort(ix, n, sizeof *ix, exact_cmp_q);
	for (size_t s = 0, e; s < n; s = e) {
		for (e = s + 1; e < n && exact_cmp(&ix[s], &ix[e], (void *)ps) == 0; e++)
			;
		if (!ps[ix[s]].dob[0] || !ps[ix[s]].family[0])
			continue;
		for (size_t i = s; i < e; i++)
			for (size_t j = i + 1; j < e; j++) {
				pred++;
				good += truth[ix[i]] == truth[ix[j]];
			}
	}
	free(ix);
	q->precision = pred ? (double)good / (double)pred : 1.0;
	q->recall = true_pairs ? (double)good / (double)true_pairs : 1.0;
	q->f1 = q->precision + q->recall > 0 ? 2 * q->precision * q->recall / (q->precision + q->recall) : 0;
}

static int febrl(void)
{
	static const char *const sets[] = { "dataset1.csv", "dataset2.csv", "dataset3.csv" };
	char path[512], tb[32], tb2[32];
	int ok = 1;

	printf("duplicate finder on Febrl (threshold %d; target P >= 0.95 and R >= 0.95)\n", DUP_THRESHOLD);
	printf("%-13s %6s %8s %7s %7s | %6s %6s %6s | %-22s | %9s %9s\n", "data set", "rows", "cands",
	       "compl", "reduct", "P", "R", "F1", "baseline dob+surname", "read", "block+score");
	for (size_t k = 0; k < ARRAY_SIZE(sets); k++) {
		struct dup_person *ps;
		struct dup_quality q;
		struct exact_q b;
		long *truth;
		size_t n;
		double t0, t1, t2;

		snprintf(path, sizeof path, "%s/%s", febrl_dir(), sets[k]);
		t0 = bench_now();
		if (dup_febrl_load(path, &ps, &truth, &n) != 0) {
			printf("%-13s skipped: %s not found\n", sets[k], path);
			continue;
		}
		t1 = bench_now();
		if (dup_measure(ps, truth, n, DUP_THRESHOLD, &q) != 0)
			bench_die("dup_measure", NULL);
		t2 = bench_now();
		exact_baseline(ps, truth, n, q.true_pairs, &b);
		printf("%-13s %6zu %8zu %7.4f %7.4f | %6.3f %6.3f %6.3f | P %.3f R %.3f F1 %.3f | %9s %9s\n", sets[k],
		       n, q.candidates, q.completeness, q.reduction, q.precision, q.recall, q.f1, b.precision,
		       b.recall, b.f1, bench_fmt_time(t1 - t0, tb, sizeof tb), bench_fmt_time(t2 - t1, tb2, sizeof tb2));
		if (getenv("FOLIO_BENCH_DUP_SWEEP"))
			for (int th = 8; th <= 30; th += 2) {
				dup_measure(ps, truth, n, th, &q);
				printf("    th %2d: P %.4f R %.4f F1 %.4f\n", th, q.precision, q.recall, q.f1);
			}
		if (q.precision < 0.95 || q.recall < 0.95)
			ok = 0;
		free(ps);
		free(truth);
	}
	printf("verdict: %s\n\n", ok ? "P and R >= 0.95 on every data set read" : "BELOW TARGET");
	return ok;
}

/* ---- the scan at scale ------------------------------------------------------ */

static void scan_once(struct session *s, struct dup_scan_result *r, double *grant_seconds)
{
	struct folio_err e;
	struct grant *g;
	double t0 = bench_now();

	if (access_begin(s, ACT_MERGE_PROPOSE, NULL, "dup-scan", NULL, &g, &e) != FOLIO_OK ||
	    access_end(g, dup_scan(g, r, &e), &e) != FOLIO_OK)
		bench_die("dup_scan", &e);
	*grant_seconds = bench_now() - t0;
}

static void scan(void)
{
	const char *env = getenv("FOLIO_BENCH_DUP_PATIENTS");
	long n = env && *env ? atol(env) : 20000;
	char p[300], rec[RECOVERY_TEXT_MAX], a[32], b[32], c[32], d[32];
	struct dup_scan_result r1, r2;
	struct session *s;
	struct store *st;
	struct folio_err e;
	double t0, made, g1, g2;

	bench_tmpdir();
	bench_path(p, sizeof p, "folio.db");
	t0 = bench_now();
	if (demo_create(p, n, NULL, rec, sizeof rec, &e) != FOLIO_OK)
		bench_die("demo_create", &e);
	made = bench_now() - t0;
	smem_wipe(rec, sizeof rec);
	if (access_open(p, &st, &e) != FOLIO_OK || access_login(st, "tech", "demo-tech-pass", 14, &s, &e) != FOLIO_OK)
		bench_die("sign in", &e);
	scan_once(s, &r1, &g1);
	scan_once(s, &r2, &g2);
	printf("duplicate scan of the demo database (%ld synthetic patients, made in %s; %s)\n", n,
	       bench_fmt_time(made, a, sizeof a), bench_fs_name(bench_dir()));
	printf("  %-44s %10s %12s\n", "", "total", "per patient");
	printf("  %-44s %10s %12s\n", "baseline: read + decrypt every record", bench_fmt_time(r1.read_seconds, a, sizeof a),
	       bench_fmt_time(r1.read_seconds / (double)n, b, sizeof b));
	printf("  %-44s %10s %12s\n", "first scan (decrypt, block, score, store)", bench_fmt_time(r1.seconds, c, sizeof c),
	       bench_fmt_time(r1.seconds / (double)n, d, sizeof d));
	printf("  %-44s %10s %12s\n", "  the same in its grant (audit, commit)", bench_fmt_time(g1, a, sizeof a),
	       bench_fmt_time(g1 / (double)n, b, sizeof b));
	printf("  %-44s %10s %12s\n", "re-scan (pairs already kept)", bench_fmt_time(r2.seconds, c, sizeof c),
	       bench_fmt_time(r2.seconds / (double)n, d, sizeof d));
	printf("  candidates %zu, pairs kept %zu (%zu new on the re-scan); scan / decrypt alone %.2fx\n\n",
	       r1.candidates, r1.found, r2.added, r1.read_seconds > 0 ? r1.seconds / r1.read_seconds : 0.0);
	access_logout(s);
	access_close(st);
}

int main(void)
{
	if (smem_init() != 0)
		return 1;
	febrl();
	scan();
	return 0;
}
