/* folio — `chart out|in|request|pull-list|where|missing|found|overdue|
 * history|volumes`: paper chart tracking from the command line.  `chart
 * MRN` (the encounter list) stays in cmd_patient.c, which hands these
 * subcommands here.
 *
 * Lists are TSV with a header on stdout; what a movement did is said on
 * stderr.  Reading where a chart is runs under chart.view; movements under
 * chart.track; a request under chart.request; clearing "missing" under
 * chart.found (supervisors). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "folio/date.h"
#include "folio/smem.h"
#include "folio/tracking.h"

static const char usage[] =
	"usage: folio chart out MRN --to WHO [--due DATE] [--volume N] [--at T]\n"
	"       folio chart in MRN [--volume N] [--at T]\n"
	"       folio chart request MRN [--for DATE] [--why TEXT] | --cancel ID\n"
	"       folio chart pull-list [--date D]      open requests needed by D (all)\n"
	"       folio chart overdue                   volumes out past their due date\n"
	"       folio chart where MRN | history MRN\n"
	"       folio chart missing MRN --why TEXT [--volume N]\n"
	"       folio chart found MRN [--volume N]     (supervisor)\n"
	"       folio chart volumes MRN [--add [--home LOCATION]]\n"
	"DATE: T, T+2, 2026-12-01 ...; T (a time): T-1@09:00, NOW (clinic time).\n"
	"--why is the reason for a request or a missing chart (kept encrypted);\n"
	"--reason R opens a restricted record (audited), as everywhere.\n";

static const char *const subcommands[] = { "out", "in", "request", "pull-list", "overdue", "where",
					   "history", "missing", "found", "volumes" };

int cmd_tracking_is(const char *word)
{
	for (size_t i = 0; i < ARRAY_SIZE(subcommands); i++)
		if (strcmp(word, subcommands[i]) == 0)
			return 1;
	return 0;
}

struct trk {
	const char *sub, *mrn;
	const char *to, *due, *volume_text, *at_text, *needed, *why, *cancel_text, *date, *home;
	int add;
	int volume;
	int64_t cancel, id;
	char at[24];
};

/* ---- printing ------------------------------------------------------------ */

/* After a movement: where the chart is now (stderr, for the person). */
static int say_where(struct cli *c, struct grant *g, const struct trk *t, const char *what)
{
	char where[256];

	if (tracking_where(g, NULL, where, sizeof where, &c->err) == FOLIO_OK)
		fprintf(stderr, "folio: MRN %s %s; now: %s\n", t->mrn, what, where[0] ? where : "no paper chart");
	err_clear(&c->err);
	return FOLIO_OK;
}

static int print_volume(const struct track_volume *v, void *ctx)
{
	char num[12];

	(void)ctx;
	snprintf(num, sizeof num, "%d", v->number);
	cli_tsv((const char *[]){ num, v->home, track_state_name(v->state), v->borrower, v->out_since, v->due,
				  v->overdue ? "yes" : "", v->missing_since },
		8);
	return 0;
}

static int print_request(const struct track_request *r, void *ctx)
{
	char id[24];

	(void)ctx;
	snprintf(id, sizeof id, "%" PRId64, r->id);
	cli_tsv((const char *[]){ id, r->mrn, r->needed, r->requester, r->at, r->where }, 6);
	return 0;
}

static int print_overdue(const struct track_overdue *o, void *ctx)
{
	char vol[12], days[12];

	(void)ctx;
	snprintf(vol, sizeof vol, "%d", o->volume);
	snprintf(days, sizeof days, "%d", o->days_over);
	cli_tsv((const char *[]){ o->mrn, vol, o->borrower, o->out_since, o->due, days }, 6);
	return 0;
}

static int print_move(const struct track_move *m, void *ctx)
{
	char vol[12] = "", req[24] = "";

	(void)ctx;
	if (m->volume)
		snprintf(vol, sizeof vol, "%d", m->volume);
	if (m->request)
		snprintf(req, sizeof req, "%" PRId64, m->request);
	cli_tsv((const char *[]){ m->at, vol, m->kind, m->from, m->to, m->due, req, m->by, m->reason }, 9);
	return 0;
}

/* ---- under the grant ---------------------------------------------------- */

static int do_out(struct cli *c, struct grant *g, void *ctx)
{
	struct trk *t = ctx;
	struct track_out o = { .volume = t->volume, .to = t->to, .due = t->due, .at = t->at[0] ? t->at : NULL };
	int rc = tracking_out(g, &o, &c->err);

	return rc ? rc : say_where(c, g, t, "charged out");
}

