/* folio bench: the audit log.  Every grant writes one hash-chained row in its
 * own synchronous=FULL transaction, so appends per second bound how fast
 * anything audited can go; audit_verify bounds `folio audit verify`.
 * Baselines, timed in the same run on the same file system: plain SQLite
 * inserts of a row of the same size and shape, one transaction each, with
 * the same pragmas; and a plain SELECT of the same rows.
 *
 * Everything lives in a mkdtemp() directory under /tmp, removed at the end. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bench.h"
#include "bench_sql.h"
#include "folio/access.h"
#include "folio/audit.h"
#include "folio/crypto.h"
#include "folio/smem.h"

/* Rows per phase, and a time cap per phase so a slow disk (each commit is
 * several fsyncs) still keeps the bench well under 20 s; the N actually
 * reached is printed. */
#define N_MAX 2000
#define PHASE_SECONDS 5.0

static const char pw[] = "bench-password-0001";

const char *bench_program = "bench_audit";

/* ---- folio: one audited grant per row --------------------------------------- */

static long folio_appends(struct session *s, double *secs)
{
	struct folio_err e;
	double t0 = bench_now();
	long n;

	for (n = 0; n < N_MAX && bench_now() - t0 < PHASE_SECONDS; n++) {
		struct grant *g;
		if (access_begin(s, ACT_AUDIT_HEAD, NULL, NULL, NULL, &g, &e) != FOLIO_OK)
			bench_die("access_begin", &e);
		if (access_end(g, FOLIO_OK, &e) != FOLIO_OK)
			bench_die("access_end", &e);
	}
	*secs = bench_now() - t0;
	return n;
}

static int keep_row(const struct audit_row *r, void *ctx)
{
	*(struct audit_row *)ctx = *r;
	/* 0, not 1: audit_show() hands a non-zero stop back as its own status,
	 * where 1 would read as FOLIO_EFAIL; the filter's limit of 1 stops it. */
	return 0;
}

/* One of the rows just written, so the baseline inserts the same bytes. */
static void sample_row(struct session *s, struct audit_row *out)
{
	struct audit_filter f = { NULL, NULL, "audit.head", NULL, NULL, 1 };
	struct folio_err e;
	struct grant *g;

	memset(out, 0, sizeof *out);
	if (access_begin(s, ACT_AUDIT_SHOW, NULL, NULL, NULL, &g, &e) != FOLIO_OK)
		bench_die("access_begin", &e);
	if (audit_show(g, &f, keep_row, out, &e) != FOLIO_OK)
		bench_die("audit_show", &e);
	if (access_end(g, FOLIO_OK, &e) != FOLIO_OK)
		bench_die("access_end", &e);
	if (!out->seq)
		bench_die("no audit.head row to copy", NULL);
}

static double folio_verify(struct session *s, int64_t *rows)
{
	struct audit_report r;
	struct folio_err e;
	struct grant *g;
	double t0, dt;

	if (access_begin(s, ACT_AUDIT_VERIFY, NULL, NULL, NULL, &g, &e) != FOLIO_OK)
		bench_die("access_begin", &e);
	t0 = bench_now();
	if (audit_verify(g, NULL, &r, &e) != FOLIO_OK)
		bench_die("audit_verify", &e);
	dt = bench_now() - t0;
	if (access_end(g, FOLIO_OK, &e) != FOLIO_OK)
		bench_die("access_end", &e);
	*rows = r.rows;
	return dt;
}

/* ---- baseline: plain SQLite ------------------------------------------------------ */

static sqlite3 *plain_open(void)
{
	sqlite3 *db;

	db = bench_plain_open("plain.db");
	/* The audit_log table of schema/ with its indexes, minus the
	 * append-only triggers (an INSERT never fires them). */
	bench_sql_ok(db, sqlite3_exec(db,
		"CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, at TEXT NOT NULL,"
		" user_name TEXT NOT NULL, role TEXT NOT NULL, workstation TEXT NOT NULL,"
		" action TEXT NOT NULL, outcome TEXT NOT NULL, mrn TEXT NOT NULL DEFAULT '',"
		" object_type TEXT NOT NULL DEFAULT '', object_id TEXT NOT NULL DEFAULT '',"
		" reason TEXT NOT NULL DEFAULT '', key_version INTEGER NOT NULL,"
		" hash BLOB NOT NULL CHECK (length(hash) = 32)) STRICT;"
		"CREATE INDEX audit_log_user ON audit_log(user_name, seq);"
		"CREATE INDEX audit_log_mrn ON audit_log(mrn, seq) WHERE mrn <> '';",
		NULL, NULL, NULL), "create table");
	return db;
}

