/* folio — the disclosure ledger, the accounting of disclosures and the
 * reports from the command line: `disclosures MRN`, `disclosure add|correct`,
 * `accounting MRN`, `report access MRN` (every other report name is handed
 * to cmd_report.c).
 *
 * Lists are TSV with a header on stdout; the accounting's summary follows
 * its list after a blank line.  The ledger is read and written under
 * roi.accounting (technicians, supervisors); the access report under
 * report.access (supervisors). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "folio/access_report.h"
#include "folio/date.h"
#include "folio/disclosure.h"
#include "folio/smem.h"

static const char usage[] =
	"usage: folio disclosures MRN\n"
	"       folio disclosure add MRN --to NAME --what TEXT --purpose TEXT --kind KIND\n"
	"                            [--address TEXT] [--date D]\n"
	"       folio disclosure correct ID [--to NAME] [--address TEXT] [--what TEXT] [--purpose TEXT]\n"
	"                            [--kind KIND] [--date D]   (what is not given is kept)\n"
	"       folio accounting MRN [--as-of D] [--give]\n"
	"       folio report access MRN [--since D] [--newest]\n"
	"KIND: treatment payment operations patient authorization incidental directory\n"
	"      national-security correctional limited-data-set (left out of an accounting),\n"
	"      public-health court-order subpoena law-enforcement health-oversight research\n"
	"      abuse-report decedent organ-donation serious-threat workers-comp required-by-law\n";

struct dcl {
	const char *to, *address, *what, *purpose, *kind, *date, *as_of, *since;
	int give, newest;
	int64_t id, new_id;
	struct disclosure *d; /* guarded memory */
};

static int fill(const struct dcl *x, struct disclosure *d)
{
	int k;

	if (x->kind) {
		if ((k = disclosure_kind_parse(x->kind)) < 0)
			return cli_fail(2, "'%s' is not a kind of disclosure\n%s", x->kind, usage);
		d->kind = (enum disclosure_kind)k;
	}
	const struct cli_copy f[] = {
		{ x->to, d->recipient, sizeof d->recipient, "--to" },
		{ x->address, d->address, sizeof d->address, "--address" },
		{ x->what, d->description, sizeof d->description, "--what" },
		{ x->purpose, d->purpose, sizeof d->purpose, "--purpose" },
		{ x->date, d->date, sizeof d->date, "--date" },
	};
	return cli_copy_all(f, ARRAY_SIZE(f));
}

static int print_entry(const struct disclosure *d, void *ctx)
{
	char id[24], corrects[24] = "", by[24] = "";

	(void)ctx;
	snprintf(id, sizeof id, "%" PRId64, d->id);
	if (d->corrects)
		snprintf(corrects, sizeof corrects, "%" PRId64, d->corrects);
	if (d->corrected_by)
		snprintf(by, sizeof by, "%" PRId64, d->corrected_by);
	cli_tsv((const char *[]){ id, d->date, disclosure_kind_name(d->kind), d->recipient, d->address,
				  d->description, d->purpose, d->source == DS_ROI ? "roi" :
				  d->source == DS_EXPORT ? "export" : "manual", corrects, by, d->recorded_by },
		11);
	return 0;
}

static int print_accounted(const struct disclosure *d, void *ctx)
{
	char id[24];

	(void)ctx;
	snprintf(id, sizeof id, "%" PRId64, d->id);
	cli_tsv((const char *[]){ d->date, d->recipient, d->address, d->description, d->purpose,
				  disclosure_kind_help(d->kind), id },
		7);
	return 0;
}

/* ---- under the grant ---------------------------------------------------- */

static int do_list(struct cli *c, struct grant *g, void *ctx)
{
	(void)ctx;
	cli_tsv((const char *[]){ "id", "date", "kind", "recipient", "address", "description", "purpose", "source",
				  "corrects", "corrected_by", "recorded_by" },
		11);
	return disclosure_list(g, print_entry, NULL, &c->err);
}

static int do_add(struct cli *c, struct grant *g, void *ctx)
{
	struct dcl *x = ctx;

	return disclosure_record(g, x->d, &x->new_id, &c->err);
}

