/* folio — `import hl7 FILE... [--ack-dir DIR] [--attending USER]`: HL7 v2
 * ADT and ORU^R01 messages into the chart (include/folio/import_hl7.h),
 * one grant per message so each is applied whole or not at all, an
 * acknowledgement per message (AA, AE, AR) as an MLLP peer would get, and
 * a summary on stderr per file and in total.  Exit 0 when every message
 * was applied (or had been), 1 when any was refused or rejected. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli_internal.h"
#include "folio/hl7.h"
#include "folio/import.h"
#include "folio/import_hl7.h"
#include "folio/smem.h"

#define FILE_MAX (64L * 1024 * 1024)
#define REASONS_MAX 48
#define PLAN_TRIES 3

static const char usage[] = "usage: folio import hl7 FILE... [--ack-dir DIR] [--attending USER]\n"
			    "  --ack-dir DIR      write each message's acknowledgement to DIR/STEM.N.ack\n"
			    "  --attending USER   the physician for admissions whose PV1-7 names no folio"
			    " physician\n";

struct tally {
	long read, applied, already, refused, rejected;
	struct {
		char code[3], reason[HL7_REASON_MAX];
		long n;
	} r[REASONS_MAX];
	size_t nr;
};

struct run {
	struct cli *c;
	const char *ack_dir, *path;
	char stem[256];
	struct import_hl7_opts op;
	struct tally file, total;
	int64_t run_id;
	const struct hl7_msg *m;
	struct hl7_outcome o;
	int ack_failed;
};

static void count(struct tally *t, const struct hl7_outcome *o)
{
	size_t i;

	t->read++;
	if (!strcmp(o->code, "AA"))
		*(!strcmp(o->reason, "already applied") ? &t->already : &t->applied) += 1;
	else if (!strcmp(o->code, "AE"))
		t->refused++;
	else
		t->rejected++;
	for (i = 0; i < t->nr; i++)
		if (!strcmp(t->r[i].code, o->code) && !strcmp(t->r[i].reason, o->reason))
			break;
	if (i == t->nr) {
		if (t->nr == REASONS_MAX)
			return;
		t->nr++;
		str_copy(t->r[i].code, sizeof t->r[i].code, o->code);
		str_copy(t->r[i].reason, sizeof t->r[i].reason, o->reason);
	}
	t->r[i].n++;
}

static void tally_print(const char *what, const struct tally *t)
{
	fprintf(stderr, "%s: %ld message%s: %ld applied, %ld already applied, %ld refused (AE), %ld rejected (AR)\n",
		what, t->read, t->read == 1 ? "" : "s", t->applied, t->already, t->refused, t->rejected);
	for (size_t i = 0; i < t->nr; i++)
		if (strcmp(t->r[i].reason, "applied") != 0)
			fprintf(stderr, "  %s %ld  %s\n", t->r[i].code, t->r[i].n, t->r[i].reason);
}

static void write_ack(struct run *r, const struct hl7_msg *m, int number)
{
	char path[1024], ack[1024], now[24], stamp[16];
	size_t k = 0;
	FILE *f;
	int n;

	if (!r->ack_dir)
		return;
	time_utc_now(now, sizeof now);
	for (const char *p = now; *p && k < 14; p++)
		if (*p >= '0' && *p <= '9')
			stamp[k++] = *p;
	stamp[k] = '\0';
	if ((n = hl7_ack(m, r->o.code, r->o.text, stamp, ack, sizeof ack)) < 0 ||
	    snprintf(path, sizeof path, "%s/%s.%d.ack", r->ack_dir, r->stem, number) >= (int)sizeof path ||
	    !(f = fopen(path, "wb"))) {
		r->ack_failed = 1;
		return;
	}
	if (fwrite(ack, 1, (size_t)n, f) != (size_t)n)
		r->ack_failed = 1;
	if (fclose(f))
		r->ack_failed = 1;
}

static int plan_fn(struct cli *c, struct grant *g, void *ctx)
{
	struct run *r = ctx;

	/* the plan changes nothing: a decided message (r->o set) commits too */
	import_hl7_plan(g, r->m, &r->o, &c->err);
	return FOLIO_OK;
}

