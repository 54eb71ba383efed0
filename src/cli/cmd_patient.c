/* folio — patient add|find|show|edit|restrict|unrestrict|link|unlink,
 * checkin, checkins, chart, alerts. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "folio/date.h"
#include "folio/patient.h"
#include "folio/smem.h"

#define FIND_MAX 50

static const char find_usage[] = "usage: folio patient find QUERY | --all";

static void print_hits(const struct patient_hit *h, size_t n)
{
	cli_tsv((const char *[]){ "mrn", "last", "first", "dob", "sex", "last4" }, 6);
	for (size_t i = 0; i < n; i++)
		cli_tsv((const char *[]){ h[i].mrn, h[i].last, h[i].first, h[i].dob, h[i].sex, h[i].last4 }, 6);
}

/* --FIELD VALUE options into p; returns the index of the first argument it
 * did not take, or -1 after printing why. */
struct add_opts {
	int force;
	int test;
};

static int parse_fields(struct cli *c, int argc, char **argv, int first, struct patient *p,
			struct add_opts *o)
{
	for (int i = first; i < argc; i++) {
		const char *a = argv[i];
		int f;

		if (strcmp(a, "--force") == 0 && o) {
			o->force = 1;
			continue;
		}
		if (strcmp(a, "--test") == 0 && o) {
			o->test = 1;
			continue;
		}
		if (strncmp(a, "--reason", 8) == 0 && (a[8] == '\0' || a[8] == '=')) {
			if (!(c->reason = cli_opt(argc, argv, &i, "--reason")))
				return cli_fail(2, "--reason needs a text"), -1;
			continue;
		}
		if (strncmp(a, "--", 2) != 0)
			return cli_fail(2, "unexpected argument '%s'", a), -1;
		{
			char name[40];
			size_t n = strcspn(a + 2, "=");
			const char *v;
			if (n >= sizeof name)
				return cli_fail(2, "unknown option '%s'", a), -1;
			memcpy(name, a + 2, n);
			name[n] = '\0';
			if ((f = patient_field_parse(name)) < 0)
				return cli_fail(2, "unknown field '--%s' (see 'folio patient fields')", name), -1;
			if (!(v = cli_opt(argc, argv, &i, a[2 + n] == '=' ? a : a)))
				return cli_fail(2, "--%s needs a value", name), -1;
			if (a[2 + n] == '=')
				v = a + 3 + n;
			if (patient_set(p, (enum patient_field)f, v, &c->err) != FOLIO_OK)
				return cli_fail(2, "%s", c->err.msg), -1;
		}
	}
	return 0;
}

struct add_ctx {
	struct patient *p;
	struct add_opts o;
	int duplicates;
};

static int do_add(struct cli *c, struct grant *g, void *ctx)
{
	struct add_ctx *a = ctx;
	struct patient_hit *h = patient_hits_new(FIND_MAX);
	size_t n = 0;
	int rc;

	if (!h)
		return FOLIO_EFAIL;
	rc = patient_duplicates(g, a->p, h, FIND_MAX, &n, &c->err);
	if (rc == FOLIO_OK && n > 0 && !a->o.force) {
		print_hits(h, n);
		a->duplicates = (int)n;
		rc = err_set(&c->err, FOLIO_EFAIL,
			     "%zu likely existing patient%s (listed): nothing saved; check them, or add --force",
			     n, n == 1 ? "" : "s");
	} else if (rc == FOLIO_OK) {
		a->p->test = a->o.test;
		rc = patient_register(g, a->p, &c->err);
	}
	patient_hits_free(h, FIND_MAX);
	return rc;
}

static int patient_add(struct cli *c, int argc, char **argv)
{
	struct add_ctx a = { patient_new(), { 0, 0 }, 0 };
	char warn[12][120];
	int rc, nw;

	if (!a.p)
		return cli_fail(1, "out of secure memory");
	if (parse_fields(c, argc, argv, 2, a.p, &a.o) != 0) {
		patient_free(a.p);
		return 2;
	}
	if (!a.p->v[PF_LAST][0]) {
		patient_free(a.p);
		return cli_fail(2, "usage: folio patient add --last L [--first F] [--dob D] [--sex F|M|X|U]"
				   " [--ssn N] [--phone N] [--address TEXT] [--FIELD VALUE ...] [--force]");
	}
	nw = patient_check(a.p, warn, 12);
	rc = cli_grant(c, ACT_PATIENT_ADD, NULL, "patient", NULL, do_add, &a);
	if (rc == 0) {
		printf("%s\n", a.p->mrn);
		for (int i = 0; i < nw; i++)
			fprintf(stderr, "folio: warning: %s\n", warn[i]);
	}
	patient_free(a.p);
	return rc;
}

