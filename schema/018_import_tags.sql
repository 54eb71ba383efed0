-- folio 018: the importers' keyed source ids as 16-byte blobs with a
-- one-byte table code (issue 8, import speed).  import_keys held each tag
-- as 32 hex characters beside the table's name, and a second index on
-- (row_table, row_id) that nothing reads: a random-keyed row of about 80
-- bytes and two b-tree inserts per imported row, the largest single cost
-- of an import.  Here a row is about 30 bytes in one b-tree.
--
-- row_kind: 1 patients, 2 encounters, 3 clinical_items (src/core/import_keys.c).
-- folio_unhex is registered by src/store/store.c for migrations only; it
-- fails (and so rolls the migration back) on anything but 32 hex digits.
CREATE TABLE import_tags (
	tag          BLOB PRIMARY KEY CHECK (length(tag) = 16),
	row_kind     INTEGER NOT NULL CHECK (row_kind BETWEEN 1 AND 3),
	row_id       INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO import_tags (tag, row_kind, row_id)
	SELECT folio_unhex(tag),
	       CASE row_table WHEN 'patients' THEN 1 WHEN 'encounters' THEN 2 WHEN 'clinical_items' THEN 3 END,
	       row_id
	FROM import_keys;
-- Tags made from here on by a Synthea import begin with four bytes of
-- their patient's keyed tag (src/core/import_keys.c), so one patient's keys
-- share b-tree pages; the ones converted above have none, and while any
-- are there an import also looks for a key in the old form.
INSERT INTO settings (name, value)
	SELECT 'import_tags_ungrouped', count(*) FROM import_keys HAVING count(*) > 0;
DROP TABLE import_keys;
