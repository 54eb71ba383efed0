/* folio — `roi`: release of information from the command line.  A request
 * is logged on a chart (`roi new MRN`), the technician picks what goes out
 * (`roi select ID ITEM...`), validates it, and releases it as a PDF packet
 * (`roi release ID --out FILE.pdf`), optionally sealed with a password for
 * electronic delivery (the recipient opens it with `folio unseal`).
 *
 * Each command on a request runs under one roi.process grant on the
 * request's chart (access_object_mrn "roi"); the worklist under one with
 * no chart.  The packet is staged beside --out before the grant commits and
 * placed only after it did, so a release is on the ledger exactly when its
 * file exists.  Lists are TSV with a header line. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_internal.h"
#include "folio/chart.h"
#include "folio/outfile.h"
#include "folio/roi.h"
#include "folio/seal.h"
#include "folio/smem.h"

static const char usage[] =
	"usage: folio roi new MRN --requester NAME --purpose TEXT --authority A [--organisation ORG]\n"
	"                 [--address TEXT] [--received D] [--signed D] [--auth-expires D]\n"
	"                 [--asks all|documents|TYPE|SECTION,...] [--from D --to D] [--names psychotherapy,substance]\n"
	"       folio roi list [MRN] [--all]          open requests, oldest due first (--all: closed too)\n"
	"       folio roi show ID                     the request, its selection, the chart's documents, history\n"
	"       folio roi select ID ITEM... [--remove]  ITEM: a document number or a section name\n"
	"       folio roi validate ID                 problems that stop a release (exit 1 when any)\n"
	"       folio roi release ID --out FILE.pdf [--force] [--seal]\n"
	"       folio roi deny ID --reason TEXT | withdraw ID [--reason TEXT] | extend ID --reason TEXT\n"
	"       folio unseal FILE --out FILE.pdf [--force]   open a sealed packet (password asked)\n"
	"A: authorization patient subpoena court-order public-health legal-mandate treatment\n"
	"SECTION: demographics encounters diagnoses problems medications allergies vitals results procedures\n"
	"TYPE: hp progress consult operative procedure discharge letter other psychotherapy substance\n"
	"--seal asks for a password (or reads FOLIO_PACKET_PASSWORD) and writes an encrypted packet.\n";

struct roi_cmd {
	const char *sub;
	int64_t id;
	const char *mrn;
	struct roi_request *r;     /* guarded: the new request */
	const char *authority, *requester, *organisation, *address, *purpose, *received, *signed_on, *expires;
	const char *asks, *from, *to, *names, *reason, *out;
	char *password;            /* guarded: --seal */
	int all, remove, force, seal;
	char **items;
	int nitems;
	int problems;
	int64_t new_id;
	char *staged;              /* the packet's temporary file */
	struct roi_release rel;
};

/* ---- output ---------------------------------------------------------------- */

static const char *const list_header[] = { "request", "mrn", "received", "due", "status", "authority",
					   "requester", "organisation", "overdue" };

static int print_row(const struct roi_request *r, void *ctx)
{
	char id[24];

	(void)ctx;
	snprintf(id, sizeof id, "%" PRId64, r->id);
	cli_tsv((const char *[]){ id, r->mrn, r->received, r->due, roi_status_name(r->status),
				  roi_authority_name(r->authority), r->requester, r->organisation,
				  r->overdue ? "overdue" : "" },
		ARRAY_SIZE(list_header));
	return 0;
}

static void pair(const char *k, const char *v)
{
	cli_tsv((const char *[]){ k, v }, 2);
}

