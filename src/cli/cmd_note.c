/* folio — `note`: documents from the command line.  Text comes from stdin
 * or --file; signing reads the signature code from the terminal or
 * FOLIO_SIGNATURE_CODE. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli_internal.h"
#include "folio/chart.h"
#include "folio/date.h"
#include "folio/smem.h"

static const char usage[] =
	"usage: folio note new MRN --type TYPE --author USER [--encounter ENC] [--cosigner USER]\n"
	"                      [--file F | --undictated | --untranscribed]\n"
	"       folio note edit ID [--version N] [--file F]     (text from stdin or F)\n"
	"       folio note sign ID                               (signature code asked)\n"
	"       folio note addend ID [--author USER] [--file F]\n"
	"       folio note amend ID [--file F]                   (signature code asked)\n"
	"       folio note retract ID --why TEXT | refile ID --to MRN\n"
	"       folio note show ID [--draft] | list MRN [--all] | verify | types\n";

struct note_cmd {
	const char *sub;
	int64_t id;
	const char *type, *author, *cosigner, *encounter, *file, *version, *why, *to;
	int undictated, untranscribed, draft, all;
	char *text;                 /* smem */
	size_t len;
	char *code;                 /* smem: signature code */
	size_t codelen;
	int64_t expect, draft_id, encounter_id;
};

static void print_info_lines(const struct document_info *d)
{
	char v[8][24];

	snprintf(v[0], sizeof v[0], "%" PRId64, d->id);
	snprintf(v[1], sizeof v[1], "%" PRId64, d->encounter_id);
	snprintf(v[2], sizeof v[2], "%d", d->version);
	snprintf(v[3], sizeof v[3], "%" PRId64, d->row_version);
	snprintf(v[4], sizeof v[4], "%" PRId64, d->parent_id);
	snprintf(v[5], sizeof v[5], "%" PRId64, d->supersedes_id);
	snprintf(v[6], sizeof v[6], "%" PRId64, d->refiled_from);
	cli_tsv((const char *[]){ "document", v[0] }, 2);
	cli_tsv((const char *[]){ "type", doc_type_code(d->type) }, 2);
	cli_tsv((const char *[]){ "title", doc_type_title(d->type) }, 2);
	cli_tsv((const char *[]){ "status", d->status }, 2);
	cli_tsv((const char *[]){ "author", d->author }, 2);
	cli_tsv((const char *[]){ "cosigner", d->cosigner }, 2);
	cli_tsv((const char *[]){ "entered_by", d->entered_by }, 2);
	cli_tsv((const char *[]){ "encounter", v[1] }, 2);
	cli_tsv((const char *[]){ "version", v[2] }, 2);
	cli_tsv((const char *[]){ "row_version", v[3] }, 2);
	cli_tsv((const char *[]){ "addendum_to", v[4] }, 2);
	cli_tsv((const char *[]){ "supersedes", v[5] }, 2);
	cli_tsv((const char *[]){ "refiled_from", v[6] }, 2);
	cli_tsv((const char *[]){ "created", d->created }, 2);
	cli_tsv((const char *[]){ "signed_by", d->signed_by }, 2);
	cli_tsv((const char *[]){ "signed_at", d->signed_at }, 2);
	cli_tsv((const char *[]){ "cosigned_by", d->cosigned_by }, 2);
	cli_tsv((const char *[]){ "cosigned_at", d->cosigned_at }, 2);
}

static void print_text(const char *text, size_t len)
{
	puts("----");
	if (text && len) {
		fwrite(text, 1, len, stdout);
		if (text[len - 1] != '\n')
			putchar('\n');
	}
}

static int print_addendum(const struct document_info *d, void *ctx)
{
	struct grant *g = ((void **)ctx)[0];
	struct cli *c = ((void **)ctx)[1];
	struct document_info info;
	char *text = NULL;
	size_t len = 0;
	int rc;

	printf("==== addendum %" PRId64 " (%s, %s%s%s)\n", d->id, d->status, d->author,
	       d->signed_at[0] ? ", signed " : "", d->signed_at);
	rc = document_read(g, d->id, &info, &text, &len, &c->err);
	if (rc == FOLIO_OK)
		print_text(text, len);
	smem_free(text);
	return rc;
}

static int print_row(const struct document_info *d, void *ctx)
{
	char id[24], enc[24], ver[12], par[24];

	(void)ctx;
	snprintf(id, sizeof id, "%" PRId64, d->id);
	snprintf(enc, sizeof enc, "%" PRId64, d->encounter_id);
	snprintf(ver, sizeof ver, "%d", d->version);
	snprintf(par, sizeof par, "%" PRId64, d->supersedes_id);
	cli_tsv((const char *[]){ id, doc_type_code(d->type), d->status, d->author, d->cosigner, enc, d->created,
				  d->signed_by, d->signed_at, ver, par, d->readable ? "yes" : "no" },
		12);
	return 0;
}

