/* folio — secure memory (guarded, locked, wiped) on libsodium, and the
 * process hardening that goes with it. */
#include "folio/smem.h"

#include <sodium.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

void *smem_alloc(size_t n)
{
	/* sodium_malloc puts the block against its guard page, so the address
	 * is only as aligned as the size: round up to keep structs aligned. */
	size_t size = n ? (n + 15) & ~(size_t)15 : 16;
	void *p = size >= n ? sodium_malloc(size) : NULL;

	if (p)
		sodium_memzero(p, size);
	return p;
}

void smem_free(void *p)
{
	/* sodium_free wipes, checks the canary and unmaps the guard pages */
	if (p)
		sodium_free(p);
}

void smem_wipe(void *p, size_t n)
{
	if (p && n)
		sodium_memzero(p, n);
}

int smem_noaccess(void *p)
{
	return sodium_mprotect_noaccess(p);
}

int smem_readonly(void *p)
{
	return sodium_mprotect_readonly(p);
}

int smem_readwrite(void *p)
{
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
