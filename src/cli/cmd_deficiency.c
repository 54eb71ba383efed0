/* folio — completeness review from the command line: `check` (evaluate a
 * chart, or every chart, and print its deficiencies), `queue` (the
 * supervisor's incomplete-chart queue and the delinquency rate) and
 * `deficiency` (one deficiency's history and changes, the rules and
 * settings, a physician's deficiencies and reminders).  TSV with a header
 * line on stdout; messages on stderr.  The delinquency settings are site
 * settings (`config`). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "folio/deficiency.h"
#include "folio/query.h"
#include "folio/tracking.h"

static const char usage[] =
	"usage: folio check MRN | --all [--closed]\n"
	"       folio queue [--physician USER] [--service S] [--type RULE] [--delinquent] [--closed]\n"
	"       folio queue --rate          (overdue physician queries are listed as type query)\n"
	"       folio deficiency list MRN [--all] | show ID\n"
	"       folio deficiency assign ID --to USER | complete ID [--note T] | review ID\n"
	"       folio deficiency reopen ID --why TEXT | note ID --text T | remind ID [--note T]\n"
	"       folio deficiency rules | rule set RULE FIELD VALUE   (fields: days, responsible,\n"
	"             short-stay, active, title)\n"
	"       folio deficiency inbox [--user U] | reminders [--user U]\n";

static const char *const info_header[] = { "id", "mrn", "encounter", "type", "status", "responsible", "due",
					   "days_overdue", "delinquent", "document", "detail" };

/* The person responsible, or the rule's pool in parentheses ("(coder)"). */
static const char *who(const struct deficiency_info *d, char *buf, size_t cap)
{
	if (d->responsible[0])
		return d->responsible;
	snprintf(buf, cap, "(%s)", d->role);
	return buf;
}

static int print_info(const struct deficiency_info *d, void *ctx)
{
	char id[24], enc[24], over[12], doc[24], pool[DEF_NAME_MAX + 2];

	(void)ctx;
	snprintf(id, sizeof id, "%" PRId64, d->id);
	snprintf(enc, sizeof enc, "%" PRId64, d->encounter_id);
	snprintf(over, sizeof over, "%d", d->days_overdue);
	snprintf(doc, sizeof doc, "%" PRId64, d->document_id);
	cli_tsv((const char *[]){ id, d->mrn, enc, d->type, d->status, who(d, pool, sizeof pool),
				  d->due, over, d->delinquent ? "yes" : "no", d->document_id ? doc : "", d->detail },
		11);
	return 0;
}

/* ---- check --------------------------------------------------------------- */

struct check_cmd {
	int closed, all;
	const char *mrn;
	int denied, checked;
};

static int do_check(struct cli *c, struct grant *g, void *ctx)
{
	struct check_cmd *x = ctx;

	return deficiency_check(g, x->closed, print_info, NULL, &c->err);
}

struct mrns {
	char (*v)[16];
	size_t n, cap;
};

static int mrn_add(const char *mrn, void *ctx)
{
	struct mrns *m = ctx;

	if (m->n == m->cap) {
		char(*nv)[16] = realloc(m->v, (m->cap = m->cap ? m->cap * 2 : 64) * sizeof *nv);
		if (!nv)
			return 1;
		m->v = nv;
	}
	str_copy(m->v[m->n++], 16, mrn);
	return 0;
}

static int do_charts(struct cli *c, struct grant *g, void *ctx)
{
	return deficiency_charts(g, mrn_add, ctx, &c->err);
}

/* `check --all`: the charts, then one grant per chart. */
static int check_all(struct cli *c, struct check_cmd *x)
{
	struct mrns m = { 0 };
	int rc = cli_sign_in(c), worst = 0;

	if (rc)
		return rc;
	rc = cli_grant_run(c, ACT_QUEUE_VIEW, NULL, "deficiency", NULL, do_charts, &m);
	if (rc != FOLIO_OK) {
		free(m.v);
		cli_done(c);
		return cli_report(c, rc);
	}
	cli_tsv(info_header, ARRAY_SIZE(info_header));
	for (size_t i = 0; i < m.n; i++) {
		err_clear(&c->err);
		rc = cli_grant_run(c, ACT_DEFICIENCY_EDIT, m.v[i], "patient", m.v[i], do_check, x);
		if (rc == FOLIO_OK) {
			x->checked++;
			continue;
		}
		/* one chart the user may not open (restricted) does not stop the rest */
		fprintf(stderr, "folio: chart %s not checked: %s\n", m.v[i], c->err.msg);
		if (rc == FOLIO_EDENIED)
			x->denied++;
		else
			worst = rc;
	}
	fprintf(stderr, "folio: %d chart%s checked%s\n", x->checked, x->checked == 1 ? "" : "s",
		x->denied ? " (some skipped: restricted or denied)" : "");
	free(m.v);
	cli_done(c);
	return worst ? cli_report(c, worst) : 0;
}

