/* folio — secure memory for keys, passwords and decrypted patient data.
 *
 * WARNING: these buffers are guarded, locked pages (sodium_malloc); each costs
 * several pages, so allocate a few per screen or command, never one per row.
 * smem_free() wipes before it frees.  Never realloc plaintext: copy into a
 * new smem buffer and free the old one.
 */
#ifndef FOLIO_SMEM_H
#define FOLIO_SMEM_H

#include <stddef.h>

/* Returns a zeroed buffer of n bytes, or NULL (out of memory). Caller frees
 * with smem_free(). */
void *smem_alloc(size_t n);
/* Wipes and frees; NULL is allowed. */
void smem_free(void *p);
/* Overwrites n bytes at p with zeros in a way the compiler cannot drop. */
void smem_wipe(void *p, size_t n);
/* Page protection of a smem_alloc() buffer between uses. */
int smem_noaccess(void *p);
int smem_readonly(void *p);
int smem_readwrite(void *p);
/* The lock screen's seal: every live smem_alloc() buffer is encrypted in
 * place (XChaCha20 under key, a nonce per buffer) and made unreadable, so
 * the screens underneath keep their state without a readable byte of it;
 * they must not touch it until smem_unseal_all() with the same key, which
 * decrypts each and gives back the protection it had (-1, nothing changed,
 * for another key).  smem_drop_sealed() zeroes the sealed buffers instead
 * (the session ended at the lock: what is unwound reads zeros).  Buffers
 * allocated while sealed are not affected. */
#define SMEM_SEAL_KEY_BYTES 32
void smem_seal_all(const unsigned char key[SMEM_SEAL_KEY_BYTES]);
int smem_unseal_all(const unsigned char key[SMEM_SEAL_KEY_BYTES]);
void smem_drop_sealed(void);
/* Constant-time comparison; 0 when equal. */
int smem_equal(const void *a, const void *b, size_t n);
/* Copies a NUL-terminated string into a new smem buffer (caller frees). */
char *smem_strdup(const char *s);

/* Library start-up: initialises libsodium and turns core dumps off.
 * Must be the first call in main(). Returns 0 or -1. */
int smem_init(void);

#endif
