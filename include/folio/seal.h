/* folio — a release packet sealed with a password for electronic delivery
 * (src/crypto/seal.c).
 *
 * The records department sends the file and tells the recipient the
 * password another way (telephone, letter).  Argon2id stretches the
 * password (its cost is stored in the file, so it can be raised without
 * breaking old packets) into a key for XChaCha20-Poly1305 over the whole
 * packet; the header is authenticated too.  Opening needs only folio
 * (`folio unseal`), never the database or its keys. */
#ifndef FOLIO_SEAL_H
#define FOLIO_SEAL_H

#include <stddef.h>

#include "folio/util.h"

#define SEAL_PASSWORD_MIN 8

/* Seals len bytes of in; *out (malloc: it is ciphertext) and *outlen. */
int seal_with_password(const char *pw, size_t pwlen, const unsigned char *in, size_t len, unsigned char **out,
		       size_t *outlen, struct folio_err *e) MUST_CHECK;
/* Opens a sealed packet into guarded memory (*out: smem_free).
 * FOLIO_EUSAGE when in is not a sealed packet, FOLIO_EDENIED when the
 * password is wrong or the file was changed. */
int seal_open_with_password(const char *pw, size_t pwlen, const unsigned char *in, size_t len, unsigned char **out,
			    size_t *outlen, struct folio_err *e) MUST_CHECK;
/* 1 when in starts like a sealed packet. */
int seal_is_sealed(const unsigned char *in, size_t len);

#endif
