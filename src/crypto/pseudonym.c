/* folio — keyed pseudonyms for the de-identified extract: keyed BLAKE2b of
 * a row id under a subkey of the index key, so the extract can link a
 * patient's rows while nobody without the key can go back to the chart. */
#include "folio/crypto.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "crypto_internal.h"

/* Its own KDF context: never the blind-index subkeys, so a pseudonym and a
 * blind tag of the same bytes are unrelated. */
static const char pseudonym_context[crypto_kdf_CONTEXTBYTES] = { 'f', 'o', 'l', 'i', 'o', 'p', 's', 'n' };

int crypto_pseudonym(const struct keyring *kr, const char *kind, int64_t id, char out[PSEUDONYM_HEX + 1],
		     struct folio_err *e)
{
	uint32_t version = 0;
	const uint8_t *root;
	uint8_t *sub, h[PSEUDONYM_HEX / 2];
	char msg[64];
	int rc, n;

	out[0] = '\0';
	/* The subkey's guarded page first, so the index key is borrowed (made
	 * readable) only for the one derivation. */
	if (!(sub = sodium_malloc(KEY_BYTES)))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if (!(root = keyring_borrow(kr, KC_INDEX, &version))) {
		sodium_free(sub);
		return err_set(e, FOLIO_EDENIED, "this account does not hold the index key");
	}
	rc = crypto_kdf_derive_from_key(sub, KEY_BYTES, 1, pseudonym_context, root);
	keyring_release(kr);
	n = snprintf(msg, sizeof msg, "%s:%" PRId64, kind, id);
	if (rc == 0)
		rc = crypto_generichash(h, sizeof h, (const uint8_t *)msg, (size_t)n, sub, KEY_BYTES);
	sodium_free(sub);
	if (rc != 0)
		return err_set(e, FOLIO_EFAIL, "pseudonym hashing failed");
	sodium_bin2hex(out, PSEUDONYM_HEX + 1, h, sizeof h);
	return FOLIO_OK;
}

/* ---- keyed ids of other systems' identifiers ---------------------------------- */

struct idkeyer {
	uint8_t key[KEY_BYTES];
};

int idkeyer_new(const struct keyring *kr, struct idkeyer **out, struct folio_err *e)
{
	uint32_t version = 0;
	const uint8_t *root;
	struct idkeyer *k;
	int rc;

	*out = NULL;
	if (!(k = sodium_malloc(sizeof *k)))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if (!(root = keyring_borrow(kr, KC_INDEX, &version))) {
		sodium_free(k);
		return err_set(e, FOLIO_EDENIED, "this account does not hold the index key");
	}
	/* Subkey 2 of the pseudonym context: unrelated to the extract's
	 * pseudonyms (subkey 1) and to the blind indexes. */
	rc = crypto_kdf_derive_from_key(k->key, KEY_BYTES, 2, pseudonym_context, root);
	keyring_release(kr);
	if (rc != 0) {
		sodium_free(k);
		return err_set(e, FOLIO_EFAIL, "key derivation failed");
	}
	*out = k;
	return FOLIO_OK;
}

void idkeyer_tag(const struct idkeyer *k, const char *a, const char *b, const void *id, size_t len,
		 uint8_t out[IDKEY_TAG_BYTES])
{
	crypto_generichash_state st;
	static const uint8_t colon = ':';

	/* "a:b:id" (or "a:id"), the context words NUL-free: "synthea:encounter:1234" */
	crypto_generichash_init(&st, k->key, KEY_BYTES, IDKEY_TAG_BYTES);
	crypto_generichash_update(&st, (const uint8_t *)a, strlen(a));
	crypto_generichash_update(&st, &colon, 1);
	if (b) {
		crypto_generichash_update(&st, (const uint8_t *)b, strlen(b));
		crypto_generichash_update(&st, &colon, 1);
	}
	crypto_generichash_update(&st, id, len);
	crypto_generichash_final(&st, out, IDKEY_TAG_BYTES);
	sodium_memzero(&st, sizeof st);
}

void idkeyer_hex(const struct idkeyer *k, const char *a, const char *b, const void *id, size_t len,
		 char out[PSEUDONYM_HEX + 1])
{
	uint8_t h[IDKEY_TAG_BYTES];

	idkeyer_tag(k, a, b, id, len, h);
	sodium_bin2hex(out, PSEUDONYM_HEX + 1, h, sizeof h);
}

void idkeyer_free(struct idkeyer *k)
{
	if (k)
		sodium_free(k);
}
