/* folio — the SQLite handle: open, pragmas, migrations, transactions,
 * integrity check and backup.  Knows no domain words. */
#include "folio/store.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "folio/outfile.h"

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
	/* A writable file in a read-only folder fails the same way, but the
	 * fix is the folder: the rollback journal is created beside the file. */
	if (rc == SQLITE_READONLY_DIRECTORY)
		return err_set(e, FOLIO_EFAIL, "%s: the folder holding the database is read-only "
			       "(its journal is written beside it)", what);
	if (rc == SQLITE_READONLY_ROLLBACK)
		return err_set(e, FOLIO_EFAIL, "%s: an interrupted write must be rolled back, "
			       "but the database file is read-only", what);
	if ((rc & 0xff) == SQLITE_READONLY)
		return err_set(e, FOLIO_EFAIL, "%s: the database file is read-only", what);
	if ((rc & 0xff) == SQLITE_CANTOPEN)
		return err_set(e, FOLIO_EFAIL, "%s: cannot open the database's journal "
			       "(check the folder's permissions)", what);
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

/* folio_unhex(text): the bytes of an even run of hex digits, for a
 * migration that turns stored hex into blobs (schema/018); SQLite 3.40 has
 * no unhex().  Anything else is an error, so the migration rolls back. */
static void sql_unhex(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const unsigned char *t = sqlite3_value_text(argv[0]);
	int n = sqlite3_value_bytes(argv[0]);
	unsigned char out[64];

	(void)argc;
	if (!t || n % 2 || n / 2 > (int)sizeof out) {
		sqlite3_result_error(cx, "folio_unhex: not an even run of at most 128 hex digits", -1);
		return;
	}
	for (int i = 0; i < n; i++) {
		int c = t[i], v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
				  c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (v < 0) {
			sqlite3_result_error(cx, "folio_unhex: not a hex digit", -1);
			return;
		}
		out[i / 2] = (unsigned char)(i % 2 ? out[i / 2] | v : v << 4);
	}
	sqlite3_result_blob(cx, out, n / 2, SQLITE_TRANSIENT);
}