static int find_old(const struct disclosure *d, void *ctx)
{
	struct dcl *x = ctx;

	if (d->id != x->id)
		return 0;
	memcpy(x->d, d, sizeof *d);
	return 1;
}

/* A correction starts from the entry it replaces: what is not given is kept. */
static int do_correct(struct cli *c, struct grant *g, void *ctx)
{
	struct dcl *x = ctx;
	int rc;

	if ((rc = disclosure_list(g, find_old, x, &c->err)))
		return rc;
	x->d->source = DS_MANUAL;
	x->d->source_id = 0;
	if (fill(x, x->d))
		return err_set(&c->err, FOLIO_EUSAGE, "the correction was not recorded");
	return disclosure_correct(g, x->id, x->d, &x->new_id, &c->err);
}

static int do_accounting(struct cli *c, struct grant *g, void *ctx)
{
	struct dcl *x = ctx;
	struct accounting_summary s;
	int rc;

	cli_tsv((const char *[]){ "date", "recipient", "address", "description", "purpose", "basis", "entry" }, 7);
	if ((rc = disclosure_accounting(g, x->as_of, print_accounted, NULL, &s, &c->err)))
		return rc;
	if (x->give && (rc = disclosure_accounting_given(g, &s, NULL, &c->err)))
		return rc;
	printf("\nrequested\t%s\nperiod\t%s to %s\nentries\t%" PRId64 "\ndue\t%s (extended: %s)\nfee\t%s\n",
	       s.requested, s.from, s.requested, s.entries, s.due, s.extended_due,
	       s.free ? "free (the first accounting in 12 months)" : "chargeable (one was given in the 12 months before)");
	if (s.last_given[0])
		printf("last given\t%s\n", s.last_given);
	if (x->give)
		fprintf(stderr, "folio: accounting logged as given today (%s)\n", s.free ? "free" : "chargeable");
	return FOLIO_OK;
}

static int print_access(const struct access_line *l, void *ctx)
{
	char at[17];

	(void)ctx;
	datetime_local(l->row->at, at);
	cli_tsv((const char *[]){ at, l->row->user, l->row->role, access_group_name(l->group), l->what,
				  l->row->outcome, l->row->workstation },
		7);
	return 0;
}

static int do_access(struct cli *c, struct grant *g, void *ctx)
{
	struct dcl *x = ctx;

	cli_tsv((const char *[]){ "at", "user", "role", "group", "action", "outcome", "workstation" }, 7);
	return access_report(g, x->since, x->newest, print_access, NULL, &c->err);
}

/* ---- parsing ------------------------------------------------------------ */

static int parse(struct cli *c, int argc, char **argv, int first, struct dcl *x)
{
	const struct cli_optdef defs[] = {
		{ "--to", &x->to, NULL },         { "--address", &x->address, NULL },
		{ "--what", &x->what, NULL },     { "--purpose", &x->purpose, NULL },
		{ "--kind", &x->kind, NULL },     { "--date", &x->date, NULL },
		{ "--as-of", &x->as_of, NULL },   { "--since", &x->since, NULL },
		{ "--give", NULL, &x->give },     { "--newest", NULL, &x->newest },
		{ NULL, NULL, NULL },
	};

	return cli_options(c, argc, argv, first, defs);
}

/* Options a command takes (the rest are refused, not ignored). */
static int only(const struct dcl *x, const char *cmd, const char *allowed)
{
	const struct {
		const char *name;
		int given;
	} opts[] = {
		{ "to", x->to != NULL },     { "address", x->address != NULL }, { "what", x->what != NULL },
		{ "purpose", x->purpose != NULL }, { "kind", x->kind != NULL }, { "date", x->date != NULL },
		{ "as-of", x->as_of != NULL }, { "since", x->since != NULL }, { "give", x->give },
		{ "newest", x->newest },
	};

	for (size_t i = 0; i < ARRAY_SIZE(opts); i++) {
		char word[16];
		snprintf(word, sizeof word, " %s ", opts[i].name);
		if (opts[i].given && !strstr(allowed, word))
			return cli_fail(2, "%s does not take --%s", cmd, opts[i].name);
	}
	return 0;
}

