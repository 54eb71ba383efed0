-- folio 001: keys, users, settings and the audit chain.
-- No column here holds patient data in plain text; user names, roles and
-- audit actions are staff and system identifiers.

-- Every key class and version ever made.  The keys themselves exist only
-- wrapped: per user (user_keys) and under the recovery key (recovery_keys).
CREATE TABLE key_versions (
	class      INTEGER NOT NULL CHECK (class BETWEEN 1 AND 5),
	version    INTEGER NOT NULL CHECK (version >= 1),
	created_at TEXT NOT NULL,
	retired_at TEXT,
	PRIMARY KEY (class, version)
) STRICT;

CREATE TABLE users (
	id              INTEGER PRIMARY KEY,
	name            TEXT NOT NULL UNIQUE,
	role            TEXT NOT NULL CHECK (role IN
	                ('frontdesk', 'technician', 'supervisor', 'physician', 'admin')),
	kdf_salt        BLOB NOT NULL CHECK (length(kdf_salt) = 16),
	kdf_ops         INTEGER NOT NULL,
	kdf_mem         INTEGER NOT NULL,
	kdf_alg         INTEGER NOT NULL,
	failed_logins   INTEGER NOT NULL DEFAULT 0,
	locked_until    INTEGER NOT NULL DEFAULT 0,  -- epoch seconds; 0 = not locked out
	admin_locked    INTEGER NOT NULL DEFAULT 0,
	last_login_at   TEXT,
	last_login_from TEXT,
	created_at      TEXT NOT NULL,
	row_version     INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE user_keys (
	user_id INTEGER NOT NULL REFERENCES users(id),
	class   INTEGER NOT NULL,
	version INTEGER NOT NULL,
	wrapped BLOB NOT NULL,
	PRIMARY KEY (user_id, class, version),
	FOREIGN KEY (class, version) REFERENCES key_versions(class, version)
) STRICT;

CREATE TABLE recovery_keys (
	class   INTEGER NOT NULL,
	version INTEGER NOT NULL,
	wrapped BLOB NOT NULL,
	PRIMARY KEY (class, version),
	FOREIGN KEY (class, version) REFERENCES key_versions(class, version)
) STRICT;

CREATE TABLE settings (
	name  TEXT PRIMARY KEY,
	value INTEGER NOT NULL
) STRICT;

-- The audit log: append-only, hash-chained (design.md section 3).
-- key_version 0 marks a row written before anyone signed in (a failed
-- sign-in); its hash is unkeyed and the next keyed row seals it.
CREATE TABLE audit_log (
	seq         INTEGER PRIMARY KEY,
	at          TEXT NOT NULL,
	user_name   TEXT NOT NULL,
	role        TEXT NOT NULL,
	workstation TEXT NOT NULL,
	action      TEXT NOT NULL,
	outcome     TEXT NOT NULL,
	mrn         TEXT NOT NULL DEFAULT '',
	object_type TEXT NOT NULL DEFAULT '',
	object_id   TEXT NOT NULL DEFAULT '',
	reason      TEXT NOT NULL DEFAULT '',
	key_version INTEGER NOT NULL,
	hash        BLOB NOT NULL CHECK (length(hash) = 32)
) STRICT;
CREATE INDEX audit_log_user ON audit_log(user_name, seq);
CREATE INDEX audit_log_mrn ON audit_log(mrn, seq) WHERE mrn <> '';

-- The chain's newest (seq, hash), written with each row, so a deleted last
-- row is caught too.
CREATE TABLE audit_anchor (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	seq  INTEGER NOT NULL,
	hash BLOB NOT NULL CHECK (length(hash) = 32)
) STRICT;
INSERT INTO audit_anchor (id, seq, hash) VALUES (1, 0, zeroblob(32));

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_anchor_no_delete BEFORE DELETE ON audit_anchor
BEGIN SELECT RAISE(ABORT, 'audit anchor cannot be deleted'); END;
CREATE TRIGGER audit_anchor_forward BEFORE UPDATE ON audit_anchor
WHEN NEW.seq <> OLD.seq + 1
BEGIN SELECT RAISE(ABORT, 'audit anchor only moves forward by one'); END;
