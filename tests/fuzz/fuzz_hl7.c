/* libFuzzer target: the HL7 v2 ER7 parser (src/interop/hl7.c).
 *
 * Any bytes are split into messages; every field, repetition, component
 * and subcomponent of every segment is read, and an acknowledgement built.
 * The parser must stay in bounds, every value must be valid UTF-8 without
 * control characters other than line feeds, and no value may be longer
 * than the bytes it came from allow (an escape never grows). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "folio/hl7.h"
#include "folio/smem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t input_size;

static void check_value(const char *v, int r, size_t cap)
{
	if (r == HL7_ABSENT || r == HL7_NULL) {
		if (v[0])
			abort();
		return;
	}
	if (r < 0 || (size_t)r >= cap || strlen(v) != (size_t)r)
		abort();
	if (utf8_length(v, (size_t)r) < 0)
		abort();
	for (int i = 0; i < r; i++)
		if ((unsigned char)v[i] < 0x20 && v[i] != '\n')
			abort();
	/* Latin-1 doubles a byte at most; U+FFFD triples one. */
	if ((size_t)r > 3 * input_size)
		abort();
}

static int walk(const struct hl7_msg *m, void *ctx)
{
	char v[96], ack[1024];

	(void)ctx;
	for (size_t i = 0; i < m->nseg; i++) {
		if (strlen(m->seg[i].id) != 3 || m->seg[i].len < 3)
			abort();
		for (int f = 1; f <= 12; f++) {
			int reps = hl7_reps(m, i, f);
			for (int r = 0; r < reps && r < 3; r++)
				for (int c = 1; c <= 4; c++)
					for (int s = 1; s <= 3; s++)
						check_value(v, hl7_get(m, i, f, r, c, s, v, sizeof v), sizeof v);
		}
	}
	if (hl7_ack(m, m->error[0] ? "AE" : "AA", m->error, "20260101000000", ack, sizeof ack) > 0 &&
	    strncmp(ack, "MSH|^~\\&|FOLIO|FOLIO|", 21) != 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	int junk;

	/* as folio itself does first: a value longer than hl7_get's stack
	 * buffer is unescaped in guarded memory (fuzz finding: without the
	 * init, sodium_malloc aborts; corpus hl7/regress-long-value) */
	if (!ready) {
		if (smem_init() != 0)
			abort();
		ready = 1;
	}
	input_size = size;
	hl7_split((const char *)data, size, walk, NULL, &junk);
	return 0;
}
