/* folio — `coding`: an encounter's diagnoses, procedures and MS-DRG from
 * the command line.  Every change loads the coding, edits it, regroups and
 * saves it in one grant, and prints the codes and the DRG that result. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "folio/coding.h"

static const char usage[] =
	"usage: folio coding show ENC                   codes, DRG and the checks (TSV)\n"
	"       folio coding check ENC                  the checks only; exit 1 on a fatal one\n"
	"       folio coding group ENC                  regroup (after the chart changed)\n"
	"       folio coding pdx ENC CODE               set the principal diagnosis\n"
	"       folio coding add ENC --sdx CODE[:POA] | --proc CODE[@DATE]\n"
	"       folio coding poa ENC N POA              POA of secondary N: Y N U W E -\n"
	"       folio coding remove ENC --sdx N|CODE | --proc N|CODE\n"
	"       folio coding move ENC --sdx N|--proc N --up|--down\n"
	"       folio coding promote ENC N              secondary N becomes the principal\n"
	"       folio coding set ENC --pdx CODE [--sdx CODE[:POA]]... [--proc CODE[@DATE]]...\n"
	"       folio coding whatif ENC --add CODE[:POA] | --add-proc CODE | --remove CODE\n";

enum op { OP_SHOW, OP_CHECK, OP_GROUP, OP_PDX, OP_ADD, OP_POA, OP_REMOVE, OP_MOVE, OP_PROMOTE, OP_SET, OP_WHATIF };

struct coding_cmd {
	enum op op;
	int64_t enc;
	int argc;
	char **argv;      /* the operation's own arguments (after ENC) */
	int fatal;        /* a fatal finding was printed */
};

static const char *poa_text(char p)
{
	static char b[2];
	if (p == ' ')
		return "-";
	if (p == '1')
		return "E";
	b[0] = p;
	b[1] = 0;
	return b;
}

static void print_group(const char *label, const struct coding_group *gr)
{
	char v[8][32];
	if (!gr->grouped) {
		cli_tsv((const char *[]){ label, "not grouped", gr->note }, 3);
		return;
	}
	snprintf(v[0], sizeof v[0], "%03d", gr->r.final_drg);
	snprintf(v[1], sizeof v[1], "%02d", gr->r.final_mdc);
	cli_tsv((const char *[]){ label, v[0], "" }, 3);
	cli_tsv((const char *[]){ "mdc", v[1], "" }, 3);
	cli_tsv((const char *[]){ "type", drg_med_surg_name(gr->r.med_surg), "" }, 3);
	cli_tsv((const char *[]){ "severity", drg_severity_name(gr->r.final_severity), "" }, 3);
	cli_tsv((const char *[]){ "return_code", gr->r.grc, "" }, 3);
	cli_tsv((const char *[]){ "hac_status", gr->r.hac_status, "" }, 3);
	cli_tsv((const char *[]){ "grouper", gr->version, gr->hash }, 3);
	if (gr->weight >= 0) {
		snprintf(v[2], sizeof v[2], "%.4f", gr->weight);
		snprintf(v[3], sizeof v[3], "%.1f", gr->gmlos);
		snprintf(v[4], sizeof v[4], "%.1f", gr->amlos);
		cli_tsv((const char *[]){ "weight", v[2], "" }, 3);
		cli_tsv((const char *[]){ "gmlos", v[3], "" }, 3);
		cli_tsv((const char *[]){ "amlos", v[4], "" }, 3);
	} else {
		cli_tsv((const char *[]){ "weight", "", "no DRG weights loaded" }, 3);
	}
	if (gr->note[0])
		cli_tsv((const char *[]){ "note", gr->note, "" }, 3);
}

static void print_stale(const struct coding *cd)
{
	if (cd->stale)
		cli_tsv((const char *[]){ "stale", "yes",
					  "the chart changed since this was grouped: folio coding group ENC" }, 3);
}

