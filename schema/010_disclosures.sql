-- folio 010: the disclosure ledger and the accountings given from it
-- (src/core/disclosure.c; domain.md "Release of information").
--
-- Every disclosure of a patient's information to a person or agency is one
-- row, never changed or removed: a mistake is put right by a new row whose
-- `corrects` names the old one, and the accounting shows the newest version.
-- Who received it, their address, what went out and why may speak of the
-- patient's care: they are envelopes under the clinical key, sealed to
-- "disclosures.COLUMN:id".  The date and the legal basis (kind) stay plain
-- so the 6-year window and the excluded kinds are chosen without a key.
CREATE TABLE disclosures (
	id           INTEGER PRIMARY KEY,
	patient_id   INTEGER NOT NULL REFERENCES patients(id),
	disclosed_on TEXT NOT NULL CHECK (disclosed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	kind         TEXT NOT NULL CHECK (kind IN ('treatment', 'payment', 'operations', 'patient',
		'authorization', 'incidental', 'directory', 'national-security', 'correctional',
		'limited-data-set', 'public-health', 'court-order', 'subpoena', 'law-enforcement',
		'health-oversight', 'research', 'abuse-report', 'decedent', 'organ-donation',
		'serious-threat', 'workers-comp', 'required-by-law')),
	recipient    BLOB NOT NULL,      -- sealed
	address      BLOB NOT NULL,      -- sealed ("" when not known)
	description  BLOB NOT NULL,      -- sealed: what was disclosed
	purpose      BLOB NOT NULL,      -- sealed
	source       TEXT NOT NULL CHECK (source IN ('manual', 'roi', 'export')),
	source_id    INTEGER,            -- the release request or export run, when there is one
	corrects     INTEGER UNIQUE REFERENCES disclosures(id),
	recorded_by  TEXT NOT NULL,
	recorded_at  TEXT NOT NULL       -- UTC
) STRICT;
CREATE INDEX disclosures_patient ON disclosures(patient_id, disclosed_on);
CREATE TRIGGER disclosures_no_update BEFORE UPDATE ON disclosures
BEGIN SELECT RAISE(ABORT, 'the disclosure ledger is append-only'); END;
CREATE TRIGGER disclosures_no_delete BEFORE DELETE ON disclosures
BEGIN SELECT RAISE(ABORT, 'the disclosure ledger is append-only'); END;

-- Each accounting of disclosures given to a patient: the first in any 12
-- months is free (45 CFR 164.528(c)(2)).  Facts only, append-only too.
CREATE TABLE accountings (
	id           INTEGER PRIMARY KEY,
	patient_id   INTEGER NOT NULL REFERENCES patients(id),
	requested_on TEXT NOT NULL,      -- YYYY-MM-DD
	provided_on  TEXT NOT NULL,      -- YYYY-MM-DD
	entries      INTEGER NOT NULL CHECK (entries >= 0),
	free         INTEGER NOT NULL CHECK (free IN (0, 1)),
	given_by     TEXT NOT NULL,
	given_at     TEXT NOT NULL       -- UTC
) STRICT;
CREATE INDEX accountings_patient ON accountings(patient_id, provided_on);
CREATE TRIGGER accountings_no_update BEFORE UPDATE ON accountings
BEGIN SELECT RAISE(ABORT, 'accountings are append-only'); END;
CREATE TRIGGER accountings_no_delete BEFORE DELETE ON accountings
BEGIN SELECT RAISE(ABORT, 'accountings are append-only'); END;
