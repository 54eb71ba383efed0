/* libFuzzer target: the printed recovery key (src/crypto/recovery.c), which
 * is typed by a person at a prompt and so is free text of any length.
 *
 * recovery_parse() must not read or write out of bounds, and what it accepts
 * must decode to one key: parsing the same text again gives the same 32
 * bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "folio/crypto.h"
#include "folio/smem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	uint8_t rk1[RECOVERY_KEY_BYTES], rk2[RECOVERY_KEY_BYTES];
	struct folio_err e;
	char *text;
	int rc1, rc2;

	if (!ready) {
		if (smem_init() != 0)
			abort();
		ready = 1;
	}
	/* An exact-size copy plus the NUL, so ASan catches a read past it.
	 * Bytes after an embedded NUL are simply not part of the string. */
	text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';

	memset(rk1, 0xA5, sizeof rk1);
	memset(rk2, 0x5A, sizeof rk2);
	rc1 = recovery_parse(text, rk1, &e);
	rc2 = recovery_parse(text, rk2, &e);
	if (rc1 != rc2)
		abort();
	if (rc1 == FOLIO_OK && memcmp(rk1, rk2, sizeof rk1) != 0)
		abort();
	if (rc1 != FOLIO_OK && rc1 != FOLIO_EUSAGE)
		abort(); /* a bad key is the typist's mistake, reported as usage */
	free(text);
	return 0;
}