static void print_codes(const struct coding *cd)
{
	char n[16];
	puts("item\tn\tcode\tpoa\tdate\tusage");
	if (cd->pdx[0])
		cli_tsv((const char *[]){ "pdx", "0", cd->pdx, "", "", "" }, 6);
	for (int i = 0; i < cd->nsdx; i++) {
		snprintf(n, sizeof n, "%d", i + 1);
		const char *u = cd->group.grouped && i < cd->group.r.nsdx
					? drg_sdx_usage_name(cd->group.r.sdx_usage[i]) : "";
		cli_tsv((const char *[]){ "sdx", n, cd->sdx[i].code, poa_text(cd->sdx[i].poa), "", u }, 6);
	}
	for (int i = 0; i < cd->nproc; i++) {
		snprintf(n, sizeof n, "%d", i + 1);
		cli_tsv((const char *[]){ "proc", n, cd->proc[i].code, "", cd->proc[i].date, "" }, 6);
	}
}

static int print_checks(struct grant *g, struct coding_cmd *x, const struct coding *cd,
			const struct coding_context *ctx, struct folio_err *e)
{
	struct coding_finding f[CODING_FINDINGS_MAX];
	int n = coding_check(g, cd, ctx, f, CODING_FINDINGS_MAX, e);
	if (n < 0)
		return e->code ? e->code : FOLIO_EFAIL;
	for (int i = 0; i < n && i < CODING_FINDINGS_MAX; i++) {
		cli_tsv((const char *[]){ f[i].fatal ? "error" : "warning", f[i].code, f[i].message }, 3);
		x->fatal |= f[i].fatal;
	}
	return FOLIO_OK;
}

static void print_context(const struct coding_context *ctx)
{
	char v[4][16];
	snprintf(v[0], sizeof v[0], "%" PRId64, ctx->encounter_id);
	snprintf(v[1], sizeof v[1], "%d", ctx->age);
	snprintf(v[2], sizeof v[2], "%02d", ctx->discharge_status);
	snprintf(v[3], sizeof v[3], "FY%d", ctx->fy);
	puts("field\tvalue\tnote");
	cli_tsv((const char *[]){ "encounter", v[0], ctx->kind }, 3);
	cli_tsv((const char *[]){ "admitted", ctx->admitted, "" }, 3);
	cli_tsv((const char *[]){ "discharged", ctx->discharged, ctx->discharge_status < 0 ? "" : v[2] }, 3);
	cli_tsv((const char *[]){ "age", v[1], (char[2]){ ctx->sex, 0 } }, 3);
	cli_tsv((const char *[]){ "code_set", v[3], "" }, 3);
}

/* Secondary or procedure N (1-based) or CODE into an index. */
static int item_index(const struct coding *cd, enum coding_list l, const char *arg, int *i, struct folio_err *e)
{
	char *end, norm[DRG_CODE_MAX];
	long n = strtol(arg, &end, 10);
	if (*arg && !*end) {
		*i = (int)n - 1;
		return FOLIO_OK;
	}
	int rc = coding_code_norm(arg, norm, e);
	if (rc)
		return rc;
	if ((*i = coding_find(cd, l, norm)) < 0)
		return err_set(e, FOLIO_ENOTFOUND, "that code is not coded on this encounter");
	return FOLIO_OK;
}

/* "CODE" or "CODE<sep>REST" (REST after ':' is a POA, after '@' a date):
 * the code into code, *rest at what follows the separator or NULL. */
static int split_arg(const char *arg, int sep, char code[32], const char **rest, struct folio_err *e)
{
	const char *at = strchr(arg, sep);
	if (strlen(arg) >= 32)
		return err_set(e, FOLIO_EUSAGE, "a code is 3 to 7 letters and digits, then %s",
			       sep == ':' ? ":POA" : "@YYYY-MM-DD");
	str_copy(code, 32, arg);
	if (at)
		code[at - arg] = 0;
	*rest = at ? at + 1 : NULL;
	return FOLIO_OK;
}

static int add_sdx_arg(struct coding *cd, const char *arg, struct folio_err *e)
{
	char code[32];
	const char *poa;
	int rc = split_arg(arg, ':', code, &poa, e);
	return rc ? rc : coding_add_sdx(cd, code, poa ? poa : "Y", e);
}

static int add_proc_arg(struct coding *cd, const char *arg, const struct coding_context *ctx,
			struct folio_err *e)
{
	char code[32];
	const char *date;
	int rc = split_arg(arg, '@', code, &date, e);
	/* no date given: the admission day, the commonest case, shown for review */
	return rc ? rc : coding_add_proc(cd, code, date ? date : ctx->admitted, e);
}

