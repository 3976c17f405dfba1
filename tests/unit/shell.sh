#!/bin/sh
# tests/unit/shell.sh -- the RustOS shell (apps/shell/) on the build host:
# the scripted session tests/unit/shell/session.txt fed on stdin must print
# exactly session.expected (stdout and stderr together) and exit 4, plus
# cases that only make sense on the host (signals, prompts, stdin hand-over
# to children, background jobs without job control; the job control cases
# on a pty are tests/qemu/shell-session.py's, run on the host there too).  TAP, one line per case.

: "${top_srcdir:?}" "${top_builddir:?}"
SHELL_BIN="$top_builddir/apps/shell/shell"
DATA="$top_srcdir/tests/unit/shell"
WORK="$top_builddir/tests/unit/shell-work.$$"

n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
check() { # NAME COND...
	name=$1; shift
	if "$@"; then ok "$name"; else notok "$name"; fi
}

echo "1..23"
if [ ! -x "$SHELL_BIN" ]; then
	i=0
	while [ $i -lt 23 ]; do
		notok "shell binary missing: $SHELL_BIN"
		i=$((i + 1))
	done
	exit 1
fi

rm -rf "$WORK"
mkdir -p "$WORK/home" "$WORK/bin" || exit 1
trap 'rm -rf "$WORK"' EXIT
# `shell` as an external program, found through PATH the way RustOS finds
# /apps/shell/shell.elf.
cp "$SHELL_BIN" "$WORK/bin/shell"
umask 022

# run_sh INPUT [ARGS...]: runs the shell in $WORK/home with a clean
# environment; output in $WORK/out (stdout+stderr), status in $st.
run_sh() {
	input=$1; shift
	(cd "$WORK/home" && env -i HOME="$WORK/home" PATH="$WORK/bin" \
	    "$SHELL_BIN" "$@" < "$input" > "$WORK/out" 2>&1)
	st=$?
}

# 1-2: the scripted session.
run_sh "$DATA/session.txt"
if cmp -s "$WORK/out" "$DATA/session.expected"; then
	ok "scripted session output matches session.expected"
else
	notok "scripted session output matches session.expected"
	diff -u "$DATA/session.expected" "$WORK/out" | sed 's/^/# /'
fi
check "scripted session exits with 4 (exit 4)" [ "$st" = 4 ]

# 3: no prompt when stdin is not a terminal.
printf 'echo x\n' > "$WORK/in"
run_sh "$WORK/in"
check "no prompt without a tty" [ "$(cat "$WORK/out")" = x ]

# 4-5: a missing command: message and 127 (also through -c).
printf '' > "$WORK/empty"
run_sh "$WORK/empty" -c 'no-such-cmd-xyz'
check "missing command: status 127" [ "$st" = 127 ]
check "missing command: message" \
    [ "$(cat "$WORK/out")" = "shell: no-such-cmd-xyz: command not found" ]

# 6: cd into a missing directory.
run_sh "$WORK/empty" -c 'cd /no/such/dir'
msg="shell: cd: /no/such/dir: No such file or directory"
check "cd missing dir: status 1 and message" \
    [ "$st" = 1 -a "$(cat "$WORK/out")" = "$msg" ]

# 7: a child killed by a signal: [signal N] and 128+N.
if [ -x /bin/sh ]; then
	run_sh "$WORK/empty" -c '/bin/sh -c "kill -9 \$\$"'
	check "signal: [signal 9] and status 137" [ "$st" = 137 -a \
	    "$(cat "$WORK/out")" = "[signal 9]" ]
else
	ok "signal # SKIP no /bin/sh on the build host"
fi

# 8: the rest of stdin belongs to a child that reads it (no read-ahead).
printf 'shell -c cat\nline for the child\necho after\n' > "$WORK/in"
run_sh "$WORK/in"
check "stdin after the current line goes to the child" \
    [ "$(cat "$WORK/out")" = "$(printf 'line for the child\necho after')" ]