static long plain_inserts(sqlite3 *db, const struct audit_row *r, long n_want, double *secs)
{
	sqlite3_stmt *ins;
	uint8_t hash[HASH_BYTES];
	double t0;
	long n;

	bench_sql_ok(db, sqlite3_prepare_v2(db,
		"INSERT INTO audit_log (seq, at, user_name, role, workstation, action, outcome, mrn,"
		" object_type, object_id, reason, key_version, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
		-1, &ins, NULL), "prepare");
	crypto_random(hash, sizeof hash);
	t0 = bench_now();
	for (n = 0; n < n_want && bench_now() - t0 < PHASE_SECONDS; n++) {
		bench_sql_ok(db, sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), "begin");
		sqlite3_bind_int64(ins, 1, n + 1);
		sqlite3_bind_text(ins, 2, r->at, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, r->user, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 4, r->role, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 5, r->workstation, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 6, r->action, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 7, r->outcome, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 8, r->mrn, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 9, r->object_type, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 10, r->object_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 11, r->reason, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 12, r->key_version);
		sqlite3_bind_blob(ins, 13, hash, sizeof hash, SQLITE_STATIC);
		bench_sql_ok(db, sqlite3_step(ins), "insert");
		sqlite3_reset(ins);
		bench_sql_ok(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
	}
	*secs = bench_now() - t0;
	sqlite3_finalize(ins);
	return n;
}

/* Reads every column of every row, which is what verify must do before it
 * hashes anything. */
static double plain_scan(sqlite3 *db, int64_t *rows)
{
	sqlite3_stmt *s;
	size_t bytes = 0;
	double t0;

	bench_sql_ok(db, sqlite3_prepare_v2(db,
		"SELECT seq, at, user_name, role, workstation, action, outcome, mrn, object_type,"
		" object_id, reason, key_version, hash FROM audit_log ORDER BY seq", -1, &s, NULL),
	       "prepare");
	*rows = 0;
	t0 = bench_now();
	while (sqlite3_step(s) == SQLITE_ROW) {
		for (int c = 0; c < 13; c++) {
			(void)sqlite3_column_blob(s, c);
			bytes += (size_t)sqlite3_column_bytes(s, c);
		}
		(*rows)++;
	}
	BENCH_CLOBBER(&bytes);
	t0 = bench_now() - t0;
	sqlite3_finalize(s);
	return t0;
}

/* ---- table ------------------------------------------------------------------------ */

static void row(const char *what, long n, double secs, double base_per_s)
{
	char rate[16], per[16], ratio[32] = "";
	double per_s = (double)n / secs;

	if (base_per_s > 0)
		snprintf(ratio, sizeof ratio, "  %.2fx", base_per_s / per_s);
	printf("%-44s %7ld %10s %10s%s\n", what, n, bench_fmt_rate(per_s, rate, sizeof rate),
	       bench_fmt_time(secs / (double)n, per, sizeof per), ratio);
}

int main(void)
{
	char rec[RECOVERY_TEXT_MAX], p[300];
	struct folio_err e;
	struct store *st;
	struct session *s;
	struct audit_row sample;
	sqlite3 *db;
	long n_folio, n_plain;
	int64_t vrows, srows;
	double t_folio, t_plain, t_verify, t_scan, t0 = bench_now();

	if (smem_init() != 0)
		bench_die("smem_init", NULL);
	bench_tmpdir();

	bench_path(p, sizeof p, "folio.db");
	if (access_init_db(p, "admin", pw, sizeof pw - 1, 1, rec, sizeof rec, &e) != FOLIO_OK)
		bench_die("access_init_db", &e);
	if (access_open(p, &st, &e) != FOLIO_OK)
		bench_die("access_open", &e);
	if (access_login(st, "admin", pw, sizeof pw - 1, &s, &e) != FOLIO_OK)
		bench_die("access_login", &e);

	n_folio = folio_appends(s, &t_folio);
	sample_row(s, &sample);
	t_verify = folio_verify(s, &vrows);

	db = plain_open();
	n_plain = plain_inserts(db, &sample, n_folio, &t_plain);
	t_scan = plain_scan(db, &srows);

	printf("\nfolio bench: audit (SQLite %s, journal_mode=%s, synchronous=FULL, %s on %s)\n",
	       access_sqlite_version(), access_journal_mode(), bench_fs_name(bench_dir()), bench_dir());
	printf("N = %ld audited grants (cap %d or %.0f s); row as written: %zu bytes of text"
	       " + 32-byte hash\n\n", n_folio, N_MAX, PHASE_SECONDS,
	       strlen(sample.at) + strlen(sample.user) + strlen(sample.role) +
		       strlen(sample.workstation) + strlen(sample.action) + strlen(sample.outcome) +
		       strlen(sample.mrn) + strlen(sample.object_type) + strlen(sample.object_id) +
		       strlen(sample.reason));
	printf("%-44s %7s %10s %10s  %s\n", "operation", "rows", "rows/s", "per row", "cost vs baseline");
	row("audit append: access_begin+access_end", n_folio, t_folio, (double)n_plain / t_plain);
	row("  baseline: plain INSERT, own transaction", n_plain, t_plain, 0);
	row("audit_verify (whole chain, keyed BLAKE2b)", (long)vrows, t_verify, (double)srows / t_scan);
	row("  baseline: plain SELECT of the same rows", (long)srows, t_scan, 0);
	printf("\n(bench_audit took %.1f s)\n", bench_now() - t0);

	sqlite3_close(db);
	access_logout(s);
	access_close(st);
	return 0;
}
