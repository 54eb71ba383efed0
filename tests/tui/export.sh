#!/bin/sh
# folio interface: exports.  The technician opens a chart, presses X,
# answers the export form (FHIR, a file, to an agency with its kind,
# purpose and address) and the file holds a FHIR Bundle with the MRN, the
# screen says where and how many resources, and the ledger (`folio
# disclosures MRN`) has the entry; an existing file is kept unless the user
# agrees to replace it.  The menu item "Research extract (de-identified)"
# writes the extract into a directory and shows its row counts; the front
# desk has neither.
. "$(dirname "$0")/../lib.sh"

D="$T/export.db"
demo_db "$D" 40
M=10000016
OUTF="$T/chart.json"
EXTRACT="$T/extract"

tm_start 80 24 "$FOLIO --db $D"
sign_in tech
wait_for "the technician's menu" "Find a patient" 10
contains "the research extract item" "Research extract (de-identified)" "$(tm_screen)"
tm_menu_open "Find a patient"
tm_keys "$M" Enter
wait_for "the patient opens" "O Open chart" 10
tm_keys o
wait_for "the chart" "Documents (D)" 10
contains "the chart's action bar names X" "X export" "$(tm_screen)"
tm_keys X
wait_for "the export form" "Export: MRN $M" 5
wait_for "asks the format" "Format: FHIR//" 5
tm_keys '?'
wait_for "format help" "FHIR R4 Bundle" 5
popup_close
tm_keys Enter
wait_for "asks the file" "File:" 5
tm_keys "$OUTF" Enter
wait_for "asks whether it goes out" "To a person or agency: NO//" 5
tm_keys Y Enter
wait_for "asks the recipient" "Recipient:" 5
tm_keys "State cancer registry" Enter
wait_for "asks the kind" "Kind of disclosure:" 5
tm_keys '?'
wait_for "the kinds listed" "public-health" 5
popup_close
tm_keys gossip Enter
wait_for "refuses an unknown kind" "Not a kind of disclosure" 5
tm_keys 11 Enter
wait_for "asks the purpose" "Purpose:" 5
contains "the kind by number" "Kind of disclosure: public-health" "$(tm_screen)"
tm_keys "cancer case reporting" Enter
wait_for "asks the address" "Address:" 5
tm_keys "1 State St, Boston MA" Enter
wait_for "confirms" "Write the bundle?" 5
tm_keys Enter
wait_for "says how many resources" "resources (Patient, Encounter" 15
contains "and where" "$OUTF" "$(tm_screen)"
popup_close
check "the file exists" test -f "$OUTF"
check "it is 0600" test -z "$(find "$OUTF" ! -perm 600)"
contains "a FHIR Bundle" '"resourceType":"Bundle","type":"collection"' "$(head -c 100 "$OUTF")"
contains "with the MRN" "\"system\":\"urn:folio:mrn\",\"value\":\"$M\"" "$(cat "$OUTF")"
L=$(as tech "$D" disclosures "$M")
contains "the ledger has the export" "State cancer registry" "$L"
contains "as a FHIR bundle" "FHIR R4 bundle:" "$L"
contains "with its purpose" "cancer case reporting" "$L"
check "exactly one entry" test "$(printf '%s\n' "$L" | grep -c 'State cancer registry')" = 1

# Again to the same file: kept unless the user agrees.
tm_keys X
wait_for "the form again" "Format: FHIR//" 5
tm_keys Enter
wait_for "asks the file" "File:" 5
tm_keys "$OUTF" Enter
wait_for "asks whether it goes out" "To a person or agency: NO//" 5
tm_keys Enter
wait_for "confirms" "Write the bundle?" 5
tm_keys Enter
wait_for "asks before replacing" "That file exists.  Replace it?" 5
before=$(cksum <"$OUTF")
tm_keys Enter
wait_for "not replaced" "Not exported." 5
check "the file is unchanged" test "$(cksum <"$OUTF")" = "$before"
check "no ledger entry for an internal export" test "$(as tech "$D" disclosures "$M" | grep -c 'FHIR R4')" = 1
tm_keys Escape
wait_for "back to the patient" "O Open chart" 10
tm_keys Escape
wait_for "back to the lookup" "Select PATIENT" 10
tm_keys Escape
wait_for "the main menu" "Research extract" 10

tm_menu_open "Research extract (de-identified)"
wait_for "asks the directory" "Directory:" 5
tm_keys "$EXTRACT" Enter
wait_for "confirms" "Write the extract?" 5
tm_keys Enter
wait_for "shows the row counts" "patients.csv" 30
contains "forty patients" "40 rows" "$(tm_screen)"
contains "the charted procedures are listed last" "charted_procedures.csv" "$(tm_screen)"
popup_close
check "the directory is written" test -f "$EXTRACT/manifest.txt" -a -f "$EXTRACT/patients.csv"
check "with the problems, medications and allergies" test -f "$EXTRACT/problems.csv" -a \
	-f "$EXTRACT/medications.csv" -a -f "$EXTRACT/allergies.csv"
tm_keys q
tm_wait_gone "Find a patient" 10

tm_restart 80 24 "$FOLIO --db $D"
sign_in desk
wait_for "the front desk's menu" "Find a patient" 10
lacks "the front desk has no research extract" "Research extract" "$(tm_screen)"
tm_keys q
