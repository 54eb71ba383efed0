/* folio — the SQLite handle: open, pragmas, migrations, transactions,
 * integrity check and backup.  Knows no domain words. */
#include "folio/store.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "folio/schema.h"
#include "store_internal.h"

/* 'Foli': marks the file as ours so a stray SQLite file is not migrated. */
#define FOLIO_APPLICATION_ID 0x466F6C69
#define BUSY_TIMEOUT_MS 10000

const char *store_journal_mode(void)
{
	int v = sqlite3_libversion_number();

	/* The WAL-reset bug is fixed in 3.51.3 and backported to 3.44.6 and
	 * 3.50.7; anything else gets a rollback journal (design.md section 4). */
	if (v >= 3051003 || (v >= 3044006 && v < 3045000) || (v >= 3050007 && v < 3051000))
		return "wal";
	return "delete";
}

const char *store_library_version(void)
{
	return sqlite3_libversion();
}

int store_schema_latest(void)
{
	return schema_migration_count ? schema_migrations[schema_migration_count - 1].version : 0;
}

int store_fail(struct store *st, struct folio_err *e, const char *what)
{
	int rc = sqlite3_extended_errcode(st->db);
	int code = FOLIO_EFAIL;

	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		code = FOLIO_EUSAGE;
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return err_set(e, FOLIO_EFAIL, "%s: the database is busy; try again", what);
	if ((rc & 0xff) == SQLITE_FULL)
		return err_set(e, FOLIO_EFAIL, "%s: the disk is full; nothing was saved", what);
	if ((rc & 0xff) == SQLITE_READONLY)
		return err_set(e, FOLIO_EFAIL, "%s: the database file is read-only", what);
	if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
		return err_set(e, FOLIO_EFAIL, "%s: the database file is damaged or not a database", what);
	/* SQLite's messages name tables and constraints, never bound values. */
	return err_set(e, code, "%s: %s", what, sqlite3_errmsg(st->db));
}

int store_exec(struct store *st, const char *sql, struct folio_err *e)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(st, e, "database");
	return FOLIO_OK;
}

static int pragma_int(struct store *st, const char *sql, int *out)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);

	if (rc != SQLITE_OK)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

int store_schema_version(struct store *st)
{
	int v = -1;
	if (pragma_int(st, "PRAGMA user_version", &v) != 0)
		return -1;
	return v;
}

static int store_migrate(struct store *st, struct folio_err *e)
{
	int have, appid = 0;
	char sql[64];

	if (store_begin_write(st, e))
		return e->code;
	have = store_schema_version(st);
	if (have < 0 || pragma_int(st, "PRAGMA application_id", &appid) != 0) {
		store_rollback(st);
		return store_fail(st, e, "reading the database");
	}
	if (have > 0 && appid != FOLIO_APPLICATION_ID) {
		store_rollback(st);
		return err_set(e, FOLIO_EFAIL, "not a folio database");
	}
	if (have > store_schema_latest()) {
		store_rollback(st);
		return err_set(e, FOLIO_EFAIL,
			       "the database is at schema %d, newer than this folio (%d); upgrade folio",
			       have, store_schema_latest());
	}
	if (have == 0) {
		int tables = 0;
		if (pragma_int(st, "SELECT count(*) FROM sqlite_schema", &tables) != 0 || tables > 0) {
			store_rollback(st);
			return err_set(e, FOLIO_EFAIL, "not a folio database");
		}
	}
	for (unsigned i = 0; i < schema_migration_count; i++) {
		const struct schema_migration *m = &schema_migrations[i];
		if (m->version <= have)
			continue;
		if (sqlite3_exec(st->db, m->sql, NULL, NULL, NULL) != SQLITE_OK) {
			char what[96];
			snprintf(what, sizeof what, "migration %s", m->name);
			store_fail(st, e, what);
			store_rollback(st);
			return e->code;
		}
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", m->version);
		if (store_exec(st, sql, e)) {
			store_rollback(st);
			return e->code;
		}
	}
	snprintf(sql, sizeof sql, "PRAGMA application_id = %d", FOLIO_APPLICATION_ID);
	if (store_exec(st, sql, e)) {
		store_rollback(st);
		return e->code;
	}
	return store_commit(st, e);
}

