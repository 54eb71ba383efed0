#!/bin/sh
# folio interface: sign-in screen, each role's menu, help, Esc, sign-out,
# quitting (terminal restored), resize.
. "$(dirname "$0")/../lib.sh"

demo_db "$T/d.db"


# menu_title ROLE-TITLE: waits for that menu.
menu_check() {
	if tm_wait "$1 menu" 10; then pass "$2 sees '$1 menu'"; else fail "$2 menu: $(tm_screen)"; fi
}

# sign_out: Esc at the main menu, then Yes.
sign_out() {
	tm_keys Escape
	tm_wait "Sign out? No//" 5 || fail "sign-out prompt: $(tm_screen)"
	tm_keys y Enter
	tm_wait "User name:" 10
}

tm_start 80 24 "$FOLIO --db $T/d.db"
if tm_wait "User name:" 10; then pass "sign-in screen shows"; else fail "sign-in screen: $(tm_screen)"; fi
s=$(tm_screen)
contains "sign-in title" "folio" "$s"
contains "sign-in database path" "$T/d.db" "$s"

# '?' in the empty user-name field is help, not text; any key returns.
tm_keys '?'
tm_wait "Press any key" 5
contains "? on user name shows help" "Your user name" "$(tm_screen)"
tm_keys x
tm_wait_gone "Press any key" 5
s=$(tm_screen)
lacks "help closes on a key" "Your user name" "$s"
lacks "help key not typed" "User name: x" "$s"

# UTF-8 text is echoed whole; ^U clears the field.
tm_keys "josé"
if tm_wait "User name: josé" 5; then pass "UTF-8 typed into a field"; else fail "UTF-8: $(tm_screen)"; fi
tm_keys C-u
tm_wait_gone "josé" 5 && pass "^U clears a field" || fail "^U: $(tm_screen)"

# Colours by default (tmux has them), none under NO_COLOR.
contains "colours when the terminal has them" "[44m" "$(tm capture-pane -e -p -t t)"

# Wrong password: message, and the password is not echoed.
tm_keys desk Enter
tm_wait "Password:" 5
tm_keys not-the-password
s=$(tm_screen)
lacks "password not echoed" "not-the-password" "$s"
tm_keys Enter
if tm_wait "password is wrong" 10; then pass "wrong password message"; else fail "wrong password message: $(tm_screen)"; fi
lacks "no menu after a wrong password" "menu" "$(tm_screen)"

# Each role: its menu title and items; admin-only items absent elsewhere.
sign_in desk "$(demo_password desk)"
menu_check "Front desk" desk
s=$(tm_screen)
contains "desk has Change my password" "Change my password" "$s"
contains "desk has Lock screen" "Lock screen" "$s"
contains "desk has Sign out" "Sign out" "$s"
lacks "desk has no Users" "Users" "$s"
lacks "desk has no Audit log" "Audit log" "$s"
lacks "desk has no Site settings" "Site settings" "$s"
contains "status line: user and role" " desk  Front desk  Patient: none" "$s"
contains "status line: key hints" "? help  Esc back  q quit" "$s"
contains "last sign-in shown once" "sign-in" "$(echo "$s" | tail -2 | head -1)"

# '?' at the menu shows help; any key returns to the menu.
tm_keys '?'
if tm_wait "Press any key" 5; then pass "? shows menu help"; else fail "menu help: $(tm_screen)"; fi
contains "menu help explains items" "Old password once" "$(tm_screen)"
tm_keys Enter
tm_wait_gone "Press any key" 5 && pass "help returns to the menu" || fail "help stays: $(tm_screen)"
lacks "greeting gone after a key" "Last sign-in" "$(tm_screen)"

# Esc at the menu asks; Enter takes the default No.
tm_keys Escape
tm_wait "Sign out? No//" 5 && pass "Esc asks to sign out" || fail "Esc at menu: $(tm_screen)"
tm_keys Enter
tm_wait_gone "Sign out?" 5
contains "Enter keeps the session" "Front desk menu" "$(tm_screen)"
sign_out
contains "signed out back at sign-in" "Signed out" "$(tm_screen)"

sign_in tech "$(demo_password tech)"
menu_check "Records technician" tech
s=$(tm_screen)
lacks "tech has no Users" "Users" "$s"
lacks "tech has no Audit log" "Audit log" "$s"
sign_out

sign_in doctor "$(demo_password doctor)"
menu_check "Physician" doctor
lacks "doctor has no Users" "Users" "$(tm_screen)"
sign_out

