-- folio 003: the chart — admissions and their movements, documents with
-- signatures, drafts, and each user's signing keys.

-- Admissions: an inpatient encounter's admit time is started_at; the rest
-- of its life is here.  Attending and service are staff and department
-- names (the census and the deficiency queue select on them); the patient
-- stays behind patient_id.
ALTER TABLE encounters ADD COLUMN ended_at TEXT;          -- discharge / close time
ALTER TABLE encounters ADD COLUMN attending TEXT;         -- user name
ALTER TABLE encounters ADD COLUMN service TEXT;
ALTER TABLE encounters ADD COLUMN room TEXT;
ALTER TABLE encounters ADD COLUMN bed TEXT;
ALTER TABLE encounters ADD COLUMN discharge_status TEXT;  -- UB-04 code, 2 digits

-- Every move of an encounter, in order: nothing is overwritten without a
-- row here, and cancelling keeps what it cancels.
CREATE TABLE encounter_events (
	id           INTEGER PRIMARY KEY,
	encounter_id INTEGER NOT NULL REFERENCES encounters(id),
	at           TEXT NOT NULL,       -- when it happened (may be back-timed)
	recorded_at  TEXT NOT NULL,       -- when it was entered
	kind         TEXT NOT NULL CHECK (kind IN ('preadmit', 'admit', 'transfer', 'discharge',
	             'cancel-admission', 'cancel-discharge', 'visit', 'start', 'close', 'cancel-visit')),
	state        TEXT NOT NULL,       -- the state after it
	attending    TEXT,
	service      TEXT,
	room         TEXT,
	bed          TEXT,
	discharge_status TEXT,
	reason       BLOB,                -- envelope (clinical key), AD encounter_events.reason:id
	by_user      TEXT NOT NULL
) STRICT;
CREATE INDEX encounter_events_enc ON encounter_events(encounter_id, id);
CREATE INDEX encounters_open ON encounters(patient_id, kind, state);

-- Signing keys: Ed25519, one per signature code a user has set.  The secret
-- half is wrapped under Argon2id(signature code); the public half stays so
-- every signature ever made can be checked after the code changes.
CREATE TABLE signing_keys (
	id          INTEGER PRIMARY KEY,
	user_id     INTEGER NOT NULL REFERENCES users(id),
	public_key  BLOB NOT NULL CHECK (length(public_key) = 32),
	wrapped     BLOB NOT NULL,
	kdf_salt    BLOB NOT NULL CHECK (length(kdf_salt) = 16),
	kdf_ops     INTEGER NOT NULL,
	kdf_mem     INTEGER NOT NULL,
	kdf_alg     INTEGER NOT NULL,
	created_at  TEXT NOT NULL,
	retired_at  TEXT
) STRICT;
CREATE INDEX signing_keys_user ON signing_keys(user_id, retired_at);

-- Documents (VistA TIU).  The body is one envelope under the clinical key,
-- or the sensitive key for psychotherapy and substance-use notes.
-- A signature row is kept per signing (author, then cosigner); the text a
-- signature covers is rebuilt from these columns and the decrypted body.
CREATE TABLE documents (
	id            INTEGER PRIMARY KEY,
	patient_id    INTEGER NOT NULL REFERENCES patients(id),
	encounter_id  INTEGER REFERENCES encounters(id),
	type          TEXT NOT NULL CHECK (type IN ('hp', 'progress', 'consult', 'operative', 'procedure',
	              'discharge', 'letter', 'other', 'psychotherapy', 'substance')),
	status        TEXT NOT NULL CHECK (status IN ('undictated', 'untranscribed', 'unverified',
	              'unsigned', 'uncosigned', 'completed', 'amended', 'retracted')),
	author        TEXT NOT NULL,     -- user name of the author
	cosigner      TEXT,              -- expected cosigner, when the author needs one
	entered_by    TEXT NOT NULL,     -- who typed it (a transcriptionist, or the author)
	parent_id     INTEGER REFERENCES documents(id),  -- an addendum's document
	supersedes_id INTEGER REFERENCES documents(id),  -- an amendment's previous version
	refiled_from  INTEGER REFERENCES documents(id),  -- a refiled copy's retracted original
	version       INTEGER NOT NULL DEFAULT 1,
	body          BLOB,              -- envelope, AD documents.body:id; NULL before dictation
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL,
	retracted_at  TEXT,
	retracted_by  TEXT,
	retract_reason BLOB,             -- envelope, AD documents.retract_reason:id
	row_version   INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX documents_patient ON documents(patient_id, created_at);
CREATE INDEX documents_parent ON documents(parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX documents_author ON documents(author, status);

CREATE TABLE signatures (
	id          INTEGER PRIMARY KEY,
	document_id INTEGER NOT NULL REFERENCES documents(id),
	role        TEXT NOT NULL CHECK (role IN ('author', 'cosigner', 'amender')),
	signer      TEXT NOT NULL,
	key_id      INTEGER NOT NULL REFERENCES signing_keys(id),
	signed_at   TEXT NOT NULL,
	body_hash   BLOB NOT NULL CHECK (length(body_hash) = 32),
	signature   BLOB NOT NULL CHECK (length(signature) = 64)
) STRICT;
CREATE INDEX signatures_doc ON signatures(document_id, id);
-- Signed rows are evidence: never changed, never removed.
CREATE TRIGGER signatures_no_update BEFORE UPDATE ON signatures
BEGIN SELECT RAISE(ABORT, 'signatures are append-only'); END;
CREATE TRIGGER signatures_no_delete BEFORE DELETE ON signatures
BEGIN SELECT RAISE(ABORT, 'signatures are append-only'); END;

-- Drafts: a user's unsaved text, saved as they type and when a save is
-- refused as stale; one per (user, document), or per (user, patient) for a
-- new document not yet filed.
CREATE TABLE drafts (
	id           INTEGER PRIMARY KEY,
	user_name    TEXT NOT NULL,
	patient_id   INTEGER NOT NULL REFERENCES patients(id),
	document_id  INTEGER REFERENCES documents(id),
	type         TEXT NOT NULL,
	base_version INTEGER,            -- the document row_version the text started from
	body         BLOB NOT NULL,      -- envelope, AD drafts.body:id, the document's key class
	saved_at     TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX drafts_doc ON drafts(user_name, document_id) WHERE document_id IS NOT NULL;
CREATE INDEX drafts_user ON drafts(user_name, saved_at);