# 9: an overlong line is refused, the shell goes on.
{ i=0; while [ $i -lt 600 ]; do printf 'echo-echo-'; i=$((i + 1)); done
  printf '\necho still here\n'; } > "$WORK/in"
run_sh "$WORK/in"
check "overlong line: message, then next line runs" [ "$(cat "$WORK/out")" = \
    "$(printf 'shell: line longer than 4095 bytes ignored\nstill here')" ]

# 10: ls -a shows dot entries, plain ls does not.
printf 'cd lsdir\nls -a\necho --\nls\n' > "$WORK/in"
mkdir "$WORK/home/lsdir"
: > "$WORK/home/lsdir/.hidden"
: > "$WORK/home/lsdir/visible"
run_sh "$WORK/in"
check "ls -a lists dot files, ls hides them" [ "$(cat "$WORK/out")" = \
    "$(printf '.\n..\n.hidden\nvisible\n--\nvisible')" ]

# 11: help names every builtin.
run_sh "$WORK/empty" -c help
miss=
for b in cat cd echo env exit export false help ls pwd true; do
	grep -q "^  $b " "$WORK/out" || miss="$miss $b"
done
check "help lists every builtin${miss:+ (missing:$miss)}" [ -z "$miss" ]

# 12: env and export.
run_sh "$WORK/empty" -c 'export A_B=1 C=x=y; env'
check "export then env" sh -c "grep -qx 'A_B=1' '$WORK/out' && \
    grep -qx 'C=x=y' '$WORK/out'"

# 13: export of a bad name fails with 1.
run_sh "$WORK/empty" -c 'export 1A=2'
check "export bad name: status 1" [ "$st" = 1 ]

# 14: exit with a non-numeric argument.
run_sh "$WORK/empty" -c 'exit abc'
check "exit abc: status 2 and message" [ "$st" = 2 -a \
    "$(cat "$WORK/out")" = "shell: exit: abc: numeric argument required" ]

# 15: builtin redirections are undone (echo > f, then echo to stdout).
printf 'echo inner > f\necho outer\ncat f\n' > "$WORK/in"
run_sh "$WORK/in"
check "builtin redirection is restored" [ "$(cat "$WORK/out")" = \
    "$(printf 'outer\ninner')" ]

# 16: 2>&1 before > keeps stderr on the old stdout.
run_sh "$WORK/empty" -c 'cat /no-such 2>&1 > f; echo st=$?'
check "2>&1 then > : error stays on the terminal" [ "$(cat "$WORK/out")" = \
    "$(printf 'shell: cat: /no-such: No such file or directory\nst=1')" ]

# 17-20: without a terminal (no job control) `&` still runs a job in the
# background, silently, with stdin from /dev/null; wait gives its status;
# fg refuses.
run_sh "$WORK/empty" -c "shell -c 'exit 3' & wait %1; echo w=\$?"
check "no job control: a & job, wait %1 gives its status" \
    [ "$(cat "$WORK/out")" = "w=3" ]
printf 'shell -c cat &\nwait\necho after\n' > "$WORK/in"
run_sh "$WORK/in"
check "no job control: a background job reads /dev/null, not stdin" \
    [ "$(cat "$WORK/out")" = "after" ]
run_sh "$WORK/empty" -c 'fg'
check "no job control: fg refuses (status 1)" [ "$st" = 1 -a \
    "$(cat "$WORK/out")" = "shell: fg: no job control" ]
run_sh "$WORK/empty" -c "shell -c 'exit 5' & wait \$!; echo w=\$?"
check "\$! is the background job's pid (wait \$! gives its status)" \
    [ "$(cat "$WORK/out")" = "w=5" ]

# 21: as bash, `wait PID` still gives the status of a background job the
# shell already reported and forgot (a job freed at the next line).
printf "shell -c 'exit 5' &\nwait %%1\nwait \$!\necho w=\$?\n" > "$WORK/in"
run_sh "$WORK/in"
check "wait PID of a job already reported gives its status (bash)" \
    [ "$(cat "$WORK/out")" = "w=5" ]

