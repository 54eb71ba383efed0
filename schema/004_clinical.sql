-- folio 004: the clinical data of the chart: vitals, allergies and the
-- "no known allergies" assertion, problems, medications, results.
-- Every value is in one envelope per item (clinical key, AD
-- clinical_items.body:id); plain are only what is not PHI and is needed to
-- query: the patient, the encounter, the kind, the status, who and when.

CREATE TABLE clinical_items (
	id           INTEGER PRIMARY KEY,
	patient_id   INTEGER NOT NULL REFERENCES patients(id),
	encounter_id INTEGER REFERENCES encounters(id),
	kind         TEXT NOT NULL CHECK (kind IN
	             ('vitals', 'allergy', 'nka', 'problem', 'medication', 'result')),
	status       TEXT NOT NULL CHECK (status IN
	             ('recorded', 'active', 'inactive', 'resolved', 'stopped', 'completed', 'new',
	              'reviewed', 'superseded', 'entered-in-error')),
	recorded_at  TEXT NOT NULL,
	recorded_by  TEXT NOT NULL,
	body         BLOB NOT NULL,
	row_version  INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX clinical_items_patient ON clinical_items(patient_id, kind, status);
