#!/bin/sh
# folio interface: the admin and supervisor screens do what they say, each
# checked afterwards through the command line: users (add, lock, unlock,
# reset), change my password, site settings, audit log filters, chain
# verification and head; the database check (and on a damaged copy, the
# field it names); field help with '?', '^' to back out.
. "$(dirname "$0")/../lib.sh"

demo_db "$T/d.db"
cp "$T/d.db" "$T/bad.db" # damaged for the database check at the end
sqlite3 "$T/bad.db" "UPDATE patients SET card = (SELECT card FROM patients ORDER BY id DESC LIMIT 1)
	WHERE id = (SELECT min(id) FROM patients)"


tm_start 80 24 "$FOLIO --db $T/d.db"
sign_in admin "$(demo_password admin)"
wait_for "admin signs in" "Security officer menu" 10

# ---- Users ------------------------------------------------------------
tm_keys 1
wait_for "users screen" "A Add  L Lock"
s=$(tm_screen)
for u in admin desk doctor super tech; do contains "users lists $u" " $u " "$s"; done
tm_keys '?'
wait_for "users help" "add a user"
popup_close

tm_keys a
wait_for "add user form" "Add a user"
tm_keys '?'
wait_for "user name field help on ?" "1 to 32 characters"
popup_close
tm_keys 'Bad Name' Enter
wait_for "bad user name refused" "starts with a letter"
lacks "bad name not kept" "User name: Bad Name" "$(tm_screen)"
tm_keys C-u nurse1 Enter
wait_for "role asked" "Role:"
tm_keys '?'
wait_for "role help lists roles" "technician"
popup_close
tm_keys 2 Enter
wait_for "role by number" "Role: Records technician"
tm_keys short Enter
wait_for "short password refused" "12"
tm_keys nurse-one-password Enter
wait_for "password asked again" "New password again:"
tm_keys nurse-one-passwore Enter
wait_for "different passwords refused" "differ"
tm_keys nurse-one-password Enter
tm_wait "New password again:" 5
tm_keys nurse-one-password Enter
wait_for "user added" "User nurse1 added (Records technician)" 10
contains "new user in the list" " nurse1 " "$(tm_screen)"
out=$(as admin "$T/d.db" user list 2>&1)
contains "new user stored with its role" "nurse1	technician" "$out"

# Row 4 is nurse1 (name order: admin desk doctor nurse1 super tech).
tm_keys 4 l
wait_for "lock asks first" "Lock user nurse1? No//"
tm_keys y Enter
wait_for "user locked" "User nurse1 locked"
contains "list shows the lock" "locked by admin" "$(tm_screen)"
out=$(as admin "$T/d.db" user list 2>&1 | grep '^nurse1')
lacks "lock stored" "active" "$out"
tm_keys u
wait_for "unlock asks first" "Unlock user nurse1? No//"
tm_keys Enter
tm_wait_gone "Unlock user" 5
lacks "No is the default" "unlocked" "$(tm_screen)"
tm_keys u
tm_wait "Unlock user nurse1? No//" 5
tm_keys yes Enter
wait_for "user unlocked" "User nurse1 unlocked"

tm_keys r
wait_for "reset form" "Reset password: nurse1"
tm_keys nurse-two-password Enter
tm_wait "New password again:" 5
tm_keys nurse-two-password Enter
wait_for "password reset" "New password set for nurse1" 10
FOLIO_PASSWORD=nurse-two-password FOLIO_NEW_PASSWORD=nurse-three-password \
	expect_exit "reset password works for sign-in" 0 "$FOLIO" --db "$T/d.db" --user nurse1 user passwd

tm_keys Enter
wait_for "user details" "User details"
contains "details show the role name" "technician" "$(tm_screen)"
popup_close
tm_keys '^'
wait_for "^ backs out of users" "Security officer menu"

# ---- Database check --------------------------------------------------------
tm_keys 6
wait_for "database check reports" "integrity and foreign keys ok" 10
contains "database check counts the fields it opened" "encrypted fields open" "$(tm_screen)"
popup_close
tm_wait "Security officer menu" 5
contains "database check is audited" "db.check	ok" "$(as admin "$T/d.db" audit show --action db.check 2>/dev/null)"

