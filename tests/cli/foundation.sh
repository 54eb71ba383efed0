#!/bin/sh
# folio — the command line of issue 2: init, sign-in, users, lockout,
# password changes, recovery, audit verify/head/show, settings, exit codes.
. "$(dirname "$0")/../lib.sh"

DB="$T/x.db"
PW="correct horse battery"
admin() { FOLIO_PASSWORD="$PW" "$FOLIO" --db "$DB" --user admin "$@"; }

# ---- --version, usage ------------------------------------------------
expect_exit "version exits 0" 0 "$FOLIO" --version
contains "version names SQLite" "SQLite 3." "$OUT"
contains "version names libsodium" "libsodium 1." "$OUT"
contains "version names the journal mode" "journal mode: delete" "$OUT"
expect_exit "unknown command is a usage error" 2 "$FOLIO" --db "$DB" frobnicate
expect_exit "unknown option is a usage error" 2 "$FOLIO" --bogus
expect_exit "missing database is not found" 4 env FOLIO_PASSWORD=x "$FOLIO" --db "$T/none.db" --user admin audit head
check "a failed command created no file" test ! -e "$T/none.db"

# ---- init ------------------------------------------------------------
expect_exit "init refuses a short password" 2 env FOLIO_PASSWORD=short "$FOLIO" --db "$DB" init --admin admin
check "refused init left no database" test ! -e "$DB"
expect_exit "init refuses a bad user name" 2 env FOLIO_PASSWORD="$PW" "$FOLIO" --db "$DB" init --admin 'Bad Name'
FOLIO_PASSWORD="$PW" "$FOLIO" --db "$DB" init --admin admin >"$T/recovery" 2>"$T/init.err"
check "init exits 0" test $? -eq 0
RK=$(cat "$T/recovery")
check "init prints a recovery key on stdout" sh -c "echo '$RK' | grep -Eq '^([0-9A-Z]{5}-){10}[0-9A-Z]{5}$'"
contains "init says the key is shown once" "shown this once" "$(cat "$T/init.err")"
expect_exit "init refuses to overwrite a database" 2 env FOLIO_PASSWORD="$PW" "$FOLIO" --db "$DB" init --admin admin
check "database file is owner-only" sh -c "[ \"\$(stat -c %a '$DB')\" = 600 ]"

# ---- audit verify on a fresh database ---------------------------------
expect_exit "audit verify exits 0" 0 admin audit verify
contains "audit verify reports the entry count" "entries" "$OUT"
expect_exit "audit head exits 0" 0 admin audit head
HEAD=$(admin audit head 2>/dev/null)
check "audit head is SEQ:HASH" sh -c "echo '$HEAD' | grep -Eq '^[0-9]+:[0-9a-f]{64}$'"
expect_exit "verify against an earlier head" 0 admin audit verify --head "$HEAD"
expect_exit "malformed head is a usage error" 2 admin audit verify --head nonsense

# ---- users ------------------------------------------------------------
for r in frontdesk technician supervisor physician; do
	expect_exit "add a $r" 0 env FOLIO_NEW_PASSWORD="pw-for-$r-0001" sh -c \
		"FOLIO_PASSWORD='$PW' '$FOLIO' --db '$DB' --user admin user add u$r --role $r"
done
expect_exit "unknown role refused" 2 env FOLIO_NEW_PASSWORD="pw-for-xx-0001" sh -c \
	"FOLIO_PASSWORD='$PW' '$FOLIO' --db '$DB' --user admin user add ux --role janitor"
expect_exit "short new password refused" 2 env FOLIO_NEW_PASSWORD="short" sh -c \
	"FOLIO_PASSWORD='$PW' '$FOLIO' --db '$DB' --user admin user add uy --role frontdesk"
expect_exit "duplicate user refused" 2 env FOLIO_NEW_PASSWORD="pw-for-frontdesk-0001" sh -c \
	"FOLIO_PASSWORD='$PW' '$FOLIO' --db '$DB' --user admin user add ufrontdesk --role frontdesk"
expect_exit "user list" 0 admin user list
contains "user list has a header" "name	role	state" "$OUT"
contains "user list shows the physician" "uphysician	physician	active" "$OUT"
lacks "refused user was not created" "uy	" "$OUT"
expect_exit "front desk may not add users (denied = 3)" 3 env FOLIO_NEW_PASSWORD="pw-for-zz-00001" \
	FOLIO_PASSWORD="pw-for-frontdesk-0001" "$FOLIO" --db "$DB" --user ufrontdesk user add zz --role admin
expect_exit "front desk may not read the audit log" 3 env FOLIO_PASSWORD="pw-for-frontdesk-0001" \
	"$FOLIO" --db "$DB" --user ufrontdesk audit show
expect_exit "supervisor reads the audit log" 0 env FOLIO_PASSWORD="pw-for-supervisor-0001" \
	"$FOLIO" --db "$DB" --user usupervisor audit show --limit 5