/* Lookups and reads print only after their grant has committed: no one
 * sees a record whose reading was not audited. */
struct find_ctx {
	const char *query;
	struct patient_hit *hits;
	size_t n, total;
};

static int do_find(struct cli *c, struct grant *g, void *ctx)
{
	struct find_ctx *f = ctx;
	int rc = patient_find(g, f->query, f->hits, FIND_MAX, &f->n, &f->total, &c->err);

	if (rc == FOLIO_OK && f->total == 0)
		rc = err_set(&c->err, FOLIO_ENOTFOUND, "no patient matches");
	return rc;
}

static int patient_find_cmd(struct cli *c, const char *query)
{
	struct find_ctx f = { query, patient_hits_new(FIND_MAX), 0, 0 };
	int rc;

	if (!f.hits)
		return cli_fail(1, "out of secure memory");
	rc = cli_grant(c, ACT_PATIENT_FIND, NULL, "query", NULL, do_find, &f);
	if (rc == 0) {
		print_hits(f.hits, f.n);
		if (f.total > f.n)
			fprintf(stderr, "folio: %zu matches; the best %zu are shown: type more of the name\n",
				f.total, f.n);
	}
	patient_hits_free(f.hits, FIND_MAX);
	return rc;
}

struct all_ctx {
	struct patient_hit *hits;
	size_t n;
};

static int do_find_all(struct cli *c, struct grant *g, void *ctx)
{
	struct all_ctx *a = ctx;

	return patient_find_all(g, &a->hits, &a->n, &c->err);
}

/* Every patient as TSV with a header, printed once the grant committed. */
static int patient_find_all_cmd(struct cli *c)
{
	struct all_ctx a = { NULL, 0 };
	int rc = cli_grant(c, ACT_PATIENT_FIND, NULL, "query", "all", do_find_all, &a);

	if (rc == 0) {
		printf("mrn\tlast\tfirst\tmiddle\tdob\tsex\tlast4\trestricted\ttest\n");
		for (size_t i = 0; i < a.n; i++) {
			const struct patient_hit *h = &a.hits[i];
			printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\n", h->mrn, h->last, h->first, h->middle, h->dob,
			       h->sex, h->last4, h->restricted, h->test);
		}
	}
	if (a.hits)
		patient_hits_free(a.hits, a.n ? a.n : 1);
	return rc;
}

static int do_show(struct cli *c, struct grant *g, void *ctx)
{
	return patient_load(g, ctx, &c->err);
}

static int patient_show_cmd(struct cli *c, const char *mrn)
{
	struct patient *p = patient_new();
	int rc;

	if (!p)
		return cli_fail(1, "out of secure memory");
	rc = cli_grant(c, ACT_PATIENT_VIEW, mrn, "patient", mrn, do_show, p);
	if (rc == 0) {
		cli_tsv((const char *[]){ "mrn", p->mrn }, 2);
		for (int f = 0; f < PF_COUNT; f++)
			cli_tsv((const char *[]){ patient_field_name((enum patient_field)f), p->v[f] }, 2);
		cli_tsv((const char *[]){ "restricted", p->restricted ? "yes" : "no" }, 2);
		cli_tsv((const char *[]){ "test", p->test ? "yes" : "no" }, 2);
	}
	patient_free(p);
	return rc;
}

struct edit_ctx {
	int argc;
	char **argv;
};

static int do_edit(struct cli *c, struct grant *g, void *ctx)
{
	struct edit_ctx *x = ctx;
	struct patient *p = patient_new();
	int rc;

	if (!p)
		return FOLIO_EFAIL;
	rc = patient_load(g, p, &c->err);
	/* The changes apply to the record as loaded inside this grant, so a
	 * concurrent edit is refused by its row version, never overwritten. */
	if (rc == FOLIO_OK && parse_fields(c, x->argc, x->argv, 3, p, NULL) != 0)
		rc = FOLIO_EUSAGE;
	if (rc == FOLIO_OK)
		rc = patient_update(g, p, &c->err);
	patient_free(p);
	return rc;
}

static int do_restrict(struct cli *c, struct grant *g, void *ctx)
{
	return patient_restrict(g, *(int *)ctx, &c->err);
}

struct link_ctx {
	const char *mrn, *user;
};

