/* folio — command-line dispatch, global options and shared helpers. */
#include "folio/cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "folio/chart.h"
#include "folio/patient.h"
#include "folio/smem.h"

static const char usage_text[] =
	"usage: folio [--db PATH] [--user NAME] [--password-file FILE] [COMMAND ...]\n"
	"\n"
	"With no command, folio opens the interface.  Commands:\n"
	"  init --admin NAME          create a database, print its recovery key once\n"
	"  demo                       create a demo database, one user per role\n"
	"  recover --user NAME        set a new password with the recovery key\n"
	"  user add NAME --role ROLE  roles: frontdesk technician supervisor physician admin\n"
	"  user passwd [NAME]         your password, or (admin) another user's\n"
	"  user lock|unlock NAME      (admin)\n"
	"  user list\n"
	"  audit verify [--head SEQ:HASH]\n"
	"  audit head\n"
	"  audit show [--user U] [--patient MRN] [--action A] [--since DATE] [--until DATE] [--limit N]\n"
	"  config list | get NAME | set NAME VALUE\n"
	"  db check                   integrity check; every encrypted field opened\n"
	"  backup FILE                online copy of the (encrypted) database\n"
	"  restore BACKUP             check a backup, then put it in place of the database (admin)\n"
	"  rekey CLASS [--batch N]    rotate a key class: demographics clinical sensitive audit (admin;\n"
	"                             resumable: run it again after an interruption)\n"
	"  patient add --last L [--first F] [--dob D] [--sex S] [--FIELD V ...] [--force]\n"
	"  patient find QUERY         LAST,FIRST | MRN | DOB | last four | S1234\n"
	"  patient show MRN [--reason R]   patient edit MRN --FIELD V ... [--reason R]\n"
	"  patient restrict|unrestrict MRN   patient link MRN --user NAME | unlink MRN\n"
	"  dup scan | list [--status S] [--min-score N] | show ID | verify|reject ID [--note T]\n"
	"      duplicate charts: score pairs, verify them (technician, supervisor)\n"
	"  merge preview PAIR [--survivor MRN] | approve PAIR [--survivor MRN] | undo MERGE | list\n"
	"      merge a verified pair's charts, or undo it (approve and undo: supervisor)\n"
	"  checkin MRN [--clinic C] [--visit-reason R]   checkins [--date D]\n"
	"  chart MRN [--reason R]     the patient's encounters (clinical roles)\n"
	"  chart out MRN --to WHO [--due D] [--volume N];  chart in MRN [--volume N]   paper charts\n"
	"      chart request MRN [--for D] [--why T];  chart pull-list [--date D];  chart overdue\n"
	"      chart where|history MRN;  chart missing MRN --why T;  chart found MRN (supervisor)\n"
	"      chart volumes MRN [--add [--home LOCATION]]\n"	"  alerts [--all]             restricted-record alerts;  alerts review ID\n"
	"  encounter admit|arrive|transfer|discharge|cancel|visit|start|close|list|show|statuses\n"
	"  note new|edit|sign|addend|amend|retract|refile|show|list|verify|types\n"
	"  query new ENC --to USER --format open|multiple-choice|yes-no --question T --indicator T...\n"
	"      [--option T]... [--yes-no-reason R] [--due D] [--escalate D];  query answer ID --option N|--text T\n"
	"      query withdraw ID --why T | close ID | show ID | list [--mine] [--status S] [--overdue]\n"
	"  check MRN|--all            evaluate charts against the completeness rules (deficiencies)\n"
	"  queue [--physician P] [--service S] [--type RULE] [--delinquent] | queue --rate\n"
	"  deficiency list MRN | show|assign|complete|review|reopen|note|remind ID | rules |\n"
	"      rule set RULE FIELD VALUE | inbox | reminders\n"
	"  disclosures MRN;  disclosure add MRN --to N --what T --purpose T --kind K [--address T] [--date D]\n"
	"      disclosure correct ID [...];  accounting MRN [--as-of D] [--give]   the disclosure ledger\n"
	"  report access MRN [--since D] [--newest]   who looked at a chart (supervisor)\n"
	"  report NAME [--from D] [--to D] [--csv]   department reports (supervisor): discharges top-dx\n"
	"      top-drg cmi coders deficiencies disclosures\n"
	"  export deid --out DIR      de-identified research extract, CSV (technician, supervisor)\n"
	"  export fhir MRN [--out FILE [--force]] [--to N --purpose T --kind K [--address T]]\n"
	"      [--include-sensitive]   one chart as a FHIR R4 Bundle, JSON (technician, supervisor)\n"
	"  user sigcode               set your signature code (signers)\n"
	"  codes load DIR [--weights FILE]   ICD-10-CM/PCS, POA-exempt, MCE and MS-DRG tables (admin,\n"
	"      supervisor);  codes search [--pcs] [--fy Y|--date D] [--limit N] [--children CODE] WORDS\n"
	"      codes list\n"
	"  coding show|check|pdx|add|poa|remove|move|promote|set|whatif ENC   ICD-10 and MS-DRG\n"
	"  vitals add MRN [--weight 70kg|154lb] [--height 175cm|69in] [--bp 120/80] [--pulse N]\n"
	"      [--temp 37.0C|98.6F] [--resp N] [--spo2 N] [--pain N] [--at TIME] [--encounter ENC]\n"
	"  allergy add MRN --allergen X [--type T] [--reaction R] [--severity S];  nka|banner MRN\n"
	"  problem add MRN --text T [--icd CODE] [--onset DATE];  problem resolve|inactivate ID\n"
	"  med add MRN --drug D [--dose D] [--route R] [--frequency F] [--start D] [--stop D]\n"
	"      [--prescriber USER];  med stop|complete ID\n"
	"  result add MRN --test T [--loinc C] --value V [--units U] [--range LOW-HIGH] [--flag F]\n"
	"      [--collected T] [--reported T];  result review ID\n"
	"  procedure add MRN --text T [--code SNOMED] [--system S] [--date T] [--reason R]\n"
	"  vitals|allergy|problem|med|result|procedure list MRN | error ID | fields   (clinical roles;\n"
	"      changes take --expect-version N, refused when the item changed since)\n"
	"  drg group [--tables DIR] < claims.tsv   MS-DRG v43 grouping (no database or sign-in;\n"
	"      tables from DIR or $FOLIO_CODESETS)\n"
	"\n"
	"The database is --db, else $FOLIO_DB, else $XDG_DATA_HOME/folio/folio.db.\n"
	"Passwords come from $FOLIO_PASSWORD, --password-file, or the terminal;\n"
	"a new password from $FOLIO_NEW_PASSWORD or the terminal.\n"
	"Exit codes: 0 done, 1 failed, 2 usage, 3 denied, 4 not found.\n";

