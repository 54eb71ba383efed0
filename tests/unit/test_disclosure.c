/* folio — unit tests of the disclosure ledger and the accounting of
 * disclosures (src/core/disclosure.c) and the access report
 * (src/access/access_report.c): what an accounting lists and leaves out
 * (excluded kinds, entries over 6 years old, corrected versions), its due
 * date and the free-once-in-12-months counter, the grants each call needs,
 * the ledger's append-only triggers, its texts sealed in the file, and the
 * access report grouping one chart's audit rows. */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "folio/access_report.h"
#include "folio/date.h"
#include "folio/disclosure.h"
#include "folio/patient.h"
#include "folio/smem.h"
#include "unit_fixture.h"

struct dx {
	struct fixture *f;
	struct session *tech, *super, *doctor;
	char mrn[MRN_MAX];
};

static int setup(void **state)
{
	struct dx *x = calloc(1, sizeof *x);
	struct patient *p;
	struct folio_err e = { 0 };
	struct grant *g;
	int rc;

	if (!x || !(x->f = fixture_new_demo()) || !(p = patient_new()))
		return -1;
	x->tech = fixture_login(x->f->st, "tech", "demo-tech-pass");
	x->super = fixture_login(x->f->st, "super", "demo-super-pass");
	x->doctor = fixture_login(x->f->st, "doctor", "demo-doctor-pass");
	if (patient_set(p, PF_LAST, "Ledgerwood", &e) || patient_set(p, PF_DOB, "1950-01-02", &e))
		return -1;
	if ((rc = access_begin(x->tech, ACT_PATIENT_ADD, NULL, NULL, NULL, &g, &e)) ||
	    (rc = access_end(g, patient_register(g, p, &e), &e)))
		return -1;
	str_copy(x->mrn, MRN_MAX, p->mrn);
	patient_free(p);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct dx *x = *state;

	access_logout(x->tech);
	access_logout(x->super);
	access_logout(x->doctor);
	fixture_free(x->f);
	free(x);
	return 0;
}

static struct grant *begin(struct session *s, enum action a, const char *mrn)
{
	struct folio_err e = { 0 };
	struct grant *g = NULL;

	assert_int_equal(access_begin(s, a, mrn, NULL, NULL, &g, &e), FOLIO_OK);
	return g;
}

static void ago(int days, char out[11])
{
	date_format_days(date_today() - days, out);
}

/* Records one entry under the accounting grant; returns its id. */
static int64_t record(struct dx *x, enum disclosure_kind k, const char *to, const char *date, int64_t corrects)
{
	struct disclosure *d = smem_alloc(sizeof *d);
	struct folio_err e = { 0 };
	struct grant *g = begin(x->tech, ACT_DISCLOSURE_ACCOUNT, x->mrn);
	int64_t id = 0;
	int rc;

	assert_non_null(d);
	memset(d, 0, sizeof *d);
	d->kind = k;
	str_copy(d->recipient, sizeof d->recipient, to);
	str_copy(d->address, sizeof d->address, "4 Wharf Lane");
	str_copy(d->description, sizeof d->description, "Quexotic culture result");
	str_copy(d->purpose, sizeof d->purpose, "reporting");
	str_copy(d->date, sizeof d->date, date ? date : "");
	rc = corrects ? disclosure_correct(g, corrects, d, &id, &e) : disclosure_record(g, d, &id, &e);
	assert_int_equal(access_end(g, rc, &e), FOLIO_OK);
	assert_int_equal(rc, FOLIO_OK);
	smem_free(d);
	return id;
}

struct seen {
	int n;
	char names[8][64];
};

static int collect(const struct disclosure *d, void *ctx)
{
	struct seen *s = ctx;

	if (s->n < 8)
		str_copy(s->names[s->n++], 64, d->recipient);
	return 0;
}

static int has(const struct seen *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->names[i], name) == 0)
			return 1;
	return 0;
}

static void accounting(struct dx *x, int give, struct seen *s, struct accounting_summary *sum)
{
	struct folio_err e = { 0 };
	struct grant *g = begin(x->tech, ACT_DISCLOSURE_ACCOUNT, x->mrn);
	int rc;

	memset(s, 0, sizeof *s);
	rc = disclosure_accounting(g, NULL, collect, s, sum, &e);
	if (rc == FOLIO_OK && give)
		rc = disclosure_accounting_given(g, sum, NULL, &e);
	assert_int_equal(access_end(g, rc, &e), FOLIO_OK);
	assert_int_equal(rc, FOLIO_OK);
}

