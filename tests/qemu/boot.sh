#!/bin/sh
# boot.sh -- boot the real signed image (OVMF -> GRUB -> nucleus.elf) and
# check that every boot stage marker appears in order, that the kernel's
# structured log lines are well formed, that nothing panicked, and that the
# kernel ended the run itself through isa-debug-exit.
. "$top_srcdir/tests/qemu/lib.sh"

tap_plan 6
[ -f "$image_disk" ] || tap_bail "no image: run make image"
wd=$(qemu_workdir boot)
qemu_boot "$image_disk" "$wd" 120 --test exit

if grep -q "RustOS boot manager: verifying" "$wd/serial.txt"; then
	tap_ok "GRUB boot manager ran from the signed image"
else
	tap_not_ok "GRUB boot manager ran from the signed image" "serial: $wd/serial.txt"
fi
if why=$(markers_in_order "$wd/debugcon.log" "$top_srcdir/tests/qemu/boot-markers.txt"); then
	tap_ok "boot stage markers in order"
else
	tap_not_ok "boot stage markers in order" "$why" "debugcon: $wd/debugcon.log"
fi
if grep -q '\[PANIC\]' "$wd/debugcon.log" "$wd/serial.txt"; then
	tap_not_ok "no [PANIC]" "$(grep -h '\[PANIC\]' "$wd/debugcon.log" "$wd/serial.txt" | head -3)"
else
	tap_ok "no [PANIC]"
fi
# Structured kernel log lines (spec/observability-and-faults.md).
re='^seq=[0-9]+ ts_us=[0-9]+ tick=[0-9]+ lvl=(trace|debug|info|warn|error|fatal) cat=[a-z]+ mod=[^ ]+ line=[0-9]+ pid=[^ ]+ tid=[^ ]+ msg=".*"$'
n=$(grep -cE "$re" "$wd/debugcon.log")
if [ "$n" -gt 0 ]; then
	tap_ok "structured log lines present ($n)"
else
	tap_not_ok "structured log lines present" "none matched in $wd/debugcon.log"
fi
# Every line that starts like a structured line must be one.
bad=$(grep -E '^seq=' "$wd/debugcon.log" | grep -vcE "$re")
if [ "$bad" -eq 0 ]; then
	tap_ok "every structured line well formed"
else
	tap_not_ok "every structured line well formed" "$(grep -E '^seq=' "$wd/debugcon.log" | grep -vE "$re" | head -3)"
fi
if [ "$QEMU_RC" -eq 0 ]; then
	tap_ok "kernel exited cleanly through isa-debug-exit"
else
	tap_not_ok "kernel exited cleanly through isa-debug-exit" "qemu-run exit $QEMU_RC (124 = timeout)"
fi
exit 0