int cli_fail(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("folio: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int cli_report(const struct cli *c, int status)
{
	if (status == FOLIO_OK)
		return 0;
	return cli_fail(err_exit_code(status), "%s", c->err.msg[0] ? c->err.msg : "failed");
}

const char *cli_opt(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] != '\0')
		return NULL;
	if (*i + 1 >= argc)
		return NULL;
	*i += 1;
	return argv[*i];
}

int cli_copy_all(const struct cli_copy *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (f[i].v && str_copy(f[i].dst, f[i].cap, f[i].v) != 0)
			return cli_fail(2, "%s is too long (at most %zu bytes)", f[i].opt, f[i].cap - 1);
	return 0;
}

void cli_tsv(const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *f = fields[i] ? fields[i] : "";
		if (i)
			putchar('\t');
		for (; *f; f++)
			putchar((*f == '\t' || *f == '\n' || *f == '\r') ? ' ' : *f);
	}
	putchar('\n');
}

int cli_sign_in(struct cli *c)
{
	char *pw;
	size_t len;
	int rc;

	if (!c->user)
		return cli_fail(2, "this command runs as a user: give --user NAME");
	if ((rc = access_open(c->db, &c->st, &c->err)))
		return cli_report(c, rc);
	pw = cli_secret("Password: ", "FOLIO_PASSWORD", c->password_file, 0, &len);
	if (!pw) {
		access_close(c->st);
		c->st = NULL;
		return 2;
	}
	rc = access_login(c->st, c->user, pw, len, &c->s, &c->err);
	smem_free(pw);
	if (rc) {
		access_close(c->st);
		c->st = NULL;
		return cli_report(c, rc);
	}
	if (c->sign_code) {
		/* the code's Argon2id now, outside the signing transaction; a
		 * wrong one is refused (and audited) by the grant itself */
		struct folio_err ignored = { 0 };
		(void)access_sign_prepare(c->s, c->sign_code, c->sign_codelen, &ignored);
	}
	return 0;
}

