#!/bin/sh
# folio interface: duplicate charts (issue 8).  Two near-duplicate charts
# are registered and scanned on the command line; the supervisor opens
# Duplicate charts, sees the pair, opens it side by side (both surnames, the
# differing date of birth marked), verifies it as a duplicate with a note,
# and the command line then lists it as duplicate.  The front desk has no
# Duplicate charts item.
. "$(dirname "$0")/../lib.sh"

D="$T/dupes.db"
demo_db "$D" 40
add() { as tech "$D" patient add "$@" --force 2>/dev/null | tail -1; }
A=$(add --last Vandermolen --first Harriet --dob 1958-03-07 --sex F --phone 555-201-7788 --zip 62704)
B=$(add --last Vandermollen --first Harriet --dob 1958-07-03 --sex F --phone 555-201-7788 --zip 62704)
as tech "$D" dup scan >/dev/null 2>&1 || fail "dup scan"
P=$(as tech "$D" dup list 2>/dev/null | awk -F'\t' -v a="$A" -v b="$B" '$2 == a && $3 == b { print $1 }')
check "the scan found the pair" test -n "$P"

tm_start 100 40 "$FOLIO --db $D"
sign_in desk
wait_for "the front desk's menu" "Find a patient" 10
lacks "the front desk has no Duplicate charts item" "Duplicate charts" "$(tm_screen)"
tm_keys q
tm_wait_gone "Find a patient" 10

tm_restart 100 40 "$FOLIO --db $D"
sign_in super
wait_for "the supervisor's menu" "Duplicate charts" 10
tm_menu_open "Duplicate charts"
wait_for "the list of potential pairs" "potential pair" 10
s=$(tm_screen)
contains "the pair's first chart" "$A" "$s"
contains "the pair's second chart" "$B" "$s"
contains "its reasons" "dob-swap" "$s"
lacks "no name in the list" "Vandermol" "$s"
tm_keys '?'
wait_for "help" "best score first"
popup_close
tm_keys Enter
wait_for "side by side" "Duplicate charts — review" 10
s=$(tm_screen)
contains "chart A's surname" "Vandermolen" "$s"
contains "chart B's surname" "Vandermollen" "$s"
contains "both dates of birth" "1958-07-03" "$s"
contains "the date of birth nearly agrees" "near" "$s"
contains "the phone agrees" "same" "$s"
tm_keys '?'
wait_for "review help" "same person"
popup_close
tm_keys v
wait_for "asks for a note" "Note (optional)" 5
tm_keys "ID card checked" Enter
wait_for "marked" "marked a duplicate" 10
wait_for "back on the list, nothing waiting" "No pairs waiting" 10
tm_keys Escape
sleep 0.3

ROW=$(as tech "$D" dup list --status duplicate 2>/dev/null | awk -F'\t' -v id="$P" '$1 == id')
contains "the command line lists it as a duplicate" "	duplicate" "$ROW"
expect_exit "who decided" 0 as tech "$D" dup show "$P"
contains "decided by super" "duplicate by super" "$OUT"
check "the note is not in the file in plaintext" sh -c "! grep -a -q 'ID card checked' '$D'"
