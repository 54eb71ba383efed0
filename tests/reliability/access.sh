#!/bin/sh
# folio — the access table, command by role (issue 9 "Access"): each
# command run as each of the five demo roles; the roles written beside it
# (F front desk, T technician, S supervisor, P physician, A admin) are the
# ones it must let in (a physician reads what is in the chart: its
# deficiencies, its coding, where its paper volumes are), every other role must get exit 3 "not permitted"
# with a new 'denied' row in the audit log naming that user.  Written out
# here from what a records department expects, not read from the policy
# table, so a policy change that moves a door fails here.  Then
# break-the-glass (a restricted chart opens only with a reason, audited)
# and the own-record block (a staff member may not open their own chart,
# reason or not).
. "$(dirname "$0")/../lib.sh"

DB="$T/acc.db"
demo_db "$DB" 30
export FOLIO_NEW_PASSWORD="Spare-password-2026!" FOLIO_SIGNATURE_CODE="not-the-code"
q() { sqlite3 "$DB" "$1"; }
M=$(q "SELECT mrn FROM patients WHERE restricted = 0 ORDER BY id LIMIT 1")
R=$(q "SELECT mrn FROM patients WHERE restricted = 1 ORDER BY id LIMIT 1")
ENC=$(q "SELECT e.id FROM encounters e JOIN patients p ON p.id = e.patient_id WHERE p.mrn = '$M' ORDER BY e.id LIMIT 1")
DOC=$(q "SELECT d.id FROM documents d JOIN patients p ON p.id = d.patient_id WHERE p.mrn = '$M' ORDER BY d.id LIMIT 1")
# one chart per role for the commands that change a chart's standing
i=3
for r in desk tech super doctor admin; do
	eval "P_$r=\$(q \"SELECT mrn FROM patients WHERE restricted = 0 ORDER BY id LIMIT 1 OFFSET $i\")"
	i=$((i + 1))
done
check "the demo has an open chart, a restricted one, an encounter and a document" \
	test -n "$M" -a -n "$R" -a -n "$ENC" -a -n "$DOC" -a -n "$P_admin"
FOLIO_PASSWORD=$(demo_password admin) "$FOLIO" --db "$DB" --user admin user add spare --role frontdesk \
	>/dev/null 2>&1 || fail "a spare account"
printf 'MSH|^~\\&|ACC|ACC|FOLIO|FOLIO|202601050800||ADT^A04|ACC1|P|2.5\rPID|1||AC1^^^ACC^MR||Accessa^Tess||19800101|F\rPV1|1|O|CLINIC\r' \
	>"$T/one.hl7"

letter() { case $1 in desk) echo F ;; tech) echo T ;; super) echo S ;; doctor) echo P ;; admin) echo A ;; esac; }
denied_rows() { q "SELECT count(*) FROM audit_log WHERE user_name = '$1' AND outcome = 'denied'"; }
cells=0 denials=0
# row ROLES ARGS...: ARGS run as every role; @U becomes the user, @P their own chart
row() {
	want=$1; shift
	for u in desk tech super doctor admin; do
		eval "pm=\$P_$u"
		before=$(denied_rows "$u")
		( n=$#
		  for a in "$@"; do
			case $a in *@U* | *@P*) a=$(printf '%s' "$a" | sed "s/@U/$u/g; s/@P/$pm/g") ;; esac
			set -- "$@" "$a"
		  done
		  shift "$n"
		  FOLIO_PASSWORD=$(demo_password "$u") exec "$FOLIO" --db "$DB" --user "$u" "$@" ) >"$T/o" 2>&1 </dev/null
		rc=$?
		cat "$T/o" >>"$T/all-output"
		cells=$((cells + 1))
		case $want in
		*"$(letter "$u")"*)
			if [ "$rc" -ne 3 ]; then pass "$u may: $*"; else fail "$u may: $* (exit 3: $(head -c 200 "$T/o"))"; fi ;;
		*)
			denials=$((denials + 1))
			after=$(denied_rows "$u")
			if [ "$rc" -eq 3 ] && grep -q "not permitted" "$T/o" && [ "$after" -gt "$before" ]; then
				pass "$u may not: $* (denied, audited)"
			else
				fail "$u may not: $* (exit $rc, denied rows $before -> $after: $(head -c 200 "$T/o"))"
			fi ;;
		esac
	done
}

