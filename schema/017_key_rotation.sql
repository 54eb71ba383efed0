-- folio 017: key rotation (issue 9, `folio rekey CLASS`; design.md section 2).
--
-- A rotation makes version v+1 of a class key and must hand it to every
-- holder without knowing their passwords, in a way the old key alone does
-- not open.  Each user gets an X25519 box key pair: the public half here,
-- the secret half wrapped under their password key.  The new class key is
-- sealed to each public half as an offer; the holder opens it at sign-in,
-- wraps it under their password key into user_keys and the offer goes.
-- recipient 0 is the recovery key, whose pair is derived from the recovery
-- key itself (its public half in recovery_box, written at init or at the
-- first `recover` of an older database).
ALTER TABLE users ADD COLUMN box_public BLOB CHECK (box_public IS NULL OR length(box_public) = 32);
ALTER TABLE users ADD COLUMN box_wrapped BLOB;

CREATE TABLE key_offers (
	recipient INTEGER NOT NULL,          -- users.id, or 0 for the recovery key
	class     INTEGER NOT NULL,
	version   INTEGER NOT NULL,
	sealed    BLOB NOT NULL,             -- crypto_box_seal(class | version | key)
	PRIMARY KEY (recipient, class, version),
	FOREIGN KEY (class, version) REFERENCES key_versions(class, version)
) STRICT;

CREATE TABLE recovery_box (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	box_public BLOB NOT NULL CHECK (length(box_public) = 32)
) STRICT;

-- Append-only ledgers stay append-only in every fact, but a rotation must
-- reseal their envelopes.  The one change allowed to an envelope column is
-- a reseal: same envelope format and key class (bytes 1-2), a strictly
-- newer key version (bytes 3-6, big-endian, so blob order is number order).
-- coalesce: a NULL on either side (a reason set or cleared) makes the
-- comparison NULL, which must count as a change, not as a reseal.
DROP TRIGGER chart_moves_no_update;
CREATE TRIGGER chart_moves_no_update BEFORE UPDATE ON chart_moves
WHEN NEW.id IS NOT OLD.id OR NEW.volume_id IS NOT OLD.volume_id OR NEW.request_id IS NOT OLD.request_id
  OR NEW.at IS NOT OLD.at OR NEW.recorded_at IS NOT OLD.recorded_at OR NEW.kind IS NOT OLD.kind
  OR NEW.from_loc IS NOT OLD.from_loc OR NEW.to_loc IS NOT OLD.to_loc OR NEW.due IS NOT OLD.due
  OR NEW.by_user IS NOT OLD.by_user
  OR NOT coalesce(NEW.reason IS OLD.reason OR (substr(NEW.reason, 1, 2) = substr(OLD.reason, 1, 2)
          AND substr(NEW.reason, 3, 4) > substr(OLD.reason, 3, 4)), 0)
BEGIN SELECT RAISE(ABORT, 'chart movements are append-only'); END;

DROP TRIGGER disclosures_no_update;
CREATE TRIGGER disclosures_no_update BEFORE UPDATE OF id, disclosed_on, kind, source, source_id, corrects,
	recorded_by, recorded_at ON disclosures
BEGIN SELECT RAISE(ABORT, 'the disclosure ledger is append-only'); END;
CREATE TRIGGER disclosures_no_rewrite BEFORE UPDATE OF recipient, address, description, purpose ON disclosures
WHEN NOT coalesce(NEW.recipient IS OLD.recipient OR (substr(NEW.recipient, 1, 2) = substr(OLD.recipient, 1, 2)
          AND substr(NEW.recipient, 3, 4) > substr(OLD.recipient, 3, 4)), 0)
  OR NOT coalesce(NEW.address IS OLD.address OR (substr(NEW.address, 1, 2) = substr(OLD.address, 1, 2)
          AND substr(NEW.address, 3, 4) > substr(OLD.address, 3, 4)), 0)
  OR NOT coalesce(NEW.description IS OLD.description OR (substr(NEW.description, 1, 2) = substr(OLD.description, 1, 2)
          AND substr(NEW.description, 3, 4) > substr(OLD.description, 3, 4)), 0)
  OR NOT coalesce(NEW.purpose IS OLD.purpose OR (substr(NEW.purpose, 1, 2) = substr(OLD.purpose, 1, 2)
          AND substr(NEW.purpose, 3, 4) > substr(OLD.purpose, 3, 4)), 0)
BEGIN SELECT RAISE(ABORT, 'the disclosure ledger is append-only'); END;
