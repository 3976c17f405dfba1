#!/bin/sh
# toml-test.sh -- run tools/rustos-pkg/toml.c against the TOML 1.0 part of
# the toml-test conformance suite ($TOML_TEST_DIR, list in
# tests/files-toml-1.0.0).
#
# valid/X.toml passes when tests/unit/toml-decode exits 0 and its JSON equals
# valid/X.json (compared by toml-json-compare.py); invalid/X.toml passes when
# the decoder exits 1 with a "LINE:COL: message" diagnostic (a crash or any
# other status fails).  One TAP line per case; a missing suite is a failure.

: "${top_srcdir:?}" "${top_builddir:?}"
PYTHON=${PYTHON:-python3}
decode=$top_builddir/tests/unit/toml-decode
compare=$top_srcdir/tests/unit/toml-json-compare.py
list=${TOML_TEST_DIR:+$TOML_TEST_DIR/tests/files-toml-1.0.0}

if [ -z "$TOML_TEST_DIR" ] || [ ! -f "$list" ]; then
	msg="toml-test suite not found"
	[ -n "$TOML_TEST_DIR" ] && msg="$msg in $TOML_TEST_DIR"
	echo "1..1"
	echo "not ok 1 - $msg"
	exit 0
fi
suite=$TOML_TEST_DIR/tests

work=$top_builddir/tests/unit/toml-test.tmp
rm -rf "$work"
mkdir -p "$work" || exit 1
trap 'rm -rf "$work"' EXIT INT TERM

cases=$work/cases
grep -E '^(valid|invalid)/.*\.toml$' "$list" >"$cases"
total=$(wc -l <"$cases" | tr -d ' ')
echo "1..$total"

# Decode every valid case first, then compare them all in one Python run.
n=0
: >"$work/pairs"
while IFS= read -r c; do
	n=$((n + 1))
	case $c in
	valid/*)
		"$decode" "$suite/$c" >"$work/$n.out" 2>"$work/$n.err"
		echo $? >"$work/$n.rc"
		if [ "$(cat "$work/$n.rc")" = 0 ]; then
			printf '%s\t%s\t%s\n' "$n" "$suite/${c%.toml}.json" \
			    "$work/$n.out" >>"$work/pairs"
		fi
		;;
	esac
done <"$cases"
"$PYTHON" "$compare" --batch <"$work/pairs" >"$work/verdicts" || {
	echo "# toml-json-compare.py failed"
}

n=0
vp=0 vt=0 ip=0 it=0
while IFS= read -r c; do
	n=$((n + 1))
	name=${c%.toml}
	case $c in
	valid/*)
		vt=$((vt + 1))
		rc=$(cat "$work/$n.rc")
		if [ "$rc" != 0 ]; then
			echo "not ok $n - $name (decoder exit $rc)"
			sed -n '1,3s/^/# /p' "$work/$n.err"
			continue
		fi
		v=$(sed -n "s/^$n	//p" "$work/verdicts")
		if [ "$v" = ok ]; then
			vp=$((vp + 1))
			echo "ok $n - $name"
		else
			echo "not ok $n - $name"
			echo "# ${v:-no verdict}"
		fi
		;;
	invalid/*)
		it=$((it + 1))
		"$decode" "$suite/$c" >/dev/null 2>"$work/err"
		rc=$?
		if [ "$rc" = 1 ] &&
		    grep -Eq '^[0-9]+:[0-9]+: .' "$work/err"; then
			ip=$((ip + 1))
			echo "ok $n - $name"
		elif [ "$rc" = 0 ]; then
			echo "not ok $n - $name (accepted)"
		else
			echo "not ok $n - $name (exit $rc)"
			sed -n '1,3s/^/# /p' "$work/err"
		fi
		;;
	esac
done <"$cases"
echo "# toml-test 1.0: valid $vp/$vt, invalid $ip/$it"
exit 0
