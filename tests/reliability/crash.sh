#!/bin/sh
# folio — crash safety (issue 9).  Four writers (registration, a note filed,
# saved and signed, an HL7 import, an outpatient visit and its coding) run
# at once; two folio commands in three, chosen at random, are SIGKILLed
# after a random 1..D ms, D being how long that command last took
# (lib/crash_writers.sh), until CRASH_KILLS kills (200; `make crash` runs
# 1,000 on the plain build).  Every CRASH_CHECK_EVERY kills, and at the
# end, with the writers stopped: PRAGMA integrity_check is ok, `audit
# verify`, `db check` (which opens every encrypted field) and `note
# verify` pass, every chart decrypts and has its index rows, every signed note has its signature, and every write a
# writer saw exit 0 is there; at the end each one is read back through
# folio (patient show, note show, coding show).  Then bad storage: a full
# disk (a small tmpfs, root only), a read-only file and a read-only folder
# (as nobody through setpriv when root), a truncated file, junk in the
# middle, on a table's root page and over the header, a hot journal
# (refused read-only, rolled back on the next open) and a deleted hot
# journal: each a clear message, a non-zero exit, no sanitizer report and
# nothing committed lost.  The "crash summary:" line is the README's figure.
#   CRASH_KILLS (200)  CRASH_CHECK_EVERY (100)  CRASH_TIME_LIMIT (300 s of killing)
#   CRASH_MAX_MS (300: the first deadline, before a command has finished)
here=$(dirname "$0")
. "$here/../lib.sh"
. "$here/lib/crash_writers.sh"

KILLS=${CRASH_KILLS:-200}
EVERY=${CRASH_CHECK_EVERY:-100}
LIMIT=${CRASH_TIME_LIMIT:-300}
started=$(date +%s)
DB="$T/crash.db"
W="$T/w"
mkdir -p "$W"
demo_db "$DB" 12
# eight charts that are neither restricted nor test patients
as tech "$DB" patient find --all 2>/dev/null | awk -F'\t' 'NR > 1 && $8 == 0 && $9 == 0 { print $1 }' |
	head -n 8 >"$T/pool"
NOTE_POOL=$(sed -n 1,4p "$T/pool" | tr '\n' ' ')
CODING_POOL=$(sed -n 5,8p "$T/pool" | tr '\n' ' ')
check "eight demo charts for the writers" test "$(wc -l <"$T/pool")" -eq 8
for k in patient note import coding; do : >"$W/$k.kills"; : >"$W/$k.confirmed"; : >"$W/$k.runs"; : >"$W/$k.err"; done

