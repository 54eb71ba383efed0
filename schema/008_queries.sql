-- folio 008: physician queries (AHIMA/ACDIS compliant query practice).
-- The question, indicators and options (body), the answer and the reason
-- for a withdrawal are envelopes under the clinical key, AD
-- queries.COLUMN:id.  Plain are only what lists and the supervisor's queue
-- select on: the patient, the encounter, the format, the status, who and
-- when.  "escalated" is not stored: an open query is escalated from its
-- escalation date on, worked out when read.
CREATE TABLE queries (
	id            INTEGER PRIMARY KEY,
	patient_id    INTEGER NOT NULL REFERENCES patients(id),
	encounter_id  INTEGER NOT NULL REFERENCES encounters(id),
	format        TEXT NOT NULL CHECK (format IN ('open', 'multiple-choice', 'yes-no')),
	yesno_case    TEXT CHECK (yesno_case IS NULL OR yesno_case IN ('documented', 'poa', 'cause', 'conflict')),
	status        TEXT NOT NULL CHECK (status IN ('open', 'answered', 'withdrawn', 'closed')),
	to_user       TEXT NOT NULL,      -- the physician asked
	from_user     TEXT NOT NULL,      -- the coder who asked
	created_at    TEXT NOT NULL,
	due_on        TEXT NOT NULL,      -- YYYY-MM-DD
	escalate_on   TEXT NOT NULL,      -- YYYY-MM-DD, not before due_on
	body          BLOB,               -- question, indicators, options
	answered_at   TEXT,
	answered_by   TEXT,
	answer        BLOB,               -- option picked, text, comment
	addendum_id   INTEGER REFERENCES documents(id),  -- the signed answer in the record
	ended_at      TEXT,               -- withdrawn or closed
	ended_by      TEXT,
	withdraw_reason BLOB,
	row_version   INTEGER NOT NULL DEFAULT 1,
	CHECK ((format = 'yes-no') = (yesno_case IS NOT NULL)),
	CHECK (escalate_on >= due_on)
) STRICT;
CREATE INDEX queries_patient ON queries(patient_id, encounter_id);
CREATE INDEX queries_to ON queries(to_user, status, created_at);
CREATE INDEX queries_pending ON queries(status, due_on);
