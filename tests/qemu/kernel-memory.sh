#!/bin/sh
# kernel-memory.sh -- memory maps of different shapes: a small machine
# (128 MiB) and one with RAM above 4 GiB (6 GiB, so the map has a hole
# below 4 GiB and the direct map grows past 4 GiB).  Each must boot to
# "kernel core up" without a panic, count its usable RAM plausibly, and
# pass the frame allocator and heap self tests.
. "$top_srcdir/tests/qemu/lib.sh"

tap_plan 6
[ -f "$image_disk" ] || tap_bail "no image: run make image"
for mib in 128 6144; do
	wd=$(qemu_workdir kernel-memory-$mib)
	qemu_boot "$image_disk" "$wd" 180 --memory $mib --test selftest,exit
	log=$wd/debugcon.log
	if [ "$QEMU_RC" -eq 0 ] && grep -qx 'nucleus: kernel core up' "$log" &&
	    ! grep -q '\[PANIC\]' "$log"; then
		tap_ok "$mib MiB: core up, self tests passed, no panic"
	else
		tap_not_ok "$mib MiB: core up, self tests passed, no panic" "qemu-run exit $QEMU_RC; debugcon: $log"
	fi
	usable=$(sed -n 's/.*msg="frames: [0-9]* free of [0-9]* (\([0-9]*\) MiB usable).*/\1/p' "$log")
	# Firmware keeps some RAM; the kernel must see most of it, never more.
	if [ -n "$usable" ] && [ "$usable" -le "$mib" ] &&
	    [ "$usable" -ge $((mib * 3 / 4)) ]; then
		tap_ok "$mib MiB: frame allocator sees $usable MiB"
	else
		tap_not_ok "$mib MiB: frame allocator sees a plausible amount" "usable='$usable'"
	fi
	if grep -q '^KTEST ok frame.alloc-free' "$log" &&
	    grep -q '^KTEST ok heap.large' "$log"; then
		tap_ok "$mib MiB: frame and heap self tests"
	else
		tap_not_ok "$mib MiB: frame and heap self tests" "$(grep KTEST "$log" | grep -v ' ok ')"
	fi
done
exit 0
