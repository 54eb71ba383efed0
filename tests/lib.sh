# folio — shared helpers for the shell and tmux tests.  Source it; each
# check prints "PASS name" or "FAIL name: why"; tests/run.sh counts them.
#
#   FOLIO    the binary under test (absolute path)
#   T        a private scratch directory, removed at exit

: "${FOLIO:?FOLIO must name the folio binary}"
T=$(mktemp -d "${TMPDIR:-/tmp}/folio-test.XXXXXX")
export HOME="$T/home" XDG_DATA_HOME="$T/xdg" TZ=UTC LC_ALL=C.UTF-8
mkdir -p "$HOME"
unset FOLIO_DB FOLIO_PASSWORD FOLIO_NEW_PASSWORD FOLIO_RECOVERY_KEY
_cleanups=""
at_exit() { _cleanups="$_cleanups
$*"; }
trap 'eval "$_cleanups"; rm -rf "$T"' EXIT

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; }

# check NAME COMMAND...: passes when COMMAND succeeds.
check() { name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }

# expect_exit NAME CODE COMMAND...: runs COMMAND (stdout+stderr into $OUT)
# and passes when it exits with CODE.
expect_exit() {
	name=$1 want=$2; shift 2
	"$@" >"$T/out" 2>&1; got=$?
	OUT=$(cat "$T/out")
	cat "$T/out" >>"$T/all-output" # for the leak checks at the end of a test
	if [ "$got" = "$want" ]; then pass "$name"; else fail "$name: exit $got, wanted $want: $(head -c 400 "$T/out")"; fi
}

# contains NAME NEEDLE HAYSTACK
contains() {
	case "$3" in *"$2"*) pass "$1" ;; *) fail "$1: '$2' not in: $(printf %s "$3" | head -c 600)" ;; esac
}
lacks() {
	case "$3" in *"$2"*) fail "$1: '$2' found" ;; *) pass "$1" ;; esac
}

# need_codesets NAME: sets CODESETS to the shared code sets beside the
# repository (../shared/codesets); when they are absent, prints the SKIP line
# of test NAME and ends the test.
need_codesets() {
	CODESETS="$(cd "$(dirname "$0")/../../.." && pwd)/shared/codesets"
	if [ ! -d "$CODESETS/msdrg_v43" ]; then
		echo "SKIP $1: skipped: ../shared/codesets not found"
		exit 0
	fi
}

# A demo database with one user per role: admin, desk, tech, super, doctor;
# passwords demo-NAME-pass.
# demo_db PATH [PATIENTS]: the demo database (500 patients unless given).
demo_db() { "$FOLIO" --db "$1" demo --patients "${2:-500}" >/dev/null 2>&1 || { echo "FAIL demo database"; exit 1; }; }
demo_password() { echo "demo-$1-pass"; }

# as USER DB ARGS...: runs folio as a demo user.
as() { u=$1 d=$2; shift 2; FOLIO_PASSWORD=$(demo_password "$u") "$FOLIO" --db "$d" --user "$u" "$@"; }

# ---- tmux ------------------------------------------------------------
# A private tmux server per test file.
TMUX_SOCK="folio-test-$$"
tm() { tmux -L "$TMUX_SOCK" -f /dev/null "$@"; }
# tm_start COLS ROWS COMMAND: starts a session "t" running COMMAND.
tm_start() {
	cols=$1 rows=$2; shift 2
	at_exit "tmux -L $TMUX_SOCK kill-server 2>/dev/null"
	tm new-session -d -s t -x "$cols" -y "$rows" "$*"
	tm set-option -t t remain-on-exit on >/dev/null
}
# tm_restart COLS ROWS CMD...: a fresh program in session t.  The new
# session comes up before the old one goes, so the tmux server never runs
# out of sessions and exits while the test talks to it.
tm_restart() {
	cols=$1 rows=$2; shift 2
	tm new-session -d -s next -x "$cols" -y "$rows" "$*"
	tm set-option -t next remain-on-exit on >/dev/null
	tm kill-session -t t 2>/dev/null
	tm rename-session -t next t
}
tm_keys() { tm send-keys -t t "$@"; }
# tm_menu_open LABEL: opens a menu item by its label, whatever its number
# (a number opens at once in a short menu; a longer one needs Enter).
tm_menu_open() {
	n=$(tm_screen | grep -m1 "  $1 *\$" | awk '{ print $1 }')
	tm_keys "$n"
	sleep 0.3
	tm_screen | grep -q "folio — $1" || tm_keys Enter
}
tm_screen() { tm capture-pane -p -t t; }
# tm_wait TEXT [SECONDS]: polls the screen until TEXT shows (0) or time runs out (1).
tm_wait() {
	want=$1 limit=${2:-10} i=0
	while [ "$i" -lt $((limit * 5)) ]; do
		tm_screen | grep -qF -- "$want" && return 0
		sleep 0.2; i=$((i + 1))
	done
	return 1
}
# tm_wait_gone TEXT [SECONDS]
tm_wait_gone() {
	want=$1 limit=${2:-10} i=0
	while [ "$i" -lt $((limit * 5)) ]; do
		tm_screen | grep -qF -- "$want" || return 0
		sleep 0.2; i=$((i + 1))
	done
	return 1
}

# sign_in USER [PASSWORD]: types both at the sign-in screen (the demo
# password by default).
sign_in() {
	tm_wait "User name:" 30 || fail "sign-in screen for $1: $(tm_screen)"
	tm_keys "$1" Enter
	tm_wait "Password:" 5
	tm_keys "${2:-$(demo_password "$1")}" Enter
}
# wait_for NAME TEXT [SECONDS]: a check that TEXT shows.
wait_for() {
	if tm_wait "$2" "${3:-5}"; then pass "$1"; else fail "$1: '$2' not in: $(tm_screen)"; fi
}
# popup_close: any key closes the popup on screen.
popup_close() {
	tm_keys Enter
	tm_wait_gone "Press any key" 5 || fail "popup stays: $(tm_screen)"
}
