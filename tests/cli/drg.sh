#!/bin/sh
# folio — `drg group` (issue 5): the MS-DRG v43.0 grouper against the
# official CMS grouper's answers on the whole 7,006-claim test set and the
# 21 drgpy gold cases, the malformed-line row, the official return codes for
# invalid input, code case and POA forms, the table directory options and
# the packed-table cache.
. "$(dirname "$0")/../lib.sh"

CODESETS="$(cd "$(dirname "$0")/../../.." && pwd)/shared/codesets"
if [ ! -d "$CODESETS/msdrg_v43" ] || [ ! -f "$CODESETS/tests/msdrg_v430_cms_grouper_testset.tsv" ]; then
	echo "SKIP drg: skipped: ../shared/codesets not found"
	exit 0
fi
TESTSET="$CODESETS/tests/msdrg_v430_cms_grouper_testset.tsv"
GOLD="$CODESETS/tests/drgpy_gold_cases_cms_checked.tsv"
grp() { "$FOLIO" drg group --tables "$CODESETS" "$@"; }
# row ID: the output row of claim ID in $T/rows
row() { awk -F'\t' -v k="$1" '$1 == k' "$T/rows"; }
col() { row "$1" | cut -f"$2"; }

# ---- the CMS test set ---------------------------------------------------
grp <"$TESTSET" >"$T/out" 2>"$T/err"
check "test set groups with exit 0" test $? -eq 0
check "one row per claim plus a header" test "$(wc -l <"$T/out")" -eq "$(wc -l <"$TESTSET")"
# expected columns 9-14 and 16-17 of the test set against output columns 2-9
awk -F'\t' '
	NR == FNR { if (FNR > 1) { e[$1] = $9 FS $10 FS $11 FS $12 FS $13 FS $14 FS $16 FS $17; n++ } next }
	FNR == 1 { next }
	{
		split(e[$1], x, FS); seen++
		for (i = 1; i <= 8; i++) if (x[i] != $(i + 1)) bad[i]++
	}
	END {
		split("final_drg final_mdc med_surg final_severity final_grc initial_drg hac_status sdx_usage", name, " ")
		for (i = 1; i <= 8; i++) { printf "mismatches %s: %d\n", name[i], bad[i] + 0; t += bad[i] }
		printf "claims %d of %d, total mismatches %d\n", seen, n, t
	}' "$TESTSET" "$T/out" >"$T/cmp"
cat "$T/cmp"
contains "all 7006 claims compared" "claims 7006 of 7006," "$(cat "$T/cmp")"
contains "no mismatch in any column" "total mismatches 0" "$(cat "$T/cmp")"

# ---- the drgpy gold cases (their own layout: converted) -------------------
awk -F'\t' 'NR > 1 { print $1 "\t430\t" $2 "\t" $3 "\t" $4 "\t" $5 "\t" $6 "\t" $7 }' "$GOLD" | grp >"$T/gold" 2>&1
awk -F'\t' '
	NR == FNR { if (FNR > 1) { d[$1] = $9; m[$1] = $11; s[$1] = $12; n++ } next }
	FNR == 1 { next }
	{ seen++; if (d[$1] != $2) bd++; if (m[$1] != $3) bm++; if (s[$1] != $5) bs++ }
	END { printf "gold %d of %d: drg %d, mdc %d, severity %d mismatches\n", seen, n, bd + 0, bm + 0, bs + 0 }' \
	"$GOLD" "$T/gold" >"$T/gcmp"
cat "$T/gcmp"
contains "drgpy gold cases all match" "gold 21 of 21: drg 0, mdc 0, severity 0 mismatches" "$(cat "$T/gcmp")"