integrity_failures=0 audit_failures=0 checks=0
sq() { sqlite3 -cmd ".timeout 10000" "$DB" "$@"; }
no_report() { ! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|SUMMARY: |^ *#[0-9]+ 0x' "$@"; }

# db_checks LABEL: the database as the writers left it.  folio opens it
# first, so folio (not the sqlite3 shell) rolls back what the last kill left.
db_checks() {
	checks=$((checks + 1))
	as tech "$DB" patient find --all >"$T/all" 2>"$T/all.err"
	check "$1: every chart decrypts (patient find --all)" test $? -eq 0
	if as super "$DB" audit verify >"$T/av" 2>&1; then pass "$1: audit verify"; else
		fail "$1: audit verify: $(head -c 300 "$T/av")"
		audit_failures=$((audit_failures + 1))
	fi
	ic=$(sq "PRAGMA integrity_check" 2>&1)
	if [ "$ic" = ok ]; then pass "$1: PRAGMA integrity_check"; else
		fail "$1: PRAGMA integrity_check: $(printf %s "$ic" | head -c 300)"
		integrity_failures=$((integrity_failures + 1))
	fi
	expect_exit "$1: db check" 0 as admin "$DB" db check
	expect_exit "$1: note verify (every signed note's signature)" 0 as super "$DB" note verify
	rows=$(($(wc -l <"$T/all") - 1))
	n=$(sq "SELECT count(*) FROM patients")
	check "$1: the chart list holds every patient row ($rows of $n)" test "$rows" -eq "$n"
	half=$(sq "SELECT count(*) FROM patients p WHERE NOT EXISTS (SELECT 1 FROM patient_index i WHERE i.patient_id = p.id)
		OR NOT EXISTS (SELECT 1 FROM patient_cards c WHERE c.patient_id = p.id)")
	check "$1: no chart without its index rows" test "$half" = 0
	half=$(sq "SELECT count(*) FROM documents d WHERE d.status = 'completed' AND NOT EXISTS
		(SELECT 1 FROM signatures s WHERE s.document_id = d.id AND s.role = 'author')")
	check "$1: no note marked signed without its signature" test "$half" = 0
	# confirmed writes, in bulk: charts by MRN and by name, notes and visits by id
	missing=$(awk -F'\t' 'NR == FNR { have[$1] = 1; next } !($1 in have) { print $1 }' "$T/all" \
		FS=' ' "$W/patient.confirmed" | head -n 5 | tr '\n' ' ')
	check "$1: every confirmed registration is listed${missing:+ (missing $missing)}" test -z "$missing"
	missing=$(awk -F'\t' 'NR == FNR { have[$2] = 1; next } { for (i = 1; i <= 3; i++) if (!($i in have)) print $i }' \
		"$T/all" FS=' ' "$W/import.confirmed" | head -n 5 | tr '\n' ' ')
	check "$1: every patient of a confirmed import is listed${missing:+ (missing $missing)}" test -z "$missing"
	: >"$T/notes"
	for m in $NOTE_POOL; do as tech "$DB" note list "$m" --all 2>/dev/null >>"$T/notes"; done
	missing=$(awk -F'\t' 'NR == FNR { st[$1] = $3; next }
		$1 == "new" && !($2 in st) { print $2 } $1 == "sign" && st[$2] != "completed" { print $2 "=" st[$2] }' \
		"$T/notes" FS=' ' "$W/note.confirmed" | head -n 5 | tr '\n' ' ')
	check "$1: every confirmed note is listed, every signed one completed${missing:+ (not: $missing)}" test -z "$missing"
	: >"$T/encs"
	for m in $CODING_POOL; do as tech "$DB" encounter list "$m" 2>/dev/null >>"$T/encs"; done
	missing=$(awk -F'\t' 'NR == FNR { have[$1] = 1; next } $1 == "visit" && !($2 in have) { print $2 }' \
		"$T/encs" FS=' ' "$W/coding.confirmed" | head -n 5 | tr '\n' ' ')
	check "$1: every confirmed visit is listed${missing:+ (missing $missing)}" test -z "$missing"
}

kills() { cat "$W"/*.kills | wc -l; }
start_writers() {
	rm -f "$W/stop"
	writer_patient & wp1=$!
	writer_note "$NOTE_POOL" & wp2=$!
	writer_import & wp3=$!
	writer_coding "$CODING_POOL" & wp4=$!
}
stop_writers() { touch "$W/stop"; wait "$wp1" "$wp2" "$wp3" "$wp4"; }
at_exit 'touch "$W/stop"; wait'

# ---- the kills ---------------------------------------------------------
next=$EVERY timed_out=0
start_writers
while [ "$(kills)" -lt "$KILLS" ]; do
	sleep 1
	if [ $(($(date +%s) - started)) -gt "$LIMIT" ]; then timed_out=1; break; fi
	if [ "$(kills)" -ge "$next" ] && [ "$next" -lt "$KILLS" ]; then
		stop_writers
		db_checks "after $(kills) kills"
		next=$((next + EVERY))
		start_writers
	fi
done
stop_writers
killing=$(($(date +%s) - started))
total_kills=$(kills)
check "$KILLS kills within ${LIMIT}s ($total_kills)" test "$timed_out" = 0
for k in patient note import coding; do
	check "the $k writer was killed and also finished ($(wc -l <"$W/$k.kills") kills, $(grep -c . "$W/$k.confirmed") writes)" \
		test -s "$W/$k.kills" -a -s "$W/$k.confirmed"
done
check "no sanitizer report from any killed or finished writer" no_report "$W"/*.err
lacks "no writer saw a damaged database" "damaged" "$(cat "$W"/*.err)"
lacks "no writer saw SQLite's own error text" "disk image is malformed" "$(cat "$W"/*.err)"
lacks "no writer was kept waiting by a lock a killed one held" "busy" "$(cat "$W"/*.err)"
# a write that fails on its own (not killed) is a finding too: a likely
# duplicate (random names make one rare) is the one expected refusal
cat "$W"/*.failed 2>/dev/null | grep -v "likely duplicate" | head -n 5 >"$T/failed"
check "no write failed unless killed$(sed 's/^/; /' "$T/failed" | tr -d '\n')" test ! -s "$T/failed"
db_checks "after all $total_kills kills"

# ---- every confirmed write, read back one by one --------------------------
# Three readers at once (charts, notes, coding); each adds the number of
# writes it read back, one line per chart or note or coding, to $T/ok.
confirmed=$(cat "$W"/*.confirmed | wc -l)
: >"$T/ok"
bad_write() { fail "confirmed write lost or unreadable: $*"; }
read_charts() {
	while read -r mrn last first; do
		out=$(as tech "$DB" patient show "$mrn" 2>&1 </dev/null)
		case "$out" in *"last	$last"*"first	$first"*) echo 1 >>"$T/ok" ;; *) bad_write "patient $mrn" ;; esac
	done <"$W/patient.confirmed"
	while read -r l1 l2 l3 first; do
		for l in "$l1" "$l2" "$l3"; do
			mrn=$(awk -F'\t' -v l="$l" '$2 == l { print $1; exit }' "$T/all")
			out=$(as tech "$DB" patient show "${mrn:-none}" 2>&1 </dev/null)
			case "$out" in *"last	$l"*"first	$first"*) ;; *) bad_write "imported patient $l ($mrn)"; continue 2 ;; esac
		done
		echo 1 >>"$T/ok"
	done <"$W/import.confirmed"
}
read_notes() {
	awk '$1 == "new" { print $2 }' "$W/note.confirmed" | while read -r id; do
		tag=$(awk -v i="$id" '$1 == "new" && $2 == i { print $4 }' "$W/note.confirmed")
		n=$(awk -v i="$id" '$2 == i' "$W/note.confirmed" | wc -l)
		out=$(as tech "$DB" note show "$id" 2>&1 </dev/null) || { bad_write "note $id"; continue; }
		good=1
		case "$out" in *"Progress: $tag "*) ;; *) good=0 ;; esac
		if grep -q "^edit $id " "$W/note.confirmed"; then case "$out" in *"$tag final"*) ;; *) good=0 ;; esac; fi
		if grep -q "^sign $id " "$W/note.confirmed"; then
			case "$out" in *"status	completed"*"signed_by	doctor"*) ;; *) good=0 ;; esac
		fi
		if [ "$good" = 1 ]; then echo "$n" >>"$T/ok"; else bad_write "note $id: $(printf %s "$out" | head -c 300)"; fi
	done
}
read_coding() {
	grep -c '^visit ' "$W/coding.confirmed" >>"$T/ok" # each listed by db_checks
	while read -r what enc pdx sdx; do
		[ "$what" = coding ] || continue
		out=$(as tech "$DB" coding show "$enc" 2>&1 </dev/null)
		case "$out" in *"pdx	0	$pdx	"*"sdx	1	$sdx	Y"*) echo 1 >>"$T/ok" ;; *) bad_write "coding of $enc" ;; esac
	done <"$W/coding.confirmed"
}
read_charts & r1=$!
read_notes & r2=$!
read_coding & r3=$!
wait "$r1" "$r2" "$r3"
verified=$(awk '{ s += $1 } END { print s + 0 }' "$T/ok")
check "every confirmed write is read back ($verified of $confirmed)" test "$verified" -eq "$confirmed"
check "the integrity check never failed" test "$integrity_failures" = 0
check "audit verify never failed" test "$audit_failures" = 0
duration=$(($(date +%s) - started))
echo "crash summary: $total_kills kills, $confirmed writes confirmed, $verified verified," \
	"$integrity_failures integrity failures, $audit_failures audit verify failures ($checks checks)," \
	"${duration}s (${killing}s of kills)"

# ---- bad storage -------------------------------------------------------
MRN=$(head -n 1 "$W/patient.confirmed" | cut -d' ' -f1)
LAST=$(head -n 1 "$W/patient.confirmed" | cut -d' ' -f2)
clean() { # clean NAME: the last command's output ($OUT) is a message, not a trace or PHI
	lacks "$1: no sanitizer report" "runtime error" "$OUT"
	check "$1: no stack trace" no_report "$T/out"
	lacks "$1: no SQLite error text" "disk image is malformed" "$OUT"
	lacks "$1: no name in the message" "$LAST" "$OUT"
}
sum() { cksum <"$1"; }

# (a) a full disk: a tmpfs just big enough for the database, then filled.
FD="$T/full"
mkdir -p "$FD"
if [ "$(id -u)" = 0 ] &&
	mount -t tmpfs -o size=$(($(stat -c %s "$DB") / 1024 + 512))k tmpfs "$FD" 2>/dev/null; then
	at_exit "umount '$FD' 2>/dev/null"
	cp "$DB" "$FD/f.db"
	dd if=/dev/zero of="$FD/fill" bs=4096 2>/dev/null
	expect_exit "full disk: a registration fails" 1 as desk "$FD/f.db" patient add --last Fullerton --first Ada \
		--dob 1950-01-02 --sex F
	contains "full disk: the message says so" "disk is full" "$OUT"
	clean "full disk"
	lacks "full disk: the refused name is not echoed" "Fullerton" "$OUT"
	expect_exit "full disk: a note fails too" 1 sh -c "echo text | FOLIO_PASSWORD=demo-doctor-pass '$FOLIO' \
		--db '$FD/f.db' --user doctor note new $(head -n 1 "$T/pool") --type progress --author doctor"
	contains "full disk: the note's message says so" "disk is full" "$OUT"
	rm -f "$FD/fill"
	expect_exit "full disk: once space is freed, the chart registered before reads" 0 as tech "$FD/f.db" patient show "$MRN"
	expect_exit "full disk: nothing of the refused registration was kept" 4 as desk "$FD/f.db" patient find "fullerton,ada"
	check "full disk: integrity_check ok after" test "$(sqlite3 "$FD/f.db" 'PRAGMA integrity_check')" = ok
	expect_exit "full disk: audit verify after" 0 as super "$FD/f.db" audit verify
	umount "$FD"
else
	echo "SKIP full disk: cannot mount tmpfs here"
fi

# (b) a read-only file.  As root chmod stops nothing, so folio runs as
# nobody (setpriv) on a 0444 file in a directory nobody may write to;
# without root, chmod alone.
RO="$T/ro"
mkdir -p "$RO"
cp "$DB" "$RO/r.db"
chmod 0444 "$RO/r.db"
before=$(sum "$RO/r.db")
RUN="" RO_FOLIO="$FOLIO"
if [ "$(id -u)" != 0 ]; then RUN="env"
elif command -v setpriv >/dev/null 2>&1; then
	chmod 0711 "$T"
	chmod 0777 "$RO"
	RUN="setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=$RO"
	# nobody may not reach the binary where the checkout is (a clone in a
	# 0700 folder): a copy beside the database
	mkdir -p "$T/bin"
	cp "$FOLIO" "$T/bin/folio"
	chmod 0755 "$T/bin" "$T/bin/folio"
	RO_FOLIO="$T/bin/folio"
fi
if [ -n "$RUN" ]; then
	expect_exit "read-only file: a registration fails" 1 $RUN FOLIO_PASSWORD=demo-desk-pass "$RO_FOLIO" --db "$RO/r.db" \
		--user desk patient add --last Readonly --first Ada --dob 1950-01-03 --sex F
	contains "read-only file: the message says so" "read-only" "$OUT"
	clean "read-only file"
	check "read-only file: the file is unchanged" test "$(sum "$RO/r.db")" = "$before"
	chmod 0644 "$RO/r.db"
	expect_exit "read-only file: made writable, the chart reads" 0 as tech "$RO/r.db" patient show "$MRN"
	expect_exit "read-only file: nothing of the refused registration was kept" 4 as desk "$RO/r.db" patient find "readonly,ada"
	# a writable file in a folder folio may not write: no journal can be made
	chmod 0666 "$RO/r.db"
	chmod 0555 "$RO"
	expect_exit "read-only folder: a registration fails" 1 $RUN FOLIO_PASSWORD=demo-desk-pass "$RO_FOLIO" --db "$RO/r.db" \
		--user desk patient add --last Readonly --first Ada --dob 1950-01-03 --sex F
	contains "read-only folder: the message names the folder" "folder holding the database is read-only" "$OUT"
	clean "read-only folder"
	chmod 0755 "$RO"
	chmod 0700 "$T"
else
	echo "SKIP read-only file: root without setpriv"
fi

# (c) damaged files: truncated to half, junk in the middle, junk on the
# patients table's root page, junk over the header.
# damaged NAME FILE: db check says so; the damage SQLite reports is the
# same after folio's commands as before (the audit row of a refused or
# failed command may still be added beside it).
ic_lines() { sqlite3 "$1" "PRAGMA integrity_check" 2>&1 | grep -vc '^ok$'; }
damaged() {
	ic_before=$(ic_lines "$2")
	expect_exit "$1: db check fails" 1 as admin "$2" db check
	contains "$1: db check says the file is damaged" "damaged" "$OUT"
	clean "$1: db check"
	check "$1: no new damage after folio ran" test "$(ic_lines "$2")" -le "$ic_before"
}
cp "$DB" "$T/trunc.db"
truncate -s $(($(stat -c %s "$DB") / 2)) "$T/trunc.db"
before=$(sum "$T/trunc.db")
damaged "truncated" "$T/trunc.db"
expect_exit "truncated: reading a chart fails" 1 as tech "$T/trunc.db" patient show "$MRN"
contains "truncated: it says the file is damaged" "damaged" "$OUT"
expect_exit "truncated: a registration fails" 1 as desk "$T/trunc.db" patient add --last Halfway --first Ada --dob 1950-01-04
contains "truncated: the registration says why" "damaged" "$OUT"
clean "truncated registration"
check "truncated: folio refused it at open, the file is unchanged" test "$(sum "$T/trunc.db")" = "$before"

PAGE=$(sq "PRAGMA page_size")
pages=$(($(stat -c %s "$DB") / PAGE))
# the first page in use at or after the middle (a free page holds nothing to damage)
mid=$(sq "SELECT min(pageno) FROM dbstat WHERE pageno >= $((pages / 2))" 2>/dev/null)
[ -n "$mid" ] || mid=$((pages / 2))
cp "$DB" "$T/mid.db"
head -c "$PAGE" /dev/urandom | dd of="$T/mid.db" bs="$PAGE" seek=$((mid - 1)) conv=notrunc 2>/dev/null
damaged "junk in the middle (page $mid of $pages)" "$T/mid.db"

root=$(sq "SELECT rootpage FROM sqlite_schema WHERE name = 'patients'")
cp "$DB" "$T/root.db"
head -c "$PAGE" /dev/urandom | dd of="$T/root.db" bs="$PAGE" seek=$((root - 1)) conv=notrunc 2>/dev/null
damaged "junk on the patients table" "$T/root.db"
before=$(ic_lines "$T/root.db")
expect_exit "junk on the patients table: the chart list fails" 1 as tech "$T/root.db" patient find --all
contains "junk on the patients table: it says the file is damaged" "damaged" "$OUT"
clean "junk on the patients table"
expect_exit "junk on the patients table: a registration fails" 1 as desk "$T/root.db" patient add --last Rooted \
	--first Ada --dob 1950-01-05
contains "junk on the patients table: the registration says why" "damaged" "$OUT"
check "junk on the patients table: no new damage after the refused commands" test "$(ic_lines "$T/root.db")" -le "$before"

cp "$DB" "$T/head.db"
head -c 100 /dev/urandom | dd of="$T/head.db" conv=notrunc 2>/dev/null
before=$(sum "$T/head.db")
expect_exit "junk over the header: refused" 1 as tech "$T/head.db" patient show "$MRN"
contains "junk over the header: not a folio database" "damaged or is not a folio database" "$OUT"
clean "junk over the header"
check "junk over the header: the file is unchanged" test "$(sum "$T/head.db")" = "$before"

# (d) journals.  folio's transactions fit in its 32 MiB page cache, so it
# writes the database file only inside COMMIT: too narrow a window to hit
# on purpose (the kills above land there now and then, and the next open
# rolls back).  Here the killed writer is the sqlite3 shell with a
# two-page cache, inside an open transaction that gave every chart the
# next one's card: its journal is hot and the database file holds the
# uncommitted pages.
hot_journal() { # hot_journal FILE: leaves FILE with a hot journal
	rm -f "$1" "$1-journal" "$T/fifo" "$T/ready"
	cp "$DB" "$1"
	mkfifo "$T/fifo"
	sqlite3 "$1" <"$T/fifo" >"$T/ready" 2>&1 &
	sp=$!
	exec 3>"$T/fifo"
	printf "PRAGMA cache_size = 2;\nBEGIN IMMEDIATE;\n%s\n%s\nSELECT 'ready';\n" \
		"UPDATE patients SET updated_at = updated_at || 'x', card = (SELECT p.card FROM patients p
			WHERE p.id > patients.id ORDER BY p.id LIMIT 1) WHERE id < (SELECT max(id) FROM patients);" \
		"DELETE FROM patient_index WHERE key % 2 = 0;" >&3
	i=0
	while [ "$i" -lt 100 ] && ! grep -q ready "$T/ready"; do sleep 0.1; i=$((i + 1)); done
	kill -KILL "$sp"
	wait "$sp" 2>/dev/null
	exec 3>&-
	! grep -q -i error "$T/ready" && od -An -tx1 -N8 "$1-journal" 2>/dev/null | grep -q 'd9 d5 05 f9 20 a1 63 d7'
}
if hot_journal "$T/hot.db"; then
	pass "hot journal: a writer killed inside its transaction leaves one"
	cp "$T/hot.db" "$T/nojournal.db" # the file alone: what is left when the journal goes
	spilled=$(sqlite3 "$T/nojournal.db" "SELECT count(*) FROM patients WHERE updated_at LIKE '%x'")
	check "hot journal: the database file holds uncommitted pages ($spilled charts)" test "${spilled:-0}" -gt 0
	if [ -n "$RUN" ]; then # read-only, the journal cannot be played back: folio says so
		rm -f "$RO"/r.db*
		cp "$T/hot.db" "$RO/r.db"
		cp "$T/hot.db-journal" "$RO/r.db-journal"
		chmod 0444 "$RO/r.db"
		chmod 0666 "$RO/r.db-journal"
		chmod 0777 "$RO"
		chmod 0711 "$T"
		expect_exit "hot journal on a read-only file: refused" 1 $RUN FOLIO_PASSWORD=demo-tech-pass "$RO_FOLIO" \
			--db "$RO/r.db" --user tech patient find --all
		contains "hot journal on a read-only file: it says the write must be rolled back" "must be rolled back" "$OUT"
		clean "hot journal on a read-only file"
		chmod 0700 "$T"
		chmod 0644 "$RO/r.db"
		expect_exit "hot journal on a read-only file: made writable, it rolls back" 0 as tech "$RO/r.db" patient show "$MRN"
	fi
	expect_exit "hot journal: the next open rolls back, every chart decrypts" 0 as tech "$T/hot.db" patient find --all
	check "hot journal: every chart is listed" test "$(grep -c . "$T/out")" -eq "$(grep -c . "$T/all")"
	check "hot journal: the journal is gone" test ! -e "$T/hot.db-journal"
	check "hot journal: integrity_check ok" test "$(sqlite3 "$T/hot.db" 'PRAGMA integrity_check')" = ok
	check "hot journal: nothing uncommitted is left" \
		test "$(sqlite3 "$T/hot.db" "SELECT count(*) FROM patients WHERE updated_at LIKE '%x'")" = 0
	expect_exit "hot journal: the first confirmed chart reads" 0 as tech "$T/hot.db" patient show "$MRN"
	expect_exit "hot journal: audit verify" 0 as super "$T/hot.db" audit verify
	# Without its journal SQLite cannot roll back: the file's b-trees stay
	# well formed (integrity_check ok), but the half-written cards are
	# there.  Each card is an authenticated envelope bound to its row, so
	# folio refuses to show one rather than show garbage.
	expect_exit "deleted hot journal: the chart list refuses the half-written cards" 1 \
		as tech "$T/nojournal.db" patient find --all
	contains "deleted hot journal: it says a field was altered or moved" "altered or moved" "$OUT"
	clean "deleted hot journal"
	ic=$(sqlite3 "$T/nojournal.db" 'PRAGMA integrity_check' 2>&1 | head -n 1)
	echo "  deleted hot journal: integrity_check says '$ic'; untouched records still read:"
	# db check opens every field, so it fails even where SQLite says ok
	expect_exit "deleted hot journal: db check fails" 1 as super "$T/nojournal.db" db check
	if [ "$ic" = ok ]; then
		contains "deleted hot journal: db check names a field that does not open" "does not decrypt" "$OUT"
		clean "deleted hot journal: db check"
	fi
	expect_exit "deleted hot journal: a chart's demographics (not in the spilled pages) read" 0 \
		as tech "$T/nojournal.db" patient show "$MRN"
	expect_exit "deleted hot journal: audit verify (the audit log was not in the transaction)" 0 \
		as super "$T/nojournal.db" audit verify
else
	fail "hot journal: the killed sqlite3 shell left no hot journal"
fi
