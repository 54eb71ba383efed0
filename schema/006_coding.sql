-- folio 006: the coding of an encounter (ICD-10-CM diagnoses with POA,
-- ICD-10-PCS procedures with dates) and its last grouping (MS-DRG, with the
-- grouper version and a hash of the grouper's inputs).  Codes tied to a
-- patient are PHI: everything is in one envelope per encounter (clinical
-- key, AD encounter_coding.body:encounter_id).  Plain are only what the
-- completeness review queries: who coded when, and a status.

CREATE TABLE encounter_coding (
	encounter_id INTEGER PRIMARY KEY REFERENCES encounters(id),
	status       TEXT NOT NULL CHECK (status IN ('in-progress', 'grouped', 'ungroupable')),
	coded_at     TEXT NOT NULL,
	coded_by     TEXT NOT NULL,
	body         BLOB NOT NULL,
	row_version  INTEGER NOT NULL DEFAULT 1
) STRICT;
