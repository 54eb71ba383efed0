#!/bin/sh
# folio — `export deid` (issue 7, done-when 5): the de-identified research
# extract holds none of the demo patients' names, MRNs, phones, street
# addresses, full dates of birth, SSNs or restricted ZIP3s; ages over 89 read
# 90+; the manifest's counts match the files; it is audited; the front desk
# is denied; a non-empty directory is refused and left as it was; problems,
# medications, allergies and charted procedures carry codes, years and
# statuses, never their texts.
. "$(dirname "$0")/../lib.sh"

DB="$T/deid.db"
CODESETS="$(cd "$(dirname "$0")/../../.." && pwd)/shared/codesets"
if [ -d "$CODESETS/msdrg_v43" ]; then
	"$FOLIO" --db "$DB" demo --patients 40 --codesets "$CODESETS" >/dev/null 2>&1 || { echo "FAIL demo database"; exit 1; }
else
	demo_db "$DB" 40
fi

# A patient born in 1920 living in a restricted three-digit ZIP area (036).
expect_exit "add a patient born 1920" 0 as desk "$DB" patient add --last Oldfield --first Winifred \
	--dob 4/2/1920 --sex F --address "12 Elm St, Apt 3" --city Lebanon --state NH --zip 03601 \
	--phone 603-555-0199 --ssn 123-45-6789
OLD_MRN=$(printf %s "$OUT" | tail -n 1)

OUTDIR="$T/extract"
expect_exit "technician exports" 0 as tech "$DB" export deid --out "$OUTDIR"
FILES="patients encounters diagnoses procedures drgs vitals results problems medications allergies charted_procedures"
for f in $FILES; do
	check "$f.csv written" test -f "$OUTDIR/$f.csv"
done
check "manifest written" test -f "$OUTDIR/manifest.txt"
check "files are 0600" test -z "$(find "$OUTDIR" -type f ! -perm 600)"
check "no temporary directory left" test -z "$(ls -d "$OUTDIR".tmp-* 2>/dev/null)"
contains "manifest names the user" "made by: tech" "$(cat "$OUTDIR/manifest.txt")"
contains "manifest names the version" "folio version:" "$(cat "$OUTDIR/manifest.txt")"