static void print_request(const struct roi_request *r)
{
	char v[32];

	snprintf(v, sizeof v, "%" PRId64, r->id);
	pair("request", v);
	pair("mrn", r->mrn);
	pair("status", roi_status_name(r->status));
	pair("received", r->received);
	pair("due", r->due);
	pair("extended", r->extended);
	pair("overdue", r->overdue ? "yes" : "no");
	pair("authority", roi_authority_name(r->authority));
	pair("signed", r->auth_signed);
	pair("expires", r->auth_expires);
	pair("names", r->names);
	pair("asks", r->asks);
	pair("from", r->asks_from);
	pair("to", r->asks_to);
	pair("requester", r->requester);
	pair("organisation", r->organisation);
	pair("address", r->address);
	pair("purpose", r->purpose);
	pair("reason", r->reason);
	pair("released", r->released);
	snprintf(v, sizeof v, "%d", r->pages);
	pair("pages", r->pages ? v : "");
	pair("packet_hash", r->packet_hash);
	snprintf(v, sizeof v, "%" PRId64, r->disclosure_id);
	pair("ledger_entry", r->disclosure_id ? v : "");
	pair("logged_by", r->created_by);
}

static int print_item(const struct roi_item *it, void *ctx)
{
	char id[24];

	(void)ctx;
	snprintf(id, sizeof id, "%" PRId64, it->document_id);
	cli_tsv((const char *[]){ "selected", it->is_document ? "document" : "section",
				  it->is_document ? id : roi_section_name(it->section) },
		3);
	return 0;
}

static int print_event(const struct roi_event *ev, void *ctx)
{
	(void)ctx;
	cli_tsv((const char *[]){ "event", ev->at, ev->by, ev->step, ev->status, ev->detail }, 6);
	return 0;
}

/* The chart's documents, for picking: number, type, date of service,
 * status, whether asked for, and what stands in the way. */
static int print_candidate(const struct roi_candidate *c, void *ctx)
{
	char id[24];

	(void)ctx;
	snprintf(id, sizeof id, "%" PRId64, c->doc.id);
	cli_tsv((const char *[]){ "document", id, doc_type_code(c->doc.type), c->day, c->doc.status,
				  c->asked ? "asked" : "not-asked", c->selected ? "selected" : "",
				  !c->doc.readable ? "sealed" : c->restricted ? "restricted" : "" },
		8);
	return 0;
}

static int print_problem(const char *problem, void *ctx)
{
	(void)ctx;
	printf("problem\t%s\n", problem);
	return 0;
}

/* ---- under the grant ---------------------------------------------------------- */

static int parse_item(const char *word, struct roi_item *it)
{
	char *end;
	long long n;
	int s;

	memset(it, 0, sizeof *it);
	if ((s = roi_section_parse(word)) >= 0) {
		it->section = (enum roi_section)s;
		return 0;
	}
	n = strtoll(word, &end, 10);
	if (*word && !*end && n > 0) {
		it->is_document = 1;
		it->document_id = n;
		return 0;
	}
	return cli_fail(2, "'%s' is neither a document number nor a section\n%s", word, usage);
}

static int do_roi(struct cli *c, struct grant *g, void *ctx)
{
	struct roi_cmd *x = ctx;
	struct roi_request *r;
	int rc;

	if (strcmp(x->sub, "new") == 0)
		return roi_new(g, x->r, &x->new_id, &c->err);
	if (strcmp(x->sub, "list") == 0) {
		cli_tsv(list_header, ARRAY_SIZE(list_header));
		return x->mrn ? roi_list(g, print_row, NULL, &c->err) : roi_worklist(g, x->all, print_row, NULL, &c->err);
	}
	if (strcmp(x->sub, "deny") == 0)
		return roi_deny(g, x->id, x->reason, &c->err);
	if (strcmp(x->sub, "withdraw") == 0)
		return roi_withdraw(g, x->id, x->reason, &c->err);
	if (strcmp(x->sub, "extend") == 0)
		return roi_extend(g, x->id, x->reason, &c->err);
	if (strcmp(x->sub, "validate") == 0)
		return roi_validate(g, x->id, print_problem, NULL, &x->problems, &c->err);
	if (strcmp(x->sub, "select") == 0) {
		for (int i = 0; i < x->nitems; i++) {
			struct roi_item it;
			parse_item(x->items[i], &it);  /* checked before the grant */
			if ((rc = roi_select(g, x->id, &it, !x->remove, &c->err)))
				return rc;
		}
		return roi_items(g, x->id, print_item, NULL, &c->err);
	}
	if (strcmp(x->sub, "release") == 0)
		return roi_release_stage(g, x->id, x->out, x->password, &x->rel, &x->staged, &c->err);
	/* show */
	if (!(r = roi_request_new()))
		return err_set(&c->err, FOLIO_EFAIL, "out of secure memory");
	if (!(rc = roi_load(g, x->id, r, &c->err))) {
		print_request(r);
		if (!(rc = roi_items(g, x->id, print_item, NULL, &c->err)) &&
		    !(rc = roi_candidates(g, x->id, print_candidate, NULL, &c->err)))
			rc = roi_events(g, x->id, print_event, NULL, &c->err);
	}
	roi_request_free(r);
	return rc;
}

