-- folio 013: duplicate charts found in the master patient index
-- (src/core/dup_*.c; domain.md "Duplicates and merges").  A scan scores
-- candidate pairs and keeps those at or over the threshold for a person to
-- verify: duplicate, or not a duplicate.  Merging them is another step.
--
-- The score and the reasons are field names and numbers only ("family~
-- dob-swap sex="), never values, so the worklist needs no key; the note a
-- person leaves with a decision may speak of the patients: an envelope
-- under the demographics key sealed to "dup_pairs.note:id".
CREATE TABLE dup_pairs (
	id            INTEGER PRIMARY KEY,
	patient_a     INTEGER NOT NULL REFERENCES patients(id),
	patient_b     INTEGER NOT NULL REFERENCES patients(id),
	score         INTEGER NOT NULL,
	reasons       TEXT NOT NULL,
	status        TEXT NOT NULL DEFAULT 'potential'
	              CHECK (status IN ('potential', 'duplicate', 'not-duplicate')),
	found_at      TEXT NOT NULL,     -- UTC, the scan that last scored it
	decided_by    TEXT,
	decided_at    TEXT,
	note          BLOB,              -- sealed; NULL none
	merged        INTEGER,           -- set by the merge (not by the scan); NULL not merged
	row_version   INTEGER NOT NULL DEFAULT 1,
	CHECK (patient_a < patient_b),
	UNIQUE (patient_a, patient_b)
) STRICT;
CREATE INDEX dup_pairs_status ON dup_pairs(status, score);
CREATE INDEX dup_pairs_b ON dup_pairs(patient_b);
