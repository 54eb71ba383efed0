/* folio — `merge preview|approve|undo|list`: merging the two charts of a
 * verified duplicate pair (include/folio/merge.h) from the command line.
 * preview and list run under merge.propose (technicians, supervisors) with
 * no chart; approve and undo under merge.approve (supervisors): first a
 * look at the pair or merge with no chart (to learn both MRNs), then the
 * change on the surviving chart with the losing MRN as the audited object.
 * Output is TSV on stdout; what was done is said on stderr. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli_internal.h"
#include "folio/merge.h"

static const char usage[] =
	"usage: folio merge preview PAIR [--survivor MRN]   what would move (rows per table) and any conflict\n"
	"       folio merge approve PAIR [--survivor MRN]   merge a verified pair (supervisor)\n"
	"       folio merge undo MERGE                      move exactly what it moved back (supervisor)\n"
	"       folio merge list\n";

struct merge_cmd {
	int64_t id;
	const char *survivor;
	struct merge_plan plan;
	struct merge_info info;
};

static void plan_print(const struct merge_plan *p)
{
	char n[24];

	cli_tsv((const char *[]){ "table", "column", "rows" }, 3);
	for (size_t i = 0; i < merge_registry_count; i++) {
		if (merge_registry[i].how == MERGE_KEEP)
			continue;
		snprintf(n, sizeof n, "%ld", p->rows[i]);
		cli_tsv((const char *[]){ merge_registry[i].table, merge_registry[i].column, n }, 3);
	}
	snprintf(n, sizeof n, "%ld", p->total);
	cli_tsv((const char *[]){ "total", "", n }, 3);
	for (size_t i = 0; i < p->nconflicts; i++)
		cli_tsv((const char *[]){ "conflict", "", p->conflicts[i] }, 3);
}

static int do_preview(struct cli *c, struct grant *g, void *ctx)
{
	struct merge_cmd *x = ctx;
	return merge_preview(g, x->id, x->survivor, &x->plan, &c->err);
}

static int do_approve(struct cli *c, struct grant *g, void *ctx)
{
	struct merge_cmd *x = ctx;
	return merge_approve(g, x->id, &x->plan, &c->err);
}

static int do_get(struct cli *c, struct grant *g, void *ctx)
{
	struct merge_cmd *x = ctx;
	return merge_get(g, x->id, &x->info, &c->err);
}

static int do_undo(struct cli *c, struct grant *g, void *ctx)
{
	struct merge_cmd *x = ctx;
	return merge_undo(g, x->id, &x->info, &c->err);
}

static int print_merge(const struct merge_info *m, void *ctx)
{
	char id[24], pair[24], rows[24];

	(void)ctx;
	snprintf(id, sizeof id, "%" PRId64, m->id);
	snprintf(pair, sizeof pair, "%" PRId64, m->pair_id);
	snprintf(rows, sizeof rows, "%ld", m->rows);
	cli_tsv((const char *[]){ id, pair, m->survivor, m->loser, m->by, m->at, rows, m->undone_by, m->undone_at },
		9);
	return 0;
}

static int do_list(struct cli *c, struct grant *g, void *ctx)
{
	static const char *const header[] = { "id", "pair", "survivor", "loser", "by", "at", "rows", "undone_by",
					      "undone_at" };
	(void)ctx;
	cli_tsv(header, ARRAY_SIZE(header));
	return merge_list(g, print_merge, NULL, &c->err);
}

/* The losing chart must be open to this session too when it is restricted
 * (the gate checks the surviving one): --reason opens it. */
static int loser_open(struct cli *c, const char *mrn)
{
	struct chart_flags f;
	int rc = access_chart_flags(c->s, mrn, &f, &c->err);

	if (rc || !f.restricted || f.opened)
		return rc;
	if (c->reason)
		return access_break_glass(c->s, mrn, c->reason, &c->err);
	return err_set(&c->err, FOLIO_EDENIED, "restricted record %s: give --reason TEXT to open it (the reason is"
		       " audited)", mrn);
}

