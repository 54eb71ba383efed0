#!/bin/sh
# folio — the leak scan (issue 9 "Leak scan").  A scripted session puts
# distinctive marker values through every feature (a patient's name, DOB,
# SSN, phone, address, note text, problem, allergy, medication, visit reason,
# an HL7-imported and a Synthea-imported patient, an ROI requester, a
# duplicate-pair note, passwords, a signature code, a packet password and the
# recovery key printed by init), from the command line and through the
# interface in tmux.  Then each marker (as typed, the names upper-cased, the
# SSN and phone without dashes) is searched for in:
#   - the database files (db, -journal, -wal), copies of the rollback
#     journal taken while the session wrote, the backup, and everything folio
#     left in TMPDIR (a private directory for the whole session): no hit;
#   - everything folio wrote to stderr: no hit;
#   - every stdout and every file written: no hit, except the outputs whose
#     purpose is to show or carry the record to an authorised reader (listed
#     below with `shows`, each with its reason); secrets (passwords,
#     signature code, packet password, recovery key) are in no output at
#     all, except init's one print of the recovery key; the de-identified
#     extract holds none of the patient markers; the sealed packet none;
#   - the memory of the running interface after the idle lock fired
#     (/proc/PID/mem, every readable mapping, then every mapping at all
#     the way root can read it, by tests/reliability/lib/memscan.c): no
#     hit.  The screens under the lock keep their state for the unlock in
#     smem buffers encrypted in place under a key only the password leads
#     back to (access_lock_seal, src/access/lockseal.c).
# Positive controls first: the file search finds a marker planted in a file,
# and the memory scan finds the patient's name on the open chart before the
# lock (and a marker in a control process), so zero hits mean something.
. "$(dirname "$0")/../lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

# Everything folio writes to a temporary file goes here, and is scanned.
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR" "$T/o" "$T/files"
OD=$T/o FD=$T/files
DB="$T/leak.db"
demo_db "$DB" 20

# ---- markers ---------------------------------------------------------------
# record markers may show where the record is shown to an authorised reader;
# secret markers never (except the recovery key in init's one print).
LAST=Qzxleakname FIRST=Vqmarker DOB=1917-11-29 SSN=987-65-4329 PHONE=413-555-7261
STREET="4417 Quillmarker Lane" NOTE="Zyxnotemarker lungs clear" PROB="Problemmarkerqv syndrome"
ALLERGEN=Allergenmarkerqv DRUG=Drugmarkerqv VISIT=Visitreasonmarkq ADDEND="Addendmarkerqv recheck"
HL7LAST=Hlsevenmarkq HL7FIRST=Hlfirstmarkq SYNLAST=Synthmarkq SYNFIRST=Synfirstmarkq SYNSSN=999-31-7420
REQUESTER="Requestermarkq Quill" DUPNOTE="Dupnotemarkq same person"
PW_M='Pw-leakmarker-7731' SIG_M='Sig-leakmarker-4402' PKT_M='Pkt-leakmarker-5150' ADM_M='Adm-leakmarker-9911'
{
	printf 'name\t%s\nname-upper\t%s\nfirst\t%s\nfirst-upper\t%s\n' "$LAST" QZXLEAKNAME "$FIRST" VQMARKER
	printf 'dob\t%s\ndob-us\t11/29/1917\ndob-compact\t19171129\n' "$DOB"
	printf 'ssn\t%s\nssn-digits\t987654329\n' "$SSN"
	printf 'phone\t%s\nphone-digits\t4135557261\n' "$PHONE"
	printf 'address\tQuillmarker\naddress-upper\tQUILLMARKER\n'
	printf 'note\tZyxnotemarker\naddendum\tAddendmarkerqv\nproblem\tProblemmarkerqv\n'
	printf 'allergy\tAllergenmarkerqv\nmed\tDrugmarkerqv\nvisit\tVisitreasonmarkq\n'
	printf 'hl7-name\t%s\nhl7-name-upper\tHLSEVENMARKQ\nhl7-first\t%s\n' "$HL7LAST" "$HL7FIRST"
	printf 'synthea-name\t%s\nsynthea-name-upper\tSYNTHMARKQ\nsynthea-first\t%s\nsynthea-ssn\t%s\n' \
		"$SYNLAST" "$SYNFIRST" "$SYNSSN"
	printf 'requester\tRequestermarkq\ndup-note\tDupnotemarkq\n'
} >"$T/record.marks"
{
	printf 'password\t%s\nsigcode\t%s\npacket-password\t%s\nadmin-password\t%s\n' \
		"$PW_M" "$SIG_M" "$PKT_M" "$ADM_M"
} >"$T/secret.marks"

