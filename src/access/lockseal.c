/* folio — the interface's decrypted state while the screen is locked
 * (include/folio/access.h, access_lock_seal): encrypted in place by
 * smem_seal_all() under a key derived, with a salt drawn at each lock, from
 * the session's index key (every role holds it).  The index key is wiped
 * at the lock and comes back only from the user's password, so nothing in
 * the process's memory — read by root through /proc, say — opens the
 * sealed state while the session sits locked; the salt is not a secret. */
#include <string.h>

#include "access_internal.h"
#include "folio/crypto.h"
#include "folio/smem.h"

static int64_t lock_salt;
static int lock_sealed;

static int lock_key(struct session *s, unsigned char key[SMEM_SEAL_KEY_BYTES], struct folio_err *e)
{
	char hex[PSEUDONYM_HEX + 1];
	int rc;

	if ((rc = crypto_pseudonym(s->kr, "screen-lock", lock_salt, hex, e)))
		return rc;
	crypto_digest(hex, PSEUDONYM_HEX, key);
	smem_wipe(hex, sizeof hex);
	return FOLIO_OK;
}

int access_lock_seal(struct session *s, struct folio_err *e)
{
	unsigned char key[SMEM_SEAL_KEY_BYTES];
	int rc;

	crypto_random(&lock_salt, sizeof lock_salt);
	/* the key lives on the stack for the one call and is wiped there */
	if ((rc = lock_key(s, key, e)))
		return rc;
	smem_seal_all(key);
	smem_wipe(key, sizeof key);
	lock_sealed = 1;
	return FOLIO_OK;
}

int access_lock_unseal(struct session *s, struct folio_err *e)
{
	unsigned char key[SMEM_SEAL_KEY_BYTES];
	int rc;

	if (!lock_sealed)
		return FOLIO_OK;
	if ((rc = lock_key(s, key, e)))
		return rc;
	rc = smem_unseal_all(key);
	smem_wipe(key, sizeof key);
	if (rc != 0)
		return err_set(e, FOLIO_EFAIL, "the locked screens could not be restored (the keys changed)");
	lock_sealed = 0;
	return FOLIO_OK;
}

void access_lock_drop(void)
{
	smem_drop_sealed();
	lock_sealed = 0;
}
