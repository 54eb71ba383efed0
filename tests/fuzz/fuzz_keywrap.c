/* libFuzzer target: key wraps (src/crypto/wrap.c), the blobs in user_keys and
 * recovery_keys that a tampered database file controls.
 *
 * key_wrap_header() and key_unwrap() must refuse anything malformed without
 * reading past it, and whatever key_unwrap() accepts must land in the ring
 * under the class and version its header names. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folio/crypto.h"
#include "folio/smem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The recovery key the corpus wraps were made under (corpus_gen.c), so a
 * seed unwraps and the fuzzer starts from the success path too. */
static const uint8_t fixed_rk[RECOVERY_KEY_BYTES] = {
	0x66, 0x6f, 0x6c, 0x69, 0x6f, 0x20, 0x66, 0x75, 0x7a, 0x7a, 0x20, 0x72, 0x65, 0x63, 0x6f, 0x76,
	0x65, 0x72, 0x79, 0x20, 0x6b, 0x65, 0x79, 0x20, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x31,
};

static const struct kek *fixed_kek(void)
{
	static struct kek *k;
	struct folio_err e;

	if (k)
		return k;
	if (smem_init() != 0)
		abort();
	if (kek_from_recovery(fixed_rk, &k, &e) != FOLIO_OK)
		abort();
	return k;
}

/* An accepted wrap must carry a usable key: wrapping it again and opening
 * that into a second ring gives a ring that opens what the first sealed. */
static void rewrap_check(const struct kek *k, const struct keyring *kr, enum key_class c,
			 uint32_t version, const char *ad)
{
	uint8_t wrap[WRAP_BYTES], env[1 + ENVELOPE_OVERHEAD], pt[1];
	struct keyring *kr2 = keyring_new();
	struct folio_err e;
	enum key_class c2;
	uint32_t v2;
	size_t envlen, ptlen;

	if (!kr2)
		abort();
	if (key_wrap(k, kr, c, version, ad, wrap, &e) != FOLIO_OK ||
	    key_wrap_header(wrap, sizeof wrap, &c2, &v2) != 0 || c2 != c || v2 != version ||
	    key_unwrap(k, kr2, ad, wrap, sizeof wrap, &e) != FOLIO_OK)
		abort();
	if (field_seal(kr, c, "fuzz.keywrap:1", "x", 1, env, sizeof env, &envlen, &e) != FOLIO_OK ||
	    field_open(kr2, "fuzz.keywrap:1", env, envlen, pt, sizeof pt, &ptlen, &e) != FOLIO_OK ||
	    ptlen != 1 || pt[0] != 'x')
		abort();
	keyring_free(kr2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct kek *k = fixed_kek();
	struct keyring *kr;
	struct folio_err e;
	enum key_class c = 0, c2;
	uint32_t version = 0, v2;
	char ad[64];
	int hdr, rc;

	hdr = key_wrap_header(data, size, &c, &version);
	if (hdr == 0 && (size != WRAP_BYTES || c < KC_FIRST || c > KC_LAST || version == 0))
		abort();
	/* The AD the recovery path builds (bootstrap.c) from the row's class
	 * and version; a header that does not parse still gets a fixed one so
	 * the unwrap's own checks run. */
	snprintf(ad, sizeof ad, "recovery_keys:%d:%u", hdr == 0 ? (int)c : 1,
		 hdr == 0 ? (unsigned)version : 1u);

	kr = keyring_new();
	if (!kr)
		abort();
	rc = key_unwrap(k, kr, ad, data, size, &e);
	if (rc == FOLIO_OK) {
		if (hdr != 0 || keyring_count(kr) != 1 || keyring_entry(kr, 0, &c2, &v2) != 0 ||
		    c2 != c || v2 != version || keyring_current(kr, c) != version)
			abort();
		rewrap_check(k, kr, c, version, ad);
	} else if (keyring_count(kr) != 0) {
		abort(); /* a refused wrap must not leave a key behind */
	}
	keyring_free(kr);
	return 0;
}
