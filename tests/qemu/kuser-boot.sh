#!/bin/sh
# kuser-boot.sh -- boot the default image with the test flag "exit" and
# check the kernel side of the user-mode boot: rootd started as pid 1 from
# the boot modules, the bootstrap markers in order, every boot module
# visible in bootfs, the core services' registrations seen by the kernel,
# no process killed by a CPU exception, no [PANIC], and the run ended by
# the kernel's boot-done exit (isa-debug-exit success) after initd idled.
. "$top_srcdir/tests/qemu/lib.sh"

[ -f "$image_disk" ] || { echo "1..1"; tap_bail "no image: run make image"; }
wd=$(qemu_workdir kuser-boot)
qemu_boot "$image_disk" "$wd" 120 --test exit
tr -d '\r' < "$wd/debugcon.log" > "$wd/debugcon.txt"
log=$wd/debugcon.txt
tap_plan 8

missing=$(markers_in_order "$log" "$top_srcdir/tests/qemu/kuser-markers.txt")
if [ -z "$missing" ]; then
	tap_ok "kernel and bootstrap markers in order"
else
	tap_not_ok "kernel and bootstrap markers in order" "first missing: $missing"
fi

# initd's launch-order line comes after rootd decided to spawn it, before
# the exit.  Not after "rootd: initd spawned": initd runs as soon as loaderd
# commits it and may print before rootd gets its spawn reply.
if awk '/^rootd: core services ready, spawning initd$/ { s = 1 } /^initd: launch order=/ { if (s) l = 1 }
    /^nucleus: exit success$/ { if (l) e = 1 } END { exit !e }' "$log"; then
	tap_ok "initd launch order between 'spawning initd' and the exit"
else
	tap_not_ok "initd launch order between 'spawning initd' and the exit" \
	    "$(grep -E '^(initd|rootd):' "$log" | tail -3)"
fi

# bootfs holds exactly the modules GRUB was told to load.
mods=$(grep -c '^module2 ' "$top_builddir/build/image/boot/grub/modules.cfg" 2>/dev/null)
got=$(sed -n 's/.*msg="bootfs: \([0-9]*\) files from boot modules".*/\1/p' "$log" | head -1)
if [ -n "$got" ] && [ "$got" = "$mods" ]; then
	tap_ok "bootfs lists every boot module ($got)"
else
	tap_not_ok "bootfs lists every boot module" "modules.cfg: ${mods:-?}, bootfs: ${got:-no log line}"
fi

# The kernel granted each core id to one process.
ids=$(sed -n 's/.*msg="service id \([0-9]*\) registered by pid.*/\1/p' "$log" | sort -n | tr '\n' ' ')
ok=1
for id in 1 2 6 9; do
	case " $ids" in *" $id "*) ;; *) ok=0 ;; esac
done
if [ $ok = 1 ]; then
	tap_ok "kernel registered the core service ids 1 2 6 9 ($ids)"
else
	tap_not_ok "kernel registered the core service ids 1 2 6 9" "got: $ids"
fi

if grep -q 'killed by signal' "$log"; then
	tap_not_ok "no process killed by a CPU exception" "$(grep 'killed by signal' "$log" | head -3)"
else
	tap_ok "no process killed by a CPU exception"
fi

if grep -q 'process 1 (rootd.elf) started, parent 0' "$log"; then
	tap_ok "rootd is pid 1, started by the kernel"
else
	tap_not_ok "rootd is pid 1, started by the kernel" "$(grep 'process 1 ' "$log" | head -2)"
fi

if grep -q '\[PANIC\]' "$log" "$wd/serial.txt"; then
	tap_not_ok "no [PANIC]" "$(grep -h '\[PANIC\]' "$log" "$wd/serial.txt" | head -3)"
else
	tap_ok "no [PANIC]"
fi

if [ "$QEMU_RC" -eq 0 ]; then
	tap_ok "kernel ended the run with success after initd: idle"
else
	tap_not_ok "kernel ended the run with success after initd: idle" \
	    "qemu-run exit $QEMU_RC (1 = failure, 124 = timeout)"
fi
exit 0