# ---- malformed lines, invalid input ---------------------------------------
tab=$(printf '\t')
cat >"$T/claims" <<EOF
id${tab}version${tab}age${tab}sex${tab}discharge_status${tab}pdx${tab}sdx${tab}procedures
ok1${tab}430${tab}65${tab}M${tab}1${tab}I5020${tab}E1165;N179:N${tab}
short${tab}430${tab}65
age125${tab}430${tab}125${tab}M${tab}1${tab}I5020${tab}${tab}
ageneg${tab}430${tab}-1${tab}F${tab}1${tab}I5020${tab}${tab}
agetext${tab}430${tab}old${tab}F${tab}1${tab}I5020${tab}${tab}
nopdx${tab}430${tab}65${tab}M${tab}1${tab}${tab}E1165${tab}
unknown${tab}430${tab}65${tab}M${tab}1${tab}ZZZ999${tab}${tab}
header${tab}430${tab}65${tab}M${tab}1${tab}I50${tab}${tab}
ecode${tab}430${tab}65${tab}M${tab}1${tab}V0001XA${tab}N179${tab}
sexu${tab}430${tab}65${tab}U${tab}1${tab}A510${tab}${tab}
sexm${tab}430${tab}65${tab}M${tab}1${tab}A510${tab}${tab}
dstat${tab}430${tab}65${tab}M${tab}0${tab}I5020${tab}I469${tab}
dstatok${tab}430${tab}65${tab}M${tab}0${tab}I5020${tab}E1165${tab}
dstattext${tab}430${tab}65${tab}M${tab}home${tab}I5020${tab}I469${tab}
hacn${tab}430${tab}65${tab}M${tab}1${tab}I5020${tab}S82235A:N${tab}
hacblank${tab}430${tab}65${tab}M${tab}1${tab}I5020${tab}S82235A:${tab}
hacbad${tab}430${tab}65${tab}M${tab}1${tab}I5020${tab}S82235A:Q${tab}
hacy${tab}430${tab}65${tab}M${tab}1${tab}I5020${tab}S82235A${tab}
lower${tab}430${tab}65${tab}m${tab}1${tab}i5020${tab}e1165;n179:N${tab}
long${tab}430${tab}65${tab}M${tab}1${tab}I5020${tab}E11651234${tab}
many${tab}430${tab}65${tab}M${tab}1${tab}I5020${tab}A000;A001;A009;A0100;A0101;A0102;A0103;A0104;A0105;A0109;A011;A012;A013;A014;A020;A021;A0220;A0221;A0222;A0223;A0224;A0225;A0229;A028;A029${tab}
last${tab}430${tab}65${tab}F${tab}1${tab}K8000${tab}J9811${tab}0FT44ZZ
EOF
grp <"$T/claims" >"$T/rows" 2>"$T/err"
check "a malformed line makes the run exit 1" test $? -eq 1
contains "the run says how many lines were malformed" "3 malformed claim lines" "$(cat "$T/err")"
check "every claim has its row, malformed or not" test "$(wc -l <"$T/rows")" -eq 23
contains "malformed row keeps its id and gives the reason" "short${tab}ERROR: expected at least 8" "$(row short)"
check "a non-numeric age is INVALID_AGE" test "$(col agetext 2)-$(col agetext 6)" = "999-INVALID_AGE"
contains "a code longer than 7 is refused" "long${tab}ERROR: secondary diagnosis 1 is longer than 7" "$(row long)"
lacks "the refusal does not repeat the code" "E11651234" "$(row long)"
contains "more than 24 secondaries is refused" "many${tab}ERROR: more than 24 secondary" "$(row many)"
check "the run goes on after malformed lines" test "$(col last 2)" = 418
check "a good claim groups" test "$(col ok1 2)-$(col ok1 6)" = "292-OK"
check "sdx_usage lists each secondary" test "$(col ok1 9)" = "E1165:NEITHER;N179:CC"
check "age 125 is INVALID_AGE, DRG 999" test "$(col age125 2)-$(col age125 6)" = "999-INVALID_AGE"
check "age -1 is INVALID_AGE" test "$(col ageneg 6)" = INVALID_AGE
check "an empty principal is INVALID_PDX" test "$(col nopdx 2)-$(col nopdx 6)" = "999-INVALID_PDX"
check "an unknown principal is INVALID_PDX" test "$(col unknown 6)" = INVALID_PDX
check "a header (non-billable) principal is INVALID_PDX" test "$(col header 6)" = INVALID_PDX
check "an external cause principal is DX_CANNOT_BE_PDX" test "$(col ecode 2)-$(col ecode 6)" = "999-DX_CANNOT_BE_PDX"
check "ungroupable rows carry MDC 00, NONE, NONE" test "$(col ecode 3)-$(col ecode 4)-$(col ecode 5)" = "00-NONE-NONE"
check "ungroupable secondaries count as NEITHER" test "$(col ecode 9)" = "N179:NEITHER"
check "sex U with a sex-specific principal is INVALID_SEX" test "$(col sexu 6)" = INVALID_SEX
check "the same principal with sex M groups in MDC 12" test "$(col sexm 3)-$(col sexm 6)" = "12-OK"
check "an MCC-if-alive secondary with an invalid discharge status is INVALID_DISCHARGE_STATUS" \
	test "$(col dstat 6)" = INVALID_DISCHARGE_STATUS
