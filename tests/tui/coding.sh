#!/bin/sh
# folio interface: the coding screen (issue 5).  A technician opens an
# inpatient stay from the encounters screen (K), sets the principal
# diagnosis through the code search, adds an MCC secondary with its POA and
# a procedure with its date, watching the DRG panel follow (872 -> 871 ->
# 870); a header code offers its billable codes; the command line agrees
# with the screen; a what-if shows both DRGs and saves nothing; a save that
# someone else beat is refused and read again; a physician sees the coding
# read-only.
. "$(dirname "$0")/../lib.sh"

need_codesets "coding screen"

D="$T/c.db"
demo_db "$D" 0
as admin "$D" codes load "$CODESETS" >/dev/null 2>"$T/load" || fail "codes load: $(tail -3 "$T/load")"
M=$(as tech "$D" patient add --last Codewell --first Ruth --dob 1948-05-06 --sex F 2>/dev/null | tail -1)
# a stay inside FY2026, the code set loaded
E=$(as tech "$D" encounter admit "$M" --attending doctor --service medicine --at 2026-09-01T10:00 2>/dev/null)
as tech "$D" encounter discharge "$E" --status 01 --at 2026-09-06T12:00 >/dev/null 2>&1 || fail "discharge"
check "an inpatient stay discharged in FY2026" test -n "$M" -a -n "$E"

field() { awk -F'\t' -v k="$1" '$1 == k { print $2; exit }'; }
# show: the coding as the command line prints it, into $OUT (the codes and
# the DRG come before the checks, which are not this test's subject).
show() { as tech "$D" coding show "$E" >"$T/show" 2>&1; OUT=$(cat "$T/show"); }
# row_of CODE: the number of the search row showing CODE.
row_of() { tm_screen | awk -v c="$1" '{ for (i = 2; i <= NF; i++) if ($i == c) { print $(i - 1); exit } }'; }

# open_coding USER [chart]: signs in, opens the chart, then K on the stay
# in the encounters screen (or, with "chart", K on the chart itself: the
# latest admission).
open_coding() {
	sign_in "$1"
	tm_wait "Find a patient" 10 || fail "$1 menu: $(tm_screen)"
	tm_keys 1
	tm_wait "Select PATIENT NAME:" 5
	tm_keys 'CODEWELL,R' Enter
	tm_wait "O Open chart" 10 || fail "$1 opens the patient: $(tm_screen)"
	tm_keys o
	tm_wait "Documents (D)" 10 || fail "$1 opens the chart: $(tm_screen)"
	if [ "${2:-}" != chart ]; then
		tm_keys e
		wait_for "$1: the encounters screen offers K" "K code"
	fi
	tm_keys k
	wait_for "$1: K opens the coding of the stay${2:+ from the $2}" "Coding: encounter $E" 10
}

# ---- the technician ----------------------------------------------------------
tm_start 80 24 "$FOLIO --db $D"
open_coding tech
s=$(tm_screen)
contains "the header names the patient" "Codewell,Ruth   MRN $M" "$s"
contains "the encounter line: kind, dates, UB-04 status" \
	"Inpatient $E  adm 2026-09-01  disch 2026-09-06 (01) home" "$s"
contains "the code set's fiscal year" "FY2026" "$s"
contains "nothing coded: not grouped, and why" "not grouped: no principal diagnosis" "$s"
contains "the missing principal is an error of the checks" "Checks: 1 error" "$s"

# P: the principal diagnosis through the search popup
tm_keys p
wait_for "P opens the ICD-10-CM search" "Search ICD-10-CM FY2026:"
tm_keys sepsis
wait_for "the results follow the typing" "Sepsis, unspecified organism"
n=$(row_of A41.9)
check "A41.9 is among the numbered rows ($n)" test -n "$n"
tm_keys Tab "$n" Enter
wait_for "the principal is saved and grouped: DRG 872" "MS-DRG 872" 10
s=$(tm_screen)
contains "the DRG title" "Septicemia or Severe Sepsis without MV >96 Hours without MCC" "$s"
contains "the MDC and its title" "MDC 18  Infectious and Parasitic" "$s"
contains "medical, without CC or MCC" "medical, no CC/MCC" "$s"
contains "the principal line, dotted, with its description" "PDX  A41.9                        Sepsis, unspecified organism" "$s"
contains "no weights are loaded, and the panel says so" "no weights loaded" "$s"
contains "the checks pass" "Checks: none" "$s"
lacks "a discharged stay is not provisional" "PROVISIONAL" "$s"

# a header code is shown as such and offers its billable codes; nothing is taken
tm_keys s
wait_for "S opens the search" "Secondary diagnosis (ICD-10-CM)"
tm_keys a41
wait_for "A41 is listed as a header" "A41      header"
tm_keys Enter
wait_for "taking a header lists its billable codes" "A41 is a header, not billable: pick one of its"
contains "its billable codes are listed" "A41.89" "$(tm_screen)"
tm_keys Escape
wait_for "Esc goes back to the search" "Search ICD-10-CM FY2026: a41"
tm_keys Escape
tm_wait_gone "Search ICD-10-CM" 5 || fail "the search stays: $(tm_screen)"
lacks "nothing was added" "  1  A41" "$(tm_screen)"

