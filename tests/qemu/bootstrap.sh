#!/bin/sh
# bootstrap.sh -- boot the default image and check the user-space bootstrap
# (docs/ai/bootstrap.md): rootd's markers in order, every core service's
# endpoint, initd's launch order with devmgrd before storaged, both init
# services up (devmgrd, storaged, netd), "initd: idle", no panic, the kernel's clean exit.  A second
# boot of the same image plus /system/registry/test/crash-services
# ("procd") checks rootd's restart budget: three restarts, then it gives up.
. "$top_srcdir/tests/qemu/lib.sh"

tap_plan 15
[ -f "$image_disk" ] || tap_bail "no image: run make image"
wd=$(qemu_workdir bootstrap)
qemu_boot "$image_disk" "$wd" 180 --test exit
log=$wd/debugcon.log

cat > "$wd/markers.txt" <<'M'
rootd: spawn syscalld
rootd: spawn vfsd
rootd: spawn loaderd
rootd: spawn procd
rootd: core services spawned, waiting for readiness
rootd: core services ready, spawning initd
rootd: initd spawned
initd: idle
M
if why=$(markers_in_order "$log" "$wd/markers.txt"); then
	tap_ok "rootd and initd markers in order"
else
	tap_not_ok "rootd and initd markers in order" "$why" "debugcon: $log"
fi
for s in syscalld:1 vfsd:2 loaderd:6 procd:9; do
	tap_check "${s%%:*} endpoint registered id=${s#*:}" \
	    grep -qx "${s%%:*}: endpoint registered id=${s#*:}" "$log"
done
# The launch order line comes after "rootd: core services ready, spawning
# initd" (not after "initd spawned": initd may print before rootd gets its
# spawn reply) and lists
# devmgrd before storaged (storaged's runtime_deps), whatever else later
# issues add to it.
order=$(awk '/^rootd: core services ready, spawning initd$/ { s = 1 } s && /^initd: launch order=/ { print; exit }' "$log")
case $order in
*services/devmgrd/devmgrd.elf*services/storaged/storaged.elf*)
	tap_ok "initd launch order after spawning initd, devmgrd before storaged" ;;
*)	tap_not_ok "initd launch order after spawning initd, devmgrd before storaged" \
	    "got: ${order:-no launch order line}" ;;
esac
tap_check "devmgrd: device policy endpoint registered" \
    grep -qx "devmgrd: device policy endpoint registered" "$log"
tap_check "storaged: storage policy endpoint registered" \
    grep -qx "storaged: storage policy endpoint registered" "$log"
tap_check "netd: socket policy endpoint registered" \
    grep -qx "netd: socket policy endpoint registered" "$log"
tap_check "netd endpoint registered id=3" \
    grep -qx "netd: endpoint registered id=3" "$log"
if grep -q '\[PANIC\]' "$log" "$wd/serial.txt"; then
	tap_not_ok "no [PANIC]" "$(grep -h '\[PANIC\]' "$log" "$wd/serial.txt" | head -3)"
else
	tap_ok "no [PANIC]"
fi
if grep -qE '^rootd: (restart|giving up)' "$log"; then
	tap_not_ok "no core service died on a normal boot" "$(grep -E '^rootd: ' "$log" | tail -3)"
else
	tap_ok "no core service died on a normal boot"
fi
if [ "$QEMU_RC" -eq 0 ]; then
	tap_ok "kernel exited cleanly after initd: idle"
else
	tap_not_ok "kernel exited cleanly after initd: idle" "qemu-run exit $QEMU_RC (124 = timeout)"
fi

# Restart budget: the same staged tree plus the crash list, re-signed.
cwd=$(qemu_workdir bootstrap-crash)
ok=1
cp -R "$image_dir" "$cwd/image" || ok=0
mkdir -p "$cwd/image/system/registry/test"
echo procd > "$cwd/image/system/registry/test/crash-services"
GPG=${GPG:-gpg} sh "$top_srcdir/tools/mkmodules" "$cwd/image" "$top_builddir/build/keys" \
    >"$cwd/stage.log" 2>&1 || ok=0
sh "$top_srcdir/tools/mkdisk" "$cwd/image" "$cwd/disk.img" >>"$cwd/stage.log" 2>&1 || ok=0
if [ $ok -eq 1 ]; then
	# No "exit" flag: initd may go idle before the last restart, so this
	# boot simply runs for a bounded time.
	qemu_boot "$cwd/disk.img" "$cwd" 60
	clog=$cwd/debugcon.log
	cat > "$cwd/markers.txt" <<'M'
rootd: restart procd attempt=1
rootd: restart procd attempt=2
rootd: restart procd attempt=3
rootd: giving up on procd after 3 restarts
M
	if why=$(markers_in_order "$clog" "$cwd/markers.txt"); then
		tap_ok "rootd restarts a crashing procd three times, then gives up"
	else
		tap_not_ok "rootd restarts a crashing procd three times, then gives up" "$why" "debugcon: $clog"
	fi
	n=$(grep -cx 'procd: endpoint registered id=9' "$clog")
	if [ "$n" -eq 4 ]; then
		tap_ok "each restarted procd registered again (4 registrations)"
	else
		tap_not_ok "each restarted procd registered again (4 registrations)" "got $n"
	fi
else
	tap_not_ok "rootd restarts a crashing procd three times, then gives up" "staging failed: $cwd/stage.log"
	tap_not_ok "each restarted procd registered again (4 registrations)" "staging failed"
fi
exit 0
