/* folio — signing keys for electronic signatures: Ed25519 key pairs whose
 * secret half is kept wrapped under the user's signature code. */
#include "folio/crypto.h"

#include <sodium.h>
#include <string.h>

#include "crypto_internal.h"

struct signer {
	uint8_t sk[crypto_sign_SECRETKEYBYTES];
};

_Static_assert(crypto_sign_PUBLICKEYBYTES == SIGN_PUBLIC_BYTES, "Ed25519 public key size");
_Static_assert(crypto_sign_BYTES == SIGNATURE_BYTES, "Ed25519 signature size");
_Static_assert(SIGNER_WRAP_BYTES == ENVELOPE_OVERHEAD + crypto_sign_SECRETKEYBYTES, "wrap size");

/* The sealed layout carries a key class and version; a signer wrap is no
 * class key, so it is marked with fixed values and told apart by its
 * associated data. */
#define SIGNER_CLASS KC_CLINICAL
#define SIGNER_VERSION 1

static struct signer *signer_alloc(void)
{
	struct signer *sg = sodium_malloc(sizeof *sg);

	if (sg) {
		sodium_memzero(sg, sizeof *sg);
		sodium_mprotect_noaccess(sg);
	}
	return sg;
}

void signer_free(struct signer *sg)
{
	if (sg)
		sodium_free(sg); /* sodium_free wipes */
}

int signer_new(uint8_t pk[SIGN_PUBLIC_BYTES], struct signer **out, struct folio_err *e)
{
	struct signer *sg = signer_alloc();

	if (!sg)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	sodium_mprotect_readwrite(sg);
	crypto_sign_keypair(pk, sg->sk);
	sodium_mprotect_noaccess(sg);
	*out = sg;
	return FOLIO_OK;
}

int signer_wrap(const struct kek *k, const struct signer *sg, const char *ad, uint8_t out[SIGNER_WRAP_BYTES],
		struct folio_err *e)
{
	int rc;

	sodium_mprotect_readonly((void *)sg);
	rc = box_seal(kek_key(k), SIGNER_CLASS, SIGNER_VERSION, ad, sg->sk, sizeof sg->sk, out);
	sodium_mprotect_noaccess((void *)sg);
	return rc ? err_set(e, FOLIO_EFAIL, "signing key wrap failed") : FOLIO_OK;
}

int signer_unwrap(const struct kek *k, const char *ad, const uint8_t *in, size_t len, struct signer **out,
		  struct folio_err *e)
{
	struct signer *sg;
	int rc;

	if (len != SIGNER_WRAP_BYTES)
		return err_set(e, FOLIO_EFAIL, "malformed signing key");
	if (!(sg = signer_alloc()))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	sodium_mprotect_readwrite(sg);
	rc = box_open(kek_key(k), ad, in, len, sg->sk);
	sodium_mprotect_noaccess(sg);
	if (rc != 0) {
		signer_free(sg);
		return err_set(e, FOLIO_EDENIED, "the signature code is not right");
	}
	*out = sg;
	return FOLIO_OK;
}

void signer_sign(const struct signer *sg, const void *msg, size_t len, uint8_t sig[SIGNATURE_BYTES])
{
	sodium_mprotect_readonly((void *)sg);
	crypto_sign_detached(sig, NULL, msg, len, sg->sk);
	sodium_mprotect_noaccess((void *)sg);
}

int signature_check(const uint8_t pk[SIGN_PUBLIC_BYTES], const void *msg, size_t len,
		    const uint8_t sig[SIGNATURE_BYTES])
{
	return crypto_sign_verify_detached(sig, msg, len, pk) == 0 ? 0 : -1;
}

void crypto_digest(const void *in, size_t len, uint8_t out[HASH_BYTES])
{
	crypto_generichash(out, HASH_BYTES, in, len, NULL, 0);
}