# ---- administration ---------------------------------------------------------
row SA   user list
row A    user add zz@U --role frontdesk
row A    user lock spare
row A    user unlock spare
row SA   audit verify
row SA   audit head
row SA   audit show --limit 1
row SA   config list
row SA   config get lockout_threshold
row A    config set lockout_threshold 5
row SA   db check
row A    backup "$T/backup-@U.db"
row A    patient link @P --user spare
row A    patient unlink @P
# ---- registration and the front desk -----------------------------------------
row FTSP patient find "$M"
row FTSP patient show "$M"
row FT   patient add --last Zzaccess --first @U --dob 1970-01-01 --sex F --force
row FTS  patient edit "$M" --phone 555-010-0199
row TS   patient restrict @P
row FT   checkin "$M"
row FTS  checkins
row S    alerts
# ---- the clinical chart --------------------------------------------------------
row TSP  chart "$M"
row TSP  encounter list "$M"
row TSP  vitals list "$M"
row TP   vitals add "$M" --pulse 72
row TSP  problem list "$M"
row TP   allergy add "$M" --allergen Latex
row TSP  note list "$M"
row TSP  note show "$DOC"
row TP   note new "$M" --type progress --author doctor --undictated
row P    note sign "$DOC"
row TS   note verify
# ---- completeness, coding, queries --------------------------------------------
row TS   queue
row TS   check "$M"
row TSP  deficiency list "$M"
row SP   deficiency inbox
row TSP  coding show "$ENC"
row TSP  codes search pneumonia
# ---- paper charts ----------------------------------------------------------------
row TSP  chart where "$M"
row TSP  chart request "$M"
row S    chart found "$M"
# ---- release of information, reports, interchange ------------------------------
row TS   disclosures "$M"
row TS   accounting "$M"
row TS   roi list
row S    report access "$M"
row S    report discharges
row TS   export fhir "$M" --out "$T/fhir-@U.json"
row TS   export deid --out "$T/deid-@U"
row TS   import hl7 "$T/one.hl7"
row TS   dup list
row TS   merge list
row S    merge undo 999999
row TSP  query list
# ---- keys and the file itself (refused for a reason of their own when allowed) ---
row A    rekey index
row A    restore "$T/no-such-backup.db"
row SA   codes load "$T/no-such-codesets"
# last: it changes the chart's state
row TS   encounter admit "$M" --attending doctor

echo "access table: $cells cells, $denials denials checked"
check "the table covers the commands" [ "$cells" -ge 280 ]

# ---- break-the-glass ------------------------------------------------------------
for u in desk tech super doctor; do
	expect_exit "$u: a restricted chart asks for a reason" 3 as "$u" "$DB" patient show "$R"
	contains "$u: the reason is asked for" "give --reason" "$OUT"
	expect_exit "$u: with a reason it opens" 0 as "$u" "$DB" patient show "$R" --reason "at the desk with the patient"
done
expect_exit "admin: a restricted chart stays shut, reason or not" 3 as admin "$DB" patient show "$R" --reason "curious"
check "break-the-glass is audited, each time" \
	test "$(q "SELECT count(*) FROM audit_log WHERE mrn = '$R' AND action = 'chart.breakglass' AND outcome = 'ok'")" -ge 4
expect_exit "the supervisor's alerts list the openings" 0 as super "$DB" alerts --all
check "an alert per opening, each with its reason" \
	test "$(printf '%s\n' "$OUT" | grep -c "with the patient")" -ge 4

# ---- a staff member's own chart -------------------------------------------------
OWN=$(q "SELECT mrn FROM patients WHERE restricted = 0 ORDER BY id LIMIT 1 OFFSET 10")
expect_exit "admin links tech to their own chart" 0 as admin "$DB" patient link "$OWN" --user tech
expect_exit "tech may not open their own chart" 3 as tech "$DB" patient show "$OWN"
expect_exit "not even with a reason" 3 as tech "$DB" patient show "$OWN" --reason "it is mine"
expect_exit "nor its clinical chart" 3 as tech "$DB" chart "$OWN"
expect_exit "another technician's work is not blocked: super opens it" 0 as super "$DB" patient show "$OWN"
check "the own-record denials are audited" \
	test "$(q "SELECT count(*) FROM audit_log WHERE user_name = 'tech' AND mrn = '$OWN' AND outcome = 'denied'")" -ge 3
expect_exit "audit verify after it all" 0 as admin "$DB" audit verify
