#!/bin/sh
# fault-alloc-frame.sh -- the alloc.frame fault point.  Boots with
# alloc.frame=fail-after:8 and the "alloc-probe" test flag: the kernel must
# log the injected failure, the probe must see its allocation fail, report
# it and give its frames back, and the kernel must reach "kernel core up"
# and exit cleanly -- no [PANIC], no hang.  A second boot with a malformed
# rule string must log a warning naming the rule and boot on with the
# rules ignored.
. "$top_srcdir/tests/qemu/lib.sh"

tap_plan 9
[ -f "$image_disk" ] || tap_bail "no image: run make image"

wd=$(qemu_workdir fault-alloc-frame)
qemu_boot "$image_disk" "$wd" 120 --faults 'alloc.frame=fail-after:8' --test alloc-probe,exit
log=$wd/debugcon.log
if grep -q 'msg="fault-injection: rule alloc.frame=fail-after n=8"' "$log"; then
	tap_ok "rule alloc.frame=fail-after:8 loaded from fw_cfg"
else
	tap_not_ok "rule alloc.frame=fail-after:8 loaded from fw_cfg" "debugcon: $log"
fi
if grep -q 'lvl=warn cat=memory .*msg="alloc.frame: injected failure' "$log"; then
	tap_ok "injected frame failure logged at the allocator"
else
	tap_not_ok "injected frame failure logged at the allocator" "debugcon: $log"
fi
if grep -q '^alloc-probe: failed cleanly after [0-9]* frames' "$log" &&
    grep -q 'lvl=error cat=memory .*msg="alloc-probe: frame allocation [0-9]* failed (-12)' "$log"; then
	tap_ok "caller saw -ENOMEM, logged it and released its frames"
else
	tap_not_ok "caller saw -ENOMEM, logged it and released its frames" "debugcon: $log"
fi
if markers_in_order "$log" "$top_srcdir/tests/qemu/boot-markers.txt" >/dev/null &&
    grep -qx 'nucleus: kernel core up' "$log"; then
	tap_ok "kernel core still came up"
else
	tap_not_ok "kernel core still came up" "debugcon: $log"
fi
if grep -q '\[PANIC\]' "$log"; then
	tap_not_ok "no [PANIC] under alloc.frame failure" "$(grep '\[PANIC\]' "$log" | head -3)"
else
	tap_ok "no [PANIC] under alloc.frame failure"
fi
if [ "$QEMU_RC" -eq 0 ]; then
	tap_ok "kernel ended the run cleanly"
else
	tap_not_ok "kernel ended the run cleanly" "qemu-run exit $QEMU_RC (124 = timeout)"
fi

wd=$(qemu_workdir fault-bad-rule)
qemu_boot "$image_disk" "$wd" 120 --faults 'alloc.frame=fail;alloc.frame=sometimes' --test alloc-probe,exit
log=$wd/debugcon.log
if grep -q 'lvl=warn .*msg="fault-injection: bad rule at offset [0-9]* (\\"alloc.frame=sometimes\\"): .*; all rules ignored"' "$log"; then
	tap_ok "bad rule string: one warning naming the rule"
else
	tap_not_ok "bad rule string: one warning naming the rule" "debugcon: $log"
fi
if grep -q '^alloc-probe: no failure in [0-9]* frames' "$log"; then
	tap_ok "bad rule string: all rules ignored (alloc.frame=fail not applied)"
else
	tap_not_ok "bad rule string: all rules ignored" "debugcon: $log"
fi
if [ "$QEMU_RC" -eq 0 ] && ! grep -q '\[PANIC\]' "$log"; then
	tap_ok "bad rule string: boot completes cleanly"
else
	tap_not_ok "bad rule string: boot completes cleanly" "qemu-run exit $QEMU_RC"
fi
exit 0