static int print_failure(int64_t id, const char *mrn, const char *why, void *ctx)
{
	char v[24];

	(void)ctx;
	snprintf(v, sizeof v, "%" PRId64, id);
	cli_tsv((const char *[]){ v, mrn, why }, 3);
	return 0;
}

static int do_note(struct cli *c, struct grant *g, void *ctx)
{
	struct note_cmd *x = ctx;
	const char *s = x->sub;
	int64_t id = 0;
	int rc;

	if (strcmp(s, "new") == 0) {
		struct document_new d = { .author = x->author, .cosigner = x->cosigner };
		d.type = (enum doc_type)doc_type_parse(x->type);
		d.status = x->undictated ? "undictated" : x->untranscribed ? "untranscribed" : NULL;
		d.encounter_id = x->encounter_id;
		if ((rc = document_create(g, &d, x->text ? x->text : "", x->len, &id, &c->err)) == FOLIO_OK)
			printf("%" PRId64 "\n", id);
		return rc;
	}
	if (strcmp(s, "edit") == 0)
		return document_edit(g, x->id, x->expect, x->text, x->len, &c->err);
	if (strcmp(s, "draft-save") == 0)
		return draft_save(g, x->id, DOC_OTHER, x->expect, x->text, x->len, &x->draft_id, &c->err);
	if (strcmp(s, "sign") == 0) {
		char status[16];
		if ((rc = document_sign(g, x->id, x->code, x->codelen, status, &c->err)) == FOLIO_OK)
			printf("%s\n", status);
		return rc;
	}
	if (strcmp(s, "addend") == 0 || strcmp(s, "amend") == 0) {
		rc = strcmp(s, "addend") == 0
			     ? document_addend(g, x->id, x->author, x->text, x->len, &id, &c->err)
			     : document_amend(g, x->id, x->text, x->len, x->code, x->codelen, &id, &c->err);
		if (rc == FOLIO_OK)
			printf("%" PRId64 "\n", id);
		return rc;
	}
	if (strcmp(s, "retract") == 0)
		return document_retract(g, x->id, x->why, &c->err);
	if (strcmp(s, "refile") == 0) {
		if ((rc = document_refile(g, x->id, &id, &c->err)) == FOLIO_OK)
			printf("%" PRId64 "\n", id);
		return rc;
	}
	if (strcmp(s, "list") == 0) {
		cli_tsv((const char *[]){ "document", "type", "status", "author", "cosigner", "encounter", "created",
					  "signed_by", "signed_at", "version", "supersedes", "readable" },
			12);
		return document_list(g, x->all, print_row, NULL, &c->err);
	}
	if (strcmp(s, "verify") == 0) {
		size_t ok = 0, unreadable = 0;
		cli_tsv((const char *[]){ "document", "mrn", "problem" }, 3);
		rc = document_verify_all(g, print_failure, NULL, &ok, &unreadable, &c->err);
		fprintf(stderr, "folio: %zu signature%s verified", ok, ok == 1 ? "" : "s");
		if (unreadable)
			fprintf(stderr, "; %zu under a key your role does not hold, not checked", unreadable);
		fputc('\n', stderr);
		return rc;
	}
	{ /* show */
		struct document_info info;
		char *text = NULL;
		size_t len = 0;
		void *pair[2] = { g, c };

		if (x->draft) {
			int64_t base = 0;
			if ((rc = draft_load(g, x->id, &text, &len, &base, &c->err)) == FOLIO_OK)
				fwrite(text, 1, len, stdout);
			smem_free(text);
			return rc;
		}
		rc = document_read(g, x->id, &info, &text, &len, &c->err);
		if (rc == FOLIO_OK || rc == FOLIO_EDENIED)
			print_info_lines(&info);
		if (rc == FOLIO_OK) {
			print_text(text, len);
			rc = document_addenda(g, x->id, print_addendum, pair, &c->err);
		}
		smem_free(text);
		return rc;
	}
}

static int need_text(const char *s)
{
	return strcmp(s, "new") == 0 || strcmp(s, "edit") == 0 || strcmp(s, "addend") == 0 || strcmp(s, "amend") == 0;
}

static int need_code(const char *s)
{
	return strcmp(s, "sign") == 0 || strcmp(s, "amend") == 0;
}

static int note_action(const char *s)
{
	if (strcmp(s, "show") == 0 || strcmp(s, "list") == 0)
		return ACT_CHART_VIEW;
	if (strcmp(s, "sign") == 0)
		return ACT_NOTE_SIGN;
	if (strcmp(s, "amend") == 0 || strcmp(s, "retract") == 0 || strcmp(s, "refile") == 0)
		return ACT_NOTE_AMEND;
	if (strcmp(s, "verify") == 0)
		return ACT_NOTE_VERIFY;
	if (strcmp(s, "new") == 0 || strcmp(s, "edit") == 0 || strcmp(s, "addend") == 0)
		return ACT_NOTE_WRITE;
	return -1;
}

