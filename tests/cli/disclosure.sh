#!/bin/sh
# folio — the disclosure ledger, the accounting of disclosures and the
# access report from the command line (issue 7, done-when 2 and 3): an
# accounting lists a public-health report and a court order but not a
# treatment disclosure, one under the patient's authorization, or one over
# 6 years old; a correction shows once, corrected; the first accounting in
# 12 months is free and the next is not; the ledger takes no UPDATE and its
# texts are not in the file; `report access` names each user who opened the
# chart, denied attempts included; the wrong roles are refused (exit 3).
. "$(dirname "$0")/../lib.sh"

DB="$T/t.db"
demo_db "$DB" 20
tech() { as tech "$DB" "$@"; }
super() { as super "$DB" "$@"; }
desk() { as desk "$DB" "$@"; }
doc() { as doctor "$DB" "$@"; }

M=$(tech patient add --last Ledgerton --first Lou --dob 1968-02-03 --sex M 2>/dev/null | tail -1)
check "a new patient" test -n "$M"
OLD=$(date -u -d '7 years ago' +%Y-%m-%d)
RECENT=$(date -u -d '2 years ago' +%Y-%m-%d)

# ---- recording ------------------------------------------------------------
expect_exit "a public-health report made outside folio" 0 tech disclosure add "$M" --to "County Health Dept" \
	--address "12 Quarantine Way" --what "Zanzibarine lab result" --purpose "mandated TB report" --kind public-health
PH=$(echo "$OUT" | tail -1)
expect_exit "a court order, back-dated" 0 tech disclosure add "$M" --to "Superior Court clerk" \
	--address "1 Justice Sq" --what "discharge summary" --purpose "order 99-1" --kind court-order --date "$RECENT"
expect_exit "a treatment disclosure" 0 tech disclosure add "$M" --to "Dr Quillfeather" --what "problem list" \
	--purpose "referral" --kind treatment
expect_exit "one under the patient's authorization" 0 tech disclosure add "$M" --to "Acme Life Insurance" \
	--what "physical exam" --purpose "policy application" --kind authorization
expect_exit "one over 6 years old" 0 tech disclosure add "$M" --to "Old Oversight Board" --what "audit sample" \
	--purpose "survey" --kind health-oversight --date "$OLD"
expect_exit "an unknown kind is refused" 2 tech disclosure add "$M" --to X --what Y --purpose Z --kind gossip
expect_exit "a recipient is required" 2 tech disclosure add "$M" --what Y --purpose Z --kind research
expect_exit "a future date is refused" 2 tech disclosure add "$M" --to X --what Y --purpose Z --kind research --date T+3
expect_exit "a bad date is refused" 2 tech disclosure add "$M" --to X --what Y --purpose Z --kind research --date someday
expect_exit "an unknown patient" 4 tech disclosure add 99999997 --to X --what Y --purpose Z --kind research
expect_exit "the front desk may not record disclosures" 3 desk disclosure add "$M" --to X --what Y --purpose Z --kind research
expect_exit "nor may the doctor list them" 3 doc disclosures "$M"
expect_exit "the ledger" 0 tech disclosures "$M"
check "five entries, the refusals wrote nothing" test "$(echo "$OUT" | tail -n +2 | wc -l)" -eq 5
contains "ledger header" "id	date	kind	recipient	address" "$OUT"
contains "the treatment disclosure is in the ledger" "Dr Quillfeather" "$OUT"

# ---- correction --------------------------------------------------------------
expect_exit "correct the public-health report's recipient" 0 tech disclosure correct "$PH" --to "State Health Dept"
FIX=$(echo "$OUT" | tail -1)
expect_exit "correcting it twice is stale" 1 tech disclosure correct "$PH" --to "Elsewhere"
contains "it names the newer entry" "corrected already by $FIX" "$OUT"
expect_exit "an unknown entry" 4 tech disclosure correct 9999 --to "Nobody"
expect_exit "a correction with nothing to change" 2 tech disclosure correct "$PH"

