/* folio — key-encryption keys (Argon2id from a password, or the recovery
 * key) and the wrapping of class keys under them. */
#include "folio/crypto.h"

#include <sodium.h>
#include <string.h>

#include "crypto_internal.h"

struct kek {
	uint8_t key[KEY_BYTES];
};

void kdf_params_new(struct kdf_params *p, enum kdf_profile profile)
{
	p->alg = crypto_pwhash_ALG_ARGON2ID13;
	switch (profile) {
	case KDF_MODERATE:
		p->ops = crypto_pwhash_OPSLIMIT_MODERATE;
		p->mem = crypto_pwhash_MEMLIMIT_MODERATE;
		break;
	case KDF_FAST_TEST:
		p->ops = crypto_pwhash_OPSLIMIT_MIN;
		p->mem = crypto_pwhash_MEMLIMIT_MIN;
		break;
	case KDF_INTERACTIVE:
	default:
		p->ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		p->mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
		break;
	}
	randombytes_buf(p->salt, sizeof p->salt);
}

int kdf_params_check(const struct kdf_params *p, struct folio_err *e)
{
	/* Bounds keep a tampered user row from asking for 4 TiB or zero work. */
	if (p->alg != crypto_pwhash_ALG_ARGON2ID13)
		return err_set(e, FOLIO_EFAIL, "unsupported password hash algorithm %d", p->alg);
	if (p->ops < crypto_pwhash_OPSLIMIT_MIN || p->ops > 64)
		return err_set(e, FOLIO_EFAIL, "password hash ops limit out of range");
	if (p->mem < crypto_pwhash_MEMLIMIT_MIN || p->mem > ((uint64_t)4 << 30))
		return err_set(e, FOLIO_EFAIL, "password hash memory limit out of range");
	return FOLIO_OK;
}

static struct kek *kek_new(void)
{
	struct kek *k = sodium_malloc(sizeof *k);
	if (k)
		sodium_memzero(k, sizeof *k);
	return k;
}

const uint8_t *kek_key(const struct kek *k)
{
	return k->key;
}

void kek_free(struct kek *k)
{
	if (k)
		sodium_free(k);
}

int kek_from_password(const char *pw, size_t pwlen, const struct kdf_params *p,
		      struct kek **out, struct folio_err *e)
{
	struct kek *k;
	int rc = kdf_params_check(p, e);

	if (rc)
		return rc;
	k = kek_new();
	if (!k)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if (crypto_pwhash(k->key, sizeof k->key, pw, pwlen, p->salt, p->ops, (size_t)p->mem,
			  p->alg) != 0) {
		kek_free(k);
		return err_set(e, FOLIO_EFAIL, "password hashing ran out of memory");
	}
	*out = k;
	return FOLIO_OK;
}

int kek_from_recovery(const uint8_t rk[RECOVERY_KEY_BYTES], struct kek **out, struct folio_err *e)
{
	static const uint8_t context[] = "folio recovery key-encryption key";
	struct kek *k = kek_new();

	if (!k)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	/* The recovery key is already 256 random bits: a keyed hash separates
	 * its use as a kek from any other use. */
	crypto_generichash(k->key, sizeof k->key, context, sizeof context - 1, rk,
			   RECOVERY_KEY_BYTES);
	*out = k;
	return FOLIO_OK;
}

int key_wrap(const struct kek *k, const struct keyring *kr, enum key_class c, uint32_t version,
	     const char *ad, uint8_t out[WRAP_BYTES], struct folio_err *e)
{
	const uint8_t *key = keyring_borrow(kr, c, &version);
	int rc;

	if (!key)
		return err_set(e, FOLIO_EDENIED, "this account does not hold the %s key",
			       key_class_name(c));
	rc = box_seal(k->key, c, version, ad, key, KEY_BYTES, out);
	keyring_release(kr);
	return rc ? err_set(e, FOLIO_EFAIL, "key wrap failed") : FOLIO_OK;
}

int key_wrap_header(const uint8_t *in, size_t len, enum key_class *c, uint32_t *version)
{
	if (len != WRAP_BYTES)
		return -1;
	return box_header(in, len, c, version);
}

int key_unwrap(const struct kek *k, struct keyring *kr, const char *ad, const uint8_t *in,
	       size_t len, struct folio_err *e)
{
	enum key_class c;
	uint32_t version;
	uint8_t *key;
	int rc;

	if (key_wrap_header(in, len, &c, &version) != 0)
		return err_set(e, FOLIO_EFAIL, "malformed key wrap");
	key = sodium_malloc(KEY_BYTES);
	if (!key)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if (box_open(k->key, ad, in, len, key) != 0) {
		sodium_free(key);
		return err_set(e, FOLIO_EDENIED, "key wrap did not open");
	}
	rc = keyring_put(kr, c, version, key);
	sodium_free(key);
	return rc ? err_set(e, FOLIO_EFAIL, "keyring full") : FOLIO_OK;
}
