#!/bin/sh
# folio — duplicate charts from the command line (issue 8): the same woman
# registered twice (a typo in the surname, day and month swapped) is found
# by `dup scan` with a plausible score and reasons, an unrelated patient is
# not paired; verify and reject change the status, a re-scan keeps both
# decisions; the front desk and physicians are denied (exit 3, audited); no
# name shows in the list, and the database file holds none of them.
. "$(dirname "$0")/../lib.sh"

DB="$T/t.db"
demo_db "$DB" 40
tech() { as tech "$DB" "$@"; }
super() { as super "$DB" "$@"; }
desk() { as desk "$DB" "$@"; }
doc() { as doctor "$DB" "$@"; }
add() { tech patient add "$@" --force 2>/dev/null | tail -1; }
# pair_of MRN_A MRN_B: the pair's id from `dup list`
pair_of() { tech dup list 2>/dev/null | awk -F'\t' -v a="$1" -v b="$2" '($2 == a && $3 == b) || ($2 == b && $3 == a) { print $1 }'; }
row_of() { tech dup list 2>/dev/null | awk -F'\t' -v id="$1" '$1 == id'; }

A=$(add --last Vandermolen --first Harriet --dob 1958-03-07 --sex F --phone 555-201-7788 \
	--address "12 Orchard Lane" --city Springfield --zip 62704)
B=$(add --last Vandermollen --first Harriet --dob 1958-07-03 --sex F --phone 555-201-7788 \
	--address "12 Orchard Ln" --city Springfield --zip 62704)
C=$(add --last Quistgaard --first Bartholomew --dob 1990-11-30 --sex M --phone 555-909-1234 \
	--address "400 Elm Street" --city Shelbyville --zip 62565)
D=$(add --last Pettigrew --first Oswald --dob 1944-02-15 --sex M --zip 62701)
E=$(add --last Oswald --first Pettigrew --dob 1944-02-15 --sex M --zip 62701)
check "five patients registered" test -n "$A" -a -n "$B" -a -n "$C" -a -n "$D" -a -n "$E"

# ---- the scan ----------------------------------------------------------------
expect_exit "a technician scans" 0 tech dup scan
contains "the scan says what it found" "found	" "$OUT"
contains "the scan read every patient" "patients	45" "$OUT"
contains "the scan times itself" "seconds	" "$OUT"
P1=$(pair_of "$A" "$B")
P2=$(pair_of "$D" "$E")
check "the typo + swapped day and month pair is found" test -n "$P1"
check "the swapped names pair is found" test -n "$P2"
ROW=$(row_of "$P1")
contains "its reasons: the surname nearly agrees" "family~" "$ROW"
contains "its reasons: day and month swapped" "dob-swap" "$ROW"
contains "its reasons: the phone agrees" "phone=" "$ROW"
contains "it is potential" "	potential" "$ROW"
SCORE=$(printf %s "$ROW" | cut -f4)
check "a plausible score (30 to 60)" test "${SCORE:-0}" -ge 30 -a "${SCORE:-0}" -le 60
contains "the swapped names say so" "name-swap" "$(row_of "$P2")"
expect_exit "the whole list" 0 tech dup list
contains "list header" "id	mrn_a	mrn_b	score	reasons	status" "$OUT"
lacks "the unrelated patient is not paired" "$C" "$OUT"
lacks "no surname in the list" "Vandermol" "$OUT"
lacks "no upper-cased surname in the list" "VANDERMOL" "$OUT"
lacks "no first name in the list" "Harriet" "$OUT"
lacks "no date of birth in the list" "1958" "$OUT"
expect_exit "list at a high minimum score" 0 tech dup list --min-score 1000
check "nothing is that alike" test "$(printf %s "$OUT" | wc -l)" -eq 0

# ---- side by side --------------------------------------------------------------
expect_exit "show the pair" 0 tech dup show "$P1"
contains "show header" "field	mark	chart_a	chart_b" "$OUT"
contains "both surnames, nearly alike" "Last name	~	Vandermolen	Vandermollen" "$OUT"
contains "the dates of birth nearly agree" "Date of birth	~	1958-03-07	1958-07-03" "$OUT"
contains "the phones agree" "Phone	=	555-201-7788	555-201-7788" "$OUT"
contains "both MRNs" "MRN		$A	$B" "$OUT"
# A restricted chart shows no more than the patient lookup until it is opened.
expect_exit "restrict chart B" 0 super patient restrict "$B"
expect_exit "show the pair again" 0 tech dup show "$P1"
contains "B's names still show" "Vandermollen" "$OUT"
lacks "B's street does not" "12 Orchard Ln" "$OUT"
contains "A's street does" "12 Orchard Lane" "$OUT"
contains "B says why" "(restricted: open the chart)" "$OUT"
expect_exit "unrestrict chart B (opening it with a reason)" 0 super patient unrestrict "$B" --reason "duplicate review"

# ---- refusals -------------------------------------------------------------------
expect_exit "the front desk may not list pairs" 3 desk dup list
expect_exit "a physician may not scan" 3 doc dup scan
expect_exit "a physician may not verify" 3 doc dup verify "$P1"
expect_exit "the denials are audited" 0 super audit show --action merge.propose
contains "the desk's denial" "desk	frontdesk" "$OUT"
contains "the doctor's denial" "doctor	physician" "$OUT"
expect_exit "no such pair" 4 tech dup show 99999
expect_exit "no such pair to verify" 4 tech dup verify 99999
expect_exit "a pair number is a number" 2 tech dup show abc
expect_exit "an unknown status" 2 tech dup list --status maybe
expect_exit "a bad minimum score" 2 tech dup list --min-score lots
expect_exit "an unknown subcommand" 2 tech dup merge "$P1"
expect_exit "show takes no note" 2 tech dup show "$P1" --note x
contains "the refusals changed nothing" "	potential" "$(row_of "$P1")"

# ---- decisions --------------------------------------------------------------------
expect_exit "a technician verifies the pair" 0 tech dup verify "$P1" --note "Harriet Vandermolen's ID checked"
contains "it is a duplicate" "	duplicate" "$(row_of "$P1")"
expect_exit "a decided pair is not decided again" 2 super dup reject "$P1"
contains "still a duplicate" "	duplicate" "$(row_of "$P1")"
expect_exit "a supervisor rejects the other" 0 super dup reject "$P2"
contains "it is not a duplicate" "	not-duplicate" "$(row_of "$P2")"
expect_exit "list the duplicates" 0 tech dup list --status duplicate
contains "the verified pair" "$P1	" "$OUT"
lacks "not the rejected one" "not-duplicate" "$OUT"
expect_exit "show says who decided" 0 tech dup show "$P1"
contains "decided by tech" "duplicate by tech" "$OUT"

# ---- a re-scan keeps decisions --------------------------------------------------------
expect_exit "a re-scan" 0 super dup scan
contains "the decided pairs are kept" "kept-decided	2" "$OUT"
contains "nothing new" "new	0" "$OUT"
contains "still a duplicate after the re-scan" "	duplicate" "$(row_of "$P1")"
contains "still not a duplicate after the re-scan" "	not-duplicate" "$(row_of "$P2")"

# ---- no plaintext in the file ---------------------------------------------------------
for w in Vandermolen Vandermollen VANDERMOLEN Harriet Quistgaard Pettigrew "ID checked"; do
	check "the database holds no '$w'" sh -c "! grep -a -q '$w' '$DB'"
done
