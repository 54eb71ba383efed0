#!/bin/sh
# folio — `import synthea DIR` (issue 8): for both Synthea sets in
# ../shared/testdata/synthea_csv, the patients, encounters, conditions,
# medications, allergies and procedures in the database equal the CSVs' row
# counts (counted here with Python's csv module, quoted fields and all), the
# observations split into vitals and results add up to their rows; a rerun
# adds nothing and says "already there"; a malformed row is named FILE:LINE
# and skipped while the rest imports; an absent file is a note; a bad DIR is
# exit 2, the front desk and a physician exit 3; no Synthea name is in plain
# text in the database; `patient find --all` lists the imported patients.
. "$(dirname "$0")/../lib.sh"

DATA="$(cd "$(dirname "$0")/../../.." && pwd)/shared/testdata/synthea_csv"
if [ ! -d "$DATA" ]; then echo "SKIP synthea: skipped: ../shared/testdata/synthea_csv not found"; exit 0; fi
if ! command -v python3 >/dev/null 2>&1; then echo "SKIP synthea: python3 not found"; exit 0; fi

# csv_rows DIR FILE: data rows of a CSV (records, not lines); "-" when absent.
csv_rows() {
	python3 - "$1/$2" <<'PY'
import csv, sys, os
p = sys.argv[1]
if not os.path.exists(p):
    print("-"); sys.exit(0)
with open(p, newline='', encoding='utf-8') as f:
    print(sum(1 for _ in csv.DictReader(f)))
PY
}
# db_counts DB: "patients encounters problem medication allergy procedure
# vitals-rows result-rows" from the plain columns (no key needed).
db_counts() {
	python3 - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
one = lambda q: db.execute(q).fetchone()[0]
kinds = dict(db.execute("SELECT kind, count(*) FROM clinical_items GROUP BY kind").fetchall())
# observation rows by the kind of item each row's key points at
obs = dict(db.execute("SELECT c.kind, count(*) FROM import_tags k JOIN clinical_items c"
                      " ON k.row_kind = 3 AND c.id = k.row_id"
                      " WHERE c.kind IN ('vitals', 'result') GROUP BY c.kind").fetchall())
print(one("SELECT count(*) FROM patients"), one("SELECT count(*) FROM encounters"),
      *[kinds.get(k, 0) for k in ("problem", "medication", "allergy", "procedure")],
      obs.get("vitals", 0), obs.get("result", 0))
PY
}

n=0
for SET in ohdsi-dbt-synthea_27p_v3.0.0 unmc-crane_111p_no-observations; do
	n=$((n + 1))
	D="$DATA/$SET" DB="$T/s$n.db"
	demo_db "$DB" 0
	rows="$(csv_rows "$D" patients.csv) $(csv_rows "$D" encounters.csv) $(csv_rows "$D" conditions.csv)"
	rows="$rows $(csv_rows "$D" medications.csv) $(csv_rows "$D" allergies.csv) $(csv_rows "$D" procedures.csv)"
	obs=$(csv_rows "$D" observations.csv)
	expect_exit "$SET: import exits 0" 0 as tech "$DB" import synthea "$D"
	FIRST_OUT=$OUT
	lacks "$SET: no progress bar when stderr is not a terminal" "ETA" "$FIRST_OUT"
	counts=$(db_counts "$DB")
	set -- $counts
	check "$SET: patients encounters problems meds allergies procedures = CSV rows ($rows)" \
		test "$1 $2 $3 $4 $5 $6" = "$rows"
	if [ "$obs" = "-" ]; then
		check "$SET: no observations.csv, none imported" test "$7 $8" = "0 0"
		contains "$SET: the absent file is a note" "observations.csv absent: skipped" "$FIRST_OUT"
	else
		check "$SET: vitals + results rows ($7 + $8) = observation rows ($obs)" test $(($7 + $8)) = "$obs"
		check "$SET: some observations are vitals, some results" test "$7" -gt 0 -a "$8" -gt 0
	fi
	expect_exit "$SET: import again exits 0" 0 as tech "$DB" import synthea "$D"
	contains "$SET: the rerun says already there" "already there" "$OUT"
	again=$(db_counts "$DB")
	check "$SET: the rerun adds nothing ($again)" test "$again" = "$counts"
	p=$(as tech "$DB" patient find --all 2>/dev/null | tail -n +2 | wc -l)
	check "$SET: patient find --all lists every imported patient ($p)" test "$p" = "${rows%% *}"
	runs=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT count(*) FROM import_runs WHERE kind='synthea' AND finished_at IS NOT NULL\").fetchone()[0])" "$DB")
	check "$SET: both runs recorded in import_runs" test "$runs" = 2