/* ---- arguments ------------------------------------------------------------------ */

/* --reason is the request's reason for deny, withdraw and extend; for the
 * other commands it opens a restricted chart, as everywhere. */
static int parse(struct cli *c, struct roi_cmd *x, int argc, char **argv, int first)
{
	const struct {
		const char *name;
		const char **v;
	} opts[] = {
		{ "--authority", &x->authority }, { "--requester", &x->requester },
		{ "--organisation", &x->organisation }, { "--organization", &x->organisation },
		{ "--address", &x->address }, { "--purpose", &x->purpose }, { "--received", &x->received },
		{ "--signed", &x->signed_on }, { "--auth-expires", &x->expires }, { "--asks", &x->asks },
		{ "--from", &x->from }, { "--to", &x->to }, { "--names", &x->names }, { "--out", &x->out },
	};
	const struct {
		const char *name;
		int *flag;
	} flags[] = { { "--all", &x->all }, { "--remove", &x->remove }, { "--force", &x->force }, { "--seal", &x->seal } };
	int closes = strcmp(x->sub, "deny") == 0 || strcmp(x->sub, "withdraw") == 0 || strcmp(x->sub, "extend") == 0;

	for (int i = first; i < argc; i++) {
		const char *v;
		size_t k;
		int done = 0;

		if ((v = cli_opt(argc, argv, &i, "--reason"))) {
			*(closes ? &x->reason : &c->reason) = v;
			continue;
		}
		for (k = 0; k < ARRAY_SIZE(opts) && !done; k++)
			if ((v = cli_opt(argc, argv, &i, opts[k].name)))
				*opts[k].v = v, done = 1;
		for (k = 0; k < ARRAY_SIZE(flags) && !done; k++)
			if (strcmp(argv[i], flags[k].name) == 0)
				*flags[k].flag = 1, done = 1;
		if (done)
			continue;
		if (argv[i][0] != '-' && strcmp(x->sub, "select") == 0)
			x->items[x->nitems++] = argv[i];
		else
			return cli_fail(2, "unexpected argument '%s'\n%s", argv[i], usage);
	}
	return 0;
}

static int fill_new(struct roi_cmd *x)
{
	struct roi_request *r = x->r;
	int a;

	if (!x->authority || (a = roi_authority_parse(x->authority)) < 0)
		return cli_fail(2, "--authority is one of authorization patient subpoena court-order public-health"
				   " legal-mandate treatment");
	if (!x->requester || !x->purpose)
		return cli_fail(2, "a request needs --requester NAME and --purpose TEXT");
	r->authority = (enum roi_authority)a;
	const struct cli_copy f[] = {
		{ x->requester, r->requester, sizeof r->requester, "--requester" },
		{ x->organisation, r->organisation, sizeof r->organisation, "--organisation" },
		{ x->address, r->address, sizeof r->address, "--address" },
		{ x->purpose, r->purpose, sizeof r->purpose, "--purpose" },
		{ x->received, r->received, sizeof r->received, "--received" },
		{ x->signed_on, r->auth_signed, sizeof r->auth_signed, "--signed" },
		{ x->expires, r->auth_expires, sizeof r->auth_expires, "--auth-expires" },
		{ x->asks, r->asks, sizeof r->asks, "--asks" },
		{ x->from, r->asks_from, sizeof r->asks_from, "--from" },
		{ x->to, r->asks_to, sizeof r->asks_to, "--to" },
		{ x->names, r->names, sizeof r->names, "--names" },
	};
	return cli_copy_all(f, ARRAY_SIZE(f));
}