static int edit(struct coding_cmd *x, struct coding *cd, const struct coding_context *ctx, struct folio_err *e)
{
	int argc = x->argc, i = 0, rc = FOLIO_OK;
	char **argv = x->argv;
	const char *sdx = NULL, *proc = NULL;

	switch (x->op) {
	case OP_PDX:
		return argc == 1 ? coding_set_pdx(cd, argv[0], e) : err_set(e, FOLIO_EUSAGE, "%s", usage);
	case OP_PROMOTE:
		if (argc != 1 || (rc = item_index(cd, CODING_SDX, argv[0], &i, e)))
			return rc ? rc : err_set(e, FOLIO_EUSAGE, "%s", usage);
		return coding_promote(cd, i, e);
	case OP_POA:
		if (argc != 2 || (rc = item_index(cd, CODING_SDX, argv[0], &i, e)))
			return rc ? rc : err_set(e, FOLIO_EUSAGE, "%s", usage);
		return coding_set_poa(cd, i, argv[1], e);
	case OP_ADD:
	case OP_REMOVE:
	case OP_MOVE: {
		int dir = 0;
		for (int k = 0; k < argc; k++) {
			if (strcmp(argv[k], "--up") == 0)
				dir = -1;
			else if (strcmp(argv[k], "--down") == 0)
				dir = 1;
			else if (strcmp(argv[k], "--sdx") == 0 && k + 1 < argc && !sdx && !proc)
				sdx = argv[++k];
			else if (strcmp(argv[k], "--proc") == 0 && k + 1 < argc && !sdx && !proc)
				proc = argv[++k];
			else
				return err_set(e, FOLIO_EUSAGE, "%s", usage);
		}
		if ((!sdx && !proc) || (x->op == OP_MOVE) != (dir != 0))
			return err_set(e, FOLIO_EUSAGE, "%s", usage);
		enum coding_list l = sdx ? CODING_SDX : CODING_PROC;
		if (x->op == OP_ADD)
			return sdx ? add_sdx_arg(cd, sdx, e) : add_proc_arg(cd, proc, ctx, e);
		if ((rc = item_index(cd, l, sdx ? sdx : proc, &i, e)))
			return rc;
		return x->op == OP_REMOVE ? coding_remove(cd, l, i, e) : coding_move(cd, l, i, dir, e);
	}
	case OP_SET: {
		struct coding_group keep = cd->group;
		int64_t ver = cd->row_version;
		memset(cd->pdx, 0, sizeof cd->pdx);
		cd->nsdx = cd->nproc = 0;
		cd->group = keep;
		cd->row_version = ver;
		int have_pdx = 0;
		for (int k = 0; k < argc && !rc; k++) {
			if (k + 1 >= argc)
				return err_set(e, FOLIO_EUSAGE, "%s", usage);
			if (strcmp(argv[k], "--pdx") == 0 && !have_pdx++)
				rc = coding_set_pdx(cd, argv[++k], e);
			else if (strcmp(argv[k], "--sdx") == 0)
				rc = add_sdx_arg(cd, argv[++k], e);
			else if (strcmp(argv[k], "--proc") == 0)
				rc = add_proc_arg(cd, argv[++k], ctx, e);
			else
				return err_set(e, FOLIO_EUSAGE, "%s", usage);
		}
		if (!rc && !have_pdx)
			rc = err_set(e, FOLIO_EUSAGE, "set needs --pdx CODE");
		return rc;
	}
	case OP_WHATIF:
		if (argc != 2)
			return err_set(e, FOLIO_EUSAGE, "%s", usage);
		if (strcmp(argv[0], "--add") == 0)
			return add_sdx_arg(cd, argv[1], e);
		if (strcmp(argv[0], "--add-proc") == 0)
			return add_proc_arg(cd, argv[1], ctx, e);
		if (strcmp(argv[0], "--remove") == 0) {
			char norm[DRG_CODE_MAX];
			if ((rc = coding_code_norm(argv[1], norm, e)))
				return rc;
			if ((i = coding_find(cd, CODING_SDX, norm)) >= 0)
				return coding_remove(cd, CODING_SDX, i, e);
			if ((i = coding_find(cd, CODING_PROC, norm)) >= 0)
				return coding_remove(cd, CODING_PROC, i, e);
			if (strcmp(cd->pdx, norm) == 0)
				return err_set(e, FOLIO_EUSAGE, "the principal cannot be removed: promote another first");
			return err_set(e, FOLIO_ENOTFOUND, "that code is not coded on this encounter");
		}
		return err_set(e, FOLIO_EUSAGE, "%s", usage);
	default:
		return FOLIO_OK;
	}
}

