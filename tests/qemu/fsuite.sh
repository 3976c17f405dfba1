#!/bin/sh
# fsuite.sh -- the in-OS file/device suite (tests/inos/files) inside RustOS.
# Stages the `inos` profile from a copy of the tests/inos package root in
# which fsuite is an init package (its manifest says startup = "none"
# until /dev is served) and psuite is left out (tests/qemu/proc.sh runs
# it), boots it, and turns fsuite's lines into TAP: "FSUITE ok NAME" /
# "FSUITE FAIL NAME: WHY" / "FSUITE skip NAME: WHY", closed by "FSUITE done
# passed=N failed=M skipped=K".
#
# Cases RustOS does not pass yet are listed in tests/qemu/fsuite-todo.txt
# ("name reason"): reported as "not ok N - name # TODO not implemented yet:
# reason" when they fail and as "ok ... # TODO" (XPASS: shrink the list)
# when they pass, unless the reason starts with "flaky:" (then a pass is a
# SKIP).  Every case not on the list must pass.  Also checks that
# the suite ran to the end, nothing panicked and the boot finished.
. "$top_srcdir/tests/qemu/lib.sh"

todo_file=$top_srcdir/tests/qemu/fsuite-todo.txt
[ -r "$todo_file" ] || tap_bail "no $todo_file"
top=$(qemu_workdir fsuite)
wd=$top
pkg=$top_builddir/tools/rustos-pkg/rustos-pkg
[ -x "$pkg" ] || tap_bail "no $pkg: run make"
[ -d "$top_builddir/build/artifacts" ] || tap_bail "no build/artifacts: run make image"
roots=
for d in $(sed -n '/^[a-z]/p' "$top_srcdir/image/package-roots"); do
	[ -d "$top_srcdir/$d" ] || continue
	if [ "$d" = tests/inos ]; then
		mkdir -p "$top/roots/inos/files"
		sed 's/^startup = "none"/startup = "init"/' \
		    "$top_srcdir/tests/inos/files/RUSTOS.package.toml" \
		    > "$top/roots/inos/files/RUSTOS.package.toml"
		roots="$roots $top/roots/inos"
	else
		roots="$roots $top_srcdir/$d"
	fi
done
stage_profile_image inos "$top" $roots || exit 0
qemu_boot "$top/disk.img" "$top" 300 --test exit
suite_tap FSUITE "$top" "$todo_file"
exit 0
