#!/bin/sh
# folio interface: paper chart tracking (issue 6, done-when 4).  A
# physician requests a chart from the chart screen (T); the technician
# finds it on the pull list and charges it out to the physician, which
# fulfils the request; the overdue list shows the demo's overdue chart; the
# technician checks the chart in, marks it missing, and may not clear the
# flag (refused and audited); the supervisor clears it.
. "$(dirname "$0")/../lib.sh"

D="$T/d.db"
demo_db "$D" 40
M=$(as tech "$D" patient add --last Trackerby --first Tess --dob 1955-05-05 --sex F 2>/dev/null | tail -1)
HEART=$(as tech "$D" patient find "o'brien" 2>/dev/null | sed -n 2p | cut -f1)
check "a patient without a paper chart, and the demo's" test -n "$M" -a -n "$HEART"

# restart: a new folio in the same tmux server, at 80x24.
restart() { tm_restart 80 24 "$FOLIO --db $D"; }

# menu_pick LABEL: picks a main-menu item by its label (a number picks at
# once in a menu of up to nine items; in a longer one it selects, Enter opens).
menu_pick() {
	s=$(tm_screen)
	n=$(echo "$s" | sed -n "s/^ *\([0-9][0-9]*\)  $1.*/\1/p" | head -1)
	items=$(echo "$s" | grep -cE '^ +[0-9]+  [A-Z]')
	if [ -z "$n" ]; then fail "no '$1' in the menu: $s"; return; fi
	if [ "$items" -gt 9 ]; then tm_keys "$n" Enter; else tm_keys "$n"; fi
}

# open_paper USER: signs in, finds Trackerby, opens the chart, then T.
open_paper() {
	sign_in "$1"
	tm_wait "menu" 10 || fail "$1 menu: $(tm_screen)"
	menu_pick "Find a patient"
	tm_wait "Select PATIENT NAME:" 5 || fail "$1 lookup: $(tm_screen)"
	tm_keys 'TRACKERBY,T' Enter
	wait_for "$1 opens the patient" "O Open chart" 10
	tm_keys o
	wait_for "$1 sees the chart" "Documents (D)" 10
	tm_keys t
	wait_for "$1 opens the paper chart with T" "Paper chart" 10
}

# ---- the physician requests the chart ---------------------------------------
tm_start 80 24 "$FOLIO --db $D"
open_paper doctor
s=$(tm_screen)
contains "no paper chart yet" "no paper chart yet" "$s"
contains "a physician may request" "R Req" "$s"
contains "but not charge out (in parentheses)" "(O Out)" "$s"
tm_keys r
wait_for "the request asks the date" "Needed on: T//"
tm_keys '?'
wait_for "? explains the date" "T+1 tomorrow"
popup_close
tm_keys 'T+1' Enter
wait_for "then the reason" "Reason:"
tm_keys 'ward round review' Enter
wait_for "the request is made" "Requested for"
wait_for "it shows among the open requests" "Open requests (1)"
contains "by the doctor" "by doctor" "$(tm_screen)"
tm_keys o
wait_for "charging out is refused to a physician" "may not record where a paper chart is" 5
OUT=$(as tech "$D" chart pull-list 2>&1)
contains "the command line sees the request on the pull list" "$M	$(date -u -d tomorrow +%Y-%m-%d)	doctor" "$OUT"
tm_keys q
restart

# ---- the technician: pull list, charge out, overdue list -------------------
sign_in tech
tm_wait "Records technician menu" 10 || fail "tech menu: $(tm_screen)"
menu_pick "Paper charts"
wait_for "the pull list" "Pull list:" 10
s=$(tm_screen)
contains "the request is on it" "$M" "$s"
contains "with where the chart is" "(no paper chart yet)" "$s"
row=$(echo "$s" | grep "$M" | sed -n 's/^ *\([0-9][0-9]*\) .*/\1/p' | head -1)
check "the row of the request ($row)" test -n "$row"
tm_keys "$row" o
wait_for "the borrower defaults to the requester" "Charge out to: doctor//"
tm_keys Enter
wait_for "then the due date" "Due back:"
tm_keys 'T+2' Enter
wait_for "charged out" "Charged out to doctor."
lacks "the fulfilled request leaves the pull list" "$M" "$(tm_screen)"
OUT=$(as tech "$D" chart where "$M" 2>&1)
contains "the command line sees it out to the doctor" "Out: doctor since" "$OUT"
OUT=$(as tech "$D" chart volumes "$M" 2>&1)
contains "volume 1 made, due in two days" "$(date -u -d '+2 days' +%Y-%m-%d)" "$OUT"
tm_keys l
wait_for "the overdue list" "Overdue:" 5
s=$(tm_screen)
contains "the demo's overdue chart" "$HEART" "$s"
contains "days over" "Days over" "$s"
tm_keys l
wait_for "back to the pull list" "Pull list:" 5

# ---- check in, missing; a technician cannot clear it --------------------------
tm_keys p
tm_wait "Select PATIENT NAME:" 5 || fail "P asks the patient: $(tm_screen)"
tm_keys 'TRACKERBY,T' Enter
wait_for "the patient's paper chart" "Trackerby,Tess" 10
s=$(tm_screen)
contains "out to the doctor" "Out: doctor since" "$s"
contains "the request is fulfilled: none open" "Open requests (0)" "$s"
contains "the movement shows" "File room -> doctor" "$s"
tm_keys i
wait_for "checked in" "Checked in."
wait_for "back home" "Where: File room"
tm_keys m
wait_for "missing asks why" "Why is it missing:"
tm_keys Enter
wait_for "a reason is required" "A reason is required."
tm_keys 'misfiled after clinic' Enter
wait_for "marked missing" "Marked MISSING."
wait_for "where says MISSING" "Where: MISSING"
contains "found is not the technician's (parentheses)" "(F Found)" "$(tm_screen)"
tm_keys f
wait_for "found asks first" "Clear the missing flag"
tm_keys y Enter
wait_for "the technician is refused" "not permitted for the technician role" 5
contains "still missing" "Where: MISSING" "$(tm_screen)"
OUT=$(as super "$D" audit show --action chart.found --patient "$M" 2>&1)
contains "the refusal is audited" "denied" "$(echo "$OUT" | grep '	tech	')"
tm_keys h
wait_for "the whole history" "Paper chart: movements"
s=$(tm_screen)
contains "the missing movement" "missing" "$s"
contains "the check-in" "doctor -> File room" "$s"
tm_keys Enter
wait_for "a movement in full" "Reason:"
contains "its reason, opened for the reader" "misfiled after clinic" "$(tm_screen)"
popup_close
tm_keys Escape
wait_for "back to the paper chart" "Where: MISSING"
tm resize-window -t t -x 100 -y 30
wait_for "redraws at 100x30" "Where: MISSING" 5
tm resize-window -t t -x 80 -y 24
tm_keys q
restart

# ---- the supervisor clears it -------------------------------------------------
open_paper super
contains "the supervisor may clear it" "F Found" "$(tm_screen)"
lacks "not in parentheses" "(F Found)" "$(tm_screen)"
tm_keys f
wait_for "found asks first" "Clear the missing flag"
tm_keys y Enter
wait_for "found" "Found: back at its home."
wait_for "where shows the file room" "Where: File room"
OUT=$(as tech "$D" chart where "$M" 2>&1)
contains "the command line agrees" "$M	File room" "$OUT"
OUT=$(as super "$D" audit show --action chart.found --patient "$M" 2>&1)
contains "the supervisor's clearing is audited" "ok" "$(echo "$OUT" | grep '	super	')"
tm_keys q
