/* folio — vitals, allergy, problem, med, result: add, list, the status
 * changes (resolve, stop, review ...), allergy nka and banner, fields.
 *
 * One command for the five kinds: the options of `add`, the columns of
 * `list` and the verbs of the changes all come from the field and op tables
 * of include/folio/clinical.h.  Output is printed only after the grant has
 * committed (nobody sees what was not audited).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli_internal.h"
#include "folio/clinical.h"

#define LIST_MAX 2000
#define WARN_MAX 12

/* "usage: folio KIND add MRN --opt V ... | list MRN | VERB ID ..." */
static int usage(int kind)
{
	char line[1024];
	size_t o = 0;

	o += (size_t)snprintf(line + o, sizeof line - o, "usage: folio %s add MRN", clinical_kind_command(kind));
	for (size_t i = 0; i < clinical_field_count(kind) && o < sizeof line; i++) {
		const struct clinical_field *f = clinical_field(kind, i);
		if (f->option)
			o += (size_t)snprintf(line + o, sizeof line - o, (f->flags & CF_REQUIRED) ? " --%s V" : " [--%s V]",
					      f->option);
	}
	if (o < sizeof line)
		o += (size_t)snprintf(line + o, sizeof line - o, " [--encounter ENC]\n       folio %s list MRN [--last N]",
				      clinical_kind_command(kind));
	if (kind == CLIN_ALLERGY && o < sizeof line)
		o += (size_t)snprintf(line + o, sizeof line - o, " | nka MRN | banner MRN");
	for (size_t i = 0; i < clinical_op_count() && o < sizeof line; i++) {
		const struct clinical_op *op = clinical_op_at(i);
		if (op->kind == kind)
			o += (size_t)snprintf(line + o, sizeof line - o, " | %s ID", op->verb);
	}
	if (o < sizeof line)
		snprintf(line + o, sizeof line - o, " [--expect-version N] | fields   (%s R opens a"
						    " restricted chart)",
			 clinical_field_by_option(kind, "reason") >= 0 ? "--access-reason" : "--reason");
	return cli_fail(2, "%s", line);
}

static int print_fields(int kind)
{
	cli_tsv((const char *[]){ "option", "column", "label", "unit", "max", "required", "help" }, 7);
	for (size_t i = 0; i < clinical_field_count(kind); i++) {
		const struct clinical_field *f = clinical_field(kind, i);
		char max[16];
		snprintf(max, sizeof max, "%zu", f->max);
		cli_tsv((const char *[]){ f->option ? f->option : "", f->name, f->label, f->unit, max,
					  (f->flags & CF_REQUIRED) ? "yes" : "no", f->help }, 7);
	}
	return 0;
}

/* ---- add ---------------------------------------------------------------- */

struct add_ctx {
	struct clinical_item *it;
};

static int do_add(struct cli *c, struct grant *g, void *ctx)
{
	return clinical_add(g, ((struct add_ctx *)ctx)->it, &c->err);
}

/* --OPTION VALUE of the kind's fields into it; 0, or an exit code after
 * printing why. */
static int add_options(struct cli *c, int kind, int argc, char **argv, struct clinical_item *it)
{
	if (clinical_field_by_option(kind, "reason") >= 0)
		c->reason_opt = "--access-reason";
	for (int i = 3; i < argc; i++) {
		const char *v = NULL;
		size_t k;

		/* a kind with a field of its own named reason (a procedure's
		 * indication) takes --reason as that field: the reason for
		 * opening a restricted chart is then --access-reason */
		if ((v = cli_opt(argc, argv, &i, "--access-reason")) ||
		    (clinical_field_by_option(kind, "reason") < 0 && (v = cli_opt(argc, argv, &i, "--reason")))) {
			c->reason = v;
			continue;
		}
		if ((v = cli_opt(argc, argv, &i, "--encounter"))) {
			if (cli_id(v, "encounter", &it->encounter_id))
				return 2;
			continue;
		}
		for (k = 0; k < clinical_field_count(kind); k++) {
			const struct clinical_field *f = clinical_field(kind, k);
			char name[40];
			if (!f->option)
				continue;
			snprintf(name, sizeof name, "--%s", f->option);
			if ((v = cli_opt(argc, argv, &i, name)))
				break;
		}
		if (!v) {
			int known = !strncmp(argv[i], "--", 2) && clinical_field_by_option(kind, argv[i] + 2) >= 0;
			if (known)
				return cli_fail(2, "%s needs a value", argv[i]);
			cli_fail(2, "unexpected argument '%s'", argv[i]);
			return usage(kind);
		}
		if (clinical_set(it, k, v, &c->err) != FOLIO_OK)
			return cli_fail(2, "%s", c->err.msg);
	}
	return 0;
}