int cmd_check(struct cli *c, int argc, char **argv)
{
	struct check_cmd x = { 0 };
	const struct cli_optdef defs[] = { { "--closed", NULL, &x.closed }, { "--all", NULL, &x.all }, { NULL } };
	int first = 1, rc;

	if (argc > 1 && argv[1][0] != '-') {
		x.mrn = argv[1];
		first = 2;
	}
	if ((rc = cli_options(c, argc, argv, first, defs)))
		return rc;
	if (!x.mrn == !x.all)
		return cli_fail(2, "check one chart (MRN) or --all\n%s", usage);
	if (x.all)
		return check_all(c, &x);
	if ((rc = cli_mrn(x.mrn)))
		return rc;
	cli_tsv(info_header, ARRAY_SIZE(info_header));
	return cli_grant(c, ACT_DEFICIENCY_EDIT, x.mrn, "patient", x.mrn, do_check, &x);
}

/* ---- queue --------------------------------------------------------------- */

struct queue_cmd {
	struct deficiency_filter f;
	int rate;
	struct grant *g;
	struct cli *c;
};

static int print_queue(const struct deficiency_info *d, void *ctx)
{
	struct queue_cmd *x = ctx;
	char enc[24], over[12], id[24], where[128], pool[DEF_NAME_MAX + 2];
	struct folio_err e;

	snprintf(enc, sizeof enc, "%" PRId64, d->encounter_id);
	snprintf(over, sizeof over, "%d", d->days_overdue);
	snprintf(id, sizeof id, "%" PRId64, d->id);
	err_clear(&e);
	if (tracking_where(x->g, d->mrn, where, sizeof where, &e) != FOLIO_OK)
		where[0] = '\0';
	cli_tsv((const char *[]){ d->mrn, enc, d->type, who(d, pool, sizeof pool), d->status,
				  over, d->delinquent ? "yes" : "no", where, id, d->due, d->service },
		11);
	return 0;
}

/* An overdue physician query is a line of the queue too (type "query",
 * id Q<n>): chasing answers is part of keeping charts complete. */
static int print_query(const struct query_info *q, void *ctx)
{
	struct queue_cmd *x = ctx;
	char enc[24], over[12], id[24], where[128];
	struct folio_err e;

	snprintf(enc, sizeof enc, "%" PRId64, q->encounter_id);
	snprintf(over, sizeof over, "%d", q->days_overdue);
	snprintf(id, sizeof id, "Q%" PRId64, q->id);
	err_clear(&e);
	if (tracking_where(x->g, q->mrn, where, sizeof where, &e) != FOLIO_OK)
		where[0] = '\0';
	cli_tsv((const char *[]){ q->mrn, enc, "query", q->to, q->status, over, "no", where, id, q->due, "" }, 11);
	return 0;
}

static int do_queue(struct cli *c, struct grant *g, void *ctx)
{
	struct queue_cmd *x = ctx;

	x->g = g;
	x->c = c;
	if (x->rate) {
		struct deficiency_rate r;
		char pct[16], del[12], monthly[16], lim[12], dis[12], mon[12], win[32];
		int rc = deficiency_rate(g, &r, &c->err);
		if (rc)
			return rc;
		snprintf(pct, sizeof pct, "%.1f", r.pct);
		snprintf(del, sizeof del, "%d", r.delinquent);
		snprintf(monthly, sizeof monthly, "%.2f", r.monthly);
		snprintf(lim, sizeof lim, "%d", r.limit_pct);
		snprintf(dis, sizeof dis, "%d", r.discharges);
		snprintf(mon, sizeof mon, "%d", r.months);
		snprintf(win, sizeof win, "%s..%s", r.from, r.to);
		cli_tsv((const char *[]){ "rate_pct", "delinquent", "avg_monthly_discharges", "limit_pct", "over",
					  "discharges", "months", "window" },
			8);
		cli_tsv((const char *[]){ pct, del, monthly, lim, r.over ? "yes" : "no", dis, mon, win }, 8);
		return FOLIO_OK;
	}
	cli_tsv((const char *[]){ "mrn", "encounter", "type", "responsible", "status", "days_overdue", "delinquent",
				  "location", "id", "due", "service" },
		11);
	int rc = FOLIO_OK;
	if (!x->f.type || strcmp(x->f.type, "query") != 0)
		rc = deficiency_queue(g, &x->f, print_queue, x, &c->err);
	if (rc == FOLIO_OK && !x->f.delinquent && !x->f.service && !x->f.closed &&
	    (!x->f.type || strcmp(x->f.type, "query") == 0))
		rc = query_overdue(g, x->f.physician, print_query, x, &c->err);
	return rc;
}