static int do_coding(struct cli *c, struct grant *g, void *ctxp)
{
	struct coding_cmd *x = ctxp;
	struct coding *cd = coding_new();
	struct coding_context ctx;
	struct coding_group *what = NULL;
	int rc;

	if (!cd)
		return err_set(&c->err, FOLIO_EFAIL, "out of secure memory");
	if ((rc = coding_load(g, x->enc, cd, &ctx, &c->err)))
		goto out;
	if (x->op == OP_WHATIF) {
		struct coding_group before = cd->group;
		if ((rc = coding_group(g, cd, &ctx, &before, &c->err)) || (rc = edit(x, cd, &ctx, &c->err)))
			goto out;
		if (!(what = malloc(sizeof *what))) {
			rc = err_set(&c->err, FOLIO_EFAIL, "out of memory");
			goto out;
		}
		if ((rc = coding_group(g, cd, &ctx, what, &c->err)))
			goto out;
		puts("field\tvalue\tnote");
		print_group("drg_now", &before);
		print_group("drg_then", what);
		goto out; /* nothing saved */
	}
	if (x->op != OP_SHOW && x->op != OP_CHECK) {
		if ((rc = edit(x, cd, &ctx, &c->err)) || (rc = coding_save(g, cd, &ctx, &c->err)))
			goto out;
	}
	if (x->op != OP_CHECK) {
		print_context(&ctx);
		print_group("drg", &cd->group);
		print_stale(cd);
		putchar('\n');
		print_codes(cd);
		putchar('\n');
	}
	puts("level\tcheck\tmessage");
	rc = print_checks(g, x, cd, &ctx, &c->err);
	if (!rc && x->op == OP_CHECK && x->fatal)
		rc = err_set(&c->err, FOLIO_EFAIL, "the coding has errors to fix before it can be billed");
out:
	free(what);
	coding_free(cd);
	return rc;
}

int cmd_coding(struct cli *c, int argc, char **argv)
{
	static const struct {
		const char *name;
		enum op op;
		enum action a;
	} ops[] = {
		{ "show", OP_SHOW, ACT_CHART_VIEW },     { "check", OP_CHECK, ACT_CHART_VIEW },
		{ "group", OP_GROUP, ACT_CODE_ASSIGN },   { "pdx", OP_PDX, ACT_CODE_ASSIGN },      { "add", OP_ADD, ACT_CODE_ASSIGN },
		{ "poa", OP_POA, ACT_CODE_ASSIGN },      { "remove", OP_REMOVE, ACT_CODE_ASSIGN },
		{ "move", OP_MOVE, ACT_CODE_ASSIGN },    { "promote", OP_PROMOTE, ACT_CODE_ASSIGN },
		{ "set", OP_SET, ACT_CODE_ASSIGN },      { "whatif", OP_WHATIF, ACT_CODE_ASSIGN },
	};
	struct coding_cmd x = { 0 };
	int rc;

	if (argc < 3)
		return cli_fail(2, "%s", usage);
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		if (strcmp(argv[1], ops[i].name) != 0)
			continue;
		if ((rc = cli_id(argv[2], "encounter", &x.enc)))
			return rc;
		x.op = ops[i].op;
		x.argc = argc - 3;
		x.argv = argv + 3;
		if ((x.op == OP_SHOW || x.op == OP_CHECK || x.op == OP_GROUP) && x.argc)
			return cli_fail(2, "%s", usage);
		return cli_object_grant(c, "encounter", x.enc, ops[i].a, do_coding, &x);
	}
	return cli_fail(2, "%s", usage);
}