static int clinical_add_cmd(struct cli *c, int kind, int argc, char **argv)
{
	struct add_ctx a = { clinical_items_new(1) };
	char warn[WARN_MAX][120];
	int rc, nw;

	if (!a.it)
		return cli_fail(1, "out of secure memory");
	clinical_item_init(a.it, kind);
	rc = add_options(c, kind, argc, argv, a.it);
	/* the checks across fields run before anyone signs in: a refused
	 * entry is not an audited attempt */
	if (rc == 0 && clinical_complete(a.it, &c->err) != FOLIO_OK)
		rc = cli_fail(2, "%s", c->err.msg);
	if (rc == 0) {
		rc = cli_grant(c, ACT_CLINICAL_ENTER, argv[2], "item", NULL, do_add, &a);
		if (rc == 0) {
			printf("%" PRId64 "\n", a.it->id);
			nw = clinical_warnings(a.it, warn, WARN_MAX);
			for (int i = 0; i < nw; i++)
				fprintf(stderr, "folio: warning: %s\n", warn[i]);
		}
	}
	clinical_items_free(a.it, 1);
	return rc;
}

/* ---- list ---------------------------------------------------------------- */

struct list_ctx {
	int kind;
	struct clinical_item *rows;
	size_t n, total;
};

static int do_list(struct cli *c, struct grant *g, void *ctx)
{
	struct list_ctx *l = ctx;
	return clinical_list(g, l->kind, l->rows, LIST_MAX, &l->n, &l->total, &c->err);
}

static void print_header(int kind)
{
	const char *cols[4 + 2 * CLIN_FIELDS_MAX + 2] = { "id", "status", "version", "recorded_at", "recorded_by",
							  "encounter" };
	size_t n = 6;

	for (size_t i = 0; i < clinical_field_count(kind); i++) {
		const struct clinical_field *f = clinical_field(kind, i);
		cols[n++] = f->name;
		if (f->alt)
			cols[n++] = f->alt_name;
	}
	cli_tsv(cols, n);
}

static void print_item(int kind, const struct clinical_item *it)
{
	char id[24], ver[24], enc[24], alt[CLIN_FIELDS_MAX][24], line[CLIN_VALUE_MAX];
	const char *cols[4 + 2 * CLIN_FIELDS_MAX + 2] = { id, it->status, ver, it->recorded_at, it->recorded_by,
							  enc };
	size_t n = 6;

	snprintf(id, sizeof id, "%" PRId64, it->id);
	snprintf(ver, sizeof ver, "%" PRId64, it->row_version);
	if (it->encounter_id > 0)
		snprintf(enc, sizeof enc, "%" PRId64, it->encounter_id);
	else
		enc[0] = '\0';
	clinical_item_line(it, line, sizeof line);
	for (size_t i = 0; i < clinical_field_count(kind); i++) {
		const struct clinical_field *f = clinical_field(kind, i);
		/* an NKA assertion in the allergy list says so in the first column */
		cols[n++] = it->kind != kind ? (i == 0 ? line : "") : it->v[i];
		if (f->alt) {
			alt[i][0] = '\0';
			if (it->kind == kind)
				f->alt(it->v[i], alt[i], sizeof alt[i]);
			cols[n++] = alt[i];
		}
	}
	cli_tsv(cols, n);
	memset(line, 0, sizeof line);
}

static int clinical_list_cmd(struct cli *c, int kind, int argc, char **argv)
{
	struct list_ctx l = { kind, clinical_items_new(LIST_MAX), 0, 0 };
	int64_t last = 0;
	int rc;

	if (!l.rows)
		return cli_fail(1, "out of secure memory");
	for (int i = 3; i < argc; i++) {
		const char *v;
		if ((v = cli_opt(argc, argv, &i, "--reason")) || (v = cli_opt(argc, argv, &i, "--access-reason"))) {
			c->reason = v;
		} else if ((v = cli_opt(argc, argv, &i, "--last"))) {
			if (cli_id(v, "count", &last))
				goto usage;
		} else {
			cli_fail(2, "unexpected argument '%s'", argv[i]);
			goto usage;
		}
	}
	rc = cli_grant(c, ACT_CHART_VIEW, argv[2], clinical_kind_name(kind), NULL, do_list, &l);
	if (rc == 0) {
		print_header(kind);
		for (size_t i = 0; i < l.n && (last == 0 || (int64_t)i < last); i++)
			print_item(kind, &l.rows[i]);
		if (l.total > l.n)
			fprintf(stderr, "folio: %zu items; the newest %zu are listed\n", l.total, l.n);
	}
	clinical_items_free(l.rows, LIST_MAX);
	return rc;
usage:
	clinical_items_free(l.rows, LIST_MAX);
	return usage(kind);
}

