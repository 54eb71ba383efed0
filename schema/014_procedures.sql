-- folio 014: procedures as clinical items (a Synthea import files them;
-- clinical.h CLIN_PROCEDURE).  SQLite cannot widen a CHECK in place, so
-- clinical_items is rebuilt with 'procedure' among its kinds; nothing
-- references it, and its ids and rows are copied unchanged.
CREATE TABLE clinical_items_014 (
	id           INTEGER PRIMARY KEY,
	patient_id   INTEGER NOT NULL REFERENCES patients(id),
	encounter_id INTEGER REFERENCES encounters(id),
	-- the sets are spelled as comparisons: SQLite checks "x IN (more than
	-- two values)" through a temporary index built for every row written,
	-- which costs more than the rest of an imported item's insert
	kind         TEXT NOT NULL CHECK (kind = 'vitals' OR kind = 'allergy' OR kind = 'nka' OR
	             kind = 'problem' OR kind = 'medication' OR kind = 'result' OR kind = 'procedure'),
	status       TEXT NOT NULL CHECK (status = 'recorded' OR status = 'active' OR status = 'inactive' OR
	             status = 'resolved' OR status = 'stopped' OR status = 'completed' OR status = 'new' OR
	             status = 'reviewed' OR status = 'superseded' OR status = 'entered-in-error'),
	recorded_at  TEXT NOT NULL,
	recorded_by  TEXT NOT NULL,
	body         BLOB NOT NULL,
	row_version  INTEGER NOT NULL DEFAULT 1
) STRICT;
INSERT INTO clinical_items_014 SELECT id, patient_id, encounter_id, kind, status, recorded_at, recorded_by,
	body, row_version FROM clinical_items;
DROP TABLE clinical_items;
ALTER TABLE clinical_items_014 RENAME TO clinical_items;
CREATE INDEX clinical_items_patient ON clinical_items(patient_id, kind, status);
