#!/bin/sh
# bench.sh -- apps/bench/bench on the build host (a static musl program, so
# it runs here as in RustOS and in Linux), with tiny iteration counts: one
# well-formed line per operation, the Linux-ABI operations measured, the
# RustOS-only one n/a, option errors, and n/a-and-continue when a call
# fails.  Durations are never compared with anything.
: "${top_srcdir:?}" "${top_builddir:?}"

bench=$top_builddir/apps/bench/bench
true_prog=$top_builddir/apps/bench/true
wd=$top_builddir/tests/unit/bench-work
rm -rf "$wd"
mkdir -p "$wd"

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
check() { name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }

echo "1..16"
if [ ! -x "$bench" ] || [ ! -x "$true_prog" ]; then
	echo "Bail out! $bench or $true_prog not built (run make)"
	exit 1
fi

tiny="-i 3 -m 2 -s 1 -r 2 -w 1"
# shellcheck disable=SC2086
"$bench" $tiny -f "$bench" -t "$true_prog" > "$wd/out" 2> "$wd/err"
rc=$?
check "runs and exits 0" [ "$rc" -eq 0 ]
check "nothing on stderr" [ ! -s "$wd/err" ]
check "starts with BENCH-INFO, ends with BENCH-DONE" sh -c '
	head -n 1 "$1" | grep -q "^BENCH-INFO version=1 mode=time reps=2 warmup=1 iters=3/2/1 " &&
	[ "$(tail -n 1 "$1")" = BENCH-DONE ]' sh "$wd/out"

"$bench" -l > "$wd/ops" 2>&1
check "-l lists the 13 operations" [ "$(wc -l < "$wd/ops")" -eq 13 ]

# Every listed operation has exactly one line, figures or n/a, well formed.
bad=
for op in $(cut -d' ' -f1 "$wd/ops"); do
	c=$(grep -c "^BENCH $op " "$wd/out")
	if [ "$c" -ne 1 ]; then
		bad="$bad $op(lines=$c)"
		continue
	fi
	grep -Eq "^BENCH $op (iters=[1-9][0-9]* min_ns=[0-9]+ med_ns=[0-9]+ reps=2 min_tsc=[0-9]+ med_tsc=[0-9]+|n/a reason=[a-z_]+:[A-Za-z0-9-]+)\$" "$wd/out" ||
		bad="$bad $op(malformed)"
done
if [ -z "$bad" ]; then ok "one well-formed BENCH line per operation"
else not_ok "one well-formed BENCH line per operation" "bad:$bad"; fi
check "no other lines" [ "$(grep -cv '^BENCH' "$wd/out")" -eq 0 ]

# min <= median in every measured line.
check "min_ns <= med_ns and min_tsc <= med_tsc" awk '
	$3 ~ /^iters=/ { for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] + 0 }
		if (v["min_ns"] > v["med_ns"] || v["min_tsc"] > v["med_tsc"]) bad = 1 }
	END { exit bad }' "$wd/out"

# The build host is Linux: every Linux-ABI operation is measured there, with
# the iteration count of its class.
miss=
for op in getpid:3 clock_gettime:3 pread_4k:3 open_read_close:2 \
    pipe_pingpong:2 unix_pingpong:2 sched_yield:3 mmap_munmap_4k:2 \
    page_fault:2 fork_exit_wait:1 fork_exec_wait:1 posix_spawn:1; do
	grep -q "^BENCH ${op%%:*} iters=${op#*:} " "$wd/out" || miss="$miss ${op%%:*}"
done
if [ -z "$miss" ]; then ok "Linux-ABI operations measured on the host"
else not_ok "Linux-ABI operations measured on the host" "missing:$miss"; fi
check "ipc_roundtrip is n/a on Linux (RustOS syscalls are ENOSYS)" \
    grep -qx 'BENCH ipc_roundtrip n/a reason=ipc_lookup:ENOSYS' "$wd/out"

# A failing call makes only its operations n/a; the rest still run.
"$bench" $tiny -f "$wd/no-such-file" -t "$wd/no-true" > "$wd/out2" 2>&1
check "missing file and true: their ops n/a with the errno, exit 0" sh -c '
	grep -qx "BENCH pread_4k n/a reason=open:ENOENT" "$1" &&
	grep -qx "BENCH open_read_close n/a reason=open:ENOENT" "$1" &&
	grep -qx "BENCH fork_exec_wait n/a reason=open:ENOENT" "$1" &&
	grep -qx "BENCH posix_spawn n/a reason=open:ENOENT" "$1"' sh "$wd/out2"
check "... and the following operations still run" sh -c '
	grep -q "^BENCH sched_yield iters=3 " "$1" &&
	grep -q "^BENCH fork_exit_wait iters=1 " "$1" &&
	[ "$(tail -n 1 "$1")" = BENCH-DONE ]' sh "$wd/out2"
# A file shorter than 4 KiB is a short read, not a figure.
printf 'short' > "$wd/short"
"$bench" $tiny -f "$wd/short" -o pread_4k,open_read_close > "$wd/out3" 2>&1
check "short file: pread_4k and open_read_close n/a (short read)" sh -c '
	grep -qx "BENCH pread_4k n/a reason=pread:short" "$1" &&
	grep -qx "BENCH open_read_close n/a reason=read:short" "$1"' sh "$wd/out3"

"$bench" -r 1 -w 0 -o getpid,sched_yield > "$wd/out4" 2>&1
check "-o runs only the named operations" sh -c '
	[ "$(grep -c "^BENCH " "$1")" -eq 2 ] &&
	grep -q "^BENCH getpid iters=2000 " "$1" && grep -q "^BENCH sched_yield " "$1"' sh "$wd/out4"

"$bench" -d -T -r 1 -w 0 -i 1 -o clock_gettime > "$wd/out5" 2>&1
check "-d announces instruction counting, -T zeroes the tsc fields" sh -c '
	grep -q "^BENCH-INFO version=1 mode=icount .* tsc=off\$" "$1" &&
	grep -q "^BENCH-INFO under -icount shift=0 one ns of guest time is one guest instruction" "$1" &&
	grep -Eq "^BENCH clock_gettime iters=1 min_ns=[0-9]+ med_ns=[0-9]+ reps=1 min_tsc=0 med_tsc=0\$" "$1"' sh "$wd/out5"

# Bad options: exit status 2 and one line naming the option.
bad=
for args in "-i 0" "-m x" "-s 99999999999" "-r 0" "-w 501" "-p 0" "-o getpid,nosuch" "-o getpid,," "-Z" "extra"; do
	# shellcheck disable=SC2086
	"$bench" $args > "$wd/bad.out" 2> "$wd/bad.err"
	rc=$?
	if [ "$rc" -ne 2 ] || [ -s "$wd/bad.out" ] || [ ! -s "$wd/bad.err" ]; then
		bad="$bad [$args: rc=$rc]"
	fi
done
if [ -z "$bad" ]; then ok "bad options: exit 2 with a message, no BENCH output"
else not_ok "bad options: exit 2 with a message, no BENCH output" "$bad"; fi
"$bench" -o nosuch > /dev/null 2> "$wd/bad.err"
check "unknown operation is named in the message" \
    grep -qx "bench: -o: unknown operation 'nosuch' (-l lists them)" "$wd/bad.err"
exit 0
