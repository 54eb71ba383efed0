/* libFuzzer target: the field envelope parser and opener (src/crypto/envelope.c).
 *
 * Every byte string a database row can hold reaches field_header() and
 * field_open(), so neither may read out of bounds or accept what it did not
 * seal.  Inputs whose header parses are also sealed as plaintext and opened
 * again: the round trip must be exact, and the envelope must refuse other
 * associated data. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "folio/crypto.h"
#include "folio/smem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define AD "patients.name:1"
#define AD_OTHER "patients.name:2"

/* One keyring for the whole run: keyring_generate costs guarded pages, and
 * holding version 1 of every class lets well-formed headers reach the AEAD. */
static struct keyring *fixed_ring(void)
{
	static struct keyring *kr;

	if (kr)
		return kr;
	if (smem_init() != 0)
		abort();
	kr = keyring_new();
	if (!kr)
		abort();
	for (int c = KC_FIRST; c <= KC_LAST; c++)
		if (keyring_generate(kr, (enum key_class)c, 1) != 0)
			abort();
	return kr;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keyring *kr = fixed_ring();
	struct folio_err e;
	enum key_class c;
	uint32_t version;
	uint8_t *pt, *env, *back;
	size_t ptlen = 0, envlen = 0, backlen = 0;
	int hdr;

	hdr = field_header(data, size, &c, &version);
	if (hdr == 0 && (c < KC_FIRST || c > KC_LAST || version == 0))
		abort(); /* a header that parses must name a real class and version */

	/* Exactly the room field_open asks for, on the heap, so ASan sees any
	 * write past it. */
	if (size >= ENVELOPE_OVERHEAD) {
		pt = malloc(size - ENVELOPE_OVERHEAD);
		if (!pt)
			return 0;
		if (field_open(kr, AD, data, size, pt, size - ENVELOPE_OVERHEAD, &ptlen, &e) == FOLIO_OK) {
			/* Forging a tag under a random key is out of reach; an
			 * open that succeeds means the AEAD is not being checked. */
			abort();
		}
		free(pt);
	} else if (field_open(kr, AD, data, size, NULL, 0, &ptlen, &e) == FOLIO_OK) {
		abort();
	}
	if (hdr != 0)
		return 0;

	/* Round trip of the input itself as a field value. */
	env = malloc(size + ENVELOPE_OVERHEAD);
	back = malloc(size ? size : 1);
	if (!env || !back)
		abort();
	if (field_seal(kr, c, AD, data, size, env, size + ENVELOPE_OVERHEAD, &envlen, &e) != FOLIO_OK)
		abort();
	if (envlen != size + ENVELOPE_OVERHEAD)
		abort();
	{
		enum key_class c2;
		uint32_t v2;
		if (field_header(env, envlen, &c2, &v2) != 0 || c2 != c || v2 != 1)
			abort();
	}
	if (field_open(kr, AD, env, envlen, back, size, &backlen, &e) != FOLIO_OK)
		abort();
	if (backlen != size || (size && memcmp(back, data, size) != 0))
		abort();
	/* The binding to "table.column:row-id" is the point of the AD: the same
	 * envelope moved to another row must not open. */
	if (field_open(kr, AD_OTHER, env, envlen, back, size, &backlen, &e) == FOLIO_OK)
		abort();
	/* Nor may any altered byte (the header included) go unnoticed. */
	env[data[0] % envlen] ^= 0x01;
	if (field_open(kr, AD, env, envlen, back, size, &backlen, &e) == FOLIO_OK)
		abort();
	free(env);
	free(back);
	return 0;
}
