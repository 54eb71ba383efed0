#!/bin/sh
# folio — the patient index from the command line (issue 3): registration,
# the one-prompt lookup, duplicates, restricted records, own record,
# check-in, front-desk limits, and no PHI in the file.
. "$(dirname "$0")/../lib.sh"

DB="$T/p.db"
demo_db "$DB" 0 # no demo patients: this test registers its own
tech() { as tech "$DB" "$@"; }
mrn_of() { printf '%s\n' "$1" | grep -E '^[0-9]{8}$' | head -1; }
desk() { as desk "$DB" "$@"; }
super() { as super "$DB" "$@"; }

# ---- registration ----------------------------------------------------
expect_exit "register O'Brien-Muñoz" 0 tech patient add --last "O'Brien-Muñoz" --first "Seán" --dob 1962-03-14 \
	--sex M --phone 617-555-1234 --ssn 987-65-4321 --address "12 Elm Street" --city Boston --state MA --zip 02134
OBR=$(mrn_of "$OUT")
check "the MRN is 8 digits" sh -c "echo '$OBR' | grep -Eq '^[0-9]{8}$'"
expect_exit "register John Smith" 0 tech patient add --last Smith --first John --dob 3/4/1980 --sex M --phone 508-555-9876
JOHN=$(mrn_of "$OUT")
contains "warnings are shown" "warning: no address" "$OUT"
expect_exit "register Jane Smith" 0 tech patient add --last Smith --first Jane --dob "1 JUL 1985" --sex F --phone 508-555-2222
JANE=$(mrn_of "$OUT")
expect_exit "register Ana Muñoz" 0 tech patient add --last Muñoz --first Ana --dob 1990-03-14 --sex F
ANA=$(mrn_of "$OUT")
expect_exit "register a Greek name" 0 tech patient add --last Παπαδόπουλος --first Νίκος --dob 1970-01-01 --sex M
expect_exit "register without a last name is refused" 2 tech patient add --first Nobody --dob 1970-01-01
expect_exit "a DOB that is not a date is refused" 2 tech patient add --last Bad --dob 1962-02-30
expect_exit "an unknown field is refused" 2 tech patient add --last Bad --colour blue
expect_exit "a bad sex code is refused" 2 tech patient add --last Bad --sex Q
expect_exit "a bad SSN is refused" 2 tech patient add --last Bad --ssn 12345
expect_exit "a control character is refused" 2 tech patient add --last "$(printf 'Bad\001')"

# ---- the duplicate guard ---------------------------------------------
expect_exit "a likely duplicate is listed, nothing saved" 1 tech patient add --last Smyth --first Jon --dob 1980-03-04 --sex M
contains "the duplicate shows the existing chart" "$JOHN" "$OUT"
expect_exit "swapped day and month is a likely duplicate" 1 tech patient add --last Smith --first John --dob 1980-04-03
contains "swapped DOB lists John" "$JOHN" "$OUT"
expect_exit "the same phone is a likely duplicate" 1 tech patient add --last Other --first Person --phone "(508) 555-2222"
contains "same phone lists Jane" "$JANE" "$OUT"
expect_exit "--force saves past the guard" 0 tech patient add --last Smyth --first Jon --dob 1980-03-04 --sex M --force
SMYTH=$(mrn_of "$OUT")

# ---- lookup ---------------------------------------------------------------
first_mrn() { desk patient find "$1" 2>/dev/null | sed -n 2p | cut -f1; }
check "find obr,se -> O'Brien-Muñoz first" test "$(first_mrn 'obr,se')" = "$OBR"
check "find munoz -> Muñoz first" test "$(first_mrn munoz)" = "$ANA"
expect_exit "find munoz also lists the hyphenated O'Brien-Muñoz" 0 desk patient find munoz
contains "hyphenated surname part found" "$OBR" "$OUT"
check "find OBRIEN (no apostrophe)" test "$(first_mrn OBRIEN)" = "$OBR"
check "find by DOB 3/14/1962" test "$(first_mrn 3/14/1962)" = "$OBR"
check "find by DOB 1962-03-14" test "$(first_mrn 1962-03-14)" = "$OBR"
check "find by DOB 14 MAR 1962" test "$(first_mrn '14 MAR 1962')" = "$OBR"
check "find by MRN" test "$(first_mrn "$OBR")" = "$OBR"
check "find by last four of the SSN" test "$(first_mrn 4321)" = "$OBR"
check "find by last four of the phone" test "$(first_mrn 1234)" = "$OBR"
check "find by initial + last four" test "$(first_mrn O1234)" = "$OBR"
check "find smith,jo -> John" test "$(first_mrn smith,jo)" = "$JOHN"
check "find Greek by prefix" sh -c "FOLIO_PASSWORD=demo-desk-pass '$FOLIO' --db '$DB' --user desk patient find ΠΑΠ | grep -q Παπαδόπουλος"
expect_exit "find smi,j lists both Smiths" 0 desk patient find "smi,j"
contains "header" "mrn	last	first	dob	sex	last4" "$OUT"
contains "John listed" "$JOHN	Smith	John	1980-03-04	M	9876" "$OUT"
contains "Jane listed" "$JANE	Smith	Jane	1985-07-01	F	2222" "$OUT"
lacks "Smyth is not a SMI prefix" "$SMYTH" "$OUT"
expect_exit "one letter is refused with a hint" 2 desk patient find s
contains "the hint" "two letters" "$OUT"
expect_exit "a mistyped MRN is caught by its check digit" 2 desk patient find "$(echo "$OBR" | sed 's/.$/X/;s/X/0/')9"
expect_exit "a wrong check digit is refused" 2 desk patient find "$(printf %s "$OBR" | cut -c1-7)$(( ($(printf %s "$OBR" | cut -c8) + 1) % 10 ))"
contains "says check digit" "check digit" "$OUT"
expect_exit "no match is not found" 4 desk patient find "zzzz,q"
expect_exit "a half-typed date is refused" 2 desk patient find "3/14/196x"
lacks "the refusal does not repeat what was typed" "3/14/196" "$OUT"
lacks "nor does the audit log" "3/14/196" "$(as admin "$DB" audit show --user desk 2>/dev/null)"

