/* folio — `drg group`: claims in the grouper test-set layout on stdin, one
 * TSV row per claim on stdout (design.md section 6).  Needs no database
 * and no sign-in: the MS-DRG tables come from --tables DIR or
 * $FOLIO_CODESETS, through the on-disk cache of their packed form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "folio/drg.h"

static const char drg_usage[] =
	"usage: folio drg group [--tables DIR] [--no-cache] < claims.tsv\n"
	"  DIR is the code-set folder (holding msdrg_v43/) or msdrg_v43 itself;\n"
	"  without --tables, $FOLIO_CODESETS.\n";

static void print_header(void)
{
	fputs("id\tfinal_drg\tfinal_mdc\tmed_surg\tfinal_severity\tfinal_grc\tinitial_drg\t"
	      "hac_status\tsdx_usage\n",
	      stdout);
}

/* Keeps an id printable in one TSV field. */
static void put_field(const char *s)
{
	for (; *s; s++)
		putchar(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

static void print_row(const char *id, const struct drg_claim *c, const struct drg_result *r)
{
	put_field(id);
	printf("\t%03d\t%02d\t%s\t%s\t%s\t%03d\t%s\t", r->final_drg, r->final_mdc,
	       drg_med_surg_name(r->med_surg), drg_severity_name(r->final_severity), r->grc,
	       r->initial_drg, r->hac_status);
	for (int i = 0; i < r->nsdx; i++) {
		if (i)
			putchar(';');
		put_field(c->sdx[i].code);
		putchar(':');
		fputs(drg_sdx_usage_name(r->sdx_usage[i]), stdout);
	}
	putchar('\n');
}

static int is_header(const char *line, size_t len)
{
	return len >= 3 && strncmp(line, "id\t", 3) == 0;
}

static int drg_group_cmd(int argc, char **argv)
{
	const char *dir = NULL;
	int no_cache = 0;
	struct folio_err err = { 0, "" };
	struct drg_tables *t = NULL;
	int rc;

	for (int i = 2; i < argc; i++) {
		const char *v;
		if ((v = cli_opt(argc, argv, &i, "--tables")))
			dir = v;
		else if (strcmp(argv[i], "--no-cache") == 0)
			no_cache = 1;
		else
			return cli_fail(2, "unexpected argument '%s'\n%s", argv[i], drg_usage);
	}
	if (!dir || !*dir)
		dir = getenv("FOLIO_CODESETS");
	if (!dir || !*dir)
		return cli_fail(2, "no grouper tables: give --tables DIR or set FOLIO_CODESETS");
	rc = no_cache ? drg_tables_load(dir, &t, &err) : drg_tables_load_cached(dir, &t, &err);
	if (rc)
		return cli_fail(rc == FOLIO_EUSAGE ? 2 : 1, "%s", err.msg);

	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int bad = 0, first = 1;
	print_header();
	while ((n = getline(&line, &cap, stdin)) > 0) {
		size_t len = (size_t)n;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			len--;
		if (first && is_header(line, len)) {
			first = 0;
			continue;
		}
		first = 0;
		if (len == 0)
			continue;
		struct drg_claim c;
		struct drg_result r;
		char id[64];
		err.msg[0] = 0;
		if (drg_claim_parse(line, len, &c, id, &err) != FOLIO_OK) {
			/* the row keeps its id; the reason stands in for the results */
			put_field(id);
			fputs("\tERROR: ", stdout);
			put_field(err.msg);
			putchar('\n');
			bad++;
			continue;
		}
		drg_group(t, &c, &r);
		print_row(id, &c, &r);
	}
	free(line);
	drg_tables_free(t);
	if (ferror(stdin))
		return cli_fail(1, "reading the claims failed");
	if (fflush(stdout) != 0 || ferror(stdout))
		return cli_fail(1, "writing the results failed");
	if (bad)
		return cli_fail(1, "%d malformed claim line%s (marked ERROR)", bad, bad == 1 ? "" : "s");
	return 0;
}

int cmd_drg(struct cli *c, int argc, char **argv)
{
	(void)c;
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(drg_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "group") == 0)
		return drg_group_cmd(argc, argv);
	return cli_fail(2, "unknown drg command '%s'\n%s", argv[1], drg_usage);
}
