/* folio — signature codes: each signer's Ed25519 key, wrapped under a
 * code of its own that is not the password, so that a signature means the
 * signer typed it for this document (not that a session was left open). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "access_internal.h"
#include "folio/account.h"
#include "folio/grant.h"
#include "folio/smem.h"

#define SIGCODE_MIN 6
#define SIGCODE_MAX 128

static void signkey_ad(char *buf, size_t cap, int64_t user_id, int64_t key_id)
{
	snprintf(buf, cap, "signing_keys:%" PRId64 ":%" PRId64, user_id, key_id);
}

/* 1 when code also opens the user's keys: the code would be the password. */
static int code_is_password(struct session *s, const char *code, size_t len)
{
	struct keyring *kr = keyring_new();
	struct folio_err e2 = { 0 };
	int same;

	if (!kr)
		return 0;
	same = user_keys_load(s->st, s->user_id, s->role, code, len, kr, &e2) == FOLIO_OK;
	keyring_free(kr);
	return same;
}

int account_sigcode_set(struct grant *g, const char *code, size_t len, struct folio_err *e)
{
	struct session *s = g->s;
	uint8_t pk[SIGN_PUBLIC_BYTES], wrap[SIGNER_WRAP_BYTES];
	struct signer *sg = NULL;
	struct kdf_params p;
	struct kek *k = NULL;
	struct stmt *q;
	char now[24], ad[96];
	int64_t id;
	int rc;

	if (g->a != ACT_SIGCODE_SET)
		return err_set(e, FOLIO_EDENIED, "a signature code needs its own grant");
	if (len < SIGCODE_MIN || len > SIGCODE_MAX)
		return err_set(e, FOLIO_EUSAGE, "a signature code has %d to %d characters", SIGCODE_MIN,
			       SIGCODE_MAX);
	if (code_is_password(s, code, len))
		return err_set(e, FOLIO_EUSAGE, "the signature code must not be your password");
	/* Same work factor as the password (a fast-test account stays fast),
	 * with a salt of its own. */
	if ((rc = user_kdf_params(s->st, s->user_id, &p, e)))
		return rc;
	crypto_random(p.salt, sizeof p.salt);
	if ((rc = kek_from_password(code, len, &p, &k, e)) || (rc = signer_new(pk, &sg, e)))
		goto out;
	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(s->st, "UPDATE signing_keys SET retired_at = ? WHERE user_id = ? AND retired_at IS NULL",
			       &q, e)))
		goto out;
	stmt_bind_text(q, 1, now);
	stmt_bind_int64(q, 2, s->user_id);
	rc = stmt_step(q, e);
	stmt_finalize(q);
	if (rc != STMT_DONE)
		goto out;
	/* The wrap names its row, so the row comes first. */
	if ((rc = stmt_prepare(s->st, "INSERT INTO signing_keys (user_id, public_key, wrapped, kdf_salt, kdf_ops,"
				      " kdf_mem, kdf_alg, created_at) VALUES (?, ?, x'', ?, ?, ?, ?, ?)", &q, e)))
		goto out;
	stmt_bind_int64(q, 1, s->user_id);
	stmt_bind_blob(q, 2, pk, sizeof pk);
	stmt_bind_blob(q, 3, p.salt, sizeof p.salt);
	stmt_bind_int64(q, 4, (int64_t)p.ops);
	stmt_bind_int64(q, 5, (int64_t)p.mem);
	stmt_bind_int64(q, 6, p.alg);
	stmt_bind_text(q, 7, now);
	rc = stmt_step(q, e);
	stmt_finalize(q);
	if (rc != STMT_DONE)
		goto out;
	id = store_last_rowid(s->st);
	signkey_ad(ad, sizeof ad, s->user_id, id);
	if ((rc = signer_wrap(k, sg, ad, wrap, e)))
		goto out;
	if ((rc = stmt_prepare(s->st, "UPDATE signing_keys SET wrapped = ? WHERE id = ?", &q, e)))
		goto out;
	stmt_bind_blob(q, 1, wrap, sizeof wrap);
	stmt_bind_int64(q, 2, id);
	rc = stmt_step(q, e);
	stmt_finalize(q);
	rc = rc == STMT_DONE ? FOLIO_OK : rc;
out:
	signer_free(sg);
	kek_free(k);
	return rc;
}

/* The user's current signing key: its id, wrap and KDF parameters. */
struct signkey_row {
	int64_t key_id;
	struct kdf_params p;
	uint8_t wrap[SIGNER_WRAP_BYTES];
};

