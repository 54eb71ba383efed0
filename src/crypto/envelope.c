/* folio — encrypted fields, bound to "table.column:row-id". */
#include "folio/crypto.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "crypto_internal.h"

/* "table.column:rowid", built by hand: every sealed field of a bulk import
 * makes one, and snprintf was a tenth of the seal's cost. */
int field_ad(char *buf, size_t cap, const char *table, const char *column, int64_t rowid)
{
	size_t t = strlen(table), c = strlen(column), n;
	char digits[22];

	digits[0] = '-';
	n = rowid < 0 ? 1 + str_u64(digits + 1, (uint64_t)0 - (uint64_t)rowid) : str_u64(digits, (uint64_t)rowid);
	if (t + 1 + c + 1 + n >= cap)
		return -1;
	memcpy(buf, table, t);
	buf[t] = '.';
	memcpy(buf + t + 1, column, c);
	buf[t + 1 + c] = ':';
	memcpy(buf + t + c + 2, digits, n + 1);
	return 0;
}

int field_header(const uint8_t *env, size_t envlen, enum key_class *c, uint32_t *version)
{
	return box_header(env, envlen, c, version);
}

int field_seal(const struct keyring *kr, enum key_class c, const char *ad, const void *pt,
	       size_t ptlen, uint8_t *out, size_t cap, size_t *outlen, struct folio_err *e)
{
	uint32_t version = 0;
	const uint8_t *key;
	int rc;

	if (cap < ptlen + ENVELOPE_OVERHEAD || ptlen > (size_t)1 << 30)
		return err_set(e, FOLIO_EFAIL, "field too large to encrypt");
	key = keyring_borrow(kr, c, &version);
	if (!key)
		return err_set(e, FOLIO_EDENIED, "this account does not hold the %s key",
			       key_class_name(c));
	rc = box_seal(key, c, version, ad, pt, ptlen, out);
	keyring_release(kr);
	if (rc != 0)
		return err_set(e, FOLIO_EFAIL, "encryption failed");
	*outlen = ptlen + ENVELOPE_OVERHEAD;
	return FOLIO_OK;
}

int field_open(const struct keyring *kr, const char *ad, const uint8_t *env, size_t envlen,
	       void *pt, size_t cap, size_t *ptlen, struct folio_err *e)
{
	enum key_class c;
	uint32_t version;
	const uint8_t *key;
	int rc;

	if (box_header(env, envlen, &c, &version) != 0)
		return err_set(e, FOLIO_EFAIL, "malformed encrypted field");
	if (cap < envlen - ENVELOPE_OVERHEAD)
		return err_set(e, FOLIO_EFAIL, "encrypted field larger than its buffer");
	key = keyring_borrow(kr, c, &version);
	if (!key)
		return err_set(e, FOLIO_EDENIED, "this account does not hold the %s key (version %u)",
			       key_class_name(c), (unsigned)version);
	rc = box_open(key, ad, env, envlen, pt);
	keyring_release(kr);
	if (rc != 0)
		return err_set(e, FOLIO_EFAIL, "encrypted field failed to open (%s): altered or moved", ad);
	*ptlen = envlen - ENVELOPE_OVERHEAD;
	return FOLIO_OK;
}
