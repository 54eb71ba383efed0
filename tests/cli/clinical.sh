#!/bin/sh
# folio — the clinical data of the chart from the command line (issue 4):
# vitals in either unit system, allergies and NKA with the banner, problems,
# medications, results; the status changes and their stale-version refusal;
# the front desk denied every read and write (audited); restricted charts;
# and none of the values in plain text in the database file.
. "$(dirname "$0")/../lib.sh"

DB="$T/c.db"
demo_db "$DB" 0
# tech, doc, desk, super ARGS...: folio as that demo user on this database
for who in tech:tech doc:doctor desk:desk super:super; do
	eval "${who%%:*}() { as ${who#*:} \"\$DB\" \"\$@\"; }"
done
# id_of CMD...: runs CMD, prints its stdout's last line (a new id).
id_of() { "$@" 2>/dev/null | tail -1; }

M=$(tech patient add --last Vitalis --first Vera --dob 1970-02-03 --sex F 2>/dev/null | tail -1)
OTHER=$(tech patient add --last Otherly --first Omar --dob 1965-06-07 --sex M 2>/dev/null | tail -1)
check "patients registered" test -n "$M" -a -n "$OTHER"

# ---- vitals ---------------------------------------------------------------
expect_exit "vitals in US units" 0 tech vitals add "$M" --weight 154lb --height 69in --bp 128/82 --pulse 72 \
	--temp 98.6F --resp 16 --spo2 97 --pain 3 --at 2026-01-05T09:30
V1=$(printf '%s\n' "$OUT" | tail -1)
check "vitals add prints the new id" sh -c "echo '$V1' | grep -Eq '^[0-9]+$'"
expect_exit "vitals in metric units" 0 tech vitals add "$M" --weight 70.5kg --height 1.75m --bp 118/76 --temp 37.2C
expect_exit "an unusual pulse is saved with a warning" 0 tech vitals add "$M" --pulse 150 --spo2 88
contains "the pulse warning" "warning: Pulse over 130/min" "$OUT"
contains "the SpO2 warning" "warning: SpO2 under 92%" "$OUT"
check "warnings go to stderr, the id to stdout" sh -c \
	"FOLIO_PASSWORD=demo-tech-pass '$FOLIO' --db '$DB' --user tech vitals add '$M' --pulse 35 2>/dev/null | grep -Eqx '[0-9]+'"
expect_exit "a BP of 500/20 is refused" 2 tech vitals add "$M" --bp 500/20
contains "it says the rule" "systolic pressure must be 40 to 300" "$OUT"
expect_exit "systolic not above diastolic is refused" 2 tech vitals add "$M" --bp 80/90
expect_exit "a weight of 0 is refused" 2 tech vitals add "$M" --weight 0
expect_exit "a negative pulse is refused" 2 tech vitals add "$M" --pulse -5
expect_exit "98.6 without F is refused with a hint" 2 tech vitals add "$M" --temp 98.6
contains "the hint names Fahrenheit" "Fahrenheit" "$OUT"
expect_exit "pain over 10 is refused" 2 tech vitals add "$M" --pain 11
expect_exit "a time in the future is refused" 2 tech vitals add "$M" --pulse 70 --at 2099-01-01T00:00
expect_exit "an empty set is refused" 2 tech vitals add "$M"
expect_exit "an unknown option is refused" 2 tech vitals add "$M" --colour blue
expect_exit "an option without its value" 2 tech vitals add "$M" --pulse
expect_exit "a bad MRN is refused" 2 tech vitals add 12345678 --pulse 70
expect_exit "an unknown MRN" 4 tech vitals add 99999997 --pulse 70
expect_exit "vitals list" 0 doc vitals list "$M"
contains "the header has both unit systems and BMI" \
	"id	status	version	recorded_at	recorded_by	encounter	taken	weight_kg	weight_lb	height_cm	height_in	bmi	bp	pulse	temp_c	temp_f" "$OUT"
contains "154 lb kept as 69.9 kg, 69 in as 175.3 cm, BMI 22.7, 98.6 F as 37.0 C" \
	"2026-01-05T09:30	69.9	154.1	175.3	69.0	22.7	128/82	72	37.0	98.6	16	97	3" "$OUT"
