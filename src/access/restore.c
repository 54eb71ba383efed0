/* folio — `folio restore BACKUP`: a backup is checked in full before
 * anything of the live database is touched, then swapped in atomically.
 *
 * The backup is first copied byte for byte beside the live file; every
 * check runs on that copy, never on the backup itself (a sign-in writes
 * audit rows): it opens as a folio database at a schema this folio knows
 * (migrated if older), PRAGMA integrity_check is ok, the restoring admin's
 * password opens their keys from the backup's own user_keys, the audit
 * chain verifies, and a random sample of envelopes of every column opens.
 * The copy then records its restoring (an audit row naming the backup's
 * file name, no PHI), is synced, and replaces the live file under an
 * exclusive lock; the replaced file is kept as DB.before-restore-STAMP. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "access_internal.h"
#include "folio/audit.h"
#include "folio/grant.h"
#include "folio/rekey.h"
#include "folio/smem.h"

#define SAMPLE_PER_COLUMN 100

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* Every check on the staged copy at path, as user with pw; on success the
 * copy also holds the audit row of its restoring. */
static int check_copy(const char *path, const char *backup, const char *user, const char *pw, size_t pwlen,
		      const char *keep_as, struct restore_report *r, struct folio_err *e)
{
	struct store *st = NULL;
	struct session *s = NULL;
	struct grant *g = NULL;
	struct audit_report ar;
	struct envscan scan;
	char report[512], why[300];
	int rc;

	if ((rc = store_open(path, STORE_FOLIO_ONLY, &st, e))) {
		const char *cause = strstr(e->msg, "newer than this folio") ? "it is from a newer folio"
				  : "it is damaged, truncated, empty or not a folio database";
		return err_set(e, FOLIO_EFAIL, "'%s' is not a usable folio database: %s", backup, cause);
	}
	r->schema = store_schema_version(st);
	if (store_integrity_check(st, report, sizeof report, e)) {
		rc = err_set(e, FOLIO_EFAIL, "'%s' fails the integrity check: %.200s", backup, report);
		goto out;
	}
	if ((rc = access_login(st, user, pw, pwlen, &s, e))) {
		char cause[sizeof e->msg];
		str_copy(cause, sizeof cause, e->msg);
		rc = err_set(e, rc == FOLIO_EDENIED ? FOLIO_EDENIED : FOLIO_EFAIL,
			     "your password does not open your keys in '%s': %s", backup, cause);
		goto out;
	}
	if ((rc = access_begin(s, ACT_AUDIT_VERIFY, NULL, NULL, NULL, &g, e)))
		goto out;
	rc = audit_verify(g, NULL, &ar, e);
	rc = access_end(g, rc, e);
	if (rc || ar.bad_seq) {
		rc = err_set(e, FOLIO_EFAIL, "the audit chain of '%s' does not verify (row %" PRId64 ": %s)",
			     backup, ar.bad_seq, ar.problem);
		goto out;
	}
	r->audit_rows = ar.rows;
	if ((rc = envelope_scan(st, s->kr, SAMPLE_PER_COLUMN, &scan, e)) == FOLIO_OK)
		r->sampled = scan.opened;
	if (rc) {
		char cause[sizeof e->msg];
		str_copy(cause, sizeof cause, e->msg);
		rc = err_set(e, FOLIO_EFAIL, "'%s': %s", backup, cause);
		goto out;
	}
	snprintf(why, sizeof why, "restored from backup %.120s; the replaced database is kept as %.120s",
		 base_name(backup), base_name(keep_as));
	{
		struct audit_entry what = { "db.restore", "ok", NULL, "file", base_name(backup), why };
		rc = audit_alone(st, s->kr, &(struct audit_actor){ s->user, role_name(s->role), s->workstation },
				 &what, e);
	}
out:
	access_logout(s);
	store_close(st);
	return rc;
}

int access_db_restore(struct grant *g, const char *backup, const char *pw, size_t pwlen,
		      struct restore_report *r, struct folio_err *e)
{
	struct store *live = grant_store(g);
	struct session *s = grant_session(g);
	char *tmp = NULL, stamp[24];
	struct stat sb;
	int rc;

	memset(r, 0, sizeof *r);
	if (grant_action(g) != ACT_DB_RESTORE)
		return err_set(e, FOLIO_EDENIED, "a restore needs its own grant");
	if (stat(backup, &sb) != 0)
		return err_set(e, FOLIO_ENOTFOUND, "no backup at '%s'", backup);
	if (!S_ISREG(sb.st_mode))
		return err_set(e, FOLIO_EUSAGE, "'%s' is not a file", backup);
	{
		time_t now = (time_t)time_now();
		struct tm tm;
		gmtime_r(&now, &tm);
		strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	}
	snprintf(r->kept_as, sizeof r->kept_as, "%s.before-restore-%s", store_filename(live), stamp);
	if (stat(r->kept_as, &sb) == 0)
		return err_set(e, FOLIO_EUSAGE, "'%s' exists; wait a second and try again", r->kept_as);
	if ((rc = store_stage_copy(backup, store_filename(live), &tmp, e)))
		return rc;
	rc = check_copy(tmp, backup, s->user, pw, pwlen, r->kept_as, r, e);
	if (rc == FOLIO_OK)
		rc = store_file_sync(tmp, e);
	if (rc == FOLIO_OK) {
		/* The grant's own audit row goes into the database being
		 * replaced (kept as before-restore), then the swap needs the file
		 * with no transaction of ours open. */
		if ((rc = store_commit(live, e)) == FOLIO_OK) {
			rc = store_swap(live, tmp, r->kept_as, e);
			if (store_begin_write(live, NULL) != FOLIO_OK && rc == FOLIO_OK)
				rc = err_set(e, FOLIO_EFAIL, "restored, but the old database is busy");
		}
	}
	if (rc != FOLIO_OK) {
		unlink(tmp);
		r->kept_as[0] = '\0';
	}
	free(tmp);
	return rc;
}
