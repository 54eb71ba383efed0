/* folio — unit tests: the importers' keys (src/core/import_keys.c).  A
 * grouped key is found only under its group, and its tag begins with its
 * group's prefix, so one patient's keys sit together; a claim of a key
 * already there claims nothing; a key from before grouping (schema/018's
 * converted tags) is still found and still refuses a second claim while
 * the database says such tags exist, and is not looked for once it says
 * none do. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "folio/access.h"
#include "folio/import.h"
#include "folio/smem.h"

#include "unit_fixture.h"

static struct import_ctx *ctx_begin(struct session *s, struct grant **g)
{
	struct import_ctx *x = NULL;
	struct folio_err e = { 0 };

	*g = fixture_begin(s, ACT_IMPORT_RUN);
	assert_int_equal(import_ctx_new(*g, &x, &e), FOLIO_OK);
	return x;
}

static void ctx_end(struct import_ctx *x, struct grant *g)
{
	import_ctx_free(x);
	fixture_end(g);
}

static int64_t find(struct import_ctx *x, const char *group, const char *id)
{
	struct folio_err e = { 0 };
	int64_t row = -1;

	assert_int_equal(import_key_find(x, "synthea", "condition", group, id, &row, &e), FOLIO_OK);
	return row;
}

static int claim(struct import_ctx *x, const char *group, const char *id, int64_t row)
{
	struct folio_err e = { 0 };
	int claimed = -1;

	assert_int_equal(import_key_claim(x, "synthea", "condition", group, id, "clinical_items", row, &claimed, &e),
			 FOLIO_OK);
	return claimed;
}

static void test_grouped(void **state)
{
	struct fixture *f = *state;
	struct session *s = fixture_login(f->st, "tech", "demo-tech-pass");
	struct folio_err e = { 0 };
	struct grant *g;
	struct import_ctx *x = ctx_begin(s, &g);

	assert_int_equal(claim(x, "patient-1", "row-a", 11), 1);
	assert_int_equal(claim(x, "patient-1", "row-b", 12), 1);
	assert_int_equal(claim(x, "patient-2", "row-a", 13), 1);
	assert_int_equal(claim(x, "patient-1", "row-a", 99), 0);
	assert_int_equal(import_key_put(x, "synthea", "condition", "patient-2", "row-c", "clinical_items", 14, &e),
			 FOLIO_OK);
	assert_int_equal(import_key_put(x, "synthea", "condition", NULL, "row-a", "nowhere", 15, &e), FOLIO_EFAIL);
	assert_int_equal(find(x, "patient-1", "row-a"), 11);
	assert_int_equal(find(x, "patient-2", "row-a"), 13);
	assert_int_equal(find(x, "patient-2", "row-c"), 14);
	assert_int_equal(find(x, "patient-3", "row-a"), 0);
	assert_int_equal(find(x, NULL, "row-a"), 0);
	ctx_end(x, g);
	/* two groups, two prefixes; the first four bytes say which */
	assert_int_equal(fixture_sql_int(f, "SELECT count(DISTINCT substr(tag, 1, 4)) FROM import_tags"), 2);
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM import_tags WHERE row_kind = 3"), 4);
	access_logout(s);
}

static void test_ungrouped(void **state)
{
	struct fixture *f = *state;
	struct session *s = fixture_login(f->st, "tech", "demo-tech-pass");
	struct folio_err e = { 0 };
	struct grant *g;
	struct import_ctx *x = ctx_begin(s, &g);

	/* a key as folio wrote it before grouping */
	assert_int_equal(import_key_put(x, "synthea", "condition", NULL, "old-row", "clinical_items", 21, &e), FOLIO_OK);
	ctx_end(x, g);
	fixture_sql(f, "INSERT INTO settings (name, value) VALUES ('import_tags_ungrouped', 1)");
	x = ctx_begin(s, &g);
	assert_int_equal(find(x, "patient-1", "old-row"), 21);
	assert_int_equal(claim(x, "patient-1", "old-row", 22), 0);
	ctx_end(x, g);
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM import_tags"), 1);
	/* the control: without the setting the old form is not looked for */
	fixture_sql(f, "DELETE FROM settings WHERE name = 'import_tags_ungrouped'");
	x = ctx_begin(s, &g);
	assert_int_equal(find(x, "patient-1", "old-row"), 0);
	ctx_end(x, g);
	access_logout(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_grouped, fixture_setup_demo, fixture_teardown_db),
		cmocka_unit_test_setup_teardown(test_ungrouped, fixture_setup_demo, fixture_teardown_db),
	};
	if (smem_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
