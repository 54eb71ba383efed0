/* folio — key offers for a key rotation (design.md section 2): every user
 * (and the recovery key) has an X25519 box key pair; a rotation seals the
 * new class key to each public half (crypto_box_seal), so the new key
 * reaches people without anyone knowing their passwords, and nobody holding
 * only the old key can read it.  The secret half is kept wrapped under the
 * user's password key; the recovery key's pair is derived from the
 * recovery key itself, so nothing new has to be written down. */
#include "folio/crypto.h"

#include <sodium.h>
#include <string.h>

#include "crypto_internal.h"

struct boxkey {
	uint8_t sk[crypto_box_SECRETKEYBYTES];
};

_Static_assert(crypto_box_PUBLICKEYBYTES == BOX_PUBLIC_BYTES, "X25519 public key size");
_Static_assert(crypto_box_SEALBYTES + KEY_OFFER_PLAIN == KEY_OFFER_BYTES, "offer size");
_Static_assert(BOXKEY_WRAP_BYTES == ENVELOPE_OVERHEAD + crypto_box_SECRETKEYBYTES, "wrap size");

/* Like a signer wrap: not a class key, so the sealed header carries fixed
 * values and the associated data tells it apart. */
#define BOXKEY_CLASS KC_INDEX
#define BOXKEY_VERSION 1
/* crypto_kdf context and subkey id of the recovery key's box seed. */
#define RECOVERY_BOX_CONTEXT "folio-rb"
#define RECOVERY_BOX_SUBKEY 1

static struct boxkey *boxkey_alloc(void)
{
	struct boxkey *bk = sodium_malloc(sizeof *bk);

	if (bk) {
		sodium_memzero(bk, sizeof *bk);
		sodium_mprotect_noaccess(bk);
	}
	return bk;
}

void boxkey_free(struct boxkey *bk)
{
	if (bk)
		sodium_free(bk);
}

int boxkey_new(uint8_t pk[BOX_PUBLIC_BYTES], struct boxkey **out, struct folio_err *e)
{
	struct boxkey *bk = boxkey_alloc();

	if (!bk)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	sodium_mprotect_readwrite(bk);
	crypto_box_keypair(pk, bk->sk);
	sodium_mprotect_noaccess(bk);
	*out = bk;
	return FOLIO_OK;
}

int boxkey_from_recovery(const uint8_t rk[RECOVERY_KEY_BYTES], uint8_t pk[BOX_PUBLIC_BYTES],
			 struct boxkey **out, struct folio_err *e)
{
	struct boxkey *bk = boxkey_alloc();
	uint8_t *seed = sodium_malloc(crypto_box_SEEDBYTES);
	int rc = -1;

	_Static_assert(RECOVERY_KEY_BYTES == crypto_kdf_KEYBYTES, "recovery key is a kdf key");
	if (bk && seed) {
		sodium_mprotect_readwrite(bk);
		rc = crypto_kdf_derive_from_key(seed, crypto_box_SEEDBYTES, RECOVERY_BOX_SUBKEY,
						RECOVERY_BOX_CONTEXT, rk);
		if (rc == 0)
			rc = crypto_box_seed_keypair(pk, bk->sk, seed);
		sodium_mprotect_noaccess(bk);
	}
	if (seed)
		sodium_free(seed);
	if (rc != 0) {
		boxkey_free(bk);
		return err_set(e, FOLIO_EFAIL, "recovery box key derivation failed");
	}
	*out = bk;
	return FOLIO_OK;
}

int boxkey_wrap(const struct kek *k, const struct boxkey *bk, const char *ad,
		uint8_t out[BOXKEY_WRAP_BYTES], struct folio_err *e)
{
	int rc;

	sodium_mprotect_readonly((void *)bk);
	rc = box_seal(kek_key(k), BOXKEY_CLASS, BOXKEY_VERSION, ad, bk->sk, sizeof bk->sk, out);
	sodium_mprotect_noaccess((void *)bk);
	return rc ? err_set(e, FOLIO_EFAIL, "box key wrap failed") : FOLIO_OK;
}

int boxkey_unwrap(const struct kek *k, const char *ad, const uint8_t *in, size_t len,
		  struct boxkey **out, struct folio_err *e)
{
	struct boxkey *bk;
	int rc;

	if (len != BOXKEY_WRAP_BYTES)
		return err_set(e, FOLIO_EFAIL, "malformed box key");
	if (!(bk = boxkey_alloc()))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	sodium_mprotect_readwrite(bk);
	rc = box_open(kek_key(k), ad, in, len, bk->sk);
	sodium_mprotect_noaccess(bk);
	if (rc != 0) {
		boxkey_free(bk);
		return err_set(e, FOLIO_EDENIED, "the box key does not open with this password");
	}
	*out = bk;
	return FOLIO_OK;
}