/* Second wall behind the triggers: once open, no statement may change the
 * schema or rewrite the audit log, whatever SQL a later bug composes. */
static int store_authorize(void *ctx, int op, const char *a, const char *b, const char *db,
			   const char *trigger)
{
	(void)ctx;
	(void)b;
	(void)db;
	(void)trigger;
	switch (op) {
	case SQLITE_CREATE_INDEX: case SQLITE_CREATE_TABLE: case SQLITE_CREATE_TRIGGER:
	case SQLITE_CREATE_VIEW: case SQLITE_DROP_INDEX: case SQLITE_DROP_TABLE:
	case SQLITE_DROP_TRIGGER: case SQLITE_DROP_VIEW: case SQLITE_ALTER_TABLE:
	case SQLITE_CREATE_TEMP_INDEX: case SQLITE_CREATE_TEMP_TABLE:
	case SQLITE_CREATE_TEMP_TRIGGER: case SQLITE_CREATE_TEMP_VIEW:
	case SQLITE_DROP_TEMP_INDEX: case SQLITE_DROP_TEMP_TABLE:
	case SQLITE_DROP_TEMP_TRIGGER: case SQLITE_DROP_TEMP_VIEW:
	case SQLITE_ATTACH: case SQLITE_DETACH:
		return SQLITE_DENY;
	case SQLITE_DELETE:
	case SQLITE_UPDATE:
		return (a && strcmp(a, "audit_log") == 0) ? SQLITE_DENY : SQLITE_OK;
	default:
		return SQLITE_OK;
	}
}

