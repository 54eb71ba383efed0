#!/bin/sh
# folio interface: the chart (issue 4).  A technician opens a chart, sees
# the allergy banner, reads a signed note, writes an addendum in the editor;
# the terminal is resized and redraws; a physician signs the addendum with
# the signature code; the command line then shows it signed.
. "$(dirname "$0")/../lib.sh"

D="$T/d.db"
demo_db "$D" 0
M=$(as tech "$D" patient add --last Chartman --first Ada --dob 1950-02-03 --sex F 2>/dev/null | tail -1)
as tech "$D" allergy add "$M" --allergen Penicillin --severity severe >/dev/null 2>&1 || fail "allergy add"
N=$(printf 'Chief complaint: cough\nAssessment: bronchitis-marker\n' |
	as doctor "$D" note new "$M" --type hp --author doctor 2>/dev/null)
FOLIO_NEW_SIGNATURE_CODE=sign-me-17 as doctor "$D" user sigcode >/dev/null 2>&1 || fail "sigcode"
FOLIO_SIGNATURE_CODE=sign-me-17 as doctor "$D" note sign "$N" >/dev/null 2>&1 || fail "sign the H&P"
check "a patient with an allergy and a signed H&P" test -n "$M" -a -n "$N"

# open_chart USER: signs in, finds Chartman and opens the chart.
open_chart() {
	sign_in "$1"
	tm_wait "Find a patient" 10 || fail "$1 menu: $(tm_screen)"
	tm_keys 1
	tm_wait "Select PATIENT NAME:" 5
	tm_keys 'CHARTMAN,A' Enter
	wait_for "$1 opens the patient" "O Open chart" 10
	tm_keys o
	wait_for "$1 sees the chart" "Documents (D)" 10
}

# ---- the technician --------------------------------------------------------
tm_start 80 24 "$FOLIO --db $D"
open_chart tech
s=$(tm_screen)
contains "the header names the patient" "Chartman,Ada   MRN $M" "$s"
contains "the header shows age and sex" "F" "$(echo "$s" | sed -n 3p)"
contains "the allergy banner shows" "ALLERGIES: PENICILLIN (severe)" "$s"
contains "the H&P is listed" "History and physical     completed" "$s"
tm_keys d
wait_for "the documents list" "Enter read  N new"
tm_keys Enter
wait_for "the note opens in the viewer" "bronchitis-marker"
contains "the viewer says it is signed" "by doctor; signed" "$(tm_screen)"
tm_keys Escape
wait_for "back to the list" "Enter read  N new"
tm_keys a
wait_for "the editor opens for an addendum" "Addendum to History and physical $N"
tm_keys 'Addendum: chest x-ray clear, no infiltrate.'
wait_for "the typed text shows" "chest x-ray clear"
tm_keys Enter 'Second line of the addendum.'
wait_for "a second line" "Second line of the addendum."
tm resize-window -t t -x 100 -y 30
wait_for "the editor redraws at 100x30 with the text" "Second line of the addendum." 5
lines=$(tm_screen | wc -l)
check "the screen is 30 rows after the resize ($lines)" test "$lines" -eq 30
tm resize-window -t t -x 80 -y 24
wait_for "and back at 80x24" "chest x-ray clear" 5
contains "the title survives the resizes" "Addendum to History and physical" "$(tm_screen)"
tm_keys C-x
wait_for "the addendum is filed" "awaits doctor's signature" 10
ADD=$(as tech "$D" note show "$N" 2>/dev/null | sed -n 's/^==== addendum \([0-9]*\) (unverified, doctor).*/\1/p')
check "the command line shows the addendum unverified, for the doctor" test -n "$ADD"
tm resize-window -t t -x 120 -y 40
wait_for "the documents list redraws at 120x40" "ALLERGIES: PENICILLIN" 5
check "no trace of the editor after the redraw" sh -c "! tmux -L '$TMUX_SOCK' capture-pane -p -t t | grep -q 'Ln 1/'"
tm_keys q
tm_wait_gone "Documents" 10

# ---- the physician signs ----------------------------------------------------
tm_restart 80 24 "$FOLIO --db $D"
open_chart doctor
tm_keys d
wait_for "the physician's documents list" "Enter read  N new"
tm_keys s
wait_for "signing asks for the signature code" "Signature code:" 5
tm_keys wrong-code Enter
wait_for "a wrong code is refused" "not right" 10
tm_keys s
tm_wait "Signature code:" 5
tm_keys sign-me-17 Enter
wait_for "the addendum is signed" "Signed 1 document (completed)" 10
lacks "the code never shows" "sign-me-17" "$(tm_screen)"
expect_exit "the command line agrees" 0 as tech "$D" note show "$N"
contains "the addendum is completed" "==== addendum $ADD (completed, doctor, signed" "$OUT"
contains "its text is there" "Second line of the addendum." "$OUT"
expect_exit "every signature verifies" 0 as super "$D" note verify
check "the addendum text is not in the file" sh -c "! grep -aq 'chest x-ray clear' '$D'"
