/* folio — merging two charts of one person (domain.md "Duplicates and
 * merges"): the registry of every column that references patients(id)
 * (src/core/merge_registry.c), and the merge of a verified duplicate pair,
 * its preview and its undo (src/core/merge.c).
 *
 * A merge takes a pair with status 'duplicate' and moves, in the one
 * transaction of an ACT_MERGE_APPROVE grant on the surviving chart, every
 * row that references the losing chart to the surviving one.  What moved
 * is kept (merge_rows: table, row id, column, value before; merge_held: the
 * loser's blind-index rows), so the undo moves exactly those rows back.
 * The loser's patients row stays, demographics sealed as they were, with
 * merged_into naming the survivor: it leaves the name lookups and its MRN
 * resolves to the surviving chart at the gate (src/access/chart.c).
 *
 * Rows made on the surviving chart after the merge stay with it on undo:
 * they were written about the chart the user saw, and nothing says which
 * person they belong to.
 */
#ifndef FOLIO_MERGE_H
#define FOLIO_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "folio/access.h"

/* ---- the registry ---------------------------------------------------- */
enum merge_how {
	MERGE_MOVE,      /* column := survivor */
	MERGE_RENUMBER,  /* the same, and `renumber` after the survivor's highest (chart volumes) */
	MERGE_UNINDEX,   /* the loser's rows are taken out (blind index) and put back on undo */
	MERGE_PAIRS,     /* duplicate pairs: the merged pair stays; the loser's other pairs move
			    to the survivor (column and second reordered) unless the survivor
			    already has that pair */
	MERGE_KEEP,      /* names the loser on purpose: the link and the merge record */
};

struct merge_ref {
	const char *table;
	const char *column;     /* the column referencing patients(id) */
	const char *second;     /* a second one moved with it in the same row, or NULL */
	const char *renumber;   /* MERGE_RENUMBER: the number column, or NULL */
	enum merge_how how;
	const char *why;
};

extern const struct merge_ref merge_registry[];
extern const size_t merge_registry_count;
/* The entry naming table.column (as column or second); NULL when none. */
const struct merge_ref *merge_registry_find(const char *table, const char *column);

/* ---- preview, approve, undo ----------------------------------------- */
#define MERGE_CONFLICTS_MAX 8

struct merge_plan {
	int64_t pair_id, merge_id;       /* merge_id: 0 in a preview */
	char survivor[16], loser[16];    /* MRNs */
	long rows[32];                   /* per registry entry: rows that move (or moved) */
	long total;
	size_t nconflicts;               /* a merge is refused while there is one */
	char conflicts[MERGE_CONFLICTS_MAX][160];
};

/* What the merge of pair would move and what stands in its way; changes
 * nothing.  survivor: the MRN that stays (one of the pair), NULL for the
 * older chart (the pair's chart a).  Under merge.propose or merge.approve
 * with no chart.  FOLIO_EUSAGE when the pair is not verified, is merged,
 * or either chart is merged. */
int merge_preview(struct grant *g, int64_t pair, const char *survivor, struct merge_plan *p,
		  struct folio_err *e) MUST_CHECK;

/* Merges pair: the grant's chart (merge.approve) survives and must be one
 * of the pair.  Refused (FOLIO_EUSAGE, nothing changed) as merge_preview,
 * and while there is a conflict (the first is the message).  *p gets what
 * moved and the merge's id. */
int merge_approve(struct grant *g, int64_t pair, struct merge_plan *p, struct folio_err *e) MUST_CHECK;

struct merge_info {
	int64_t id, pair_id;
	char survivor[16], loser[16];
	char by[40], at[24], undone_by[40], undone_at[24];
	long rows;                       /* row values the merge changed */
};

/* Merges, newest first (merge.propose or merge.approve, no chart). */
int merge_list(struct grant *g, int (*fn)(const struct merge_info *, void *), void *ctx,
	       struct folio_err *e);
/* One merge; FOLIO_ENOTFOUND when there is none. */
int merge_get(struct grant *g, int64_t id, struct merge_info *m, struct folio_err *e) MUST_CHECK;

/* Undoes merge id under merge.approve on its surviving chart: exactly the
 * rows it moved go back, the loser's blind index comes back, the loser and
 * the pair are un-marked, undone_by/at recorded.  FOLIO_EUSAGE when already
 * undone. */
int merge_undo(struct grant *g, int64_t id, struct merge_info *m, struct folio_err *e) MUST_CHECK;

#endif
