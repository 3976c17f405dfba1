#!/bin/sh
# proc.sh -- stage the `inos` profile (adds the in-OS process suite
# tests/inos/proc as an init package), boot it, and turn psuite's lines
# into TAP: "PSUITE ok NAME" / "PSUITE FAIL NAME: WHY" / "PSUITE skip
# NAME: WHY", closed by "PSUITE done passed=N failed=M skipped=K".
#
# Cases RustOS does not support yet are listed in tests/qemu/psuite-todo.txt
# ("name<TAB or space>reason"); they are reported as TAP TODO
# ("not ok N - name # TODO not implemented yet: reason", XFAIL for
# Automake) when they fail, and as "ok N - name # TODO ..." (XPASS, which
# Automake counts as a failure, so the list gets shrunk) when they pass.
# Every case not in that list must pass.  A case that runs in RustOS but is
# missing from the output fails unless listed too.  Also checks that the
# suite ran to the end (or that the whole suite is on the list), that
# nothing panicked and that the kernel kept running until initd: idle.
. "$top_srcdir/tests/qemu/lib.sh"

todo_file=$top_srcdir/tests/qemu/psuite-todo.txt
[ -r "$todo_file" ] || tap_bail "no $todo_file"
wd=$(qemu_workdir proc)
pkg=$top_builddir/tools/rustos-pkg/rustos-pkg
[ -x "$pkg" ] || tap_bail "no $pkg: run make"
[ -d "$top_builddir/build/artifacts" ] || tap_bail "no build/artifacts: run make image"
stage_profile_image inos "$wd" || exit 0
qemu_boot "$wd/disk.img" "$wd" 600 --test exit
suite_tap PSUITE "$wd" "$todo_file"
exit 0