contains "metric entry shown in pounds too" "70.5	155.4	175.0	68.9	23.0	118/76" "$OUT"
check "newest first: the January set is last" sh -c "printf '%s\n' \"\$1\" | tail -1 | grep -q 2026-01-05T09:30" _ "$OUT"
expect_exit "vitals list --last 2" 0 doc vitals list "$M" --last 2
check "--last 2 gives a header and two sets" test "$(printf '%s\n' "$OUT" | wc -l)" -eq 3
expect_exit "vitals fields lists the options" 0 doc vitals fields
contains "the weight option" "weight	weight_kg	Weight	kg" "$OUT"

# vitals tied to an encounter of the patient, not another's
ENC=$(id_of desk checkin "$M" --clinic "Family Medicine")
ENC2=$(id_of desk checkin "$OTHER" --clinic "Family Medicine")
expect_exit "vitals on the patient's encounter" 0 tech vitals add "$M" --pulse 66 --encounter "$ENC"
expect_exit "the encounter shows in the list" 0 doc vitals list "$M"
contains "encounter column" "	$ENC	" "$OUT"
expect_exit "another patient's encounter is refused" 2 tech vitals add "$M" --pulse 66 --encounter "$ENC2"

# ---- allergies ------------------------------------------------------------
expect_exit "banner before anything: not assessed" 0 doc allergy banner "$M"
contains "not assessed" "Allergies not assessed" "$OUT"
expect_exit "no known allergies" 0 doc allergy nka "$M"
NKA=$(printf '%s\n' "$OUT" | tail -1)
expect_exit "banner: NKA with who and when" 0 tech allergy banner "$M"
contains "NKA by doctor today" "No known allergies (NKA, by doctor $(date -u +%Y-%m-%d))" "$OUT"
expect_exit "an allergy" 0 doc allergy add "$M" --allergen Penicillin --type drug --reaction "hives and wheezing" \
	--severity severe
PEN=$(printf '%s\n' "$OUT" | tail -1)
expect_exit "another, type by prefix" 0 doc allergy add "$M" --allergen Latex --type env
LAT=$(printf '%s\n' "$OUT" | tail -1)
expect_exit "an allergy without an allergen is refused" 2 doc allergy add "$M" --type drug
expect_exit "an unknown severity is refused" 2 doc allergy add "$M" --allergen Peanut --severity awful
expect_exit "banner lists the active ones" 0 tech allergy banner "$M"
contains "banner text" "ALLERGIES: " "$OUT"
contains "penicillin in the banner" "PENICILLIN (severe)" "$OUT"
contains "latex in the banner" "LATEX" "$OUT"
expect_exit "allergy list" 0 tech allergy list "$M"
contains "the allergy row" "$PEN	active	1" "$OUT"
contains "its fields" "Penicillin	drug	severe	hives and wheezing" "$OUT"
contains "latex type" "Latex	environmental" "$OUT"
contains "the NKA assertion was superseded by the allergy" "$NKA	superseded	2" "$OUT"
expect_exit "NKA is refused while allergies are active" 2 doc allergy nka "$M"
expect_exit "an allergy entered in error" 0 doc allergy error "$PEN"
expect_exit "an allergy inactivated" 0 doc allergy inactivate "$LAT" --expect-version 1
expect_exit "the banner again" 0 tech allergy banner "$M"
contains "nothing active, no standing NKA" "Allergies not assessed" "$OUT"

# ---- problems -------------------------------------------------------------
expect_exit "a problem with an ICD-10-CM code" 0 doc problem add "$M" --text "Type 2 diabetes mellitus" --icd e119 \
	--onset 2019-05-01
