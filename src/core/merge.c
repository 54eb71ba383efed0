/* folio — the merge of a verified duplicate pair, its preview and its undo
 * (include/folio/merge.h).  Every table and column named in SQL here comes
 * from the registry (merge_registry.c); what the merge changes is kept in
 * merge_rows and merge_held so the undo restores exactly those rows. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "folio/merge.h"

_Static_assert(sizeof ((struct merge_plan *)0)->rows / sizeof(long) >= 20,
	       "merge_plan.rows must hold one count per registry entry");

/* The facts of a pair the merge decides on. */
struct pair_facts {
	int64_t id, a, b, into_a, into_b;
	char mrn_a[16], mrn_b[16], status[16];
	int merged;
};

static int need(struct grant *g, int approve_only, struct folio_err *e)
{
	enum action a = grant_action(g);
	if (a == ACT_MERGE_APPROVE || (!approve_only && a == ACT_MERGE_PROPOSE))
		return FOLIO_OK;
	return err_set(e, FOLIO_EDENIED, "merges need %s", approve_only ? "merge.approve" : "merge.propose");
}

/* sql prepared with ?1..?3 bound (SQLite ignores the ones it does not use). */
static int prepare3(struct grant *g, const char *sql, int64_t p1, int64_t p2, int64_t p3, struct stmt **s,
		    struct folio_err *e)
{
	int rc = stmt_prepare(grant_store(g), sql, s, e);

	if (rc == FOLIO_OK) {
		stmt_bind_int64(*s, 1, p1);
		stmt_bind_int64(*s, 2, p2);
		stmt_bind_int64(*s, 3, p3);
	}
	return rc;
}

/* Runs sql: *first (when not NULL) gets the first integer of its first
 * row (0 when none), *changed (when not NULL) the rows it changed. */
static int sql3(struct grant *g, const char *sql, int64_t p1, int64_t p2, int64_t p3, int64_t *first,
		long *changed, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if (first)
		*first = 0;
	if ((rc = prepare3(g, sql, p1, p2, p3, &s, e)))
		return rc;
	rc = stmt_step(s, e);
	if (rc == STMT_ROW && first)
		*first = stmt_int64(s, 0);
	stmt_finalize(s);
	if (rc != STMT_ROW && rc != STMT_DONE)
		return rc;
	if (changed)
		*changed = store_changes(grant_store(g));
	return FOLIO_OK;
}

static int one_int(struct grant *g, const char *sql, int64_t p1, int64_t p2, int64_t p3, int64_t *out,
		   struct folio_err *e)
{
	return sql3(g, sql, p1, p2, p3, out, NULL, e);
}

static int run(struct grant *g, const char *sql, int64_t p1, int64_t p2, int64_t p3, long *changed,
	       struct folio_err *e)
{
	return sql3(g, sql, p1, p2, p3, NULL, changed, e);
}

