#!/bin/sh
# kuser-spawn-fault.sh -- the process.spawn fault point: with
# "process.spawn=drop-every:2" every second process creation fails
# (rootd is the first and starts; syscalld, loaderd and initd are the
# 2nd, 4th and 6th).  The kernel must log each injected failure, hand the
# error to rootd (its "spawn of ... failed" lines), keep the other services
# running, and never panic.  The boot cannot reach initd, so the run ends
# by the harness timeout; the test looks only at what happened before.
. "$top_srcdir/tests/qemu/lib.sh"

[ -f "$image_disk" ] || { echo "1..1"; tap_bail "no image: run make image"; }
wd=$(qemu_workdir kuser-spawn-fault)
qemu_boot "$image_disk" "$wd" 30 --faults 'process.spawn=drop-every:2' --test exit
tr -d '\r' < "$wd/debugcon.log" > "$wd/debugcon.txt"
log=$wd/debugcon.txt
tap_plan 6

tap_check "rule process.spawn=drop-every:2 loaded" \
    grep -q 'msg="fault-injection: rule process.spawn=drop-every n=2"' "$log"
n=$(grep -c 'process.spawn: injected failure' "$log")
if [ "$n" -ge 3 ]; then
	tap_ok "kernel logged the injected spawn failures ($n)"
else
	tap_not_ok "kernel logged the injected spawn failures" "got $n, want >= 3"
fi
tap_check "rootd (the first spawn) started as pid 1" \
    grep -q '^nucleus: rootd started pid=1$' "$log"
if grep -q '^rootd: spawn of syscalld failed: ' "$log" &&
   grep -q '^rootd: spawn of loaderd failed: ' "$log"; then
	tap_ok "rootd saw the failures of syscalld and loaderd"
else
	tap_not_ok "rootd saw the failures of syscalld and loaderd" \
	    "$(grep '^rootd:' "$log" | head -5)"
fi
tap_check "vfsd and procd (odd spawns) registered" \
    sh -c "grep -q '^vfsd: endpoint registered id=2' '$log' && grep -q '^procd: endpoint registered id=9' '$log'"
if grep -q '\[PANIC\]' "$log" "$wd/serial.txt"; then
	tap_not_ok "no [PANIC]" "$(grep -h '\[PANIC\]' "$log" "$wd/serial.txt" | head -3)"
else
	tap_ok "no [PANIC]"
fi
exit 0
