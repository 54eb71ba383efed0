-- folio 015: merges of duplicate charts (src/core/merge.c; domain.md
-- "Duplicates and merges").  A supervisor approves the merge of a verified
-- pair: every row that references the losing chart moves to the surviving
-- one in one transaction, and what moved is kept here so the merge can be
-- undone exactly.
--
-- The losing chart's patients row stays (its demographics sealed as they
-- were, for the undo) with merged_into naming the survivor: its MRN keeps
-- resolving to the surviving chart (src/access/chart.c chart_resolve).
ALTER TABLE patients ADD COLUMN merged_into INTEGER REFERENCES patients(id);
CREATE INDEX patients_merged ON patients(merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE merges (
	id          INTEGER PRIMARY KEY,
	pair_id     INTEGER NOT NULL REFERENCES dup_pairs(id),
	survivor    INTEGER NOT NULL REFERENCES patients(id),
	loser       INTEGER NOT NULL REFERENCES patients(id),
	by_user     TEXT NOT NULL,
	at          TEXT NOT NULL,       -- UTC
	undone_by   TEXT,
	undone_at   TEXT,
	CHECK (survivor <> loser),
	CHECK ((undone_by IS NULL) = (undone_at IS NULL))
) STRICT;
CREATE INDEX merges_pair ON merges(pair_id);

-- The snapshot: each column value the merge changed, by table and row id,
-- with the value before.  Only patient row ids (and a chart volume's
-- number, renumbered after the survivor's own) change, none of them PHI, so
-- nothing here is sealed; table and column names are checked against the
-- registry (src/core/merge_registry.c) before any use.
CREATE TABLE merge_rows (
	merge_id    INTEGER NOT NULL REFERENCES merges(id),
	tbl         TEXT NOT NULL,
	row_id      INTEGER NOT NULL,
	col         TEXT NOT NULL,
	old         INTEGER NOT NULL,
	PRIMARY KEY (merge_id, tbl, row_id, col)
) STRICT, WITHOUT ROWID;

-- The losing chart's blind-index rows, taken out so it leaves the name
-- lookups, and put back by the undo: the keyed tag and, for
-- patient_cards, the card (an envelope, AD patients.card:loser).
CREATE TABLE merge_held (
	merge_id    INTEGER NOT NULL REFERENCES merges(id),
	tbl         TEXT NOT NULL CHECK (tbl IN ('patient_index', 'patient_cards')),
	key         INTEGER NOT NULL,
	card        BLOB,
	PRIMARY KEY (merge_id, tbl, key)
) STRICT, WITHOUT ROWID;

-- The disclosure ledger and the accountings stay append-only in every
-- fact; only the chart a row belongs to may change, and only a merge (or
-- its undo) changes it.  Same rule as chart_moves (009).
DROP TRIGGER disclosures_no_update;
CREATE TRIGGER disclosures_no_update BEFORE UPDATE OF id, disclosed_on, kind, recipient, address, description,
	purpose, source, source_id, corrects, recorded_by, recorded_at ON disclosures
BEGIN SELECT RAISE(ABORT, 'the disclosure ledger is append-only'); END;
DROP TRIGGER accountings_no_update;
CREATE TRIGGER accountings_no_update BEFORE UPDATE OF id, requested_on, provided_on, entries, free, given_by,
	given_at ON accountings
BEGIN SELECT RAISE(ABORT, 'accountings are append-only'); END;
