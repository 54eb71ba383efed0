#!/bin/sh
# folio — issue 9, concurrency, CI size: 8 processes for 20 s doing a
# clinic's mix against one database file (tests/bench/bench_concurrency.c,
# built here with the system compiler: it needs only libc and drives
# $FOLIO).  The driver prints the PASS/FAIL lines: no busy/locked error
# reaches a user, every failure is a stale-version refusal, no update is
# lost, audit sequence numbers are dense and `audit verify` passes.  The
# throughput and p99 table is printed, never asserted (shared machines).
#   CONCURRENCY_PROCS, CONCURRENCY_SECONDS   override the size
. "$(dirname "$0")/../lib.sh"

root=$(cd "$(dirname "$0")/../.." && pwd)
drv="$T/bench_concurrency"
if ! ${CC:-cc} -std=c11 -O2 -Wall -Wextra -Werror -o "$drv" "$root/tests/bench/bench_concurrency.c" 2>"$T/cc.err"; then
	fail "the concurrency driver builds: $(head -c 600 "$T/cc.err")"
	exit 1
fi
pass "the concurrency driver builds"

set -- --procs "${CONCURRENCY_PROCS:-8}" --seconds "${CONCURRENCY_SECONDS:-20}" --patients 100 --baseline 0
# With the code sets the coding regroups on every change, as in a clinic.
if [ -d "$root/../shared/codesets/msdrg_v43" ]; then
	set -- "$@" --codesets "$root/../shared/codesets"
fi
TMPDIR="$T" "$drv" "$@" >"$T/run" 2>&1
rc=$?
cat "$T/run"
check "the driver's checks all pass (exit $rc)" test "$rc" -eq 0
check "the figures line is printed" grep -q "^concurrency: .* busy errors 0," "$T/run"
