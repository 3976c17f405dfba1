#!/bin/sh
# abitest.sh -- stage the `test` profile (adds apps/abitest and
# apps/ipcbench as init packages), boot it, and turn abitest's lines into
# TAP: "ABITEST ok NAME" / "ABITEST FAIL NAME: WHY", closed by
# "ABITEST done passed=N failed=M" (which must agree with the lines).  Also
# checks ipcbench's BENCH line, the scheduler split of the two schedspin
# probes (weights 100 and 300 us: their iteration counts over the same
# window must give a ratio in [2.0, 4.5], the bound of the kernel's own
# sched.fairness self test.  It is a share, not a speed: TCG's guest clock is
# the host's wall clock, so host load shifts work between slices and the
# ratio swings (2.45..4.44 seen at load 4..10); ignored weights give ~1.0,
# swapped ones ~0.33), and that nothing panicked.
. "$top_srcdir/tests/qemu/lib.sh"

wd=$(qemu_workdir abitest)
pkg=$top_builddir/tools/rustos-pkg/rustos-pkg
[ -x "$pkg" ] || tap_bail "no $pkg: run make"
[ -d "$top_builddir/build/artifacts" ] || tap_bail "no build/artifacts: run make image"
stage_profile_image test "$wd" || exit 0
qemu_boot "$wd/disk.img" "$wd" 240 --test exit
log=$wd/debugcon.log

n=0 fails=0
while IFS= read -r l; do
	case $l in
	"ABITEST ok "*)
		n=$((n + 1)); echo "ok $n - ${l#ABITEST ok }" ;;
	"ABITEST FAIL "*)
		n=$((n + 1)); fails=$((fails + 1))
		r=${l#ABITEST FAIL }
		echo "not ok $n - ${r%%:*}"
		echo "# ${r#*: }" ;;
	esac
done <<EOF2
$(tr -d '\r' < "$log" | grep -E '^ABITEST (ok|FAIL) ')
EOF2
done_line=$(grep -E '^ABITEST done passed=[0-9]+ failed=[0-9]+$' "$log" | tail -1)
n=$((n + 1))
if [ -n "$done_line" ] && [ "$done_line" = "ABITEST done passed=$((n - 1 - fails)) failed=$fails" ] &&
   [ "$n" -gt 40 ]; then
	echo "ok $n - abitest ran to the end, counts agree ($done_line)"
else
	echo "not ok $n - abitest ran to the end, counts agree"
	echo "# done line: ${done_line:-missing}; lines seen: $((n - 1)); debugcon: $log"
fi
n=$((n + 1))
bench=$(grep -E '^BENCH ipc_roundtrip iters=[0-9]+ min_ns=[0-9]+ med_ns=[0-9]+$' "$log" | tail -1)
if [ -n "$bench" ]; then
	echo "ok $n - ipcbench: $bench"
else
	echo "not ok $n - ipcbench printed its BENCH ipc_roundtrip line"
	echo "# $(grep -E '^BENCH' "$log" | head -1)"
fi
n=$((n + 1))
w1=$(sed -n 's/^SCHEDSPIN label=w100 window=\([0-9]*\) iters=\([0-9]*\)$/\1 \2/p' "$log" | tail -1)
w3=$(sed -n 's/^SCHEDSPIN label=w300 window=\([0-9]*\) iters=\([0-9]*\)$/\1 \2/p' "$log" | tail -1)
if [ -z "$w1" ] || [ -z "$w3" ]; then
	echo "not ok $n - scheduler weights 100:300 give a 1:3 CPU split"
	echo "# SCHEDSPIN lines missing: w100='$w1' w300='$w3'"
elif [ "${w1%% *}" != "${w3%% *}" ]; then
	echo "not ok $n - scheduler weights 100:300 give a 1:3 CPU split"
	echo "# the probes measured different windows: $w1 / $w3"
elif awk -v a="${w1#* }" -v b="${w3#* }" 'BEGIN {
	if (a <= 0) exit 1
	r = b / a; printf "# measured ratio w300/w100 = %.3f (%d / %d)\n", r, b, a
	exit !(r >= 2.0 && r <= 4.5) }'; then
	echo "ok $n - scheduler weights 100:300 give a 1:3 CPU split (ratio in [2.0, 4.5])"
else
	echo "not ok $n - scheduler weights 100:300 give a 1:3 CPU split (ratio in [2.0, 4.5])"
fi
end_of_boot_checks "$log" "$wd"
echo "1..$n"
exit 0