# ---- show, edit ------------------------------------------------------------
expect_exit "front desk shows demographics" 0 desk patient show "$OBR"
contains "show prints field value lines" "last	O'Brien-Muñoz" "$OUT"
contains "show prints the DOB" "dob	1962-03-14" "$OUT"
expect_exit "front desk edits the address" 0 desk patient edit "$OBR" --address "14 Oak Street" --phone 617-555-7777
expect_exit "the edit shows" 0 desk patient show "$OBR"
contains "new address" "address	14 Oak Street" "$OUT"
check "the new phone is indexed" test "$(first_mrn 7777)" = "$OBR"
expect_exit "the old phone is no longer indexed" 4 desk patient find 1234
expect_exit "an invalid edit changes nothing" 2 desk patient edit "$OBR" --dob 2099-13-40
contains "the DOB is unchanged" "dob	1962-03-14" "$(desk patient show "$OBR" 2>/dev/null)"
expect_exit "show of an unknown MRN" 4 desk patient show 99999997

# ---- check-in and the front desk's limits -----------------------------------
expect_exit "front desk checks a patient in" 0 desk checkin "$JOHN" --clinic "Family Medicine" --visit-reason "follow-up"
expect_exit "today's check-ins" 0 desk checkins
contains "John is on today's list" "$JOHN	Smith	John	Family Medicine	follow-up	desk" "$OUT"
expect_exit "check-ins by date T" 0 desk checkins --date T
contains "T is today" "$JOHN" "$OUT"
expect_exit "check-ins yesterday are empty" 0 desk checkins --date T-1
lacks "nothing yesterday" "$JOHN" "$OUT"
expect_exit "front desk may not read the chart (exit 3)" 3 desk chart "$JOHN"
contains "the clinical read is audited as denied" "chart.view	denied" \
	"$(as admin "$DB" audit show --user desk --action chart.view 2>/dev/null)"
expect_exit "technician reads the chart" 0 tech chart "$JOHN"
contains "the visit is in the chart" "outpatient	checked-in" "$OUT"
expect_exit "admin may not look patients up" 3 as admin "$DB" patient find smith
expect_exit "admin may not show demographics" 3 as admin "$DB" patient show "$JOHN"

# ---- restricted records -------------------------------------------------------
expect_exit "front desk may not restrict" 3 desk patient restrict "$JANE"
expect_exit "technician restricts a record" 0 tech patient restrict "$JANE"
expect_exit "a restricted record does not open without a reason" 3 desk patient show "$JANE"
contains "the refusal says a reason is needed" "reason" "$OUT"
expect_exit "a too-short reason is refused" 2 desk patient show "$JANE" --reason x
expect_exit "with a reason it opens" 0 desk patient show "$JANE" --reason "patient at the desk for a visit"
contains "the restricted record's fields" "last	Smith" "$OUT"
expect_exit "the supervisor's alert list has it" 0 super alerts
contains "alert names the user and MRN" "desk	$JANE	patient at the desk for a visit" "$OUT"
ALERT=$(printf %s "$OUT" | sed -n 2p | cut -f1)
expect_exit "break-the-glass is audited" 0 as admin "$DB" audit show --action chart.breakglass --patient "$JANE"
contains "audit row" "chart.breakglass	ok	$JANE" "$OUT"
lacks "the reason itself is not in the audit log" "patient at the desk" "$OUT"
expect_exit "the supervisor marks the alert reviewed" 0 super alerts review "$ALERT"
expect_exit "reviewed alerts leave the open list" 0 super alerts
lacks "no longer open" "	$JANE	" "$OUT"
expect_exit "front desk may not read alerts" 3 desk alerts
expect_exit "technician lifts the restriction with a reason" 0 tech patient unrestrict "$JANE" --reason "restriction entered in error"

# ---- one's own record ---------------------------------------------------------
expect_exit "register a record for the desk clerk" 0 tech patient add --last Desk --first Dana --dob 1988-08-08 --sex F
DANA=$(mrn_of "$OUT")
expect_exit "the officer links the clerk to her record" 0 as admin "$DB" patient link "$DANA" --user desk
expect_exit "the clerk cannot open her own record" 3 desk patient show "$DANA"
contains "own record message" "own record" "$OUT"
expect_exit "not even with a reason" 3 desk patient show "$DANA" --reason "just looking at it"
expect_exit "the clerk cannot check herself in" 3 desk checkin "$DANA"
expect_exit "a colleague can" 0 tech patient show "$DANA"
expect_exit "link to an unknown user" 4 as admin "$DB" patient link "$JOHN" --user nobody

# ---- no PHI in the file ---------------------------------------------------------
for secret in "O'Brien" "Muñoz" "Seán" "1962-03-14" "617-555-1234" "987-65-4321" "6175551234" "Elm Street" \
	"Oak Street" "Smith" "follow-up" "patient at the desk" "Παπαδόπουλος"; do
	if grep -qaF -- "$secret" "$DB"; then fail "PHI in the database file: $secret"; else pass "no '$secret' in the file"; fi
done
check "MRNs are stored (the check can fail)" grep -qaF -- "$OBR" "$DB"
