#!/bin/sh
# kernel-opt-levels.sh -- the kernel must work at every [kernel.build]
# opt_level 0..3 (spec/observability-and-faults.md).  For each level a
# variant nucleus.elf is built into this test's work directory through the
# kernel's own make rules (KERNEL_OBJDIR/KERNEL_ELF overrides,
# RUSTOS_KERNEL_OPT_LEVEL), swapped into a copy of the staged image, signed
# with the build's key, and booted with "selftest,exit".
. "$top_srcdir/tests/qemu/lib.sh"

levels="0 1 2 3"
tap_plan 8
[ -f "$image_disk" ] && [ -d "$image_dir" ] && [ -f "$top_builddir/build/keys/env" ] ||
	tap_bail "no staged image or signing key: run make image"
base=$(qemu_workdir kernel-opt-levels)
for n in $levels; do
	wd=$base/O$n
	mkdir -p "$wd"
	if ! RUSTOS_KERNEL_OPT_LEVEL=$n ${MAKE:-make} -s -C "$top_builddir" \
	    KERNEL_OBJDIR="$wd/obj" KERNEL_ELF="$wd/nucleus.elf" \
	    "$wd/nucleus.elf" > "$wd/build.log" 2>&1; then
		tap_not_ok "opt_level $n: kernel builds" "$(tail -5 "$wd/build.log")"
		tap_not_ok "opt_level $n: boots and passes the self tests" "not built"
		continue
	fi
	if grep -q -e "^-O$n " "$wd/obj/kernel-cflags"; then
		tap_ok "opt_level $n: kernel builds with -O$n"
	else
		tap_not_ok "opt_level $n: kernel builds with -O$n" "flags: $(cat "$wd/obj/kernel-cflags")"
	fi
	cp -R "$image_dir" "$wd/image"
	cp -f "$wd/nucleus.elf" "$wd/image/nucleus.elf"
	$SHELL "$top_srcdir/tools/sign-file" "$top_builddir/build/keys" \
	    "$wd/image/nucleus.elf" > "$wd/sign.log" 2>&1 &&
	$SHELL "$top_srcdir/tools/mkdisk" "$wd/image" "$wd/disk.img" > "$wd/disk.log" 2>&1
	rm -rf "$wd/image"
	qemu_boot "$wd/disk.img" "$wd" 180 --test selftest,exit
	rm -f "$wd/disk.img"
	summary=$(grep '^KTEST done' "$wd/debugcon.log")
	if [ "$QEMU_RC" -eq 0 ] && grep -qx 'nucleus: kernel core up' "$wd/debugcon.log" &&
	    [ "${summary##*failed=}" = 0 ] && ! grep -q '\[PANIC\]' "$wd/debugcon.log"; then
		tap_ok "opt_level $n: boots and passes the self tests ($summary)"
	else
		tap_not_ok "opt_level $n: boots and passes the self tests" \
		    "qemu-run exit $QEMU_RC; $summary; debugcon: $wd/debugcon.log"
	fi
done
exit 0
