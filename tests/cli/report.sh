#!/bin/sh
# folio — `report NAME [--from D --to D] [--csv]` (issue 7, Reports): each
# department report's numbers against an independent count (sqlite3 on the
# plain columns, `coding show` for the sealed coding, `disclosures MRN`),
# the CSV header and rows, the 132-column text with its bar chart, usage
# errors (exit 2), a technician denied (exit 3), and the case mix index
# without weights (exit 1, says how to load them) and with a small weights
# file (the mean computed here).
. "$(dirname "$0")/../lib.sh"
need_codesets report

DB="$T/report.db"
"$FOLIO" --db "$DB" demo --patients 40 --codesets "$CODESETS" >/dev/null 2>&1 || { echo "FAIL demo database"; exit 1; }
super() { as super "$DB" "$@"; }
q() { sqlite3 -separator , "$DB" "$1"; }
csv() { super report "$@" --csv 2>&1 | tr -d '\r'; }

# ---- usage and access ------------------------------------------------------
expect_exit "an unknown report" 2 super report nonsense
contains "it lists the reports" "top-drg" "$OUT"
expect_exit "a bad date" 2 super report discharges --from 2026-13-45
expect_exit "a period ending before it starts" 2 super report discharges --from 2026-06-01 --to 2026-01-01
expect_exit "an unknown option" 2 super report discharges --sideways
expect_exit "a technician is denied" 3 as tech "$DB" report discharges
expect_exit "the front desk is denied" 3 as desk "$DB" report coders --csv
expect_exit "report access still works" 0 super report access "$(q "SELECT mrn FROM patients LIMIT 1")"

