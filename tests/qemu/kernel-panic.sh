#!/bin/sh
# kernel-panic.sh -- the exception path: with the test flag "crash" the
# kernel writes to an unmapped address after boot; the page fault must
# print [PANIC] with vector, error code, CR2, registers and a backtrace,
# and end the run with the failure code.
. "$top_srcdir/tests/qemu/lib.sh"

tap_plan 5
[ -f "$image_disk" ] || tap_bail "no image: run make image"
wd=$(qemu_workdir kernel-panic)
qemu_boot "$image_disk" "$wd" 120 --test crash,exit
log=$wd/debugcon.log
if grep -q '^\[PANIC\] exception 14 (page fault)' "$log"; then
	tap_ok "page fault reported as [PANIC]"
else
	tap_not_ok "page fault reported as [PANIC]" "debugcon: $log"
fi
if grep -q '^\[PANIC\] vector=14 error=0x[0-9a-f]* cr2=0x10$' "$log"; then
	tap_ok "vector, error code and CR2"
else
	tap_not_ok "vector, error code and CR2" "$(grep PANIC "$log" | head -3)"
fi
if grep -q '^\[PANIC\] rip=' "$log" && grep -q '^\[PANIC\] r12=' "$log"; then
	tap_ok "register dump"
else
	tap_not_ok "register dump" "debugcon: $log"
fi
if grep -q '^\[PANIC\]   #0 0xffffffff8' "$log"; then
	tap_ok "frame-pointer backtrace"
else
	tap_not_ok "frame-pointer backtrace" "$(grep -A3 backtrace "$log")"
fi
if [ "$QEMU_RC" -eq 1 ]; then
	tap_ok "panic ends the run with the failure code"
else
	tap_not_ok "panic ends the run with the failure code" "qemu-run exit $QEMU_RC (expected 1)"
fi
exit 0