# 22: on a terminal: the prompt, and the line discipline's echo.
if [ -n "$PYTHON" ] && "$PYTHON" -c 'import pty' 2>/dev/null; then
	"$PYTHON" - "$SHELL_BIN" > "$WORK/out" 2>&1 <<'EOF'
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execve(sys.argv[1], [sys.argv[1]], {"PATH": "/nonexistent"})
out = b""
def read_until(marker):
    global out
    end = time.monotonic() + 20
    while marker not in out and time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 1)
        if not r:
            continue
        try:
            data = os.read(fd, 4096)
        except OSError:
            return
        if not data:
            return
        out += data
# Type each line only after its prompt, as a user does.
read_until(b"rustos$ ")
os.write(fd, b"echo on-a-tty\n")
read_until(b"on-a-tty\r\nrustos$ ")
os.write(fd, b"exit 5\n")
read_until(b"never printed")
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace").replace("\r", ""))
sys.stdout.write("\nstatus=%d\n" % os.waitstatus_to_exitcode(st))
EOF
	if grep -qx 'rustos\$ echo on-a-tty' "$WORK/out" &&
	    grep -qx 'on-a-tty' "$WORK/out" &&
	    grep -qx 'rustos\$ exit 5' "$WORK/out" &&
	    grep -qx 'status=5' "$WORK/out"
	then
		ok "tty: prompt 'rustos\$ ', output, exit 5"
	else
		notok "tty: prompt 'rustos\$ ', output, exit 5"
		sed 's/^/# /' "$WORK/out"
	fi
else
	ok "tty: prompt # SKIP no Python with pty"
fi

# 23: on a terminal (job control), as bash: exit with a stopped job only
# says "There are stopped jobs."; an exit on the next line leaves.
if [ -n "$PYTHON" ] && "$PYTHON" -c 'import pty' 2>/dev/null &&
    [ -x "$top_builddir/apps/sleep/sleep" ]; then
	cp "$top_builddir/apps/sleep/sleep" "$WORK/bin/sleep"
	"$PYTHON" - "$SHELL_BIN" "$WORK/bin" > "$WORK/out" 2>&1 <<'EOF'
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execve(sys.argv[1], [sys.argv[1]], {"PATH": sys.argv[2]})
out = b""
def read_until(marker, start=0):
    global out
    end = time.monotonic() + 20
    while marker not in out[start:] and time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 1)
        if not r:
            continue
        try:
            data = os.read(fd, 4096)
        except OSError:
            return
        if not data:
            return
        out += data
def typed(line):
    # The echo of the line, then the next prompt after it.
    start = len(out)
    os.write(fd, line + b"\n")
    read_until(line + b"\r\n", start)
    read_until(b"rustos$ ", out.find(line + b"\r\n", start) + len(line))
read_until(b"rustos$ ")
typed(b"sleep 30 &")
typed(b"kill -STOP %1")
typed(b"jobs")
typed(b"exit")
os.write(fd, b"exit\n")
read_until(b"never printed")
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace").replace("\r", ""))
sys.stdout.write("\nstatus=%d\n" % os.waitstatus_to_exitcode(st))
EOF
	if [ "$(grep -c 'There are stopped jobs\.' "$WORK/out")" = 1 ] &&
	    grep -q '^\[1\]+  Stopped (signal) *sleep 30' "$WORK/out" &&
	    grep -q '^status=' "$WORK/out"
	then
		ok "tty: exit with a stopped job warns once, a second exit leaves"
	else
		notok "tty: exit with a stopped job warns once, a second exit leaves"
		sed 's/^/# /' "$WORK/out"
	fi
else
	ok "tty: exit with stopped jobs # SKIP no Python with pty or no sleep"
fi

exit 0