int cli_grant_run(struct cli *c, enum action a, const char *mrn, const char *otype, const char *oid,
		  int (*fn)(struct cli *, struct grant *, void *), void *ctx)
{
	struct grant *g;
	int rc = FOLIO_OK;

	if (mrn && c->reason) {
		struct chart_flags f;
		rc = access_chart_flags(c->s, mrn, &f, &c->err);
		if (rc == FOLIO_OK && f.restricted && !f.opened)
			rc = access_break_glass(c->s, mrn, c->reason, &c->err);
		if (rc)
			return rc;
	}
	rc = access_begin(c->s, a, mrn, otype, oid, &g, &c->err);
	if (rc == FOLIO_OK)
		rc = access_end(g, fn(c, g, ctx), &c->err);
	else if (rc == FOLIO_EDENIED && mrn && strstr(c->err.msg, "restricted record"))
		snprintf(c->err.msg, sizeof c->err.msg, "restricted record: give %s TEXT to open it (the reason is audited)",
			 c->reason_opt ? c->reason_opt : "--reason");
	return rc;
}

int cli_grant(struct cli *c, enum action a, const char *mrn, const char *otype, const char *oid,
	      int (*fn)(struct cli *, struct grant *, void *), void *ctx)
{
	int rc = cli_sign_in(c);

	if (rc)
		return rc;
	rc = cli_grant_run(c, a, mrn, otype, oid, fn, ctx);
	cli_done(c);
	return cli_report(c, rc);
}

int cli_object_grant(struct cli *c, const char *kind, int64_t id, enum action a,
		     int (*fn)(struct cli *, struct grant *, void *), void *ctx)
{
	char mrn[16], oid[24];
	int rc = cli_sign_in(c);

	if (rc)
		return rc;
	snprintf(oid, sizeof oid, "%" PRId64, id);
	rc = access_object_mrn(c->s, kind, id, mrn, &c->err);
	if (rc == FOLIO_OK)
		rc = cli_grant_run(c, a, mrn, kind, oid, fn, ctx);
	cli_done(c);
	return cli_report(c, rc);
}

int cli_options(struct cli *c, int argc, char **argv, int first, const struct cli_optdef *defs)
{
	for (int i = first; i < argc; i++) {
		const struct cli_optdef *d;
		const char *v = NULL;

		for (d = defs; d && d->name; d++) {
			if (d->flag && strcmp(argv[i], d->name) == 0) {
				*d->flag = 1;
				break;
			}
			if (d->value && (v = cli_opt(argc, argv, &i, d->name))) {
				*d->value = v;
				break;
			}
		}
		if (d && d->name)
			continue;
		if ((v = cli_opt(argc, argv, &i, "--reason"))) {
			c->reason = v;
			continue;
		}
		return cli_fail(2, "unexpected argument '%s'", argv[i]);
	}
	return 0;
}

int cli_mrn(const char *mrn)
{
	if (mrn_valid(mrn) != 0)
		return cli_fail(2, "'%s' is not an MRN (8 digits with a check digit)", mrn);
	return 0;
}

int cli_id(const char *text, const char *what, int64_t *id)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno || *end || end == text || v <= 0)
		return cli_fail(2, "%s number expected, not '%s'", what, text);
	*id = (int64_t)v;
	return 0;
}

int cli_text(const char *file, char **text, size_t *len)
{
	FILE *f = file ? fopen(file, "rb") : stdin;
	size_t cap = 64 * 1024, n = 0, got;
	char *buf, *w;

	*text = NULL;
	*len = 0;
	if (!f)
		return cli_fail(2, "cannot read %s: %s", file, strerror(errno));
	if (!(buf = smem_alloc(cap + 1))) {
		if (file)
			fclose(f);
		return cli_fail(1, "out of secure memory");
	}
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			/* Grow into a new guarded block; the old one is wiped. */
			char *nb = cap > DOC_BODY_MAX ? NULL : smem_alloc(cap * 2 + 1);
			if (!nb) {
				smem_free(buf);
				if (file)
					fclose(f);
				return cli_fail(2, "the text is longer than a document may be (%d bytes)", DOC_BODY_MAX);
			}
			memcpy(nb, buf, n);
			smem_free(buf);
			buf = nb;
			cap *= 2;
		}
	}
	if (ferror(f)) {
		smem_free(buf);
		if (file)
			fclose(f);
		return cli_fail(1, "reading the text failed");
	}
	if (file)
		fclose(f);
	/* Text from Windows machines: CRLF and CR become LF. */
	w = buf;
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\r') {
			*w++ = '\n';
			if (i + 1 < n && buf[i + 1] == '\n')
				i++;
		} else {
			*w++ = buf[i];
		}
	}
	n = (size_t)(w - buf);
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