# S: an MCC secondary, POA asked with Y//
tm_keys s
tm_wait "Search ICD-10-CM FY2026:" 5
tm_keys J96.01
wait_for "the typed code is found" "Acute respiratory failure with hypoxia"
tm_keys Enter
wait_for "the POA is asked, Y by default" "Present on admission, J96.01 (Y N U W E): Y//"
tm_keys '?'
wait_for "? explains the POA indicators" "W  clinically undetermined"
popup_close
tm_keys X Enter
wait_for "a POA that is none is refused" "POA is Y (present)"
tm_keys C-u Enter
wait_for "the MCC moves the DRG to 871" "MS-DRG 871" 10
s=$(tm_screen)
contains "the panel names the secondary that made the MCC" "MCC: J96.01 (secondary 1)" "$s"
contains "the secondary's line: POA and MCC usage" "  1  J96.01   Y          MCC      Acute respiratory failure with hypoxia" "$s"

# R: a procedure with its date (the admission day by default)
tm_keys r
wait_for "R opens the ICD-10-PCS search" "Search ICD-10-PCS FY2026:"
tm_keys 5A1955Z
wait_for "the procedure is found" "Greater than 96 Consecutive"
tm_keys Enter
wait_for "the date is asked, the admission day by default" "Date performed: 2026-09-01//"
tm_keys 2026-09-03 Enter
wait_for "ventilation over 96 hours moves the DRG to 870" "MS-DRG 870" 10
contains "the procedure's line with its date" "P1   5A1955Z  2026-09-03" "$(tm_screen)"

# the command line agrees with the screen
show
check "it has DRG 870 too" test "$(printf '%s\n' "$OUT" | field drg)" = 870
contains "the principal" "pdx	0	A419" "$OUT"
contains "the secondary with POA Y, counted as the MCC" "sdx	1	J9601	Y		MCC" "$OUT"
contains "the procedure with its date" "proc	1	5A1955Z		2026-09-03" "$OUT"

# W: what if the procedure (highlighted) were dropped; nothing is saved
tm_keys w
wait_for "W asks what to try" "What if (A add a diagnosis, R add a procedure, D drop the line)"
tm_keys d Enter
wait_for "the what-if shows" "What if (not saved)" 10
check "both DRGs side by side: 870 now, 871 then" sh -c "tmux -L '$TMUX_SOCK' capture-pane -p -t t | grep -q 'MS-DRG    870  .*871'"
contains "and says the DRG would change" "The DRG would change." "$(tm_screen)"
popup_close
contains "the panel still shows the stored DRG" "MS-DRG 870" "$(tm_screen)"
show
check "the what-if saved nothing (DRG 870)" test "$(printf '%s\n' "$OUT" | field drg)" = 870
contains "the procedure is still coded" "proc	1	5A1955Z" "$OUT"

# a save someone else beat is refused, and the screen reads their change
as tech "$D" coding add "$E" --sdx E11.9:Y >/dev/null 2>&1 || fail "a second coder adds E11.9"
tm_keys 2 o
wait_for "O asks the POA of the highlighted secondary" "Present on admission, J96.01 (Y N U W E): Y//"
tm_keys N Enter
wait_for "the stale save is refused" "Someone else changed this coding" 10
contains "the other coder's secondary is read in" "E11.9" "$(tm_screen)"
show
contains "the POA was not changed" "sdx	1	J9601	Y" "$OUT"
tm_keys 2 o
tm_wait "Present on admission, J96.01" 5
tm_keys N Enter
wait_for "redone on the fresh coding, it saves" "POA of J96.01 is N." 10
show
contains "the POA is N" "sdx	1	J9601	N" "$OUT"
contains "and the other coder's secondary is kept" "sdx	2	E119	Y" "$OUT"

tm_keys Escape
wait_for "Esc goes back to the encounters" "K code"
tm_keys q
tm_wait_gone "Encounters" 10
n=$(as super "$D" audit show --user tech --action codes.search 2>/dev/null |
	awk -F'\t' '$5 != "batch" && $9 == "code_set"' | wc -l)
check "the code sets were opened once each for the screen, not per key ($n)" test "$n" -eq 2

# ---- the physician: read-only -----------------------------------------------
tm_restart 80 24 "$FOLIO --db $D"
open_coding doctor chart
s=$(tm_screen)
contains "the physician's screen says read only" "Coding: encounter $E (read only)" "$s"
contains "the physician sees the DRG" "MS-DRG 870" "$s"
contains "the actions are shown unavailable" "Read only: (P S R O D U/N M W)  V checks" "$s"
tm_keys p
wait_for "P is refused for the physician" "Your role may not code"
lacks "no search opens" "Search ICD-10-CM" "$(tm_screen)"
tm_keys v
wait_for "the physician may list the checks" "Checks before billing"
popup_close
show
check "the physician changed nothing (DRG 870)" test "$(printf '%s\n' "$OUT" | field drg)" = 870

# an open admission groups provisionally, as still a patient
E2=$(as tech "$D" encounter admit "$M" --attending doctor --service medicine 2>/dev/null)
as tech "$D" coding pdx "$E2" A41.9 >/dev/null 2>&1
tm_keys Escape
wait_for "Esc goes back to the chart" "Documents (D)"
tm_keys k
wait_for "K on the chart now opens the newer admission" "Coding: encounter $E2 (read only)" 10
s=$(tm_screen)
contains "it is not discharged" "Inpatient $E2  adm $(date -u +%F), not discharged" "$s"
contains "its grouping is marked provisional" "PROVISIONAL" "$s"
tm_keys q
tm_wait_gone "Coding" 10