PROB=$(printf '%s\n' "$OUT" | tail -1)
expect_exit "a problem without a code" 0 doc problem add "$M" --text "Low back pain" --onset T-1W
expect_exit "an ICD code of the wrong shape is refused" 2 doc problem add "$M" --text "x" --icd E1.19
expect_exit "a problem needs its text" 2 doc problem add "$M" --icd I10
expect_exit "an onset in the future is refused" 2 doc problem add "$M" --text "x" --onset 2099-01-01
expect_exit "problem list" 0 tech problem list "$M"
contains "the code is kept dotted, upper case" "Type 2 diabetes mellitus	E11.9	2019-05-01" "$OUT"
expect_exit "resolve on version 1" 0 doc problem resolve "$PROB" --expect-version 1
contains "resolved, version 2" "$PROB	resolved	2" "$OUT"
expect_exit "a save based on the stale version 1 is refused" 1 tech problem inactivate "$PROB" --expect-version 1
contains "the stale message" "changed by someone else since you read it" "$OUT"
contains "nothing saved" "nothing was saved" "$OUT"
expect_exit "after the refusal" 0 tech problem list "$M"
contains "still resolved, version 2, with its date" "$PROB	resolved	2" "$OUT"
contains "the resolved date is today" "E11.9	2019-05-01	$(date -u +%Y-%m-%d)" "$OUT"
expect_exit "resolving a resolved problem is refused" 2 doc problem resolve "$PROB"
expect_exit "an unknown item" 4 doc problem resolve 99999
expect_exit "a bad item number" 2 doc problem resolve abc
expect_exit "a bad --expect-version" 2 doc problem resolve "$PROB" --expect-version x

# ---- medications ----------------------------------------------------------
expect_exit "a prescription" 0 doc med add "$M" --drug "metformin 500 mg tablet" --dose "1 tablet" --route PO \
	--frequency BID --start T --prescriber doctor
MED=$(printf '%s\n' "$OUT" | tail -1)
expect_exit "a prescriber who is not a user is refused" 2 doc med add "$M" --drug "x" --prescriber nobody
expect_exit "a stop before the start is refused" 2 doc med add "$M" --drug "x" --start 2026-03-10 --stop 2026-03-01
expect_exit "a medication without its drug is refused" 2 doc med add "$M" --dose 5mg
expect_exit "med list" 0 tech med list "$M"
contains "the prescription row" "metformin 500 mg tablet	1 tablet	PO	BID	$(date -u +%Y-%m-%d)		doctor" "$OUT"
expect_exit "a problem id is not a medication" 2 doc med stop "$PROB"
expect_exit "stop the medication" 0 doc med stop "$MED" --expect-version 1
contains "stopped" "$MED	stopped	2" "$OUT"
expect_exit "stopping it again on the old version is stale" 1 doc med stop "$MED" --expect-version 1

# ---- results --------------------------------------------------------------
expect_exit "a result with its LOINC code" 0 tech result add "$M" --test "Hemoglobin A1c" --loinc 4548-4 --value 7.9 \
	--units % --range 4.0-5.6 --collected 2026-01-05T08:00 --reported 2026-01-05T14:00
RES=$(printf '%s\n' "$OUT" | tail -1)
expect_exit "a LOINC code with a wrong check digit is refused" 2 tech result add "$M" --test A1c --loinc 4548-5 \
	--value 7.9
expect_exit "a result needs a value" 2 tech result add "$M" --test A1c
expect_exit "a bad range is refused" 2 tech result add "$M" --test A1c --value 5 --range 6-4
expect_exit "a bad flag is refused" 2 tech result add "$M" --test A1c --value 5 --flag Q
expect_exit "reported before collected is refused" 2 tech result add "$M" --test A1c --value 5 \
	--collected 2026-01-05T08:00 --reported 2026-01-04T08:00
expect_exit "a critical result is warned" 0 tech result add "$M" --test Potassium --value 6.9 --flag HH
contains "critical warning" "warning: A critical result (HH)" "$OUT"
expect_exit "result list" 0 doc result list "$M"
contains "the flag computed from the range" "Hemoglobin A1c	4548-4	7.9	%	4.0-5.6	H	2026-01-05T08:00	2026-01-05T14:00" "$OUT"
expect_exit "review the result" 0 doc result review "$RES"
contains "reviewed" "$RES	reviewed	2" "$OUT"
expect_exit "result list after review" 0 doc result list "$M"
contains "reviewed by the doctor" "2026-01-05T14:00	doctor	$(date -u +%Y-%m-%d)T" "$OUT"
expect_exit "a second review is refused" 2 doc result review "$RES"

