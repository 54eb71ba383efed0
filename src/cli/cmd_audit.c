/* folio — audit verify | head | show. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "folio/audit.h"

static int audit_grant(struct cli *c, enum action a, struct grant **g)
{
	int rc = cli_sign_in(c);

	if (rc)
		return rc;
	if ((rc = access_begin(c->s, a, NULL, NULL, NULL, g, &c->err))) {
		cli_done(c);
		return cli_report(c, rc);
	}
	return 0;
}

static int audit_finish(struct cli *c, struct grant *g, int rc)
{
	rc = access_end(g, rc, &c->err);
	cli_done(c);
	return cli_report(c, rc);
}

static int print_row(const struct audit_row *r, void *ctx)
{
	char seq[24];

	(void)ctx;
	snprintf(seq, sizeof seq, "%" PRId64, r->seq);
	cli_tsv((const char *[]){ seq, r->at, r->user, r->role, r->workstation, r->action, r->outcome,
				  r->mrn, r->object_type, r->object_id, r->reason }, 11);
	return 0;
}

static int audit_cmd_show(struct cli *c, int argc, char **argv)
{
	struct audit_filter f = { 0 };
	struct grant *g;
	const char *v;
	int rc;

	for (int i = 2; i < argc; i++) {
		if ((v = cli_opt(argc, argv, &i, "--user")))
			f.user = v;
		else if ((v = cli_opt(argc, argv, &i, "--patient")))
			f.mrn = v;
		else if ((v = cli_opt(argc, argv, &i, "--action")))
			f.action = v;
		else if ((v = cli_opt(argc, argv, &i, "--since")))
			f.since = v;
		else if ((v = cli_opt(argc, argv, &i, "--until")))
			f.until = v;
		else if ((v = cli_opt(argc, argv, &i, "--limit"))) {
			char *end;
			errno = 0;
			f.limit = strtoll(v, &end, 10);
			if (errno || *end || end == v || f.limit <= 0)
				return cli_fail(2, "--limit takes a positive whole number");
		} else
			return cli_fail(2, "usage: folio audit show [--user U] [--patient MRN] [--action A]"
					   " [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--limit N]");
	}
	if ((rc = audit_grant(c, ACT_AUDIT_SHOW, &g)))
		return rc;
	cli_tsv((const char *[]){ "seq", "at", "user", "role", "workstation", "action", "outcome", "mrn",
				  "object_type", "object_id", "reason" }, 11);
	rc = audit_show(g, &f, print_row, NULL, &c->err);
	return audit_finish(c, g, rc);
}

int cmd_audit(struct cli *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	struct grant *g;
	int rc;

	if (strcmp(sub, "verify") == 0) {
		const char *head = NULL, *v;
		struct audit_report r;

		for (int i = 2; i < argc; i++) {
			if ((v = cli_opt(argc, argv, &i, "--head")))
				head = v;
			else
				return cli_fail(2, "usage: folio audit verify [--head SEQ:HASH]");
		}
		if ((rc = audit_grant(c, ACT_AUDIT_VERIFY, &g)))
			return rc;
		rc = audit_verify(g, head, &r, &c->err);
		if (rc == FOLIO_OK)
			printf("audit chain ok: %" PRId64 " entries, head %" PRId64 ":%s\n", r.rows, r.head_seq,
			       r.head_hex);
		else if (r.bad_seq)
			printf("audit chain BROKEN at row %" PRId64 ": %s (%" PRId64 " rows checked)\n",
			       r.bad_seq, r.problem, r.rows);
		/* The verification is itself audited, whatever it found. */
		return audit_finish(c, g, rc);
	}
	if (strcmp(sub, "head") == 0 && argc == 2) {
		int64_t seq;
		char hex[65];

		if ((rc = audit_grant(c, ACT_AUDIT_HEAD, &g)))
			return rc;
		rc = audit_head(g, &seq, hex, &c->err);
		if (rc == FOLIO_OK)
			printf("%" PRId64 ":%s\n", seq, hex);
		return audit_finish(c, g, rc);
	}
	if (strcmp(sub, "show") == 0)
		return audit_cmd_show(c, argc, argv);
	return cli_fail(2, "usage: folio audit verify [--head SEQ:HASH] | head | show [filters]");
}