static int run(struct cli *c, struct note_cmd *x, char **argv)
{
	enum action a = (enum action)note_action(x->sub);
	int rc;

	if (strcmp(x->sub, "verify") == 0)
		return cli_grant(c, a, NULL, "documents", "all", do_note, x);
	if (strcmp(x->sub, "new") == 0 || strcmp(x->sub, "list") == 0) {
		if ((rc = cli_mrn(argv[2])))
			return rc;
		return cli_grant(c, a, argv[2], "document", x->sub, do_note, x);
	}
	if (strcmp(x->sub, "refile") == 0) {
		char oid[24];
		if (!x->to)
			return cli_fail(2, "refile needs --to MRN");
		if ((rc = cli_mrn(x->to)))
			return rc;
		snprintf(oid, sizeof oid, "%" PRId64, x->id);
		return cli_grant(c, a, x->to, "document", oid, do_note, x);
	}
	if (strcmp(x->sub, "edit") != 0)
		return cli_object_grant(c, "document", x->id, a, do_note, x);
	/* edit: a refused save keeps the text as a draft in the same run */
	{
		char mrn[16], oid[24];
		if ((rc = cli_sign_in(c)))
			return rc;
		snprintf(oid, sizeof oid, "%" PRId64, x->id);
		rc = access_object_mrn(c->s, "document", x->id, mrn, &c->err);
		if (rc == FOLIO_OK)
			rc = cli_grant_run(c, a, mrn, "document", oid, do_note, x);
		if (rc == FOLIO_ESTALE) {
			/* The refused save was rolled back: the text is kept as
			 * the user's draft under a grant of its own. */
			struct note_cmd d = *x;
			struct folio_err first = c->err;

			d.sub = "draft-save";
			if (cli_grant_run(c, ACT_NOTE_WRITE, mrn, "draft", oid, do_note, &d) == FOLIO_OK)
				fprintf(stderr, "folio: %s\nfolio: your text is kept as draft %" PRId64
					": 'folio note show %" PRId64 " --draft' prints it\n",
					first.msg, d.draft_id, x->id);
			else
				fprintf(stderr, "folio: %s\nfolio: and keeping your text as a draft failed: %s\n",
					first.msg, c->err.msg);
			cli_done(c);
			return 1;
		}
		cli_done(c);
		return cli_report(c, rc);
	}
}

int cmd_note(struct cli *c, int argc, char **argv)
{
	struct note_cmd x;
	const char *sub = argc > 1 ? argv[1] : "";
	int rc, first = 3;

	memset(&x, 0, sizeof x);
	x.sub = sub;
	if (strcmp(sub, "types") == 0) {
		cli_tsv((const char *[]){ "type", "title", "key" }, 3);
		for (int t = 0; t < DOC_TYPE_COUNT; t++)
			cli_tsv((const char *[]){ doc_type_code((enum doc_type)t), doc_type_title((enum doc_type)t),
						  doc_type_sensitive((enum doc_type)t) ? "sensitive" : "clinical" },
				3);
		return 0;
	}
	if (note_action(sub) < 0 || (strcmp(sub, "verify") != 0 && argc < 3)) {
		fputs(usage, stderr);
		return 2;
	}
	if (strcmp(sub, "verify") == 0)
		first = 2;
	{
		const struct cli_optdef defs[] = {
			{ "--type", &x.type, NULL },         { "--author", &x.author, NULL },
			{ "--cosigner", &x.cosigner, NULL }, { "--encounter", &x.encounter, NULL },
			{ "--file", &x.file, NULL },         { "--version", &x.version, NULL },
			{ "--why", &x.why, NULL },           { "--to", &x.to, NULL },
			{ "--undictated", NULL, &x.undictated }, { "--untranscribed", NULL, &x.untranscribed },
			{ "--draft", NULL, &x.draft },       { "--all", NULL, &x.all },
			{ NULL, NULL, NULL },
		};
		if ((rc = cli_options(c, argc, argv, first, defs)))
			return rc;
	}
	if (strcmp(sub, "new") == 0) {
		if (!x.type || doc_type_parse(x.type) < 0)
			return cli_fail(2, "--type is one of hp progress consult operative procedure discharge letter"
					   " other psychotherapy substance ('folio note types')");
		if (!x.author)
			return cli_fail(2, "--author USER: the physician whose document it is");
	} else if (strcmp(sub, "list") != 0 && strcmp(sub, "verify") != 0 &&
		   (rc = cli_id(argv[2], "document", &x.id))) {
		return rc;
	}
	if (x.version && cli_id(x.version, "version", &x.expect))
		return 2;
	if (x.encounter && cli_id(x.encounter, "encounter", &x.encounter_id))
		return 2;
	if (need_text(sub) && !x.undictated && !x.untranscribed && (rc = cli_text(x.file, &x.text, &x.len)))
		return rc;
	if (need_code(sub)) {
		x.code = cli_secret("Signature code: ", "FOLIO_SIGNATURE_CODE", NULL, 0, &x.codelen);
		if (!x.code) {
			smem_free(x.text);
			return 2;
		}
		c->sign_code = x.code;
		c->sign_codelen = x.codelen;
	}
	rc = run(c, &x, argv);
	smem_free(x.text);
	smem_free(x.code);
	return rc;
}