admin audit show --action user.add >"$T/denials" 2>&1
contains "the refused user.add is audited as denied" "ufrontdesk	frontdesk" "$(admin audit show --action user.add 2>/dev/null | grep denied)"

# ---- lockout ----------------------------------------------------------
for i in 1 2 3 4; do
	expect_exit "wrong password $i is denied" 3 env FOLIO_PASSWORD="wrong password $i" \
		"$FOLIO" --db "$DB" --user utechnician audit head
done
expect_exit "fifth wrong password locks (exit 3)" 3 env FOLIO_PASSWORD="wrong password 5" \
	"$FOLIO" --db "$DB" --user utechnician audit head
contains "the lockout says when it lifts" "locked until" "$OUT"
expect_exit "right password refused while locked" 3 env FOLIO_PASSWORD="pw-for-technician-0001" \
	"$FOLIO" --db "$DB" --user utechnician config list
contains "locked message" "locked until" "$OUT"
contains "lockout is audited" "account.lockout" "$(admin audit show --action account. 2>/dev/null)"
contains "user list shows the lockout" "utechnician	technician	locked-out" "$(admin user list 2>/dev/null)"
expect_exit "admin unlocks" 0 admin user unlock utechnician
expect_exit "unlocked user signs in" 3 env FOLIO_PASSWORD="pw-for-technician-0001" \
	"$FOLIO" --db "$DB" --user utechnician config list
lacks "after unlock the denial is policy, not the lock" "locked" "$OUT"
expect_exit "admin lock" 0 admin user lock uphysician
expect_exit "admin-locked user is refused" 3 env FOLIO_PASSWORD="pw-for-physician-0001" \
	"$FOLIO" --db "$DB" --user uphysician audit head
contains "admin lock message" "security officer" "$OUT"
expect_exit "admin unlock again" 0 admin user unlock uphysician
expect_exit "unknown user to unlock is not found" 4 admin user unlock nobody
expect_exit "admin cannot lock itself" 2 admin user lock admin

# ---- password change ------------------------------------------------------
expect_exit "supervisor changes own password" 0 env FOLIO_PASSWORD="pw-for-supervisor-0001" \
	FOLIO_NEW_PASSWORD="new-supervisor-pass" "$FOLIO" --db "$DB" --user usupervisor user passwd
expect_exit "old password stops working" 3 env FOLIO_PASSWORD="pw-for-supervisor-0001" \
	"$FOLIO" --db "$DB" --user usupervisor audit head
expect_exit "new password works and keys still open" 0 env FOLIO_PASSWORD="new-supervisor-pass" \
	"$FOLIO" --db "$DB" --user usupervisor audit verify
expect_exit "admin resets another user's password" 0 env FOLIO_NEW_PASSWORD="reset-by-admin-01" \
	FOLIO_PASSWORD="$PW" "$FOLIO" --db "$DB" --user admin user passwd ufrontdesk
expect_exit "reset password signs in" 3 env FOLIO_PASSWORD="reset-by-admin-01" \
	"$FOLIO" --db "$DB" --user ufrontdesk audit head
lacks "reset password is accepted (denial is policy)" "password is wrong" "$OUT"
expect_exit "non-admin may not reset others" 3 env FOLIO_NEW_PASSWORD="sneaky-password-1" \
	FOLIO_PASSWORD="new-supervisor-pass" "$FOLIO" --db "$DB" --user usupervisor user passwd uphysician

# ---- recovery -----------------------------------------------------------
expect_exit "mistyped recovery key refused" 2 env FOLIO_RECOVERY_KEY="$(echo "$RK" | tr 0-9A-Z 1-9A-Z0)" \
	FOLIO_NEW_PASSWORD="recovered-admin-1" "$FOLIO" --db "$DB" recover --user admin
expect_exit "admin password still the old one after a refused recovery" 0 admin audit head
expect_exit "recovery key sets a new admin password" 0 env FOLIO_RECOVERY_KEY="$RK" \
	FOLIO_NEW_PASSWORD="recovered-admin-1" "$FOLIO" --db "$DB" recover --user admin
expect_exit "old admin password stops working" 3 admin audit head
PW="recovered-admin-1"
expect_exit "recovered admin signs in" 0 admin audit verify
contains "recovery is audited" "account.recover" "$(admin audit show --action account.recover 2>/dev/null)"
expect_exit "the earlier head is still in the chain" 0 admin audit verify --head "$HEAD"

