#!/bin/sh
# runtimed.sh -- runtimed in the test-profile image (docs/ai/bootstrap.md,
# "runtimed").  Stages the `test` profile with tests/inos/rtd (rtdtest, an
# init package here: the client, through libruntime-control) and
# tests/inos/rtdsleep (a `desktop` package here, so that it is listed in
# runtime-launch-programs.tsv: the program rtdtest has runtimed launch).
# STAGE_EDIT appends a malformed line to runtime-launch-programs.tsv:
# runtimed must log it as FILE:LINE and serve the rest.  rtdtest's
# "RTD ok|FAIL NAME" lines become TAP (TODO list tests/qemu/runtimed-todo.txt);
# then the boot's markers and logs are checked.
. "$top_srcdir/tests/qemu/lib.sh"

todo_file=$top_srcdir/tests/qemu/runtimed-todo.txt
[ -r "$todo_file" ] || tap_bail "no $todo_file"
wd=$(qemu_workdir runtimed)
[ -x "$top_builddir/tools/rustos-pkg/rustos-pkg" ] || tap_bail "no rustos-pkg: run make"
[ -d "$top_builddir/build/artifacts" ] || tap_bail "no build/artifacts: run make image"
[ -f "$top_builddir/build/artifacts/apps/rtdtest/rtdtest.elf" ] ||
    tap_bail "no rtdtest artifact: run make image"
reg=system/registry/system/runtime-launch-programs.tsv

# The staged registry plus one malformed line; its number goes to badline.
edit_registry() {
	printf 'desktop_id=bad.desktop\tweight=notanumber\n' >> "$1/$reg"
	grep -c '' "$1/$reg" > "$wd/badline"
}

mkdir -p "$wd/roots/inos/rtd" "$wd/roots/inos/rtdsleep"
sed -e 's/^startup = "none"/startup = "init"/' \
    "$top_srcdir/tests/inos/rtd/RUSTOS.package.toml" \
    > "$wd/roots/inos/rtd/RUSTOS.package.toml"
sed -e 's/^startup = "none"/startup = "desktop"/' \
    "$top_srcdir/tests/inos/rtdsleep/RUSTOS.package.toml" \
    > "$wd/roots/inos/rtdsleep/RUSTOS.package.toml"
roots=
for d in $(image_roots); do
	case $d in */tests/inos) roots="$roots $wd/roots/inos" ;;
	*) roots="$roots $d" ;; esac
done
# shellcheck disable=SC2086
STAGE_EDIT=edit_registry stage_profile_image test "$wd" $roots || exit 0
qemu_boot "$wd/disk.img" "$wd" 300 --test exit
suite_tap RTD "$wd" "$todo_file" > "$wd/suite.tap"
n=$(sed -n 's/^1\.\.//p' "$wd/suite.tap")
grep -v '^1\.\.' "$wd/suite.tap"
log=$wd/debugcon.txt

check() {
	n=$((n + 1))
	if grep -qF "$2" "$log"; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		echo "# no '$2' in $log"
	fi
}
check "runtimed: socket ready marker" "runtimed: runtime socket ready"
check "runtimed: launch marker" "launched rtdsleep.desktop"
check "runtimed: ui ready logged" "runtimed: ui ready received"
check "runtimed: malformed registry line logged as FILE:LINE" \
    "runtime-launch-programs.tsv:$(cat "$wd/badline"):"
n=$((n + 1))
if grep -q 'runtimed: cannot listen' "$log"; then
	echo "not ok $n - runtimed listened"
else
	echo "ok $n - runtimed listened"
fi
echo "1..$n"
exit 0
