/* folio — unit tests: the merge registry against the live schema (every
 * column referencing patients(id) is in it, and everything it names
 * exists), and a merge and its undo on two demo charts with rows in every
 * kind of table: nothing of the loser is left behind, and the undo puts
 * every row back exactly (src/core/merge.c, merge_registry.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "folio/demo.h"
#include "folio/merge.h"
#include "folio/smem.h"

#include "unit_fixture.h"

/* Every (table, column) of the schema with a foreign key to patients. */
#define REFS_SQL "SELECT m.name, k.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) k" \
	" WHERE m.type = 'table' AND k.\"table\" = 'patients' ORDER BY 1, 2"

/* The referencing columns of db the registry does not name, one per line
 * into out; returns how many. */
static int missing_refs(sqlite3 *db, char *out, size_t cap)
{
	sqlite3_stmt *s;
	int n = 0;

	out[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(db, REFS_SQL, -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(s, 0), *c = (const char *)sqlite3_column_text(s, 1);
		if (!merge_registry_find(t, c)) {
			size_t len = strlen(out);
			snprintf(out + len, cap - len, "%s.%s\n", t, c);
			n++;
		}
	}
	sqlite3_finalize(s);
	return n;
}

static int column_exists(sqlite3 *db, const char *table, const char *column)
{
	sqlite3_stmt *s;
	int found = 0;

	assert_int_equal(sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2", -1, &s, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(s, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, column, -1, SQLITE_STATIC);
	found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	return found;
}

static int references_patients(sqlite3 *db, const char *table, const char *column)
{
	sqlite3_stmt *s;
	int found;

	assert_int_equal(sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_foreign_key_list(?1) WHERE \"from\" = ?2"
					    " AND \"table\" = 'patients'", -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_text(s, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, column, -1, SQLITE_STATIC);
	found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	return found;
}

static sqlite3 *raw_open(const struct fixture *f)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	return db;
}

static void test_registry_covers_schema(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db = raw_open(f);
	char missing[2048];
	int n = missing_refs(db, missing, sizeof missing);

	if (n)
		fprintf(stderr, "not in the merge registry (src/core/merge_registry.c):\n%s", missing);
	assert_int_equal(n, 0);
	/* a table made today that references patients is caught */
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE new_things (id INTEGER PRIMARY KEY, patient_id INTEGER"
					  " REFERENCES patients(id), owner INTEGER REFERENCES patients(id))",
				      NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(missing_refs(db, missing, sizeof missing), 2);
	assert_non_null(strstr(missing, "new_things.patient_id\n"));
	assert_non_null(strstr(missing, "new_things.owner\n"));
	sqlite3_close(db);
}

static void test_registry_names_exist(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db = raw_open(f);
	size_t refs = 0;

	assert_true(merge_registry_count <= sizeof ((struct merge_plan *)0)->rows / sizeof(long));
	for (size_t i = 0; i < merge_registry_count; i++) {
		const struct merge_ref *r = &merge_registry[i];
		if (!column_exists(db, r->table, r->column) || !references_patients(db, r->table, r->column))
			fail_msg("registry names %s.%s, which does not reference patients", r->table, r->column);
		refs++;
		if (r->second) {
			if (!references_patients(db, r->table, r->second))
				fail_msg("registry names %s.%s, which does not reference patients", r->table, r->second);
			refs++;
		}
		if (r->renumber && !column_exists(db, r->table, r->renumber))
			fail_msg("registry renumbers %s.%s, which does not exist", r->table, r->renumber);
		if (r->how == MERGE_MOVE || r->how == MERGE_RENUMBER) {
			/* the snapshot keeps row ids: a moved table must have them */
			char sql[160];
			snprintf(sql, sizeof sql, "SELECT rowid FROM %s LIMIT 1", r->table);
			if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
				fail_msg("%s has no row ids for the snapshot", r->table);
		}
		assert_non_null(r->why);
	}
	/* each referencing column is named once */
	assert_int_equal((int64_t)refs, fixture_sql_int(f, "SELECT count(*) FROM (" REFS_SQL ")"));
	sqlite3_close(db);
}

/* ---- a merge and its undo on the demo database ------------------------- */

/* (table, rowid, each referencing column) of every referencing row, as
 * text, for comparing before and after. */
static char *dump(const struct fixture *f)
{
	sqlite3 *db = raw_open(f);
	size_t cap = 1 << 20, len = 0;
	char *out = calloc(1, cap);

	assert_non_null(out);
	for (size_t i = 0; i < merge_registry_count; i++) {
		const struct merge_ref *r = &merge_registry[i];
		char sql[256];
		sqlite3_stmt *s;
		int rowid = r->how != MERGE_UNINDEX;
		if (strcmp(r->table, "merges") == 0)
			continue;   /* the record of the merge itself */
		snprintf(sql, sizeof sql, "SELECT %s, %s, %s FROM %s ORDER BY 1, 2", rowid ? "rowid" : "key", r->column,
			 r->second ? r->second : r->renumber ? r->renumber : "0", r->table);
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
		while (sqlite3_step(s) == SQLITE_ROW && len + 128 < cap)
			len += (size_t)snprintf(out + len, cap - len, "%s %lld %lld %lld\n", r->table,
						sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
						sqlite3_column_int64(s, 2));
		sqlite3_finalize(s);
	}
	assert_true(len + 128 < cap);
	sqlite3_close(db);
	return out;
}

/* Rows of the registry's moved tables still naming patient id. */
static int64_t left_with(const struct fixture *f, int64_t id)
{
	int64_t n = 0;
	for (size_t i = 0; i < merge_registry_count; i++) {
		const struct merge_ref *r = &merge_registry[i];
		if (r->how == MERGE_KEEP || r->how == MERGE_PAIRS)
			continue;
		char sql[200];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE %s = %lld", r->table, r->column, (long long)id);
		n += fixture_sql_int(f, sql);
	}
	return n;
}

static void test_merge_and_undo(void **state)
{
	struct fixture *f = *state;
	struct session *s = fixture_login(f->st, "super", "demo-super-pass");
	/* the two demo charts with the most rows across the moved tables: a's
	 * rows all move to b */
#define BUSIEST "SELECT patient_id FROM (SELECT patient_id FROM encounters UNION ALL SELECT patient_id FROM" \
	" documents UNION ALL SELECT patient_id FROM chart_volumes UNION ALL SELECT patient_id FROM deficiencies)" \
	" GROUP BY patient_id ORDER BY count(*) DESC, patient_id"
	int64_t a = fixture_sql_int(f, BUSIEST " LIMIT 1");
	int64_t b = fixture_sql_int(f, BUSIEST " LIMIT 1 OFFSET 1");
	int64_t lo = a < b ? a : b, hi = a < b ? b : a, pair;
	char *before, *after, survivor[16], loser[16], sql[200];
	struct merge_plan p;
	struct merge_info m;
	int64_t mid;
	struct folio_err e = { 0 };
	struct grant *g;
	sqlite3 *db;

	if (!(a > 0 && b > 0 && a != b))
		fail_msg("demo charts %lld %lld (patients %lld)", (long long)a, (long long)b,
			 (long long)fixture_sql_int(f, "SELECT count(*) FROM encounters"));
	fixture_sqlf(f, "INSERT INTO dup_pairs (patient_a, patient_b, score, reasons, status, found_at) VALUES"
		     " (%lld, %lld, 20, 'family=', 'duplicate', '2026-01-01T00:00:00Z')", (long long)lo, (long long)hi);
	pair = fixture_sql_int(f, "SELECT max(id) FROM dup_pairs");
	/* b survives: its MRN; a's rows all move */
	db = raw_open(f);
	snprintf(sql, sizeof sql, "SELECT (SELECT mrn FROM patients WHERE id = %lld), (SELECT mrn FROM patients WHERE"
		 " id = %lld)", (long long)b, (long long)a);
	{
		sqlite3_stmt *q;
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(q), SQLITE_ROW);
		snprintf(survivor, sizeof survivor, "%s", (const char *)sqlite3_column_text(q, 0));
		snprintf(loser, sizeof loser, "%s", (const char *)sqlite3_column_text(q, 1));
		sqlite3_finalize(q);
	}
	sqlite3_close(db);
	assert_true(left_with(f, a) > 3);
	before = dump(f);

	/* the preview counts what the merge then moves */
	g = fixture_begin(s, ACT_MERGE_APPROVE);
	assert_int_equal(merge_preview(g, pair, survivor, &p, &e), FOLIO_OK);
	fixture_end(g);
	assert_string_equal(p.loser, loser);
	assert_int_equal(p.total, left_with(f, a));

	assert_int_equal(access_begin(s, ACT_MERGE_APPROVE, survivor, "merge", loser, &g, &e), FOLIO_OK);
	assert_int_equal(access_end(g, merge_approve(g, pair, &p, &e), &e), FOLIO_OK);
	assert_true((mid = p.merge_id) > 0);
	assert_int_equal(left_with(f, a), 0);
	fixture_sqlf(f, "SELECT 1"); /* the file is consistent to another connection */
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	snprintf(sql, sizeof sql, "SELECT merged_into FROM patients WHERE id = %lld", (long long)a);
	assert_int_equal(fixture_sql_int(f, sql), b);
	/* volume numbers stay unique per chart */
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM (SELECT patient_id, number FROM chart_volumes"
					    " GROUP BY 1, 2 HAVING count(*) > 1)"), 0);
	/* a second approve of the same pair is refused */
	assert_int_equal(access_begin(s, ACT_MERGE_APPROVE, survivor, "merge", loser, &g, &e), FOLIO_OK);
	assert_int_equal(access_end(g, merge_approve(g, pair, &p, &e), &e), FOLIO_EUSAGE);

	assert_int_equal(access_begin(s, ACT_MERGE_APPROVE, survivor, "unmerge", loser, &g, &e), FOLIO_OK);
	assert_int_equal(access_end(g, merge_undo(g, mid, &m, &e), &e), FOLIO_OK);
	after = dump(f);
	if (strcmp(before, after) != 0) {
		size_t i = 0;
		while (before[i] == after[i])
			i++;
		while (i && before[i - 1] != '\n')
			i--;
		fail_msg("the undo did not restore every row; first difference:\n%.60s\n%.60s", before + i, after + i);
	}
	snprintf(sql, sizeof sql, "SELECT merged_into IS NULL FROM patients WHERE id = %lld", (long long)a);
	assert_int_equal(fixture_sql_int(f, sql), 1);
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM merges WHERE undone_at IS NOT NULL"), 1);
	free(before);
	free(after);
	access_logout(s);
}

/* The demo database with 24 patients (the fixture's has none with a chart
 * of every kind): made again in the fixture's place. */
static int setup_busy(void **state)
{
	struct fixture *f = fixture_new_demo();
	struct folio_err e = { 0 };
	char side[160];

	if (!f)
		return -1;
	*state = f;
	access_close(f->st);
	f->st = NULL;
	unlink(f->path);
	snprintf(side, sizeof side, "%s-wal", f->path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", f->path);
	unlink(side);
	if (demo_create(f->path, 24, NULL, f->recovery, sizeof f->recovery, &e) != FOLIO_OK ||
	    access_open(f->path, &f->st, &e) != FOLIO_OK) {
		fprintf(stderr, "demo: %s\n", e.msg);
		return -1;
	}
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_registry_covers_schema, fixture_setup_demo, fixture_teardown_db),
		cmocka_unit_test_setup_teardown(test_registry_names_exist, fixture_setup_demo, fixture_teardown_db),
		cmocka_unit_test_setup_teardown(test_merge_and_undo, setup_busy, fixture_teardown_db),
	};
	if (smem_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
