#!/bin/sh
# folio — coding an encounter from the command line (issue 5): principal,
# secondaries with POA, procedures; every change regroups and the stored
# DRG follows; what-if saves nothing; the checks before grouping (header
# codes with their children, POA, external cause as principal); visits get
# no DRG; roles; the codes are sealed in the database.
. "$(dirname "$0")/../lib.sh"

CODESETS="$(cd "$(dirname "$0")/../../.." && pwd)/shared/codesets"
if [ ! -d "$CODESETS/msdrg_v43" ]; then
	echo "SKIP coding: skipped: ../shared/codesets not found"
	exit 0
fi

DB="$T/k.db"
demo_db "$DB" 30
tech() { as tech "$DB" "$@"; }
field() { awk -F'\t' -v k="$1" '$1 == k { print $2; exit }'; }

MRN=$(tech patient find "smi,j" 2>/dev/null | sed -n 2p | cut -f1)
# a stay in FY2026, the year of the shipped code sets
ENC=$(tech encounter admit "$MRN" --attending doctor --at 2026-09-10T09:00 --service medicine 2>"$T/err")
check "an admission to code" test -n "$ENC"

tech coding pdx "$ENC" A41.9 >"$T/out" 2>"$T/err"
check "before the tables are loaded the coding is kept, not grouped" \
	grep -q "not grouped.*codes load" "$T/out"
check "the check says no code set is loaded" grep -q "NO_CODE_SET" "$T/out"

as admin "$DB" codes load "$CODESETS" >/dev/null 2>"$T/load"
check "the code sets load" grep -qi "MS-DRG" "$T/load"

# not yet discharged: a provisional grouping with status 30 (still a patient)
tech coding show "$ENC" >"$T/out" 2>&1
check "a coding saved before the tables came says it can be grouped now" grep -q "^stale	yes" "$T/out"
tech coding group "$ENC" >"$T/out" 2>&1
check "an open admission groups provisionally" grep -q "provisional" "$T/out"
tech encounter discharge "$ENC" --status 01 --at 2026-09-14T11:00 >/dev/null 2>&1
tech coding show "$ENC" >"$T/out" 2>&1
check "after the discharge the stored grouping is marked stale" grep -q "^stale	yes" "$T/out"
tech coding group "$ENC" >"$T/out" 2>&1
lacks "regrouping clears it" "stale	yes" "$(cat "$T/out")"
lacks "and the grouping is no longer provisional" "provisional" "$(cat "$T/out")"
check "sepsis without complications groups to DRG 872" test "$(field drg <"$T/out")" = 872
check "in MDC 18" test "$(field mdc <"$T/out")" = 18
check "medical" test "$(field type <"$T/out")" = MEDICAL

tech coding add "$ENC" --sdx n17.9:Y >"$T/out" 2>&1
check "acute kidney failure is a CC: sepsis stays at 872" test "$(field drg <"$T/out")" = 872
check "the secondary is shown as a CC" grep -q "^sdx	1	N179	Y		CC" "$T/out"
tech coding add "$ENC" --sdx j96.01:Y >"$T/out" 2>&1
check "an MCC secondary moves it to DRG 871" test "$(field drg <"$T/out")" = 871
check "the severity is MCC" test "$(field severity <"$T/out")" = MCC
check "the secondary is shown as the MCC" grep -q "^sdx	2	J9601	Y		MCC" "$T/out"

tech coding add "$ENC" --proc 5A1955Z >"$T/out" 2>&1
check "ventilation over 96 hours moves it to DRG 870" test "$(field drg <"$T/out")" = 870
check "a procedure without a date takes the admission day" \
	grep -q "^proc	1	5A1955Z		2026-09-10" "$T/out"

tech coding whatif "$ENC" --remove 5A1955Z >"$T/out" 2>&1
check "what-if shows the DRG now" test "$(field drg_now <"$T/out")" = 870
check "and the DRG then" test "$(field drg_then <"$T/out")" = 871
tech coding show "$ENC" >"$T/out" 2>&1
check "what-if saved nothing" test "$(field drg <"$T/out")" = 870

