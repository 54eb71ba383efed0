/* folio — what the benchmarks share: a monotonic clock, a calibrated
 * median-of-runs timer and the table's number formats.  Header-only
 * (static inline) because each bench is one main() the Makefile links on
 * its own. */
#ifndef FOLIO_BENCH_H
#define FOLIO_BENCH_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "folio/util.h"

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

/* ---- the scratch directory: folio.db and plain.db side by side ------ */

static inline char *bench_dir(void)
{
	static char dir[256];
	return dir;
}

/* Prints "NAME: what: why" and exits; NAME is the program's. */
static inline void bench_die(const char *what, const struct folio_err *e)
{
	extern const char *bench_program;
	fprintf(stderr, "%s: %s: %s\n", bench_program, what, e ? e->msg : strerror(errno));
	exit(1);
}

static inline void bench_path(char *buf, size_t cap, const char *name)
{
	snprintf(buf, cap, "%s/%s", bench_dir(), name);
}

/* Removes both databases and their journals, unless FOLIO_BENCH_KEEP. */
static inline void bench_cleanup(void)
{
	static const char *const names[] = {
		"folio.db", "folio.db-journal", "folio.db-wal", "folio.db-shm",
		"plain.db", "plain.db-journal", "plain.db-wal", "plain.db-shm",
	};
	char p[300];

	if (!bench_dir()[0] || getenv("FOLIO_BENCH_KEEP"))
		return;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		bench_path(p, sizeof p, names[i]);
		unlink(p);
	}
	rmdir(bench_dir());
}

/* The numbers are dominated by fsync, so the file system is part of them. */
static inline const char *bench_fs_name(const char *path)
{
	static char other[32];
	struct statfs sf;

	if (statfs(path, &sf) != 0)
		return "?";
	switch ((unsigned long)sf.f_type) {
	case 0xEF53: return "ext4";
	case 0x01021994: return "tmpfs";
	case 0x58465342: return "xfs";
	case 0x9123683E: return "btrfs";
	case 0x794C7630: return "overlayfs";
	default:
		snprintf(other, sizeof other, "fs 0x%lx", (unsigned long)sf.f_type);
		return other;
	}
}

/* Makes the directory under $TMPDIR (else /tmp), removed at exit. */
static inline void bench_tmpdir(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(bench_dir(), 256, "%s/folio-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(bench_dir()))
		bench_die("mkdtemp", NULL);
	atexit(bench_cleanup);
}

#endif
