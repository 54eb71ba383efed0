/* folio — what the crypto modules share among themselves. */
#ifndef FOLIO_CRYPTO_INTERNAL_H
#define FOLIO_CRYPTO_INTERNAL_H

#include <stdint.h>

#include "folio/crypto.h"

/* Borrows the key (c, version) for reading; version 0 means the current one.
 * Returns NULL when not held.  Every successful call must be paired with
 * keyring_release(), which makes the key memory no-access again. */
const uint8_t *keyring_borrow(const struct keyring *kr, enum key_class c, uint32_t *version);
void keyring_release(const struct keyring *kr);
/* Adds a key (copied) to the ring; replaces an equal (class, version). */
int keyring_put(struct keyring *kr, enum key_class c, uint32_t version, const uint8_t *key);

/* The key bytes of a key-encryption key (for wraps other than class keys). */
const uint8_t *kek_key(const struct kek *k);

void be32_put(uint8_t *p, uint32_t v);
uint32_t be32_get(const uint8_t *p);

/* The shared sealed-box layout of envelopes and key wraps. */
int box_seal(const uint8_t *key, enum key_class c, uint32_t version, const char *ad,
	     const void *pt, size_t ptlen, uint8_t *out);
int box_open(const uint8_t *key, const char *ad, const uint8_t *in, size_t len, void *pt);
int box_header(const uint8_t *in, size_t len, enum key_class *c, uint32_t *version);

#endif
