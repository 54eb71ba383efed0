-- folio 005: clinical code sets (`folio codes load DIR`, src/core/codes_*.c).
-- Public reference data from CMS/CDC, never patient data: plain columns.
-- Each set is kept per fiscal year, so a chart is coded against the set in
-- force on its discharge date.  A load replaces a year's set inside one
-- transaction; content_hash lets an unchanged file be skipped.

-- One row per loaded set.  kind: 'icd10cm', 'icd10pcs' (order files),
-- 'poa_exempt' (CDC POA-exempt list), 'mce' and 'msdrg' (packed tables in
-- code_tables), 'drg_weights' (IPPS Table 5 values in drg_weights).
CREATE TABLE code_sets (
	id           INTEGER PRIMARY KEY,
	kind         TEXT NOT NULL CHECK (kind IN
	             ('icd10cm', 'icd10pcs', 'poa_exempt', 'mce', 'msdrg', 'drg_weights')),
	fy           INTEGER NOT NULL CHECK (fy BETWEEN 2000 AND 2999),
	version      TEXT NOT NULL DEFAULT '',    -- e.g. 'MS-DRG v43.0'
	source       TEXT NOT NULL,               -- the file or directory it came from
	content_hash TEXT NOT NULL,               -- FNV-1a 64 of the text (or blob), hex
	n_valid      INTEGER NOT NULL DEFAULT 0,  -- billable codes / rows
	n_header     INTEGER NOT NULL DEFAULT 0,  -- header (non-billable) codes
	loaded_at    TEXT NOT NULL,
	loaded_by    TEXT NOT NULL,
	UNIQUE (kind, fy)
) STRICT;

-- The ICD-10-CM and ICD-10-PCS codes of a set: code upper case without the
-- dot; ord is the CMS order number; billable 1 (valid for reporting) or 0
-- (a header).
CREATE TABLE codes (
	set_id     INTEGER NOT NULL REFERENCES code_sets(id) ON DELETE CASCADE,
	code       TEXT NOT NULL,
	ord        INTEGER NOT NULL,
	billable   INTEGER NOT NULL CHECK (billable IN (0, 1)),
	short_desc TEXT NOT NULL,
	long_desc  TEXT NOT NULL,
	PRIMARY KEY (set_id, code)
) STRICT, WITHOUT ROWID;

-- Diagnosis codes exempt from present-on-admission reporting, per FY.
CREATE TABLE poa_exempt (
	set_id INTEGER NOT NULL REFERENCES code_sets(id) ON DELETE CASCADE,
	code   TEXT NOT NULL,
	PRIMARY KEY (set_id, code)
) STRICT, WITHOUT ROWID;

-- The MCE and MS-DRG tables as their engines pack them (mce_tables_pack,
-- drg_tables_pack), so the coding screen needs no directory.
CREATE TABLE code_tables (
	set_id INTEGER PRIMARY KEY REFERENCES code_sets(id) ON DELETE CASCADE,
	blob   BLOB NOT NULL
) STRICT;

-- MS-DRG relative weight, geometric and arithmetic mean length of stay, in
-- ten-thousandths (CMS publishes weights to 4 decimals, stays to 1): exact.
CREATE TABLE drg_weights (
	set_id    INTEGER NOT NULL REFERENCES code_sets(id) ON DELETE CASCADE,
	drg       INTEGER NOT NULL CHECK (drg BETWEEN 1 AND 999),
	weight_e4 INTEGER NOT NULL CHECK (weight_e4 > 0),
	gmlos_e4  INTEGER NOT NULL CHECK (gmlos_e4 >= 0),
	amlos_e4  INTEGER NOT NULL CHECK (amlos_e4 >= 0),
	PRIMARY KEY (set_id, drg)
) STRICT, WITHOUT ROWID;
