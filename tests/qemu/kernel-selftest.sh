#!/bin/sh
# kernel-selftest.sh -- boot the image with the test flags "selftest,exit"
# and turn every in-kernel "KTEST ok|FAIL <name>" line into a TAP case,
# plus cases for the summary line, no [PANIC], and the exit status.
. "$top_srcdir/tests/qemu/lib.sh"

[ -f "$image_disk" ] || { echo "1..1"; tap_bail "no image: run make image"; }
wd=$(qemu_workdir kernel-selftest)
qemu_boot "$image_disk" "$wd" 180 --test selftest,exit
log=$wd/debugcon.log

tr -d '\r' < "$log" | grep -E '^KTEST (ok|FAIL) ' > "$wd/ktest.txt"
n=$(wc -l < "$wd/ktest.txt")
tap_plan $((n + 4))
while IFS= read -r line; do
	case $line in
	"KTEST ok "*) tap_ok "kernel: ${line#KTEST ok }" ;;
	*) rest=${line#KTEST FAIL }; tap_not_ok "kernel: ${rest%%:*}" "$line" ;;
	esac
done < "$wd/ktest.txt"

# The self tests must have run at all, and all of them.
if [ "$n" -ge 10 ]; then
	tap_ok "at least 10 self test cases reported ($n)"
else
	tap_not_ok "at least 10 self test cases reported" "got $n; debugcon: $log"
fi
summary=$(grep -E '^KTEST done passed=[0-9]+ failed=[0-9]+' "$log" | tr -d '\r')
if [ -n "$summary" ] && [ "${summary##*failed=}" = 0 ] &&
    [ "$(echo "$summary" | sed 's/.*passed=\([0-9]*\).*/\1/')" -eq "$n" ]; then
	tap_ok "summary line: $summary"
else
	tap_not_ok "summary line matches the cases" "summary: '$summary', cases: $n"
fi
if grep -q '\[PANIC\]' "$log"; then
	tap_not_ok "no [PANIC]" "$(grep '\[PANIC\]' "$log" | head -3)"
else
	tap_ok "no [PANIC]"
fi
if [ "$QEMU_RC" -eq 0 ]; then
	tap_ok "kernel reported success through isa-debug-exit"
else
	tap_not_ok "kernel reported success through isa-debug-exit" "qemu-run exit $QEMU_RC (1 = failure, 124 = timeout)"
fi
exit 0
