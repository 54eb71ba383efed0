#!/bin/sh
# folio interface: the patient index.  Find a patient at the one prompt
# (type-ahead list, pick by number, hints), the patient screen, check-in and
# the day's check-ins, registration through the form with its duplicate
# list, a restricted record (No// backs out, Yes and a reason opens it, the
# supervisor's alert), a near twin, and the idle lock on a patient screen.
. "$(dirname "$0")/../lib.sh"

D="$T/d.db"
demo_db "$D"
# ensure LAST FIRST OPTIONS...: the MRN of that patient, added when the
# demo database does not have one already.
ensure() {
	last=$1 first=$2; shift 2
	m=$(as desk "$D" patient find "$last,$first" 2>/dev/null |
		awk -F '\t' -v l="$last" -v f="$first" 'NR > 1 && $2 == l && $3 == f { print $1; exit }')
	[ -n "$m" ] || m=$(as tech "$D" patient add --last "$last" --first "$first" "$@" --force 2>/dev/null | tail -1)
	echo "$m"
}
JOHN=$(ensure Smith John --dob 1980-03-04 --sex M --phone 508-555-9876)
JANE=$(ensure Smith Jane --dob 1982-05-06 --sex F --phone 508-555-1234)
SEAN=$(ensure "O'Brien-Muñoz" "Seán" --dob 1975-01-02 --sex M --phone 617-555-4455)
# A near twin of John: same last name and last four.
J4=$(as desk "$D" patient find "$JOHN" 2>/dev/null | awk -F '\t' 'NR == 2 { print $6 }')
JDOB=$(as desk "$D" patient find "$JOHN" 2>/dev/null | awk -F '\t' 'NR == 2 { print $4 }')
JOAN=$(ensure Smith Joan --dob 1955-11-12 --sex F --phone "781-555-$J4")
RITA=$(ensure Doe Rita --dob 1990-07-08 --sex F --phone 413-555-2020)
[ -n "$JOHN" ] && [ -n "$JANE" ] && [ -n "$SEAN" ] && [ -n "$JOAN" ] && [ -n "$RITA" ] &&
	pass "patients added through the command line" || fail "patient add: '$JOHN' '$JANE' '$SEAN' '$JOAN' '$RITA'"
as tech "$D" patient restrict "$RITA" >/dev/null 2>&1 || fail "restrict $RITA"

# row_of TEXT: the row number the lookup list shows for TEXT.
row_of() { tm_screen | grep -F -- "$1" | head -1 | awk '{print $1}'; }

# ---- Front desk: find, open, check in --------------------------------------
tm_start 80 24 "$FOLIO --db $D"
sign_in desk
wait_for "desk signs in" "Front desk menu" 10
contains "find comes first for the front desk" " 1  Find a patient" "$(tm_screen)"
tm_keys 1
wait_for "lookup prompt" "Select PATIENT NAME:"
tm_keys '?'
wait_for "? shows the accepted forms" "initial of the last name + last four"
popup_close
tm_keys s Enter
wait_for "one letter gives the hint" "at least two letters"
tm_keys C-u 'SMI,J'
wait_for "type-ahead lists the Smiths" "matches." 5
s=$(tm_screen)
contains "list shows John" "Smith,John" "$s"
contains "list shows Jane" "Smith,Jane" "$s"
contains "list shows the near twin" "Smith,Joan" "$s"
contains "list shows the last four" "$J4" "$s"
contains "list shows the MRN" "$JOHN" "$s"
contains "list is numbered" "  1  Smith," "$s"
n=$(row_of "Smith,John")
tm_keys Enter
wait_for "several hits ask which" "CHOOSE 1-"
tm_keys "$n" Enter
wait_for "near twin warned" "NEAR TWIN" 5
contains "near twin listed" "Smith,Joan" "$(tm_screen)"
tm_keys y Enter
wait_for "patient screen opens" "MRN $JOHN" 5
s=$(tm_screen)
contains "demographics: phone label" "Home phone:" "$s"
contains "demographics: name" "Smith,John" "$s"
contains "demographics: address label" "Street address:" "$s"
contains "status line shows the patient" "Patient: $JOHN" "$s"
contains "actions shown" "C Check in" "$s"
contains "restrict not open to the desk" "(R Restrict)" "$s"
tm_keys c
wait_for "check-in asks the clinic" "Clinic:"
tm_keys Cardiology Enter
wait_for "check-in asks the reason" "Reason for visit:"
tm_keys "chest pain" Enter
wait_for "check-in confirms" "Check the patient in? Yes//"
tm_keys Enter
wait_for "checked in" "Checked in to Cardiology" 5