static int approve(struct cli *c, struct merge_cmd *x, const char *oid)
{
	int rc = cli_sign_in(c);

	if (rc)
		return rc;
	if ((rc = cli_grant_run(c, ACT_MERGE_APPROVE, NULL, "merge-pair", oid, do_preview, x)) == FOLIO_OK &&
	    x->plan.nconflicts) {
		plan_print(&x->plan);
		rc = err_set(&c->err, FOLIO_EUSAGE, "cannot merge pair %s: %s", oid, x->plan.conflicts[0]);
	}
	if (rc == FOLIO_OK)
		rc = loser_open(c, x->plan.loser);
	if (rc == FOLIO_OK) {
		char loser[16];
		str_copy(loser, sizeof loser, x->plan.loser);
		rc = cli_grant_run(c, ACT_MERGE_APPROVE, x->plan.survivor, "merge", loser, do_approve, x);
	}
	if (rc == FOLIO_OK) {
		plan_print(&x->plan);
		fprintf(stderr, "folio: merge %" PRId64 ": chart %s merged into %s (%ld rows moved); undo with"
			" folio merge undo %" PRId64 "\n", x->plan.merge_id, x->plan.loser, x->plan.survivor,
			x->plan.total, x->plan.merge_id);
	}
	cli_done(c);
	return cli_report(c, rc);
}

static int undo(struct cli *c, struct merge_cmd *x, const char *oid)
{
	int rc = cli_sign_in(c);

	if (rc)
		return rc;
	rc = cli_grant_run(c, ACT_MERGE_APPROVE, NULL, "merge", oid, do_get, x);
	if (rc == FOLIO_OK && x->info.undone_at[0])
		rc = err_set(&c->err, FOLIO_EUSAGE, "merge %s was already undone by %s", oid, x->info.undone_by);
	if (rc == FOLIO_OK) {
		char loser[16];
		str_copy(loser, sizeof loser, x->info.loser);
		rc = cli_grant_run(c, ACT_MERGE_APPROVE, x->info.survivor, "unmerge", loser, do_undo, x);
	}
	if (rc == FOLIO_OK)
		fprintf(stderr, "folio: merge %s undone: charts %s and %s are apart again\n", oid, x->info.survivor,
			x->info.loser);
	cli_done(c);
	return cli_report(c, rc);
}

int cmd_merge(struct cli *c, int argc, char **argv)
{
	struct merge_cmd x = { 0 };
	const struct cli_optdef surv_opts[] = { { "--survivor", &x.survivor, NULL }, { NULL, NULL, NULL } };
	const struct cli_optdef none[] = { { NULL, NULL, NULL } };
	const char *sub;
	char oid[24];
	int rc;

	if (argc < 2)
		return cli_fail(2, "%s", usage);
	sub = argv[1];
	if (strcmp(sub, "list") == 0) {
		if (cli_options(c, argc, argv, 2, none))
			return 2;
		return cli_grant(c, ACT_MERGE_PROPOSE, NULL, "merges", NULL, do_list, &x);
	}
	if (strcmp(sub, "preview") != 0 && strcmp(sub, "approve") != 0 && strcmp(sub, "undo") != 0)
		return cli_fail(2, "no such merge command '%s'\n%s", sub, usage);
	if (argc < 3 || argv[2][0] == '-')
		return cli_fail(2, "merge %s needs the %s number\n%s", sub, strcmp(sub, "undo") ? "pair" : "merge",
				usage);
	if (cli_id(argv[2], strcmp(sub, "undo") ? "pair" : "merge", &x.id))
		return 2;
	if (cli_options(c, argc, argv, 3, strcmp(sub, "undo") ? surv_opts : none))
		return 2;
	if (x.survivor && cli_mrn(x.survivor))
		return 2;
	snprintf(oid, sizeof oid, "%" PRId64, x.id);
	if (strcmp(sub, "approve") == 0)
		return approve(c, &x, oid);
	if (strcmp(sub, "undo") == 0)
		return undo(c, &x, oid);
	rc = cli_grant(c, ACT_MERGE_PROPOSE, NULL, "merge-preview", oid, do_preview, &x);
	if (rc == 0) {
		plan_print(&x.plan);
		fprintf(stderr, "folio: pair %s: %s would merge into %s%s\n", oid, x.plan.loser, x.plan.survivor,
			x.plan.nconflicts ? " once the conflicts are resolved" : "");
	}
	return rc;
}
