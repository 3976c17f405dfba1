#!/bin/sh
# psuite.sh -- run the in-OS process suite (tests/inos/proc) on the build
# host, the reference for the same binaries inside RustOS, and turn its
# lines into TAP:
#	PSUITE ok NAME            -> ok N - NAME
#	PSUITE FAIL NAME: WHY     -> not ok N - NAME (WHY as a comment)
#	PSUITE skip NAME: WHY     -> ok N - NAME # SKIP WHY
# then one more result: the run reached "PSUITE done passed=N failed=M
# skipped=K", the counts agree with the lines, every case psuite -l lists
# reported exactly once, there are at least 75 cases, and the exit status
# is 0 exactly when nothing failed.  Cases that need root skip (with the
# reason) when this runs as another user.
: "${top_builddir:?}"
d=$top_builddir/tests/inos/proc
ps=$d/psuite
helper=$d/psuite-child
wd=$top_builddir/tests/unit/psuite.d

if [ ! -x "$ps" ] || [ ! -x "$helper" ]; then
	echo "1..0 # SKIP psuite not built (run make)"
	exit 0
fi
rm -rf "$wd"
mkdir -p "$wd" || { echo "Bail out! cannot make $wd"; exit 1; }
# The fork bomb runs as nobody when this runs as root; let it in.
[ "$(id -u)" = 0 ] && chmod 755 "$wd"

"$ps" -l >"$wd/list" 2>"$wd/list.err"
# -t 30: the build host runs this beside QEMU instances (make -j2 check);
# a loaded host must not turn a slow case into a watchdog failure, and a
# case that hangs still fails.
"$ps" -t 30 -h "$helper" -d "$wd" >"$wd/out" 2>"$wd/err"
rc=$?

n=0 fails=0 skips=0
while IFS= read -r l; do
	case $l in
	"PSUITE ok "*)
		n=$((n + 1)); echo "ok $n - ${l#PSUITE ok }" ;;
	"PSUITE FAIL "*)
		n=$((n + 1)); fails=$((fails + 1))
		r=${l#PSUITE FAIL }
		echo "not ok $n - ${r%%:*}"
		echo "# ${r#*: }" ;;
	"PSUITE skip "*)
		n=$((n + 1)); skips=$((skips + 1))
		r=${l#PSUITE skip }
		echo "ok $n - ${r%%:*} # SKIP ${r#*: }" ;;
	esac
done <<EOF2
$(grep -E '^PSUITE (ok|FAIL|skip) ' "$wd/out")
EOF2

ncases=$(grep -c . "$wd/list")
seen=$(sed -n 's/^PSUITE \(ok\|FAIL\|skip\) \([^:]*\).*/\2/p' "$wd/out" |
    sort | uniq -c | awk '$1 == 1 { print $2 }' | sort)
want=$(sort "$wd/list")
done_line=$(grep -E '^PSUITE done ' "$wd/out" | tail -1)
expect="PSUITE done passed=$((n - fails - skips)) failed=$fails skipped=$skips"
n=$((n + 1))
why=
[ -n "$done_line" ] || why="no done line"
[ -z "$why" ] && [ "$done_line" != "$expect" ] &&
	why="done line '$done_line' disagrees with the lines ('$expect')"
[ -z "$why" ] && [ "$seen" != "$want" ] &&
	why="the cases reported are not exactly the listed ones, once each"
[ -z "$why" ] && [ "$ncases" -lt 75 ] && why="only $ncases cases"
[ -z "$why" ] && { [ "$fails" -eq 0 ] && [ "$rc" -ne 0 ] ||
    [ "$fails" -ne 0 ] && [ "$rc" -eq 0 ]; } &&
	why="exit status $rc with $fails failures"
if [ -z "$why" ]; then
	echo "ok $n - psuite ran all $ncases cases to the end ($done_line)"
else
	echo "not ok $n - psuite ran all cases to the end"
	echo "# $why"
	sed 's/^/# stderr: /' "$wd/err" | head -5
fi
echo "1..$n"
