/* folio — opening a database, creating one (init), and recovery. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "access_internal.h"
#include "folio/account.h"
#include "folio/grant.h"
#include "folio/smem.h"

int access_open(const char *path, struct store **out, struct folio_err *e)
{
	return store_open(path, 0, out, e);
}

void access_close(struct store *st)
{
	store_close(st);
}

const char *access_sqlite_version(void)
{
	return store_library_version();
}

const char *access_sodium_version(void)
{
	return crypto_library_version();
}

const char *access_journal_mode(void)
{
	return store_journal_mode();
}

int access_db_check(struct grant *g, char *report, size_t cap, struct folio_err *e)
{
	struct envscan scan;
	size_t used;
	int rc;

	if (grant_action(g) != ACT_DB_CHECK)
		return err_set(e, FOLIO_EDENIED, "the integrity check needs its own grant");
	if ((rc = store_integrity_check(grant_store(g), report, cap, e)))
		return rc;
	/* well-formed b-trees can still hold a field that is not its row's (a
	 * page half-written when a journal was lost): every one is opened */
	if ((rc = envelope_scan(grant_store(g), grant_keys(g), 0, &scan, e))) {
		/* not "ok": the message names the field */
		snprintf(report, cap, "an encrypted field does not open");
		return rc;
	}
	used = strlen(report);
	snprintf(report + used, cap - used, "\n%ld encrypted fields open", scan.opened);
	if (scan.unheld) {
		used = strlen(report);
		snprintf(report + used, cap - used, "; %ld not tried (a key this account does not hold)",
			 scan.unheld);
	}
	return FOLIO_OK;
}

int access_db_backup(struct grant *g, const char *dest, struct folio_err *e)
{
	struct store *st = grant_store(g);
	int rc;

	if (grant_action(g) != ACT_DB_BACKUP)
		return err_set(e, FOLIO_EDENIED, "a backup needs its own grant");
	/* SQLite cannot copy from a connection inside a write transaction.
	 * The grant's audit row is committed first (so the copy records its
	 * own making), and an empty transaction is reopened for access_end. */
	if ((rc = store_commit(st, e)))
		return rc;
	rc = store_backup(st, dest, e);
	if (store_begin_write(st, NULL) != FOLIO_OK && rc == FOLIO_OK)
		rc = err_set(e, FOLIO_EFAIL, "backup written, but the database is busy: try 'audit verify'");
	return rc;
}