static int apply_fn(struct cli *c, struct grant *g, void *ctx)
{
	struct run *r = ctx;

	return import_hl7_apply(g, r->m, &r->op, &r->o, &c->err);
}

/* An A40 is applied under merge.approve on the surviving chart when the
 * importer may approve merges (it merges, audited as a merge); under
 * import.run otherwise (it queues the verified pair). */
static enum action apply_action(const struct run *r)
{
	return !strcmp(r->o.event, "A40") && access_may(r->c->s, ACT_MERGE_APPROVE) ? ACT_MERGE_APPROVE
										    : ACT_IMPORT_RUN;
}

/* Plans then applies m, planning again when the chart moved meanwhile. */
static void one(struct run *r)
{
	char oid[300], event[8];
	int rc = FOLIO_OK;

	snprintf(oid, sizeof oid, "%s#%d", r->stem, r->m->number);
	for (int t = 0; t < PLAN_TRIES; t++) {
		str_copy(event, sizeof event, r->o.event);
		memset(&r->o, 0, sizeof r->o);
		str_copy(r->o.event, sizeof r->o.event, event);
		/* the plan changes nothing; a decided message ends it there */
		rc = cli_grant_run(r->c, ACT_IMPORT_RUN, NULL, "hl7", oid, plan_fn, r);
		if (rc == FOLIO_OK && r->o.code[0])
			return;
		if (rc)
			break;
		rc = cli_grant_run(r->c, apply_action(r), r->o.mrn, "hl7", oid, apply_fn, r);
		if (rc != FOLIO_ESTALE)
			break;
	}
	if (rc == FOLIO_OK && r->o.code[0])
		return;
	str_copy(r->o.code, sizeof r->o.code, "AE");
	str_copy(r->o.text, sizeof r->o.text, r->c->err.msg[0] ? r->c->err.msg : "refused");
	if (rc == FOLIO_EDENIED && strstr(r->o.text, "restricted record"))
		str_copy(r->o.text, sizeof r->o.text, "restricted record: not imported; a person who may open the"
						      " chart enters it");
	str_copy(r->o.reason, sizeof r->o.reason, rc == FOLIO_EUSAGE || rc == FOLIO_EDENIED ? r->o.text
												 : "internal error");
}

static int on_message(const struct hl7_msg *m, void *ctx)
{
	struct run *r = ctx;

	r->m = m;
	r->c->err.msg[0] = '\0';
	if (!import_hl7_screen(m, &r->o))
		one(r);
	count(&r->file, &r->o);
	count(&r->total, &r->o);
	if (strcmp(r->o.code, "AA") != 0)
		fprintf(stderr, "%s: message %d (line %d): %s %s\n", r->path, m->number, m->line, r->o.code, r->o.text);
	write_ack(r, m, m->number);
	return 0;
}

