#!/bin/sh
# rules.sh -- TAP test: one case per manifest validation rule and error
# message (cases in tests/unit/pkg/rules.txt), plus the general promises:
# every diagnostic is one line starting "rustos-pkg: ", errors name the
# manifest file, all errors of a run are printed, exit status 1.

: "${top_srcdir:?}" "${top_builddir:?}"
PKG=$top_builddir/tools/rustos-pkg/rustos-pkg
CASES=$top_srcdir/tests/unit/pkg/rules.txt
W=$top_builddir/tests/unit/pkg/rules.tmp
rm -rf "$W" && mkdir -p "$W" || exit 1

# Split rules.txt into one folder per case and an index "name|profile|kind|text".
awk -v W="$W" '
	/^#/ && file == "" { next }
	/^=== / { name = $2; profile = $3; file = ""; next }
	/^expect: / { sub(/^expect: /, ""); print name "|" profile "|expect|" $0 > (W "/index"); next }
	/^warn: / { sub(/^warn: /, ""); print name "|" profile "|warn|" $0 > (W "/index"); next }
	/^--- / {
		if (file != "") close(file)
		dir = W "/" name "/" $2
		system("mkdir -p \"" dir "\"")
		file = dir "/RUSTOS.package.toml"
		printf "" > file
		next
	}
	file != "" { print >> file }
' "$CASES" || exit 1

total=$(wc -l < "$W/index")
echo "1..$((total + 4))"
n=0
while IFS='|' read -r name profile kind text; do
	n=$((n + 1))
	if [ -n "$profile" ]; then
		"$PKG" check --profile "$profile" "$W/$name" > "$W/$name.out" 2> "$W/$name.err"
	else
		"$PKG" check "$W/$name" > "$W/$name.out" 2> "$W/$name.err"
	fi
	rc=$?
	why=
	if [ "$kind" = expect ]; then
		[ $rc -eq 1 ] || why="exit $rc, expected 1"
		grep -F -q -- "$text" "$W/$name.err" || why="$why; message not found"
		grep -v '^rustos-pkg: warning: ' "$W/$name.err" | grep -v 'errors\{0,1\} in package manifests$' |
		    grep -v -q 'RUSTOS.package.toml' && why="$why; an error line names no manifest"
	else
		[ $rc -eq 0 ] || why="exit $rc, expected 0"
		grep -F -q -- "$text" "$W/$name.err" || why="$why; warning not found"
	fi
	grep -v -q '^rustos-pkg: ' "$W/$name.err" && why="$why; a line lacks the rustos-pkg: prefix"
	if [ -z "$why" ]; then
		printf 'ok %d - %s: %s\n' "$n" "$name" "$text"
	else
		printf 'not ok %d - %s: %s (%s)\n' "$n" "$name" "$text" "$why"
		sed 's/^/# /' "$W/$name.err"
	fi
done < "$W/index"

# Several problems in one manifest: every one is printed.
mkdir -p "$W/multi/a"
cat > "$W/multi/a/RUSTOS.package.toml" <<'EOF'
id = "a"
kind = "app"
startup = "desktop"
runtime_deps = ["nope"]
[build]
builder = "c-program"
[install]
path = "bin/a"
EOF
n=$((n + 1))
"$PKG" check "$W/multi" 2> "$W/multi.err" >/dev/null
rc=$?
cnt=$(grep -c -v -e '^rustos-pkg: warning' -e 'errors\{0,1\} in package manifests$' "$W/multi.err")
if [ $rc -eq 1 ] && [ "$cnt" -eq 4 ]; then
	echo "ok $n - all four errors of one manifest are printed"
else
	echo "not ok $n - all four errors of one manifest are printed (exit $rc, $cnt lines)"
	sed 's/^/# /' "$W/multi.err"
fi

n=$((n + 1))
if ! "$PKG" check "$W/does-not-exist" 2> "$W/root.err" >/dev/null &&
    grep -q "does-not-exist: no such package root" "$W/root.err"; then
	echo "ok $n - a missing root is an error"
else
	echo "not ok $n - a missing root is an error"
fi

n=$((n + 1))
"$PKG" check >/dev/null 2>&1
rc=$?
if [ $rc -eq 2 ]; then
	echo "ok $n - check without a root is a usage error (exit 2)"
else
	echo "not ok $n - check without a root is a usage error (exit $rc)"
fi

# Discovery skips .git, build, _build* and autom4te.cache.
mkdir -p "$W/skip/.git/x" "$W/skip/build/x" "$W/skip/_build-x/x" "$W/skip/autom4te.cache/x"
for d in .git build _build-x autom4te.cache; do
	echo 'this is not TOML' > "$W/skip/$d/x/RUSTOS.package.toml"
done
n=$((n + 1))
if "$PKG" check "$W/skip" > "$W/skip.out" 2>&1 && grep -q '^0 package manifests ok' "$W/skip.out"; then
	echo "ok $n - discovery skips .git, build, _build* and autom4te.cache"
else
	echo "not ok $n - discovery skips .git, build, _build* and autom4te.cache"
fi

[ $n -eq $((total + 4)) ] || exit 1
rm -rf "$W"
exit 0