# ---- the accounting -----------------------------------------------------------
expect_exit "the accounting" 0 tech accounting "$M"
A=$OUT
contains "it lists the public-health report, corrected" "State Health Dept	12 Quarantine Way	Zanzibarine lab result" "$A"
lacks "not the uncorrected version" "County Health Dept" "$A"
contains "it lists the court order" "Superior Court clerk" "$A"
lacks "not the treatment disclosure" "Quillfeather" "$A"
lacks "not the one under an authorization" "Acme Life" "$A"
lacks "not the one over 6 years old" "Old Oversight" "$A"
check "exactly two entries before the summary" test "$(echo "$A" | sed -n '2,/^$/p' | grep -c .)" -eq 2
contains "the due date is 60 days on" "due	$(date -u -d '+60 days' +%Y-%m-%d)" "$A"
contains "the first is free" "fee	free" "$A"
expect_exit "as of 6 years from the old entry's date it is listed" 0 tech accounting "$M" --as-of "$(date -u -d '5 years ago' +%Y-%m-%d)"
contains "the old entry" "Old Oversight Board" "$OUT"
expect_exit "give it" 0 tech accounting "$M" --give
contains "given free" "fee	free" "$OUT"
expect_exit "the next one in 12 months" 0 tech accounting "$M"
contains "is chargeable" "fee	chargeable" "$OUT"
expect_exit "a future as-of is refused" 2 tech accounting "$M" --as-of T+5
expect_exit "an option it does not take" 2 tech accounting "$M" --newest
expect_exit "the front desk may not give accountings" 3 desk accounting "$M"

# ---- append-only, sealed --------------------------------------------------
check "sqlite3 UPDATE on the ledger fails" sh -c "! sqlite3 '$DB' \"UPDATE disclosures SET kind = 'treatment'\" 2>/dev/null"
check "sqlite3 DELETE on the ledger fails" sh -c "! sqlite3 '$DB' 'DELETE FROM disclosures' 2>/dev/null"
check "sqlite3 UPDATE on accountings fails" sh -c "! sqlite3 '$DB' 'UPDATE accountings SET free = 1' 2>/dev/null"
check "still six entries" test "$(sqlite3 "$DB" 'SELECT count(*) FROM disclosures')" -eq 6
for w in Zanzibarine Quarantine Quillfeather "Superior Court"; do
	check "'$w' is not in the database file" sh -c "! grep -q '$w' '$DB'* 2>/dev/null"
done

# ---- the access report ------------------------------------------------------
expect_exit "the technician opens the chart" 0 tech patient show "$M"
expect_exit "the doctor lists the notes" 0 doc note list "$M"
expect_exit "the desk tries to read the chart" 3 desk note list "$M"
expect_exit "the access report" 0 super report access "$M"
R=$OUT
contains "report header" "at	user	role	group	action	outcome	workstation" "$R"
contains "the technician viewed it" "	tech	technician	viewed	see demographics	ok" "$R"
contains "the doctor read the chart" "	doctor	physician	viewed	read the clinical chart	ok" "$R"
contains "the desk was denied" "	desk	frontdesk	denied	" "$R"
contains "recording a disclosure is a change" "	tech	technician	changed	account for disclosures	ok" "$R"
check "rows carry times" sh -c "echo '$R' | sed -n 2p | grep -q '^[0-9]\{4\}-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]	'"
FIRST=$(echo "$R" | sed -n 2p | cut -f2)
expect_exit "newest first" 0 super report access "$M" --newest
check "the newest is the supervisor's own report run (audited too)" test "$(echo "$OUT" | sed -n 2p | cut -f2)" = "super"
check "oldest first starts with the technician's first entry" test "$FIRST" = "tech"
expect_exit "since tomorrow: nothing" 0 super report access "$M" --since T+1
check "no rows" test "$(echo "$OUT" | wc -l)" -eq 1
expect_exit "the technician may not run it" 3 tech report access "$M"
expect_exit "an unknown report" 2 super report everything "$M"
contains "says so" "unknown report" "$OUT"
expect_exit "a bad MRN" 2 super report access 12345
lacks "no PHI in any output's errors" "Zanzibarine" "$(grep -i 'folio:' "$T/all-output")"
