/* folio — prepared statements over the store. */
#include <string.h>

#include "store_internal.h"

int stmt_prepare(struct store *st, const char *sql, struct stmt **out, struct folio_err *e)
{
	struct stmt *s = calloc(1, sizeof *s);
	struct stmt_cached *c = NULL;

	*out = NULL;
	if (!s)
		return err_set(e, FOLIO_EFAIL, "out of memory");
	s->st = st;
	for (int i = 0; i < st->ncache; i++) {
		if (!st->cache[i].busy && strcmp(st->cache[i].sql, sql) == 0) {
			c = &st->cache[i];
			break;
		}
	}
	if (c) {
		s->s = c->s;
	} else {
		if (sqlite3_prepare_v3(st->db, sql, -1, st->ncache < STMT_CACHE ? SQLITE_PREPARE_PERSISTENT : 0,
				       &s->s, NULL) != SQLITE_OK) {
			free(s);
			return store_fail(st, e, "preparing a statement");
		}
		if (st->ncache < STMT_CACHE && (st->cache[st->ncache].sql = strdup(sql))) {
			c = &st->cache[st->ncache++];
			c->s = s->s;
		}
	}
	if (c)
		c->busy = 1;
	s->cached = c;
	*out = s;
	return FOLIO_OK;
}

void stmt_finalize(struct stmt *s)
{
	if (!s)
		return;
	if (s->cached) {
		sqlite3_reset(s->s);
		sqlite3_clear_bindings(s->s);
		s->cached->busy = 0;
	} else {
		sqlite3_finalize(s->s);
	}
	free(s);
}

void stmt_cache_clear(struct store *st)
{
	for (int i = 0; i < st->ncache; i++) {
		sqlite3_finalize(st->cache[i].s);
		free(st->cache[i].sql);
	}
	st->ncache = 0;
}

void stmt_reset(struct stmt *s)
{
	sqlite3_reset(s->s);
	sqlite3_clear_bindings(s->s);
}

int stmt_bind_int64(struct stmt *s, int idx, int64_t v)
{
	return sqlite3_bind_int64(s->s, idx, v) == SQLITE_OK ? 0 : -1;
}

int stmt_bind_null(struct stmt *s, int idx)
{
	return sqlite3_bind_null(s->s, idx) == SQLITE_OK ? 0 : -1;
}

int stmt_bind_text(struct stmt *s, int idx, const char *v)
{
	if (!v)
		return stmt_bind_null(s, idx);
	return sqlite3_bind_text(s->s, idx, v, -1, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : -1;
}

int stmt_bind_text_ref(struct stmt *s, int idx, const char *v)
{
	if (!v)
		return stmt_bind_null(s, idx);
	return sqlite3_bind_text(s->s, idx, v, -1, SQLITE_STATIC) == SQLITE_OK ? 0 : -1;
}

int stmt_bind_blob(struct stmt *s, int idx, const void *v, size_t n)
{
	/* SQLITE_STATIC: no copy lands in SQLite's heap (see store.h). */
	return sqlite3_bind_blob64(s->s, idx, v, n, SQLITE_STATIC) == SQLITE_OK ? 0 : -1;
}

int stmt_step(struct stmt *s, struct folio_err *e)
{
	int rc = sqlite3_step(s->s);

	if (rc == SQLITE_ROW)
		return STMT_ROW;
	if (rc == SQLITE_DONE)
		return STMT_DONE;
	return store_fail(s->st, e, "database");
}

int64_t stmt_int64(struct stmt *s, int col)
{
	return sqlite3_column_int64(s->s, col);
}

int stmt_is_null(struct stmt *s, int col)
{
	return sqlite3_column_type(s->s, col) == SQLITE_NULL;
}

const char *stmt_text(struct stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s->s, col);
	return t ? (const char *)t : "";
}

const void *stmt_blob(struct stmt *s, int col, size_t *len)
{
	const void *p = sqlite3_column_blob(s->s, col);
	*len = (size_t)sqlite3_column_bytes(s->s, col);
	return p;
}

int64_t store_last_rowid(struct store *st)
{
	return sqlite3_last_insert_rowid(st->db);
}

int store_changes(struct store *st)
{
	return sqlite3_changes(st->db);
}

int store_exec_id(struct store *st, const char *sql, int64_t id, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if ((rc = stmt_prepare(st, sql, &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : (rc == STMT_ROW ? err_set(e, FOLIO_EFAIL, "statement returned rows") : rc);
}
