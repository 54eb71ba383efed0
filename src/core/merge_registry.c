/* folio — the registry of every column that references patients(id), and
 * what a merge does with it (include/folio/merge.h).  A table missing
 * here would be silent data loss in a merge: tests/unit/test_merge_registry.c
 * reads the live schema and fails when a referencing column is not listed
 * (or a listed one does not exist).  The names here are the only table and
 * column names the merge ever puts into SQL. */
#include <string.h>

#include "folio/merge.h"

const struct merge_ref merge_registry[] = {
	{ "patient_index", "patient_id", NULL, NULL, MERGE_UNINDEX,
	  "blind index: the loser leaves the name lookups (its rows are held for the undo)" },
	{ "patient_cards", "patient_id", NULL, NULL, MERGE_UNINDEX,
	  "blind index with cards sealed to the loser's row: held, not moved" },
	{ "encounters", "patient_id", NULL, NULL, MERGE_MOVE, "visits and admissions" },
	{ "documents", "patient_id", NULL, NULL, MERGE_MOVE, "notes (their encounters move too)" },
	{ "drafts", "patient_id", NULL, NULL, MERGE_MOVE, "unsaved texts (one unfiled per user and chart: a conflict)" },
	{ "clinical_items", "patient_id", NULL, NULL, MERGE_MOVE, "vitals, allergies, problems, ..." },
	{ "deficiencies", "patient_id", NULL, NULL, MERGE_MOVE, "unique per encounter, which moves with it" },
	{ "queries", "patient_id", NULL, NULL, MERGE_MOVE, "physician queries" },
	{ "chart_volumes", "patient_id", NULL, "number", MERGE_RENUMBER,
	  "paper volumes: unique per chart, so the loser's are numbered after the survivor's" },
	{ "chart_requests", "patient_id", NULL, NULL, MERGE_MOVE, "requests for the paper chart" },
	{ "chart_moves", "patient_id", NULL, NULL, MERGE_MOVE, "movement history (append-only but for the chart)" },
	{ "disclosures", "patient_id", NULL, NULL, MERGE_MOVE, "the ledger (append-only but for the chart)" },
	{ "accountings", "patient_id", NULL, NULL, MERGE_MOVE, "accountings given (append-only but for the chart)" },
	{ "roi_requests", "patient_id", NULL, NULL, MERGE_MOVE, "release requests" },
	{ "external_ids", "patient_id", NULL, NULL, MERGE_MOVE, "other systems' ids: unique per authority and value" },
	{ "dup_pairs", "patient_a", "patient_b", NULL, MERGE_PAIRS,
	  "the merged pair stays as the record; the loser's other pairs move unless the survivor has that pair" },
	{ "patients", "merged_into", NULL, NULL, MERGE_KEEP, "the link from the loser to the survivor" },
	{ "merges", "survivor", NULL, NULL, MERGE_KEEP, "the merge record" },
	{ "merges", "loser", NULL, NULL, MERGE_KEEP, "the merge record" },
};
const size_t merge_registry_count = sizeof merge_registry / sizeof merge_registry[0];

const struct merge_ref *merge_registry_find(const char *table, const char *column)
{
	for (size_t i = 0; i < merge_registry_count; i++) {
		const struct merge_ref *r = &merge_registry[i];
		if (strcmp(r->table, table) == 0 &&
		    (strcmp(r->column, column) == 0 || (r->second && strcmp(r->second, column) == 0)))
			return r;
	}
	return NULL;
}