void cli_done(struct cli *c)
{
	access_logout(c->s);
	c->s = NULL;
	access_close(c->st);
	c->st = NULL;
}

static const char *default_db(char *buf, size_t cap)
{
	const char *env = getenv("FOLIO_DB");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (env && *env)
		return env;
	if (xdg && *xdg)
		snprintf(buf, cap, "%s/folio/folio.db", xdg);
	else if (home && *home)
		snprintf(buf, cap, "%s/.local/share/folio/folio.db", home);
	else
		return NULL;
	return buf;
}

static void print_version(void)
{
	printf("folio %s\nSQLite %s (journal mode: %s)\nlibsodium %s\n", FOLIO_VERSION,
	       access_sqlite_version(), access_journal_mode(), access_sodium_version());
}

static const struct {
	const char *name;
	int (*fn)(struct cli *, int, char **);
} commands[] = {
	{ "init", cmd_init },     { "demo", cmd_demo },     { "recover", cmd_recover },
	{ "user", cmd_user },     { "audit", cmd_audit },   { "config", cmd_config },
	{ "db", cmd_db },         { "backup", cmd_backup },   { "restore", cmd_restore }, { "rekey", cmd_rekey },
	{ "patient", cmd_patient },
	{ "checkin", cmd_checkin }, { "checkins", cmd_checkins }, { "chart", cmd_chart },
	{ "alerts", cmd_alerts }, { "encounter", cmd_encounter }, { "note", cmd_note },
	{ "vitals", cmd_clinical }, { "allergy", cmd_clinical }, { "problem", cmd_clinical },
	{ "med", cmd_clinical },  { "result", cmd_clinical }, { "procedure", cmd_clinical },
	{ "coding", cmd_coding }, { "drg", cmd_drg },
	{ "codes", cmd_codes },   { "query", cmd_query },
	{ "check", cmd_check },   { "queue", cmd_queue },   { "deficiency", cmd_deficiency },
	{ "disclosures", cmd_disclosures }, { "disclosure", cmd_disclosure }, { "accounting", cmd_accounting },
	{ "report", cmd_report },
	{ "export", cmd_export }, { "roi", cmd_roi }, { "dup", cmd_dup }, { "merge", cmd_merge }, { "unseal", cmd_unseal },
	{ "import", cmd_import },
};

int cli_main(int argc, char **argv, int (*ui)(const char *db_path))
{
	struct cli c;
	char dbbuf[4096];
	const char *v;
	int i;

	memset(&c, 0, sizeof c);
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--version") == 0) {
			print_version();
			return 0;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage_text, stdout);
			return 0;
		} else if ((v = cli_opt(argc, argv, &i, "--db"))) {
			c.db = v;
		} else if ((v = cli_opt(argc, argv, &i, "--user"))) {
			c.user = v;
		} else if ((v = cli_opt(argc, argv, &i, "--password-file"))) {
			c.password_file = v;
		} else {
			fprintf(stderr, "folio: unknown or incomplete option '%s'\n%s", argv[i], usage_text);
			return 2;
		}
	}
	/* `drg group` is a pure engine and `unseal` the recipient's tool: they
	 * run where no database can be */
	if (!c.db && !(i < argc && (strcmp(argv[i], "drg") == 0 || strcmp(argv[i], "unseal") == 0)) &&
	    !(c.db = default_db(dbbuf, sizeof dbbuf)))
		return cli_fail(2, "no database: give --db PATH or set FOLIO_DB");
	if (i == argc)
		return ui(c.db);
	for (size_t k = 0; k < ARRAY_SIZE(commands); k++)
		if (strcmp(argv[i], commands[k].name) == 0)
			return commands[k].fn(&c, argc - i, argv + i);
	fprintf(stderr, "folio: unknown command '%s'\n%s", argv[i], usage_text);
	return 2;
}