# An edit refused as stale: the record changed since the screen read it.
as desk "$D" patient edit "$JOHN" --mobile 508-555-0101 >/dev/null 2>&1 || fail "command-line edit"
tm_keys e
wait_for "edit form" "Edit patient"
tm_keys Enter Enter Q Enter '^'
wait_for "save asks" "Save the changes? Yes//"
tm_keys Enter
wait_for "stale edit refused" "someone else changed this record" 5
contains "record read again" "508-555-0101" "$(tm_screen)"
lacks "stale edit not saved" "middle	Q" "$(as desk "$D" patient show "$JOHN" 2>&1)"
tm_keys e
tm_wait "Edit patient" 5
tm_keys Enter Enter Q Enter '^'
tm_wait "Save the changes? Yes//" 5
tm_keys Enter
wait_for "edit saved" "Saved: 1 field changed" 5
contains "edit stored" "middle	Q" "$(as desk "$D" patient show "$JOHN" 2>&1)"
tm_keys Escape
wait_for "back at the lookup" "Select PATIENT NAME:"
lacks "patient context cleared" "Patient: $JOHN" "$(tm_screen)"
tm_keys 'obr,se'
wait_for "obr,se finds O'Brien-Muñoz" "O'Brien-Muñoz,Seán" 5
tm_keys Enter
wait_for "one hit opens on Enter" "MRN $SEAN" 5
tm_keys Escape
tm_wait "Select PATIENT NAME:" 5

# A restricted record: No// backs out, Yes and a reason open it.
tm_keys "$RITA"
wait_for "restricted row marked" "*RESTRICTED*" 5
tm_keys Enter
wait_for "restricted banner" "RESTRICTED RECORD" 5
wait_for "continue asks No//" "Do you want to continue? No//"
tm_keys Enter
wait_for "No backs out" "The record was not opened" 5
lacks "not opened" "MRN $RITA  DOB" "$(tm_screen)"
tm_keys "$RITA" Enter
wait_for "asked again" "Do you want to continue? No//" 5
tm_keys y Enter
wait_for "a reason is asked" "Reason for opening:"
tm_keys Enter
wait_for "a reason is required" "A reason is required"
tm_keys "patient at the desk" Enter
wait_for "Yes and a reason open it" "MRN $RITA" 5
contains "restricted record marked on the screen" "*RESTRICTED RECORD*" "$(tm_screen)"
tm_keys Escape
tm_wait "Select PATIENT NAME:" 5
tm_keys Escape
wait_for "Esc back to the menu" "Front desk menu"

# Today's check-ins.
tm_keys 3
wait_for "check-ins ask the day" "Check-ins of the day: T//"
tm_keys Enter
wait_for "check-ins list" "Cardiology" 5
s=$(tm_screen)
contains "check-in listed by name" "Smith,John" "$s"
contains "check-in listed by MRN" "$JOHN" "$s"
contains "reason for visit listed" "chest pain" "$s"
tm_keys Escape
tm_wait "Front desk menu" 5
tm_keys q
tm kill-server 2>/dev/null
out=$(as desk "$D" checkins 2>&1)
contains "command line sees the check-in" "$JOHN	Smith	John	Cardiology	chest pain	desk" "$out"
out=$(as admin "$D" audit show --action patient.find --limit 200 2>&1 | grep -c patient.find)
[ "$out" -lt 20 ] && pass "lookups audited sparingly ($out)" || fail "too many lookup audit rows: $out"