done

# names and ids are sealed: no Synthea first or last name, no SSN, no
# Synthea Id in the file
DB="$T/s1.db" D="$DATA/ohdsi-dbt-synthea_27p_v3.0.0"
leaks=$(python3 - "$D/patients.csv" "$DB" <<'PY'
import csv, sys, re
blob = open(sys.argv[2], 'rb').read()
for w in ("-wal",):
    try: blob += open(sys.argv[2] + w, 'rb').read()
    except OSError: pass
n = 0
for r in csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')):
    for k in ("FIRST", "LAST", "SSN", "Id", "ADDRESS"):
        v = re.sub(r'\d+$', '', r[k]) if k in ("FIRST", "LAST") else r[k]
        if len(v) >= 4 and v.encode() in blob: n += 1
print(n)
PY
)
check "no Synthea name, SSN, address or Id in plain text in the database" test "$leaks" = 0
P=$(as tech "$DB" patient find --all 2>/dev/null | sed -n 2p)
contains "names lose Synthea's digits (Mosciski958 -> Mosciski)" "	Mosciski	Maynard	" "$P"

# a malformed row is named FILE:LINE and skipped; the rest imports
B="$T/broken" DB="$T/b.db"
mkdir -p "$B"
cp "$D"/patients.csv "$D"/encounters.csv "$D"/conditions.csv "$D"/allergies.csv "$B"/
chmod u+w "$B"/*.csv
sed -i '5s/^\([^,]*\),/\1,"unterminated/' "$B/conditions.csv"
sed -i '7s/^\([^,]*,[^,]*,\)[^,]*/\1nobody/' "$B/allergies.csv"
demo_db "$DB" 0
expect_exit "a malformed row makes exit 1" 1 as tech "$DB" import synthea "$B"
contains "the broken quote is named by file and line" "conditions.csv:5:" "$OUT"
contains "an unknown patient is named by file and line" "allergies.csv:7: PATIENT" "$OUT"
contains "an absent file is a note" "medications.csv absent: skipped" "$OUT"
lacks "the message does not echo the value" "unterminated" "$OUT"
set -- $(db_counts "$DB")
c=$(csv_rows "$D" conditions.csv) a=$(csv_rows "$D" allergies.csv)
# the unterminated quote swallows the rest of the file: the rows before it import
check "the rows before the broken quote import" test "$3" -ge 3
check "the other allergies import ($5 of $a)" test "$5" = $((a - 1))
expect_exit "fixing the file and importing again adds the rest" 0 as tech "$DB" import synthea "$D"
set -- $(db_counts "$DB")
check "after the fix every condition is there once ($3 = $c)" test "$3" = "$c"

# usage and roles
expect_exit "an unknown DIR exits 2" 2 as tech "$DB" import synthea "$T/nowhere"
expect_exit "no DIR exits 2" 2 as tech "$DB" import synthea
expect_exit "the front desk may not import" 3 as desk "$DB" import synthea "$D"
expect_exit "a physician may not import" 3 as doctor "$DB" import synthea "$D"
expect_exit "a supervisor may" 0 as super "$DB" import synthea "$D"