/* After the grant: the packet is placed only when the release committed. */
static int finish_release(struct cli *c, struct roi_cmd *x, int rc)
{
	if (rc == 0 && x->staged) {
		if (outfile_place(x->staged, x->out, x->force, &c->err) == FOLIO_OK) {
			printf("request %" PRId64 " %s: %d page%s, %d document%s, %d section%s, ledger entry %" PRId64
			       "\n%s\n", x->id, x->rel.partial ? "partially released" : "released", x->rel.pages,
			       x->rel.pages == 1 ? "" : "s", x->rel.documents, x->rel.documents == 1 ? "" : "s",
			       x->rel.sections, x->rel.sections == 1 ? "" : "s", x->rel.disclosure_id, x->out);
		} else {
			/* The ledger has the release: say so rather than lose it. */
			fprintf(stderr, "folio: %s\nfolio: request %" PRId64 " is recorded as released (ledger entry %"
					PRId64 ") but its packet could not be placed\n",
				c->err.msg, x->id, x->rel.disclosure_id);
			rc = 1;
		}
	} else if (x->staged) {
		outfile_drop(x->staged);
	}
	free(x->staged);
	roi_release_free(&x->rel);
	return rc;
}

static int run(struct cli *c, struct roi_cmd *x)
{
	int rc;

	if (strcmp(x->sub, "new") == 0)
		return cli_grant(c, ACT_ROI_PROCESS, x->mrn, "roi", "new", do_roi, x);
	if (strcmp(x->sub, "list") == 0)
		return cli_grant(c, ACT_ROI_PROCESS, x->mrn, "roi", "list", do_roi, x);
	rc = cli_object_grant(c, "roi", x->id, ACT_ROI_PROCESS, do_roi, x);
	if (strcmp(x->sub, "release") == 0)
		rc = finish_release(c, x, rc);
	if (strcmp(x->sub, "validate") == 0 && rc == 0 && x->problems) {
		fprintf(stderr, "folio: request %" PRId64 " has %d problem%s: it cannot be released\n", x->id,
			x->problems, x->problems == 1 ? "" : "s");
		rc = 1;
	}
	return rc;
}

static int check_args(struct roi_cmd *x)
{
	const char *s = x->sub;
	struct roi_item it;

	if ((strcmp(s, "deny") == 0 || strcmp(s, "extend") == 0) && (!x->reason || !x->reason[0]))
		return cli_fail(2, "roi %s needs --reason TEXT", s);
	if (strcmp(s, "select") == 0) {
		if (!x->nitems)
			return cli_fail(2, "roi select ID ITEM...: name documents by number, sections by name");
		for (int i = 0; i < x->nitems; i++)
			if (parse_item(x->items[i], &it))
				return 2;
	}
	if (strcmp(s, "release") == 0 && (!x->out || !x->out[0]))
		return cli_fail(2, "roi release needs --out FILE.pdf");
	/* Refused before anything is released (placing it checks again). */
	if (strcmp(s, "release") == 0 && !x->force && access(x->out, F_OK) == 0)
		return cli_fail(2, "%s exists: give --force to replace it", x->out);
	return 0;
}

/* The password that seals a packet: FOLIO_PACKET_PASSWORD or asked twice. */
static int seal_password(struct roi_cmd *x)
{
	size_t len;

	if (!(x->password = cli_secret("Password for the packet: ", "FOLIO_PACKET_PASSWORD", NULL, 1, &len)))
		return 2;
	if (len < SEAL_PASSWORD_MIN)
		return cli_fail(2, "a packet's password has at least %d characters", SEAL_PASSWORD_MIN);
	return 0;
}