# ---- the session -------------------------------------------------------------
# r LABEL USER ARGS...: folio as USER (a demo user, or leakdoc with the marker
# password), stdin from $IN (else nothing), stdout and stderr kept as
# $OD/LABEL.out and .err; the step must exit 0.  LAST_OUT: its last line.
steps=0 stepfail=0
r() {
	label=$1 user=$2; shift 2
	case $user in leakdoc) pw=$PW_M ;; *) pw=$(demo_password "$user") ;; esac
	FOLIO_PASSWORD=$pw "$FOLIO" --db "$DB" --user "$user" "$@" <"${IN:-/dev/null}" \
		>"$OD/$label.out" 2>"$OD/$label.err"
	rc=$?
	steps=$((steps + 1))
	LAST_OUT=$(tail -1 "$OD/$label.out")
	if [ "$rc" -ne 0 ]; then
		stepfail=$((stepfail + 1))
		fail "session step $label ($*): exit $rc: $(head -c 300 "$OD/$label.err")"
	fi
}
# shows LABEL REASON: LABEL's stdout exists to show or carry the record to
# an authorised reader, so the patient markers may be in it (never a secret).
: >"$T/shows"
shows() { printf '%s\t%s\n' "$1" "$2" >>"$T/shows"; }

# The rollback journal exists only while a transaction writes: a loop keeps
# copies of it taken during the session (the last 30), searched below.
mkdir -p "$T/journals"
( i=0; while [ ! -e "$T/session-done" ]; do
	cp "$DB-journal" "$T/journals/j.$((i % 30))" 2>/dev/null && i=$((i + 1))
	sleep 0.02
done ) &
JPID=$!
at_exit "kill $JPID 2>/dev/null"

# the recovery key, printed once by init
FOLIO_PASSWORD=$ADM_M "$FOLIO" --db "$T/init.db" init --admin leadm >"$OD/init.out" 2>"$OD/init.err"
check "init creates a database" test -s "$T/init.db"
RK=$(head -1 "$OD/init.out")
check "init printed a recovery key" sh -c "echo '$RK' | grep -Eq '^[0-9A-Z]{5}(-[0-9A-Z]{5})+\$'"
printf 'recovery-key\t%s\nrecovery-key-plain\t%s\n' "$RK" "$(echo "$RK" | tr -d -)" >>"$T/secret.marks"
FOLIO_RECOVERY_KEY=$RK FOLIO_NEW_PASSWORD="$ADM_M-new" "$FOLIO" --db "$T/init.db" recover --user leadm \
	>"$OD/recover.out" 2>"$OD/recover.err"
check "recover with the recovery key" test $? -eq 0
printf 'admin-password-new\t%s-new\n' "$ADM_M" >>"$T/secret.marks"

# a physician with a marker password and a marker signature code
FOLIO_NEW_PASSWORD=$PW_M r user-add admin user add leakdoc --role physician
FOLIO_NEW_SIGNATURE_CODE=$SIG_M r sigcode leakdoc user sigcode

r patient-add desk patient add --last "$LAST" --first "$FIRST" --dob "$DOB" --sex F --ssn "$SSN" \
	--phone "$PHONE" --address "$STREET" --city Springfield --state MA --zip 01103
