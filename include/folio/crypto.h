/* folio — keys and encryption (src/crypto/).  The only module that calls
 * libsodium's cryptography.
 *
 * Key classes (design.md section 2): every class has numbered versions so a
 * key can be rotated; a keyring holds the versions a user was given.  Keys
 * live in guarded memory that is no-access between uses and wiped on free.
 *
 * Wire formats (all integers big-endian):
 *   field envelope  ver(1)=1 | class(1) | key version(4) | nonce(24) | ct | tag(16)
 *   key wrap        ver(1)=1 | class(1) | key version(4) | nonce(24) | key(32) | tag(16)
 * Both use XChaCha20-Poly1305 (IETF); the associated data binds a field to
 * "table.column:row-id" and a wrap to its owner, class and version.
 */
#ifndef FOLIO_CRYPTO_H
#define FOLIO_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "folio/util.h"

enum key_class {
	KC_DEMOGRAPHICS = 1,
	KC_CLINICAL = 2,
	KC_SENSITIVE = 3,
	KC_INDEX = 4,
	KC_AUDIT = 5
};
#define KC_FIRST KC_DEMOGRAPHICS
#define KC_LAST KC_AUDIT
#define KC_BIT(c) (1u << (c))
#define KC_ALL (KC_BIT(KC_DEMOGRAPHICS) | KC_BIT(KC_CLINICAL) | KC_BIT(KC_SENSITIVE) | \
		KC_BIT(KC_INDEX) | KC_BIT(KC_AUDIT))

#define KEY_BYTES 32
#define HASH_BYTES 32
#define KDF_SALT_BYTES 16
#define ENVELOPE_HEADER 30 /* ver, class, version, nonce */
#define ENVELOPE_OVERHEAD (ENVELOPE_HEADER + 16)
#define WRAP_BYTES (ENVELOPE_OVERHEAD + KEY_BYTES)
#define RECOVERY_KEY_BYTES 32
#define RECOVERY_TEXT_MAX 96

const char *key_class_name(enum key_class c);
/* Returns the class for a name ("demographics"...), or 0. */
int key_class_parse(const char *name);

/* ---- keyring --------------------------------------------------------- */
struct keyring;

/* New empty keyring, or NULL. Caller frees with keyring_free(). */
struct keyring *keyring_new(void);
/* Wipes every key and frees. NULL allowed. */
void keyring_free(struct keyring *kr);
/* Wipes every key but keeps the (empty) ring, for the idle lock. */
void keyring_clear(struct keyring *kr);
/* Adds a fresh random key for (class, version). */
int keyring_generate(struct keyring *kr, enum key_class c, uint32_t version) MUST_CHECK;
/* Current (highest) version held for a class, 0 when none. */
uint32_t keyring_current(const struct keyring *kr, enum key_class c);
/* 1 when key (c, version) is held. */
int keyring_has(const struct keyring *kr, enum key_class c, uint32_t version);
/* Bit mask (KC_BIT) of the classes held. */
unsigned keyring_classes(const struct keyring *kr);
/* Number of (class, version) keys held, and the i-th one. */
size_t keyring_count(const struct keyring *kr);
int keyring_entry(const struct keyring *kr, size_t i, enum key_class *c, uint32_t *version);

/* ---- key encryption keys (password / recovery) ------------------------ */
struct kdf_params {
	uint64_t ops;   /* crypto_pwhash opslimit */
	uint64_t mem;   /* crypto_pwhash memlimit, bytes */
	int alg;        /* crypto_pwhash algorithm id (Argon2id13) */
	uint8_t salt[KDF_SALT_BYTES];
};
enum kdf_profile { KDF_INTERACTIVE, KDF_MODERATE, KDF_FAST_TEST };

/* Fills p with the limits of a profile and a fresh random salt. */
void kdf_params_new(struct kdf_params *p, enum kdf_profile profile);
/* Refuses limits outside what libsodium accepts (a corrupt user row). */
int kdf_params_check(const struct kdf_params *p, struct folio_err *e);

struct kek;
/* Derives a key-encryption key from a password with Argon2id.
 * *out is owned by the caller (kek_free). */
int kek_from_password(const char *pw, size_t pwlen, const struct kdf_params *p,
		      struct kek **out, struct folio_err *e) MUST_CHECK;
/* Derives the key-encryption key of a 32-byte recovery key. */
int kek_from_recovery(const uint8_t rk[RECOVERY_KEY_BYTES], struct kek **out,
		      struct folio_err *e) MUST_CHECK;
void kek_free(struct kek *k);

/* Wraps the key (c, version) of kr under k into out[WRAP_BYTES].
 * ad names the owner, e.g. "user_keys:7:1:1". */
int key_wrap(const struct kek *k, const struct keyring *kr, enum key_class c, uint32_t version,
	     const char *ad, uint8_t out[WRAP_BYTES], struct folio_err *e) MUST_CHECK;
/* Opens a wrap and adds its key to kr.  FOLIO_EDENIED when the kek is wrong
 * or the blob was altered; FOLIO_EFAIL when the blob is malformed. */