/* ---- allergy nka, banner ------------------------------------------------- */

struct nka_ctx {
	int64_t id;
	char text[512];
};

static int do_nka(struct cli *c, struct grant *g, void *ctx)
{
	return clinical_nka(g, &((struct nka_ctx *)ctx)->id, &c->err);
}

static int do_banner(struct cli *c, struct grant *g, void *ctx)
{
	struct nka_ctx *x = ctx;
	return clinical_allergy_banner(g, x->text, sizeof x->text, NULL, &c->err);
}

static int allergy_chart_cmd(struct cli *c, const char *sub, int argc, char **argv)
{
	struct nka_ctx x;
	int nka = !strcmp(sub, "nka"), rc;

	memset(&x, 0, sizeof x);
	if (cli_options(c, argc, argv, 3, NULL))
		return 2;
	rc = nka ? cli_grant(c, ACT_CLINICAL_ENTER, argv[2], "item", NULL, do_nka, &x) :
		   cli_grant(c, ACT_CHART_VIEW, argv[2], "allergy", NULL, do_banner, &x);
	if (rc == 0 && nka)
		printf("%" PRId64 "\n", x.id);
	else if (rc == 0)
		printf("%s\n", x.text);
	memset(x.text, 0, sizeof x.text);
	return rc;
}

/* ---- status changes -------------------------------------------------------- */

struct apply_ctx {
	int kind;
	const char *verb;
	int64_t id, expect;
	struct clinical_item *it;
};

static int do_apply(struct cli *c, struct grant *g, void *ctx)
{
	struct apply_ctx *x = ctx;
	return clinical_apply(g, x->kind, x->verb, x->id, x->expect, x->it, &c->err);
}

static int clinical_apply_cmd(struct cli *c, int kind, const char *verb, int argc, char **argv)
{
	struct apply_ctx x = { kind, verb, 0, 0, NULL };
	const char *expect = NULL;
	const struct cli_optdef defs[] = { { "--expect-version", &expect, NULL }, { NULL, NULL, NULL } };
	int rc;

	if (cli_id(argv[2], "clinical item", &x.id) || cli_options(c, argc, argv, 3, defs))
		return 2;
	if (expect && cli_id(expect, "row version", &x.expect))
		return 2;
	if (!(x.it = clinical_items_new(1)))
		return cli_fail(1, "out of secure memory");
	rc = cli_object_grant(c, "item", x.id, ACT_CLINICAL_ENTER, do_apply, &x);
	if (rc == 0) {
		char id[24], ver[24];
		snprintf(id, sizeof id, "%" PRId64, x.it->id);
		snprintf(ver, sizeof ver, "%" PRId64, x.it->row_version);
		cli_tsv((const char *[]){ "id", "status", "version" }, 3);
		cli_tsv((const char *[]){ id, x.it->status, ver }, 3);
	}
	clinical_items_free(x.it, 1);
	return rc;
}

int cmd_clinical(struct cli *c, int argc, char **argv)
{
	int kind = clinical_kind_parse(argv[0]);
	const char *sub = argc > 1 ? argv[1] : "";

	if (kind < 0 || kind >= CLIN_SECTIONS)
		return cli_fail(2, "unknown clinical section '%s'", argv[0]);
	if (!strcmp(sub, "fields") && argc == 2)
		return print_fields(kind);
	if (argc < 3)
		return usage(kind);
	if (!strcmp(sub, "add") || !strcmp(sub, "list") ||
	    (kind == CLIN_ALLERGY && (!strcmp(sub, "nka") || !strcmp(sub, "banner")))) {
		if (cli_mrn(argv[2]))
			return 2;
		if (!strcmp(sub, "add"))
			return clinical_add_cmd(c, kind, argc, argv);
		if (!strcmp(sub, "list"))
			return clinical_list_cmd(c, kind, argc, argv);
		return allergy_chart_cmd(c, sub, argc, argv);
	}
	if (clinical_op_find(kind, sub))
		return clinical_apply_cmd(c, kind, sub, argc, argv);
	return usage(kind);
}
