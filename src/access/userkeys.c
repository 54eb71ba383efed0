/* folio — a user's wrapped keys and failed-password bookkeeping. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "access_internal.h"

/* The wrap is bound to its owner, the owner's role, class and version: a
 * wrap copied to another user, or a role edited in the file, fails to open. */
static void wrap_ad(char *buf, size_t cap, int64_t user_id, enum role r, enum key_class c,
		    uint32_t version)
{
	snprintf(buf, cap, "user_keys:%" PRId64 ":%s:%d:%u", user_id, role_name(r), (int)c,
		 (unsigned)version);
}

static void box_ad(char *buf, size_t cap, int64_t user_id)
{
	snprintf(buf, cap, "users.box:%" PRId64, user_id);
}

/* Wraps key (c, v) of kr under k for user_id and stores it with ins, a
 * prepared "INSERT ... INTO user_keys (user_id, class, version, wrapped)". */
static int user_key_put(struct stmt *ins, const struct kek *k, const struct keyring *kr, int64_t user_id,
			enum role r, enum key_class c, uint32_t v, struct folio_err *e)
{
	uint8_t wrap[WRAP_BYTES];
	char ad[96];
	int rc;

	wrap_ad(ad, sizeof ad, user_id, r, c, v);
	if ((rc = key_wrap(k, kr, c, v, ad, wrap, e)))
		return rc;
	stmt_reset(ins);
	stmt_bind_int64(ins, 1, user_id);
	stmt_bind_int64(ins, 2, c);
	stmt_bind_int64(ins, 3, v);
	stmt_bind_blob(ins, 4, wrap, sizeof wrap);
	rc = stmt_step(ins, e);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

int offers_take(struct store *st, int64_t recipient, const struct boxkey *bk, const uint8_t *pk,
		struct keyring *kr, int (*keep)(void *ctx, enum key_class c, uint32_t v, struct folio_err *e),
		void *ctx, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if ((rc = stmt_prepare(st, "SELECT class, version, sealed FROM key_offers WHERE recipient = ?"
				   " ORDER BY class, version", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, recipient);
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		enum key_class c = (enum key_class)stmt_int64(s, 0);
		uint32_t v = (uint32_t)stmt_int64(s, 1);
		size_t n;
		const uint8_t *sealed = stmt_blob(s, 2, &n);

		if ((rc = key_offer_open(bk, pk, kr, c, v, sealed, n, e)) || (rc = keep(ctx, c, v, e)))
			break;
	}
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	return store_exec_id(st, "DELETE FROM key_offers WHERE recipient = ?", recipient, e);
}

/* A fresh box key pair for user_id, its secret wrapped under k. */
static int box_pair_store(struct store *st, int64_t user_id, const struct kek *k, struct folio_err *e)
{
	uint8_t pk[BOX_PUBLIC_BYTES], wrap[BOXKEY_WRAP_BYTES];
	struct boxkey *bk = NULL;
	struct stmt *s;
	char ad[48];
	int rc;

	if ((rc = boxkey_new(pk, &bk, e)))
		return rc;
	box_ad(ad, sizeof ad, user_id);
	rc = boxkey_wrap(k, bk, ad, wrap, e);
	boxkey_free(bk);
	if (rc)
		return rc;
	if ((rc = stmt_prepare(st, "UPDATE users SET box_public = ?, box_wrapped = ? WHERE id = ?", &s, e)))
		return rc;
	stmt_bind_blob(s, 1, pk, sizeof pk);
	stmt_bind_blob(s, 2, wrap, sizeof wrap);
	stmt_bind_int64(s, 3, user_id);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

/* Offers still waiting for user_id are answered by the new wraps only when
 * src holds every key they carry; otherwise replacing the box pair would
 * strand them. */
static int offers_covered(struct store *st, int64_t user_id, const struct keyring *src, struct folio_err *e)
{
	struct stmt *s;
	int rc, missing = 0;

	if ((rc = stmt_prepare(st, "SELECT class, version FROM key_offers WHERE recipient = ?", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, user_id);
	while ((rc = stmt_step(s, e)) == STMT_ROW)
		if (!keyring_has(src, (enum key_class)stmt_int64(s, 0), (uint32_t)stmt_int64(s, 1)))
			missing = 1;
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	if (missing)
		return err_set(e, FOLIO_ESTALE, "a key rotation is waiting for this account; sign in again"
						" (or sign out and back in) and repeat");
	return store_exec_id(st, "DELETE FROM key_offers WHERE recipient = ?", user_id, e);
}

int user_keys_store(struct store *st, int64_t user_id, enum role r, const struct keyring *src,
		    unsigned classes, const char *pw, size_t pwlen, int kdf_fast, struct folio_err *e)
{
	struct kdf_params p;
	struct kek *k = NULL;
	struct stmt *s = NULL;
	int rc;

	if ((keyring_classes(src) & classes) != classes)
		return err_set(e, FOLIO_EDENIED, "you do not hold every key this role needs");
	kdf_params_new(&p, kdf_fast ? KDF_FAST_TEST : KDF_INTERACTIVE);
	if ((rc = kek_from_password(pw, pwlen, &p, &k, e)))
		return rc;
	if ((rc = store_exec_id(st, "DELETE FROM user_keys WHERE user_id = ?", user_id, e)))
		goto out;
	if ((rc = stmt_prepare(st, "UPDATE users SET kdf_salt = ?, kdf_ops = ?, kdf_mem = ?, kdf_alg = ?,"
				   " row_version = row_version + 1 WHERE id = ?", &s, e)))
		goto out;
	stmt_bind_blob(s, 1, p.salt, sizeof p.salt);
	stmt_bind_int64(s, 2, (int64_t)p.ops);
	stmt_bind_int64(s, 3, (int64_t)p.mem);
	stmt_bind_int64(s, 4, p.alg);
	stmt_bind_int64(s, 5, user_id);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	s = NULL;
	if (rc != STMT_DONE)
		goto out;
	if ((rc = stmt_prepare(st, "INSERT OR REPLACE INTO user_keys (user_id, class, version, wrapped)"
				   " VALUES (?,?,?,?)", &s, e)))
		goto out;
	for (size_t i = 0; i < keyring_count(src); i++) {
		enum key_class c;
		uint32_t v;

		if (keyring_entry(src, i, &c, &v) != 0 || !(classes & KC_BIT(c)))
			continue;
		if ((rc = user_key_put(s, k, src, user_id, r, c, v, e)))
			goto out;
	}
	/* A new password means a new box pair: the old secret is wrapped under
	 * the old password, which an admin reset or a recovery never knows. */
	if ((rc = offers_covered(st, user_id, src, e)) || (rc = box_pair_store(st, user_id, k, e)))
		goto out;
	rc = FOLIO_OK;
out:
	stmt_finalize(s);
	kek_free(k);
	return rc;
}

int user_create(struct store *st, const char *name, enum role r, const struct keyring *src,
		const char *pw, size_t pwlen, int kdf_fast, int64_t *id, struct folio_err *e)
{
	/* The salt and limits are placeholders until user_keys_store sets them
	 * in the same transaction. */
	uint8_t salt[KDF_SALT_BYTES] = { 0 };
	struct stmt *s;
	char now[24];
	int rc;

	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(st, "INSERT INTO users (name, role, kdf_salt, kdf_ops, kdf_mem, kdf_alg,"
				   " created_at) VALUES (?, ?, ?, 0, 0, 0, ?)", &s, e)))
		return rc;
	stmt_bind_text(s, 1, name);
	stmt_bind_text(s, 2, role_name(r));
	stmt_bind_blob(s, 3, salt, sizeof salt);
	stmt_bind_text(s, 4, now);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	*id = store_last_rowid(st);
	return user_keys_store(st, *id, r, src, role_key_classes(r), pw, pwlen, kdf_fast, e);
}

int user_kdf_params(struct store *st, int64_t user_id, struct kdf_params *p, struct folio_err *e)
{
	struct stmt *s;
	const void *salt;
	size_t n;
	int rc;

	if ((rc = stmt_prepare(st, "SELECT kdf_salt, kdf_ops, kdf_mem, kdf_alg FROM users WHERE id = ?", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, user_id);
	if ((rc = stmt_step(s, e)) != STMT_ROW) {
		stmt_finalize(s);
		return rc == STMT_DONE ? err_set(e, FOLIO_ENOTFOUND, "no such user") : rc;
	}
	salt = stmt_blob(s, 0, &n);
	if (n != sizeof p->salt) {
		stmt_finalize(s);
		return err_set(e, FOLIO_EFAIL, "user record is damaged (salt)");
	}
	memcpy(p->salt, salt, n);
	p->ops = (uint64_t)stmt_int64(s, 1);
	p->mem = (uint64_t)stmt_int64(s, 2);
	p->alg = (int)stmt_int64(s, 3);
	stmt_finalize(s);
	return FOLIO_OK;
}

int user_keys_load(struct store *st, int64_t user_id, enum role r, const char *pw, size_t pwlen,
		   struct keyring *kr, struct folio_err *e)
{
	return user_keys_open(st, user_id, r, pw, pwlen, kr, NULL, e);
}

int user_keys_open(struct store *st, int64_t user_id, enum role r, const char *pw, size_t pwlen,
		   struct keyring *kr, struct kek **keep, struct folio_err *e)
{
	struct kdf_params p;
	struct kek *k = NULL;
	struct stmt *s;
	size_t n;
	char ad[96];
	int rc, count = 0;

	if ((rc = user_kdf_params(st, user_id, &p, e)))
		return rc;
	if ((rc = kek_from_password(pw, pwlen, &p, &k, e)))
		return rc;
	if ((rc = stmt_prepare(st, "SELECT class, version, wrapped FROM user_keys WHERE user_id = ?"
				   " ORDER BY class, version", &s, e))) {
		kek_free(k);
		return rc;
	}
	stmt_bind_int64(s, 1, user_id);
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		const uint8_t *w = stmt_blob(s, 2, &n);
		wrap_ad(ad, sizeof ad, user_id, r, (enum key_class)stmt_int64(s, 0),
			(uint32_t)stmt_int64(s, 1));
		if ((rc = key_unwrap(k, kr, ad, w, n, e)))
			break;
		count++;
	}
	stmt_finalize(s);
	if (rc == STMT_DONE && count > 0 && keep) {
		*keep = k;
		k = NULL;
	}
	kek_free(k);
	if (rc == FOLIO_EDENIED) {
		keyring_clear(kr);
		return err_set(e, FOLIO_EDENIED, "user name or password is wrong");
	}
	if (rc != STMT_DONE) {
		keyring_clear(kr);
		return rc;
	}
	if (count == 0)
		return err_set(e, FOLIO_EFAIL, "this account holds no keys; ask the security officer");
	return FOLIO_OK;
}

struct offer_keep {
	struct stmt *ins;
	const struct kek *k;
	const struct keyring *kr;
	int64_t user_id;
	enum role r;
};

static int offer_keep_user(void *ctx, enum key_class c, uint32_t v, struct folio_err *e)
{
	struct offer_keep *o = ctx;
	return user_key_put(o->ins, o->k, o->kr, o->user_id, o->r, c, v, e);
}

int user_offers_accept(struct store *st, int64_t user_id, enum role r, const struct kek *k,
		       struct keyring *kr, struct folio_err *e)
{
	uint8_t pk[BOX_PUBLIC_BYTES];
	struct boxkey *bk = NULL;
	struct offer_keep o = { NULL, k, kr, user_id, r };
	struct stmt *s;
	char ad[48];
	size_t n;
	int rc, have = 0;

	if ((rc = stmt_prepare(st, "SELECT box_public, box_wrapped FROM users WHERE id = ?", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, user_id);
	if ((rc = stmt_step(s, e)) == STMT_ROW && !stmt_is_null(s, 0)) {
		const void *p = stmt_blob(s, 0, &n);
		const uint8_t *w;
		size_t wn;
		if (n == sizeof pk) {
			memcpy(pk, p, n);
			w = stmt_blob(s, 1, &wn);
			box_ad(ad, sizeof ad, user_id);
			rc = boxkey_unwrap(k, ad, w, wn, &bk, e);
			have = rc == FOLIO_OK;
		}
	}
	stmt_finalize(s);
	if (rc != STMT_ROW && rc != STMT_DONE && rc != FOLIO_OK)
		return rc;
	if (!have) /* signed in before key rotation existed: make the pair now */
		return box_pair_store(st, user_id, k, e);
	if ((rc = stmt_prepare(st, "INSERT OR REPLACE INTO user_keys (user_id, class, version, wrapped)"
				   " VALUES (?,?,?,?)", &o.ins, e)) == FOLIO_OK)
		rc = offers_take(st, user_id, bk, pk, kr, offer_keep_user, &o, e);
	stmt_finalize(o.ins);
	boxkey_free(bk);
	return rc;
}

int login_failure(struct store *st, int64_t user_id, const char *user, const char *role,
		  const char *workstation, const char *action, int64_t *locked_until,
		  struct folio_err *e)
{
	struct audit_actor who = { user, role, workstation };
	struct audit_entry what = { action, "denied", NULL, "user", user, "wrong password" };
	long threshold = settings_value(st, "lockout_threshold");
	long minutes = settings_value(st, "lockout_minutes");
	struct stmt *s;
	int64_t failures = 0;
	int rc;

	*locked_until = 0;
	if ((rc = store_begin_write(st, e)))
		return rc;
	if ((rc = stmt_prepare(st, "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?"
				   " RETURNING failed_logins", &s, e)))
		goto fail;
	stmt_bind_int64(s, 1, user_id);
	if (stmt_step(s, e) == STMT_ROW)
		failures = stmt_int64(s, 0);
	stmt_finalize(s);
	if ((rc = audit_append(st, NULL, &who, &what, e)))
		goto fail;
	if (failures >= threshold) {
		/* "until an admin unlocks" is a lockout that never lifts by itself */
		int64_t until = minutes > 0 ? time_now() + minutes * 60 : INT64_MAX;
		char reason[96];
		struct audit_entry lock = { "account.lockout", "ok", NULL, "user", user, reason };

		snprintf(reason, sizeof reason, "%" PRId64 " failed passwords in a row", failures);
		if ((rc = stmt_prepare(st, "UPDATE users SET locked_until = ? WHERE id = ?", &s, e)))
			goto fail;
		stmt_bind_int64(s, 1, until);
		stmt_bind_int64(s, 2, user_id);
		rc = stmt_step(s, e);
		stmt_finalize(s);
		if (rc != STMT_DONE)
			goto fail;
		if ((rc = audit_append(st, NULL, &who, &lock, e)))
			goto fail;
		*locked_until = until;
	}
	return store_commit(st, e);
fail:
	store_rollback(st);
	return rc;
}