int key_unwrap(const struct kek *k, struct keyring *kr, const char *ad,
	       const uint8_t *in, size_t len, struct folio_err *e) MUST_CHECK;
/* Parses a wrap's header without opening it. */
int key_wrap_header(const uint8_t *in, size_t len, enum key_class *c, uint32_t *version);

/* ---- recovery key ---------------------------------------------------- */
/* A random recovery key and its printed form: groups of 5 Crockford base32
 * characters with a 2-byte checksum, e.g. "7K3QF-...". */
int recovery_new(uint8_t rk[RECOVERY_KEY_BYTES], char text[RECOVERY_TEXT_MAX]);
/* Parses the printed form (case, spaces and dashes ignored). */
int recovery_parse(const char *text, uint8_t rk[RECOVERY_KEY_BYTES], struct folio_err *e);

/* ---- field envelopes ------------------------------------------------- */
/* Associated data "table.column:row-id" into buf. */
int field_ad(char *buf, size_t cap, const char *table, const char *column, int64_t rowid);
/* Encrypts pt under the current key of class c. out must hold
 * ptlen + ENVELOPE_OVERHEAD bytes. */
int field_seal(const struct keyring *kr, enum key_class c, const char *ad, const void *pt,
	       size_t ptlen, uint8_t *out, size_t cap, size_t *outlen, struct folio_err *e) MUST_CHECK;
/* Decrypts an envelope into pt (capacity cap; smem for PHI).  FOLIO_EDENIED
 * when the key is not held, FOLIO_EFAIL when the envelope is malformed,
 * altered, or bound to other associated data. */
int field_open(const struct keyring *kr, const char *ad, const uint8_t *env, size_t envlen,
	       void *pt, size_t cap, size_t *ptlen, struct folio_err *e) MUST_CHECK;
/* Parses an envelope's header; 0 when well formed. */
int field_header(const uint8_t *env, size_t envlen, enum key_class *c, uint32_t *version);

/* ---- blind indexes --------------------------------------------------- */
/* Keyed BLAKE2b tag of a normalised value under the subkey of index_id
 * (crypto_kdf from the current index key), truncated to `bits` (1..32). */
int blind_tag(const struct keyring *kr, uint64_t index_id, const void *val, size_t len,
	      unsigned bits, uint32_t *tag, struct folio_err *e) MUST_CHECK;

/* A blinder holds the derived subkeys of indexes 1..BLIND_INDEXES so that
 * tagging in bulk costs one keyed hash, not a key derivation.  Guarded
 * memory; free with blinder_free (wipes). */
#define BLIND_INDEXES 16
struct blinder;
int blinder_new(const struct keyring *kr, struct blinder **out, struct folio_err *e) MUST_CHECK;
void blinder_free(struct blinder *b);
/* Same tag as blind_tag() for index_id 1..BLIND_INDEXES. */
uint32_t blinder_tag(const struct blinder *b, unsigned index_id, const void *val, size_t len,
		     unsigned bits);

/* ---- pseudonyms (src/crypto/pseudonym.c) ---------------------------- */
/* The keyed pseudonym of row id of a kind ("patient", "encounter"): hex of
 * a keyed BLAKE2b under a subkey of the current index key (its own KDF
 * context); not reversible without the key. */
#define PSEUDONYM_HEX 32
int crypto_pseudonym(const struct keyring *kr, const char *kind, int64_t id, char out[PSEUDONYM_HEX + 1],
		     struct folio_err *e) MUST_CHECK;

/* Keyed ids of what other systems call a patient or a row (an HL7 PID-3
 * identifier, a Synthea Id): a 128-bit keyed BLAKE2b under another
 * subkey of the index key, so an import finds what it made before without
 * the identifier being stored in the clear.  The keyer holds the derived
 * subkey (guarded; idkeyer_free wipes) so a bulk import derives it once. */
struct idkeyer;
int idkeyer_new(const struct keyring *kr, struct idkeyer **out, struct folio_err *e) MUST_CHECK;
/* The keyed tag of "a:b:id" ("a:id" when b is NULL), raw or as hex. */
#define IDKEY_TAG_BYTES (PSEUDONYM_HEX / 2)
void idkeyer_tag(const struct idkeyer *k, const char *a, const char *b, const void *id, size_t len,
		 uint8_t out[IDKEY_TAG_BYTES]);
void idkeyer_hex(const struct idkeyer *k, const char *a, const char *b, const void *id, size_t len,
		 char out[PSEUDONYM_HEX + 1]);
void idkeyer_free(struct idkeyer *k);

/* Keeps the ring's key memory readable across many field_open/field_seal
 * calls (a bulk decrypt) instead of one mprotect pair per call; every pin
 * needs its unpin. */
void keyring_pin(const struct keyring *kr);
void keyring_unpin(const struct keyring *kr);

/* ---- audit chain ----------------------------------------------------- */
/* out = BLAKE2b-256(key = audit key `version`, prev || row).  version 0 means
 * unkeyed (rows written before anyone signed in, e.g. a failed login). */
