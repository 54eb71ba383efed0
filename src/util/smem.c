/* folio — secure memory (guarded, locked, wiped) on libsodium, and the
 * process hardening that goes with it.
 *
 * Every live smem_alloc() block is listed (address, size and the
 * protection it was given), so the lock screen can encrypt all of them in
 * place at once with smem_seal_all(): the screens under the lock keep
 * their decrypted state for the unlock, but while the session sits locked
 * that state is ciphertext under a key that only the user's password leads
 * back to (src/access/lockseal.c), and unreadable besides — root reading
 * the process's memory finds nothing (tests/reliability/leak.sh). */
#include "folio/smem.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

enum smem_prot { SMEM_RW, SMEM_RO, SMEM_NONE };

struct smem_block {
	void *p;
	size_t size;          /* as allocated (rounded up to 16) */
	unsigned char prot;   /* enum smem_prot, as last set through this file */
	unsigned char sealed; /* encrypted by smem_seal_all() */
	unsigned char nonce[crypto_stream_xchacha20_NONCEBYTES];
};

/* Addresses, sizes, flags and nonces only, never contents: plain heap. */
static struct smem_block *blocks;
static size_t nblocks, capblocks;
static unsigned char seal_check[16]; /* a hash of the sealing key: a wrong key is refused, not applied */

static struct smem_block *block_find(const void *p)
{
	size_t i;

	for (i = nblocks; i-- > 0;)
		if (blocks[i].p == p)
			return &blocks[i];
	return NULL;
}

static int block_add(void *p, size_t size)
{
	if (nblocks == capblocks) {
		size_t cap = capblocks ? capblocks * 2 : 64;
		struct smem_block *nb = realloc(blocks, cap * sizeof *nb);
		if (!nb)
			return -1;
		blocks = nb;
		capblocks = cap;
	}
	memset(&blocks[nblocks], 0, sizeof blocks[nblocks]);
	blocks[nblocks].p = p;
	blocks[nblocks].size = size;
	blocks[nblocks].prot = SMEM_RW;
	nblocks++;
	return 0;
}

static void block_remove(const void *p)
{
	struct smem_block *b = block_find(p);

	if (b)
		*b = blocks[--nblocks];
}

static void block_set(const void *p, enum smem_prot prot)
{
	struct smem_block *b = block_find(p);

	if (b)
		b->prot = (unsigned char)prot;
}

static void block_protect(const struct smem_block *b)
{
	if (b->prot == SMEM_RW)
		sodium_mprotect_readwrite(b->p);
	else if (b->prot == SMEM_RO)
		sodium_mprotect_readonly(b->p);
	else
		sodium_mprotect_noaccess(b->p);
}

static void key_check(const unsigned char key[SMEM_SEAL_KEY_BYTES], unsigned char out[16])
{
	static const unsigned char what[] = "folio smem seal check";

	crypto_generichash(out, 16, what, sizeof what, key, SMEM_SEAL_KEY_BYTES);
}

void smem_seal_all(const unsigned char key[SMEM_SEAL_KEY_BYTES])
{
	key_check(key, seal_check);
	for (size_t i = 0; i < nblocks; i++) {
		struct smem_block *b = &blocks[i];
		if (b->sealed)
			continue;
		randombytes_buf(b->nonce, sizeof b->nonce);
		sodium_mprotect_readwrite(b->p);
		crypto_stream_xchacha20_xor(b->p, b->p, b->size, b->nonce, key);
		sodium_mprotect_noaccess(b->p);
		b->sealed = 1;
	}
}

int smem_unseal_all(const unsigned char key[SMEM_SEAL_KEY_BYTES])
{
	unsigned char check[16];

	key_check(key, check);
	if (sodium_memcmp(check, seal_check, sizeof check) != 0)
		return -1;
	for (size_t i = 0; i < nblocks; i++) {
		struct smem_block *b = &blocks[i];
		if (!b->sealed)
			continue;
		sodium_mprotect_readwrite(b->p);
		crypto_stream_xchacha20_xor(b->p, b->p, b->size, b->nonce, key);
		b->sealed = 0;
		block_protect(b);
	}
	return 0;
}

void smem_drop_sealed(void)
{
	for (size_t i = 0; i < nblocks; i++) {
		struct smem_block *b = &blocks[i];
		if (!b->sealed)
			continue;
		sodium_mprotect_readwrite(b->p);
		sodium_memzero(b->p, b->size);
		b->sealed = 0;
		block_protect(b);
	}
}

void *smem_alloc(size_t n)
{
	/* sodium_malloc puts the block against its guard page, so the address
	 * is only as aligned as the size: round up to keep structs aligned. */
	size_t size = n ? (n + 15) & ~(size_t)15 : 16;
	void *p = size >= n ? sodium_malloc(size) : NULL;

	if (p && block_add(p, size) != 0) {
		sodium_free(p);
		p = NULL;
	}
	if (p)
		sodium_memzero(p, size);
	return p;
}

void smem_free(void *p)
{
	/* sodium_free wipes, checks the canary and unmaps the guard pages */
	if (p) {
		block_remove(p);
		sodium_free(p);
	}
}

/* explicit_bzero: glibc's memset that the compiler may not drop; this
 * libsodium's sodium_memzero stores a byte at a time, a tenth of an
 * imported row's cost when an item's 3 KB fields are cleared. */
void smem_wipe(void *p, size_t n)
{
	if (p && n)
		explicit_bzero(p, n);
}

int smem_noaccess(void *p)
{
	block_set(p, SMEM_NONE);
	return sodium_mprotect_noaccess(p);
}

int smem_readonly(void *p)
{
	block_set(p, SMEM_RO);
	return sodium_mprotect_readonly(p);
}

int smem_readwrite(void *p)
{
	block_set(p, SMEM_RW);
	return sodium_mprotect_readwrite(p);
}

int smem_equal(const void *a, const void *b, size_t n)
{
	return sodium_memcmp(a, b, n);
}

char *smem_strdup(const char *s)
{
	size_t n = strlen(s);
	char *p = smem_alloc(n + 1);
	if (p)
		memcpy(p, s, n + 1);
	return p;
}

int smem_init(void)
{
	struct rlimit none = { 0, 0 };

	/* No core dump may hold a key or decrypted patient data. */
	if (setrlimit(RLIMIT_CORE, &none) != 0)
		return -1;
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return -1;
	return sodium_init() < 0 ? -1 : 0;
}
