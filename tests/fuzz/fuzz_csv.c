/* libFuzzer target: the CSV reader (src/interop/csv.c) and the Synthea
 * header mapping over it (src/interop/synthea.c).  Any bytes: the reader
 * must end, never write past its buffer, report lines that only grow, and
 * give every record exactly the header's field count (or refuse it); the
 * fields it returns must re-quote to text that reads back the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "folio/csv.h"
#include "folio/synthea.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char buf[2048], buf2[4096], text[8192];

/* Quotes the record's fields into text; returns its length. */
static size_t requote(const struct csv *c)
{
	size_t o = 0;

	for (size_t i = 0; i < c->nf; i++) {
		if (i)
			text[o++] = ',';
		text[o++] = '"';
		for (const char *p = c->f[i]; *p; p++) {
			if (*p == '"')
				text[o++] = '"';
			text[o++] = *p;
		}
		text[o++] = '"';
	}
	text[o++] = '\n';
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv c, r;
	struct syn_map m;
	char why[96];
	unsigned last = 0;
	int rc;

	csv_open(&c, (const char *)data, size, buf, sizeof buf);
	if (csv_header(&c) == 0)
		for (int f = 0; f < SYN_FILES; f++)
			(void)synthea_map(f, &c, &m, why, sizeof why);
	while ((rc = csv_next(&c)) != 0) {
		if (c.line < last)
			abort();
		last = c.line;
		if (rc < 0)
			continue;
		if (c.ncols && c.nf != c.ncols)
			abort();
		/* at most every byte of buf doubled plus three per field: fits */
		csv_open(&r, text, requote(&c), buf2, sizeof buf2);
		if (csv_next(&r) != 1 || r.nf != c.nf)
			abort();
		for (size_t i = 0; i < c.nf; i++)
			if (strcmp(r.f[i], c.f[i]) != 0)
				abort();
	}
	return 0;
}
