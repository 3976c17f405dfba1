#!/bin/sh
# bench-table.sh -- tools/bench/benchtab.py on canned `make bench` run
# directories (tests/unit/bench-runs/): medians over runs, smallest minimum,
# ratios, n/a with the reason (a failing call, a bench that never ran, an
# operation missing from a run), the IPC-vs-pipe row, boot phases from the
# timestamps (Linux's kernel start derived from /proc/uptime), and
# malformed lines reported as FILE:LINE without stopping.  Golden output:
# tests/unit/bench-runs/expected.md and expected.err.
: "${top_srcdir:?}" "${top_builddir:?}"
PYTHON=${PYTHON:-python3}

wd=$top_builddir/tests/unit/bench-table-work
rm -rf "$wd"
mkdir -p "$wd"
tab=$top_srcdir/tools/bench/benchtab.py

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
check() { name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }
row() { grep -F "| $1 |" "$wd/out" | head -n 1; }

echo "1..10"
cd "$top_srcdir/tests/unit" || exit 1
"$PYTHON" "$tab" --rustos bench-runs/rustos-1 bench-runs/rustos-2 bench-runs/rustos-3 \
    --linux bench-runs/linux-1 bench-runs/linux-2 bench-runs/linux-3 > "$wd/out" 2> "$wd/err"
rc=$?
check "exits 0 on canned runs" [ "$rc" -eq 0 ]
check "getpid: median of run medians, smallest min, ratio" \
    [ "$(row getpid)" = "| getpid | 1,000 (min 900) [2 of 3 runs] | 500 (min 380) | 2.00 |" ]
check "ratio below 1 and a run with only bad lines" \
    [ "$(row 'clock_gettime(MONOTONIC)')" = "| clock_gettime(MONOTONIC) | 70 (min 60) [1 of 3 runs] | 75 (min 70) | 0.93 |" ]
check "n/a with the failing call; no ratio against n/a" \
    [ "$(row 'fork + exit + wait')" = "| fork + exit + wait | n/a (fork:ENOSYS) | 575,000 (min 500,000) | n/a |" ]
check "RustOS IPC round trip next to Linux pipe ping-pong" \
    [ "$(row 'RustOS IPC round trip vs Linux pipe ping-pong')" = "| RustOS IPC round trip vs Linux pipe ping-pong | 160,000 (min 140,000) [2 of 3 runs] | 75,000 (min 70,000) [2 of 3 runs] | 2.13 |" ]
check "Linux kernel start derived from /proc/uptime" \
    [ "$(row 'kernel first line')" = "| kernel first line | 5.00 | 2.00 |" ]
check "malformed lines reported as FILE:LINE" sh -c '
	[ "$(wc -l < "$1")" -eq 2 ] &&
	grep -q "^benchtab: bench-runs/rustos-2/debugcon.log:7: malformed BENCH line" "$1" &&
	grep -q "^benchtab: bench-runs/rustos-2/debugcon.log:8: inconsistent BENCH line" "$1"' sh "$wd/err"
if diff -u "$top_srcdir/tests/unit/bench-runs/expected.md" "$wd/out" > "$wd/diff" &&
   diff -u "$top_srcdir/tests/unit/bench-runs/expected.err" "$wd/err" >> "$wd/diff"; then
	ok "whole output matches the golden files"
else
	not_ok "whole output matches the golden files" "$(head -n 20 "$wd/diff")"
fi

# Nothing ran at all: every RustOS cell says why, no number appears.
mkdir -p "$wd/empty"
"$PYTHON" "$tab" --no-phases --rustos "$wd/empty" --linux bench-runs/linux-1 > "$wd/out2" 2>&1
check "a run without output: every RustOS cell n/a (no console output)" sh -c '
	[ "$(grep -c "^| [^|]* | n/a (no console output) |" "$1")" -eq 14 ]' sh "$wd/out2"
"$PYTHON" "$tab" --rustos "$wd/no-such-dir" > "$wd/out3" 2>&1
rc=$?
check "a missing run directory: exit 2 with a message" sh -c '
	[ "$2" -eq 2 ] && grep -q "no-such-dir: not a run directory" "$1"' sh "$wd/out3" "$rc"
exit 0
