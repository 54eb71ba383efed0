/* folio — the store's private state, shared by store.c and stmt.c. */
#ifndef FOLIO_STORE_INTERNAL_H
#define FOLIO_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdlib.h>

#include "folio/store.h"

struct store {
	sqlite3 *db;
};

struct stmt {
	struct store *st;
	sqlite3_stmt *s;
};

/* Turns the handle's last error into a status and message about `what`. */
int store_fail(struct store *st, struct folio_err *e, const char *what);

#endif
