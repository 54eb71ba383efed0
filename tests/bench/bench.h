/* folio — what the benchmarks share: a monotonic clock, a calibrated
 * median-of-runs timer and the table's number formats.  Header-only
 * (static inline) because each bench is one main() the Makefile links on
 * its own. */
#ifndef FOLIO_BENCH_H
#define FOLIO_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Keeps the compiler from dropping work whose result is never read (a
 * memcpy into a buffer nobody looks at is otherwise fair game). */
#define BENCH_CLOBBER(p) __asm__ volatile("" : : "r"(p) : "memory")

static inline double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef void (*bench_fn)(void *ctx, long iters);

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

#define BENCH_RUNS 5

/* Seconds per operation of fn: the batch size grows until one batch lasts
 * run_seconds (so clock resolution and loop overhead vanish), then
 * BENCH_RUNS batches are timed and the median kept, which shrugs off a
 * scheduler hiccup in any one of them.  max_iters caps slow operations. */
static inline double bench_measure(bench_fn fn, void *ctx, double run_seconds, long max_iters,
				   long *iters_out)
{
	double t[BENCH_RUNS], dt;
	long n = 1;

	for (;;) {
		double t0 = bench_now();
		fn(ctx, n);
		dt = bench_now() - t0;
		if (dt >= run_seconds || n >= max_iters)
			break;
		/* aim a little past the target so the loop ends in one more step */
		n = dt > 0 ? (long)((double)n * run_seconds * 1.2 / dt) + 1 : n * 10;
		if (n > max_iters)
			n = max_iters;
	}
	for (int r = 0; r < BENCH_RUNS; r++) {
		double t0 = bench_now();
		fn(ctx, n);
		t[r] = (bench_now() - t0) / (double)n;
	}
	qsort(t, BENCH_RUNS, sizeof t[0], bench_cmp_double);
	if (iters_out)
		*iters_out = n;
	return t[BENCH_RUNS / 2];
}

/* "1.23 us" style, three significant figures. */
static inline const char *bench_fmt_time(double s, char *buf, size_t cap)
{
	if (s >= 1.0)
		snprintf(buf, cap, "%.3g s", s);
	else if (s >= 1e-3)
		snprintf(buf, cap, "%.3g ms", s * 1e3);
	else if (s >= 1e-6)
		snprintf(buf, cap, "%.3g us", s * 1e6);
	else
		snprintf(buf, cap, "%.3g ns", s * 1e9);
	return buf;
}

/* "1.23 M" style counts per second. */
static inline const char *bench_fmt_rate(double per_s, char *buf, size_t cap)
{
	if (per_s >= 1e9)
		snprintf(buf, cap, "%.3g G", per_s / 1e9);
	else if (per_s >= 1e6)
		snprintf(buf, cap, "%.3g M", per_s / 1e6);
	else if (per_s >= 1e3)
		snprintf(buf, cap, "%.3g k", per_s / 1e3);
	else
		snprintf(buf, cap, "%.3g", per_s);
	return buf;
}

#endif
