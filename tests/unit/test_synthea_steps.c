/* folio — unit tests: the Synthea importer's steps (src/core/import_synthea.c)
 * under grants, as a front end drives them.  The importer remembers the
 * encounters it made for the later files' rows; when a step's grant is
 * rolled back instead of committed (a front end should stop then, but may
 * not), what it remembered of that step is not trusted: the later rows are
 * refused as naming no encounter, none is filed under a row that does not
 * exist, and a second run imports them once.  A vitals set whose rows
 * fall in two steps is one item. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "folio/access.h"
#include "folio/smem.h"
#include "folio/synthea.h"

#include "unit_fixture.h"

static void put_file(const struct fixture *f, const char *name, const char *text)
{
	char p[256];
	FILE *fp;

	snprintf(p, sizeof p, "%s/export/%s", f->dir, name);
	assert_non_null(fp = fopen(p, "w"));
	fputs(text, fp);
	fclose(fp);
}

/* A new export folder in dir with one patient, p-1, and encounters. */
static void export_new(const struct fixture *f, char dir[256], const char *encounters)
{
	snprintf(dir, 256, "%s/export", f->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	put_file(f, "patients.csv", "Id,BIRTHDATE,FIRST,LAST,GENDER\np-1,1970-01-02,Ann,Lee,F\n");
	put_file(f, "encounters.csv", encounters);
}

/* One step under a fresh grant ended with status end (FOLIO_OK commits). */
static int step(struct session *s, struct synthea_import *imp, int end, int *done)
{
	struct folio_err e = { 0 };
	struct grant *g = fixture_begin_object(s, ACT_IMPORT_RUN, "import", "synthea");
	int rc = synthea_import_step(g, imp, done, &e);

	assert_int_equal(rc, FOLIO_OK);
	access_end(g, end, &e);
	return rc;
}

static void test_rolled_back_step(void **state)
{
	struct fixture *f = *state;
	struct session *s = fixture_login(f->st, "tech", "demo-tech-pass");
	struct synthea_import *imp;
	struct folio_err e = { 0 };
	const struct synthea_report *r;
	char dir[256];
	int done = 0;
	int64_t items;

	export_new(f, dir, "Id,START,STOP,PATIENT,ENCOUNTERCLASS,DESCRIPTION\n"
			   "e-1,2020-01-01T10:00:00Z,2020-01-01T11:00:00Z,p-1,ambulatory,Visit\n"
			   "e-2,2020-02-01T10:00:00Z,2020-02-01T11:00:00Z,p-1,ambulatory,Visit\n");
	put_file(f, "conditions.csv", "START,STOP,PATIENT,ENCOUNTER,CODE,DESCRIPTION\n"
				       "2020-01-01,,p-1,e-1,44054006,Diabetes\n"
				       "2020-02-01,,p-1,e-2,38341003,Hypertension\n");
	items = fixture_sql_int(f, "SELECT count(*) FROM clinical_items");

	assert_int_equal(synthea_import_open(dir, NULL, &imp, &e), FOLIO_OK);
	step(s, imp, FOLIO_OK, &done);     /* patients, committed */
	step(s, imp, FOLIO_EFAIL, &done);  /* encounters, rolled back */
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM encounters e JOIN patients p ON p.id = e.patient_id"
					    " WHERE p.id = (SELECT max(id) FROM patients)"), 0);
	while (!done)
		step(s, imp, FOLIO_OK, &done);
	r = synthea_import_report(imp);
	assert_int_equal(r->f[SYN_CONDITIONS].imported, 0);
	assert_int_equal(r->f[SYN_CONDITIONS].skipped, 2);
	synthea_import_free(imp);
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM clinical_items"), items);

	/* a second run makes the encounters and files the conditions once */
	assert_int_equal(synthea_import_open(dir, NULL, &imp, &e), FOLIO_OK);
	for (done = 0; !done;)
		step(s, imp, FOLIO_OK, &done);
	r = synthea_import_report(imp);
	assert_int_equal(r->f[SYN_PATIENTS].already, 1);
	assert_int_equal(r->f[SYN_ENCOUNTERS].imported, 2);
	assert_int_equal(r->f[SYN_CONDITIONS].imported, 2);
	synthea_import_free(imp);
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM clinical_items c JOIN encounters e"
					    " ON e.id = c.encounter_id WHERE e.patient_id = c.patient_id"
					    " AND c.id > (SELECT max(id) - 2 FROM clinical_items)"), 2);
	access_logout(s);
}

/* A vitals set is one item even when its rows fall in two steps. */
static void test_vitals_straddle(void **state)
{
	struct fixture *f = *state;
	struct session *s = fixture_login(f->st, "tech", "demo-tech-pass");
	struct folio_err e = { 0 };
	int done = 0, steps = 0;
	struct synthea_import *imp;
	const struct synthea_report *r;
	char dir[256];

	export_new(f, dir, "Id,START,STOP,PATIENT,ENCOUNTERCLASS,DESCRIPTION\n"
			   "e-1,2020-01-01T10:00:00Z,2020-01-01T11:00:00Z,p-1,ambulatory,Visit\n");
	put_file(f, "observations.csv", "DATE,PATIENT,ENCOUNTER,CODE,DESCRIPTION,VALUE,UNITS,TYPE\n"
					 "2020-01-01T10:05:00Z,p-1,e-1,29463-7,Body Weight,70.1,kg,numeric\n"
					 "2020-01-01T10:05:00Z,p-1,e-1,8302-2,Body Height,170.2,cm,numeric\n"
					 "2020-01-01T10:05:00Z,p-1,e-1,8867-4,Heart rate,72,/min,numeric\n"
					 "2020-01-01T10:05:00Z,p-1,e-1,9279-1,Respiratory rate,16,/min,numeric\n");
	assert_int_equal(synthea_import_open(dir, NULL, &imp, &e), FOLIO_OK);
	assert_int_equal(synthea_import_batch(imp, 0, 3), -1);
	assert_int_equal(synthea_import_batch(imp, 1, 3), 0);
	while (!done) {
		step(s, imp, FOLIO_OK, &done);
		steps++;
	}
	r = synthea_import_report(imp);
	assert_true(steps >= 4); /* patients, encounters, 3 observations, the 4th */
	assert_int_equal(r->f[SYN_OBSERVATIONS].imported, 4);
	assert_int_equal(r->vitals_rows, 4);
	assert_int_equal(r->vitals_sets, 1);
	synthea_import_free(imp);
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM clinical_items WHERE kind = 'vitals'"
					    " AND patient_id = (SELECT max(id) FROM patients)"), 1);
	access_logout(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rolled_back_step, fixture_setup_demo, fixture_teardown_db),
		cmocka_unit_test_setup_teardown(test_vitals_straddle, fixture_setup_demo, fixture_teardown_db),
	};

	if (smem_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