M=$LAST_OUT
check "the marker patient has an MRN" sh -c "echo '$M' | grep -Eq '^[0-9]{8}\$'"
r find-name desk patient find "$LAST,$FIRST"
shows find-name "the lookup lists the patients found, to the clerk who asked"
r find-dob desk patient find 11/29/1917
shows find-dob "the lookup lists the patients found"
r find-last4 desk patient find 4329
shows find-last4 "the lookup lists the patients found"
r show desk patient show "$M"
shows show "patient show prints the record"
r edit desk patient edit "$M" --phone "$PHONE" --reason "leak scan"
r checkin desk checkin "$M" --clinic "Family Medicine" --visit-reason "$VISIT"
ENC=$LAST_OUT
r checkins desk checkins
shows checkins "the day's check-in list names the patients"
r vitals tech vitals add "$M" --pulse 72 --bp 120/80 --weight 70kg --encounter "$ENC"
r vitals-list doctor vitals list "$M"
shows vitals-list "the chart's vitals, to a clinician"
r allergy leakdoc allergy add "$M" --allergen "$ALLERGEN" --type drug --reaction hives
r problem leakdoc problem add "$M" --text "$PROB"
r med leakdoc med add "$M" --drug "$DRUG" --dose "10 mg"
r clinical-lists doctor problem list "$M"
shows clinical-lists "the chart's problems, to a clinician"
r allergy-list doctor allergy list "$M"
shows allergy-list "the chart's allergies, to a clinician"
r med-list doctor med list "$M"
shows med-list "the chart's medications, to a clinician"
printf '%s\n' "$NOTE" >"$T/note.txt"
IN=$T/note.txt r note-new leakdoc note new "$M" --type progress --author leakdoc --encounter "$ENC"
NOTE_ID=$LAST_OUT
FOLIO_SIGNATURE_CODE=$SIG_M r note-sign leakdoc note sign "$NOTE_ID"
printf '%s\n' "$ADDEND" >"$T/addend.txt"
IN=$T/addend.txt r note-addend leakdoc note addend "$NOTE_ID"
ADD_ID=$LAST_OUT
FOLIO_SIGNATURE_CODE=$SIG_M r addend-sign leakdoc note sign "$ADD_ID"
r note-show leakdoc note show "$NOTE_ID"
shows note-show "note show prints the note"
r note-list leakdoc note list "$M"
shows note-list "the chart's note list, to a clinician"
r note-verify super note verify
r chart doctor chart "$M"
shows chart "the chart's encounters, to a clinician"
r query tech query new "$ENC" --to leakdoc --format open --question "What does the chart support?" \
	--indicator "See the progress note"
r query-list leakdoc query list --mine
shows query-list "the physician's own queries name the patient"
r check tech check "$M"
r deficiencies tech deficiency list "$M"
shows deficiencies "the chart's deficiencies, to the records department"
r queue tech queue
shows queue "the deficiency queue names the patients"
r chart-volume tech chart volumes "$M" --add
r chart-out tech chart out "$M" --to doctor
r chart-where tech chart where "$M"
shows chart-where "where the paper chart is, to the records department"
r chart-in tech chart in "$M"
r coding-show tech coding show "$ENC"
shows coding-show "the encounter's coding, to a coder"
r disclosure tech disclosure add "$M" --to "County Court" --what records --purpose case --kind subpoena
r accounting tech accounting "$M"
shows accounting "the accounting of disclosures is given to the patient"

# ROI: a request with a marker requester, an unsealed and a sealed packet
r roi-new tech roi new "$M" --requester "$REQUESTER" --purpose "personal copy" --authority patient \
	--signed T --asks "demographics,allergies"
ROI1=$LAST_OUT
r roi-select tech roi select "$ROI1" demographics allergies
r roi-show tech roi show "$ROI1"
shows roi-show "the request's record, to the technician working it"
r roi-release tech roi release "$ROI1" --out "$FD/packet.pdf"
r roi-new2 tech roi new "$M" --requester "$REQUESTER" --purpose "second copy" --authority patient \
	--signed T --asks "demographics,allergies"
ROI2=$LAST_OUT
r roi-select2 tech roi select "$ROI2" demographics allergies
FOLIO_PACKET_PASSWORD=$PKT_M r roi-seal tech roi release "$ROI2" --out "$FD/packet.sealed" --seal
FOLIO_PACKET_PASSWORD=$PKT_M "$FOLIO" unseal "$FD/packet.sealed" --out "$FD/unsealed.pdf" \
	>"$OD/unseal.out" 2>"$OD/unseal.err"
check "the sealed packet opens with its password" test -s "$FD/unsealed.pdf"
r roi-list tech roi list --all
shows roi-list "the release worklist names the requests"
r disclosures tech disclosures "$M"
shows disclosures "the disclosure ledger, to the records department"

# exports
r fhir tech export fhir "$M" --out "$FD/bundle.json"
r fhir-stdout tech export fhir "$M"
shows fhir-stdout "export fhir to stdout is the patient's Bundle"
r deid tech export deid --out "$FD/deid"

