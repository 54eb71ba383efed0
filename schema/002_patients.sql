-- folio 002: the master patient index, check-in encounters, restricted-
-- record alerts.  Demographics are one envelope per patient (demographics
-- key), with a second small one, the card, holding only what a lookup ranks
-- by and lists (src/core/core_internal.h); lookup goes through blind-index
-- tags, never plaintext.

CREATE TABLE patients (
	id             INTEGER PRIMARY KEY,
	mrn            TEXT NOT NULL UNIQUE,   -- chart number with check digit
	card           BLOB NOT NULL,          -- envelope, AD patients.card:id
	demographics   BLOB NOT NULL,          -- envelope, AD patients.demographics:id
	restricted     INTEGER NOT NULL DEFAULT 0,
	test_patient   INTEGER NOT NULL DEFAULT 0,
	staff_user_id  INTEGER REFERENCES users(id),  -- a staff member's own record
	created_at     TEXT NOT NULL,
	updated_at     TEXT NOT NULL,
	row_version    INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE UNIQUE INDEX patients_staff ON patients(staff_user_id) WHERE staff_user_id IS NOT NULL;

-- MRN sequence: the next chart number to hand out.
CREATE TABLE mrn_sequence (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	next INTEGER NOT NULL
) STRICT;
INSERT INTO mrn_sequence (id, next) VALUES (1, 1000001);

-- Blind indexes: (kind, truncated keyed tag) -> patient.  Kinds are fixed
-- in src/core/patient_index.c.  key packs gen << 21 | kind << 18 | tag in
-- one integer, gen being the patient's row id >> 16: the rows of one
-- generation of 65,536 patients are contiguous, so bulk registration
-- writes into a few thousand pages (within the page cache) rather than
-- journaling and rewriting most of the index in every transaction, and a
-- lookup reads one run of rows per generation.
CREATE TABLE patient_index (
	key        INTEGER NOT NULL,
	patient_id INTEGER NOT NULL REFERENCES patients(id),
	PRIMARY KEY (key, patient_id)
) STRICT, WITHOUT ROWID;
-- No index by patient: an edit recomputes the old rows from the old
-- record and deletes them by key (a quarter of the file saved).

-- The surname-prefix + initial index ("SMI,J": the front desk's usual
-- query, and the largest buckets) has its own table, keyed the same way,
-- whose rows carry the patient's card (the same envelope as patients.card):
-- walking a bucket reads runs of rows instead of seeking one patients row
-- per candidate.
CREATE TABLE patient_cards (
	key        INTEGER NOT NULL,
	patient_id INTEGER NOT NULL REFERENCES patients(id),
	card       BLOB NOT NULL,
	PRIMARY KEY (key, patient_id)
) STRICT, WITHOUT ROWID;

-- Encounters: issue 4 adds admissions; check-in opens outpatient visits.
CREATE TABLE encounters (
	id          INTEGER PRIMARY KEY,
	patient_id  INTEGER NOT NULL REFERENCES patients(id),
	kind        TEXT NOT NULL CHECK (kind IN ('outpatient', 'emergency', 'inpatient')),
	state       TEXT NOT NULL,
	started_at  TEXT NOT NULL,
	day         TEXT NOT NULL,            -- YYYY-MM-DD (UTC) of started_at
	clinic      TEXT NOT NULL DEFAULT '',
	reason      BLOB,                     -- envelope, AD encounters.reason:id
	created_by  TEXT NOT NULL,
	row_version INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX encounters_day ON encounters(day, id);
CREATE INDEX encounters_patient ON encounters(patient_id, started_at);

-- Restricted-record openings for the supervisor; the reason is encrypted
-- (demographics key, AD alerts.reason:id).
CREATE TABLE alerts (
	id          INTEGER PRIMARY KEY,
	at          TEXT NOT NULL,
	kind        TEXT NOT NULL,
	user_name   TEXT NOT NULL,
	mrn         TEXT NOT NULL,
	reason      BLOB NOT NULL,
	reviewed_by TEXT,
	reviewed_at TEXT
) STRICT;
CREATE INDEX alerts_open ON alerts(reviewed_at, id);