/* MRN at argv[i], then options. */
static int mrn_and_options(struct cli *c, int argc, char **argv, int i, struct dcl *x)
{
	if (argc <= i || argv[i][0] == '-')
		return cli_fail(2, "%s", usage);
	if (cli_mrn(argv[i]))
		return 2;
	return parse(c, argc, argv, i + 1, x);
}

int cmd_disclosures(struct cli *c, int argc, char **argv)
{
	struct dcl x = { 0 };

	if (mrn_and_options(c, argc, argv, 1, &x) || only(&x, "disclosures", " "))
		return 2;
	return cli_grant(c, ACT_DISCLOSURE_ACCOUNT, argv[1], "disclosures", NULL, do_list, &x);
}

static int disclosure_add(struct cli *c, int argc, char **argv, struct dcl *x)
{
	int rc;

	if (mrn_and_options(c, argc, argv, 2, x) || only(x, "disclosure add", " to address what purpose kind date "))
		return 2;
	if (!x->to || !*x->to || !x->what || !*x->what || !x->purpose || !*x->purpose || !x->kind)
		return cli_fail(2, "disclosure add needs --to, --what, --purpose and --kind\n%s", usage);
	if (fill(x, x->d))
		return 2;
	x->d->source = DS_MANUAL;
	rc = cli_grant(c, ACT_DISCLOSURE_ACCOUNT, argv[2], "disclosure", NULL, do_add, x);
	if (rc == 0)
		printf("%" PRId64 "\n", x->new_id);
	return rc;
}

static int disclosure_correct_cmd(struct cli *c, int argc, char **argv, struct dcl *x)
{
	int rc;

	if (argc < 3 || cli_id(argv[2], "a disclosure", &x->id))
		return argc < 3 ? cli_fail(2, "%s", usage) : 2;
	if (parse(c, argc, argv, 3, x) ||
	    only(x, "disclosure correct", " to address what purpose kind date "))
		return 2;
	if (!x->to && !x->address && !x->what && !x->purpose && !x->kind && !x->date)
		return cli_fail(2, "disclosure correct needs at least one field to change\n%s", usage);
	if (x->kind && disclosure_kind_parse(x->kind) < 0)
		return cli_fail(2, "'%s' is not a kind of disclosure\n%s", x->kind, usage);
	rc = cli_object_grant(c, "disclosure", x->id, ACT_DISCLOSURE_ACCOUNT, do_correct, x);
	if (rc == 0)
		printf("%" PRId64 "\n", x->new_id);
	return rc;
}

int cmd_disclosure(struct cli *c, int argc, char **argv)
{
	struct dcl x = { 0 };
	int rc;

	if (argc < 2 || (strcmp(argv[1], "add") != 0 && strcmp(argv[1], "correct") != 0))
		return cli_fail(2, "%s", usage);
	if (!(x.d = smem_alloc(sizeof *x.d)))
		return cli_fail(1, "out of secure memory");
	memset(x.d, 0, sizeof *x.d);
	rc = strcmp(argv[1], "add") == 0 ? disclosure_add(c, argc, argv, &x) : disclosure_correct_cmd(c, argc, argv, &x);
	smem_free(x.d);
	return rc;
}

int cmd_accounting(struct cli *c, int argc, char **argv)
{
	struct dcl x = { 0 };

	if (mrn_and_options(c, argc, argv, 1, &x) || only(&x, "accounting", " as-of give "))
		return 2;
	return cli_grant(c, ACT_DISCLOSURE_ACCOUNT, argv[1], "accounting", NULL, do_accounting, &x);
}

int cmd_report(struct cli *c, int argc, char **argv)
{
	struct dcl x = { 0 };
	char since[11];

	if (argc < 2)
		return cli_fail(2, "%s", usage);
	if (strcmp(argv[1], "access") != 0)
		return cmd_report_run(c, argc, argv);
	if (mrn_and_options(c, argc, argv, 2, &x) || only(&x, "report access", " since newest "))
		return 2;
	if (x.since) {
		if (date_parse(x.since, date_today(), since, &c->err) != FOLIO_OK)
			return cli_fail(2, "%s", c->err.msg);
		x.since = since;
	}
	return cli_grant(c, ACT_ACCESS_REPORT, argv[2], "access-report", NULL, do_access, &x);
}