# imports: an HL7 registration and a Synthea patient
printf 'MSH|^~\\&|LEAK|LEAK|FOLIO|FOLIO|202601050800||ADT^A04|LEAK1|P|2.5\rPID|1||LK1^^^LEAK^MR||%s^%s||19520304|M|||12 Hlseven Road^^Boston^MA^02134\rPV1|1|O|CLINIC\r' \
	"$HL7LAST" "$HL7FIRST" >"$T/leak.hl7"
mkdir -p "$FD/ack"
r hl7 tech import hl7 "$T/leak.hl7" --ack-dir "$FD/ack"
mkdir -p "$T/syn"
{
	echo 'Id,BIRTHDATE,DEATHDATE,SSN,DRIVERS,PASSPORT,PREFIX,FIRST,LAST,SUFFIX,MAIDEN,MARITAL,RACE,ETHNICITY,GENDER,BIRTHPLACE,ADDRESS,CITY,STATE,COUNTY,ZIP,LAT,LON,HEALTHCARE_EXPENSES,HEALTHCARE_COVERAGE'
	echo "5a1e0a11-0000-4000-8000-00000000leak,1948-05-06,,$SYNSSN,,,,${SYNFIRST}12,${SYNLAST}34,,,,white,nonhispanic,F,Boston  Massachusetts  US,9 Synth Street,Boston,Massachusetts,Suffolk County,02110,42.3,-71.0,1000.00,200.00"
} >"$T/syn/patients.csv"
r synthea tech import synthea "$T/syn"
r find-hl7 desk patient find "$HL7LAST"
shows find-hl7 "the lookup lists the patients found"
r find-syn desk patient find "$SYNLAST"
shows find-syn "the lookup lists the patients found"

# duplicates: a second chart for the marker patient, scanned, verified, merged
r patient-dup desk patient add --last "$LAST" --first "$FIRST" --dob "$DOB" --sex F --force
DUP=$LAST_OUT
r dup-scan tech dup scan
r dup-list tech dup list
shows dup-list "the duplicate worklist names both charts"
PAIR=$(awk -v a="$M" -v b="$DUP" 'index($0, a) && index($0, b) { print $1; exit }' "$OD/dup-list.out")
check "the duplicate pair is listed" test -n "$PAIR"
r dup-show tech dup show "$PAIR"
shows dup-show "the pair's two records side by side, to the technician"
r dup-verify tech dup verify "$PAIR" --note "$DUPNOTE"
r merge-preview tech merge preview "$PAIR" --survivor "$M"
shows merge-preview "the merge preview shows both records"
r merge super merge approve "$PAIR" --survivor "$M"
r merge-list super merge list
shows merge-list "the merge list names the charts merged"

# audit, reports, backup
r audit admin audit show --limit 500
r audit-verify admin audit verify
r report-access super report access "$M"
r report-disc super report disclosures
shows report-disc "the disclosures report names the recipients"
r backup admin backup "$FD/backup.db"
check "the session ran every step" test "$stepfail" -eq 0
touch "$T/session-done"
wait "$JPID" 2>/dev/null
# The markers did reach folio, so a clean search means something.
contains "the lookup finds the marker patient" "$LAST" "$(cat "$OD/find-name.out")"
contains "the HL7 patient was registered" "$HL7LAST" "$(cat "$OD/find-hl7.out")"
contains "the Synthea patient was imported" "$SYNLAST" "$(cat "$OD/find-syn.out")"
contains "the note holds its text" "Zyxnotemarker" "$(cat "$OD/note-show.out")"
contains "the request names its requester" "Requestermarkq" "$(cat "$OD/roi-show.out")"
contains "the patient record shows the SSN's last four" "4329" "$(cat "$OD/show.out")"
check "journal copies were taken during the session" test -n "$(ls "$T/journals")"

# ---- the interface, then the idle lock -------------------------------------
# The memory scanner, built first: the idle lock waits for no compiler.
cat "$T/record.marks" "$T/secret.marks" >"$T/all.marks"
SCAN=""
if [ "$(id -u)" != 0 ]; then
	echo "SKIP leak scan of memory: needs root to read /proc/PID/mem"
