#!/bin/sh
# folio — code sets from the command line (issue 5): `codes load DIR` of the
# CMS folder (counts per fiscal year as in its MANIFEST, a second load that
# changes nothing), a malformed file that refuses the whole load with
# FILE:LINE and leaves the loaded sets as they were, `codes search` by code
# (with or without the dot, any case) and by words, a header's children,
# the options and their refusals, roles (the front desk is denied), and the
# audit rows.  A tiny folder built here runs without ../shared; the full
# CMS folder is used when it is there.
. "$(dirname "$0")/../lib.sh"

CODESETS="$(cd "$(dirname "$0")/../../.." && pwd)/shared/codesets"
DB="$T/codes.db"
demo_db "$DB" 0
super() { as super "$DB" "$@"; }
tech() { as tech "$DB" "$@"; }
# count DB KIND FY COLUMN: a figure of `codes list` (column 5 valid, 6 headers)
count() { as tech "$1" codes list 2>/dev/null | awk -F'\t' -v k="$2" -v y="$3" -v c="$4" '$1 == k && $2 == y { print $c }'; }

# ---- a tiny folder: fixed-width CMS lines, CRLF ----------------------------
line() { printf '%05d %-7s %s %-60s %s\r\n' "$1" "$2" "$3" "$4" "$5"; }
tiny_cm() {
	line 1 A41 0 "Other sepsis" "Other sepsis"
	line 2 A419 1 "Sepsis, unspecified organism" "Sepsis, unspecified organism"
	line 3 I50 0 "Heart failure" "Heart failure"
	line 4 I5021 1 "Acute systolic (congestive) heart failure" "Acute systolic (congestive) heart failure"
	line 5 I509 1 "Heart failure, unspecified" "Heart failure, unspecified"
}
TINY="$T/tiny"
mkdir -p "$TINY/icd10cm"
tiny_cm >"$TINY/icd10cm/icd10cm_order_2024.txt"
line 1 001 0 "Central Nervous System and Cranial Nerves, Bypass" "Central Nervous System and Cranial Nerves, Bypass" \
	>"$TINY/icd10pcs_order_2024.txt"
printf 'drg\tweight\tgmlos\tamlos\n291\t1.2345\t3.9\t4.8\n' >"$T/drg_weights_2024.tsv"

# before anything is loaded
expect_exit "a search before any load" 4 tech codes search sepsis
contains "it says how to load" "run folio codes load DIR" "$OUT"

expect_exit "the front desk may not load" 3 as desk "$DB" codes load "$TINY"
expect_exit "nor may the technician" 3 tech codes load "$TINY"
lacks "a denied load reads nothing" "ICD-10-CM" "$OUT"
expect_exit "no such directory" 4 super codes load "$T/nowhere"
mkdir -p "$T/empty"
expect_exit "an empty directory" 4 super codes load "$T/empty"
contains "it says what it looked for" "icd10cm_order_YYYY" "$OUT"
expect_exit "load needs a directory" 2 super codes load
expect_exit "load takes one directory" 2 super codes load "$TINY" "$TINY"
expect_exit "an unknown load option" 2 super codes load "$TINY" --colour
expect_exit "a missing weights file" 4 super codes load "$TINY" --weights "$T/nowhere.tsv"

expect_exit "the tiny folder loads" 0 super codes load "$TINY" --weights "$T/drg_weights_2024.tsv"
contains "the summary counts the CM set" "ICD-10-CM codes   FY2024  3 valid, 2 headers" "$OUT"
contains "and the PCS set" "ICD-10-PCS codes  FY2024  0 valid, 1 headers" "$OUT"
contains "and the weights" "DRG weights       FY2024  1 DRGs" "$OUT"
contains "absent tables are named" "MS-DRG tables     absent" "$OUT"
check "the summary goes to stderr, nothing to stdout" \
	test -z "$(super codes load "$TINY" --weights "$T/drg_weights_2024.tsv" 2>/dev/null)"
expect_exit "without --weights the weights are said absent" 0 super codes load "$TINY"
contains "absent weights" "DRG weights       absent from this folder" "$OUT"
contains "an unchanged set is left as it is" "icd10cm_order_2024.txt (unchanged)" "$OUT"
check "the admin may load" sh -c "FOLIO_PASSWORD=demo-admin-pass '$FOLIO' --db '$DB' --user admin codes load '$TINY' 2>/dev/null"

