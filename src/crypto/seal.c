/* folio — password-sealed release packets (include/folio/seal.h).
 *
 * Layout: MAGIC | salt[16] | opslimit (u64 LE) | memlimit (u64 LE) |
 * nonce[24] | XChaCha20-Poly1305(packet), with everything before the
 * ciphertext as associated data. */
#include "folio/seal.h"

#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "folio/smem.h"

static const char MAGIC[] = "FOLIO-SEALED-PACKET-1\n";
#define MAGIC_LEN (sizeof MAGIC - 1)
#define SALT_LEN crypto_pwhash_SALTBYTES
#define NONCE_LEN crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define HEADER_LEN (MAGIC_LEN + SALT_LEN + 8 + 8 + NONCE_LEN)
#define KEY_LEN crypto_aead_xchacha20poly1305_ietf_KEYBYTES
/* Argon2id at 3 passes over 128 MiB: about a second here, stored per file. */
#define SEAL_OPSLIMIT 3ULL
#define SEAL_MEMLIMIT (128ULL << 20)
/* What a file may ask of the opener before it is refused as hostile. */
#define SEAL_OPSLIMIT_MAX 64ULL
#define SEAL_MEMLIMIT_MAX (2ULL << 30)

static void put_u64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static int derive(const char *pw, size_t pwlen, const unsigned char *salt, uint64_t ops, uint64_t mem,
		  unsigned char *key, struct folio_err *e)
{
	if (crypto_pwhash(key, KEY_LEN, pw, pwlen, salt, ops, (size_t)mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return err_set(e, FOLIO_EFAIL, "not enough memory to derive the packet's key");
	return FOLIO_OK;
}

int seal_is_sealed(const unsigned char *in, size_t len)
{
	return len >= MAGIC_LEN && memcmp(in, MAGIC, MAGIC_LEN) == 0;
}

int seal_with_password(const char *pw, size_t pwlen, const unsigned char *in, size_t len, unsigned char **out,
		       size_t *outlen, struct folio_err *e)
{
	unsigned char *buf, *key;
	unsigned long long clen = 0;
	int rc;

	*out = NULL;
	*outlen = 0;
	if (pwlen < SEAL_PASSWORD_MIN)
		return err_set(e, FOLIO_EUSAGE, "a packet's password has at least %d characters", SEAL_PASSWORD_MIN);
	if (len > SIZE_MAX - HEADER_LEN - crypto_aead_xchacha20poly1305_ietf_ABYTES)
		return err_set(e, FOLIO_EUSAGE, "the packet is too large to seal");
	if (!(buf = malloc(HEADER_LEN + len + crypto_aead_xchacha20poly1305_ietf_ABYTES)))
		return err_set(e, FOLIO_EFAIL, "out of memory");
	if (!(key = smem_alloc(KEY_LEN))) {
		free(buf);
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	}
	memcpy(buf, MAGIC, MAGIC_LEN);
	randombytes_buf(buf + MAGIC_LEN, SALT_LEN);
	put_u64(buf + MAGIC_LEN + SALT_LEN, SEAL_OPSLIMIT);
	put_u64(buf + MAGIC_LEN + SALT_LEN + 8, SEAL_MEMLIMIT);
	randombytes_buf(buf + HEADER_LEN - NONCE_LEN, NONCE_LEN);
	if ((rc = derive(pw, pwlen, buf + MAGIC_LEN, SEAL_OPSLIMIT, SEAL_MEMLIMIT, key, e))) {
		smem_free(key);
		free(buf);
		return rc;
	}
	crypto_aead_xchacha20poly1305_ietf_encrypt(buf + HEADER_LEN, &clen, in, len, buf, HEADER_LEN, NULL,
						   buf + HEADER_LEN - NONCE_LEN, key);
	smem_free(key);
	*out = buf;
	*outlen = HEADER_LEN + (size_t)clen;
	return FOLIO_OK;
}

int seal_open_with_password(const char *pw, size_t pwlen, const unsigned char *in, size_t len, unsigned char **out,
			    size_t *outlen, struct folio_err *e)
{
	unsigned char *key, *plain;
	unsigned long long plen = 0;
	uint64_t ops, mem;
	int rc;

	*out = NULL;
	*outlen = 0;
	if (!seal_is_sealed(in, len) || len < HEADER_LEN + crypto_aead_xchacha20poly1305_ietf_ABYTES)
		return err_set(e, FOLIO_EUSAGE, "not a sealed folio packet");
	ops = get_u64(in + MAGIC_LEN + SALT_LEN);
	mem = get_u64(in + MAGIC_LEN + SALT_LEN + 8);
	if (ops < crypto_pwhash_OPSLIMIT_MIN || ops > SEAL_OPSLIMIT_MAX || mem < crypto_pwhash_MEMLIMIT_MIN ||
	    mem > SEAL_MEMLIMIT_MAX)
		return err_set(e, FOLIO_EUSAGE, "the sealed packet asks for an unreasonable key derivation");
	if (!(key = smem_alloc(KEY_LEN)))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if (!(plain = smem_alloc(len - HEADER_LEN))) {
		smem_free(key);
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	}
	if ((rc = derive(pw, pwlen, in + MAGIC_LEN, ops, mem, key, e)) == FOLIO_OK &&
	    crypto_aead_xchacha20poly1305_ietf_decrypt(plain, &plen, NULL, in + HEADER_LEN, len - HEADER_LEN, in,
						       HEADER_LEN, in + HEADER_LEN - NONCE_LEN, key) != 0)
		rc = err_set(e, FOLIO_EDENIED, "wrong password, or the packet was changed");
	smem_free(key);
	if (rc) {
		smem_free(plain);
		return rc;
	}
	*out = plain;
	*outlen = (size_t)plen;
	return FOLIO_OK;
}