int cmd_queue(struct cli *c, int argc, char **argv)
{
	struct queue_cmd x = { 0 };
	const struct cli_optdef defs[] = {
		{ "--physician", &x.f.physician, NULL }, { "--service", &x.f.service, NULL },
		{ "--type", &x.f.type, NULL },           { "--delinquent", NULL, &x.f.delinquent },
		{ "--closed", NULL, &x.f.closed },       { "--rate", NULL, &x.rate },
		{ NULL },
	};
	int rc;

	if ((rc = cli_options(c, argc, argv, 1, defs)))
		return rc;
	if (x.rate && (x.f.physician || x.f.service || x.f.type || x.f.delinquent || x.f.closed))
		return cli_fail(2, "--rate takes no filters: the rate is the department's\n%s", usage);
	return cli_grant(c, ACT_QUEUE_VIEW, NULL, "queue", NULL, do_queue, &x);
}

/* ---- deficiency ---------------------------------------------------------- */

struct def_cmd {
	const char *sub;
	int64_t id;
	const char *to, *why, *text, *note, *user;
	const char *a1, *a2, *a3; /* rule set RULE FIELD VALUE */
	int all;
};

static int print_event(const struct deficiency_event *v, void *ctx)
{
	char id[24];

	(void)ctx;
	snprintf(id, sizeof id, "%" PRId64, v->id);
	cli_tsv((const char *[]){ id, v->at, v->by, v->kind, v->from_status, v->to_status, v->to_user, v->note }, 8);
	return 0;
}

static int print_rule(const struct deficiency_rule *r, void *ctx)
{
	char days[12];

	(void)ctx;
	snprintf(days, sizeof days, "%d", r->days);
	cli_tsv((const char *[]){ r->code, r->title, r->applies, r->anchor, r->responsible, days,
				  r->short_stay ? "yes" : "no", r->active ? "yes" : "no" },
		8);
	return 0;
}

static int print_reminder(const struct reminder_info *r, void *ctx)
{
	char id[24], def[24], enc[24];

	(void)ctx;
	snprintf(id, sizeof id, "%" PRId64, r->id);
	snprintf(def, sizeof def, "%" PRId64, r->deficiency_id);
	snprintf(enc, sizeof enc, "%" PRId64, r->encounter_id);
	cli_tsv((const char *[]){ id, r->at, r->from, def, r->mrn, enc, r->type, r->open ? "open" : "closed",
				  r->note },
		9);
	return 0;
}

static int do_def(struct cli *c, struct grant *g, void *ctx)
{
	struct def_cmd *x = ctx;
	const char *s = x->sub;
	int rc;

	if (!strcmp(s, "list")) {
		cli_tsv(info_header, ARRAY_SIZE(info_header));
		return deficiency_list(g, x->all, print_info, NULL, &c->err);
	}
	if (!strcmp(s, "show")) {
		struct deficiency_info d;
		if ((rc = deficiency_get(g, x->id, &d, &c->err)))
			return rc;
		cli_tsv(info_header, ARRAY_SIZE(info_header));
		print_info(&d, NULL);
		puts("----");
		cli_tsv((const char *[]){ "event", "at", "by", "kind", "from", "to", "to_user", "note" }, 8);
		return deficiency_events(g, x->id, print_event, NULL, &c->err);
	}
	if (!strcmp(s, "assign"))
		return deficiency_assign(g, x->id, x->to, &c->err);
	if (!strcmp(s, "complete"))
		return deficiency_complete(g, x->id, x->note, &c->err);
	if (!strcmp(s, "review"))
		return deficiency_review(g, x->id, &c->err);
	if (!strcmp(s, "reopen"))
		return deficiency_reopen(g, x->id, x->why, &c->err);
	if (!strcmp(s, "note"))
		return deficiency_note(g, x->id, x->text, &c->err);
	if (!strcmp(s, "remind")) {
		int64_t rid = 0;
		if ((rc = deficiency_remind(g, x->id, x->note, &rid, &c->err)) == FOLIO_OK)
			printf("%" PRId64 "\n", rid);
		return rc;
	}
	if (!strcmp(s, "rules")) {
		cli_tsv((const char *[]){ "rule", "title", "applies", "from", "responsible", "days", "short_stay",
					  "active" },
			8);
		return deficiency_rules(g, print_rule, NULL, &c->err);
	}
	if (!strcmp(s, "rule"))
		return deficiency_rule_set(g, x->a1, x->a2, x->a3, &c->err);
	if (!strcmp(s, "inbox")) {
		cli_tsv(info_header, ARRAY_SIZE(info_header));
		return deficiency_inbox(g, x->user, print_info, NULL, &c->err);
	}
	cli_tsv((const char *[]){ "reminder", "at", "from", "deficiency", "mrn", "encounter", "type", "state", "note" },
		9);
	return deficiency_reminders(g, x->user, print_reminder, NULL, &c->err);
}