static int do_link(struct cli *c, struct grant *g, void *ctx)
{
	struct link_ctx *l = ctx;
	return patient_link_staff(g, l->mrn, l->user, &c->err);
}


/* Takes "--reason R" anywhere after the MRN (index 3 on). */
static int reason_only(struct cli *c, int argc, char **argv, int first)
{
	for (int i = first; i < argc; i++) {
		const char *v = cli_opt(argc, argv, &i, "--reason");
		if (!v)
			return cli_fail(2, "unexpected argument '%s'", argv[i]);
		c->reason = v;
	}
	return 0;
}

int cmd_patient(struct cli *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	const char *mrn = argc > 2 ? argv[2] : "";

	if (strcmp(sub, "add") == 0)
		return patient_add(c, argc, argv);
	if (strcmp(sub, "fields") == 0) {
		cli_tsv((const char *[]){ "field", "label", "max", "help" }, 4);
		for (int f = 0; f < PF_COUNT; f++) {
			char max[16];
			snprintf(max, sizeof max, "%zu", patient_field_max((enum patient_field)f));
			cli_tsv((const char *[]){ patient_field_name((enum patient_field)f),
						  patient_field_label((enum patient_field)f), max,
						  patient_field_help((enum patient_field)f) }, 4);
		}
		return 0;
	}
	if (strcmp(sub, "find") == 0) {
		if (argc != 3)
			return cli_fail(2, "%s", find_usage);
		if (strcmp(argv[2], "--all") == 0)
			return patient_find_all_cmd(c);
		return patient_find_cmd(c, argv[2]);
	}
	if (argc < 3)
		return cli_fail(2, "usage: folio patient add|find|show|edit|restrict|unrestrict|link|unlink|fields ...");
	if (cli_mrn(mrn))
		return 2;
	if (strcmp(sub, "show") == 0) {
		if (reason_only(c, argc, argv, 3))
			return 2;
		return patient_show_cmd(c, mrn);
	}
	if (strcmp(sub, "edit") == 0) {
		struct edit_ctx x = { argc, argv };
		if (argc < 4)
			return cli_fail(2, "usage: folio patient edit MRN --FIELD VALUE ... [--reason R]");
		for (int i = 3; i < argc; i++)
			if (strcmp(argv[i], "--reason") == 0 && i + 1 < argc)
				c->reason = argv[i + 1];
		return cli_grant(c, ACT_PATIENT_EDIT, mrn, "patient", mrn, do_edit, &x);
	}
	if (strcmp(sub, "restrict") == 0 || strcmp(sub, "unrestrict") == 0) {
		int on = sub[0] == 'r';
		if (reason_only(c, argc, argv, 3))
			return 2;
		/* Lifting a restriction opens the chart like any other
		 * action on it: a reason first. */
		return cli_grant(c, ACT_PATIENT_RESTRICT, mrn, "patient", mrn, do_restrict, &on);
	}
	if (strcmp(sub, "link") == 0 || strcmp(sub, "unlink") == 0) {
		struct link_ctx l = { mrn, NULL };
		if (sub[0] == 'l') {
			int i = 3;
			if (argc != 5 || !(l.user = cli_opt(argc, argv, &i, "--user")))
				return cli_fail(2, "usage: folio patient link MRN --user NAME");
		} else if (argc != 3) {
			return cli_fail(2, "usage: folio patient unlink MRN");
		}
		return cli_grant(c, ACT_USER_LINK, NULL, "patient", mrn, do_link, &l);
	}
	return cli_fail(2, "usage: folio patient add|find|show|edit|restrict|unrestrict|link|unlink|fields ...");
}

struct checkin_ctx {
	const char *clinic, *reason;
	int64_t id;
};

static int do_checkin(struct cli *c, struct grant *g, void *ctx)
{
	struct checkin_ctx *k = ctx;
	return patient_checkin(g, k->clinic, k->reason, &k->id, &c->err);
}

int cmd_checkin(struct cli *c, int argc, char **argv)
{
	struct checkin_ctx k = { "", "", 0 };
	const char *v;
	int rc;

	if (argc < 2 || cli_mrn(argv[1]))
		return argc < 2 ? cli_fail(2, "usage: folio checkin MRN [--clinic C] [--visit-reason R]") : 2;
	for (int i = 2; i < argc; i++) {
		if ((v = cli_opt(argc, argv, &i, "--clinic")))
			k.clinic = v;
		else if ((v = cli_opt(argc, argv, &i, "--visit-reason")))
			k.reason = v;
		else if ((v = cli_opt(argc, argv, &i, "--reason")))
			c->reason = v;
		else
			return cli_fail(2, "usage: folio checkin MRN [--clinic C] [--visit-reason R] [--reason R]");
	}
	rc = cli_grant(c, ACT_CHECKIN, argv[1], "encounter", NULL, do_checkin, &k);
	if (rc == 0)
		printf("%" PRId64 "\n", k.id);
	return rc;
}