static int do_in(struct cli *c, struct grant *g, void *ctx)
{
	struct trk *t = ctx;
	int rc = tracking_in(g, t->volume, t->at[0] ? t->at : NULL, &c->err);

	return rc ? rc : say_where(c, g, t, "checked in");
}

static int do_missing(struct cli *c, struct grant *g, void *ctx)
{
	struct trk *t = ctx;
	int rc = tracking_missing(g, t->volume, t->why, &c->err);

	return rc ? rc : say_where(c, g, t, "marked missing");
}

static int do_found(struct cli *c, struct grant *g, void *ctx)
{
	struct trk *t = ctx;
	int rc = tracking_found(g, t->volume, &c->err);

	return rc ? rc : say_where(c, g, t, "found");
}

static int do_request(struct cli *c, struct grant *g, void *ctx)
{
	struct trk *t = ctx;

	if (t->cancel)
		return tracking_request_cancel(g, t->cancel, &c->err);
	return tracking_request(g, t->needed, t->why, &t->id, &c->err);
}

static int do_where(struct cli *c, struct grant *g, void *ctx)
{
	struct trk *t = ctx;
	char where[512];
	int rc = tracking_where(g, t->mrn, where, sizeof where, &c->err);

	if (rc == FOLIO_OK) {
		cli_tsv((const char *[]){ "mrn", "where" }, 2);
		cli_tsv((const char *[]){ t->mrn, where }, 2);
	}
	return rc;
}

static int do_history(struct cli *c, struct grant *g, void *ctx)
{
	(void)ctx;
	cli_tsv((const char *[]){ "at", "volume", "kind", "from", "to", "due", "request", "by", "reason" }, 9);
	return tracking_history(g, print_move, NULL, &c->err);
}

static int do_volumes(struct cli *c, struct grant *g, void *ctx)
{
	struct trk *t = ctx;
	int n = 0, rc;

	if (t->add) {
		if ((rc = tracking_volume_add(g, t->home, &n, &c->err)))
			return rc;
		printf("%d\n", n);
		return FOLIO_OK;
	}
	cli_tsv((const char *[]){ "volume", "home", "state", "borrower", "out_since", "due", "overdue",
				  "missing_since" },
		8);
	return tracking_volumes(g, print_volume, NULL, &c->err);
}

static int do_pull(struct cli *c, struct grant *g, void *ctx)
{
	struct trk *t = ctx;

	cli_tsv((const char *[]){ "request", "mrn", "needed", "requester", "requested", "where" }, 6);
	return tracking_pull_list(g, t->date, print_request, NULL, &c->err);
}

static int do_overdue(struct cli *c, struct grant *g, void *ctx)
{
	(void)ctx;
	cli_tsv((const char *[]){ "mrn", "volume", "borrower", "out_since", "due", "days_over" }, 6);
	return tracking_overdue(g, print_overdue, NULL, &c->err);
}

/* The file room cancels anyone's request (chart.track); a physician their
 * own (chart.request): the role decides which grant is asked for. */
static int cancel_request(struct cli *c, struct trk *t)
{
	int rc = cli_sign_in(c);

	if (rc)
		return rc;
	rc = cli_grant_run(c, access_may(c->s, ACT_CHART_TRACK) ? ACT_CHART_TRACK : ACT_CHART_REQUEST, t->mrn,
			   "chart-request", t->cancel_text, do_request, t);
	cli_done(c);
	return cli_report(c, rc);
}

/* ---- parsing ------------------------------------------------------------ */

static int parse(struct cli *c, int argc, char **argv, struct trk *t)
{
	const struct cli_optdef defs[] = {
		{ "--to", &t->to, NULL },         { "--due", &t->due, NULL },
		{ "--volume", &t->volume_text, NULL }, { "--at", &t->at_text, NULL },
		{ "--for", &t->needed, NULL },    { "--why", &t->why, NULL },
		{ "--cancel", &t->cancel_text, NULL },
		{ "--date", &t->date, NULL },     { "--home", &t->home, NULL },
		{ "--add", NULL, &t->add },       { NULL, NULL, NULL },
	};
	int64_t n;
	int first = 2;

	t->sub = argv[1];
	if (strcmp(t->sub, "pull-list") != 0 && strcmp(t->sub, "overdue") != 0) {
		if (argc < 3 || argv[2][0] == '-')
			return cli_fail(2, "%s", usage);
		t->mrn = argv[2];
		if (cli_mrn(t->mrn))
			return 2;
		first = 3;
	}
	if (cli_options(c, argc, argv, first, defs))
		return 2;
	if (t->volume_text) {
		if (cli_id(t->volume_text, "a volume", &n))
			return 2;
		if (n > 100000)
			return cli_fail(2, "volume %s: no chart has that many volumes", t->volume_text);
		t->volume = (int)n;
	}
	if (t->cancel_text && cli_id(t->cancel_text, "a request", &t->cancel))
		return 2;
	if (t->at_text && datetime_parse(t->at_text, date_today(), t->at, &c->err) != FOLIO_OK)
		return cli_fail(2, "%s", c->err.msg);
	return 0;
}

