#!/bin/sh
# folio — merging duplicate charts (issue 8): two charts of one woman, each
# with encounters, notes, vitals, allergies, a disclosure, deficiencies, a
# release request, paper volumes and a chart request, are found, verified
# and previewed (counts per table equal to counts taken apart with sqlite3);
# an open admission on both is a conflict that refuses the merge; only a
# supervisor approves; after the merge no row of any table referencing
# patients names the loser, and the losing MRN opens the surviving chart;
# the undo puts every row back exactly; both are audited, with no name in
# any message.
. "$(dirname "$0")/../lib.sh"

DB="$T/t.db"
demo_db "$DB" 30
tech() { as tech "$DB" "$@"; }
super() { as super "$DB" "$@"; }
doc() { as doctor "$DB" "$@"; }
add() { tech patient add "$@" --force 2>/dev/null | tail -1; }
pair_of() { tech dup list 2>/dev/null | awk -F'\t' -v a="$1" -v b="$2" '($2 == a && $3 == b) || ($2 == b && $3 == a) { print $1 }'; }
id_of() { sqlite3 "$DB" "SELECT id FROM patients WHERE mrn = '$1'"; }
# every (table, column) referencing patients, from the live schema
REFS=$(sqlite3 -separator ' ' "$DB" "SELECT m.name, k.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) k
	WHERE m.type = 'table' AND k.\"table\" = 'patients' ORDER BY 1, 2")
check "the schema has referencing tables (sanity)" test "$(printf '%s\n' "$REFS" | wc -l)" -ge 18
# dump: every referencing row as (table, row key, column, value)
dump() {
	printf '%s\n' "$REFS" | while read -r t c; do
		key=rowid
		[ "$t" = patient_index ] || [ "$t" = patient_cards ] && key=key
		[ "$t" = merges ] && continue
		sqlite3 -separator ' ' "$DB" "SELECT '$t', $key, '$c', coalesce($c, '') FROM $t ORDER BY 2, 4"
	done
}
# refs_to ID: rows of every referencing table naming patient ID (the merged
# pair itself and the merge records excepted: they name both on purpose)
refs_to() {
	printf '%s\n' "$REFS" | while read -r t c; do
		case "$t" in
		merges) continue ;;
		dup_pairs) n=$(sqlite3 "$DB" "SELECT count(*) FROM dup_pairs WHERE $c = $1 AND merged IS NULL") ;;
		*) n=$(sqlite3 "$DB" "SELECT count(*) FROM $t WHERE $c = $1") ;;
		esac
		[ "$n" -eq 0 ] || echo "$t.$c $n"
	done
}

A=$(add --last Marchbanks --first Philippa --dob 1949-05-09 --sex F --phone 555-310-4455 \
	--address "77 Larch Road" --city Springfield --zip 62704)
B=$(add --last Marchbank --first Philippa --dob 1949-09-05 --sex F --phone 555-310-4455 \
	--address "77 Larch Rd" --city Springfield --zip 62704)
check "two charts of one person" test -n "$A" -a -n "$B"

# ---- each chart gets a history ------------------------------------------------
for M in "$A" "$B"; do
	ENC=$(tech encounter admit "$M" --attending doctor --service medicine --at "T-12@09:00" 2>/dev/null)
	check "admitted ($M)" test -n "$ENC"
	eval "ENC_$M=$ENC"
	NOTE=$(printf 'History and physical\nmarker-merge-note\n' | doc note new "$M" --type hp --author doctor --encounter "$ENC" 2>/dev/null)
	check "a note ($M)" test -n "$NOTE"
	expect_exit "vitals ($M)" 0 tech vitals add "$M" --pulse 70 --encounter "$ENC"
	expect_exit "an allergy ($M)" 0 doc allergy add "$M" --allergen Penicillin --type drug
	expect_exit "a disclosure ($M)" 0 tech disclosure add "$M" --to "County Court" --what "records" --purpose "case" --kind subpoena
	expect_exit "a release request ($M)" 0 tech roi new "$M" --requester "Pat Lawyer" --purpose "claim" --authority patient
	expect_exit "a paper volume ($M)" 0 tech chart volumes "$M" --add
	expect_exit "a chart request ($M)" 0 tech chart request "$M"
	expect_exit "completeness check ($M)" 0 tech check "$M"
done
expect_exit "A has a second volume" 0 tech chart volumes "$A" --add
AID=$(id_of "$A")
BID=$(id_of "$B")
for t in encounters documents clinical_items deficiencies disclosures roi_requests chart_volumes chart_requests chart_moves; do
	check "B has $t rows" test "$(sqlite3 "$DB" "SELECT count(*) FROM $t WHERE patient_id = $BID")" -gt 0
done

