/* folio — `query`: physician queries from the command line.  A coder raises
 * one on an encounter (indicators quoted from the record, the question, the
 * format), the physician answers (signed with their signature code, from
 * the terminal or FOLIO_SIGNATURE_CODE, like `note sign`), the coder
 * withdraws or closes it.  Lists are TSV with a header line. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "folio/query.h"
#include "folio/smem.h"

static const char usage[] =
	"usage: folio query new ENC --to USER --format open|multiple-choice|yes-no --question TEXT\n"
	"                 --indicator TEXT [--indicator TEXT]... [--option TEXT]...\n"
	"                 [--yes-no-reason documented|poa|cause|conflict] [--due DATE] [--escalate DATE]\n"
	"       folio query answer ID --option N [--text T] | --text T  [--comment C]  (signature code asked)\n"
	"       folio query withdraw ID --why TEXT | close ID | show ID\n"
	"       folio query list [--mine] [--to USER] [--status S] [--encounter ENC] [--overdue]\n"
	"       folio query indicators ENC     lines of the record to quote as indicators\n"
	"       folio query reasons            when a yes/no query is allowed\n"
	"A multiple-choice query offers \"Other\" and \"Clinically undetermined\" among its options.\n";

struct query_cmd {
	const char *sub;
	int64_t id;                 /* a query, or (new, indicators) an encounter */
	struct query_new q;
	const char *indicators[QUERY_INDICATORS_MAX + 1], *options[QUERY_OPTIONS_MAX + 1];
	const char *format, *why, *to, *status, *encounter, *option, *text, *comment;
	int mine, overdue;
	struct query_reply reply;
	char *code;                 /* smem: signature code */
	size_t codelen;
};

/* ---- output ---------------------------------------------------------------- */

static const char *const list_header[] = { "query", "mrn", "encounter", "format", "status", "to", "from",
					   "created", "due", "escalate", "days_overdue", "document" };

static int print_row(const struct query_info *q, void *ctx)
{
	char id[24], enc[24], late[12], doc[24];

	(void)ctx;
	snprintf(id, sizeof id, "%" PRId64, q->id);
	snprintf(enc, sizeof enc, "%" PRId64, q->encounter_id);
	snprintf(late, sizeof late, "%d", q->days_overdue);
	snprintf(doc, sizeof doc, "%" PRId64, q->addendum_id);
	cli_tsv((const char *[]){ id, q->mrn, enc, query_format_name(q->format), q->status, q->to, q->from,
				  q->created, q->due, q->escalate, late, q->addendum_id ? doc : "" },
		ARRAY_SIZE(list_header));
	return 0;
}

static void pair(const char *k, const char *v)
{
	cli_tsv((const char *[]){ k, v }, 2);
}

static void print_show(const struct query_info *q, const struct query_text *t)
{
	char v[24], key[40];

	snprintf(v, sizeof v, "%" PRId64, q->id);
	pair("query", v);
	pair("mrn", q->mrn);
	snprintf(v, sizeof v, "%" PRId64, q->encounter_id);
	pair("encounter", v);
	pair("format", query_format_name(q->format));
	pair("yes_no_reason", q->yesno_case);
	pair("status", q->status);
	pair("to", q->to);
	pair("from", q->from);
	pair("created", q->created);
	pair("due", q->due);
	pair("escalate", q->escalate);
	snprintf(v, sizeof v, "%d", q->days_overdue);
	pair("days_overdue", v);
	pair("answered_at", q->answered_at);
	pair("answered_by", q->answered_by);
	snprintf(v, sizeof v, "%" PRId64, q->addendum_id);
	pair("document", q->addendum_id ? v : "");
	pair("ended_at", q->ended_at);
	pair("ended_by", q->ended_by);
	pair("question", t->question);
	for (size_t i = 0; i < t->n_indicators; i++)
		pair("indicator", t->indicators[i]);
	for (size_t i = 0; i < t->n_options; i++) {
		snprintf(key, sizeof key, "option_%zu", i + 1);
		pair(key, t->options[i]);
	}
	snprintf(v, sizeof v, "%d", t->answer_option);
	pair("answer_option", t->answer_option ? v : "");
	pair("answer", t->answer);
	pair("comment", t->comment);
	pair("withdraw_reason", t->withdraw_reason);
}

static int print_line(const char *line, const char *source, void *ctx)
{
	(void)ctx;
	cli_tsv((const char *[]){ source, line }, 2);
	return 0;
}

/* ---- under the grant -------------------------------------------------------- */

