/* folio — the one sealed layout behind field envelopes and key wraps:
 *   ver(1)=1 | class(1) | key version(4, BE) | nonce(24) | ciphertext | tag(16)
 * XChaCha20-Poly1305 IETF; the header is authenticated together with the
 * caller's associated data, so neither can be swapped. */
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "crypto_internal.h"

#define BOX_VERSION 1
#define AD_MAX 512

void be32_put(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

uint32_t be32_get(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* AD = header(6) || caller's text */
static int box_ad(const uint8_t *hdr, const char *ad, uint8_t *buf, size_t *len)
{
	size_t n = strlen(ad);

	if (n > AD_MAX)
		return -1;
	memcpy(buf, hdr, 6);
	memcpy(buf + 6, ad, n);
	*len = 6 + n;
	return 0;
}

int box_header(const uint8_t *in, size_t len, enum key_class *c, uint32_t *version)
{
	if (!in || len < ENVELOPE_OVERHEAD || in[0] != BOX_VERSION)
		return -1;
	if (in[1] < KC_FIRST || in[1] > KC_LAST)
		return -1;
	if (be32_get(in + 2) == 0)
		return -1;
	*c = (enum key_class)in[1];
	*version = be32_get(in + 2);
	return 0;
}

/* Nonces are 24 random bytes, public in every envelope.  They come from
 * the kernel a pool at a time, one getrandom(2) per 170 envelopes instead
 * of one each (a bulk import seals hundreds of thousands, and the system
 * call was a tenth of a seal).  The pool is the calling thread's; in a
 * fork's child it is emptied before first use, so parent and child never
 * hand out the same bytes; if that cannot be arranged there is no pool. */
#define NONCE_POOL 4080 /* 170 nonces */
static _Thread_local uint8_t nonce_pool[NONCE_POOL];
static _Thread_local size_t nonce_used = NONCE_POOL;
static int nonce_fork_safe; /* 0 unknown, 1 handler set, -1 none: no pool */

static void nonce_forget(void)
{
	nonce_used = NONCE_POOL;
}

static void box_nonce(uint8_t *out, size_t n)
{
	if (!nonce_fork_safe)
		nonce_fork_safe = pthread_atfork(NULL, NULL, nonce_forget) == 0 ? 1 : -1;
	if (nonce_fork_safe < 0) {
		randombytes_buf(out, n);
		return;
	}
	if (nonce_used + n > NONCE_POOL) {
		randombytes_buf(nonce_pool, NONCE_POOL);
		nonce_used = 0;
	}
	memcpy(out, nonce_pool + nonce_used, n);
	sodium_memzero(nonce_pool + nonce_used, n); /* handed out once */
	nonce_used += n;
}

int box_seal(const uint8_t *key, enum key_class c, uint32_t version, const char *ad,
	     const void *pt, size_t ptlen, uint8_t *out)
{
	uint8_t adbuf[6 + AD_MAX];
	size_t adlen;
	unsigned long long clen;

	out[0] = BOX_VERSION;
	out[1] = (uint8_t)c;
	be32_put(out + 2, version);
	if (box_ad(out, ad, adbuf, &adlen) != 0)
		return -1;
	box_nonce(out + 6, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	return crypto_aead_xchacha20poly1305_ietf_encrypt(out + ENVELOPE_HEADER, &clen, pt, ptlen,
							  adbuf, adlen, NULL, out + 6, key);
}

int box_open(const uint8_t *key, const char *ad, const uint8_t *in, size_t len, void *pt)
{
	uint8_t adbuf[6 + AD_MAX];
	size_t adlen;
	unsigned long long plen;

	if (box_ad(in, ad, adbuf, &adlen) != 0)
		return -1;
	return crypto_aead_xchacha20poly1305_ietf_decrypt(pt, &plen, NULL, in + ENVELOPE_HEADER,
							  len - ENVELOPE_HEADER, adbuf, adlen,
							  in + 6, key);
}
