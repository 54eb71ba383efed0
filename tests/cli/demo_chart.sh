#!/bin/sh
# folio — the demo database's charts (issue 4): the fixed patients and about
# every 8th synthetic one come with encounters, notes (signed, unsigned,
# transcribed, an addendum, a letter, a psychotherapy note), vitals,
# allergies, problems, medications and results; the demo's signatures
# verify; the doctor's published signature code signs; the front desk sees
# none of it; two demos hold the same charts; no chart text in the file.
. "$(dirname "$0")/../lib.sh"

DB="$T/d.db"
demo_db "$DB"
# shape DB: what the charts hold, counted (times aside: they follow today)
shape() { sqlite3 "$1" "SELECT kind, status, count(*) FROM clinical_items GROUP BY 1, 2;
	SELECT type, status, author, entered_by, count(*) FROM documents GROUP BY 1, 2, 3, 4;
	SELECT kind, state, discharge_status, count(*) FROM encounters GROUP BY 1, 2, 3"; }
SHAPE=$(shape "$DB")
tech() { as tech "$DB" "$@"; }
desk() { as desk "$DB" "$@"; }
super() { as super "$DB" "$@"; }
first_mrn() { tech patient find "$1" 2>/dev/null | sed -n 2p | cut -f1; }
# column NAME: the values of column NAME of the TSV in $OUT.
column() { printf '%s\n' "$OUT" | awk -F'\t' -v c="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next }
	k { print $k }'; }
# rows TEXT: how many lines of $OUT hold TEXT.
rows() { printf '%s\n' "$OUT" | grep -cF -- "$1"; }
# field N WHERE: column N of the first line of $OUT whose awk condition holds.
field() { printf '%s\n' "$OUT" | awk -F'\t' "$2 { print \$$1; exit }"; }

JOHN=$(first_mrn "smith,john")
check "Smith, John is found" sh -c "echo '$JOHN' | grep -Eq '^[0-9]{8}$'"

# ---- encounters ------------------------------------------------------------
expect_exit "the technician lists John's encounters" 0 tech encounter list "$JOHN"
check "three closed outpatient visits" test "$(rows "outpatient	closed")" -eq 3
contains "a discharged admission" "inpatient	discharged" "$OUT"
check "discharged home (UB-04 01)" test "$(field 11 '$2 == "inpatient"')" = "01"
check "discharged after the admission" test "$(field 5 '$2 == "inpatient"')" \> "$(field 4 '$2 == "inpatient"')"
ADM=$(field 1 '$2 == "inpatient"')
lacks "nothing of John's is today" "$(date -u +%Y-%m-%d)" "$OUT"

# ---- documents ---------------------------------------------------------------
expect_exit "the technician lists John's notes" 0 tech note list "$JOHN"
contains "a signed H&P" "	hp	completed	doctor" "$OUT"
contains "a signed discharge summary" "	discharge	completed	doctor" "$OUT"
contains "an unsigned note the doctor typed" "	progress	unsigned	doctor" "$OUT"
contains "a transcription awaiting the doctor" "	progress	unverified	doctor" "$OUT"
DS=$(field 1 '$2 == "discharge"')
UNSIGNED=$(field 1 '$3 == "unsigned" && $4 == "doctor"')
UNVERIFIED=$(field 1 '$3 == "unverified" && $4 == "doctor"')
expect_exit "the discharge summary reads" 0 tech note show "$DS"
contains "it is on the admission" "encounter	$ADM" "$OUT"
contains "it has headings" "Hospital course:" "$OUT"
contains "it names the discharge status" "home or self care (01)" "$OUT"
contains "it has an addendum awaiting signature" "==== addendum" "$OUT"
contains "the addendum's text" "ADDENDUM:" "$OUT"
expect_exit "the transcription reads" 0 tech note show "$UNVERIFIED"
contains "typed by the technician" "entered_by	tech" "$OUT"

# ---- clinical data -----------------------------------------------------------
expect_exit "vitals list" 0 tech vitals list "$JOHN"
check "several sets of vitals" test "$(column taken | grep -c .)" -ge 4
check "several with a BMI" test "$(column bmi | grep -Ec '^[0-9]+\.[0-9]$')" -ge 3
check "blood pressures recorded" test "$(column bp | grep -Ec '^[0-9]+/[0-9]+$')" -ge 4
expect_exit "allergy list" 0 tech allergy list "$JOHN"
contains "penicillin, severe" "penicillin	drug	severe	anaphylaxis" "$OUT"
contains "latex" "latex	environmental" "$OUT"
expect_exit "allergy banner" 0 tech allergy banner "$JOHN"
contains "the banner shows the allergies" "PENICILLIN (severe)" "$OUT"
expect_exit "problem list" 0 tech problem list "$JOHN"
contains "type 2 diabetes coded" "Type 2 diabetes mellitus	E11.9" "$OUT"
contains "hypertension coded" "	I10	" "$OUT"
check "the pneumonia is resolved" test "$(field 2 '$8 == "J18.9"')" = "resolved"
expect_exit "medication list" 0 tech med list "$JOHN"
contains "metformin 500 mg PO BID" "metformin 500 mg tablet	500 mg	PO	BID" "$OUT"
contains "lisinopril daily" "lisinopril 10 mg tablet	10 mg	PO	daily" "$OUT"
check "one medication stopped" test "$(column status | grep -c '^stopped$')" -eq 1
check "prescribed by the doctor" test "$(column prescriber | sort -u)" = "doctor"
expect_exit "result list" 0 tech result list "$JOHN"
contains "HbA1c by LOINC" "Hemoglobin A1c	4548-4" "$OUT"
contains "with its range" "4.0-5.6" "$OUT"
contains "potassium" "	2823-3	" "$OUT"
contains "glucose" "	2345-7	" "$OUT"
check "some abnormal" test "$(column flag | grep -c '^H$')" -ge 1
check "some reviewed by the doctor" test "$(column reviewed_by | grep -c '^doctor$')" -ge 1
check "the newest not yet reviewed" test "$(column status | grep -c '^new$')" -ge 1

# ---- the other fixed patients ------------------------------------------------
SEAN=$(first_mrn "obrien,sean")
expect_exit "O'Brien-Muñoz's encounters" 0 tech encounter list "$SEAN"
ENC=$(field 1 '$2 == "inpatient"')
expect_exit "his admission shows" 0 tech encounter show "$ENC"
contains "he was transferred" "	transfer	admitted" "$OUT"
contains "to cardiology" "cardiology	6C	12" "$OUT"
contains "discharged with home health (06)" "	06	" "$OUT"
expect_exit "his notes" 0 tech note list "$SEAN"
contains "a signed consult letter" "	letter	completed	doctor" "$OUT"
expect_exit "Jane's encounters" 0 tech encounter list "$(first_mrn "smith,jane")"
contains "an emergency visit" "emergency	closed" "$OUT"
expect_exit "Julia's allergies" 0 tech allergy banner "$(first_mrn "smith,julia")"
contains "no known allergies" "No known allergies" "$OUT"
expect_exit "Ana's notes" 0 tech note list "$(first_mrn "munoz,ana")"
contains "a signed psychotherapy note" "	psychotherapy	completed	doctor" "$OUT"
check "which the technician cannot read" test "$(field 12 '$2 == "psychotherapy"')" = "no"
ZZ=$(first_mrn "testpatient")
expect_exit "the TEST patient's encounters" 0 tech encounter list "$ZZ"
contains "a cancelled admission" "inpatient	cancelled" "$OUT"
expect_exit "the cancel shows" 0 tech encounter show "$(field 1 '$3 == "cancelled"')"
contains "with its reason" "asked to postpone" "$OUT"
expect_exit "the TEST patient's allergies" 0 tech allergy banner "$ZZ"
contains "are not assessed" "Allergies not assessed" "$OUT"
MINH=$(first_mrn "nguyen,minh")
expect_exit "Nguyen's chart is restricted" 3 tech encounter list "$MINH"
expect_exit "with a reason it opens" 0 tech encounter list "$MINH" --reason "demo chart test"
contains "he is in hospital now" "inpatient	admitted" "$OUT"

# ---- the rest of the demo ------------------------------------------------------
CHARTS=$(sqlite3 "$DB" "SELECT count(DISTINCT patient_id) FROM encounters")
check "about every 8th patient has a chart ($CHARTS)" test "$CHARTS" -ge 50 -a "$CHARTS" -le 96
check "someone else is in hospital too" \
	test "$(sqlite3 "$DB" "SELECT count(*) FROM encounters WHERE state = 'admitted'")" -ge 2
expect_exit "today's check-ins" 0 desk checkins
check "a few patients are checked in today" test "$(rows "	tech")" -ge 2

# ---- signatures ----------------------------------------------------------------
expect_exit "note verify passes on the demo" 0 super note verify
BEFORE=$(printf '%s\n' "$OUT" | grep -Eo '[0-9]+ signatures verified' | cut -d' ' -f1)
check "the demo has signed notes (${BEFORE:-none})" test "${BEFORE:-0}" -ge 5 -a "${BEFORE:-0}" -le 15
sign() { FOLIO_SIGNATURE_CODE=$2 FOLIO_PASSWORD=demo-doctor-pass "$FOLIO" --db "$DB" --user doctor note sign "$1"; }
expect_exit "another code does not sign" 3 sign "$UNSIGNED" demo-doctor-pass
expect_exit "demo-doctor-sign signs the doctor's unsigned note" 0 sign "$UNSIGNED" demo-doctor-sign
contains "it is completed" "completed" "$OUT"
expect_exit "and the transcription awaiting the doctor" 0 sign "$UNVERIFIED" demo-doctor-sign
expect_exit "note verify still passes" 0 super note verify
contains "with two more signatures" "$((BEFORE + 2)) signatures verified" "$OUT"

# ---- the front desk --------------------------------------------------------------
for cmd in "encounter list" "note list" "vitals list" "allergy list" "problem list" "med list" "result list"; do
	# the command is two words
	# shellcheck disable=SC2086
	expect_exit "the front desk cannot run $cmd (exit 3)" 3 desk $cmd "$JOHN"
done
expect_exit "nor read a note" 3 desk note show "$DS"

# ---- the same charts every time, no chart text in the file ---------------------------
check "the shape counts something" test "$(printf '%s\n' "$SHAPE" | wc -l)" -ge 10
demo_db "$T/again.db"
check "a second demo has the same charts" test "$(shape "$T/again.db")" = "$SHAPE"
for marker in penicillin metformin "Hospital course" "HISTORY AND PHYSICAL" "PSYCHOTHERAPY" "asked to postpone" \
	"Type 2 diabetes" "4548-4"; do
	check "'$marker' is not in the database file" sh -c "! grep -aqF '$marker' '$DB'"
done
