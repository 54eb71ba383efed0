#!/bin/sh
# folio — schema migrations on a database an earlier folio made: one is
# built here from the repository's schema files up to a version, given rows
# in the old shape, and opened by this folio (any command migrates before
# signing in).  018 (issue 8): import_keys' hex tags become 16-byte blobs in
# import_tags with their table's code, counted as ungrouped (so an import
# looks for a key in that form too: tests/unit/test_import_keys.c finds such
# tags), the old table is gone; a tag that is
# not hex fails the migration with its name and leaves the database as it
# was.
. "$(dirname "$0")/../lib.sh"

if ! command -v sqlite3 >/dev/null 2>&1; then echo "SKIP schema: sqlite3 not found"; exit 0; fi
SCHEMA="$(cd "$(dirname "$0")/../../schema" && pwd)"

# old_db DB VERSION: the schema files up to VERSION, marked as folio's.
old_db() {
	for f in "$SCHEMA"/[0-9][0-9][0-9]_*.sql; do
		v=$(basename "$f" | cut -c1-3)
		[ "$((1$v - 1000))" -le "$2" ] || continue
		sqlite3 "$1" <"$f" || return 1
	done
	sqlite3 "$1" "PRAGMA user_version = $2; PRAGMA application_id = 1181707369;"
}

DB="$T/v17.db"
old_db "$DB" 17
sqlite3 "$DB" "INSERT INTO import_keys VALUES ('00112233445566778899aabbccddeeff', 'clinical_items', 7),
	('FFEEDDCCBBAA99887766554433221100', 'encounters', 3), ('0102030405060708090a0b0c0d0e0f10', 'patients', 9);"
expect_exit "a version-17 database opens (the sign-in fails, the migration ran)" 3 \
	env FOLIO_PASSWORD=nothing "$FOLIO" --db "$DB" --user nobody patient find x
check "it is at version 18 or later" test "$(sqlite3 "$DB" 'PRAGMA user_version')" -ge 18
got=$(sqlite3 "$DB" "SELECT hex(tag) || ' ' || row_kind || ' ' || row_id FROM import_tags ORDER BY row_id" | tr '\n' ,)
check "each hex tag is its 16 bytes with its table's code ($got)" test "$got" = \
	"FFEEDDCCBBAA99887766554433221100 2 3,00112233445566778899AABBCCDDEEFF 3 7,0102030405060708090A0B0C0D0E0F10 1 9,"
check "import_keys is gone" test "$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'import_keys%'")" = 0
check "the converted tags are counted as ungrouped (an import looks for them too)" \
	test "$(sqlite3 "$DB" "SELECT value FROM settings WHERE name = 'import_tags_ungrouped'")" = 3

DB="$T/v17-empty.db"
old_db "$DB" 17
expect_exit "a version-17 database without import keys opens" 3 \
	env FOLIO_PASSWORD=nothing "$FOLIO" --db "$DB" --user nobody patient find x
check "it has no ungrouped tags to look for" \
	test "$(sqlite3 "$DB" "SELECT count(*) FROM settings WHERE name = 'import_tags_ungrouped'")" = 0

DB="$T/bad.db"
old_db "$DB" 17
sqlite3 "$DB" "INSERT INTO import_keys VALUES ('00112233445566778899aabbccddeeff', 'clinical_items', 7),
	('not hex at all, 32 characters!!!', 'encounters', 3);"
expect_exit "a tag that is not hex fails the migration" 1 \
	env FOLIO_PASSWORD=nothing "$FOLIO" --db "$DB" --user nobody patient find x
contains "the message names the migration" "018_import_tags" "$OUT"
check "the database stays at version 17" test "$(sqlite3 "$DB" 'PRAGMA user_version')" = 17
check "its keys are all still there" test "$(sqlite3 "$DB" 'SELECT count(*) FROM import_keys')" = 2
