-- folio 009: paper chart tracking — the volumes of each patient's paper
-- chart, where each one is, the requests for them (the pull list) and every
-- movement ever made (src/core/tracking*.c).
--
-- Locations and borrowers ("File room A", "doctor", "Cardiology clinic")
-- are places and staff, not PHI: they stay plain so the pull list and the
-- overdue list are read without a key.  Free-text reasons (why a chart is
-- requested, why it is missing) may speak of the patient's care: they are
-- envelopes under the clinical key, like encounter_events.reason.

-- One row per physical folder.  The state columns say where it is now;
-- chart_moves says how it got there.  Nothing here changes without a row
-- in chart_moves written in the same transaction.
CREATE TABLE chart_volumes (
	id            INTEGER PRIMARY KEY,
	patient_id    INTEGER NOT NULL REFERENCES patients(id),
	number        INTEGER NOT NULL CHECK (number >= 1),
	home          TEXT NOT NULL,                 -- its place in the file room
	state         TEXT NOT NULL DEFAULT 'in' CHECK (state IN ('in', 'out', 'missing')),
	borrower      TEXT,                          -- when out
	out_at        TEXT,                          -- UTC, when out
	due           TEXT,                          -- YYYY-MM-DD, when out
	missing_at    TEXT,                          -- UTC, when missing
	created_at    TEXT NOT NULL,
	row_version   INTEGER NOT NULL DEFAULT 1,
	UNIQUE (patient_id, number),
	CHECK ((state = 'out') = (borrower IS NOT NULL AND out_at IS NOT NULL AND due IS NOT NULL)),
	CHECK ((state = 'missing') = (missing_at IS NOT NULL))
) STRICT;
CREATE INDEX chart_volumes_out ON chart_volumes(due) WHERE state = 'out';

-- Requests for a patient's chart: the open ones, by date needed, are the
-- pull list.  A charge-out to the requester fulfils one.
CREATE TABLE chart_requests (
	id            INTEGER PRIMARY KEY,
	patient_id    INTEGER NOT NULL REFERENCES patients(id),
	requester     TEXT NOT NULL,                 -- user name
	needed        TEXT NOT NULL,                 -- YYYY-MM-DD
	requested_at  TEXT NOT NULL,
	state         TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'fulfilled', 'cancelled')),
	closed_at     TEXT,
	closed_by     TEXT
) STRICT;
CREATE INDEX chart_requests_open ON chart_requests(needed, id) WHERE state = 'open';
CREATE INDEX chart_requests_patient ON chart_requests(patient_id, state);

-- Every movement, append-only: a volume made, charged out, checked in,
-- flagged missing, found; a request made or cancelled (volume_id NULL).
CREATE TABLE chart_moves (
	id            INTEGER PRIMARY KEY,
	patient_id    INTEGER NOT NULL REFERENCES patients(id),
	volume_id     INTEGER REFERENCES chart_volumes(id),
	request_id    INTEGER REFERENCES chart_requests(id),
	at            TEXT NOT NULL,                 -- when it happened (may be back-timed)
	recorded_at   TEXT NOT NULL,                 -- when it was entered
	kind          TEXT NOT NULL CHECK (kind IN ('created', 'out', 'in', 'missing', 'found',
	              'request', 'cancel')),
	from_loc      TEXT NOT NULL DEFAULT '',
	to_loc        TEXT NOT NULL DEFAULT '',
	due           TEXT,                          -- out: the due-back date
	reason        BLOB,                          -- envelope (clinical key), AD chart_moves.reason:id
	by_user       TEXT NOT NULL,
	CHECK ((volume_id IS NULL) = (kind IN ('request', 'cancel')))
) STRICT;
CREATE INDEX chart_moves_patient ON chart_moves(patient_id, id);
CREATE INDEX chart_moves_volume ON chart_moves(volume_id, id) WHERE volume_id IS NOT NULL;
-- The row id is chosen before the insert (inside the write transaction) so
-- the reason is sealed to it and written with the row: no update is ever
-- needed.  Only patient_id may change, for a merge of duplicate charts,
-- which moves every row of the losing chart.
CREATE TRIGGER chart_moves_no_update BEFORE UPDATE ON chart_moves
WHEN NEW.id IS NOT OLD.id OR NEW.volume_id IS NOT OLD.volume_id OR NEW.request_id IS NOT OLD.request_id
  OR NEW.at IS NOT OLD.at OR NEW.recorded_at IS NOT OLD.recorded_at OR NEW.kind IS NOT OLD.kind
  OR NEW.from_loc IS NOT OLD.from_loc OR NEW.to_loc IS NOT OLD.to_loc OR NEW.due IS NOT OLD.due
  OR NEW.reason IS NOT OLD.reason OR NEW.by_user IS NOT OLD.by_user
BEGIN SELECT RAISE(ABORT, 'chart movements are append-only'); END;
CREATE TRIGGER chart_moves_no_delete BEFORE DELETE ON chart_moves
BEGIN SELECT RAISE(ABORT, 'chart movements are append-only'); END;
