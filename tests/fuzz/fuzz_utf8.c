/* libFuzzer target: utf8_length() (src/util/err.c), which decides whether a
 * password is acceptable text, checked against a second, independent
 * validator written from the table of well-formed byte sequences in
 * Unicode 15, section 3.9 (table 3-7).  The two must agree on validity and,
 * for valid input, on the number of code points. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "folio/smem.h"
#include "folio/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Table 3-7 row by row: the lead byte fixes the length and the allowed range
 * of the first continuation byte; later continuation bytes are 80..BF.  This
 * shape differs on purpose from utf8_length()'s decode-then-range-check, so
 * the two are unlikely to share a mistake. */
static long ref_utf8_length(const uint8_t *s, size_t len)
{
	long count = 0;
	size_t i = 0;

	while (i < len) {
		uint8_t b = s[i];
		size_t n;
		uint8_t lo = 0x80, hi = 0xBF;

		if (b <= 0x7F) {
			n = 1;
		} else if (b >= 0xC2 && b <= 0xDF) {
			n = 2;
		} else if (b == 0xE0) {
			n = 3;
			lo = 0xA0;
		} else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
			n = 3;
		} else if (b == 0xED) {
			n = 3;
			hi = 0x9F;
		} else if (b == 0xF0) {
			n = 4;
			lo = 0x90;
		} else if (b >= 0xF1 && b <= 0xF3) {
			n = 4;
		} else if (b == 0xF4) {
			n = 4;
			hi = 0x8F;
		} else {
			return -1; /* 80..C1, F5..FF never start a sequence */
		}
		if (len - i < n)
			return -1;
		if (n > 1 && (s[i + 1] < lo || s[i + 1] > hi))
			return -1;
		for (size_t k = 2; k < n; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xBF)
				return -1;
		i += n;
		count++;
	}
	return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	long got, want;

	if (!ready) {
		if (smem_init() != 0)
			abort();
		ready = 1;
	}
	got = utf8_length((const char *)data, size);
	want = ref_utf8_length(data, size);
	if ((got < 0) != (want < 0))
		abort(); /* disagree about validity */
	if (got >= 0 && got != want)
		abort(); /* disagree about the count */
	if (got < -1)
		abort();
	return 0;
}