/* The file whole, in guarded memory (it holds patient data). */
static int read_file(const char *path, char **buf, size_t *len, char *why, size_t cap)
{
	FILE *f = fopen(path, "rb");
	long size;

	*buf = NULL;
	*len = 0;
	if (!f) {
		snprintf(why, cap, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		snprintf(why, cap, "%s: not a regular file", path);
		return -1;
	}
	if (size > FILE_MAX) {
		fclose(f);
		snprintf(why, cap, "the file is larger than %ld MiB", FILE_MAX >> 20);
		return 1;
	}
	if (!(*buf = smem_alloc((size_t)size + 1))) {
		fclose(f);
		snprintf(why, cap, "out of secure memory");
		return 1;
	}
	*len = fread(*buf, 1, (size_t)size, f);
	(*buf)[*len] = '\0';
	fclose(f);
	return 0;
}

static void stem_of(const char *path, char *out, size_t cap)
{
	const char *base = strrchr(path, '/');
	char *dot;

	str_copy(out, cap, base ? base + 1 : path);
	if ((dot = strrchr(out, '.')) && dot != out)
		*dot = '\0';
}

static void import_file(struct run *r, const char *path)
{
	char why[300];
	char *buf;
	size_t len;
	int junk = 0, n, bad;

	memset(&r->file, 0, sizeof r->file);
	r->path = path;
	stem_of(path, r->stem, sizeof r->stem);
	bad = read_file(path, &buf, &len, why, sizeof why);
	n = bad ? 0 : hl7_split(buf, len, on_message, r, &junk);
	smem_free(buf);
	if (n == 0) {
		memset(&r->o, 0, sizeof r->o);
		str_copy(r->o.code, sizeof r->o.code, "AR");
		str_copy(r->o.text, sizeof r->o.text, bad ? why : "no HL7 message in the file");
		str_copy(r->o.reason, sizeof r->o.reason, bad ? why : "no HL7 message in the file");
		count(&r->file, &r->o);
		count(&r->total, &r->o);
		fprintf(stderr, "%s: AR %s\n", path, r->o.text);
		write_ack(r, NULL, 1);
	}
	tally_print(path, &r->file);
	if (junk && n)
		fprintf(stderr, "  %d line%s that were not segments skipped\n", junk, junk == 1 ? "" : "s");
}

static int run_begin_fn(struct cli *c, struct grant *g, void *ctx)
{
	return import_run_begin(g, "hl7", &((struct run *)ctx)->run_id, &c->err);
}

static int run_end_fn(struct cli *c, struct grant *g, void *ctx)
{
	struct run *r = ctx;
	char summary[1024] = "";
	size_t k = 0;

	for (size_t i = 0; i < r->total.nr && k < sizeof summary; i++)
		k += (size_t)snprintf(summary + k, sizeof summary - k, "%s%s %ld %s", i ? "; " : "", r->total.r[i].code,
				      r->total.r[i].n, r->total.r[i].reason);
	return import_run_end(g, r->run_id, r->total.read, r->total.applied,
				  r->total.read - r->total.applied - r->total.already, summary, &c->err);
}

int cmd_import_hl7(struct cli *c, int argc, char **argv)
{
	static struct run r;
	const char *files[256], *v;
	size_t nfiles = 0;
	int rc;

	memset(&r, 0, sizeof r);
	r.c = c;
	for (int i = 1; i < argc; i++) {
		if ((v = cli_opt(argc, argv, &i, "--ack-dir")))
			r.ack_dir = v;
		else if ((v = cli_opt(argc, argv, &i, "--attending")))
			r.op.attending = v;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "help")) {
			fputs(usage, stdout);
			return 0;
		} else if (argv[i][0] == '-' && argv[i][1])
			return cli_fail(2, "unknown option %s\n%s", argv[i], usage);
		else if (nfiles == sizeof files / sizeof files[0])
			return cli_fail(2, "at most %zu files at a time", nfiles);
		else
			files[nfiles++] = argv[i];
	}
	if (!nfiles)
		return cli_fail(2, "no file given\n%s", usage);
	for (size_t i = 0; i < nfiles; i++) {
		FILE *f = fopen(files[i], "rb");
		if (!f)
			return cli_fail(2, "cannot read %s: %s", files[i], strerror(errno));
		fclose(f);
	}
	if (r.ack_dir) {
		FILE *f;
		char probe[1024];
		snprintf(probe, sizeof probe, "%s/.folio-ack-probe", r.ack_dir);
		if (!(f = fopen(probe, "wb")))
			return cli_fail(2, "cannot write acknowledgements in %s: %s", r.ack_dir, strerror(errno));
		fclose(f);
		remove(probe);
	}
	if ((rc = cli_sign_in(c)))
		return rc;
	if ((rc = cli_grant_run(c, ACT_IMPORT_RUN, NULL, "import", "hl7", run_begin_fn, &r))) {
		cli_done(c);
		return cli_report(c, rc);
	}
	for (size_t i = 0; i < nfiles; i++)
		import_file(&r, files[i]);
	c->err.msg[0] = '\0';
	rc = cli_grant_run(c, ACT_IMPORT_RUN, NULL, "import", "hl7", run_end_fn, &r);
	cli_done(c);
	if (nfiles > 1)
		tally_print("total", &r.total);
	if (r.ack_failed)
		fprintf(stderr, "folio: some acknowledgements could not be written in %s\n", r.ack_dir);
	if (rc)
		return cli_report(c, rc);
	return r.total.refused || r.total.rejected || r.ack_failed ? 1 : 0;
}