static int do_query(struct cli *c, struct grant *g, void *ctx)
{
	struct query_cmd *x = ctx;
	const char *s = x->sub;
	int64_t id = 0;
	int rc;

	if (strcmp(s, "new") == 0) {
		if ((rc = query_create(g, &x->q, &id, &c->err)) == FOLIO_OK)
			printf("%" PRId64 "\n", id);
		return rc;
	}
	if (strcmp(s, "answer") == 0) {
		if ((rc = query_answer(g, x->id, &x->reply, x->code, x->codelen, &id, &c->err)) == FOLIO_OK)
			printf("%" PRId64 "\n", id);
		return rc;
	}
	if (strcmp(s, "withdraw") == 0)
		return query_withdraw(g, x->id, x->why, &c->err);
	if (strcmp(s, "close") == 0)
		return query_close(g, x->id, &c->err);
	if (strcmp(s, "indicators") == 0) {
		cli_tsv((const char *[]){ "source", "line" }, 2);
		return query_indicator_lines(g, x->id, print_line, NULL, &c->err);
	}
	if (strcmp(s, "list") == 0) {
		struct query_filter f = { .to = x->to, .status = x->status, .overdue = x->overdue };
		if (x->mine && session_role(c->s) == ROLE_PHYSICIAN)
			f.to = session_user(c->s);
		else if (x->mine)
			f.from = session_user(c->s);
		f.encounter_id = x->q.encounter_id;
		cli_tsv(list_header, ARRAY_SIZE(list_header));
		return query_list(g, &f, print_row, NULL, &c->err);
	}
	{ /* show */
		struct query_info q;
		struct query_text *t = NULL;
		if ((rc = query_get(g, x->id, &q, &t, &c->err)) == FOLIO_OK)
			print_show(&q, t);
		query_text_free(t);
		return rc;
	}
}

/* A command on one query runs under one grant on the query's chart (found
 * as for notes and encounters: access_object_mrn), so it costs one audit
 * row and a role that may not act is refused there. */
static int on_query(struct cli *c, struct query_cmd *x, enum action a)
{
	return cli_object_grant(c, "query", x->id, a, do_query, x);
}

static int run_list(struct cli *c, struct query_cmd *x)
{
	enum action a;
	int rc;

	if (x->encounter)
		return cli_object_grant(c, "encounter", x->q.encounter_id, ACT_CHART_VIEW, do_query, x);
	if ((rc = cli_sign_in(c)))
		return rc;
	a = access_may(c->s, ACT_QUERY_SEND) ? ACT_QUERY_SEND : ACT_INBOX_VIEW;
	rc = cli_grant_run(c, a, NULL, "query", "list", do_query, x);
	cli_done(c);
	return cli_report(c, rc);
}

/* ---- arguments ----------------------------------------------------------------- */

/* Options of every subcommand; --indicator and --option repeat. */
static int parse(struct cli *c, struct query_cmd *x, int argc, char **argv, int first)
{
	struct query_new *q = &x->q;

	for (int i = first; i < argc; i++) {
		const char *v;
		if ((v = cli_opt(argc, argv, &i, "--indicator"))) {
			if (q->n_indicators == QUERY_INDICATORS_MAX)
				return cli_fail(2, "a query cites at most %d indicators", QUERY_INDICATORS_MAX);
			x->indicators[q->n_indicators++] = v;
		} else if ((v = cli_opt(argc, argv, &i, "--option"))) {
			if (q->n_options == QUERY_OPTIONS_MAX)
				return cli_fail(2, "a query offers at most %d options", QUERY_OPTIONS_MAX);
			x->options[q->n_options++] = v;
			x->option = v;
		} else if ((v = cli_opt(argc, argv, &i, "--to"))) {
			x->to = v;
		} else if ((v = cli_opt(argc, argv, &i, "--format"))) {
			x->format = v;
		} else if ((v = cli_opt(argc, argv, &i, "--question"))) {
			q->question = v;
		} else if ((v = cli_opt(argc, argv, &i, "--yes-no-reason"))) {
			q->yesno_case = v;
		} else if ((v = cli_opt(argc, argv, &i, "--due"))) {
			q->due = v;
		} else if ((v = cli_opt(argc, argv, &i, "--escalate"))) {
			q->escalate = v;
		} else if ((v = cli_opt(argc, argv, &i, "--why"))) {
			x->why = v;
		} else if ((v = cli_opt(argc, argv, &i, "--status"))) {
			x->status = v;
		} else if ((v = cli_opt(argc, argv, &i, "--encounter"))) {
			x->encounter = v;
		} else if ((v = cli_opt(argc, argv, &i, "--text"))) {
			x->text = v;
		} else if ((v = cli_opt(argc, argv, &i, "--comment"))) {
			x->comment = v;
		} else if ((v = cli_opt(argc, argv, &i, "--reason"))) {
			c->reason = v;
		} else if (strcmp(argv[i], "--mine") == 0) {
			x->mine = 1;
		} else if (strcmp(argv[i], "--overdue") == 0) {
			x->overdue = 1;
		} else {
			return cli_fail(2, "unexpected argument '%s'", argv[i]);
		}
	}
	q->indicators = x->indicators;
	q->options = x->options;
	return 0;
}

