/* folio — `export`: `export deid --out DIR`, the de-identified research
 * extract (src/core/export_deid.c); `export fhir` is not built yet. */
#include <stdio.h>
#include <string.h>

#include "cli_internal.h"
#include "folio/deid.h"

static const char export_usage[] = "usage: folio export deid --out DIR\n";

struct deid_ctx {
	const char *out;
	long rows[DEID_FILES];
};

static int do_deid(struct cli *c, struct grant *g, void *ctx)
{
	struct deid_ctx *d = ctx;
	int rc = export_deid_run(g, d->out, d->rows, &c->err);

	if (rc == 0) {
		printf("de-identified extract written to %s\n", d->out);
		for (int i = 0; i < DEID_FILES; i++)
			printf("%s\t%ld\n", deid_file_name((enum deid_file)i), d->rows[i]);
	}
	return rc;
}

int cmd_export(struct cli *c, int argc, char **argv)
{
	struct deid_ctx d = { 0 };
	const struct cli_optdef defs[] = { { "--out", &d.out, NULL }, { NULL, NULL, NULL } };

	if (argc < 2) {
		fputs(export_usage, stderr);
		return 2;
	}
	if (strcmp(argv[1], "fhir") == 0)
		return cli_fail(2, "export fhir is not yet available");
	if (strcmp(argv[1], "deid") != 0) {
		fputs(export_usage, stderr);
		return 2;
	}
	if (cli_options(c, argc, argv, 2, defs))
		return 2;
	if (!d.out || !d.out[0])
		return cli_fail(2, "export deid needs --out DIR (a new or empty directory)");
	return cli_grant(c, ACT_EXPORT_RUN, NULL, "export", "deid", do_deid, &d);
}
