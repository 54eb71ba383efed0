/* folio — the database (src/store/).  Owns the SQLite handle, its pragmas,
 * the migrations compiled in from schema/NNN_*.sql, prepared statements and
 * transactions.  It knows no domain words: callers bring their SQL.
 *
 * Rules for callers:
 *  - Bind only ciphertext or non-identifying values.  stmt_bind_blob() binds
 *    without copying (SQLITE_STATIC): the buffer must live until the next
 *    stmt_step()/stmt_reset()/stmt_finalize().
 *  - Pointers from stmt_text()/stmt_blob() are valid until the next step,
 *    reset or finalize: decrypt or copy at once.
 *  - Every write runs inside store_begin_write() (BEGIN IMMEDIATE).
 */
#ifndef FOLIO_STORE_H
#define FOLIO_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "folio/util.h"

struct store;
struct stmt;

enum store_open_flags {
	STORE_CREATE = 1 << 0,   /* create the file if absent */
	STORE_MUST_BE_NEW = 1 << 1, /* refuse a file that already holds a database */
	STORE_FOLIO_ONLY = 1 << 2   /* refuse an empty file too (never create a schema) */
};

/* Opens (and with STORE_CREATE creates) the database at path, applies the
 * pragmas and any pending migrations.  *out is owned by the caller
 * (store_close).  FOLIO_ENOTFOUND when the file is absent and not created. */
int store_open(const char *path, int flags, struct store **out, struct folio_err *e) MUST_CHECK;
void store_close(struct store *st);

/* "wal" or "delete": the journal mode this build uses with the linked SQLite. */
const char *store_journal_mode(void);
const char *store_library_version(void);
/* Highest migration compiled in, and the one the open file is at. */
int store_schema_latest(void);
int store_schema_version(struct store *st);

int store_begin_write(struct store *st, struct folio_err *e) MUST_CHECK;
int store_begin_read(struct store *st, struct folio_err *e) MUST_CHECK;
int store_commit(struct store *st, struct folio_err *e) MUST_CHECK;
/* Rolls back an open transaction; harmless when none is open. */
void store_rollback(struct store *st);
int store_in_transaction(struct store *st);

/* Runs SQL without results (schema text, pragmas). */
int store_exec(struct store *st, const char *sql, struct folio_err *e);
/* Runs one statement without results whose only parameter ?1 is id. */
int store_exec_id(struct store *st, const char *sql, int64_t id, struct folio_err *e);

/* PRAGMA integrity_check plus foreign_key_check. report gets "ok" or the
 * first problems found. FOLIO_EFAIL when not ok. */
int store_integrity_check(struct store *st, char *report, size_t cap, struct folio_err *e);

/* Online copy of the whole database into dest (which must not exist): one
 * consistent snapshot, written under a temporary name (0600), synced and
 * then linked into place. */
int store_backup(struct store *st, const char *dest, struct folio_err *e);
/* The path of the open database file. */
const char *store_filename(struct store *st);
/* Copies file src byte for byte to a new 0600 file beside `beside`
 * ("beside.tmp-XXXXXX", synced); *tmp gets its malloc'd name. */
int store_stage_copy(const char *src, const char *beside, char **tmp, struct folio_err *e) MUST_CHECK;
int store_file_sync(const char *path, struct folio_err *e) MUST_CHECK;
/* Replaces st's file by tmp under an exclusive lock: the current file is
 * kept (hard link) as keep_as, then tmp is renamed over it.  No transaction
 * may be open on st.  FOLIO_EFAIL, nothing replaced, when another folio
 * keeps the database busy past the busy timeout. */
int store_swap(struct store *st, const char *tmp, const char *keep_as, struct folio_err *e) MUST_CHECK;

/* ---- statements ------------------------------------------------------ */
enum { STMT_ROW = 100, STMT_DONE = 101 };

int stmt_prepare(struct store *st, const char *sql, struct stmt **out, struct folio_err *e) MUST_CHECK;
/* Finalizes; NULL allowed. */
void stmt_finalize(struct stmt *s);
void stmt_reset(struct stmt *s);
int stmt_bind_int64(struct stmt *s, int idx, int64_t v);
int stmt_bind_null(struct stmt *s, int idx);
/* Binds non-identifying text (user names, codes, actions); copied. */
int stmt_bind_text(struct stmt *s, int idx, const char *v);
/* The same without the copy, for statements run per row of a bulk import:
 * v must stay as it is until the next stmt_step()/stmt_reset()/
 * stmt_finalize(), as with stmt_bind_blob(). */
int stmt_bind_text_ref(struct stmt *s, int idx, const char *v);
/* Binds a blob (ciphertext) without copying; see the rules above. */
int stmt_bind_blob(struct stmt *s, int idx, const void *v, size_t n);
/* STMT_ROW, STMT_DONE, or a status with the message in e (FOLIO_EFAIL;
 * FOLIO_EUSAGE for a constraint violation). */
int stmt_step(struct stmt *s, struct folio_err *e);
int64_t stmt_int64(struct stmt *s, int col);
int stmt_is_null(struct stmt *s, int col);
/* Text of a column or "" for NULL. */
const char *stmt_text(struct stmt *s, int col);
const void *stmt_blob(struct stmt *s, int col, size_t *len);
int64_t store_last_rowid(struct store *st);
int store_changes(struct store *st);

#endif
