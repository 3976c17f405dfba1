#!/bin/sh
# syscall-report.sh -- the syscall report: which Linux x86_64 calls RustOS
# implements and where (kernel-direct, which service, not implemented).
# Prints the report (tools/abigen.py --report, built from abi/syscalls.def
# like docs/abi/syscalls.md) as TAP comments, then boots the inos profile
# (the in-OS process and file suites) and checks the report against what
# the kernel saw:
#   - every Linux number the suites used is in the report: the kernel logs
#     "syscall N is not in abi/syscalls.def" once for any unlisted number;
#   - no call the report marks implemented answered -ENOSYS: the kernel
#     logs "syscall 0xN is not implemented" once per such number;
#   - no call the report marks served=none answered anything else: the
#     kernel logs "syscall N answered R but ... says served=none";
#   - the calls the suites used that RustOS does not implement are the ones
#     the report says so (printed as comments);
#   - both suites ran to the end and nothing panicked.
. "$top_srcdir/tests/qemu/lib.sh"
: "${PYTHON:?}"

gen=$top_srcdir/tools/abigen.py
wd=$(qemu_workdir syscall-report)
"$PYTHON" "$gen" --srcdir "$top_srcdir" --report > "$wd/report.txt" \
    2> "$wd/report.err" || { echo "1..1"; tap_bail "abigen --report: $(cat "$wd/report.err")"; }
tap_plan 6
echo "# Linux syscall report (abi/syscalls.def; docs/abi/syscalls.md):"
sed 's/^/#   /' "$wd/report.txt"
total=$(wc -l < "$wd/report.txt")
none=$(grep -c 'served=none ' "$wd/report.txt")
echo "# $total calls, $((total - none)) implemented, $none not implemented"
if [ "$total" -gt 0 ]; then
	tap_ok "the report lists $total Linux calls"
else
	tap_not_ok "the report lists Linux calls" "empty report"
fi

pkg=$top_builddir/tools/rustos-pkg/rustos-pkg
[ -x "$pkg" ] || tap_bail "no $pkg: run make"
[ -d "$top_builddir/build/artifacts" ] || tap_bail "no build/artifacts: run make image"
# The inos profile with both suites as init packages (the file suite is
# "startup = none" in the tree; tests/qemu/fsuite.sh flips it the same way).
roots=
for d in $(sed -n '/^[a-z]/p' "$top_srcdir/image/package-roots"); do
	[ -d "$top_srcdir/$d" ] || continue
	if [ "$d" = tests/inos ]; then
		for m in $(cd "$top_srcdir/tests/inos" &&
		    find . -name RUSTOS.package.toml); do
			mkdir -p "$wd/roots/inos/${m%/*}"
			sed 's/^startup = "none"/startup = "init"/' \
			    "$top_srcdir/tests/inos/$m" > "$wd/roots/inos/$m"
		done
		roots="$roots $wd/roots/inos"
	else
		roots="$roots $top_srcdir/$d"
	fi
done
stage_profile_image inos "$wd" $roots || exit 0
qemu_boot "$wd/disk.img" "$wd" 600 --test exit
tr -d '\r' < "$wd/debugcon.log" > "$wd/debugcon.txt"
log=$wd/debugcon.txt

# Numbers the kernel logged: unlisted ones, and -ENOSYS answers (hex).
sed -n 's/.*syscall \([0-9][0-9]*\) is not in abi\/syscalls\.def.*/\1/p' \
    "$log" | sort -u > "$wd/unlisted"
sed -n 's/.*syscall 0x\([0-9a-f]\{1,3\}\) is not implemented.*/\1/p' \
    "$log" | while read -r h; do printf '%d\n' "0x$h"; done |
    sort -u > "$wd/enosys"
# comm(1) wants the files in the collation order of sort(1).
awk '{ print $1 }' "$wd/report.txt" | sort -u > "$wd/listed"
awk '$4 == "served=none" { print $1 }' "$wd/report.txt" | sort -u \
    > "$wd/listed-none"

missing=$(comm -13 "$wd/listed" "$wd/unlisted" | tr '\n' ' ')
if [ -z "$missing" ]; then
	tap_ok "every Linux call of the in-OS run is in the report"
else
	tap_not_ok "every Linux call of the in-OS run is in the report" \
	    "used but not in abi/syscalls.def: $missing"
fi
# And calls the report says are not implemented that answered otherwise.
sed -n 's/.*syscall \([0-9][0-9]*\) answered .* says served=none.*/\1/p' \
    "$log" | sort -u > "$wd/served-none"
wrong=$(cat "$wd/served-none" | tr '\n' ' ')
if [ -z "$wrong" ]; then
	tap_ok "no call the report marks not implemented was served"
else
	tap_not_ok "no call the report marks not implemented was served" \
	    "marked served=none, answered other than -ENOSYS: $wrong"
fi
wrong=$(comm -23 "$wd/enosys" "$wd/listed-none" | tr '\n' ' ')
if [ -z "$wrong" ]; then
	tap_ok "no call the report marks implemented answered -ENOSYS"
else
	tap_not_ok "no call the report marks implemented answered -ENOSYS" \
	    "marked implemented, answered -ENOSYS: $wrong"
fi
used_none=$(comm -12 "$wd/enosys" "$wd/listed-none" | tr '\n' ' ')
echo "# used by the in-OS run and not implemented (served=none): ${used_none:-none}"
if grep -q '^PSUITE done ' "$log" && grep -q '^FSUITE done ' "$log"; then
	tap_ok "both in-OS suites ran to the end"
else
	tap_not_ok "both in-OS suites ran to the end" \
	    "$(grep -c '^PSUITE ' "$log") PSUITE and $(grep -c '^FSUITE ' "$log") FSUITE lines"
fi
if grep -q '\[PANIC\]' "$log" "$wd/serial.txt"; then
	tap_not_ok "no [PANIC]" "$(grep -h '\[PANIC\]' "$log" "$wd/serial.txt" | head -3)"
else
	tap_ok "no [PANIC]"
fi
exit 0