/* The subcommands that name one deficiency, and the action each asks for. */
static const struct {
	const char *sub;
	enum action a;
} by_id[] = {
	{ "show", ACT_QUEUE_VIEW },         { "assign", ACT_DEFICIENCY_EDIT }, { "complete", ACT_DEFICIENCY_EDIT },
	{ "review", ACT_DEFICIENCY_EDIT },  { "reopen", ACT_DEFICIENCY_REOPEN }, { "note", ACT_DEFICIENCY_EDIT },
	{ "remind", ACT_DEFICIENCY_EDIT },
};

int cmd_deficiency(struct cli *c, int argc, char **argv)
{
	struct def_cmd x = { 0 };
	const struct cli_optdef defs[] = {
		{ "--to", &x.to, NULL },     { "--why", &x.why, NULL },   { "--text", &x.text, NULL },
		{ "--note", &x.note, NULL }, { "--user", &x.user, NULL }, { "--all", NULL, &x.all },
		{ NULL },
	};
	int rc;

	if (argc < 2)
		return cli_fail(2, "%s", usage);
	x.sub = argv[1];
	for (size_t i = 0; i < ARRAY_SIZE(by_id); i++) {
		if (strcmp(x.sub, by_id[i].sub) != 0)
			continue;
		if (argc < 3)
			return cli_fail(2, "deficiency %s needs a deficiency number\n%s", x.sub, usage);
		if ((rc = cli_id(argv[2], "deficiency", &x.id)) || (rc = cli_options(c, argc, argv, 3, defs)))
			return rc;
		if (!strcmp(x.sub, "assign") && !x.to)
			return cli_fail(2, "deficiency assign ID --to USER");
		if (!strcmp(x.sub, "reopen") && !x.why)
			return cli_fail(2, "deficiency reopen ID --why TEXT: a reopening says why");
		if (!strcmp(x.sub, "note") && !x.text)
			return cli_fail(2, "deficiency note ID --text TEXT");
		return cli_object_grant(c, "deficiency", x.id, by_id[i].a, do_def, &x);
	}
	if (!strcmp(x.sub, "list")) {
		if (argc < 3 || (rc = cli_mrn(argv[2])) || (rc = cli_options(c, argc, argv, 3, defs)))
			return argc < 3 ? cli_fail(2, "deficiency list MRN [--all]") : rc;
		/* the records staff through the queue; a physician through the chart */
		if ((rc = cli_sign_in(c)))
			return rc;
		rc = cli_grant_run(c, access_may(c->s, ACT_QUEUE_VIEW) ? ACT_QUEUE_VIEW : ACT_CHART_VIEW, argv[2],
				   "patient", argv[2], do_def, &x);
		cli_done(c);
		return cli_report(c, rc);
	}
	if (!strcmp(x.sub, "rules")) {
		if ((rc = cli_options(c, argc, argv, 2, defs)))
			return rc;
		return cli_grant(c, ACT_QUEUE_VIEW, NULL, "deficiency.rules", NULL, do_def, &x);
	}
	if (!strcmp(x.sub, "rule")) {
		if (argc != 6 || strcmp(argv[2], "set") != 0)
			return cli_fail(2, "deficiency rule set RULE FIELD VALUE\n%s", usage);
		x.a1 = argv[3];
		x.a2 = argv[4];
		x.a3 = argv[5];
		return cli_grant(c, ACT_DEFICIENCY_RULES, NULL, "deficiency.rule", argv[3], do_def, &x);
	}
	if (!strcmp(x.sub, "inbox") || !strcmp(x.sub, "reminders")) {
		if ((rc = cli_options(c, argc, argv, 2, defs)))
			return rc;
		return cli_grant(c, ACT_INBOX_VIEW, NULL, "inbox", x.user, do_def, &x);
	}
	return cli_fail(2, "unknown deficiency command '%s'\n%s", x.sub, usage);
}