# ---- Change my password ----------------------------------------------------
tm_keys 7
wait_for "password form" "Current password:"
tm_keys F1
wait_for "F1 help in a password field" "signed in with today"
popup_close
tm_keys not-my-password Enter
tm_wait "New password:" 5
tm_keys admin-new-password Enter
tm_wait "New password again:" 5
tm_keys admin-new-password Enter
wait_for "wrong current password refused" "current password is wrong" 10
tm_keys 7
tm_wait "Current password:" 5
tm_keys "$(demo_password admin)" Enter
tm_wait "New password:" 5
tm_keys Escape
wait_for "Esc goes back a question" "Current password:"
tm_keys "$(demo_password admin)" Enter
tm_wait "New password:" 5
tm_keys admin-new-password Enter
tm_wait "New password again:" 5
tm_keys admin-new-password Enter
wait_for "password changed" "Your password is changed" 10
FOLIO_PASSWORD=admin-new-password expect_exit "new password signs in" 0 \
	"$FOLIO" --db "$T/d.db" --user admin audit head
expect_exit "old password refused" 3 as admin "$T/d.db" audit head

# ---- Site settings ---------------------------------------------------------
tm_keys 5
wait_for "settings screen" "idle_lock_seconds"
contains "settings show defaults" "lockout_threshold" "$(tm_screen)"
tm_keys 3 Enter
wait_for "setting prompt with default" "New value for idle_lock_seconds: 600//"
tm_keys '?'
wait_for "setting help" "from 5 to 86400"
popup_close
tm_keys 3 Enter
wait_for "out of range refused" "Not changed"
tm_keys Enter
tm_wait "New value for idle_lock_seconds" 5
tm_keys 900 Enter
wait_for "setting changed" "idle_lock_seconds is now 900"
out=$(FOLIO_PASSWORD=admin-new-password "$FOLIO" --db "$T/d.db" --user admin config get idle_lock_seconds 2>&1)
contains "setting stored" "900" "$out"
tm_keys Escape
tm_wait "Security officer menu" 5

# ---- Audit log -------------------------------------------------------------
tm_keys 2
wait_for "audit screen" "F Filter"
tm_keys f
wait_for "audit filter form" "Audit log filter"
tm_keys Enter user.add Enter Enter xyz Enter
wait_for "bad date refused" "Not a date"
tm_keys T Enter Enter
wait_for "filter applied" "action=user.add"
s=$(tm_screen)
contains "filter: since today" "since=$(date -u +%Y-%m-%d)" "$s"
contains "filtered rows shown" "nurse1" "$s"
lacks "other actions filtered out" "session.login" "$s"
tm_keys f
tm_wait "Audit log filter" 5
tm_keys Enter @ Enter Enter @ Enter Enter
wait_for "filter cleared with @" "Filter: none"
tm_keys Enter
wait_for "audit entry details" "Audit entry"
contains "details show the workstation" "Workstation:" "$(tm_screen)"
popup_close
tm_keys v
wait_for "verify from the audit screen" "The audit chain holds" 10
contains "verify counts entries" "Entries checked:" "$(tm_screen)"
popup_close
tm_keys h
wait_for "chain head" "Audit chain head"
hash=$(tm_screen | sed -n 's/.*Hash: \([0-9a-f]*\).*/\1/p' | head -1)
[ "${#hash}" -eq 64 ] && pass "head shows a 64-digit hash" || fail "head hash '$hash'"
popup_close
tm_keys Escape
tm_wait "Security officer menu" 5
tm_keys 3
wait_for "verify from the menu" "The audit chain holds" 10
popup_close
tm_keys q
tm kill-server 2>/dev/null

# ---- Supervisor: reads settings, may not change them -----------------------
TMUX_SOCK="folio-test-$$-super"
tm_start 80 24 "$FOLIO --db $T/d.db"
sign_in super "$(demo_password super)"
wait_for "supervisor signs in" "HIM supervisor menu" 10
# Patient and records items come first and grow with each feature: take
# Site settings' number from the screen; with more than nine items a number
# selects and Enter opens.
tm_keys "$(tm_screen | grep -m1 '  Site settings *$' | awk '{ print $1 }')" Enter
wait_for "supervisor reads settings" "idle_lock_seconds"
contains "change shown unavailable" "(Enter Change)" "$(tm_screen)"
tm_keys Enter
wait_for "supervisor change refused" "may not change site settings"
tm_keys q

# ---- Database check on a damaged file --------------------------------------
# a chart's card moved to another row: SQLite sees nothing wrong, the check
# opens every field and says which one does not
# (the copy was taken before this test changed admin's password)
TMUX_SOCK="folio-test-$$-check"
tm_start 80 24 "$FOLIO --db $T/bad.db"
sign_in admin "$(demo_password admin)"
wait_for "admin signs in to the damaged file" "Security officer menu" 10
tm_keys 6
wait_for "database check fails" "Database check FAILED" 20
contains "it names the field" "patients.card of row" "$(tm_screen)"
popup_close
tm_keys q