check "an invalid discharge status that no logic needs groups" test "$(col dstatok 6)" = OK
check "a discharge status that is not a number is invalid" test "$(col dstattext 6)" = INVALID_DISCHARGE_STATUS
check "a HAC code not present on admission changes the final DRG" \
	test "$(col hacn 7)-$(col hacn 2)-$(col hacn 8)" = "292-293-FINAL_DRG_CHANGES"
check "the HAC code counts as NEITHER" test "$(col hacn 9)" = "S82235A:NEITHER"
check "a blank POA on a HAC code is HAC_MISSING_ONE_POA" \
	test "$(col hacblank 2)-$(col hacblank 6)-$(col hacblank 8)" = "999-HAC_MISSING_ONE_POA-FINAL_DRG_UNGROUPABLE"
check "an invalid POA on a HAC code is HAC_MISSING_ONE_POA" test "$(col hacbad 6)" = HAC_MISSING_ONE_POA
check "no colon means POA Y: no HAC" test "$(col hacy 2)-$(col hacy 8)-$(col hacy 9)" = "292-NOT_APPLICABLE-S82235A:CC"
check "lower-case codes group as upper-case" test "$(row lower | cut -f2-8)" = "$(row ok1 | cut -f2-8)"
check "lower-case codes are reported upper-case" test "$(col lower 9)" = "E1165:NEITHER;N179:CC"

# ---- tables and options ------------------------------------------------------
expect_exit "no --tables and no FOLIO_CODESETS is a usage error" 2 sh -c "unset FOLIO_CODESETS; '$FOLIO' drg group </dev/null"
contains "says how to name the tables" "--tables DIR or set FOLIO_CODESETS" "$OUT"
expect_exit "FOLIO_CODESETS names the tables" 0 sh -c "FOLIO_CODESETS='$CODESETS' '$FOLIO' drg group <'$T/claims' 2>/dev/null | grep -q '^ok1	292'"
expect_exit "the msdrg_v43 folder itself works" 0 sh -c "'$FOLIO' drg group --tables '$CODESETS/msdrg_v43' <'$GOLD' >/dev/null 2>&1 || true; echo 'c1	430	65	M	1	I5020		' | '$FOLIO' drg group --tables '$CODESETS/msdrg_v43' | grep -q '^c1	293'"
expect_exit "a missing table directory fails with exit 1" 1 "$FOLIO" drg group --tables "$T/nowhere" </dev/null
contains "and says which directory" "$T/nowhere" "$OUT"
mkdir -p "$T/empty"
expect_exit "a directory without tables fails with exit 1" 1 "$FOLIO" drg group --tables "$T/empty" </dev/null
contains "and says what is missing" "no MS-DRG v43 tables" "$OUT"
mkdir -p "$T/bad/msdrg_v43"
for f in "$CODESETS"/msdrg_v43/*; do ln -s "$f" "$T/bad/msdrg_v43/"; done
rm "$T/bad/msdrg_v43/drg_formulas_v430.tsv"
sed '5s/&/& & ((/' "$CODESETS/msdrg_v43/drg_formulas_v430.tsv" >"$T/bad/msdrg_v43/drg_formulas_v430.tsv"
expect_exit "a damaged formula table fails with exit 1" 1 "$FOLIO" drg group --tables "$T/bad" --no-cache </dev/null
contains "and names the file and line" "drg_formulas_v430.tsv:5:" "$OUT"
expect_exit "an unknown drg command is a usage error" 2 "$FOLIO" drg frobnicate
expect_exit "an unknown option is a usage error" 2 "$FOLIO" drg group --tables "$CODESETS" --bogus

# ---- the packed-table cache ----------------------------------------------------
export XDG_CACHE_HOME="$T/cache"
echo "c1	430	65	M	1	I5020		" | grp >"$T/c1" 2>&1
check "the first run writes a cache" sh -c "ls '$T/cache/folio/'drg-v430-*.bin >/dev/null 2>&1"
echo "c1	430	65	M	1	I5020		" | grp >"$T/c2" 2>&1
check "a cached run gives the same answer" cmp -s "$T/c1" "$T/c2"
for f in "$T"/cache/folio/drg-v430-*.bin; do printf 'garbage' | dd of="$f" bs=1 seek=5000 conv=notrunc 2>/dev/null; done
echo "c1	430	65	M	1	I5020		" | grp >"$T/c3" 2>&1
check "a damaged cache is rebuilt silently" cmp -s "$T/c1" "$T/c3"
rm -rf "$T/cache" && printf 'not a directory' >"$T/cache"
echo "c1	430	65	M	1	I5020		" | grp >"$T/c4" 2>&1
check "an unwritable cache does not fail the run" cmp -s "$T/c1" "$T/c4"
