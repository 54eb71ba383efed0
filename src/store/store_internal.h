/* folio — the store's private state, shared by store.c and stmt.c. */
#ifndef FOLIO_STORE_INTERNAL_H
#define FOLIO_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdlib.h>

#include "folio/store.h"

#define STMT_CACHE 48

/* Prepared statements are kept by their SQL text and reused: preparing is
 * a tenth of a bulk registration otherwise. */
struct stmt_cached {
	char *sql;
	sqlite3_stmt *s;
	int busy;
};

struct store {
	sqlite3 *db;
	struct stmt_cached cache[STMT_CACHE];
	int ncache;
	int flags;              /* enum store_open_flags it was opened with */
	int64_t busy_since_ms;  /* when the current wait for a lock began */
};

struct stmt {
	struct store *st;
	sqlite3_stmt *s;
	struct stmt_cached *cached; /* NULL: finalize for real */
};

/* Finalizes every cached statement (before close). */
void stmt_cache_clear(struct store *st);

/* Turns the handle's last error into a status and message about `what`. */
int store_fail(struct store *st, struct folio_err *e, const char *what);

#endif
