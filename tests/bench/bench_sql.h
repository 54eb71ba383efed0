/* folio — what the benchmarks with a plaintext SQLite baseline share: the
 * check of a SQLite call and the baseline database opened with the pragmas
 * store_open() sets, so that only folio's own work differs.  Include after
 * bench.h. */
#ifndef FOLIO_BENCH_SQL_H
#define FOLIO_BENCH_SQL_H

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include "folio/access.h"

static inline void bench_sql_ok(sqlite3 *db, int rc, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "bench: %s: %s\n", what, sqlite3_errmsg(db));
		exit(1);
	}
}

/* A new plaintext database `name` in the bench directory. */
static inline sqlite3 *bench_plain_open(const char *name)
{
	char p[300], pragmas[256];
	sqlite3 *db;

	bench_path(p, sizeof p, name);
	if (sqlite3_open(p, &db) != SQLITE_OK)
		bench_die("sqlite3_open", NULL);
	snprintf(pragmas, sizeof pragmas,
		 "PRAGMA journal_mode = %s; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;"
		 " PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;", access_journal_mode());
	bench_sql_ok(db, sqlite3_exec(db, pragmas, NULL, NULL, NULL), "pragmas");
	return db;
}

#endif