expect_exit "search by words" 0 tech codes search heart failure acute
contains "the TSV header" "code	billable	description" "$OUT"
contains "the systolic failure" "I50.21	yes	Acute systolic (congestive) heart failure" "$OUT"
expect_exit "search by code, no dot, lower case" 0 tech codes search a419
contains "the code dotted" "A41.9	yes	Sepsis, unspecified organism" "$OUT"
expect_exit "a header's children" 0 tech codes search --children I50
contains "first child" "I50.21	yes" "$OUT"
contains "second child" "I50.9	yes" "$OUT"
lacks "not the header itself" "I50	no" "$OUT"
expect_exit "a billable code has no children" 4 tech codes search --children I50.9
expect_exit "an unknown code has no children" 4 tech codes search --children Q99
check "the weights FY is the year in their name" test "$(count "$DB" drg_weights 2024 5)" = 1
check "the tiny CM set: 3 valid" test "$(count "$DB" icd10cm 2024 5)" = 3

# a broken line refuses the whole load, naming file and line
BAD="$T/bad"
mkdir -p "$BAD"
{ tiny_cm; line 6 I5022 2 "Chronic systolic heart failure" "Chronic systolic heart failure"; } \
	>"$BAD/icd10cm_order_2024.txt"
line 1 001 0 "CNS, Bypass" "CNS, Bypass" >"$BAD/icd10pcs_order_2025.txt"
LIST_BEFORE=$(tech codes list 2>&1)
expect_exit "a malformed line refuses the load" 1 super codes load "$BAD"
contains "it names the file and line" "icd10cm_order_2024.txt:6: column 15" "$OUT"
check "nothing changed, not even the good PCS file" test "$(tech codes list 2>&1)" = "$LIST_BEFORE"
sqlite3 "$DB" "SELECT count(*) FROM codes" >"$T/n" 2>/dev/null
check "no rows were added" test "$(cat "$T/n")" = 6
expect_exit "the failed load is audited" 0 super audit show --action codes.load
contains "as failed, with the reason" "failed" "$OUT"
contains "the reason names the line" "icd10cm_order_2024.txt:6" "$OUT"
contains "the loads are audited as ok" "	super	supervisor	" "$OUT"

# ---- search options --------------------------------------------------------
expect_exit "search needs words" 2 tech codes search
expect_exit "--fy and --date together" 2 tech codes search sepsis --fy 2024 --date 2024-01-01
expect_exit "a bad --fy" 2 tech codes search sepsis --fy 26
expect_exit "a bad --date" 2 tech codes search sepsis --date 2024-02-30
expect_exit "a bad --limit" 2 tech codes search sepsis --limit 0
expect_exit "an unknown option" 2 tech codes search sepsis --colour
expect_exit "--children and words" 2 tech codes search --children I50 heart
expect_exit "an unknown codes command" 2 tech codes frobnicate
expect_exit "a year not loaded" 4 tech codes search sepsis --fy 2031
contains "it says which years are" "loaded: FY2024" "$OUT"
expect_exit "a date in FY2024" 0 tech codes search sepsis --date 2023-10-01
expect_exit "a date in FY2025 (not loaded)" 4 tech codes search sepsis --date 2024-10-01
expect_exit "--limit" 0 tech codes search heart --limit 1
check "--limit 1 gives one row" test "$(printf '%s\n' "$OUT" | grep -c '^I')" -eq 1
contains "and says there are more" "3 ICD-10-CM FY2024 codes match" "$OUT"
expect_exit "the front desk may not search" 3 as desk "$DB" codes search sepsis
expect_exit "nor list" 3 as desk "$DB" codes list
expect_exit "the physician may search" 0 as doctor "$DB" codes search sepsis
expect_exit "searches are audited" 0 super audit show --action codes.search
contains "the technician's search" "	tech	technician	" "$OUT"
contains "the denial" "	desk	frontdesk	" "$OUT"

# ---- the CMS folder ---------------------------------------------------------
if [ ! -d "$CODESETS/icd10cm" ]; then
	echo "SKIP codes full sets: skipped: ../shared/codesets not found"
	exit 0
fi

FULL="$T/full.db"
demo_db "$FULL" 0
fsuper() { as super "$FULL" "$@"; }
ftech() { as tech "$FULL" "$@"; }
fcount() { count "$FULL" "$@"; }