int cmd_roi(struct cli *c, int argc, char **argv)
{
	static const char *const subs[] = { "new", "list", "show", "select", "validate", "release",
					    "deny", "withdraw", "extend" };
	struct roi_cmd x = { 0 };
	int rc, known = 0, first = 2;

	if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	x.sub = argv[1];
	for (size_t i = 0; i < ARRAY_SIZE(subs); i++)
		known |= strcmp(x.sub, subs[i]) == 0;
	if (!known)
		return cli_fail(2, "unknown roi command '%s'\n%s", x.sub, usage);
	if (strcmp(x.sub, "new") == 0 || (strcmp(x.sub, "list") == 0 && argc > 2 && argv[2][0] != '-')) {
		if (argc < 3 || cli_mrn(argv[2]))
			return argc < 3 ? cli_fail(2, "roi %s needs an MRN\n%s", x.sub, usage) : 2;
		x.mrn = argv[2];
		first = 3;
	} else if (strcmp(x.sub, "list") != 0) {
		if (argc < 3 || cli_id(argv[2], "request", &x.id))
			return argc < 3 ? cli_fail(2, "roi %s needs a request number\n%s", x.sub, usage) : 2;
		first = 3;
	}
	if (!(x.items = calloc((size_t)argc + 1, sizeof *x.items)))
		return cli_fail(1, "out of memory");
	if ((rc = parse(c, &x, argc, argv, first)) || (rc = check_args(&x)))
		goto out;
	if (strcmp(x.sub, "new") == 0) {
		if (!(x.r = roi_request_new())) {
			rc = cli_fail(1, "out of secure memory");
			goto out;
		}
		if ((rc = fill_new(&x)))
			goto out;
	}
	if (x.seal && strcmp(x.sub, "release") == 0 && (rc = seal_password(&x)))
		goto out;
	rc = run(c, &x);
	if (rc == 0 && strcmp(x.sub, "new") == 0)
		printf("%" PRId64 "\n", x.new_id);
out:
	smem_free(x.password);
	roi_request_free(x.r);
	free(x.items);
	return rc;
}

/* ---- unseal: the recipient's side ------------------------------------------------ */

#define SEALED_MAX (1024L * 1024 * 1024)

/* Reads a whole file (at most SEALED_MAX bytes) into malloc'd memory: it is
 * ciphertext. */
static int read_file(const char *path, unsigned char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	*data = NULL;
	if (!f)
		return cli_fail(1, "cannot open %s", path);
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || n > SEALED_MAX || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return cli_fail(1, "%s is not a sealed packet that can be read", path);
	}
	if (!(*data = malloc((size_t)n + 1)) || fread(*data, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(*data);
		*data = NULL;
		return cli_fail(1, "cannot read %s", path);
	}
	fclose(f);
	*len = (size_t)n;
	return 0;
}

int cmd_unseal(struct cli *c, int argc, char **argv)
{
	const char *out = NULL;
	int force = 0, rc;
	unsigned char *sealed = NULL, *plain = NULL;
	size_t slen = 0, plen = 0, pwlen = 0;
	char *pw = NULL, *staged = NULL;

	(void)c;
	if (argc < 2 || argv[1][0] == '-')
		return cli_fail(2, "usage: folio unseal FILE --out FILE.pdf [--force]");
	for (int i = 2; i < argc; i++) {
		const char *v;
		if ((v = cli_opt(argc, argv, &i, "--out")))
			out = v;
		else if (strcmp(argv[i], "--force") == 0)
			force = 1;
		else
			return cli_fail(2, "unexpected argument '%s'", argv[i]);
	}
	if (!out || !out[0])
		return cli_fail(2, "folio unseal needs --out FILE.pdf");
	if ((rc = read_file(argv[1], &sealed, &slen)))
		return rc;
	if (!seal_is_sealed(sealed, slen)) {
		free(sealed);
		return cli_fail(2, "%s is not a sealed folio packet", argv[1]);
	}
	if (!(pw = cli_secret("Password for the packet: ", "FOLIO_PACKET_PASSWORD", NULL, 0, &pwlen))) {
		free(sealed);
		return 2;
	}
	rc = seal_open_with_password(pw, pwlen, sealed, slen, &plain, &plen, &c->err);
	if (!rc && !(rc = outfile_stage(out, plain, plen, &staged, &c->err)))
		rc = outfile_place(staged, out, force, &c->err);
	free(staged);
	smem_free(plain);
	smem_free(pw);
	free(sealed);
	if (rc)
		return cli_fail(err_exit_code(rc), "%s", c->err.msg);
	printf("%s\n", out);
	return 0;
}
