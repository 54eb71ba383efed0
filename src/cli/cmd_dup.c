/* folio — `dup scan|list|show|verify|reject`: the duplicate charts of the
 * master patient index from the command line (include/folio/dupes.h).
 * Everything runs under merge.propose (technicians and supervisors) with no
 * chart.  Lists are TSV with a header on stdout; what a command did is said
 * on stderr.  Merging a verified pair is another command. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "folio/dupes.h"

static const char usage[] =
	"usage: folio dup scan                 score every pair of charts, keep the likely duplicates\n"
	"       folio dup list [--status potential|duplicate|not-duplicate] [--min-score N]\n"
	"       folio dup show ID              both charts side by side (= agrees, ~ nearly, ! differs)\n"
	"       folio dup verify ID [--note TEXT]   a duplicate (verified)\n"
	"       folio dup reject ID [--note TEXT]   not a duplicate (verified)\n";

struct dup_cmd {
	const char *sub, *status_text, *min_text, *note;
	int status, min_score;
	int64_t id;
};

static int print_pair(const struct dup_pair *p, void *ctx)
{
	char id[24], score[12];

	(void)ctx;
	snprintf(id, sizeof id, "%" PRId64, p->id);
	snprintf(score, sizeof score, "%d", p->score);
	cli_tsv((const char *[]){ id, p->mrn_a, p->mrn_b, score, p->reasons, dup_status_name(p->status) }, 6);
	return 0;
}

static int do_scan(struct cli *c, struct grant *g, void *ctx)
{
	struct dup_scan_result r;
	int rc = dup_scan(g, &r, &c->err);

	(void)ctx;
	if (rc == FOLIO_OK)
		printf("patients\t%zu\ncandidates\t%zu\nfound\t%zu\nnew\t%zu\nupdated\t%zu\nkept-decided\t%zu\n"
		       "seconds\t%.3f\nread-seconds\t%.3f\n", r.patients, r.candidates, r.found, r.added, r.updated,
		       r.kept, r.seconds, r.read_seconds);
	return rc;
}

static int do_list(struct cli *c, struct grant *g, void *ctx)
{
	static const char *const header[] = { "id", "mrn_a", "mrn_b", "score", "reasons", "status" };
	struct dup_cmd *x = ctx;

	cli_tsv(header, ARRAY_SIZE(header));
	return dup_list(g, x->status, x->min_score, print_pair, NULL, &c->err);
}

static int do_show(struct cli *c, struct grant *g, void *ctx)
{
	struct dup_cmd *x = ctx;
	struct dup_side *sd = dup_side_new();
	int rc;

	if (!sd)
		return err_set(&c->err, FOLIO_EFAIL, "out of secure memory");
	if ((rc = dup_show(g, x->id, sd, &c->err)) == FOLIO_OK) {
		char score[12], mark[2] = " ";
		struct chart_flags cf;
		struct folio_err e2 = { 0 };
		/* a restricted chart shows no more than the lookup until opened */
		for (int side = 0; side < 2; side++)
			if (access_chart_flags(c->s, side ? sd->pair.mrn_b : sd->pair.mrn_a, &cf, &e2) != FOLIO_OK ||
			    (cf.restricted && !cf.opened))
				dup_side_restrict(sd, side);
		snprintf(score, sizeof score, "%d", sd->pair.score);
		cli_tsv((const char *[]){ "field", "mark", "chart_a", "chart_b" }, 4);
		for (int f = 0; f < DS_COUNT; f++) {
			mark[0] = sd->mark[f] == ' ' ? '\0' : sd->mark[f];
			cli_tsv((const char *[]){ sd->label[f], mark, sd->a[f], sd->b[f] }, 4);
		}
		fprintf(stderr, "folio: pair %" PRId64 ": score %s, %s%s%s\n", sd->pair.id, score,
			dup_status_name(sd->pair.status), sd->pair.decided_by[0] ? " by " : "", sd->pair.decided_by);
	}
	dup_side_free(sd);
	return rc;
}

static int do_decide(struct cli *c, struct grant *g, void *ctx)
{
	struct dup_cmd *x = ctx;
	enum dup_status to = strcmp(x->sub, "verify") == 0 ? DUP_DUPLICATE : DUP_NOT_DUPLICATE;
	int rc = dup_decide(g, x->id, to, x->note, &c->err);

	if (rc == FOLIO_OK)
		fprintf(stderr, "folio: pair %" PRId64 " marked %s\n", x->id, dup_status_name(to));
	return rc;
}

int cmd_dup(struct cli *c, int argc, char **argv)
{
	struct dup_cmd x = { .status = -1 };
	const struct cli_optdef list_opts[] = { { "--status", &x.status_text, NULL },
						{ "--min-score", &x.min_text, NULL }, { NULL, NULL, NULL } };
	const struct cli_optdef note_opts[] = { { "--note", &x.note, NULL }, { NULL, NULL, NULL } };
	const struct cli_optdef none[] = { { NULL, NULL, NULL } };
	char idtext[24];

	if (argc < 2)
		return cli_fail(2, "%s", usage);
	x.sub = argv[1];
	if (strcmp(x.sub, "scan") == 0) {
		if (cli_options(c, argc, argv, 2, none))
			return 2;
		return cli_grant(c, ACT_MERGE_PROPOSE, NULL, "dup-scan", NULL, do_scan, &x);
	}
	if (strcmp(x.sub, "list") == 0) {
		if (cli_options(c, argc, argv, 2, list_opts))
			return 2;
		if (x.status_text && (x.status = dup_status_parse(x.status_text)) < 0)
			return cli_fail(2, "--status is potential, duplicate or not-duplicate, not '%s'", x.status_text);
		if (x.min_text) {
			char *end;
			long v = strtol(x.min_text, &end, 10);
			if (!*x.min_text || *end || v < -1000 || v > 1000)
				return cli_fail(2, "--min-score takes a whole number, e.g. --min-score %d", DUP_THRESHOLD);
			x.min_score = (int)v;
		} else {
			x.min_score = -1000;
		}
		return cli_grant(c, ACT_MERGE_PROPOSE, NULL, "dup-pairs", x.status_text, do_list, &x);
	}
	if (strcmp(x.sub, "show") != 0 && strcmp(x.sub, "verify") != 0 && strcmp(x.sub, "reject") != 0)
		return cli_fail(2, "no such dup command '%s'\n%s", x.sub, usage);
	if (argc < 3 || argv[2][0] == '-')
		return cli_fail(2, "dup %s needs the pair number\n%s", x.sub, usage);
	if (cli_id(argv[2], "pair", &x.id))
		return 2;
	if (cli_options(c, argc, argv, 3, strcmp(x.sub, "show") == 0 ? none : note_opts))
		return 2;
	snprintf(idtext, sizeof idtext, "%" PRId64, x.id);
	return cli_grant(c, ACT_MERGE_PROPOSE, NULL, "dup-pair", idtext,
			 strcmp(x.sub, "show") == 0 ? do_show : do_decide, &x);
}