# ---- found, verified, previewed ------------------------------------------------
expect_exit "scan" 0 tech dup scan
P=$(pair_of "$A" "$B")
check "the pair is found" test -n "$P"
expect_exit "a potential pair is not merged" 2 tech merge preview "$P"
contains "it says why" "only a verified duplicate" "$OUT"
expect_exit "the technician verifies it" 0 tech dup verify "$P"
expect_exit "preview with B as the loser" 0 tech merge preview "$P" --survivor "$A"
PREVIEW=$OUT
contains "preview header" "table	column	rows" "$PREVIEW"
contains "preview names both MRNs" "$B would merge into $A" "$OUT"
for t in encounters documents drafts clinical_items deficiencies queries chart_volumes chart_requests chart_moves \
	disclosures accountings roi_requests external_ids patient_index patient_cards; do
	want=$(sqlite3 "$DB" "SELECT count(*) FROM $t WHERE patient_id = $BID")
	contains "preview counts $t ($want)" "$t	patient_id	$want" "$PREVIEW"
done
contains "both open admissions are a conflict" "conflict		both charts have an open inpatient admission" "$PREVIEW"
expect_exit "a merge with a conflict is refused" 2 super merge approve "$P" --survivor "$A"
contains "refusal says why" "open inpatient admission" "$OUT"
check "nothing merged" test "$(sqlite3 "$DB" "SELECT count(*) FROM merges")" -eq 0
eval "ENC_B=\$ENC_$B"
expect_exit "B's admission is discharged" 0 tech encounter discharge "$ENC_B" --status 01 --at "T-2@10:00"
expect_exit "preview again" 0 tech merge preview "$P" --survivor "$A"
lacks "no conflict now" "conflict" "$OUT"
expect_exit "preview of a missing pair" 4 tech merge preview 99999
expect_exit "a survivor outside the pair" 2 tech merge preview "$P" --survivor 10000010
expect_exit "a bad pair number" 2 tech merge preview abc
BEFORE="$T/before.txt"
dump >"$BEFORE"

# ---- approve ------------------------------------------------------------------
expect_exit "a technician may not approve" 3 tech merge approve "$P" --survivor "$A"
expect_exit "a physician may not approve" 3 doc merge approve "$P" --survivor "$A"
expect_exit "the supervisor approves" 0 super merge approve "$P" --survivor "$A"
contains "it says what merged" "$B merged into $A" "$OUT"
MID=$(sqlite3 "$DB" "SELECT max(id) FROM merges")
check "a merge row" test -n "$MID"
LEFT=$(refs_to "$BID")
check "no row of any referencing table names the loser (${LEFT:-none})" test -z "$LEFT"
check "the loser is marked merged into the survivor" \
	test "$(sqlite3 "$DB" "SELECT merged_into FROM patients WHERE id = $BID")" = "$AID"
check "the pair is marked merged" test "$(sqlite3 "$DB" "SELECT merged FROM dup_pairs WHERE id = $P")" = "$MID"
check "volume numbers stay unique" test "$(sqlite3 "$DB" "SELECT count(*) FROM chart_volumes WHERE patient_id = $AID")" -eq 3
expect_exit "database integrity" 0 super db check
expect_exit "the pair cannot merge twice" 2 super merge approve "$P"
expect_exit "the losing MRN is found" 0 tech patient find "$B"
contains "it finds the surviving chart" "$A	Marchbanks" "$OUT"
lacks "and not the merged one" "$B" "$OUT"
expect_exit "the losing MRN opens the surviving chart" 0 doc chart "$B"
N_ENC=$(printf '%s\n' "$OUT" | grep -c "inpatient")
check "with both charts' admissions ($N_ENC)" test "$N_ENC" -eq 2
expect_exit "a name lookup no longer lists the merged chart" 0 tech patient find "Marchbank,Philippa"
lacks "merged chart gone from lookups" "$B" "$OUT"
expect_exit "merge list" 0 tech merge list
contains "the merge is listed" "$MID	$P	$A	$B	super" "$OUT"

# ---- undo ---------------------------------------------------------------------
expect_exit "a technician may not undo" 3 tech merge undo "$MID"
expect_exit "the supervisor undoes it" 0 super merge undo "$MID"
AFTER="$T/after.txt"
dump >"$AFTER"
check "every referencing row is back exactly" cmp -s "$BEFORE" "$AFTER"
check "the loser is a chart again" test -z "$(sqlite3 "$DB" "SELECT merged_into FROM patients WHERE id = $BID")"
check "the pair is no longer merged" test -z "$(sqlite3 "$DB" "SELECT merged FROM dup_pairs WHERE id = $P")"
expect_exit "undo twice is refused" 2 super merge undo "$MID"
expect_exit "the MRN finds its own chart again" 0 tech patient find "$B"
contains "B again" "$B	Marchbank	" "$OUT"
expect_exit "database integrity after the undo" 0 super db check

# ---- audited, no PHI ----------------------------------------------------------
expect_exit "audit of merges" 0 super audit show --action merge.approve
contains "the approve names the survivor and the loser" "$A	merge	$B" "$OUT"
contains "the undo names both" "$A	unmerge	$B" "$OUT"
contains "the technician's denial" "tech	technician" "$OUT"
lacks "no name in the audit" "Marchbank" "$OUT"
expect_exit "audit of the chart opened by the losing MRN" 0 super audit show --patient "$A"
contains "the row says which MRN was asked for" "via merged MRN $B" "$OUT"

for w in Marchbanks Marchbank Philippa "Larch"; do
	check "the database holds no '$w'" sh -c "! grep -a -q '$w' '$DB'*"
done