# ---- discharges ------------------------------------------------------------
WANT=$(q "SELECT substr(ended_at,1,7) m, sum(kind='inpatient'), sum(kind<>'inpatient'), count(*) FROM encounters
	WHERE (kind='inpatient' AND state='discharged') OR (kind<>'inpatient' AND state='closed') GROUP BY m ORDER BY m")
GOT=$(csv discharges)
check "discharges: CSV header" test "$(printf %s "$GOT" | head -n 1)" = "month,inpatient_discharges,visits_closed,total"
check "discharges: rows match sqlite" test "$(printf %s "$GOT" | tail -n +2)" = "$WANT"
check "discharges: there is something to count" test -n "$WANT"
MONTH=$(printf %s "$WANT" | tail -n 1 | cut -d, -f1)
GOT=$(csv discharges --from "$MONTH-01" --to "$MONTH-28" | tail -n +2)
WANT=$(q "SELECT substr(ended_at,1,7) m, sum(kind='inpatient'), sum(kind<>'inpatient'), count(*) FROM encounters
	WHERE ((kind='inpatient' AND state='discharged') OR (kind<>'inpatient' AND state='closed'))
	AND substr(ended_at,1,10) BETWEEN '$MONTH-01' AND '$MONTH-28' GROUP BY m")
check "discharges: --from/--to keep one month" test "$GOT" = "$WANT"
expect_exit "discharges as text" 0 super report discharges
contains "text: the title" "Discharges and closed visits by month" "$OUT"
contains "text: the period" "Period: the beginning to today" "$OUT"
contains "text: a bar chart" "$MONTH |#" "$OUT"
check "text: 132 columns at most" test "$(printf '%s\n' "$OUT" | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')" -le 132
BIG=$(printf %s "$OUT" | grep '|#' | awk '{ print length($0) }' | sort -n | tail -n 1)
check "text: the widest bar fills the line" test "$BIG" -ge 120

# ---- the sealed coding, read back through `coding show` --------------------
: >"$T/pdx" ; : >"$T/drg"
for id in $(q "SELECT e.id FROM encounters e JOIN encounter_coding k ON k.encounter_id = e.id
	WHERE (e.kind='inpatient' AND e.state='discharged') OR (e.kind<>'inpatient' AND e.state='closed')"); do
	as tech "$DB" coding show "$id" >"$T/show" 2>/dev/null
	awk -F'\t' '$1 == "pdx" && $3 != "" { print $3 }' "$T/show" >>"$T/pdx"
	kind=$(q "SELECT kind FROM encounters WHERE id = $id")
	[ "$kind" = inpatient ] && awk -F'\t' '$1 == "drg" && $2 != "" { print $2 }' "$T/show" >>"$T/drg"
done
check "coded encounters to count" test -s "$T/pdx"
GOT=$(csv top-dx)
check "top-dx: CSV header" test "$(printf %s "$GOT" | head -n 1)" = "rank,icd10cm,encounters,percent"
WANT=$(sort "$T/pdx" | uniq -c | sort -k1,1nr -k2,2 | head -n 20 | awk '{ print $2 "," $1 }')
check "top-dx: codes and counts match coding show" \
	test "$(printf %s "$GOT" | tail -n +2 | awk -F, '{ gsub(/\./, "", $2); print $2 "," $3 }')" = "$WANT"
WANT=$(sort "$T/drg" | uniq -c | sort -k1,1nr -k2,2 | awk '{ print $2 "," $1 }')
GOT=$(csv top-drg | tail -n +2 | awk -F, '{ print $2 "," $(NF-1) }')
check "top-drg: DRGs and counts match coding show" test "$GOT" = "$WANT"
check "top-drg: some DRGs" test -n "$WANT"
expect_exit "top-drg as text" 0 super report top-drg
check "top-drg: each DRG has its title from the grouper" \
	test -z "$(csv top-drg | tail -n +2 | awk -F, '$3 == "" { print }')"

# ---- case mix index ----------------------------------------------------------
expect_exit "cmi without weights" 1 super report cmi
contains "cmi says how to load them" "no DRG weights loaded: folio codes load DIR --weights FILE" "$OUT"
mkdir -p "$T/empty"
{ printf 'drg\tweight\tgmlos\tamlos\n'; sort -u "$T/drg" | awk '{ printf "%s\t%.4f\t3.0\t4.0\n", $1, 0.5 + NR * 0.25 }'; } \
	>"$T/drg_weights_2026.tsv"
expect_exit "weights load" 0 super codes load "$T/empty" --weights "$T/drg_weights_2026.tsv"
WANT=$(awk -F'\t' 'NR == FNR { if (FNR > 1) w[$1] = $2; next } { s += w[$1]; n++ } END { printf "%.4f", s / n }' \
	"$T/drg_weights_2026.tsv" "$T/drg")
expect_exit "cmi with weights" 0 super report cmi
contains "cmi is the mean weight" "case mix index $WANT over $(wc -l <"$T/drg" | tr -d ' ') weighted" "$OUT"
check "cmi: CSV header" test "$(csv cmi | head -n 1)" = "month,discharges,weighted,cmi"
check "cmi: discharges add up" test "$(csv cmi | tail -n +2 | awk -F, '{ s += $2 } END { print s + 0 }')" = "$(wc -l <"$T/drg" | tr -d ' ')"

# ---- coders, deficiencies ------------------------------------------------------
WANT=$(q "SELECT substr(coded_at,1,7) m, coded_by, count(*) FROM encounter_coding GROUP BY m, coded_by ORDER BY m, coded_by")
GOT=$(csv coders)
check "coders: CSV header" test "$(printf %s "$GOT" | head -n 1)" = "month,coder,encounters_coded"
check "coders: rows match sqlite" test "$(printf %s "$GOT" | tail -n +2)" = "$WANT"
WANT=$(q "SELECT substr(e.ended_at,1,7) m, d.rule, count(*) FROM deficiencies d JOIN encounters e ON e.id = d.encounter_id
	WHERE d.status IN ('incomplete','dictated','transcribed') AND e.ended_at IS NOT NULL GROUP BY m, d.rule ORDER BY m, d.rule")
GOT=$(csv deficiencies)
check "deficiencies: CSV header" test "$(printf %s "$GOT" | head -n 1)" = "month,type,open,delinquent"
check "deficiencies: open counts match sqlite" test "$(printf %s "$GOT" | tail -n +2 | cut -d, -f1-3)" = "$WANT"
OLD=$(q "SELECT count(*) FROM deficiencies d JOIN encounters e ON e.id = d.encounter_id
	WHERE d.status IN ('incomplete','dictated','transcribed') AND e.ended_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-30 days')")
check "deficiencies: delinquent total matches" test "$(printf %s "$GOT" | tail -n +2 | awk -F, '{ s += $4 } END { print s + 0 }')" = "$OLD"

# ---- disclosures ---------------------------------------------------------------
M=$(q "SELECT mrn FROM patients ORDER BY id LIMIT 1")
expect_exit "a public-health disclosure" 0 as tech "$DB" disclosure add "$M" --to "County Health" --what "labs" \
	--purpose "reportable disease" --kind public-health --date 2026-03-04
expect_exit "a second one" 0 as tech "$DB" disclosure add "$M" --to "County Health" --what "labs again" \
	--purpose "follow-up" --kind public-health --date 2026-03-20
expect_exit "a subpoena" 0 as tech "$DB" disclosure add "$M" --to "Court clerk" --what "records" \
	--purpose "subpoena" --kind subpoena --date 2026-04-02
expect_exit "the ledger lists them" 0 as tech "$DB" disclosures "$M"
check "the ledger shows both public-health entries" test "$(printf %s "$OUT" | grep -c public-health)" -ge 2
GOT=$(csv disclosures)
check "disclosures: CSV header" test "$(printf %s "$GOT" | head -n 1)" = "month,purpose,disclosures"
contains "disclosures: two public-health in March" "2026-03,public-health,2" "$GOT"
contains "disclosures: one subpoena in April" "2026-04,subpoena,1" "$GOT"
GOT=$(csv disclosures --from 2026-04-01 --to 2026-04-30 | tail -n +2)
check "disclosures: the period keeps April only" test "$GOT" = "2026-04,subpoena,1"
expect_exit "disclosures as text" 0 super report disclosures
contains "disclosures: a bar per month and purpose" "2026-03 public-health |" "$OUT"
lacks "no recipient in the report" "County Health" "$OUT"
