-- folio 016: the kind checks of encounters and encounter_events spelled as
-- comparisons (issue 8, import speed).  SQLite checks "x IN (more than two
-- values)" through a temporary table built for every row written, which
-- cost more than the rest of an imported encounter (see 014 for
-- clinical_items).  The sets are unchanged, so every row already there
-- satisfies the new text.
--
-- encounters is the parent of half the schema, and the migrations run in
-- one transaction with foreign keys on, where it cannot be dropped and
-- rebuilt; so the CHECK text is rewritten in place, the change SQLite's
-- ALTER TABLE documentation (section "Making Other Kinds Of Table Schema
-- Changes") allows for a constraint every row satisfies: columns, indexes,
-- triggers, foreign keys and row ids stay exactly as they were.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql,
	'CHECK (kind IN (''outpatient'', ''emergency'', ''inpatient''))',
	'CHECK (kind = ''outpatient'' OR kind = ''emergency'' OR kind = ''inpatient'')')
	WHERE type = 'table' AND name = 'encounters';
UPDATE sqlite_schema SET sql = replace(sql,
	'CHECK (kind IN (''preadmit'', ''admit'', ''transfer'', ''discharge'',' || char(10) || char(9) ||
	'             ''cancel-admission'', ''cancel-discharge'', ''visit'', ''start'', ''close'', ''cancel-visit''))',
	'CHECK (kind = ''preadmit'' OR kind = ''admit'' OR kind = ''transfer'' OR kind = ''discharge'' OR'
	|| char(10) || char(9) || '             kind = ''cancel-admission'' OR kind = ''cancel-discharge'' OR'
	|| ' kind = ''visit'' OR kind = ''start'' OR kind = ''close'' OR kind = ''cancel-visit'')')
	WHERE type = 'table' AND name = 'encounter_events';
-- RESET turns writing off and reloads the schema, so this connection
-- compiles the new checks.
PRAGMA writable_schema = RESET;
-- Fails the migration (and so rolls it back) unless both texts changed; as
-- schema changes, creating and dropping it also moves the schema cookie so
-- other connections reload too.
CREATE TABLE migration_016_check (ok INTEGER NOT NULL CHECK (ok = 1)) STRICT;
INSERT INTO migration_016_check SELECT count(*) = 2 FROM sqlite_schema
	WHERE type = 'table' AND name IN ('encounters', 'encounter_events') AND sql NOT LIKE '%kind IN (%'
	AND sql LIKE '%CHECK (kind = %';
DROP TABLE migration_016_check;
