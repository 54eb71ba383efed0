#!/bin/sh
# folio interface: merging duplicate charts (issue 8).  Two charts of one
# person, each with a visit, are scanned on the command line; the
# supervisor opens Duplicate charts, reviews the pair side by side,
# rescans (S), verifies it (V), opens it again, keeps chart A (M, Enter),
# previews the merge (rows per table) and confirms it; the command line then
# shows the pair merged, the losing MRN finding the surviving chart.  In
# Merges (G) the supervisor undoes it (U), then merges again keeping chart
# B.  A technician's review of a verified pair shows "(M merge)" and M does
# not merge; their Merges list shows "(U undo)" and U does not undo.
. "$(dirname "$0")/../lib.sh"

D="$T/merge.db"
demo_db "$D" 40
add() { as tech "$D" patient add "$@" --force 2>/dev/null | tail -1; }
A=$(add --last Quennell --first Rosamund --dob 1966-02-11 --sex F --phone 555-404-1212 --zip 62704)
B=$(add --last Quenell --first Rosamund --dob 1966-11-02 --sex F --phone 555-404-1212 --zip 62704)
as tech "$D" checkin "$A" >/dev/null 2>&1 || fail "check-in A"
as tech "$D" checkin "$B" >/dev/null 2>&1 || fail "check-in B"
as tech "$D" dup scan >/dev/null 2>&1 || fail "dup scan"
P=$(as tech "$D" dup list 2>/dev/null | awk -F'\t' -v a="$A" -v b="$B" '$2 == a && $3 == b { print $1 }')
check "the scan found the pair" test -n "$P"

tm_start 100 40 "$FOLIO --db $D"
sign_in super
wait_for "the supervisor's menu" "Duplicate charts" 10
tm_menu_open "Duplicate charts"
wait_for "the list of potential pairs" "potential pair" 10
tm_keys s
wait_for "the scan ran from the screen" " charts in " 20
contains "the scan kept the decided and counted the pairs" "pairs, 0 new" "$(tm_screen)"
tm_keys Enter
wait_for "side by side" "Duplicate charts — review" 10
s=$(tm_screen)
contains "chart A's surname" "Quennell" "$s"
contains "chart B's surname" "Quenell" "$s"
lacks "no merge before it is verified" "M Merge" "$s"
tm_keys v
wait_for "asks for a note" "Note (optional)" 5
tm_keys "same person, ID seen" Enter
wait_for "marked" "marked a duplicate" 10
tm_keys a
wait_for "every pair" "duplicate" 10
tm_keys Enter
wait_for "the verified pair side by side" "Duplicate charts — review" 10
wait_for "the merge is offered" "M Merge" 5
tm_keys m
wait_for "asks which chart survives" "Which chart survives (A or B)" 5
tm_keys x Enter
wait_for "A or B only" "A or B: the chart that stays" 5
tm_keys Enter
wait_for "the preview" "Merge preview" 10
s=$(tm_screen)
contains "the preview says which chart goes where" "Chart B $B merges into chart A $A" "$s"
contains "it counts the visits that move" "encounters" "$s"
contains "and the total" "total" "$s"
popup_close
wait_for "asks to confirm" "Merge chart $B into $A" 5
tm_keys y Enter
wait_for "merged" "Merged chart $B into $A" 10
wait_for "no merge offered any more" "Esc Back" 5
lacks "no second merge" "M Merge" "$(tm_screen)"
expect_exit "the command line lists the merge" 0 as super "$D" merge list
contains "the merge of the pair" "	$P	$A	$B	super" "$OUT"
expect_exit "the losing MRN finds the surviving chart" 0 as tech "$D" patient find "$B"
contains "chart A" "$A	Quennell" "$OUT"
check "no visit is left on the losing chart" test "$(sqlite3 "$D" "SELECT count(*) FROM encounters e JOIN patients p ON p.id = e.patient_id WHERE p.mrn = '$B'")" -eq 0

# Merges (G): the supervisor undoes it from the screen
tm_keys Escape
wait_for "back on the list of pairs" "G Merges" 5
tm_keys g
wait_for "the merges" "1 merge" 10
s=$(tm_screen)
contains "the merge: survivor, merged, by" "$A  $B  super" "$s"
contains "the supervisor may undo" "U Undo" "$s"
tm_keys u
wait_for "asks to confirm the undo" ": charts $A and $B apart again" 5
tm_keys y Enter
wait_for "undone" "charts $A and $B are apart again" 10
check "undone: nothing merged" test "$(sqlite3 "$D" 'SELECT count(*) FROM merges WHERE undone_at IS NULL')" -eq 0
contains "the list says who undid it" "super 20" "$(tm_screen)"

# merged again, chart B surviving this time
tm_keys Escape
wait_for "the list of pairs again" "G Merges" 5
tm_keys Enter
wait_for "the pair again" "Duplicate charts — review" 10
tm_keys m
wait_for "asks which chart survives" "Which chart survives (A or B)" 5
tm_keys b Enter
wait_for "the preview, B staying" "Chart A $A merges into chart B $B" 10
popup_close
wait_for "asks to confirm" "Merge chart $A into $B" 5
tm_keys y Enter
wait_for "merged into B" "Merged chart $A into $B" 10
expect_exit "the command line lists the second merge" 0 as super "$D" merge list
contains "B survives" "	$P	$B	$A	super" "$OUT"
expect_exit "A's MRN now finds chart B" 0 as tech "$D" patient find "$A"
contains "chart B" "$B	Quenell" "$OUT"
tm_keys Escape
sleep 0.3
tm_keys Escape
sleep 0.3

# a technician sees the merge but may not do it
expect_exit "undo, for the technician's view" 0 as super "$D" merge undo "$(sqlite3 "$D" 'SELECT max(id) FROM merges')"
tm_restart 100 40 "$FOLIO --db $D"
sign_in tech
wait_for "the technician's menu" "Duplicate charts" 10
tm_menu_open "Duplicate charts"
wait_for "the list" "pair" 10
tm_keys a
wait_for "every pair" "duplicate" 10
tm_keys Enter
wait_for "review" "Duplicate charts — review" 10
wait_for "the merge shown as not the technician's" "(M merge)" 5
tm_keys m
wait_for "says who merges" "A supervisor approves a merge" 5
check "still not merged" test "$(sqlite3 "$D" 'SELECT count(*) FROM merges WHERE undone_at IS NULL')" -eq 0
tm_keys Escape
wait_for "the technician's list of pairs" "G Merges" 5
tm_keys g
wait_for "the technician's merges" "2 merges" 10
wait_for "undo shown as not the technician's" "(U undo)" 5
tm_keys u
wait_for "says who undoes" "A supervisor undoes a merge" 5