static int signkey_load(struct session *s, struct signkey_row *k, struct folio_err *e)
{
	struct stmt *q;
	size_t n = 0, wn = 0;
	const void *b;
	int rc;

	if ((rc = stmt_prepare(s->st, "SELECT id, wrapped, kdf_salt, kdf_ops, kdf_mem, kdf_alg FROM signing_keys"
				      " WHERE user_id = ? AND retired_at IS NULL ORDER BY id DESC LIMIT 1", &q, e)))
		return rc;
	stmt_bind_int64(q, 1, s->user_id);
	rc = stmt_step(q, e);
	if (rc != STMT_ROW) {
		stmt_finalize(q);
		return rc == STMT_DONE ? err_set(e, FOLIO_EDENIED, "you have no signature code yet: set one"
							       " with 'folio user sigcode'") : rc;
	}
	k->key_id = stmt_int64(q, 0);
	b = stmt_blob(q, 1, &wn);
	if (wn == sizeof k->wrap)
		memcpy(k->wrap, b, wn);
	b = stmt_blob(q, 2, &n);
	if (n == sizeof k->p.salt)
		memcpy(k->p.salt, b, n);
	k->p.ops = (uint64_t)stmt_int64(q, 3);
	k->p.mem = (uint64_t)stmt_int64(q, 4);
	k->p.alg = (int)stmt_int64(q, 5);
	stmt_finalize(q);
	if (wn != sizeof k->wrap || n != sizeof k->p.salt)
		return err_set(e, FOLIO_EFAIL, "your signing key record is damaged");
	return FOLIO_OK;
}

/* Opens the signer of k with kek. */
static int signkey_open(struct session *s, const struct signkey_row *k, const struct kek *kek, struct signer **out,
			struct folio_err *e)
{
	char ad[96];

	signkey_ad(ad, sizeof ad, s->user_id, k->key_id);
	return signer_unwrap(kek, ad, k->wrap, sizeof k->wrap, out, e);
}

void access_sign_forget(struct session *s)
{
	if (!s)
		return;
	kek_free(s->sign_kek);
	s->sign_kek = NULL;
	s->sign_key_id = 0;
	smem_wipe(s->sign_code_hash, sizeof s->sign_code_hash);
}

/* Argon2id over the code takes a quarter of a second or more; done here,
 * before the signing grant opens its write transaction, it does not hold
 * the database's write lock against every other user meanwhile (the
 * concurrency harness measured note sign holding it ~210 ms, up to 1.2 s).
 * A wrong code prepares nothing: the grant then checks it, and audits the
 * refusal. */
int access_sign_prepare(struct session *s, const char *code, size_t len, struct folio_err *e)
{
	struct signkey_row k;
	struct kek *kek = NULL;
	struct signer *sg = NULL;
	int rc;

	access_sign_forget(s);
	if (s->locked || len == 0 || len > SIGCODE_MAX)
		return err_set(e, FOLIO_EDENIED, "the signature code is not right");
	if ((rc = signkey_load(s, &k, e)) || (rc = kek_from_password(code, len, &k.p, &kek, e)))
		return rc;
	if ((rc = signkey_open(s, &k, kek, &sg, e))) {
		kek_free(kek);
		return rc;
	}
	signer_free(sg);
	s->sign_kek = kek;
	s->sign_key_id = k.key_id;
	crypto_digest(code, len, s->sign_code_hash);
	return FOLIO_OK;
}

int grant_signer(struct grant *g, const char *code, size_t len, struct signer **out, int64_t *key_id,
		 struct folio_err *e)
{
	struct session *s = g->s;
	struct signkey_row k;
	struct kek *kek = NULL;
	uint8_t hash[HASH_BYTES];
	int rc;

	*out = NULL;
	if ((rc = signkey_load(s, &k, e)))
		return rc;
	*key_id = k.key_id;
	if (len == 0 || len > SIGCODE_MAX)
		return err_set(e, FOLIO_EDENIED, "the signature code is not right");
	crypto_digest(code, len, hash);
	if (s->sign_kek && s->sign_key_id == k.key_id && smem_equal(hash, s->sign_code_hash, sizeof hash) == 0) {
		smem_wipe(hash, sizeof hash);
		return signkey_open(s, &k, s->sign_kek, out, e);
	}
	smem_wipe(hash, sizeof hash);
	if ((rc = kek_from_password(code, len, &k.p, &kek, e)))
		return rc;
	rc = signkey_open(s, &k, kek, out, e);
	kek_free(kek);
	return rc;
}