/* Anyone can seal to a public key, so an offer also carries a keyed
 * BLAKE2b of (class, version, new key) under the class's previous version:
 * only someone who already held the class could have made it, and a key
 * planted in the file by someone without it is refused. */
static int offer_tag(const struct keyring *kr, const uint8_t *plain, uint8_t tag[HASH_BYTES])
{
	uint32_t prev = be32_get(plain + 1) - 1, v = prev;
	const uint8_t *key;
	int rc;

	if (prev == 0 || !(key = keyring_borrow(kr, (enum key_class)plain[0], &v)))
		return -1;
	rc = v == prev ? crypto_generichash(tag, HASH_BYTES, plain, 5 + KEY_BYTES, key, KEY_BYTES) : -1;
	keyring_release(kr);
	return rc;
}

/* The sealed plaintext: class(1) | version(4) | key(32) | tag(32), so an
 * offer moved to another (class, version) row is refused when opened. */
int key_offer_seal(const uint8_t pk[BOX_PUBLIC_BYTES], const struct keyring *kr, enum key_class c,
		   uint32_t version, uint8_t out[KEY_OFFER_BYTES], struct folio_err *e)
{
	uint8_t *plain = sodium_malloc(KEY_OFFER_PLAIN);
	const uint8_t *key;
	uint32_t v = version;
	int rc;

	if (!plain)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if (!(key = keyring_borrow(kr, c, &v)) || v != version) {
		if (key)
			keyring_release(kr);
		sodium_free(plain);
		return err_set(e, FOLIO_EDENIED, "the %s key version %u is not held", key_class_name(c),
			       (unsigned)version);
	}
	plain[0] = (uint8_t)c;
	be32_put(plain + 1, version);
	memcpy(plain + 5, key, KEY_BYTES);
	keyring_release(kr);
	if (offer_tag(kr, plain, plain + 5 + KEY_BYTES) != 0) {
		sodium_free(plain);
		return err_set(e, FOLIO_EDENIED, "the %s key version %u (the one before) is not held",
			       key_class_name(c), (unsigned)version - 1);
	}
	rc = crypto_box_seal(out, plain, KEY_OFFER_PLAIN, pk);
	sodium_free(plain);
	return rc ? err_set(e, FOLIO_EFAIL, "sealing a key offer failed") : FOLIO_OK;
}

int key_offer_open(const struct boxkey *bk, const uint8_t pk[BOX_PUBLIC_BYTES], struct keyring *kr,
		   enum key_class c, uint32_t version, const uint8_t *in, size_t len, struct folio_err *e)
{
	uint8_t *plain;
	int rc;

	if (len != KEY_OFFER_BYTES)
		return err_set(e, FOLIO_EFAIL, "malformed key offer");
	if (!(plain = sodium_malloc(KEY_OFFER_PLAIN)))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	sodium_mprotect_readonly((void *)bk);
	rc = crypto_box_seal_open(plain, in, len, pk, bk->sk);
	sodium_mprotect_noaccess((void *)bk);
	if (rc != 0) {
		sodium_free(plain);
		return err_set(e, FOLIO_EDENIED, "a key offer does not open with this box key");
	}
	if (plain[0] != (uint8_t)c || be32_get(plain + 1) != version) {
		sodium_free(plain);
		return err_set(e, FOLIO_EFAIL, "a key offer is filed under the wrong class or version");
	}
	{
		uint8_t tag[HASH_BYTES];
		rc = offer_tag(kr, plain, tag);
		if (rc != 0 || sodium_memcmp(tag, plain + 5 + KEY_BYTES, HASH_BYTES) != 0) {
			sodium_free(plain);
			return err_set(e, FOLIO_EFAIL, rc ? "a %s key offer cannot be checked: version %u is not held"
							  : "a %s key offer (version %u) was not made by a holder of"
							    " the key: refused", key_class_name(c),
				       (unsigned)(rc ? version - 1 : version));
		}
	}
	rc = keyring_put(kr, c, version, plain + 5);
	sodium_free(plain);
	return rc ? err_set(e, FOLIO_EFAIL, "keyring full") : FOLIO_OK;
}

/* The public half of a box secret (crypto_scalarmult_base). */
int boxkey_public(const struct boxkey *bk, uint8_t pk[BOX_PUBLIC_BYTES])
{
	int rc;

	sodium_mprotect_readonly((void *)bk);
	rc = crypto_scalarmult_base(pk, bk->sk);
	sodium_mprotect_noaccess((void *)bk);
	return rc;
}