static int store_migrate(struct store *st, struct folio_err *e)
{
	int have, appid = 0;
	char sql[64];

	if (sqlite3_create_function_v2(st->db, "folio_unhex", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
				       NULL, sql_unhex, NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(st, e, "preparing the migrations");
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
	if (have == 0 && (st->flags & STORE_FOLIO_ONLY)) {
		store_rollback(st);
		return err_set(e, FOLIO_EFAIL, "not a folio database");
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

/* The busy timeout.  SQLite's own handler sleeps up to 100 ms between
 * tries and a freed lock goes to whoever tries first, so under a
 * department's load a writer that had waited long kept losing to newcomers
 * (BEGIN IMMEDIATE waits of 4.5 to 6.7 s with 8 processes, tests/bench/
 * bench_concurrency.c, against a 10 s limit).  Here a waiter's naps
 * shorten as its wait grows (20 ms down to 2 ms, jittered): the longest
 * waiter tries most often and so wins the lock soonest, while newcomers
 * back off and leave the CPU to the holder.  Past BUSY_TIMEOUT_MS the
 * statement fails SQLITE_BUSY and the caller says "busy; try again".
 * Nothing is retried here: SQLite calls this before a lock is taken, so
 * no half-done work is redone. */
static int store_busy_wait(void *ctx, int tries)
{
	struct store *st = ctx;
	struct timespec now, nap;
	unsigned r;
	long us, waited;
	int64_t ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
	if (tries == 0)
		st->busy_since_ms = ms;
	waited = (long)(ms - st->busy_since_ms);
	if (waited >= BUSY_TIMEOUT_MS)
		return 0;
	if (tries < 3)
		us = 1000L << tries;             /* a short wait ends as soon as before */
	else
		us = 20000L - waited * 20L;      /* 20 ms, 2 ms after 0.9 s of waiting */
	if (us < 2000L)
		us = 2000L;
	sqlite3_randomness(sizeof r, &r);
	us = us / 2 + (long)(r % (unsigned)(us / 2 + 1));
	nap.tv_sec = 0;
	nap.tv_nsec = us * 1000;
	nanosleep(&nap, NULL);
	return 1;
}

/* Before SQLite's first use in the process: no allocation statistics, which
 * folio never reads and which take a global mutex on every allocation (a
 * few percent of a bulk import).  Too late once SQLite is initialised
 * (another open went first): then it refuses and nothing changes. */
static void store_configure(void)
{
	static int done;

	if (!done) {
		done = 1;
		(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
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
	store_configure();
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
	st->flags = flags;
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_handler(st->db, store_busy_wait, st);
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

/* Flushes a file, or a directory's entries, to the disk. */
static int sync_path(const char *path, int dir)
{
	int fd = open(path, dir ? O_RDONLY | O_DIRECTORY : O_RDONLY);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static void sync_parent(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');

	if (!slash) {
		sync_path(".", 1);
		return;
	}
	if ((size_t)(slash - path) >= sizeof dir)
		return;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	sync_path(slash == path ? "/" : dir, 1);
}

/* A new empty 0600 file "path.tmp-XXXXXX"; *tmp is malloc'd. */
static int temp_beside(const char *path, char **tmp, struct folio_err *e)
{
	size_t n = strlen(path) + 16;
	char *t = malloc(n);
	int fd;

	*tmp = NULL;
	if (!t)
		return err_set(e, FOLIO_EFAIL, "out of memory");
	snprintf(t, n, "%s.tmp-XXXXXX", path);
	if ((fd = mkstemp(t)) < 0) {
		int rc = err_set(e, FOLIO_EFAIL, "cannot create a file beside %s: %s", path, strerror(errno));
		free(t);
		return rc;
	}
	close(fd);
	*tmp = t;
	return FOLIO_OK;
}

int store_backup(struct store *st, const char *dest, struct folio_err *e)
{
	struct stat sb;
	sqlite3 *to = NULL;
	sqlite3_backup *b;
	char *tmp;
	int rc;

	if (stat(dest, &sb) == 0)
		return err_set(e, FOLIO_EUSAGE, "'%s' exists; a backup never overwrites a file", dest);
	/* The copy is made under a temporary name (0600 from mkstemp) and
	 * linked into place only when whole and synced: OUT is never a
	 * half-written file. */
	if ((rc = temp_beside(dest, &tmp, e)))
		return rc;
	if (sqlite3_open_v2(tmp, &to, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		err_set(e, FOLIO_EFAIL, "cannot create '%s'", dest);
		goto fail;
	}
	b = sqlite3_backup_init(to, "main", st->db, "main");
	if (!b) {
		err_set(e, FOLIO_EFAIL, "backup: %s", sqlite3_errmsg(to));
		goto fail;
	}
	/* All pages in one step, under one read transaction on the source:
	 * writers wait (their busy timeout) instead of restarting the copy, so
	 * the copy is one consistent snapshot however busy the clinic is.
	 * Others may hold a write lock for a moment; wait as long as the busy
	 * timeout, never forever. */
	for (int waited = 0;;) {
		rc = sqlite3_backup_step(b, -1);
		if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && waited < BUSY_TIMEOUT_MS) {
			sqlite3_sleep(50);
			waited += 50;
			continue;
		}
		break;
	}
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		err_set(e, FOLIO_EFAIL, "backup failed: %s", rc == SQLITE_BUSY || rc == SQLITE_LOCKED ?
			"the database stayed busy; try again" : sqlite3_errstr(rc));
		goto fail;
	}
	if (sqlite3_close(to) != SQLITE_OK) {
		to = NULL;
		err_set(e, FOLIO_EFAIL, "backup: closing '%s' failed", dest);
		goto fail;
	}
	to = NULL;
	if (sync_path(tmp, 0) != 0) {
		err_set(e, FOLIO_EFAIL, "backup: cannot sync '%s': %s", dest, strerror(errno));
		goto fail;
	}
	rc = outfile_place(tmp, dest, 0, e);
	free(tmp);
	if (rc == FOLIO_OK)
		sync_parent(dest);
	return rc;
fail:
	if (to)
		sqlite3_close(to);
	unlink(tmp);
	free(tmp);
	return FOLIO_EFAIL;
}

const char *store_filename(struct store *st)
{
	const char *f = sqlite3_db_filename(st->db, "main");
	return f ? f : "";
}

int store_stage_copy(const char *src, const char *beside, char **tmp, struct folio_err *e)
{
	char buf[65536];
	int in, out = -1, rc;
	ssize_t n;

	*tmp = NULL;
	if ((in = open(src, O_RDONLY)) < 0)
		return err_set(e, errno == ENOENT ? FOLIO_ENOTFOUND : FOLIO_EFAIL, "cannot read '%s': %s", src,
			       strerror(errno));
	if ((rc = temp_beside(beside, tmp, e))) {
		close(in);
		return rc;
	}
	if ((out = open(*tmp, O_WRONLY | O_TRUNC)) < 0)
		goto fail;
	while ((n = read(in, buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || outfile_write_fd(out, buf, (size_t)n) != 0)
			goto fail;
	}
	if (fsync(out) != 0 || close(out) != 0) {
		out = -1;
		goto fail;
	}
	close(in);
	return FOLIO_OK;
fail:
	rc = err_set(e, FOLIO_EFAIL, "cannot copy '%s' beside '%s': %s", src, beside, strerror(errno));
	if (out >= 0)
		close(out);
	close(in);
	unlink(*tmp);
	free(*tmp);
	*tmp = NULL;
	return rc;
}

int store_file_sync(const char *path, struct folio_err *e)
{
	if (sync_path(path, 0) != 0)
		return err_set(e, FOLIO_EFAIL, "cannot sync '%s': %s", path, strerror(errno));
	return FOLIO_OK;
}

int store_swap(struct store *st, const char *tmp, const char *keep_as, struct folio_err *e)
{
	const char *live = store_filename(st);
	int rc = FOLIO_OK;

	if (strcmp(store_journal_mode(), "delete") != 0)
		return err_set(e, FOLIO_EFAIL, "restore needs the rollback journal; this build uses %s",
			       store_journal_mode());
	if (store_in_transaction(st))
		return err_set(e, FOLIO_EFAIL, "restore: a transaction is still open");
	/* EXCLUSIVE waits (busy timeout) for every other reader and writer to
	 * finish and keeps new ones out while the name changes hands.  A folio
	 * that stays open afterwards still holds the old file (now keep_as);
	 * SQLite refuses its writes there (the file has moved). */
	if (sqlite3_exec(st->db, "BEGIN EXCLUSIVE", NULL, NULL, NULL) != SQLITE_OK)
		return err_set(e, FOLIO_EFAIL, "the database is in use by another folio; nothing was replaced;"
					       " try again when it is idle");
	if (link(live, keep_as) != 0)
		rc = err_set(e, FOLIO_EFAIL, "cannot keep the current database as '%s': %s; nothing was"
					     " replaced", keep_as, strerror(errno));
	else if (rename(tmp, live) != 0) {
		rc = err_set(e, FOLIO_EFAIL, "cannot replace '%s': %s; nothing was replaced", live, strerror(errno));
		unlink(keep_as);
	}
	if (rc == FOLIO_OK)
		sync_parent(live);
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}