static void test_accounting(void **state)
{
	struct dx *x = *state;
	struct accounting_summary sum;
	struct seen s;
	char old[11], recent[11], due[11];
	int64_t ph;

	ago(7 * 366, old);
	ago(400, recent);
	ph = record(x, DK_PUBLIC_HEALTH, "County Health", NULL, 0);
	record(x, DK_COURT_ORDER, "Court Clerk", recent, 0);
	record(x, DK_TREATMENT, "Dr Elsewhere", NULL, 0);
	record(x, DK_AUTHORIZATION, "Insurer", NULL, 0);
	record(x, DK_RESEARCH, "Ancient Study", old, 0);
	record(x, DK_PUBLIC_HEALTH, "State Health", NULL, ph);

	accounting(x, 0, &s, &sum);
	assert_int_equal(s.n, 2);
	assert_int_equal(sum.entries, 2);
	assert_true(has(&s, "Court Clerk"));
	assert_true(has(&s, "State Health"));
	assert_false(has(&s, "County Health"));
	assert_false(has(&s, "Dr Elsewhere"));
	assert_false(has(&s, "Insurer"));
	assert_false(has(&s, "Ancient Study"));
	date_format_days(date_today() + 60, due);
	assert_string_equal(sum.due, due);
	assert_true(sum.free);
	assert_string_equal(sum.last_given, "");

	/* given once: the next within 12 months is chargeable */
	accounting(x, 1, &s, &sum);
	assert_true(sum.free);
	accounting(x, 0, &s, &sum);
	assert_false(sum.free);
	assert_int_equal(fixture_sql_int(x->f, "SELECT count(*) FROM accountings"), 1);
}

static void test_refusals(void **state)
{
	struct dx *x = *state;
	struct disclosure *d = smem_alloc(sizeof *d);
	struct folio_err e = { 0 };
	struct accounting_summary sum;
	struct grant *g;
	int64_t id = 0, first;

	assert_non_null(d);
	first = record(x, DK_LAW_ENFORCEMENT, "Precinct 9", NULL, 0);
	memset(d, 0, sizeof *d);
	d->kind = DK_RESEARCH;
	str_copy(d->recipient, sizeof d->recipient, "Lab");
	str_copy(d->description, sizeof d->description, "x");
	str_copy(d->purpose, sizeof d->purpose, "y");
	str_copy(d->date, sizeof d->date, "T+2");
	g = begin(x->tech, ACT_DISCLOSURE_ACCOUNT, x->mrn);
	assert_int_equal(disclosure_record(g, d, &id, &e), FOLIO_EUSAGE);          /* future */
	d->date[0] = '\0';
	d->purpose[0] = '\0';
	assert_int_equal(disclosure_record(g, d, &id, &e), FOLIO_EUSAGE);          /* no purpose */
	str_copy(d->purpose, sizeof d->purpose, "line\x01" "break");
	assert_int_equal(disclosure_record(g, d, &id, &e), FOLIO_EUSAGE);          /* control char */
	str_copy(d->purpose, sizeof d->purpose, "y");
	assert_int_equal(disclosure_correct(g, 99999, d, &id, &e), FOLIO_ENOTFOUND);
	assert_int_equal(disclosure_correct(g, first, d, &id, &e), FOLIO_OK);
	assert_int_equal(disclosure_correct(g, first, d, &id, &e), FOLIO_ESTALE);
	assert_int_equal(access_end(g, FOLIO_OK, &e), FOLIO_OK);

	/* a chart grant is not a ledger grant; an export grant records but
	 * does not account */
	g = begin(x->tech, ACT_CHART_VIEW, x->mrn);
	assert_int_equal(disclosure_record(g, d, &id, &e), FOLIO_EDENIED);
	assert_int_equal(disclosure_list(g, collect, NULL, &e), FOLIO_EDENIED);
	access_end(g, FOLIO_EDENIED, &e);
	g = begin(x->tech, ACT_EXPORT_RUN, x->mrn);
	d->source = DS_EXPORT;
	d->source_id = 7;
	assert_int_equal(disclosure_record(g, d, &id, &e), FOLIO_OK);
	assert_int_equal(disclosure_accounting(g, NULL, NULL, NULL, &sum, &e), FOLIO_EDENIED);
	assert_int_equal(access_end(g, FOLIO_OK, &e), FOLIO_OK);
	assert_int_equal(fixture_sql_int(x->f, "SELECT count(*) FROM disclosures WHERE source = 'export'"
					       " AND source_id = 7"), 1);
	smem_free(d);
}