# Every patient's identifiers, read back through the CLI.
EXTRACT="$T/extract.txt"
cat "$OUTDIR"/* >"$EXTRACT"
MRNS=$(sqlite3 "$DB" "SELECT mrn FROM patients ORDER BY id")
n=0 hits=""
hit() { [ -n "$2" ] && grep -qF -- "$2" "$EXTRACT" && hits="$hits $1($3)"; }
for mrn in $MRNS; do
	# --reason opens the restricted charts too: the extract includes them.
	as tech "$DB" patient show "$mrn" --reason "de-identification test" >"$T/show" 2>/dev/null ||
		{ fail "read patient $mrn"; continue; }
	n=$((n + 1))
	val() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$T/show"; }
	hit mrn "$mrn" "$mrn"
	for k in last first address phone mobile email ssn city; do hit "$k" "$(val $k)" "$mrn"; done
	for k in phone mobile ssn; do
		d=$(val $k | tr -cd 0-9)
		[ ${#d} -ge 7 ] && hit "$k-digits" "$d" "$mrn"
	done
	dob=$(val dob)
	if [ -n "$dob" ]; then
		y=${dob%%-*} md=${dob#*-} m=${md%-*} d=${md#*-}
		hit dob "$dob" "$mrn"
		hit dob-us "$m/$d/$y" "$mrn"
		hit dob-us-short "$(expr "$m" + 0)/$(expr "$d" + 0)/$y" "$mrn"
		hit dob-compact "$y$m$d" "$mrn"
	fi
done
check "read every patient ($n)" test "$n" -ge 41
check "no identifier in the extract:$hits" test -z "$hits"

# The restricted ZIP3 areas never appear as a zip3 value.
Z=$(tr -d '\r' <"$OUTDIR/patients.csv" | awk -F, 'NR > 1 { print $6 }')
bad=""
for z in 036 059 063 102 203 556 692 790 821 823 830 831 878 879 884 890 893; do
	printf '%s\n' "$Z" | grep -qx "$z" && bad="$bad $z"
done
check "no restricted ZIP3 ($bad)" test -z "$bad"
check "the restricted area reads 000" sh -c "printf '%s\n' '$Z' | grep -qx 000"
check "ZIP3s are three digits or empty" test -z "$(printf '%s\n' "$Z" | grep -vxE '[0-9]{3}|')"

# Ages over 89 are 90+ with no birth year; nobody older shows a number.
check "the 1920 patient reads 90+ with no birth year" grep -qE '^[0-9a-f]{32},F,,90\+,NH,000' "$OUTDIR/patients.csv"
check "no age over 89 written as a number" test -z "$(awk -F, 'NR > 1 && $4 ~ /^[0-9]+$/ && $4 > 89' "$OUTDIR/patients.csv")"
check "no encounter age over 89" test -z "$(awk -F, 'NR > 1 && $7 ~ /^[0-9]+$/ && $7 > 89' "$OUTDIR/encounters.csv")"
check "no birth year of a 90+ patient" test -z "$(awk -F, 'NR > 1 && $4 == "90+" && $3 != ""' "$OUTDIR/patients.csv")"
check "no full date anywhere" test -z "$(grep -E '[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}' "$EXTRACT" | grep -v '^made at:')"
check "pseudonyms are 32 hex digits" test -z "$(cut -d, -f1 "$OUTDIR/patients.csv" | sed 1d | grep -vxE '[0-9a-f]{32}')"
check "one row per patient" test "$(awk 'NR > 1' "$OUTDIR/patients.csv" | wc -l)" -eq "$n"

# The manifest's counts match the files (data rows; the files end in CRLF).
for f in $FILES; do
	want=$(awk -v k="$f.csv" '$1 == k { print $2 }' "$OUTDIR/manifest.txt")
	got=$(($(wc -l <"$OUTDIR/$f.csv") - 1))
	check "manifest count of $f ($want = $got)" test "$want" = "$got"
done
check "some encounters, vitals and results" test "$(($(wc -l <"$OUTDIR/encounters.csv") * $(wc -l <"$OUTDIR/vitals.csv") * $(wc -l <"$OUTDIR/results.csv")))" -gt 8

# Problems, medications, allergies and charted procedures: codes, years and
# statuses; their names, drugs, allergens, reactions and texts stay out.
check "some problems, medications and allergies" test "$(($(wc -l <"$OUTDIR/problems.csv") * $(wc -l <"$OUTDIR/medications.csv") * $(wc -l <"$OUTDIR/allergies.csv")))" -gt 8
MRN1=$(printf '%s\n' "$MRNS" | head -n 1)
expect_exit "a charted procedure with a SNOMED code" 0 as tech "$DB" procedure add "$MRN1" --text "Appendectomy by Dr Secretname" \
	--code 80146002 --date 2020-03-04T10:00 --reason "pain in the Secretname ward"
expect_exit "and one coded by hand in another system" 0 as tech "$DB" procedure add "$MRN1" --text "Knee scope" \
	--code 12345 --system MyClinicCodes --date 2021-05-06T11:00
expect_exit "export again" 0 as tech "$DB" export deid --out "$T/extract2"
# the problem texts, drug names, allergens and reactions (whole, and their
# first words of five letters or more)
TEXTS=$(for k in problem med allergy; do as tech "$DB" $k list "$MRN1" --reason "de-identification test" |
	awk -F'\t' -v k=$k 'NR > 1 && $1 ~ /^[0-9]+$/ { print $7; if (k == "allergy") print $10 }'; done 2>/dev/null)
check "the chart has texts to look for" test -n "$TEXTS"
leaked=""
while IFS= read -r t; do
	[ -n "$t" ] || continue
	w=${t%% *}
	grep -qiF -- "$t" "$T/extract2"/*.csv && leaked="$leaked [$t]"
	[ ${#w} -ge 5 ] && grep -qiF -- "$w" "$T/extract2"/*.csv && leaked="$leaked [$w]"
done <<EOF2
$TEXTS
EOF2
check "no problem, drug, allergen or reaction text in the extract:$leaked" test -z "$leaked"
check "no procedure text, reason or hand-typed system" test -z "$(grep -l -e Secretname -e MyClinicCodes "$T/extract2"/*.csv)"
check "the SNOMED procedure is there with its year" grep -q ',80146002,2020,' "$T/extract2/charted_procedures.csv"
check "the hand-coded one is there without its code" test -z "$(grep -F ',12345,' "$T/extract2/charted_procedures.csv")"
check "...but as a row of 2021" grep -q ',,2021,' "$T/extract2/charted_procedures.csv"

# Audited.
expect_exit "audit shows the export" 0 as super "$DB" audit show --action export.run
contains "audit row names the export" "export.run" "$OUT"
contains "audit row names deid" "deid" "$OUT"

# The front desk is denied and writes nothing.
expect_exit "front desk denied" 3 as desk "$DB" export deid --out "$T/desk"
check "no extract for the front desk" test ! -e "$T/desk"

# A non-empty directory is refused and untouched; an empty one is taken.
mkdir "$T/busy" && echo keep >"$T/busy/mine.txt"
expect_exit "non-empty directory refused" 2 as tech "$DB" export deid --out "$T/busy"
contains "refusal says why" "not empty" "$OUT"
check "non-empty directory untouched" test "$(ls "$T/busy")" = "mine.txt"
check "its file unchanged" test "$(cat "$T/busy/mine.txt")" = keep
mkdir "$T/empty"
expect_exit "empty directory taken" 0 as tech "$DB" export deid --out "$T/empty"
check "empty directory filled" test -f "$T/empty/manifest.txt"
expect_exit "missing --out refused" 2 as tech "$DB" export deid
expect_exit "export fhir without an MRN" 2 as tech "$DB" export fhir
contains "export fhir shows its usage" "export fhir MRN" "$OUT"

# The pseudonym is keyed and stable: the same patient, the same pseudonym.
check "pseudonyms stable across exports" cmp -s "$OUTDIR/patients.csv" "$T/empty/patients.csv"
check "the MRN of the 1920 patient is not in the extract" test -z "$(grep -F "$OLD_MRN" "$EXTRACT")"
