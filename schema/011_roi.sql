-- folio 011: release-of-information requests (src/core/roi*.c; domain.md
-- "Release of information").
--
-- A request is logged when it arrives, validated against its authority,
-- filled with exactly the items the technician picks (minimum necessary),
-- and released as one packet, denied with a reason, or withdrawn.  Who asked,
-- their organisation and address, the purpose and any free-text reason may
-- speak of the patient: envelopes under the clinical key sealed to
-- "roi_requests.COLUMN:id".  Dates, the authority, the scope asked for and the
-- status stay plain so the worklist, the due dates and the checks need no key
-- (document types are plain in documents too).
CREATE TABLE roi_requests (
	id            INTEGER PRIMARY KEY,
	patient_id    INTEGER NOT NULL REFERENCES patients(id),
	received_on   TEXT NOT NULL,     -- YYYY-MM-DD
	due_on        TEXT NOT NULL,     -- received + 30 days, + 30 more once extended
	extended_on   TEXT,              -- when the one extension was recorded
	status        TEXT NOT NULL CHECK (status IN ('logged', 'validating', 'pending', 'released',
	              'partial', 'denied', 'withdrawn')),
	authority     TEXT NOT NULL CHECK (authority IN ('authorization', 'patient', 'subpoena',
	              'court-order', 'public-health', 'legal-mandate', 'treatment')),
	auth_signed   TEXT,              -- the day the authorization (or order) was signed; NULL unsigned
	auth_expires  TEXT,              -- its expiry; NULL none given
	names         TEXT NOT NULL DEFAULT '',  -- restricted categories it names: psychotherapy,substance
	asks          TEXT NOT NULL,     -- what is asked for: 'all' or types and sections, comma separated
	asks_from     TEXT,              -- dates of service asked for, both or neither
	asks_to       TEXT,
	requester     BLOB NOT NULL,     -- sealed
	organisation  BLOB NOT NULL,     -- sealed ("" none)
	address       BLOB NOT NULL,     -- sealed ("" none)
	purpose       BLOB NOT NULL,     -- sealed
	reason        BLOB,              -- sealed: why denied, withdrawn or extended (the latest)
	released_on   TEXT,
	packet_pages  INTEGER,
	packet_hash   TEXT,              -- BLAKE2b of the packet as delivered, hex
	disclosure_id INTEGER REFERENCES disclosures(id),
	created_by    TEXT NOT NULL,
	created_at    TEXT NOT NULL,     -- UTC
	row_version   INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX roi_requests_patient ON roi_requests(patient_id, received_on);
CREATE INDEX roi_requests_open ON roi_requests(status, due_on);

-- What goes out: documents by number, chart sections by name.
CREATE TABLE roi_items (
	request_id    INTEGER NOT NULL REFERENCES roi_requests(id),
	kind          TEXT NOT NULL CHECK (kind IN ('document', 'section')),
	ref           TEXT NOT NULL,     -- a document id, or a section name
	added_by      TEXT NOT NULL,
	PRIMARY KEY (request_id, kind, ref)
) STRICT, WITHOUT ROWID;

-- The request's history: each step, who and when.  Facts only (what holds
-- PHI is sealed in roi_requests); append-only.
CREATE TABLE roi_events (
	id            INTEGER PRIMARY KEY,
	request_id    INTEGER NOT NULL REFERENCES roi_requests(id),
	at            TEXT NOT NULL,     -- UTC
	by_user       TEXT NOT NULL,
	step          TEXT NOT NULL,     -- logged, validated, problems, selected, extended, released, ...
	status        TEXT NOT NULL,     -- the status after it
	detail        TEXT NOT NULL DEFAULT ''  -- counts and codes, never PHI
) STRICT;
CREATE INDEX roi_events_request ON roi_events(request_id, id);
CREATE TRIGGER roi_events_no_update BEFORE UPDATE ON roi_events
BEGIN SELECT RAISE(ABORT, 'the request history is append-only'); END;
CREATE TRIGGER roi_events_no_delete BEFORE DELETE ON roi_events
BEGIN SELECT RAISE(ABORT, 'the request history is append-only'); END;
