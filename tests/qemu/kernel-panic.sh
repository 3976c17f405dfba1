#!/bin/sh
# kernel-panic.sh -- the exception path: with the test flag "crash" the
# kernel writes to an unmapped address after boot; the page fault must
# print [PANIC] with vector, error code, CR2, registers and a backtrace,
# and end the run with the failure code.  With "crash-stack" the main
# stack runs into its guard page; the CPU cannot push the page fault's
# frame there and raises a double fault, which runs on its IST stack.
. "$top_srcdir/tests/qemu/lib.sh"

tap_plan 7
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

wd=$(qemu_workdir kernel-panic-stack)
qemu_boot "$image_disk" "$wd" 120 --test crash-stack,exit
log=$wd/debugcon.log
if grep -q '^\[PANIC\] exception 8 (double fault)' "$log" &&
    grep -q '^\[PANIC\] vector=8 ' "$log"; then
	tap_ok "stack overflow hits the guard page: double fault on the IST stack"
else
	tap_not_ok "stack overflow hits the guard page: double fault on the IST stack" "$(grep PANIC "$log" | head -3)"
fi
if [ "$QEMU_RC" -eq 1 ] && ! grep -q 'crash-stack: no fault' "$log"; then
	tap_ok "stack overflow ends the run with the failure code"
else
	tap_not_ok "stack overflow ends the run with the failure code" "qemu-run exit $QEMU_RC (expected 1)"
fi
exit 0
