#!/bin/sh
# tests/unit/runtime-control/rtctl-check.sh RTCTL FAKE_RUNTIMED WORKDIR
# Drives an rtctl binary (the one `make installcheck` built against the
# installed SDK) against fake-runtimed.  Prints TAP; exits non-zero on a
# failure.  Used by sdk-examples/local.mk (installcheck).
set -u
rtctl=$1 fake=$2 work=$3
rm -rf "$work" && mkdir -p "$work" || exit 99
sock="$work/runtimed.sock"
if [ ${#sock} -ge 100 ]; then
	work=$(mktemp -d /tmp/rtctl-check.XXXXXX) || exit 99
	sock="$work/runtimed.sock"
fi
"$fake" "$sock" 32 > "$work/server.log" 2>&1 &
server=$!
i=0
while [ ! -S "$sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
n=0
fails=0
check() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
}
"$rtctl" --socket "$sock" list > "$work/list.out" 2>&1
check $? "rtctl list succeeds"
grep -q '^101 .*hello-app.desktop *Hello App */apps/hello-app/hello-app.elf$' "$work/list.out"
check $? "rtctl list shows the running programs"
"$rtctl" --socket "$sock" launch hello-app.desktop > "$work/out" 2>&1
check $? "rtctl launch hello-app.desktop succeeds"
"$rtctl" --socket "$sock" launch missing.desktop > "$work/out" 2>&1
[ $? -eq 1 ] && grep -q 'No such file or directory' "$work/out"
check $? "rtctl launch of an unknown program fails with ENOENT"
"$rtctl" --socket "$sock" kill-session 7 > "$work/out" 2>&1
check $? "rtctl kill-session 7 succeeds"
"$rtctl" --socket "$sock" kill-pid 4242 > "$work/out" 2>&1
[ $? -eq 1 ] && grep -q 'No such process' "$work/out"
check $? "rtctl kill-pid of an unknown pid fails with ESRCH"
"$rtctl" --socket "$sock" kill-pid abc > "$work/out" 2>&1
[ $? -eq 2 ]
check $? "rtctl kill-pid abc is a usage error"
RUSTOS_RUNTIMED_SOCKET="$sock" "$rtctl" list > "$work/out" 2>&1
check $? "rtctl honours RUSTOS_RUNTIMED_SOCKET"
long=$(printf '%0130d' 0)
"$rtctl" --socket "$sock" launch "$long" > "$work/out" 2>&1
[ $? -eq 1 ] && grep -q 'too long' "$work/out"
check $? "rtctl launch of a 130-byte path fails before sending"
kill "$server" 2>/dev/null
wait "$server" 2>/dev/null
grep -c . "$work/server.log" | sed 's/^/# server log lines: /'
grep -q '^launch hello-app.desktop$' "$work/server.log" && grep -q '^terminate session 7$' "$work/server.log"
check $? "the server saw the launch and the terminate"
if grep -q "^launch 0000" "$work/server.log"; then r=1; else r=0; fi
check $r "the over-long path never reached the server"
echo "1..$n"
[ "$fails" -eq 0 ]