# ---- Technician: registration through the form -----------------------------
TMUX_SOCK="folio-test-$$-tech"
tm_start 80 24 "$FOLIO --db $D"
sign_in tech
wait_for "tech signs in" "Records technician menu" 10
tm_keys 2
wait_for "registration form" "Last name:"
tm_keys '?'
wait_for "field help from the core" "legal family name"
popup_close
tm_keys Enter
wait_for "last name required" "A last name is required"
tm_keys Smyth Enter Jon Enter Enter Enter Enter
wait_for "date of birth asked" "Date of birth:"
tm_keys 13/45/1980 Enter
wait_for "bad date refused" "YYYY-MM-DD" 5
tm_keys C-u "$JDOB" Enter
wait_for "sex asked" "Administrative sex:"
tm_keys q Enter
wait_for "bad sex refused" "F, M, X or U"
tm_keys m Enter
wait_for "address asked" "Street address:"
tm_keys '^'
wait_for "warnings shown" "Please check before saving" 5
popup_close
wait_for "register asks" "Register this patient? Yes//"
contains "form values shown" "$JDOB" "$(tm_screen)"
tm_keys Enter
wait_for "duplicates listed" "likely existing patient" 5
contains "the duplicate is Smith,John" "Smith,John" "$(tm_screen)"
wait_for "register anyway asks No//" "Register anyway? No//"
tm_keys y Enter
wait_for "new MRN shown" "The new MRN is" 5
NEW=$(tm_screen | grep -o '[0-9]\{8\}' | head -1)
popup_close
out=$(as desk "$D" patient find smyth,jon 2>&1)
contains "registered patient found by the command line" "$NEW	Smyth	Jon	$JDOB	M" "$out"

# Restrict from the patient screen.
tm_keys 1
tm_wait "Select PATIENT NAME:" 5
tm_keys "$NEW" Enter
wait_for "tech opens the new patient" "MRN $NEW" 5
contains "restrict open to the tech" "R Restrict" "$(tm_screen)"
tm_keys r
wait_for "restrict asks first" "Mark this record RESTRICTED? No//"
tm_keys y Enter
wait_for "record restricted" "is now restricted" 5
expect_exit "restricted record needs a reason on the command line" 3 as desk "$D" patient show "$NEW"
tm_keys q
tm kill-server 2>/dev/null

# ---- Supervisor: the alert ---------------------------------------------------
TMUX_SOCK="folio-test-$$-super"
tm_start 80 24 "$FOLIO --db $D"
sign_in super
wait_for "supervisor signs in" "HIM supervisor menu" 10
# the item's number from the screen: menus grow with each feature
tm_keys "$(tm_screen | grep -m1 '  Restricted-record alerts *$' | awk '{ print $1 }')" Enter
wait_for "alerts screen" "open alert" 5
s=$(tm_screen)
contains "alert names the record" "$RITA" "$s"
contains "alert names the user" "desk" "$s"
contains "alert gives the reason" "patient at the desk" "$s"
tm_keys Enter
wait_for "review asks first" "reviewed? No//"
tm_keys y Enter
wait_for "alert reviewed" "marked reviewed" 5
out=$(as super "$D" alerts --all 2>&1)
contains "review stored" "patient at the desk	super" "$out"
tm_keys q
tm kill-server 2>/dev/null

# ---- Idle lock on the patient screen ---------------------------------------
as admin "$D" config set idle_lock_seconds 5 >/dev/null 2>&1 || fail "config set idle_lock_seconds"
TMUX_SOCK="folio-test-$$-lock"
tm_start 80 24 "$FOLIO --db $D"
sign_in desk
tm_wait "Front desk menu" 10 || fail "desk menu: $(tm_screen)"
tm_keys 1
tm_wait "Select PATIENT NAME:" 5
tm_keys "$JANE" Enter
wait_for "patient open before the lock" "MRN $JANE" 5
before=$(tm_screen)
if tm_wait "screen locked" 15; then pass "patient screen locks when idle"; else
	fail "no lock: $(tm_screen)"; fi
s=$(tm_screen)
lacks "lock hides the name" "Smith" "$s"
lacks "lock hides the MRN" "$JANE" "$s"
lacks "lock hides the labels" "Home phone" "$s"
tm_keys "$(demo_password desk)" Enter
tm_wait_gone "screen locked" 10
sleep 0.3
after=$(tm_screen)
if [ "$before" = "$after" ]; then pass "unlock returns to the same patient screen"; else
	fail "unlock restored something else: $after"; fi
tm_keys q