static int check_new(struct query_cmd *x)
{
	int f = query_format_parse(x->format);

	if (!x->to)
		return cli_fail(2, "--to USER: the physician the query goes to");
	if (f < 0)
		return cli_fail(2, "--format is open, multiple-choice or yes-no");
	if (!x->q.question)
		return cli_fail(2, "--question TEXT: what the physician is asked");
	x->q.format = (enum query_format)f;
	x->q.to = x->to;
	return 0;
}

/* --option N picks an option (multiple-choice, yes-no); --text alone is an
 * open-ended answer, or with "Other" what it is. */
static int check_answer(struct query_cmd *x)
{
	char *end;
	long n;

	if (x->q.n_options > 1)
		return cli_fail(2, "pick one --option");
	if (!x->option && !x->text)
		return cli_fail(2, "answer with --option N (its number) or --text TEXT");
	if (x->option) {
		n = strtol(x->option, &end, 10);
		if (*end || end == x->option || n < 1 || n > QUERY_OPTIONS_MAX)
			return cli_fail(2, "--option takes the number of an option (1 to %d)", QUERY_OPTIONS_MAX);
		x->reply.option = (int)n;
	}
	x->reply.text = x->text;
	x->reply.comment = x->comment;
	x->code = cli_secret("Signature code: ", "FOLIO_SIGNATURE_CODE", NULL, 0, &x->codelen);
	return x->code ? 0 : 2;
}

static int print_reasons(void)
{
	cli_tsv((const char *[]){ "reason", "allows a yes/no query to" }, 2);
	for (int i = 0; i < QUERY_YN_COUNT; i++)
		cli_tsv((const char *[]){ query_yesno_code(i), query_yesno_help(i) }, 2);
	return 0;
}

int cmd_query(struct cli *c, int argc, char **argv)
{
	static const char *const subs[] = { "new", "answer", "withdraw", "close", "list", "show", "indicators" };
	struct query_cmd *x;
	const char *sub = argc > 1 ? argv[1] : "";
	int known = 0, rc, first = 3, with_id;

	if (strcmp(sub, "reasons") == 0)
		return print_reasons();
	for (size_t i = 0; i < ARRAY_SIZE(subs); i++)
		known |= strcmp(sub, subs[i]) == 0;
	with_id = known && strcmp(sub, "list") != 0;
	if (!known || (with_id && argc < 3)) {
		fputs(usage, stderr);
		return 2;
	}
	if (!with_id)
		first = 2;
	if (!(x = calloc(1, sizeof *x)))
		return cli_fail(1, "out of memory");
	x->sub = sub;
	if ((rc = parse(c, x, argc, argv, first)) == 0 && with_id)
		rc = cli_id(argv[2], strcmp(sub, "new") == 0 || strcmp(sub, "indicators") == 0 ? "encounter" : "query",
			    &x->id);
	if (rc == 0 && x->encounter)
		rc = cli_id(x->encounter, "encounter", &x->q.encounter_id);
	if (rc == 0 && strcmp(sub, "new") == 0) {
		x->q.encounter_id = x->id;
		rc = check_new(x);
	}
	if (rc == 0 && strcmp(sub, "answer") == 0)
		rc = check_answer(x);
	if (rc == 0 && strcmp(sub, "withdraw") == 0 && !x->why)
		rc = cli_fail(2, "withdraw needs --why TEXT (kept encrypted)");
	if (rc == 0) {
		if (strcmp(sub, "new") == 0)
			rc = cli_object_grant(c, "encounter", x->id, ACT_QUERY_SEND, do_query, x);
		else if (strcmp(sub, "indicators") == 0)
			rc = cli_object_grant(c, "encounter", x->id, ACT_CHART_VIEW, do_query, x);
		else if (strcmp(sub, "list") == 0)
			rc = run_list(c, x);
		else if (strcmp(sub, "answer") == 0)
			rc = on_query(c, x, ACT_QUERY_ANSWER);
		else if (strcmp(sub, "show") == 0)
			rc = on_query(c, x, ACT_CHART_VIEW);
		else
			rc = on_query(c, x, ACT_QUERY_SEND);
	}
	smem_free(x->code);
	free(x);
	return rc;
}