int store_open(const char *path, int flags, struct store **out, struct folio_err *e)
{
	struct stat sb;
	struct store *st;
	int exists = stat(path, &sb) == 0;
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	char sql[64];

	*out = NULL;
	if (!exists && !(flags & STORE_CREATE))
		return err_set(e, FOLIO_ENOTFOUND,
			       "no database at '%s' (create one with 'folio init' or 'folio demo')", path);
	if (exists && (flags & STORE_MUST_BE_NEW) && sb.st_size > 0)
		return err_set(e, FOLIO_EUSAGE, "a database already exists at '%s'; nothing was changed", path);
	if (exists && S_ISDIR(sb.st_mode))
		return err_set(e, FOLIO_EUSAGE, "'%s' is a directory, not a database file", path);
	if (flags & STORE_CREATE)
		oflags |= SQLITE_OPEN_CREATE;

	st = calloc(1, sizeof *st);
	if (!st)
		return err_set(e, FOLIO_EFAIL, "out of memory");
	if (sqlite3_open_v2(path, &st->db, oflags, NULL) != SQLITE_OK) {
		err_set(e, FOLIO_EFAIL, "cannot open '%s': %s", path,
			st->db ? sqlite3_errmsg(st->db) : "out of memory");
		store_close(st);
		return FOLIO_EFAIL;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	snprintf(sql, sizeof sql, "PRAGMA journal_mode = %s", store_journal_mode());
	/* temp_store=MEMORY: sorts and temporary tables never reach a temp file. */
	if (store_exec(st, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;"
			   "PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY;"
			   "PRAGMA cache_size = -32768; PRAGMA mmap_size = 1073741824;"
			   "PRAGMA trusted_schema = OFF", e) ||
	    store_exec(st, sql, e) || store_migrate(st, e)) {
		if (strstr(e->msg, "not a database") || strstr(e->msg, "damaged"))
			err_set(e, FOLIO_EFAIL, "'%s' is damaged or is not a folio database", path);
		store_close(st);
		return FOLIO_EFAIL;
	}
	sqlite3_set_authorizer(st->db, store_authorize, NULL);
	*out = st;
	return FOLIO_OK;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	store_rollback(st);
	stmt_cache_clear(st);
	sqlite3_close_v2(st->db);
	free(st);
}

int store_begin_write(struct store *st, struct folio_err *e)
{
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(st, e, "starting a write");
	return FOLIO_OK;
}

int store_begin_read(struct store *st, struct folio_err *e)
{
	if (sqlite3_exec(st->db, "BEGIN DEFERRED", NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(st, e, "starting a read");
	return FOLIO_OK;
}

int store_commit(struct store *st, struct folio_err *e)
{
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		store_fail(st, e, "saving");
		store_rollback(st);
		return FOLIO_EFAIL;
	}
	return FOLIO_OK;
}

void store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

int store_in_transaction(struct store *st)
{
	return !sqlite3_get_autocommit(st->db);
}

int store_integrity_check(struct store *st, char *report, size_t cap, struct folio_err *e)
{
	sqlite3_stmt *s;
	size_t used = 0;
	int ok = 1, rc;

	report[0] = '\0';
	if (sqlite3_prepare_v2(st->db, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK)
		return store_fail(st, e, "integrity check");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(s, 0);
		if (line && strcmp(line, "ok") != 0)
			ok = 0;
		if (line && used + 2 < cap)
			used += (size_t)snprintf(report + used, cap - used, "%s%s", used ? "\n" : "", line);
		if (used >= cap)
			used = cap - 1;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, e, "integrity check");
	if (sqlite3_prepare_v2(st->db, "PRAGMA foreign_key_check", -1, &s, NULL) != SQLITE_OK)
		return store_fail(st, e, "foreign key check");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (ok) {
			ok = 0;
			used = 0;
			report[0] = '\0';
		}
		if (used + 2 < cap)
			used += (size_t)snprintf(report + used, cap - used,
						 "%sforeign key broken: %s row %lld -> %s",
						 used ? "\n" : "", sqlite3_column_text(s, 0),
						 (long long)sqlite3_column_int64(s, 1), sqlite3_column_text(s, 2));
		if (used >= cap)
			used = cap - 1;
	}
	sqlite3_finalize(s);
	if (!ok)
		return err_set(e, FOLIO_EFAIL, "integrity check failed");
	return FOLIO_OK;
}

int store_backup(struct store *st, const char *dest, struct folio_err *e)
{
	struct stat sb;
	sqlite3 *to;
	sqlite3_backup *b;
	int rc;

	if (stat(dest, &sb) == 0)
		return err_set(e, FOLIO_EUSAGE, "'%s' exists; a backup never overwrites a file", dest);
	if (sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		err_set(e, FOLIO_EFAIL, "cannot create '%s'", dest);
		sqlite3_close(to);
		return FOLIO_EFAIL;
	}
	b = sqlite3_backup_init(to, "main", st->db, "main");
	if (!b) {
		err_set(e, FOLIO_EFAIL, "backup: %s", sqlite3_errmsg(to));
		sqlite3_close(to);
		remove(dest);
		return FOLIO_EFAIL;
	}
	/* Others may hold the file for a moment; wait as long as the busy
	 * timeout, never forever. */
	for (int waited = 0;;) {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
			if (waited >= BUSY_TIMEOUT_MS)
				break;
			sqlite3_sleep(50);
			waited += 50;
		} else if (rc != SQLITE_OK) {
			break;
		}
	}
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		err_set(e, FOLIO_EFAIL, "backup failed: %s", sqlite3_errstr(rc));
		sqlite3_close(to);
		remove(dest);
		return FOLIO_EFAIL;
	}
	if (sqlite3_close(to) != SQLITE_OK)
		return err_set(e, FOLIO_EFAIL, "backup: closing '%s' failed", dest);
	return FOLIO_OK;
}