int chain_hash(const struct keyring *kr, uint32_t version, const uint8_t prev[HASH_BYTES],
	       const void *row, size_t len, uint8_t out[HASH_BYTES], struct folio_err *e) MUST_CHECK;

/* ---- signatures (Ed25519) -------------------------------------------- */
/* A user's signing key: the secret half lives in guarded memory, no-access
 * between uses; it is stored wrapped under a key-encryption key derived from
 * the user's signature code (not the password). */
#define SIGN_PUBLIC_BYTES 32
#define SIGNATURE_BYTES 64
#define SIGNER_WRAP_BYTES (ENVELOPE_OVERHEAD + 64)
struct signer;
/* A fresh key pair; pk gets the public half. */
int signer_new(uint8_t pk[SIGN_PUBLIC_BYTES], struct signer **out, struct folio_err *e) MUST_CHECK;
void signer_free(struct signer *sg);
/* Wraps the secret half under k; ad names the owner ("signing_keys:USER:ID"). */
int signer_wrap(const struct kek *k, const struct signer *sg, const char *ad,
		uint8_t out[SIGNER_WRAP_BYTES], struct folio_err *e) MUST_CHECK;
/* FOLIO_EDENIED when the code (kek) is wrong or the wrap altered. */
int signer_unwrap(const struct kek *k, const char *ad, const uint8_t *in, size_t len,
		  struct signer **out, struct folio_err *e) MUST_CHECK;
void signer_sign(const struct signer *sg, const void *msg, size_t len, uint8_t sig[SIGNATURE_BYTES]);
/* 0 when sig is pk's signature of msg. */
int signature_check(const uint8_t pk[SIGN_PUBLIC_BYTES], const void *msg, size_t len,
		    const uint8_t sig[SIGNATURE_BYTES]);
/* Unkeyed BLAKE2b-256, for what a signature covers. */
void crypto_digest(const void *in, size_t len, uint8_t out[HASH_BYTES]);

/* ---- box keys and key offers (src/crypto/boxkey.c) ------------------- */
/* A rotation seals the new version of a class key to each holder's X25519
 * public key (crypto_box_seal) as an "offer"; the holder opens it at
 * sign-in with the box secret, which is kept wrapped under their password
 * key.  The recovery key's pair is derived from the recovery key. */
#define BOX_PUBLIC_BYTES 32
#define BOXKEY_WRAP_BYTES (ENVELOPE_OVERHEAD + 32)
#define KEY_OFFER_PLAIN (5 + KEY_BYTES + HASH_BYTES)
#define KEY_OFFER_BYTES (48 + KEY_OFFER_PLAIN)
struct boxkey;
int boxkey_new(uint8_t pk[BOX_PUBLIC_BYTES], struct boxkey **out, struct folio_err *e) MUST_CHECK;
/* The recovery key's pair: a seed from crypto_kdf over the recovery key. */
int boxkey_from_recovery(const uint8_t rk[RECOVERY_KEY_BYTES], uint8_t pk[BOX_PUBLIC_BYTES],
			 struct boxkey **out, struct folio_err *e) MUST_CHECK;
void boxkey_free(struct boxkey *bk);
int boxkey_public(const struct boxkey *bk, uint8_t pk[BOX_PUBLIC_BYTES]);
/* The secret half wrapped under k; ad names the owner ("users.box:ID"). */
int boxkey_wrap(const struct kek *k, const struct boxkey *bk, const char *ad,
		uint8_t out[BOXKEY_WRAP_BYTES], struct folio_err *e) MUST_CHECK;
int boxkey_unwrap(const struct kek *k, const char *ad, const uint8_t *in, size_t len,
		  struct boxkey **out, struct folio_err *e) MUST_CHECK;
/* Seals key (c, version) of kr to pk, with a tag under key (c, version - 1)
 * (which kr must hold too) proving it was made by a holder of the class. */
int key_offer_seal(const uint8_t pk[BOX_PUBLIC_BYTES], const struct keyring *kr, enum key_class c,
		   uint32_t version, uint8_t out[KEY_OFFER_BYTES], struct folio_err *e) MUST_CHECK;
/* Opens an offer filed as (c, version) into kr, which must hold (c,
 * version - 1) to check its tag; FOLIO_EDENIED when it is not sealed to
 * this pair, FOLIO_EFAIL when filed under another class or version or not
 * made by a holder of the previous version. */
int key_offer_open(const struct boxkey *bk, const uint8_t pk[BOX_PUBLIC_BYTES], struct keyring *kr,
		   enum key_class c, uint32_t version, const uint8_t *in, size_t len,
		   struct folio_err *e) MUST_CHECK;

/* ---- misc ------------------------------------------------------------ */
void crypto_random(void *buf, size_t n);
/* Lower-case hex of n bytes into out (2n+1 bytes). */
void crypto_hex(const uint8_t *in, size_t n, char *out);
const char *crypto_library_version(void);

#endif
