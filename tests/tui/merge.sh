#!/bin/sh
# folio interface: merging duplicate charts (issue 8).  Two charts of one
# person, each with a visit, are scanned on the command line; the
# supervisor opens Duplicate charts, reviews the pair side by side,
# verifies it (V), opens it again, previews the merge (M: rows per table)
# and confirms it; the command line then shows the pair merged, the losing
# MRN finding the surviving chart.  A technician's review of a verified pair
# shows "(M merge)" and M does not merge.
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
tm_keys Escape
sleep 0.3
tm_keys Escape
sleep 0.3

expect_exit "the command line lists the merge" 0 as super "$D" merge list
contains "the merge of the pair" "	$P	$A	$B	super" "$OUT"
expect_exit "the losing MRN finds the surviving chart" 0 as tech "$D" patient find "$B"
contains "chart A" "$A	Quennell" "$OUT"
check "no visit is left on the losing chart" test "$(sqlite3 "$D" "SELECT count(*) FROM encounters e JOIN patients p ON p.id = e.patient_id WHERE p.mrn = '$B'")" -eq 0

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
