#!/bin/sh
# folio — issue 9, backup, restore, rotation: `backup` under writer load is
# one consistent copy; `restore` checks a backup before it replaces
# anything and refuses bad ones leaving the live database alone; `rekey`
# rotates a key class, survives SIGKILL at random moments with every field
# readable in between, and finishes when run again; a password change and a
# recovery-key reset leave every field readable.
. "$(dirname "$0")/../lib.sh"

sq() { sqlite3 -cmd ".timeout 10000" "$@"; }
# The data a restore or rotation must not change, as one checksum (the
# audit log and the users' sign-in columns move with every command).
data_sum() {
	sq "$1" "SELECT * FROM patients ORDER BY id; SELECT * FROM patient_cards ORDER BY 1, 2;
		SELECT * FROM documents ORDER BY id; SELECT * FROM clinical_items ORDER BY id;
		SELECT * FROM user_keys ORDER BY 1, 2, 3; SELECT * FROM key_versions ORDER BY 1, 2" | md5sum
}
# Envelopes of class $2 on a version below $3 in any BLOB column (key
# wraps, signing keys, box keys and offers are not field envelopes).
old_envelopes() {
	total=0
	for tc in $(sq "$1" "SELECT m.name || '.' || p.name FROM sqlite_schema m, pragma_table_info(m.name) p
			WHERE m.type = 'table' AND p.type = 'BLOB'
			AND m.name NOT IN ('user_keys', 'recovery_keys', 'signing_keys', 'users', 'key_offers')"); do
		n=$(sq "$1" "SELECT count(*) FROM ${tc%.*} WHERE substr(${tc#*.}, 1, 2) = x'010$2'
			AND substr(${tc#*.}, 3, 4) < x'0000000$3'")
		total=$((total + n))
	done
	echo "$total"
}

# ==== backup under load ===================================================
DB="$T/live.db"
"$FOLIO" --db "$DB" demo --patients 60 >"$T/demo.out" 2>&1 || { echo "FAIL demo database"; exit 1; }
RK=$(sed -n 's/^recovery key: //p' "$T/demo.out")
check "the demo printed a recovery key" test -n "$RK"
NOTE_MRN=$(as desk "$DB" patient find --all | sed -n 2p | cut -f1)

# writer W: registers patients and files notes until $T/stop exists; each
# write the command confirmed goes to its log (MRN or note id) at once.
writer() {
	w=$1 i=0
	while [ ! -e "$T/stop" ]; do
		i=$((i + 1))
		m=$(as desk "$DB" patient add --last "Loadw$w" --first "Run$i" --dob 1970-01-01 --sex F --force 2>/dev/null) &&
			echo "$m" >>"$T/w$w.patients"
		n=$(printf 'load note w%s-%s\n' "$w" "$i" | as tech "$DB" note new "$NOTE_MRN" --type progress \
			--author doctor 2>/dev/null) && echo "$n w$w-$i" >>"$T/w$w.notes"
	done
}
for w in 1 2 3; do : >"$T/w$w.patients"; : >"$T/w$w.notes"; writer $w & eval "W$w=\$!"; done
at_exit "touch '$T/stop'; kill $W1 $W2 $W3 2>/dev/null"
# let the writers get going, then note what they confirmed before the copy
for _ in $(seq 1 100); do
	[ "$(cat "$T"/w*.patients | wc -l)" -ge 6 ] && break
	sleep 0.2
done
cat "$T"/w*.patients >"$T/before.patients"
cat "$T"/w*.notes >"$T/before.notes"
expect_exit "backup while three writers run" 0 as admin "$DB" backup "$T/b1.db"
sleep 1
touch "$T/stop"
wait $W1 $W2 $W3
check "the writers confirmed writes before the backup" test "$(wc -l <"$T/before.patients")" -ge 2
check "the writers kept writing after it" test "$(cat "$T"/w*.patients | wc -l)" -gt "$(wc -l <"$T/before.patients")"
check "the backup is owner-only (0600)" test "$(stat -c %a "$T/b1.db")" = 600
check "no temporary file is left beside the backup" sh -c "! ls '$T'/b1.db.tmp-* 2>/dev/null | grep -q ."
expect_exit "a backup never overwrites a file" 2 as admin "$DB" backup "$T/b1.db"
expect_exit "backup is for the admin only" 3 as tech "$DB" backup "$T/b2.db"
check "a refused backup wrote nothing" test ! -e "$T/b2.db"

# checks on a copy of the backup itself
cp "$T/b1.db" "$T/copy.db"
expect_exit "the copy passes the integrity check" 0 as admin "$T/copy.db" db check
expect_exit "the copy's audit chain verifies" 0 as admin "$T/copy.db" audit verify
as desk "$T/copy.db" patient find --all >"$T/copy.find" 2>/dev/null
missing=0
for m in $(cat "$T/before.patients"); do grep -q "^$m	" "$T/copy.find" || missing=$((missing + 1)); done
check "every patient confirmed before the backup is in it ($(wc -l <"$T/before.patients"))" test "$missing" -eq 0
missing=0
while read -r id tag; do
	as tech "$T/copy.db" note show "$id" 2>/dev/null | grep -q "load note $tag" || missing=$((missing + 1))
done <"$T/before.notes"
check "every note confirmed before the backup is in it and reads ($(wc -l <"$T/before.notes"))" test "$missing" -eq 0

# ==== restore: bad backups are refused, the live database stays =========
LIVE="$T/restore-live.db"
cp "$DB" "$LIVE"
head -c 40000 "$T/b1.db" >"$T/bad-truncated.db"
cp "$T/b1.db" "$T/bad-page.db"
psize=$(sq "$T/b1.db" "PRAGMA page_size")
head -c "$psize" /dev/zero | tr '\0' '\377' | dd of="$T/bad-page.db" bs="$psize" seek=3 conv=notrunc 2>/dev/null
cp "$T/b1.db" "$T/bad-envelopes.db"
sq "$T/bad-envelopes.db" "UPDATE patients SET demographics = CAST(substr(demographics, 1, 40) ||
	x'00' || substr(demographics, 42) AS BLOB)" # one ciphertext byte of every row
cp "$T/b1.db" "$T/bad-chain.db"
sq "$T/bad-chain.db" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET reason = 'edited' WHERE seq = 3"
sq "$T/bad-other.db" "CREATE TABLE t (x); INSERT INTO t VALUES (1)"
echo "not a database at all" >"$T/bad-text.db"
: >"$T/bad-empty.db"
before=$(data_sum "$LIVE")
for b in truncated page envelopes chain other text empty; do
	expect_exit "restore refuses a $b backup" 1 as admin "$LIVE" restore "$T/bad-$b.db"
	contains "the refusal names the $b backup" "bad-$b.db" "$OUT"
	check "the live data is unchanged after the $b backup" test "$(data_sum "$LIVE")" = "$before"
done
expect_exit "restore of a missing file is not found" 4 as admin "$LIVE" restore "$T/none.db"
check "no before-restore file after refusals" sh -c "! ls '$LIVE'.before-restore-* 2>/dev/null | grep -q ."
check "no temporary copy left after refusals" sh -c "! ls '$LIVE'.tmp-* 2>/dev/null | grep -q ."
expect_exit "restore is for the admin only" 3 as super "$LIVE" restore "$T/b1.db"
expect_exit "a wrong password does not restore" 3 env FOLIO_PASSWORD=wrong-password-1 "$FOLIO" --db "$LIVE" \
	--user admin restore "$T/b1.db"
expect_exit "live still opens after the refusals" 0 as admin "$LIVE" audit verify

# ==== restore of the good backup =========================================
live_sum=$(md5sum <"$LIVE")
expect_exit "restore of the backup made under load" 0 as admin "$LIVE" restore "$T/b1.db"
contains "restore says where the old database went" "before-restore-" "$OUT"
kept=$(ls "$LIVE".before-restore-* 2>/dev/null | head -1)
check "the replaced database is kept" test -n "$kept"
check "the kept database is owner-only" test "$(stat -c %a "$kept")" = 600
check "the restored database is owner-only" test "$(stat -c %a "$LIVE")" = 600
check "the live file now differs from before" test "$(md5sum <"$LIVE")" != "$live_sum"
expect_exit "the restored database passes the integrity check" 0 as admin "$LIVE" db check
expect_exit "the restored database's audit chain verifies" 0 as admin "$LIVE" audit verify
expect_exit "the restore is in the restored audit log" 0 as admin "$LIVE" audit show --action db.restore
contains "its audit row names the backup file" "b1.db" "$OUT"
as desk "$LIVE" patient find --all >"$T/restored.find" 2>/dev/null
missing=0
for m in $(cat "$T/before.patients"); do grep -q "^$m	" "$T/restored.find" || missing=$((missing + 1)); done
check "every write confirmed before the backup is in the restored database" test "$missing" -eq 0
check "the restored patients are the backup's" test "$(wc -l <"$T/restored.find")" -eq "$(wc -l <"$T/copy.find")"
expect_exit "the kept database still opens" 0 as admin "$kept" audit verify

# ==== rekey, killed at random moments and resumed ========================
K="$T/rekey.db"
"$FOLIO" --db "$K" demo --patients 300 >"$T/kdemo.out" 2>&1 || { echo "FAIL demo database"; exit 1; }
KRK=$(sed -n 's/^recovery key: //p' "$T/kdemo.out")
as desk "$K" patient find --all >"$T/k.find" 2>/dev/null
M1=$(sed -n 2p "$T/k.find" | cut -f1)
M2=$(sed -n 100p "$T/k.find" | cut -f1)
as tech "$K" patient show "$M1" >"$T/k.show1" 2>/dev/null
as tech "$K" patient show "$M2" >"$T/k.show2" 2>/dev/null
NOTE=$(printf 'rotation marker note\n' | as tech "$K" note new "$M1" --type progress --author doctor 2>/dev/null)
check "a patient show and a note to compare" test -s "$T/k.show1" -a -n "$NOTE"
check "demographics envelopes are on version 1 before" test "$(old_envelopes "$K" 1 2)" -gt 300
expect_exit "rekey index is refused" 2 as admin "$K" rekey index
contains "it says why" "blind indexes" "$OUT"
expect_exit "rekey of an unknown class is refused" 2 as admin "$K" rekey bogus
expect_exit "rekey is for the admin only" 3 as tech "$K" rekey demographics

reads_ok() { # every field still reads, the chain holds
	as desk "$K" patient find --all >"$T/k.now" 2>/dev/null && cmp -s "$T/k.find" "$T/k.now" &&
		as tech "$K" patient show "$M2" 2>/dev/null | cmp -s "$T/k.show2" - &&
		as tech "$K" note show "$NOTE" 2>/dev/null | grep -q "rotation marker note" &&
		as admin "$K" audit verify >/dev/null 2>&1
}
# what is left on version 1 of the three biggest demographics columns (one
# cheap query, so a run is caught in the act)
left() {
	sq "$K" "SELECT (SELECT count(*) FROM patients WHERE substr(demographics, 3, 4) < x'00000002') +
		(SELECT count(*) FROM patients WHERE substr(card, 3, 4) < x'00000002') +
		(SELECT count(*) FROM patient_cards WHERE substr(card, 3, 4) < x'00000002')"
}
# a first kill blind, somewhere in the sign-in or the start of the rotation
FOLIO_PASSWORD=demo-admin-pass "$FOLIO" --db "$K" --user admin rekey demographics --batch 1 >/dev/null 2>&1 &
pid=$!
sleep "0.$(awk 'BEGIN { srand(); printf "%d", rand() * 4 }')"
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
check "every field reads after a kill during the start" reads_ok
kills=0 mid=0 prev=$(left) round=0
while [ "$round" -lt 8 ] && [ "$mid" -lt 3 ]; do
	round=$((round + 1))
	FOLIO_PASSWORD=demo-admin-pass "$FOLIO" --db "$K" --user admin rekey demographics --batch 1 \
		>/dev/null 2>"$T/rekey.err" &
	pid=$!
	# poll until this run has resealed something, then kill it a random
	# moment later (up to ~0.9 s): anywhere in a batch, its commit included
	for _ in $(seq 1 2000); do
		now=$(left 2>/dev/null)
		[ -n "$now" ] && [ "$now" -lt "$prev" ] && break
		kill -0 "$pid" 2>/dev/null || break
	done
	sleep "0.$(awk 'BEGIN { srand(); printf "%03d", rand() * 900 }')"
	if kill -9 "$pid" 2>/dev/null; then
		kills=$((kills + 1))
		wait "$pid" 2>/dev/null
	else
		wait "$pid" 2>/dev/null
		echo "note: rekey run $round ended by itself (exit $?): $(cat "$T/rekey.err")"
	fi
	now=$(left)
	[ "$now" -gt 0 ] && [ "$now" -lt "$prev" ] && mid=$((mid + 1))
	check "every field reads after kill $round ($now envelopes left on version 1)" reads_ok
	prev=$now
	[ "$now" -lt 150 ] && break # leave some for the run that finishes it
done
check "the kills landed in the middle of the rotation ($mid of $kills)" test "$mid" -ge 2
expect_exit "rekey run again finishes the rotation" 0 as admin "$K" rekey demographics
contains "it says it finished an interrupted one" "rotation finished" "$OUT"
check "no demographics envelope is left on version 1" test "$(old_envelopes "$K" 1 2)" -eq 0
check "version 1 is retired" test "$(sq "$K" "SELECT retired_at IS NOT NULL FROM key_versions WHERE class = 1 AND version = 1")" = 1
check "version 2 is current" test "$(sq "$K" "SELECT max(version) FROM key_versions WHERE class = 1")" = 2
check "every field reads after the rotation" reads_ok
expect_exit "the doctor signs in and reads a chart" 0 as doctor "$K" patient show "$M1"
as doctor "$K" patient show "$M1" 2>/dev/null | diff -q - "$T/k.show1" >/dev/null
check "the doctor's copy of the chart matches" test $? -eq 0
check "the users who signed in took their key offers" \
	test "$(sq "$K" "SELECT count(*) FROM key_offers o JOIN users u ON u.id = o.recipient WHERE u.name IN ('desk', 'tech', 'doctor', 'admin')")" = 0
check "the supervisor's offer waits for her sign-in" \
	test "$(sq "$K" "SELECT count(*) FROM key_offers o JOIN users u ON u.id = o.recipient WHERE u.name = 'super'")" = 1

# clinical, straight through
expect_exit "rekey clinical" 0 as admin "$K" rekey clinical
check "no clinical envelope is left on version 1" test "$(old_envelopes "$K" 2 2)" -eq 0
check "clinical envelopes were there to reseal" test "$(sq "$K" "SELECT count(*) FROM clinical_items WHERE substr(body, 1, 6) = x'010200000002'")" -gt 0
expect_exit "the note reads after the clinical rotation" 0 as doctor "$K" note show "$NOTE"
contains "with its text" "rotation marker note" "$OUT"
expect_exit "the audit chain verifies after both rotations" 0 as super "$K" audit verify
expect_exit "the rotation is audited" 0 as admin "$K" audit show --action key.rotate.done
contains "the finish names the class" "clinical" "$OUT"
expect_exit "a second rotation makes version 3" 0 as admin "$K" rekey demographics
check "every field reads after a second rotation" reads_ok

# ==== password change and recovery reset =================================
expect_exit "the doctor changes her password" 0 env FOLIO_PASSWORD=demo-doctor-pass \
	FOLIO_NEW_PASSWORD=doctor-after-rotation-1 "$FOLIO" --db "$K" --user doctor user passwd
expect_exit "with the new password the doctor reads the chart" 0 env FOLIO_PASSWORD=doctor-after-rotation-1 \
	"$FOLIO" --db "$K" --user doctor patient show "$M2"
check "the same chart as before" sh -c "diff -q '$T/k.show2' '$T/out' >/dev/null"
expect_exit "and the note" 0 env FOLIO_PASSWORD=doctor-after-rotation-1 "$FOLIO" --db "$K" --user doctor \
	note show "$NOTE"
contains "the note's text" "rotation marker note" "$OUT"
expect_exit "the old password no longer works" 3 as doctor "$K" patient show "$M2"

expect_exit "recovery reset of the supervisor" 0 env FOLIO_RECOVERY_KEY="$KRK" \
	FOLIO_NEW_PASSWORD=super-recovered-pass-1 "$FOLIO" --db "$K" recover --user super
check "the recovery key took its key offers" test "$(sq "$K" "SELECT count(*) FROM key_offers WHERE recipient = 0")" = 0
check "the recovery key now wraps demographics version 3" \
	test "$(sq "$K" "SELECT count(*) FROM recovery_keys WHERE class = 1 AND version = 3")" = 1
expect_exit "the supervisor finds every patient" 0 env FOLIO_PASSWORD=super-recovered-pass-1 "$FOLIO" --db "$K" \
	--user super patient find --all
check "the same list as before the rotations" sh -c "diff -q '$T/k.find' '$T/out' >/dev/null"
expect_exit "the supervisor reads the note" 0 env FOLIO_PASSWORD=super-recovered-pass-1 "$FOLIO" --db "$K" \
	--user super note show "$NOTE"
contains "the note's text for the supervisor" "rotation marker note" "$OUT"
expect_exit "recovery of the admin too" 0 env FOLIO_RECOVERY_KEY="$KRK" \
	FOLIO_NEW_PASSWORD=admin-recovered-pass-1 "$FOLIO" --db "$K" recover --user admin
expect_exit "the recovered admin verifies the chain" 0 env FOLIO_PASSWORD=admin-recovered-pass-1 "$FOLIO" \
	--db "$K" --user admin audit verify
expect_exit "the recovered admin can rotate again" 0 env FOLIO_PASSWORD=admin-recovered-pass-1 "$FOLIO" \
	--db "$K" --user admin rekey sensitive
expect_exit "the front desk still finds everyone" 0 as desk "$K" patient find --all
check "the same list at the end" sh -c "diff -q '$T/k.find' '$T/out' >/dev/null"

# the backup of a rotated database restores with every field readable
expect_exit "backup of the rotated database" 0 env FOLIO_PASSWORD=admin-recovered-pass-1 "$FOLIO" --db "$K" \
	--user admin backup "$T/k-backup.db"
cp "$K" "$T/k-live.db"
expect_exit "and its restore over a copy" 0 env FOLIO_PASSWORD=admin-recovered-pass-1 "$FOLIO" \
	--db "$T/k-live.db" --user admin restore "$T/k-backup.db"
expect_exit "the restored rotated database reads" 0 as desk "$T/k-live.db" patient find --all
check "the same list after the restore" sh -c "diff -q '$T/k.find' '$T/out' >/dev/null"