# ---- the front desk: denied every read and write ----------------------------
for kind in vitals allergy problem med result; do
	expect_exit "front desk: $kind list denied" 3 desk "$kind" list "$M"
done
expect_exit "front desk: vitals add denied" 3 desk vitals add "$M" --pulse 70
expect_exit "front desk: allergy add denied" 3 desk allergy add "$M" --allergen Peanut
expect_exit "front desk: allergy nka denied" 3 desk allergy nka "$M"
expect_exit "front desk: allergy banner denied" 3 desk allergy banner "$M"
expect_exit "front desk: problem add denied" 3 desk problem add "$M" --text Cough
expect_exit "front desk: med add denied" 3 desk med add "$M" --drug aspirin
expect_exit "front desk: result add denied" 3 desk result add "$M" --test A1c --value 5
expect_exit "front desk: problem resolve denied" 3 desk problem resolve "$PROB"
expect_exit "front desk: med stop denied" 3 desk med stop "$MED"
expect_exit "front desk: result review denied" 3 desk result review "$RES"
expect_exit "the supervisor reads the audit" 0 super audit show --user desk
contains "the denied read is audited" "chart.view	denied	$M" "$OUT"
contains "the denied write is audited" "clinical.enter	denied	$M" "$OUT"
contains "the denied change names the item" "clinical.enter	denied	$M	item	$RES" "$OUT"
expect_exit "the supervisor reads the chart but may not enter" 3 super vitals add "$M" --pulse 70
expect_exit "the supervisor reads vitals" 0 super vitals list "$M"
expect_exit "the admin may not read vitals" 3 as admin "$DB" vitals list "$M"
expect_exit "audited writes show the item" 0 super audit show --patient "$M" --action clinical.enter
contains "review is audited on its item" "doctor	physician	batch	clinical.enter	ok	$M	item	$RES" "$OUT"

# ---- restricted charts --------------------------------------------------------
expect_exit "restrict the chart" 0 tech patient restrict "$M"
expect_exit "a restricted chart's vitals need a reason" 3 doc vitals list "$M"
contains "the refusal says to give a reason" "--reason" "$OUT"
expect_exit "with a reason they list" 0 doc vitals list "$M" --reason "seeing the patient in clinic"
expect_exit "a change by item id needs the reason too" 3 doc problem inactivate "$PROB"
expect_exit "and works with it" 0 tech allergy error "$NKA" --reason "correcting the allergy list"
# a procedure has a reason of its own: --reason is its indication, and the
# chart's restriction is opened with --access-reason
expect_exit "a procedure on a restricted chart without an access reason" 3 tech procedure add "$M" \
	--text "Lumbar puncture" --reason "suspected meningitis"
contains "the refusal names --access-reason" "--access-reason" "$OUT"
expect_exit "with --access-reason it is saved" 0 tech procedure add "$M" --text "Lumbar puncture" \
	--reason "suspected meningitis" --access-reason "charting the procedure"
expect_exit "procedures listed" 0 tech procedure list "$M" --access-reason "checking it"
contains "the procedure's own reason is kept" "suspected meningitis" "$OUT"
expect_exit "lift the restriction" 0 tech patient unrestrict "$M" --reason "restricted in error"

# ---- usage -----------------------------------------------------------------
expect_exit "a section alone prints its usage" 2 doc problem
contains "usage lists the options" "--text V" "$OUT"
contains "usage lists the changes" "resolve ID" "$OUT"
expect_exit "an unknown change" 2 doc med resolve "$MED"
expect_exit "nka is for allergies only" 2 doc problem nka "$M"

# ---- nothing in plain text in the file ------------------------------------------
for secret in Penicillin PENICILLIN Latex "hives and wheezing" "Type 2 diabetes" E11.9 "Low back pain" metformin \
	"1 tablet" "Hemoglobin A1c" 4548-4 4.0-5.6 Potassium 128/82 118/76 69.9 "Vitalis" "No known"; do
	if grep -qaF -- "$secret" "$DB"; then fail "in plain text in the database file: $secret"; else pass "no '$secret' in the file"; fi
done
check "the plain columns are there (the grep can fail)" grep -qaF -- "entered-in-error" "$DB"