static int pair_facts_load(struct grant *g, int64_t id, struct pair_facts *p, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	memset(p, 0, sizeof *p);
	if ((rc = stmt_prepare(grant_store(g),
			       "SELECT d.id, d.patient_a, d.patient_b, pa.mrn, pb.mrn, d.status, d.merged IS NOT NULL,"
			       " coalesce(pa.merged_into, 0), coalesce(pb.merged_into, 0) FROM dup_pairs d"
			       " JOIN patients pa ON pa.id = d.patient_a JOIN patients pb ON pb.id = d.patient_b"
			       " WHERE d.id = ?", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	if ((rc = stmt_step(s, e)) == STMT_ROW) {
		p->id = stmt_int64(s, 0);
		p->a = stmt_int64(s, 1);
		p->b = stmt_int64(s, 2);
		str_copy(p->mrn_a, sizeof p->mrn_a, stmt_text(s, 3));
		str_copy(p->mrn_b, sizeof p->mrn_b, stmt_text(s, 4));
		str_copy(p->status, sizeof p->status, stmt_text(s, 5));
		p->merged = (int)stmt_int64(s, 6);
		p->into_a = stmt_int64(s, 7);
		p->into_b = stmt_int64(s, 8);
		rc = FOLIO_OK;
	} else if (rc == STMT_DONE) {
		rc = err_set(e, FOLIO_ENOTFOUND, "no duplicate pair %" PRId64, id);
	}
	stmt_finalize(s);
	if (rc)
		return rc;
	if (strcmp(p->status, "duplicate") != 0)
		return err_set(e, FOLIO_EUSAGE, "pair %" PRId64 " is %s: only a verified duplicate is merged"
			       " (dup verify %" PRId64 ")", id, p->status, id);
	if (p->merged)
		return err_set(e, FOLIO_EUSAGE, "pair %" PRId64 " is already merged (merge list)", id);
	if (p->into_a || p->into_b)
		return err_set(e, FOLIO_EUSAGE, "chart %s is already merged into another chart",
			       p->into_a ? p->mrn_a : p->mrn_b);
	return FOLIO_OK;
}

/* Fills the plan's MRNs; *sid and *lid get the survivor's and the loser's
 * row ids. */
static int pick(const struct pair_facts *f, const char *survivor, struct merge_plan *p, int64_t *sid, int64_t *lid,
		struct folio_err *e)
{
	int a_survives = !survivor || !*survivor || strcmp(survivor, f->mrn_a) == 0;

	if (!a_survives && strcmp(survivor, f->mrn_b) != 0)
		return err_set(e, FOLIO_EUSAGE, "MRN %s is not one of pair %" PRId64 " (%s, %s)", survivor, f->id,
			       f->mrn_a, f->mrn_b);
	p->pair_id = f->id;
	str_copy(p->survivor, sizeof p->survivor, a_survives ? f->mrn_a : f->mrn_b);
	str_copy(p->loser, sizeof p->loser, a_survives ? f->mrn_b : f->mrn_a);
	*sid = a_survives ? f->a : f->b;
	*lid = a_survives ? f->b : f->a;
	return FOLIO_OK;
}

/* ---- conflicts: what would break an invariant of the merged chart -------- */
static const struct {
	const char *sql;      /* ?1 survivor, ?2 loser: non-zero when in conflict */
	const char *say;      /* the message, before the loser's MRN when `after` is set */
	const char *after;
} conflict_checks[] = {
	{ "SELECT EXISTS (SELECT 1 FROM encounters WHERE patient_id = ?1 AND kind = 'inpatient' AND state IN"
	  " ('pre-admitted', 'admitted')) AND EXISTS (SELECT 1 FROM encounters WHERE patient_id = ?2 AND"
	  " kind = 'inpatient' AND state IN ('pre-admitted', 'admitted'))",
	  "both charts have an open inpatient admission: discharge or cancel one first", NULL },
	{ "SELECT count(*) FROM drafts x JOIN drafts y ON y.user_name = x.user_name WHERE x.patient_id = ?1"
	  " AND y.patient_id = ?2 AND x.document_id IS NULL AND y.document_id IS NULL",
	  "a user has an unfiled draft on both charts: file or discard one first", NULL },
	{ "SELECT l.restricted AND NOT s.restricted FROM patients s, patients l WHERE s.id = ?1 AND l.id = ?2",
	  "chart ", " is restricted and the surviving chart is not: restrict it first" },
	{ "SELECT staff_user_id IS NOT NULL FROM patients WHERE id = ?2",
	  "chart ", " is a staff member's own record: keep it as the survivor or unlink it first" },
	{ "SELECT count(*) FROM patients WHERE merged_into = ?2",
	  "charts were merged into ", ": keep it as the survivor or undo those merges first" },
};

static int conflicts_find(struct grant *g, int64_t sid, int64_t lid, struct merge_plan *p, struct folio_err *e)
{
	for (size_t i = 0; i < ARRAY_SIZE(conflict_checks); i++) {
		int64_t v;
		int rc = one_int(g, conflict_checks[i].sql, sid, lid, 0, &v, e);
		if (rc)
			return rc;
		if (v && p->nconflicts < MERGE_CONFLICTS_MAX)
			snprintf(p->conflicts[p->nconflicts++], sizeof p->conflicts[0], "%s%s%s", conflict_checks[i].say,
				 conflict_checks[i].after ? p->loser : "",
				 conflict_checks[i].after ? conflict_checks[i].after : "");
	}
	return FOLIO_OK;
}

/* The loser's other pairs whose move to the survivor would not repeat a
 * pair the survivor has: ?1 loser, ?2 survivor, ?3 the merged pair. */
#define OTHER_PAIRS " FROM dup_pairs d WHERE (d.patient_a = ?1 OR d.patient_b = ?1) AND d.id <> ?3" \
	" AND NOT EXISTS (SELECT 1 FROM dup_pairs x WHERE" \
	" x.patient_a = min(?2, CASE WHEN d.patient_a = ?1 THEN d.patient_b ELSE d.patient_a END) AND" \
	" x.patient_b = max(?2, CASE WHEN d.patient_a = ?1 THEN d.patient_b ELSE d.patient_a END))"

static int counts_find(struct grant *g, int64_t sid, int64_t lid, struct merge_plan *p, struct folio_err *e)
{
	char sql[512];
	int rc;

	p->total = 0;
	for (size_t i = 0; i < merge_registry_count; i++) {
		const struct merge_ref *r = &merge_registry[i];
		int64_t n = 0;
		if (r->how == MERGE_KEEP)
			continue;
		if (r->how == MERGE_PAIRS)
			snprintf(sql, sizeof sql, "SELECT count(*)" OTHER_PAIRS);
		else
			snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE %s = ?1", r->table, r->column);
		if ((rc = one_int(g, sql, lid, sid, p->pair_id, &n, e)))
			return rc;
		p->rows[i] = (long)n;
		p->total += (long)n;
	}
	return FOLIO_OK;
}

int merge_preview(struct grant *g, int64_t pair, const char *survivor, struct merge_plan *p, struct folio_err *e)
{
	struct pair_facts f;
	int64_t sid, lid;
	int rc;

	memset(p, 0, sizeof *p);
	if ((rc = need(g, 0, e)) || (rc = pair_facts_load(g, pair, &f, e)) ||
	    (rc = pick(&f, survivor, p, &sid, &lid, e)) || (rc = conflicts_find(g, sid, lid, p, e)))
		return rc;
	return counts_find(g, sid, lid, p, e);
}

/* ---- approve ------------------------------------------------------------- */

/* Records column `col` of the rows of r->table whose r->column is the
 * loser (?2), under merge ?1. */
static int snapshot(struct grant *g, const struct merge_ref *r, const char *col, int64_t mid, int64_t lid,
		    struct folio_err *e)
{
	char sql[320];
	snprintf(sql, sizeof sql, "INSERT INTO merge_rows (merge_id, tbl, row_id, col, old) SELECT ?1, '%s', rowid,"
		 " '%s', %s FROM %s WHERE %s = ?2", r->table, col, col, r->table, r->column);
	return run(g, sql, mid, lid, 0, NULL, e);
}

static int move_rows(struct grant *g, const struct merge_ref *r, int64_t mid, int64_t sid, int64_t lid, long *n,
		     struct folio_err *e)
{
	char sql[320];
	int64_t top = 0;
	int rc;

	if ((rc = snapshot(g, r, r->column, mid, lid, e)))
		return rc;
	if (r->how == MERGE_RENUMBER) {
		/* after the survivor's highest: the number stays unique per chart */
		snprintf(sql, sizeof sql, "SELECT coalesce(max(%s), 0) FROM %s WHERE %s = ?1", r->renumber, r->table,
			 r->column);
		if ((rc = one_int(g, sql, sid, 0, 0, &top, e)) || (rc = snapshot(g, r, r->renumber, mid, lid, e)))
			return rc;
		snprintf(sql, sizeof sql, "UPDATE %s SET %s = ?1, %s = %s + ?3 WHERE %s = ?2", r->table, r->column,
			 r->renumber, r->renumber, r->column);
	} else {
		snprintf(sql, sizeof sql, "UPDATE %s SET %s = ?1 WHERE %s = ?2", r->table, r->column, r->column);
	}
	return run(g, sql, sid, lid, top, n, e);
}

static int unindex(struct grant *g, const struct merge_ref *r, int64_t mid, int64_t lid, long *n,
		   struct folio_err *e)
{
	char sql[320];
	int rc;

	snprintf(sql, sizeof sql, "INSERT INTO merge_held (merge_id, tbl, key, card) SELECT ?1, '%s', key, %s"
		 " FROM %s WHERE %s = ?2", r->table, strcmp(r->table, "patient_cards") == 0 ? "card" : "NULL",
		 r->table, r->column);
	if ((rc = run(g, sql, mid, lid, 0, NULL, e)))
		return rc;
	snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s = ?1", r->table, r->column);
	return run(g, sql, lid, 0, 0, n, e);
}

/* The loser's other pairs move to the survivor, each kept in the order
 * patient_a < patient_b; both old values are kept. */
static int move_pairs(struct grant *g, const struct merge_ref *r, int64_t mid, int64_t sid, int64_t lid,
		      int64_t pair, long *n, struct folio_err *e)
{
	char sql[640];
	int rc;

	for (int k = 0; k < 2; k++) {
		struct stmt *s;
		const char *col = k ? r->second : r->column;
		snprintf(sql, sizeof sql, "INSERT INTO merge_rows (merge_id, tbl, row_id, col, old) SELECT ?4, '%s',"
			 " d.id, '%s', d.%s" OTHER_PAIRS, r->table, col, col);
		if ((rc = prepare3(g, sql, lid, sid, pair, &s, e)))
			return rc;
		stmt_bind_int64(s, 4, mid);
		rc = stmt_step(s, e);
		stmt_finalize(s);
		if (rc != STMT_DONE)
			return rc;
	}
	/* the rows just recorded are the ones to move */
	snprintf(sql, sizeof sql, "UPDATE %1$s SET %2$s = min(?2, CASE WHEN %2$s = ?1 THEN %3$s ELSE %2$s END),"
		 " %3$s = max(?2, CASE WHEN %2$s = ?1 THEN %3$s ELSE %2$s END) WHERE id IN (SELECT row_id FROM"
		 " merge_rows WHERE merge_id = ?3 AND tbl = '%1$s')", r->table, r->column, r->second);
	return run(g, sql, lid, sid, mid, n, e);
}

int merge_approve(struct grant *g, int64_t pair, struct merge_plan *p, struct folio_err *e)
{
	struct pair_facts f;
	int64_t sid, lid, mid;
	char at[24];
	struct stmt *s;
	int rc;

	memset(p, 0, sizeof *p);
	if ((rc = need(g, 1, e)) || (rc = pair_facts_load(g, pair, &f, e)))
		return rc;
	if (strcmp(grant_mrn(g), f.mrn_a) != 0 && strcmp(grant_mrn(g), f.mrn_b) != 0)
		return err_set(e, FOLIO_EUSAGE, "the surviving chart must be one of pair %" PRId64, pair);
	if ((rc = pick(&f, grant_mrn(g), p, &sid, &lid, e)) || (rc = conflicts_find(g, sid, lid, p, e)))
		return rc;
	if (p->nconflicts)
		return err_set(e, FOLIO_EUSAGE, "cannot merge: %s", p->conflicts[0]);
	time_utc_now(at, sizeof at);
	if ((rc = stmt_prepare(grant_store(g), "INSERT INTO merges (pair_id, survivor, loser, by_user, at)"
					       " VALUES (?, ?, ?, ?, ?)", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, pair);
	stmt_bind_int64(s, 2, sid);
	stmt_bind_int64(s, 3, lid);
	stmt_bind_text(s, 4, session_user(grant_session(g)));
	stmt_bind_text(s, 5, at);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	p->merge_id = mid = store_last_rowid(grant_store(g));
	for (size_t i = 0; i < merge_registry_count; i++) {
		const struct merge_ref *r = &merge_registry[i];
		long n = 0;
		if (r->how == MERGE_MOVE || r->how == MERGE_RENUMBER)
			rc = move_rows(g, r, mid, sid, lid, &n, e);
		else if (r->how == MERGE_UNINDEX)
			rc = unindex(g, r, mid, lid, &n, e);
		else if (r->how == MERGE_PAIRS)
			rc = move_pairs(g, r, mid, sid, lid, pair, &n, e);
		if (rc)
			return rc;
		p->rows[i] = n;
		p->total += n;
	}
	if ((rc = run(g, "UPDATE patients SET merged_into = ?1, row_version = row_version + 1 WHERE id = ?2",
		      sid, lid, 0, NULL, e)))
		return rc;
	return run(g, "UPDATE dup_pairs SET merged = ?1, row_version = row_version + 1 WHERE id = ?2", mid, pair, 0,
		   NULL, e);
}

/* ---- list, get, undo ----------------------------------------------------- */
#define MERGE_COLUMNS "m.id, m.pair_id, s.mrn, l.mrn, m.by_user, m.at, coalesce(m.undone_by, ''),"      \
	" coalesce(m.undone_at, ''), (SELECT count(*) FROM merge_rows r WHERE r.merge_id = m.id) +"         \
	" (SELECT count(*) FROM merge_held h WHERE h.merge_id = m.id)"          \
	" FROM merges m JOIN patients s ON s.id = m.survivor JOIN patients l ON l.id = m.loser"

static void merge_row(struct stmt *s, struct merge_info *m)
{
	memset(m, 0, sizeof *m);
	m->id = stmt_int64(s, 0);
	m->pair_id = stmt_int64(s, 1);
	str_copy(m->survivor, sizeof m->survivor, stmt_text(s, 2));
	str_copy(m->loser, sizeof m->loser, stmt_text(s, 3));
	str_copy(m->by, sizeof m->by, stmt_text(s, 4));
	str_copy(m->at, sizeof m->at, stmt_text(s, 5));
	str_copy(m->undone_by, sizeof m->undone_by, stmt_text(s, 6));
	str_copy(m->undone_at, sizeof m->undone_at, stmt_text(s, 7));
	m->rows = (long)stmt_int64(s, 8);
}

int merge_list(struct grant *g, int (*fn)(const struct merge_info *, void *), void *ctx, struct folio_err *e)
{
	struct merge_info m;
	struct stmt *s;
	int rc;

	if ((rc = need(g, 0, e)) ||
	    (rc = stmt_prepare(grant_store(g), "SELECT " MERGE_COLUMNS " ORDER BY m.id DESC", &s, e)))
		return rc;
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		merge_row(s, &m);
		if (fn(&m, ctx) != 0) {
			rc = STMT_DONE;
			break;
		}
	}
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

int merge_get(struct grant *g, int64_t id, struct merge_info *m, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if ((rc = need(g, 0, e)) || (rc = stmt_prepare(grant_store(g), "SELECT " MERGE_COLUMNS " WHERE m.id = ?", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	if ((rc = stmt_step(s, e)) == STMT_ROW) {
		merge_row(s, m);
		rc = FOLIO_OK;
	} else if (rc == STMT_DONE) {
		rc = err_set(e, FOLIO_ENOTFOUND, "no merge %" PRId64, id);
	}
	stmt_finalize(s);
	return rc;
}

/* Puts back the values merge mid changed in r's table: one statement, so
 * a row's columns change together (dup_pairs keeps patient_a < patient_b). */
#define OLD_OF(col) "(SELECT o.old FROM merge_rows o WHERE o.merge_id = ?1 AND o.tbl = '%1$s' AND o.col = '" \
	col "' AND o.row_id = %1$s.rowid)"

static int restore_rows(struct grant *g, const struct merge_ref *r, int64_t mid, struct folio_err *e)
{
	const char *other = r->second ? r->second : r->renumber;
	char sql[800];

	if (other)
		snprintf(sql, sizeof sql, "UPDATE %1$s SET %2$s = " OLD_OF("%2$s") ", %3$s = coalesce(" OLD_OF("%3$s")
			 ", %3$s) WHERE rowid IN (SELECT row_id FROM merge_rows WHERE merge_id = ?1 AND tbl = '%1$s'"
			 " AND col = '%2$s')", r->table, r->column, other);
	else
		snprintf(sql, sizeof sql, "UPDATE %1$s SET %2$s = " OLD_OF("%2$s") " WHERE rowid IN (SELECT row_id"
			 " FROM merge_rows WHERE merge_id = ?1 AND tbl = '%1$s' AND col = '%2$s')", r->table, r->column);
	return run(g, sql, mid, 0, 0, NULL, e);
}

static int reindex(struct grant *g, const struct merge_ref *r, int64_t mid, int64_t lid, struct folio_err *e)
{
	char sql[320];
	int is_cards = strcmp(r->table, "patient_cards") == 0;

	snprintf(sql, sizeof sql, "INSERT INTO %s (key, %s%s) SELECT key, ?2%s FROM merge_held WHERE merge_id = ?1"
		 " AND tbl = '%s'", r->table, r->column, is_cards ? ", card" : "", is_cards ? ", card" : "", r->table);
	return run(g, sql, mid, lid, 0, NULL, e);
}

int merge_undo(struct grant *g, int64_t id, struct merge_info *m, struct folio_err *e)
{
	int64_t lid, pair;
	char at[24];
	struct stmt *s;
	int rc;

	if ((rc = need(g, 1, e)) || (rc = merge_get(g, id, m, e)))
		return rc;
	if (m->undone_at[0])
		return err_set(e, FOLIO_EUSAGE, "merge %" PRId64 " was already undone by %s", id, m->undone_by);
	if (strcmp(grant_mrn(g), m->survivor) != 0)
		return err_set(e, FOLIO_EUSAGE, "merge %" PRId64 " is undone on its surviving chart", id);
	if ((rc = one_int(g, "SELECT loser FROM merges WHERE id = ?1", id, 0, 0, &lid, e)) ||
	    (rc = one_int(g, "SELECT pair_id FROM merges WHERE id = ?1", id, 0, 0, &pair, e)))
		return rc;
	for (size_t i = merge_registry_count; i-- > 0;) {
		const struct merge_ref *r = &merge_registry[i];
		if (r->how == MERGE_UNINDEX)
			rc = reindex(g, r, id, lid, e);
		else if (r->how != MERGE_KEEP)
			rc = restore_rows(g, r, id, e);
		if (rc)
			return rc;
	}
	if ((rc = run(g, "UPDATE patients SET merged_into = NULL, row_version = row_version + 1 WHERE id = ?1", lid,
		      0, 0, NULL, e)) ||
	    (rc = run(g, "UPDATE dup_pairs SET merged = NULL, row_version = row_version + 1 WHERE id = ?1", pair, 0,
		      0, NULL, e)))
		return rc;
	time_utc_now(at, sizeof at);
	if ((rc = stmt_prepare(grant_store(g), "UPDATE merges SET undone_by = ?, undone_at = ? WHERE id = ?", &s, e)))
		return rc;
	stmt_bind_text(s, 1, session_user(grant_session(g)));
	stmt_bind_text(s, 2, at);
	stmt_bind_int64(s, 3, id);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	str_copy(m->undone_by, sizeof m->undone_by, session_user(grant_session(g)));
	str_copy(m->undone_at, sizeof m->undone_at, at);
	return FOLIO_OK;
}