sign_in super "$(demo_password super)"
menu_check "HIM supervisor" super
s=$(tm_screen)
contains "supervisor has Users" "Users" "$s"
contains "supervisor has Audit log" "Audit log" "$s"
contains "supervisor has Verify audit chain" "Verify audit chain" "$s"
contains "supervisor has Site settings" "Site settings" "$s"
# The supervisor reads users but may not change them: actions in parentheses.
# (Patient and records items come first, so the number is read from the
# screen; with more than nine items a number only selects, and Enter opens.)
tm_keys "$(tm_screen | grep -m1 '  Users *$' | awk '{ print $1 }')" Enter
tm_wait "User name" 5
contains "supervisor user actions unavailable" "(A Add)" "$(tm_screen)"
tm_keys Escape
tm_wait "HIM supervisor menu" 5 && pass "Esc backs out of a screen" || fail "Esc from users: $(tm_screen)"
sign_out

sign_in admin "$(demo_password admin)"
menu_check "Security officer" admin
s=$(tm_screen)
for item in "Users" "Audit log" "Verify audit chain" "Audit chain head" "Site settings" \
	"Database check" "Change my password" "Lock screen" "Sign out"; do
	contains "admin has $item" "$item" "$s"
done

# Resize: larger redraws the menu to the new width, too small says so,
# and back again.
tm resize-window -t t -x 100 -y 30
sleep 0.5
s=$(tm_screen)
last=$(echo "$s" | sed -n 30p)
contains "resize: menu redrawn" "Security officer menu" "$s"
contains "resize: status on the new last line" "q quit" "$last"
[ "${#last}" -gt 90 ] && pass "resize: status spans 100 columns" || fail "resize: status '$last'"
tm resize-window -t t -x 60 -y 20
tm_wait "needs at least 80x24" 5 && pass "too small a terminal is named" || fail "small: $(tm_screen)"
tm resize-window -t t -x 80 -y 24
tm_wait "Security officer menu" 5 && pass "resize back restores the menu" || fail "resize back: $(tm_screen)"

# q quits from the menu.
tm_keys q
tm_wait_gone "Security officer menu" 10
sleep 0.3
tm kill-server 2>/dev/null

# Each run below gets its own tmux server: a new session on a server that is
# still shutting down fails.
TMUX_SOCK="folio-test-$$-quit"
# Quitting gives the terminal back: echo and canonical mode on.
tm_start 80 24 "sh -c '$FOLIO --db $T/d.db; stty -a > $T/stty; echo EXITED; sleep 2'"
sign_in admin "$(demo_password admin)"
tm_wait "Security officer menu" 10
tm_keys q
if tm_wait EXITED 10; then pass "q leaves folio"; else fail "q: $(tm_screen)"; fi
st=$(cat "$T/stty" 2>/dev/null)
case " $st " in *" echo "*) pass "terminal echo restored" ;; *) fail "echo not restored: $st" ;; esac
case " $st " in *" icanon "*) pass "terminal icanon restored" ;; *) fail "icanon not restored: $st" ;; esac
lacks "terminal no -echo" " -echo " " $st "
lacks "menu gone after exit" "Security officer" "$(tm_screen)"
tm kill-server 2>/dev/null

TMUX_SOCK="folio-test-$$-esc"
# Esc at an empty user name leaves folio from the sign-in screen.
tm_start 80 24 "sh -c '$FOLIO --db $T/d.db; echo EXITED rc=\$?; sleep 2'"
tm_wait "User name:" 10
tm_keys Escape
if tm_wait "EXITED rc=0" 10; then pass "Esc at sign-in leaves folio"; else fail "Esc at sign-in: $(tm_screen)"; fi
tm kill-server 2>/dev/null

TMUX_SOCK="folio-test-$$-term"
# SIGTERM: the session signs out and the terminal comes back.
tm_start 80 24 "sh -c '$FOLIO --db $T/d.db; stty -a > $T/stty2; echo EXITED; sleep 2'"
sign_in admin "$(demo_password admin)"
tm_wait "Security officer menu" 10
sh_pid=$(tm display-message -p -t t '#{pane_pid}')
f_pid=$(pgrep -P "$sh_pid" | head -1)
[ -n "$f_pid" ] && kill -TERM "$f_pid"
if tm_wait EXITED 10; then pass "SIGTERM ends folio"; else fail "SIGTERM: $(tm_screen)"; fi
st=$(cat "$T/stty2" 2>/dev/null)
case " $st " in *" echo "*" icanon "*|*" icanon "*" echo "*) pass "SIGTERM restores the terminal" ;;
*) fail "SIGTERM terminal: $st" ;; esac
out=$(as admin "$T/d.db" audit show --user admin --limit 3 2>&1)
contains "SIGTERM signs the session out (audited)" "session.logout" "$out"
tm kill-server 2>/dev/null

TMUX_SOCK="folio-test-$$-nocolor"
tm_start 80 24 "env NO_COLOR=1 $FOLIO --db $T/d.db"
tm_wait "User name:" 10
s=$(tm capture-pane -e -p -t t)
lacks "NO_COLOR: no colours" "[44m" "$s"
contains "NO_COLOR: title bar in reverse video" "[7m" "$s"
