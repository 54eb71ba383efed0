/* libFuzzer target: a claim line through drg_claim_parse() and, when it
 * parses, drg_group() (src/drg/drg_claim.c, drg_group.c).
 *
 * The tables are loaded once from $FOLIO_CODESETS or ../shared/codesets;
 * without them only the parser is fuzzed.  A refused line must leave a
 * reason and a NUL-terminated id; a grouped claim must come back with a
 * DRG and MDC in range, names for every code it reports, and one usage per
 * secondary.  The corpus starts from the official test set's lines (seeded
 * by `make fuzz` from ../shared) and the hand-written lines in
 * tests/fuzz/corpus/drg/. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folio/drg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct drg_tables *tables;

static void load_once(void)
{
	static int tried;
	struct folio_err e = { 0, "" };
	const char *dir = getenv("FOLIO_CODESETS");

	if (tried)
		return;
	tried = 1;
	if (!dir || !*dir)
		dir = "../shared/codesets";
	if (drg_tables_load(dir, &tables, &e) != FOLIO_OK) {
		fprintf(stderr, "fuzz_drg: no grouper tables (%s): fuzzing the parser only\n", e.msg);
		tables = NULL;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct drg_claim c;
	struct drg_result r;
	struct folio_err e = { 0, "" };
	char id[64];

	load_once();
	memset(id, 'x', sizeof id);
	if (drg_claim_parse((const char *)data, size, &c, id, &e) != FOLIO_OK) {
		if (!memchr(id, 0, sizeof id) || e.msg[0] == 0)
			abort();
		return 0;
	}
	if (!memchr(id, 0, sizeof id) || c.nsdx < 0 || c.nsdx > DRG_MAX_SDX || c.nproc < 0 ||
	    c.nproc > DRG_MAX_PROC || strlen(c.pdx) >= DRG_CODE_MAX)
		abort();
	if (!tables)
		return 0;
	drg_group(tables, &c, &r);
	if (r.final_drg < 1 || r.final_drg > 999 || r.initial_drg < 1 || r.initial_drg > 999 ||
	    r.final_mdc < 0 || r.final_mdc > 25 || !r.grc || !r.hac_status || r.nsdx != c.nsdx)
		abort();
	if (strcmp(r.grc, "OK") != 0 && r.final_drg != 999)
		abort();
	if (strcmp(r.grc, "OK") == 0 && (drg_title(tables, r.final_drg)[0] == 0 ||
					 drg_mdc_title(tables, r.final_mdc)[0] == 0))
		abort();
	for (int i = 0; i < r.nsdx; i++)
		if ((unsigned)r.sdx_usage[i] > DRG_SDX_MCC_EXCLUDED_BY_DRG_LOGIC)
			abort();
	return 0;
}