elif ! cc -O2 -o "$T/memscan" "$HERE/lib/memscan.c" $(pkg-config --cflags ncursesw 2>/dev/null) 2>"$T/cc.err"; then
	fail "memscan builds: $(head -c 400 "$T/cc.err")"
else
	SCAN=$T/memscan
fi
r lock-config admin config set idle_lock_seconds 8
tm_start 100 30 "$FOLIO --db $DB"
sign_in leakdoc "$PW_M"
tm_wait "Physician menu" 15 || fail "leakdoc menu: $(tm_screen)"
PID=$(tm list-panes -t t -F '#{pane_pid}')
tm_menu_open "Find a patient"
tm_wait "Find" 5
tm_keys "$LAST" Enter
wait_for "the interface finds the marker patient" "$LAST" 10
tm_keys Enter
tm_wait "Open chart" 10
tm_keys o
wait_for "the chart opens" "$ENC" 10
tm_keys D
tm_wait "Progress note" 5
tm_keys Enter
wait_for "the note opens" "Zyxnotemarker" 10

# Positive controls: the scanner finds what is there.  The chart on screen
# is in ncurses' buffers (and the screens' own), so the marker name is found
# now; and a marker in a control process's environment is found there.
if [ -n "$SCAN" ]; then
	"$SCAN" "$PID" "$T/all.marks" >"$T/scan-before" 2>&1
	rc=$?
	check "control: the scan of the open chart exits 1 (hits)" test "$rc" -eq 1
	check "control: the open chart's name is found in memory" grep -q '^HIT name ' "$T/scan-before"
	check "control: the open note's text is found in memory" grep -q '^HIT note ' "$T/scan-before"
	env LEAK_CONTROL="$LAST-control" sleep 60 &
	CPID=$!
	at_exit "kill $CPID 2>/dev/null"
	sleep 0.3
	"$SCAN" "$CPID" "$T/all.marks" >"$T/scan-control" 2>&1
	check "control: a marker in another process's memory is found" grep -q '^HIT name bytes' "$T/scan-control"
	kill "$CPID" 2>/dev/null
fi

# Now leave it: the idle lock fires after 8 s (room for a slow sanitized build to type).
if tm_wait "screen locked" 20; then pass "the idle lock fires"; else fail "no idle lock: $(tm_screen)"; fi
sleep 1
if [ -n "$SCAN" ]; then
	"$SCAN" "$PID" "$T/all.marks" >"$T/scan-locked" 2>&1
	rc=$?
	memhits=$(grep -c '^HIT' "$T/scan-locked")
	memscanned=$(sed -n 's/^scanned \([0-9]*\) bytes.*/\1/p' "$T/scan-locked")
	if [ "$rc" -eq 0 ]; then pass "memory after the idle lock: no marker ($(tail -1 "$T/scan-locked"))"; else
		fail "memory after the idle lock (exit $rc): $(grep -v '^skip' "$T/scan-locked" | head -40)"; fi
	grep '^skip' "$T/scan-locked"
	# Every mapping, the unreadable (PROT_NONE) ones too, read the way root
	# can through /proc/PID/mem: the screens' sealed buffers hold
	# ciphertext, so no marker anywhere.
	"$SCAN" "$PID" "$T/all.marks" --all >"$T/scan-all" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ]; then pass "memory after the idle lock, every mapping as root reads it: no marker"; else
		fail "memory after the idle lock, every mapping (exit $rc): $(grep -v '^skip' "$T/scan-all" | head -40)"; fi
fi
# The same screen comes back after the password.
tm_keys "$PW_M" Enter
wait_for "unlock brings the note back" "Zyxnotemarker" 15

# Half-typed text in the line editor when the lock fires: a new problem.
printf 'half-typed\tHalftypedmarkq\n' >>"$T/all.marks"
tm_keys Escape
tm_wait "Encounters (E)" 2 || { tm_keys Escape; tm_wait "Encounters (E)" 2; }
tm_keys P
tm_wait "Problems: MRN" 5
tm_keys A
tm_wait "Problem:" 5
tm_keys "Halftypedmarkq pleur"
wait_for "the problem text is half typed" "Halftypedmarkq pleur" 5
if tm_wait "screen locked" 20; then pass "the idle lock fires over a half-typed field"; else
	fail "no idle lock: $(tm_screen)"; fi
