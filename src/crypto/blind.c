/* folio — blind-index tags and audit-chain hashes: keyed BLAKE2b. */
#include "folio/crypto.h"

#include <sodium.h>
#include <string.h>

#include "crypto_internal.h"

static const char blind_context[crypto_kdf_CONTEXTBYTES] = { 'f', 'o', 'l', 'i', 'o', 'b', 'i', 'x' };

struct blinder {
	uint8_t sub[BLIND_INDEXES + 1][KEY_BYTES];
};

int blinder_new(const struct keyring *kr, struct blinder **out, struct folio_err *e)
{
	uint32_t version = 0;
	const uint8_t *root;
	struct blinder *b;

	*out = NULL;
	root = keyring_borrow(kr, KC_INDEX, &version);
	if (!root)
		return err_set(e, FOLIO_EDENIED, "this account does not hold the index key");
	b = sodium_malloc(sizeof *b);
	if (!b) {
		keyring_release(kr);
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	}
	sodium_memzero(b, sizeof *b);
	for (unsigned i = 1; i <= BLIND_INDEXES; i++)
		crypto_kdf_derive_from_key(b->sub[i], KEY_BYTES, i, blind_context, root);
	keyring_release(kr);
	*out = b;
	return FOLIO_OK;
}

void blinder_free(struct blinder *b)
{
	if (b)
		sodium_free(b);
}

uint32_t blinder_tag(const struct blinder *b, unsigned index_id, const void *val, size_t len,
		     unsigned bits)
{
	uint8_t h[16];

	if (index_id < 1 || index_id > BLIND_INDEXES || bits == 0 || bits > 32)
		return 0;
	crypto_generichash(h, sizeof h, val, len, b->sub[index_id], KEY_BYTES);
	return be32_get(h) >> (32 - bits);
}

int blind_tag(const struct keyring *kr, uint64_t index_id, const void *val, size_t len,
	      unsigned bits, uint32_t *tag, struct folio_err *e)
{
	const char *context = blind_context;
	uint8_t *sub;
	uint8_t h[16];
	uint32_t version = 0;
	const uint8_t *root;
	int rc;

	if (bits == 0 || bits > 32)
		return err_set(e, FOLIO_EUSAGE, "blind index width must be 1-32 bits");
	root = keyring_borrow(kr, KC_INDEX, &version);
	if (!root)
		return err_set(e, FOLIO_EDENIED, "this account does not hold the index key");
	sub = sodium_malloc(KEY_BYTES);
	if (!sub) {
		keyring_release(kr);
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	}
	/* One subkey per index, so equal values in two indexes never share a tag. */
	rc = crypto_kdf_derive_from_key(sub, KEY_BYTES, index_id, context, root);
	keyring_release(kr);
	if (rc == 0)
		rc = crypto_generichash(h, sizeof h, val, len, sub, KEY_BYTES);
	sodium_free(sub);
	if (rc != 0)
		return err_set(e, FOLIO_EFAIL, "blind index hashing failed");
	*tag = be32_get(h) >> (32 - bits);
	return FOLIO_OK;
}

int chain_hash(const struct keyring *kr, uint32_t version, const uint8_t prev[HASH_BYTES],
	       const void *row, size_t len, uint8_t out[HASH_BYTES], struct folio_err *e)
{
	crypto_generichash_state st;
	const uint8_t *key = NULL;

	if (version) {
		key = keyring_borrow(kr, KC_AUDIT, &version);
		if (!key)
			return err_set(e, FOLIO_EDENIED, "this account does not hold audit key version %u",
				       (unsigned)version);
	}
	crypto_generichash_init(&st, key, key ? KEY_BYTES : 0, HASH_BYTES);
	if (key)
		keyring_release(kr);
	crypto_generichash_update(&st, prev, HASH_BYTES);
	crypto_generichash_update(&st, row, len);
	crypto_generichash_final(&st, out, HASH_BYTES);
	sodium_memzero(&st, sizeof st);
	return FOLIO_OK;
}

void crypto_random(void *buf, size_t n)
{
	randombytes_buf(buf, n);
}

void crypto_hex(const uint8_t *in, size_t n, char *out)
{
	sodium_bin2hex(out, 2 * n + 1, in, n);
}

const char *crypto_library_version(void)
{
	return sodium_version_string();
}