int key_version_insert(struct store *st, enum key_class c, uint32_t v, struct folio_err *e)
{
	struct stmt *s;
	char now[24];
	int rc;

	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(st, "INSERT INTO key_versions (class, version, created_at) VALUES (?,?,?)", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, c);
	stmt_bind_int64(s, 2, v);
	stmt_bind_text(s, 3, now);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

/* Wraps key (c, v) of kr under the recovery kek k into recovery_keys. */
static int recovery_wrap_put(struct store *st, const struct keyring *kr, const struct kek *k, enum key_class c,
			     uint32_t v, struct folio_err *e)
{
	struct stmt *s;
	uint8_t wrap[WRAP_BYTES];
	char ad[64];
	int rc;

	snprintf(ad, sizeof ad, "recovery_keys:%d:%u", (int)c, (unsigned)v);
	if ((rc = key_wrap(k, kr, c, v, ad, wrap, e)))
		return rc;
	if ((rc = stmt_prepare(st, "INSERT OR REPLACE INTO recovery_keys (class, version, wrapped) VALUES (?,?,?)",
			       &s, e)))
		return rc;
	stmt_bind_int64(s, 1, c);
	stmt_bind_int64(s, 2, v);
	stmt_bind_blob(s, 3, wrap, sizeof wrap);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

static int recovery_wraps_store(struct store *st, const struct keyring *kr, const struct kek *k,
				struct folio_err *e)
{
	int rc;

	for (size_t i = 0; i < keyring_count(kr); i++) {
		enum key_class c;
		uint32_t v;

		if (keyring_entry(kr, i, &c, &v) != 0)
			continue;
		if ((rc = key_version_insert(st, c, v, e)) || (rc = recovery_wrap_put(st, kr, k, c, v, e)))
			return rc;
	}
	return FOLIO_OK;
}

/* Records the public half of the recovery key's box pair (a rotation seals
 * new keys to it); harmless when already there. */
static int recovery_box_store(struct store *st, const uint8_t *rk, struct boxkey **keep,
			      uint8_t pk[BOX_PUBLIC_BYTES], struct folio_err *e)
{
	struct boxkey *bk = NULL;
	struct stmt *s;
	int rc;

	if ((rc = boxkey_from_recovery(rk, pk, &bk, e)))
		return rc;
	if ((rc = stmt_prepare(st, "INSERT OR IGNORE INTO recovery_box (id, box_public) VALUES (1, ?)", &s, e))) {
		boxkey_free(bk);
		return rc;
	}
	stmt_bind_blob(s, 1, pk, BOX_PUBLIC_BYTES);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE || !keep)
		boxkey_free(bk);
	else
		*keep = bk;
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

struct recovery_keep {
	struct store *st;
	const struct keyring *kr;
	const struct kek *k;
};

static int recovery_keep_one(void *ctx, enum key_class c, uint32_t v, struct folio_err *e)
{
	struct recovery_keep *o = ctx;
	return recovery_wrap_put(o->st, o->kr, o->k, c, v, e);
}

/* Opens the key offers a rotation sealed to the recovery key into kr and
 * wraps them under k into recovery_keys (the offers go).  Inside the
 * caller's write transaction. */
static int recovery_offers_accept(struct store *st, const uint8_t *rk, const struct kek *k,
				  struct keyring *kr, struct folio_err *e)
{
	uint8_t pk[BOX_PUBLIC_BYTES];
	struct boxkey *bk = NULL;
	struct recovery_keep o = { st, kr, k };
	int rc;

	if ((rc = recovery_box_store(st, rk, &bk, pk, e)))
		return rc;
	rc = offers_take(st, 0, bk, pk, kr, recovery_keep_one, &o, e);
	boxkey_free(bk);
	return rc;
}

int access_init_db(const char *path, const char *admin, const char *pw, size_t pwlen, int kdf_fast,
		   char *recovery_text, size_t cap, struct folio_err *e)
{
	struct store *st = NULL;
	struct keyring *kr = NULL;
	struct kek *k = NULL;
	uint8_t *rk = NULL;
	char *text = NULL, ws[72];
	int64_t id;
	int rc;

	if ((rc = account_name_valid(admin, e)) || (rc = access_password_acceptable(admin, pw, pwlen, e)))
		return rc;
	if (cap < RECOVERY_TEXT_MAX)
		return err_set(e, FOLIO_EUSAGE, "recovery key buffer too small");
	if ((rc = store_open(path, STORE_CREATE | STORE_MUST_BE_NEW, &st, e)))
		return rc;
	rk = smem_alloc(RECOVERY_KEY_BYTES);
	text = smem_alloc(RECOVERY_TEXT_MAX);
	kr = keyring_new();
	if (!rk || !text || !kr) {
		rc = err_set(e, FOLIO_EFAIL, "out of secure memory");
		goto out;
	}
	for (int c = KC_FIRST; c <= KC_LAST; c++)
		if (keyring_generate(kr, (enum key_class)c, 1) != 0) {
			rc = err_set(e, FOLIO_EFAIL, "key generation failed");
			goto out;
		}
	recovery_new(rk, text);
	if ((rc = kek_from_recovery(rk, &k, e)))
		goto out;
	if ((rc = store_begin_write(st, e)))
		goto out;
	{
		/* A user exists once we have wrapped its keys: nothing half-made
		 * survives a failure, the whole init is one transaction. */
		uint8_t rpk[BOX_PUBLIC_BYTES];
		if ((rc = recovery_wraps_store(st, kr, k, e)) ||
		    (rc = recovery_box_store(st, rk, NULL, rpk, e)))
			goto out_tx;
		if ((rc = user_create(st, admin, ROLE_ADMIN, kr, pw, pwlen, kdf_fast, &id, e)))
			goto out_tx;
		workstation_name(ws, sizeof ws);
		{
			struct audit_actor who = { admin, role_name(ROLE_ADMIN), ws };
			struct audit_entry what = { "db.init", "ok", NULL, "user", admin,
						    "database created; recovery key issued" };
			if ((rc = audit_append(st, kr, &who, &what, e)))
				goto out_tx;
		}
	}
	if ((rc = store_commit(st, e)))
		goto out;
	str_copy(recovery_text, cap, text);
	rc = FOLIO_OK;
	goto out;
out_tx:
	store_rollback(st);
out:
	kek_free(k);
	keyring_free(kr);
	smem_free(rk);
	smem_free(text);
	store_close(st);
	if (rc != FOLIO_OK && rc != FOLIO_EUSAGE)
		unlink(path); /* the file was new: leave nothing behind */
	return rc;
}

int access_recover(struct store *st, const char *recovery_text, const char *user, const char *newpw,
		   size_t newlen, struct folio_err *e)
{
	struct keyring *kr = NULL;
	struct kek *k = NULL;
	uint8_t *rk = smem_alloc(RECOVERY_KEY_BYTES);
	struct stmt *s;
	char ws[72], ad[64];
	int64_t id = 0;
	int role = -1, rc;

	if (!rk)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	workstation_name(ws, sizeof ws);
	if ((rc = recovery_parse(recovery_text, rk, e)))
		goto out;
	if ((rc = access_password_acceptable(user, newpw, newlen, e)))
		goto out;
	if ((rc = stmt_prepare(st, "SELECT id, role FROM users WHERE name = ?", &s, e)))
		goto out;
	stmt_bind_text(s, 1, user);
	if (stmt_step(s, e) == STMT_ROW) {
		id = stmt_int64(s, 0);
		role = role_parse(stmt_text(s, 1));
	}
	stmt_finalize(s);
	if (role < 0) {
		rc = err_set(e, FOLIO_ENOTFOUND, "no user '%s'", user);
		goto out;
	}
	if ((rc = kek_from_recovery(rk, &k, e)))
		goto out;
	if (!(kr = keyring_new())) {
		rc = err_set(e, FOLIO_EFAIL, "out of secure memory");
		goto out;
	}
	if ((rc = stmt_prepare(st, "SELECT class, version, wrapped FROM recovery_keys ORDER BY class, version",
			       &s, e)))
		goto out;
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		size_t n;
		const uint8_t *w = stmt_blob(s, 2, &n);
		snprintf(ad, sizeof ad, "recovery_keys:%d:%u", (int)stmt_int64(s, 0), (unsigned)stmt_int64(s, 1));
		if ((rc = key_unwrap(k, kr, ad, w, n, e)))
			break;
	}
	stmt_finalize(s);
	if (rc == FOLIO_EDENIED) {
		struct audit_actor who = { user, role_name((enum role)role), ws };
		struct audit_entry what = { "session.login.failed", "denied", NULL, "user", user,
					    "recovery key did not open the keys" };
		audit_alone(st, NULL, &who, &what, NULL);
		rc = err_set(e, FOLIO_EDENIED, "that recovery key does not belong to this database");
		goto out;
	}
	if (rc != STMT_DONE)
		goto out;
	if ((rc = store_begin_write(st, e)))
		goto out;
	/* Versions a rotation made since the recovery key was last used, and
	 * the recovery box key of a database older than rotation. */
	if ((rc = recovery_offers_accept(st, rk, k, kr, e)))
		goto out_tx;
	if ((rc = user_keys_store(st, id, (enum role)role, kr, role_key_classes((enum role)role), newpw,
				  newlen, 0, e)))
		goto out_tx;
	if ((rc = store_exec_id(st, "UPDATE users SET failed_logins = 0, locked_until = 0, admin_locked = 0"
				    " WHERE id = ?", id, e)))
		goto out_tx;
	{
		struct audit_actor who = { user, role_name((enum role)role), ws };
		struct audit_entry what = { "account.recover", "ok", NULL, "user", user,
					    "new password set with the recovery key" };
		if ((rc = audit_append(st, kr, &who, &what, e)))
			goto out_tx;
	}
	rc = store_commit(st, e);
	goto out;
out_tx:
	store_rollback(st);
out:
	kek_free(k);
	keyring_free(kr);
	smem_free(rk);
	return rc;
}
