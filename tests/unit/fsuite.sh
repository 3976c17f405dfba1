#!/bin/sh
# tests/unit/fsuite.sh -- the in-OS file/device suite (tests/inos/files/)
# on the build host, which is its reference: every `FSUITE` line becomes a
# TAP line (skips as `# SKIP`), then checks of the summary line, of the
# case count (>= 75) and of the manifest.
#
# The read-only directory: as root the harness bind-mounts a small tree
# read-only onto itself (FSUITE_NO_MOUNT=1 turns that off); otherwise the
# EROFS cases skip.  As root it also runs the EACCES cases once more as
# the user nobody (setpriv), where permission bits apply.

: "${top_srcdir:?}" "${top_builddir:?}"
BIN="$top_builddir/tests/inos/files/fsuite"
PKG="$top_builddir/tools/rustos-pkg/rustos-pkg"
WORK="$top_builddir/tests/inos/fsuite-work.$$"
n=0

tap() { # STATUS NAME [WHY]
	n=$((n + 1))
	case $1 in
	ok) echo "ok $n - $2" ;;
	skip) echo "ok $n - $2 # SKIP $3" ;;
	*) echo "not ok $n - $2${3:+: $3}" ;;
	esac
}

# fsuite output on stdin -> TAP lines with PREFIX; sets passed/failed/...
to_tap() {
	prefix=$1
	got_done=
	while IFS= read -r line; do
		case $line in
		"FSUITE ok "*) tap ok "$prefix${line#FSUITE ok }" ;;
		"FSUITE FAIL "*) rest=${line#FSUITE FAIL }
			tap fail "$prefix${rest%%: *}" "${rest#*: }" ;;
		"FSUITE skip "*) rest=${line#FSUITE skip }
			tap skip "$prefix${rest%%: *}" "${rest#*: }" ;;
		"FSUITE done "*) got_done=${line#FSUITE done } ;;
		*) echo "# $line" ;;
		esac
	done
}

if [ ! -x "$BIN" ]; then
	echo "1..1"
	echo "not ok 1 - fsuite binary missing: $BIN"
	exit 1
fi

mounted=
cleanup() {
	[ -n "$mounted" ] && umount "$WORK/ro" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
rm -rf "$WORK"
mkdir -p "$WORK/scratch" "$WORK/ro/sub" || exit 1
echo "read-only data" > "$WORK/ro/file"
if [ "$(id -u)" = 0 ] && [ -z "$FSUITE_NO_MOUNT" ] &&
    mount --bind "$WORK/ro" "$WORK/ro" 2>/dev/null; then
	mounted=1
	mount -o remount,bind,ro "$WORK/ro" 2>/dev/null ||
	    echo "# read-only remount refused: EROFS cases will skip"
fi

"$BIN" "$WORK/scratch" "$WORK/ro" > "$WORK/out" 2> "$WORK/err"
rc=$?
to_tap "" < "$WORK/out"
sed 's/^/# stderr: /' "$WORK/err"
total=$(grep -c '^FSUITE \(ok\|FAIL\|skip\) ' "$WORK/out")
fails=$(grep -c '^FSUITE FAIL ' "$WORK/out")
want="passed=$(grep -c '^FSUITE ok ' "$WORK/out") failed=$fails"
want="$want skipped=$(grep -c '^FSUITE skip ' "$WORK/out")"
if [ "$got_done" = "$want" ]; then
	tap ok "summary line matches the case lines ($want)"
else
	tap fail "summary line matches the case lines" \
	    "got '$got_done', counted '$want'"
fi
if [ "$total" -ge 75 ]; then
	tap ok "at least 75 cases ($total)"
else
	tap fail "at least 75 cases" "only $total"
fi
if { [ "$fails" = 0 ] && [ $rc = 0 ]; } || { [ "$fails" != 0 ] && [ $rc = 1 ]; }
then
	tap ok "exit status $rc agrees with the failures"
else
	tap fail "exit status agrees with the failures" "status $rc"
fi
if [ -z "$(ls -A "$WORK/scratch")" ]; then
	tap ok "scratch tree removed at the end"
else
	tap fail "scratch tree removed at the end" "$(ls -A "$WORK/scratch")"
fi

# Bad usage and a missing RODIR: status 2, a message, no case lines.
"$BIN" > "$WORK/out" 2>&1
rc=$?
if [ $rc = 2 ] && grep -q '^usage: fsuite' "$WORK/out"; then
	tap ok "usage error: status 2"
else
	tap fail "usage error: status 2" "status $rc"
fi
"$BIN" "$WORK/scratch" "$WORK/no-such-dir" > "$WORK/out" 2>&1
rc=$?
if [ $rc = 2 ] && ! grep -q '^FSUITE' "$WORK/out"; then
	tap ok "missing RODIR: status 2"
else
	tap fail "missing RODIR: status 2" "status $rc"
fi

# EACCES as an unprivileged user.
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null; then
	mkdir -p "$WORK/unpriv" && chmod 1777 "$WORK/unpriv"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN" \
	    "$WORK/unpriv" "$WORK/ro" open.eacces access.eacces \
	    > "$WORK/out" 2> "$WORK/err"
	rc=$?
	if ! grep -q '^FSUITE done ' "$WORK/out"; then
		tap skip "unprivileged run" "cannot run as nobody here\
 (status $rc: $(head -1 "$WORK/err"))"
	else
		to_tap "nobody: " < "$WORK/out"
	fi
else
	tap skip "unprivileged run" "needs root and setpriv"
fi

if [ -x "$PKG" ]; then
	# With devmgrd's manifest: fsuite's runtime_deps names it.
	if "$PKG" check --profile inos \
	    "$top_srcdir/tests/inos/files/RUSTOS.package.toml" \
	    "$top_srcdir/services/devmgrd/RUSTOS.package.toml" \
	    > "$WORK/out" 2>&1; then
		tap ok "fsuite manifest is valid (inos profile)"
	else
		tap fail "fsuite manifest is valid" "$(head -1 "$WORK/out")"
	fi
else
	tap skip "fsuite manifest is valid" "rustos-pkg not built"
fi

echo "1..$n"
exit 0
