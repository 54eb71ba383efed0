-- folio 007: completeness review (VistA Incomplete Records Tracking): the
-- rules a chart must meet, the deficiencies found against them with every
-- step of their status chain, and reminders sent to physicians (the
-- delinquency settings are site settings, in 001's table).  Plain here are rule codes, statuses, staff user
-- names, times and record numbers: none identifies a patient or describes
-- their health.  Notes (free text) are envelopes under the clinical key.

CREATE TABLE deficiency_rules (
	code        TEXT PRIMARY KEY,
	title       TEXT NOT NULL,
	applies     TEXT NOT NULL CHECK (applies IN ('inpatient', 'visit', 'all')),
	anchor      TEXT NOT NULL CHECK (anchor IN ('admission', 'discharge')),
	responsible TEXT NOT NULL,          -- attending|author|cosigner|coder|records|a user name
	days        INTEGER NOT NULL CHECK (days BETWEEN 0 AND 365),
	short_stay  INTEGER NOT NULL DEFAULT 1 CHECK (short_stay IN (0, 1)),
	active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	ord         INTEGER NOT NULL,       -- order of listing
	row_version INTEGER NOT NULL DEFAULT 1
) STRICT;

-- The default set.  A discharge summary is not required after a short stay
-- (CMS lets a final progress note stand for it under 48 hours).
INSERT INTO deficiency_rules (code, title, applies, anchor, responsible, days, short_stay, ord) VALUES
	('hp', 'History and physical', 'inpatient', 'admission', 'author', 1, 1, 1),
	('discharge-summary', 'Discharge summary signed', 'inpatient', 'discharge', 'author', 14, 0, 2),
	('signature', 'Document signed', 'all', 'discharge', 'author', 14, 1, 3),
	('cosignature', 'Document cosigned', 'all', 'discharge', 'cosigner', 14, 1, 4),
	('operative', 'Operative report for each OR procedure', 'inpatient', 'discharge', 'attending', 7, 1, 5),
	('discharge-status', 'Discharge status recorded', 'inpatient', 'discharge', 'attending', 1, 1, 6),
	('coding', 'Principal diagnosis coded, DRG assigned', 'inpatient', 'discharge', 'coder', 10, 1, 7),
	('visit-diagnosis', 'A diagnosis coded for the visit', 'visit', 'discharge', 'coder', 5, 1, 8),
	('vitals', 'Vitals taken at the visit', 'visit', 'discharge', 'attending', 1, 1, 9),
	('allergies', 'Allergies assessed', 'visit', 'discharge', 'attending', 1, 1, 10),
	('demographics', 'Demographics consistent', 'all', 'discharge', 'records', 7, 1, 11);

-- One row per (encounter, rule, subject): subject is the document a
-- per-document rule is about, 0 for a rule of the whole encounter.
-- patient_id is there so the gate finds the chart of a deficiency number.
CREATE TABLE deficiencies (
	id           INTEGER PRIMARY KEY,
	patient_id   INTEGER NOT NULL REFERENCES patients(id),
	encounter_id INTEGER NOT NULL REFERENCES encounters(id),
	rule         TEXT NOT NULL REFERENCES deficiency_rules(code),
	subject      INTEGER NOT NULL DEFAULT 0,
	document_id  INTEGER REFERENCES documents(id),
	status       TEXT NOT NULL CHECK (status IN ('incomplete', 'dictated', 'transcribed', 'signed',
	             'reviewed', 'completed', 'withdrawn')),
	responsible  TEXT NOT NULL DEFAULT '',  -- user name; '' = the rule's pool
	assigned     INTEGER NOT NULL DEFAULT 0, -- 1: set by hand, kept over re-evaluation
	by_hand      INTEGER NOT NULL DEFAULT 0, -- 1: closed or reopened by a person
	detail       TEXT NOT NULL DEFAULT '',  -- what is missing, no PHI
	anchor_at    TEXT,                      -- admission or discharge/close time
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL,
	row_version  INTEGER NOT NULL DEFAULT 1,
	UNIQUE (encounter_id, rule, subject)
) STRICT;
CREATE INDEX deficiencies_open ON deficiencies(status, responsible);
CREATE INDEX deficiencies_patient ON deficiencies(patient_id, encounter_id);

-- Every step: created, each status change (with who and when), assignment,
-- note, reminder, reopening, review.  Append-only.
CREATE TABLE deficiency_events (
	id            INTEGER PRIMARY KEY,
	deficiency_id INTEGER NOT NULL REFERENCES deficiencies(id),
	at            TEXT NOT NULL,
	by_user       TEXT NOT NULL,
	kind          TEXT NOT NULL CHECK (kind IN ('created', 'status', 'assign', 'note', 'remind', 'reopen',
	              'review', 'complete')),
	from_status   TEXT NOT NULL DEFAULT '',
	to_status     TEXT NOT NULL DEFAULT '',
	to_user       TEXT NOT NULL DEFAULT '',
	note          BLOB                      -- envelope (clinical key), AD deficiency_events.note:id
) STRICT;
CREATE INDEX deficiency_events_def ON deficiency_events(deficiency_id, id);
CREATE INDEX deficiency_events_remind ON deficiency_events(to_user, kind);
CREATE TRIGGER deficiency_events_no_update BEFORE UPDATE OF deficiency_id, at, by_user, kind, from_status,
	to_status, to_user ON deficiency_events
BEGIN SELECT RAISE(ABORT, 'deficiency events are append-only'); END;
CREATE TRIGGER deficiency_events_no_delete BEFORE DELETE ON deficiency_events
BEGIN SELECT RAISE(ABORT, 'deficiency events are append-only'); END;