static int do_checkins(struct cli *c, struct grant *g, void *ctx)
{
	struct checkin *rows = checkins_new(1000);
	size_t n = 0;
	int rc;

	if (!rows)
		return FOLIO_EFAIL;
	rc = patient_checkins(g, ctx, rows, 1000, &n, &c->err);
	if (rc == FOLIO_OK) {
		cli_tsv((const char *[]){ "time", "mrn", "last", "first", "clinic", "visit_reason", "by" }, 7);
		for (size_t i = 0; i < n; i++)
			cli_tsv((const char *[]){ rows[i].at, rows[i].mrn, rows[i].last, rows[i].first,
						  rows[i].clinic, rows[i].reason, rows[i].by }, 7);
	}
	checkins_free(rows, 1000);
	return rc;
}

int cmd_checkins(struct cli *c, int argc, char **argv)
{
	char day[11];
	const char *v = "T";

	for (int i = 1; i < argc; i++)
		if (!(v = cli_opt(argc, argv, &i, "--date")))
			return cli_fail(2, "usage: folio checkins [--date D]");
	if (date_parse(v, date_today(), day, &c->err) != FOLIO_OK)
		return cli_fail(2, "%s", c->err.msg);
	return cli_grant(c, ACT_CHECKIN_LIST, NULL, "day", day, do_checkins, day);
}

static int print_encounter(const struct encounter_row *r, void *ctx)
{
	char id[24];

	(void)ctx;
	snprintf(id, sizeof id, "%" PRId64, r->id);
	cli_tsv((const char *[]){ id, r->kind, r->state, r->at, r->clinic, r->reason }, 6);
	return 0;
}

static int do_chart(struct cli *c, struct grant *g, void *ctx)
{
	(void)ctx;
	cli_tsv((const char *[]){ "encounter", "kind", "state", "started", "clinic", "visit_reason" }, 6);
	return patient_encounters(g, print_encounter, NULL, &c->err);
}

int cmd_chart(struct cli *c, int argc, char **argv)
{
	if (argc >= 2 && cmd_tracking_is(argv[1]))
		return cmd_tracking(c, argc, argv); /* paper chart tracking */
	if (argc < 2 || cli_mrn(argv[1]))
		return argc < 2 ? cli_fail(2, "usage: folio chart MRN [--reason R]  (or chart out|in|request|"
					      "pull-list|overdue|where|history|missing|found|volumes)") : 2;
	if (reason_only(c, argc, argv, 2))
		return 2;
	return cli_grant(c, ACT_CHART_VIEW, argv[1], "chart", argv[1], do_chart, NULL);
}

static int print_alert(const struct alert *a, void *ctx)
{
	char id[24];

	(void)ctx;
	snprintf(id, sizeof id, "%" PRId64, a->id);
	cli_tsv((const char *[]){ id, a->at, a->user, a->mrn, a->reason, a->reviewed_by }, 6);
	return 0;
}

static int do_alerts(struct cli *c, struct grant *g, void *ctx)
{
	cli_tsv((const char *[]){ "id", "at", "user", "mrn", "reason", "reviewed_by" }, 6);
	return alerts_list(g, *(int *)ctx, print_alert, NULL, &c->err);
}

static int do_review(struct cli *c, struct grant *g, void *ctx)
{
	return alert_review(g, *(int64_t *)ctx, &c->err);
}

int cmd_alerts(struct cli *c, int argc, char **argv)
{
	int all = argc == 2 && strcmp(argv[1], "--all") == 0;

	if (argc == 1 || all)
		return cli_grant(c, ACT_ALERT_REVIEW, NULL, NULL, NULL, do_alerts, &all);
	if (argc == 3 && strcmp(argv[1], "review") == 0) {
		char *end;
		int64_t id;
		errno = 0;
		id = strtoll(argv[2], &end, 10);
		if (errno || *end || end == argv[2] || id <= 0)
			return cli_fail(2, "usage: folio alerts review ID");
		return cli_grant(c, ACT_ALERT_REVIEW, NULL, "alert", argv[2], do_review, &id);
	}
	return cli_fail(2, "usage: folio alerts [--all] | alerts review ID");
}