start=$(date +%s)
expect_exit "the CMS folder loads" 0 fsuper codes load "$CODESETS"
check "in well under a minute" test $(($(date +%s) - start)) -lt 60
contains "the MS-DRG tables with their version" "MS-DRG v43.0" "$OUT"
contains "the MCE tables" "MCE tables        FY2026  MCE v43" "$OUT"
contains "weights absent, said so" "DRG weights       absent" "$OUT"
check "CM FY2026: 74,719 valid" test "$(fcount icd10cm 2026 5)" = 74719
check "CM FY2026: 23,467 headers" test "$(fcount icd10cm 2026 6)" = 23467
check "PCS FY2026: 79,115 valid" test "$(fcount icd10pcs 2026 5)" = 79115
check "PCS FY2026: 914 headers" test "$(fcount icd10pcs 2026 6)" = 914
check "CM FY2025: 97,584 lines" test "$(($(fcount icd10cm 2025 5) + $(fcount icd10cm 2025 6)))" = 97584
check "PCS FY2025: 79,856 lines" test "$(($(fcount icd10pcs 2025 5) + $(fcount icd10pcs 2025 6)))" = 79856
check "POA-exempt FY2026: 38,349 codes" test "$(fcount poa_exempt 2026 5)" = 38349
check "the addenda were not loaded" test "$(ftech codes list 2>/dev/null | grep -c addenda)" = 0
ROWS=$(sqlite3 "$FULL" "SELECT count(*) FROM codes")
check "every order line is one row" test "$ROWS" = $((98186 + 80029 + 97584 + 79856))

LIST_BEFORE=$(ftech codes list 2>&1 | cut -f1-7)
expect_exit "loading again" 0 fsuper codes load "$CODESETS"
contains "finds every set unchanged" "icd10cm_order_2026.txt.xz (unchanged)" "$OUT"
check "the same counts" test "$(ftech codes list 2>&1 | cut -f1-7)" = "$LIST_BEFORE"
check "no duplicates" test "$(sqlite3 "$FULL" "SELECT count(*) FROM codes")" = "$ROWS"

# a malformed folder: the sets loaded before stay exactly as they were
SUM_BEFORE=$(sqlite3 "$FULL" "SELECT count(*), sum(billable), sum(ord), group_concat(DISTINCT content_hash)
	FROM code_sets JOIN codes ON set_id = id")
expect_exit "a folder with a broken line is refused" 1 fsuper codes load "$BAD"
contains "naming the line" "icd10cm_order_2024.txt:6: column 15" "$OUT"
check "the loaded sets are unchanged" test "$(ftech codes list 2>&1 | cut -f1-7)" = "$LIST_BEFORE"
check "and so are their rows" test "$(sqlite3 "$FULL" "SELECT count(*), sum(billable), sum(ord),
	group_concat(DISTINCT content_hash) FROM code_sets JOIN codes ON set_id = id")" = "$SUM_BEFORE"

expect_exit "i21.0" 0 ftech codes search i21.0
contains "the header first" "I21.0	no	ST elevation (STEMI) myocardial infarction of anterior wall" "$(printf '%s\n' "$OUT" | sed -n 2p)"
contains "then its codes" "I21.01	yes	ST elevation (STEMI) myocardial infarction involving left main coronary artery" "$OUT"
expect_exit "I210" 0 ftech codes search I210
contains "the same" "I21.09	yes" "$OUT"
expect_exit "heart failure acute systolic" 0 ftech codes search heart failure acute systolic
contains "best first" "I50.21	yes	Acute systolic (congestive) heart failure" "$(printf '%s\n' "$OUT" | sed -n 2p)"
expect_exit "sepsis" 0 ftech codes search sepsis --limit 100
contains "unspecified organism" "A41.9	yes	Sepsis, unspecified organism" "$OUT"
check "billable codes before headers" sh -c "printf '%s\n' \"\$1\" | tail -n +2 | cut -f2 | uniq | tr '\n' ' ' | grep -qx 'yes no '" _ "$OUT"
expect_exit "the children of I21" 0 ftech codes search --children I21
check "13 billable codes under I21" test "$(printf '%s\n' "$OUT" | tail -n +2 | wc -l)" -eq 13
lacks "no header among them" "	no	" "$OUT"
expect_exit "a code new in FY2026 is not in FY2025" 4 ftech codes search --fy 2025 C50A0
expect_exit "but is in FY2026" 0 ftech codes search --fy 2026 C50A0
expect_exit "the date picks the year: 2025-09-30 is FY2025" 4 ftech codes search --date 2025-09-30 C50A0
expect_exit "and 2025-10-01 is FY2026" 0 ftech codes search --date 2025-10-01 C50A0
expect_exit "PCS by code" 0 ftech codes search --pcs 0016070
contains "the PCS code, no dot" "0016070	yes	Bypass Cerebral Ventricle to Nasopharynx with Autologous Tissue Substitute, Open Approach" "$OUT"