sleep 1
if [ -n "$SCAN" ]; then
	"$SCAN" "$PID" "$T/all.marks" >"$T/scan-locked2" 2>&1
	rc=$?
	memhits=$((memhits + $(grep -c '^HIT' "$T/scan-locked2")))
	if [ "$rc" -eq 0 ]; then pass "memory after a lock over half-typed text: no marker"; else
		fail "memory after a lock over half-typed text (exit $rc): $(grep -v '^skip' "$T/scan-locked2" | head -40)"; fi
fi
tm_keys "$PW_M" Enter
wait_for "the half-typed text is back after the unlock" "Halftypedmarkq pleur" 15
tm_keys Escape Escape Escape
tm_keys q
sleep 0.5
tm kill-server 2>/dev/null

# ---- the search of files and outputs -------------------------------------------
# hits FILE MARKS: the labels of the markers found in FILE (as bytes).
hits() {
	while IFS="$(printf '\t')" read -r label val; do
		grep -aqF -- "$val" "$1" && printf '%s ' "$label"
	done <"$2"
}
places=0 nmarks=$(wc -l <"$T/all.marks") filehits=0
# no_marker NAME FILE MARKS: a check that FILE holds none of MARKS.
no_marker() {
	places=$((places + 1))
	h=$(hits "$2" "$3")
	if [ -z "$h" ]; then pass "$1"; else
		fail "$1: $h"
		filehits=$((filehits + $(echo $h | wc -w)))
	fi
}
# control: the search finds a marker planted in a file
printf 'x%sx' "$SSN" >"$T/control"
check "control: the file search finds a planted marker" test -n "$(hits "$T/control" "$T/all.marks")"

for f in "$T"/journals/*; do
	no_marker "journal copy $(basename "$f"): no marker" "$f" "$T/all.marks"
done
for f in "$DB" "$DB-journal" "$DB-wal" "$T/init.db" "$T/init.db-journal" "$T/init.db-wal"; do
	[ -e "$f" ] && no_marker "database file $(basename "$f"): no marker" "$f" "$T/all.marks"
done
n=0
for f in $(find "$TMPDIR" -type f); do
	no_marker "temporary file $(basename "$f"): no marker" "$f" "$T/all.marks"
	n=$((n + 1))
done
echo "note: $n files left in TMPDIR"
for f in "$OD"/*.err; do
	no_marker "stderr of $(basename "$f" .err): no marker" "$f" "$T/all.marks"
done
for f in "$OD"/*.out; do
	l=$(basename "$f" .out)
	if [ "$l" = init ]; then
		# init's one print of the recovery key is its purpose
		grep -v '^recovery-key' "$T/secret.marks" >"$T/init.marks"
		cat "$T/record.marks" >>"$T/init.marks"
		no_marker "stdout of init: only the recovery key" "$f" "$T/init.marks"
	elif grep -q "^$l	" "$T/shows"; then
		no_marker "stdout of $l: no secret (it shows the record: $(grep "^$l	" "$T/shows" | cut -f2))" \
			"$f" "$T/secret.marks"
	else
		no_marker "stdout of $l: no marker" "$f" "$T/all.marks"
	fi
done
# Files written: the unsealed packet, the Bundle and the backup carry the
# record (the backup encrypted, so it must hold no marker); the rest nothing.
no_marker "sealed packet: no marker" "$FD/packet.sealed" "$T/all.marks"
no_marker "backup: no marker (encrypted)" "$FD/backup.db" "$T/all.marks"
no_marker "unsealed packet (carries the record): no secret" "$FD/packet.pdf" "$T/secret.marks"
no_marker "FHIR Bundle (carries the record): no secret" "$FD/bundle.json" "$T/secret.marks"
check "control: the FHIR Bundle does hold the name" grep -qF "$LAST" "$FD/bundle.json"
for f in $(find "$FD/deid" "$FD/ack" -type f); do
	no_marker "written $(basename "$f"): no marker" "$f" "$T/all.marks"
done
check "the deid extract wrote files" test -n "$(find "$FD/deid" -type f)"
echo "leak scan: $nmarks markers x $places files and outputs searched, $filehits hits;" \
	"the interface's memory after the idle lock: ${memhits:-not scanned} hits (${memscanned:-0} bytes read)"
