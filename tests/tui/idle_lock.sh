#!/bin/sh
# folio interface: the idle lock blanks the screen, shows nothing of the user
# or their work, and the password brings back the very same screen (scroll
# position, half-typed text).  A lockout at the lock screen ends the session.
. "$(dirname "$0")/../lib.sh"

demo_db "$T/d.db"
as admin "$T/d.db" config set idle_lock_seconds 5 >/dev/null 2>&1 ||
	fail "config set idle_lock_seconds"
# Some rows to scroll through, so the position is worth checking.
for i in 1 2 3 4 5 6; do as super "$T/d.db" user list >/dev/null 2>&1; done


# lock_screen_clean NAME: the lock screen shows and nothing of the session.
lock_screen_clean() {
	if tm_wait "screen locked" 15; then pass "$1: screen locks when idle"; else
		fail "$1: no lock: $(tm_screen)"; return; fi
	s=$(tm_screen)
	contains "$1: lock screen asks for the password" "Password:" "$s"
	lacks "$1: lock hides the user name" "admin" "$s"
	lacks "$1: lock hides the role" "Security officer" "$s"
	lacks "$1: lock hides the status line" "Patient:" "$s"
	lacks "$1: lock hides audit rows" "session.login" "$s"
	lacks "$1: lock hides the screen title" "Audit log" "$s"
}

tm_start 80 24 "$FOLIO --db $T/d.db"
sign_in admin "$(demo_password admin)"
tm_wait "Security officer menu" 10 || fail "admin menu: $(tm_screen)"

# The audit log, scrolled down a few rows, then left alone.
tm_keys 2
tm_wait "session.login" 5 || fail "audit log: $(tm_screen)"
tm_keys Down Down Down
sleep 0.3
before=$(tm_screen)
contains "audit position shown" "4 of" "$before"
lock_screen_clean "audit log"

# A wrong password: a message, still locked, still nothing shown.
tm_keys wrong-password-here Enter
if tm_wait "Wrong password" 10; then pass "wrong unlock password refused"; else
	fail "wrong unlock: $(tm_screen)"; fi
s=$(tm_screen)
lacks "refusal names no one" "admin" "$s"
lacks "unlock password not echoed" "wrong-password-here" "$s"

tm_keys "$(demo_password admin)" Enter
tm_wait_gone "screen locked" 10
sleep 0.3
after=$(tm_screen)
if [ "$before" = "$after" ]; then pass "unlock restores the same audit screen"; else
	fail "unlock restored something else: $after"; fi

# Half-typed text in a form survives the lock.
tm_keys F
tm_wait "Audit log filter" 5 || fail "filter form: $(tm_screen)"
tm_keys sup
tm_wait "User: sup" 5
lock_screen_clean "filter form"
lacks "filter form: typed text hidden while locked" "sup" "$(tm_screen)"
tm_keys "$(demo_password admin)" Enter
if tm_wait "User: sup" 10; then pass "typed text back after unlock"; else
	fail "typed text lost: $(tm_screen)"; fi
tm_keys er Enter Enter Enter Enter Enter
if tm_wait "user=super" 5; then pass "form goes on after unlock"; else
	fail "filter after unlock: $(tm_screen)"; fi

# The lock itself is audited, and so is the unlock.
out=$(as admin "$T/d.db" audit show --action session. --limit 20 2>&1)
contains "lock audited" "session.lock" "$out"
contains "unlock audited" "session.unlock" "$out"

# "Lock screen" from the menu locks at once.
tm_keys Escape
tm_wait "Security officer menu" 5
tm_keys 8
if tm_wait "screen locked" 3; then pass "Lock screen item locks"; else fail "Lock screen: $(tm_screen)"; fi
tm_keys Escape
if tm_wait "Sign the locked session out? No//" 5; then pass "Esc at the lock offers sign-out"; else
	fail "Esc at lock: $(tm_screen)"; fi
tm_keys Enter
tm_wait_gone "Sign the locked" 5
contains "No keeps the screen locked" "screen locked" "$(tm_screen)"
tm_keys "$(demo_password admin)" Enter
tm_wait "Security officer menu" 10 && pass "unlock returns to the menu" ||
	fail "after Lock screen: $(tm_screen)"
tm_keys q
tm kill-server 2>/dev/null

# Lockout at the lock screen: the session ends and sign-in comes back.
as admin "$T/d.db" config set lockout_threshold 2 >/dev/null 2>&1 ||
	fail "config set lockout_threshold"
TMUX_SOCK="folio-test-$$-lockout"
tm_start 80 24 "$FOLIO --db $T/d.db"
sign_in desk "$(demo_password desk)"
tm_wait "Front desk menu" 10 || fail "desk menu: $(tm_screen)"
tm_keys 4
tm_wait "Current password" 5 || fail "desk password form: $(tm_screen)"
tm_wait "screen locked" 15 || fail "desk lock: $(tm_screen)"
lacks "desk lock hides the user" "desk" "$(tm_screen)"
tm_keys bad-one Enter
tm_wait "Wrong password" 10
tm_keys bad-two Enter
if tm_wait "Session ended" 10; then pass "lockout at the lock screen ends the session"; else
	fail "lockout: $(tm_screen)"; fi
s=$(tm_screen)
contains "back at sign-in after lockout" "User name:" "$s"
lacks "no form left after lockout" "Current password" "$s"
out=$(as admin "$T/d.db" user list 2>&1 | grep '^desk')
contains "desk listed" "desk" "$out"
lacks "desk is locked out" "active" "$out"