# ---- settings -------------------------------------------------------------
expect_exit "config list" 0 admin config list
contains "config lists idle_lock_seconds" "idle_lock_seconds	600" "$OUT"
expect_exit "config set in range" 0 admin config set lockout_threshold 3
expect_exit "config get" 0 admin config get lockout_threshold
contains "config get shows the new value" "3" "$OUT"
expect_exit "config set out of range" 2 admin config set lockout_threshold 0
expect_exit "config set not a number" 2 admin config set idle_lock_seconds soon
expect_exit "config set unknown" 4 admin config set colour red
expect_exit "supervisor may not change settings" 3 env FOLIO_PASSWORD="new-supervisor-pass" \
	"$FOLIO" --db "$DB" --user usupervisor config set lockout_threshold 9

# ---- integrity, backup --------------------------------------------------------
expect_exit "db check" 0 admin db check
contains "db check says ok" "ok" "$OUT"
contains "db check opens every encrypted field" "encrypted fields open" "$OUT"
# two charts' fields swapped behind folio's back: well-formed to SQLite, but
# each field is bound to its row, and db check opens every one
DC="$T/dc.db"
demo_db "$DC" 20
expect_exit "db check on the demo" 0 as super "$DC" db check
sqlite3 "$DC" "UPDATE patients SET card = (SELECT card FROM patients ORDER BY id DESC LIMIT 1)
	WHERE id = (SELECT min(id) FROM patients)"
expect_exit "db check finds a field moved to another row" 1 as super "$DC" db check
contains "it names the table, column and row" "patients.card of row" "$OUT"
lacks "it does not say ok" "ok" "$OUT"
check "the failed check is audited" test "$(sqlite3 "$DC" \
	"SELECT outcome FROM audit_log WHERE action = 'db.check' ORDER BY seq DESC LIMIT 1")" = failed
expect_exit "backup" 0 admin backup "$T/backup.db"
expect_exit "backup never overwrites" 2 admin backup "$T/backup.db"
expect_exit "the backup opens and verifies" 0 env FOLIO_PASSWORD="$PW" "$FOLIO" --db "$T/backup.db" --user admin audit verify

# ---- tampering --------------------------------------------------------------
cp "$DB" "$T/t1.db"
sqlite3 "$T/t1.db" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET object_id = 'someone' WHERE seq = 5;"
expect_exit "an edited audit row fails verify" 1 env FOLIO_PASSWORD="$PW" "$FOLIO" --db "$T/t1.db" --user admin audit verify
contains "verify names the edited row" "row 5" "$OUT"
cp "$DB" "$T/t2.db"
sqlite3 "$T/t2.db" "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 7;"
expect_exit "a deleted audit row fails verify" 1 env FOLIO_PASSWORD="$PW" "$FOLIO" --db "$T/t2.db" --user admin audit verify
contains "verify names the deleted row" "row 7" "$OUT"
cp "$DB" "$T/t3.db"
last=$(sqlite3 "$T/t3.db" "SELECT max(seq) FROM audit_log")
sqlite3 "$T/t3.db" "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = $last;"
expect_exit "a deleted last row fails verify" 1 env FOLIO_PASSWORD="$PW" "$FOLIO" --db "$T/t3.db" --user admin audit verify
contains "verify names the deleted last row" "row $last" "$OUT"
OUT=$(sqlite3 "$DB" "UPDATE audit_log SET reason = 'x' WHERE seq = 1" 2>&1)
contains "triggers refuse edits to the audit log" "append-only" "$OUT"
OUT=$(sqlite3 "$DB" "DELETE FROM audit_log WHERE seq = 1" 2>&1)
contains "triggers refuse deletes from the audit log" "append-only" "$OUT"
printf 'not a database at all, just text\n%.0s' 1 2 3 4 5 6 7 8 9 >"$T/junk.db"
expect_exit "a non-database file is refused" 1 env FOLIO_PASSWORD="$PW" "$FOLIO" --db "$T/junk.db" --user admin audit head
contains "clear message for a non-database" "not a folio database" "$OUT"
check "the refused file is unchanged" grep -q "just text" "$T/junk.db"

# ---- nothing secret in the file or the output ---------------------------------
for f in "$DB" "$T/backup.db"; do
	for secret in "$PW" "correct horse battery" "new-supervisor-pass" "reset-by-admin-01" "$RK" \
		"$(echo "$RK" | tr -d -)"; do
		if grep -qaF -- "$secret" "$f"; then fail "secret in $(basename "$f"): $secret"; else pass "no secret in $(basename "$f")"; fi
	done
done
ls "$T"/*.db-journal "$T"/*.db-wal >/dev/null 2>&1 && fail "a journal was left behind" || pass "no journal left behind"

# Nothing folio printed (every command's stdout and stderr above) holds a
# password; the recovery key appears only where init printed it.
for secret in "correct horse battery" "recovered-admin-1" "new-supervisor-pass" "reset-by-admin-01" \
	"pw-for-technician-0001" "wrong password 5" "$RK"; do
	if grep -qaF -- "$secret" "$T/all-output"; then fail "folio printed a secret: $secret"; else pass "output free of a secret"; fi
done
check "the output log is not empty" test -s "$T/all-output"
