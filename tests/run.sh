#!/bin/sh
# folio — runs every suite and prints one closing line "N passed, N failed".
#   FOLIO     the binary under test;  UNIT_DIR  the built cmocka tests
# Unit tests count one per cmocka test; shell and tmux tests one per check.
set -u
here=$(cd "$(dirname "$0")" && pwd)
export FOLIO UNIT_DIR
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
passed=0 failed=0 skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count() { # reads a suite's output on stdin, echoes it, and tallies it
	while IFS= read -r line; do
		printf '%s\n' "$line"
		case "$line" in
		"PASS "*) passed=$((passed + 1)) ;;
		"FAIL "*) failed=$((failed + 1)) ;;
		"SKIP "*) skipped=$((skipped + 1)) ;;
		"[       OK ] "*) passed=$((passed + 1)) ;;
		"[  FAILED  ] "*" test"*) ;;
		"[  FAILED  ] "*) failed=$((failed + 1)) ;;
		"[  ERROR   ] "*) failed=$((failed + 1)) ;;
		esac
	done
}

for t in "$UNIT_DIR"/test_*; do
	[ -x "$t" ] || continue
	case "$t" in *.d) continue ;; esac
	echo "== unit $(basename "$t")"
	"$t" >"$log" 2>&1; rc=$?
	count <"$log"
	[ "$rc" -gt 128 ] && { echo "FAIL $(basename "$t"): crashed (signal $((rc - 128)))"; failed=$((failed + 1)); }
done

for suite in cli tui reliability; do
	for t in "$here"/$suite/*.sh; do
		[ -f "$t" ] || continue
		echo "== $suite $(basename "$t")"
		timeout 600 setsid -w sh "$t" >"$log" 2>&1; rc=$?
		count <"$log"
		if [ "$rc" -ne 0 ]; then echo "FAIL $(basename "$t"): exited $rc"; failed=$((failed + 1)); fi
	done
done

echo
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
