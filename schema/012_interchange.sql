-- folio 012: what imports from other systems share (src/core/import_keys.c;
-- domain.md "Interchange").
--
-- Other systems' identifiers for a patient (HL7 PID-3 with its assigning
-- authority, a Synthea patient Id) are PHI: the value is sealed under the
-- demographics key, and the row is found by a keyed hash of authority and
-- value (include/folio/crypto.h idkeyer), never by the value itself.
CREATE TABLE external_ids (
	id           INTEGER PRIMARY KEY,
	patient_id   INTEGER NOT NULL REFERENCES patients(id),
	authority    TEXT NOT NULL,      -- assigning authority or source ("synthea", "HOSP")
	tag          TEXT NOT NULL UNIQUE,  -- keyed hash (hex) of authority and value
	value        BLOB NOT NULL,      -- sealed, AD external_ids.value:id
	created_at   TEXT NOT NULL       -- UTC
) STRICT;
CREATE INDEX external_ids_patient ON external_ids(patient_id);

-- Every row an import made, under a keyed hash of its source, kind and the
-- source's own id, so importing the same file again adds nothing.
CREATE TABLE import_keys (
	tag          TEXT PRIMARY KEY,   -- keyed hash (hex) of "source:kind:id"
	row_table    TEXT NOT NULL,
	row_id       INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX import_keys_row ON import_keys(row_table, row_id);

-- One row per import run: what was read, made and skipped (counts and
-- reasons by kind; never PHI).
CREATE TABLE import_runs (
	id           INTEGER PRIMARY KEY,
	kind         TEXT NOT NULL CHECK (kind IN ('synthea', 'hl7')),
	started_at   TEXT NOT NULL,
	finished_at  TEXT,
	by_user      TEXT NOT NULL,
	rows_read    INTEGER NOT NULL DEFAULT 0,
	rows_imported INTEGER NOT NULL DEFAULT 0,
	rows_skipped INTEGER NOT NULL DEFAULT 0,
	summary      TEXT NOT NULL DEFAULT ''
) STRICT;
