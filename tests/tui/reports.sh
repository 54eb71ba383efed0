#!/bin/sh
# folio interface: reports (issue 7).  The supervisor opens Reports, runs
# discharges over all time and sees the title, bars of `#` and the latest
# month's total as `folio report discharges --csv` counts it; a disclosure
# added on the command line shows in the chart's disclosures view (L) and
# in the disclosures report; the access report of a chart the technician
# viewed names `tech`.  A technician has no Reports item.
. "$(dirname "$0")/../lib.sh"

D="$T/reports.db"
CODESETS="$(cd "$(dirname "$0")/../../.." && pwd)/shared/codesets"
if [ -d "$CODESETS/msdrg_v43" ]; then
	"$FOLIO" --db "$D" demo --patients 40 --codesets "$CODESETS" >/dev/null 2>&1 || { echo "FAIL demo database"; exit 1; }
else
	demo_db "$D" 40
fi
M=$(sqlite3 "$D" "SELECT mrn FROM patients ORDER BY mrn LIMIT 1")
as super "$D" disclosure add "$M" --to "County Health Dept" --what "lab panel" --purpose "reportable disease" \
	--kind public-health >/dev/null 2>&1 || fail "disclosure add"
as tech "$D" patient show "$M" >/dev/null 2>&1 || fail "the technician views the chart"
LAST=$(as super "$D" report discharges --csv 2>/dev/null | tr -d '\r' | tail -n 1)
MONTH=$(echo "$LAST" | cut -d, -f1) TOTAL=$(echo "$LAST" | cut -d, -f4)
check "discharges has a month to count" test -n "$MONTH" -a -n "$TOTAL"
DMONTH=$(as super "$D" report disclosures --csv 2>/dev/null | tr -d '\r' | grep public-health | tail -n 1 | cut -d, -f1)
check "the disclosures report counts it" test -n "$DMONTH"

# has_line ERE TEXT: some line of TEXT matches.
has_line() { printf '%s\n' "$2" | grep -Eq -- "$1"; }


tm_start 80 40 "$FOLIO --db $D"
sign_in tech
wait_for "the technician's menu" "Find a patient" 10
lacks "a technician has no Reports item" "Reports" "$(tm_screen)"
tm_keys q
tm_wait_gone "Find a patient" 10

tm_restart 80 40 "$FOLIO --db $D"
sign_in super
wait_for "the supervisor's menu" "Reports" 10
tm_menu_open Reports
wait_for "the list of reports" "Discharges by month" 10
contains "seven reports" "Disclosures by purpose" "$(tm_screen)"
tm_keys 1
wait_for "asks From" "From:" 5
tm_keys Enter
wait_for "asks To" "To:" 5
tm_keys Enter
wait_for "the report's title" "Discharges and closed visits by month" 10
tm_keys End
sleep 0.5
s=$(tm_screen)
contains "the period" "Period: the beginning to today" "$s"
check "a bar of # with the latest month's total ($MONTH $TOTAL)" \
	has_line "^ *$MONTH +[|]#+ $TOTAL *\$" "$s"
check "bars fit in 80 columns" sh -c "printf '%s\n' \"\$1\" | awk 'length > 80 { exit 1 }'" _ "$s"
tm_keys '?'
wait_for "help" "scaled to"
popup_close
tm_keys Escape
wait_for "back to the list of reports" "Top diagnoses" 5
tm_keys 7
wait_for "asks From" "From:" 5
tm_keys T-400 Enter
wait_for "asks To" "To:" 5
tm_keys T Enter
wait_for "the disclosures report" "public-health" 10
check "its month" has_line "$DMONTH +public-health +1" "$(tm_screen)"
tm_keys Escape
wait_for "back to the list of reports" "Top diagnoses" 5
tm_keys Escape
wait_for "back to the main menu" "Find a patient" 5

tm_menu_open "Find a patient"
tm_keys "$M" Enter
wait_for "the patient opens" "O Open chart" 10
tm_keys o
wait_for "the chart" "Documents (D)" 10
contains "the chart's action bar names L" "L discl" "$(tm_screen)"
tm_keys L
wait_for "the disclosures view" "Disclosure ledger" 10
s=$(tm_screen)
contains "the ledger lists the disclosure" "County Health Dept" "$s"
contains "the accounting" "Accounting of disclosures" "$s"
contains "free or chargeable" "Fee: free" "$s"
contains "its due date" "Due " "$s"
contains "the access report" "Access report" "$s"
tm_keys End
sleep 0.5
check "the access report names the technician" has_line " tech +technician " "$(tm_screen)"
tm_keys Escape
wait_for "back to the chart" "Documents (D)" 5
tm_keys q