/* Options each subcommand takes (the rest are refused, not ignored). */
static int only(const struct trk *t, const char *allowed)
{
	const struct {
		const char *name;
		int given;
	} opts[] = {
		{ "to", t->to != NULL },      { "due", t->due != NULL },       { "volume", t->volume_text != NULL },
		{ "at", t->at_text != NULL }, { "for", t->needed != NULL },    { "why", t->why != NULL },
		{ "cancel", t->cancel_text != NULL }, { "date", t->date != NULL }, { "home", t->home != NULL },
		{ "add", t->add },
	};

	for (size_t i = 0; i < ARRAY_SIZE(opts); i++) {
		char word[16];
		snprintf(word, sizeof word, " %s ", opts[i].name);
		if (opts[i].given && !strstr(allowed, word))
			return cli_fail(2, "chart %s does not take --%s", t->sub, opts[i].name);
	}
	return 0;
}

int cmd_tracking(struct cli *c, int argc, char **argv)
{
	struct trk t;
	int rc;

	memset(&t, 0, sizeof t);
	if (argc < 2 || !cmd_tracking_is(argv[1]))
		return cli_fail(2, "%s", usage);
	if (parse(c, argc, argv, &t))
		return 2;
	if (strcmp(t.sub, "out") == 0) {
		if (only(&t, " to due volume at "))
			return 2;
		if (!t.to || !*t.to)
			return cli_fail(2, "chart out names the borrower: --to WHO (a user, clinic or department)");
		return cli_grant(c, ACT_CHART_TRACK, t.mrn, "chart-volume", t.mrn, do_out, &t);
	}
	if (strcmp(t.sub, "in") == 0)
		return only(&t, " volume at ") ? 2 : cli_grant(c, ACT_CHART_TRACK, t.mrn, "chart-volume", t.mrn, do_in, &t);
	if (strcmp(t.sub, "missing") == 0) {
		if (only(&t, " why volume "))
			return 2;
		if (!t.why || !*t.why)
			return cli_fail(2, "chart missing needs a reason: --why TEXT");
		return cli_grant(c, ACT_CHART_TRACK, t.mrn, "chart-volume", t.mrn, do_missing, &t);
	}
	if (strcmp(t.sub, "found") == 0)
		return only(&t, " volume ") ? 2 : cli_grant(c, ACT_CHART_FOUND, t.mrn, "chart-volume", t.mrn, do_found, &t);
	if (strcmp(t.sub, "request") == 0) {
		if (only(&t, t.cancel_text ? " cancel " : " for why "))
			return 2;
		rc = t.cancel ? cancel_request(c, &t) :
				cli_grant(c, ACT_CHART_REQUEST, t.mrn, "chart-request", NULL, do_request, &t);
		if (rc == 0 && !t.cancel)
			printf("%" PRId64 "\n", t.id);
		return rc;
	}
	if (strcmp(t.sub, "where") == 0)
		return only(&t, " ") ? 2 : cli_grant(c, ACT_CHART_VIEW, t.mrn, "chart-volume", t.mrn, do_where, &t);
	if (strcmp(t.sub, "history") == 0)
		return only(&t, " ") ? 2 : cli_grant(c, ACT_CHART_VIEW, t.mrn, "chart-moves", t.mrn, do_history, &t);
	if (strcmp(t.sub, "volumes") == 0) {
		if (only(&t, " add home "))
			return 2;
		if (t.home && !t.add)
			return cli_fail(2, "--home goes with --add (a new volume's home location)");
		return cli_grant(c, t.add ? ACT_CHART_TRACK : ACT_CHART_VIEW, t.mrn, "chart-volume", t.mrn, do_volumes,
				 &t);
	}
	if (strcmp(t.sub, "pull-list") == 0)
		return only(&t, " date ") ? 2 : cli_grant(c, ACT_CHART_TRACK, NULL, "pull-list", t.date, do_pull, &t);
	return only(&t, " ") ? 2 : cli_grant(c, ACT_CHART_TRACK, NULL, "overdue", NULL, do_overdue, &t);
}