# the checks before grouping
tech coding add "$ENC" --sdx I21 >/dev/null 2>&1
expect_exit "a header code is an error the check reports" 1 tech coding check "$ENC"
tech coding check "$ENC" >"$T/out" 2>/dev/null
check "a header code is named, with billable children offered" grep -q "HEADER_CODE.*I21.*I21" "$T/out"
tech coding remove "$ENC" --sdx I21 >/dev/null 2>&1
tech coding add "$ENC" --sdx E11.9:- >/dev/null 2>&1
tech coding check "$ENC" >"$T/out" 2>/dev/null
check "a missing POA is reported" grep -q "POA_MISSING.*E119" "$T/out"
tech coding add "$ENC" --sdx Z79.01:Y >/dev/null 2>&1
tech coding check "$ENC" >"$T/out" 2>/dev/null
check "an exempt code gets 'set it to exempt'" grep -q "POA_EXEMPT.*Z7901" "$T/out"
tech coding poa "$ENC" E119 Y >/dev/null 2>&1
tech coding poa "$ENC" Z7901 E >/dev/null 2>&1
expect_exit "with POA fixed the check passes" 0 tech coding check "$ENC"

# reordering and promotion
tech coding move "$ENC" --sdx 4 --up >/dev/null 2>&1
tech coding show "$ENC" >"$T/out" 2>&1
check "moving up reorders the secondaries" grep -q "^sdx	3	Z7901" "$T/out"
expect_exit "moving the first up is refused" 2 tech coding move "$ENC" --sdx 1 --up
tech coding promote "$ENC" N17.9 >"$T/out" 2>&1
check "promote makes a secondary the principal" grep -q "^pdx	0	N179" "$T/out"
check "and the old principal the first secondary" grep -q "^sdx	1	A419	Y" "$T/out"
tech coding promote "$ENC" A41.9 >/dev/null 2>&1

# external cause as principal: MCE error, and the grouper refuses it
tech coding set "$ENC" --pdx V00.01XA --sdx S72001A:Y >"$T/out" 2>&1
check "an external-cause principal groups to 999" test "$(field drg <"$T/out")" = 999
check "with the grouper's return code" test "$(field return_code <"$T/out")" = DX_CANNOT_BE_PDX
check "the MCE says why and how to fix it" grep -q "E_CODE_AS_PDX.*code the injury first" "$T/out"
tech coding set "$ENC" --pdx A419 --sdx J9601:Y --proc 5A1955Z >/dev/null 2>&1

# bad input changes nothing
expect_exit "a malformed code is refused" 2 tech coding add "$ENC" --sdx "I2!.0"
expect_exit "a bad POA is refused" 2 tech coding add "$ENC" --sdx E119:Q
expect_exit "a PCS code must have 7 characters" 2 tech coding add "$ENC" --proc 5A19
expect_exit "an unknown encounter" 4 tech coding show 999999
expect_exit "removing what is not coded" 4 tech coding remove "$ENC" --sdx E669
tech coding show "$ENC" >"$T/out" 2>&1
check "after refusals the coding is as it was" test "$(field drg <"$T/out")" = 870

# a visit gets diagnoses but no DRG; today is past the shipped code sets'
# year, so the checks say which year's set was used
VIS=$(tech encounter visit "$MRN" --clinic "Family medicine" 2>/dev/null)
tech coding pdx "$VIS" J06.9 >"$T/out" 2>&1
check "a visit is not grouped" grep -q "inpatient admissions only" "$T/out"
if [ "$(date +%Y%m%d)" -ge 20261001 ]; then
	check "a later year's visit is checked against the latest set, with a warning" \
		grep -q "CODE_SET_YEAR.*checked against FY2026" "$T/out"
	check "J06.9 is still found valid there" sh -c "! grep -q 'INVALID_CODE' '$T/out'"
fi

# roles
expect_exit "the front desk cannot read the coding" 3 as desk "$DB" coding show "$ENC"
expect_exit "a physician reads it" 0 as doctor "$DB" coding show "$ENC"
expect_exit "a physician does not code" 3 as doctor "$DB" coding pdx "$ENC" A419
as admin "$DB" audit show --action coding.assign >"$T/audit" 2>&1
check "coding changes are audited" grep -q "coding.assign" "$T/audit"

# sealed at rest
check "no code is stored in the clear" sh -c "! sqlite3 '$DB' 'SELECT hex(body) FROM encounter_coding' | grep -qi '$(printf A419 | od -An -tx1 | tr -d ' \n')'"
check "only the status is plain" test "$(sqlite3 "$DB" "SELECT status FROM encounter_coding WHERE encounter_id = $ENC")" = grouped