/* Whether needle is in the database file or its write-ahead log. */
static int on_disk(const struct fixture *f, const char *needle)
{
	const char *sfx[] = { "", "-wal", "-journal" };
	int found = 0;

	for (size_t i = 0; i < 3; i++) {
		char path[160];
		FILE *fp;
		char *buf;
		long n;

		snprintf(path, sizeof path, "%s%s", f->path, sfx[i]);
		if (!(fp = fopen(path, "rb")))
			continue;
		fseek(fp, 0, SEEK_END);
		n = ftell(fp);
		rewind(fp);
		assert_non_null(buf = malloc((size_t)n + 1));
		assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
		fclose(fp);
		found |= fixture_bytes_contain(buf, (size_t)n, needle, strlen(needle));
		free(buf);
	}
	return found;
}

static void test_append_only_sealed(void **state)
{
	struct dx *x = *state;
	struct accounting_summary sum;
	struct seen s;

	record(x, DK_SUBPOENA, "Gravelbeard Attorneys", NULL, 0);
	accounting(x, 1, &s, &sum);
	assert_int_equal(s.n, 1);
	assert_int_not_equal(fixture_sql_rc(x->f, "UPDATE disclosures SET kind = 'treatment'"), 0);
	assert_int_not_equal(fixture_sql_rc(x->f, "DELETE FROM disclosures"), 0);
	assert_int_not_equal(fixture_sql_rc(x->f, "DELETE FROM accountings"), 0);
	assert_int_equal(fixture_sql_int(x->f, "SELECT count(*) FROM disclosures WHERE kind = 'subpoena'"), 1);
	assert_true(on_disk(x->f, "subpoena")); /* the oracle finds plain columns */
	assert_false(on_disk(x->f, "Gravelbeard"));
	assert_false(on_disk(x->f, "Quexotic"));
	assert_false(on_disk(x->f, "4 Wharf Lane"));
}

struct groups {
	int viewed_tech, viewed_doctor, denied_desk, n;
};

static int tally(const struct access_line *l, void *ctx)
{
	struct groups *t = ctx;

	t->n++;
	if (l->group == AG_VIEWED && strcmp(l->row->user, "tech") == 0)
		t->viewed_tech++;
	if (l->group == AG_VIEWED && strcmp(l->row->user, "doctor") == 0)
		t->viewed_doctor++;
	if (l->group == AG_DENIED && strcmp(l->row->user, "desk") == 0)
		t->denied_desk++;
	return 0;
}

static void test_access_report(void **state)
{
	struct dx *x = *state;
	struct session *desk = fixture_login(x->f->st, "desk", "demo-desk-pass");
	struct folio_err e = { 0 };
	struct groups t = { 0 };
	struct grant *g;

	access_end(begin(x->tech, ACT_PATIENT_VIEW, x->mrn), FOLIO_OK, &e);
	access_end(begin(x->doctor, ACT_CHART_VIEW, x->mrn), FOLIO_OK, &e);
	assert_int_equal(access_begin(desk, ACT_CHART_VIEW, x->mrn, NULL, NULL, &g, &e), FOLIO_EDENIED);
	assert_int_equal(access_begin(x->tech, ACT_ACCESS_REPORT, x->mrn, NULL, NULL, &g, &e), FOLIO_EDENIED);
	g = begin(x->super, ACT_ACCESS_REPORT, x->mrn);
	assert_int_equal(access_report(g, NULL, 0, tally, &t, &e), FOLIO_OK);
	assert_int_equal(access_end(g, FOLIO_OK, &e), FOLIO_OK);
	assert_int_equal(t.viewed_tech, 1);
	assert_int_equal(t.viewed_doctor, 1);
	assert_int_equal(t.denied_desk, 1);
	/* the report's grant reads no other chart's rows, nor the whole log */
	{
		struct audit_filter f = { .mrn = NULL };
		g = begin(x->super, ACT_ACCESS_REPORT, x->mrn);
		assert_int_equal(audit_show(g, &f, NULL, NULL, &e), FOLIO_EDENIED);
		access_end(g, FOLIO_EDENIED, &e);
	}
	access_logout(desk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_accounting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_append_only_sealed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_access_report, setup, teardown),
	};

	if (smem_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
