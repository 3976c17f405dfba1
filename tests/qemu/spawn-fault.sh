#!/bin/sh
# spawn-fault.sh -- the process.spawn fault point after bootstrap: with
# "process.spawn=fail-after:6" the first six process creations pass
# (rootd, syscalld, vfsd, loaderd, procd, initd) and every later one
# fails, so each package initd launches through loaderd fails at the
# kernel's commit.  The caller must see the error (loaderd's build
# failure and initd's "initd: launch <exec> failed: -11", EAGAIN), the
# core services must stay registered, initd must carry on to
# "initd: idle" and the kernel must end the boot cleanly, with no panic.
. "$top_srcdir/tests/qemu/lib.sh"

[ -f "$image_disk" ] || { echo "1..1"; tap_bail "no image: run make image"; }
wd=$(qemu_workdir spawn-fault)
qemu_boot "$image_disk" "$wd" 300 --faults 'process.spawn=fail-after:6' \
    --test exit
tr -d '\r' < "$wd/debugcon.log" > "$wd/debugcon.txt"
log=$wd/debugcon.txt
tap_plan 8

tap_check "rule process.spawn=fail-after:6 loaded" \
    grep -q 'msg="fault-injection: rule process.spawn=fail-after n=6"' "$log"
tap_check "rootd spawned initd (the six bootstrap spawns passed)" \
    grep -q '^rootd: initd spawned$' "$log"
n=$(grep -c 'process.spawn: injected failure' "$log")
if [ "$n" -ge 1 ]; then
	tap_ok "kernel logged the injected spawn failures ($n)"
else
	tap_not_ok "kernel logged the injected spawn failures" "got 0"
fi
if grep -q 'process build failed: -11' "$log"; then
	tap_ok "loaderd reported the failed build with -EAGAIN"
else
	tap_not_ok "loaderd reported the failed build with -EAGAIN" \
	    "$(grep 'loaderd' "$log" | tail -3)"
fi
nf=$(grep -c '^initd: launch .* failed: -11$' "$log")
if [ "$nf" -ge 1 ]; then
	tap_ok "initd saw its launches fail with -EAGAIN ($nf)"
else
	tap_not_ok "initd saw its launches fail with -EAGAIN" \
	    "$(grep '^initd:' "$log" | head -5)"
fi
for s in 'syscalld: endpoint registered id=1' 'vfsd: endpoint registered id=2' \
    'loaderd: endpoint registered id=6' 'procd: endpoint registered id=9'; do
	grep -q "^$s\$" "$log" || missing="$missing ${s%%:*}"
done
if [ -z "$missing" ]; then
	tap_ok "the core services stayed registered"
else
	tap_not_ok "the core services stayed registered" "missing:$missing"
fi
if grep -q '^initd: idle$' "$log" && [ "$QEMU_RC" -eq 0 ]; then
	tap_ok "initd reached idle and the kernel ended the boot cleanly"
else
	tap_not_ok "initd reached idle and the kernel ended the boot cleanly" \
	    "qemu-run status $QEMU_RC" "$(grep '^initd:' "$log" | tail -2)"
fi
if grep -q '\[PANIC\]' "$log" "$wd/serial.txt"; then
	tap_not_ok "no [PANIC]" "$(grep -h '\[PANIC\]' "$log" "$wd/serial.txt" | head -3)"
else
	tap_ok "no [PANIC]"
fi
exit 0
