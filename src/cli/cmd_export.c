/* folio — `export`: `export deid --out DIR`, the de-identified research
 * extract (src/core/export_deid.c), and `export fhir MRN`, one patient's
 * record as a FHIR R4 Bundle (src/core/export_fhir.c). */
#include <stdio.h>
#include <string.h>

#include "cli_internal.h"
#include "folio/deid.h"
#include "folio/disclosure.h"
#include "folio/fhir.h"
#include "folio/smem.h"

static const char export_usage[] =
	"usage: folio export deid --out DIR\n"
	"       folio export fhir MRN [--out FILE [--force]] [--include-sensitive]\n"
	"                             [--to NAME --purpose TEXT --kind KIND [--address TEXT]]\n"
	"  --to records a disclosure in the ledger (KIND as in `folio disclosure add`)\n";

struct fhir_ctx {
	const char *out, *to, *purpose, *kind, *address;
	int force, sensitive;
	struct disclosure *d; /* guarded memory; NULL for an internal export */
	struct fhir_counts n;
};

static int do_fhir(struct cli *c, struct grant *g, void *ctx)
{
	struct fhir_ctx *f = ctx;
	struct fhir_export x = { f->out, f->out ? NULL : stdout, f->force, f->sensitive, f->d };
	char what[DISC_WHAT_MAX + 1];
	int rc = export_fhir_run(g, &x, &f->n, &c->err);

	if (rc)
		return rc;
	fhir_counts_text(&f->n, what, sizeof what);
	fprintf(stderr, "%s%s%s\n", what, f->out ? " written to " : "", f->out ? f->out : "");
	if (f->n.sensitive_left_out)
		fprintf(stderr, "%d psychotherapy or substance-use note%s left out (--include-sensitive adds them)\n",
			f->n.sensitive_left_out, f->n.sensitive_left_out == 1 ? "" : "s");
	if (f->d)
		fprintf(stderr, "disclosure %lld recorded (%s to %s)\n", (long long)f->n.disclosure_id,
			disclosure_kind_name(f->d->kind), f->d->recipient);
	return FOLIO_OK;
}

/* The ledger entry of --to, checked before anything is read or written. */
static int fhir_recipient(struct fhir_ctx *f)
{
	int k;

	if (!f->to)
		return f->purpose || f->kind || f->address
			       ? cli_fail(2, "--purpose, --kind and --address describe a disclosure: give --to NAME")
			       : 0;
	if (!f->to[0] || !f->purpose || !f->purpose[0] || !f->kind)
		return cli_fail(2, "an export to a person or agency needs --to NAME, --purpose TEXT and --kind KIND\n%s",
				export_usage);
	if ((k = disclosure_kind_parse(f->kind)) < 0)
		return cli_fail(2, "'%s' is not a kind of disclosure (see folio disclosure add)", f->kind);
	if (!(f->d = smem_alloc(sizeof *f->d)))
		return cli_fail(1, "out of secure memory");
	f->d->kind = (enum disclosure_kind)k;
	if (str_copy(f->d->recipient, sizeof f->d->recipient, f->to) ||
	    str_copy(f->d->purpose, sizeof f->d->purpose, f->purpose) ||
	    str_copy(f->d->address, sizeof f->d->address, f->address ? f->address : ""))
		return cli_fail(2, "--to, --purpose or --address is too long");
	return 0;
}

static int export_fhir(struct cli *c, int argc, char **argv)
{
	struct fhir_ctx f = { 0 };
	const struct cli_optdef defs[] = {
		{ "--out", &f.out, NULL },	   { "--to", &f.to, NULL },
		{ "--purpose", &f.purpose, NULL }, { "--kind", &f.kind, NULL },
		{ "--address", &f.address, NULL }, { "--force", NULL, &f.force },
		{ "--include-sensitive", NULL, &f.sensitive }, { NULL, NULL, NULL },
	};
	int rc;

	if (argc < 3 || argv[2][0] == '-') {
		fputs(export_usage, stderr);
		return 2;
	}
	if (cli_mrn(argv[2]) || cli_options(c, argc, argv, 3, defs))
		return 2;
	if (f.out && !f.out[0])
		return cli_fail(2, "--out needs a file name");
	if ((rc = fhir_recipient(&f)) == 0)
		rc = cli_grant(c, ACT_EXPORT_RUN, argv[2], "export", "fhir", do_fhir, &f);
	smem_free(f.d);
	return rc;
}

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
		return export_fhir(c, argc, argv);
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
