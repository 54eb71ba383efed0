/* folio — `encounter`: admissions, transfers, discharges, visits, and the
 * encounter list of a chart. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli_internal.h"
#include "folio/chart.h"
#include "folio/date.h"

static const char usage[] =
	"usage: folio encounter admit MRN --attending USER [--at T] [--service S] [--room R] [--bed B] [--pre]\n"
	"       folio encounter arrive ENC [--at T]\n"
	"       folio encounter transfer ENC [--attending U] [--service S] [--room R] [--bed B] [--at T]\n"
	"       folio encounter discharge ENC --status CODE [--at T]\n"
	"       folio encounter cancel ENC --why TEXT\n"
	"       folio encounter visit MRN [--kind outpatient|emergency] [--clinic C] [--attending U] [--at T]\n"
	"       folio encounter start|close ENC [--at T]\n"
	"       folio encounter list MRN | show ENC | statuses\n"
	"T is YYYY-MM-DDTHH:MM, T@14:30 or NOW (clinic time).\n";

struct enc_cmd {
	const char *sub;
	int64_t id;
	char at[24];
	const char *at_text, *kind, *why;
	struct adt a;
};

static int parse_at(struct cli *c, struct enc_cmd *x)
{
	if (!x->at_text)
		return 0;
	if (datetime_parse(x->at_text, date_today(), x->at, &c->err) != FOLIO_OK)
		return cli_fail(2, "%s", c->err.msg);
	x->a.at = x->at;
	return 0;
}

static int print_enc(const struct encounter_info *x, void *ctx)
{
	char id[24], started[17] = "", ended[17] = "";

	(void)ctx;
	snprintf(id, sizeof id, "%" PRId64, x->id);
	if (x->started[0])
		datetime_local(x->started, started);
	if (x->ended[0])
		datetime_local(x->ended, ended);
	cli_tsv((const char *[]){ id, x->kind, x->state, started, ended, x->attending, x->service, x->room, x->bed,
				  x->clinic, x->status },
		11);
	return 0;
}

struct show_ctx {
	struct encounter_info info; /* filled before the first event */
	int headed;
};

static void enc_header(void)
{
	cli_tsv((const char *[]){ "encounter", "kind", "state", "started", "ended", "attending", "service", "room",
				  "bed", "clinic", "discharge_status" },
		11);
}

static void show_head(struct show_ctx *sc)
{
	enc_header();
	print_enc(&sc->info, NULL);
	putchar('\n');
	cli_tsv((const char *[]){ "at", "event", "state", "attending", "service", "room", "bed", "discharge_status",
				  "by", "reason" },
		10);
	sc->headed = 1;
}

static int print_event(const struct encounter_event *v, void *ctx)
{
	struct show_ctx *sc = ctx;
	char at[17];

	if (!sc->headed)
		show_head(sc);
	datetime_local(v->at, at);
	cli_tsv((const char *[]){ at, v->kind, v->state, v->attending, v->service, v->room, v->bed, v->status,
				  v->by, v->reason },
		10);
	return 0;
}

static int do_enc(struct cli *c, struct grant *g, void *ctx)
{
	struct enc_cmd *x = ctx;
	const char *s = x->sub;
	int64_t id = 0;
	int rc;

	if (strcmp(s, "admit") == 0 || strcmp(s, "visit") == 0) {
		rc = strcmp(s, "admit") == 0 ? encounter_admit(g, &x->a, &id, &c->err)
					     : encounter_visit(g, x->kind ? x->kind : "outpatient", &x->a, &id, &c->err);
		if (rc == FOLIO_OK)
			printf("%" PRId64 "\n", id);
		return rc;
	}
	if (strcmp(s, "arrive") == 0)
		return encounter_arrive(g, x->id, &x->a, &c->err);
	if (strcmp(s, "transfer") == 0)
		return encounter_transfer(g, x->id, &x->a, &c->err);
	if (strcmp(s, "discharge") == 0)
		return encounter_discharge(g, x->id, &x->a, &c->err);
	if (strcmp(s, "cancel") == 0)
		return encounter_cancel(g, x->id, x->why, &c->err);
	if (strcmp(s, "start") == 0 || strcmp(s, "close") == 0)
		return encounter_step(g, x->id, s, &x->a, &c->err);
	if (strcmp(s, "list") == 0) {
		enc_header();
		return encounter_list(g, print_enc, NULL, &c->err);
	}
	{ /* show: the encounter's row, a blank line, then its history */
		struct show_ctx sc = { 0 };
		rc = encounter_show(g, x->id, &sc.info, print_event, &sc, &c->err);
		if (rc == FOLIO_OK && !sc.headed)
			show_head(&sc);
		return rc;
	}
}

int cmd_encounter(struct cli *c, int argc, char **argv)
{
	struct enc_cmd x;
	const char *sub = argc > 1 ? argv[1] : "";
	int by_mrn, rc;

	memset(&x, 0, sizeof x);
	x.sub = sub;
	if (strcmp(sub, "statuses") == 0) {
		cli_tsv((const char *[]){ "code", "meaning" }, 2);
		for (size_t i = 0; discharge_status_code(i); i++)
			cli_tsv((const char *[]){ discharge_status_code(i),
						  discharge_status_label(discharge_status_code(i)) },
				2);
		return 0;
	}
	by_mrn = strcmp(sub, "admit") == 0 || strcmp(sub, "visit") == 0 || strcmp(sub, "list") == 0;
	if (argc < 3 || (!by_mrn && strcmp(sub, "arrive") && strcmp(sub, "transfer") && strcmp(sub, "discharge") &&
			 strcmp(sub, "cancel") && strcmp(sub, "start") && strcmp(sub, "close") && strcmp(sub, "show"))) {
		fputs(usage, stderr);
		return 2;
	}
	{
		int pre = 0;
		const struct cli_optdef defs[] = {
			{ "--at", &x.at_text, NULL },          { "--attending", &x.a.attending, NULL },
			{ "--service", &x.a.service, NULL },   { "--room", &x.a.room, NULL },
			{ "--bed", &x.a.bed, NULL },           { "--status", &x.a.status, NULL },
			{ "--clinic", &x.a.clinic, NULL },     { "--kind", &x.kind, NULL },
			{ "--why", &x.why, NULL },             { "--pre", NULL, &pre },
			{ NULL, NULL, NULL },
		};
		if ((rc = cli_options(c, argc, argv, 3, defs)) || (rc = parse_at(c, &x)))
			return rc;
		x.a.pre = pre;
		x.a.reason = x.why;
	}
	if (by_mrn) {
		enum action a = strcmp(sub, "list") == 0 ? ACT_CHART_VIEW : ACT_ENCOUNTER_EDIT;
		if ((rc = cli_mrn(argv[2])))
			return rc;
		return cli_grant(c, a, argv[2], "encounter", sub, do_enc, &x);
	}
	if ((rc = cli_id(argv[2], "encounter", &x.id)))
		return rc;
	return cli_object_grant(c, "encounter", x.id, strcmp(sub, "show") == 0 ? ACT_CHART_VIEW : ACT_ENCOUNTER_EDIT,
				do_enc, &x);
}
