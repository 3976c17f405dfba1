#!/bin/sh
# fat-corrupt.sh -- vfsd's FAT root on a damaged volume.  Stages the `test`
# profile (it holds apps/fscheck, which reads every file of the volume),
# adds a directory /corrupt with five files, rebuilds the disk and damages
# four of them with tests/qemu/fat-damage.py: a cluster-chain loop
# (loop.bin), an out-of-range first cluster (range.bin), a directory entry
# whose size outruns its chain (size.bin) and a subdirectory whose first
# cluster is out of range (baddir).  Boots it and checks that reading each
# damaged one fails with EIO (errno 5), that vfsd logs why, that the
# undamaged file in the same directory still reads back byte for byte and
# that vfsd stays up (fscheck's /tmp cases, run after the walk, pass; no
# panic, the boot finishes).
. "$top_srcdir/tests/qemu/lib.sh"

top=$(qemu_workdir fat-corrupt)
wd=$top
[ -x "$top_builddir/tools/rustos-pkg/rustos-pkg" ] || tap_bail "no rustos-pkg: run make"
[ -d "$top_builddir/build/artifacts" ] || tap_bail "no build/artifacts: run make image"
: "${PYTHON:=python3}"
stage_profile_image test "$top" || exit 0
tap_plan 11
c=$top/image/corrupt
mkdir -p "$c/baddir"
# Contents the host can check: loop.bin spans 3 clusters of 32 KiB.
"$PYTHON" - "$c" <<'PYEOF'
import sys
d = sys.argv[1]
def put(name, n, seed):
    with open(d + "/" + name, "wb") as f:
        f.write(bytes((i * seed + i // 251) & 0xff for i in range(n)))
put("good.bin", 70001, 7)
put("loop.bin", 80000, 11)
put("range.bin", 5000, 13)
put("size.bin", 100, 17)
put("baddir/inner.bin", 10, 19)
PYEOF
good_size=$(wc -c < "$c/good.bin" | tr -d ' ')
good_crc=$("$PYTHON" -c 'import sys, zlib; print("%08x" % (zlib.crc32(open(sys.argv[1], "rb").read()) & 0xffffffff))' "$c/good.bin")
if sh "$top_srcdir/tools/mkdisk" "$top/image" "$top/disk.img" >> "$top/stage.log" 2>&1 &&
   "$PYTHON" "$top_srcdir/tests/qemu/fat-damage.py" "$top/disk.img" corrupt > "$top/damage.txt" 2>&1; then
	tap_ok "volume built and damaged ($(tail -1 "$top/damage.txt"))"
else
	tap_not_ok "volume built and damaged" "$(tail -3 "$top/damage.txt" "$top/stage.log")"
fi
mkdir -p "$top/run"
qemu_boot "$top/disk.img" "$top/run" 240 --test exit
tr -d '\r' < "$top/run/debugcon.log" > "$top/run/debugcon.txt"
log=$top/run/debugcon.txt
for f in loop.bin range.bin size.bin; do
	tap_check "reading /corrupt/$f fails with EIO" \
	    grep -Eq "^FSCHECK error /corrupt/$f (open|read) errno=5\$" "$log"
done
tap_check "listing /corrupt/baddir fails with EIO" \
    grep -Eq '^FSCHECK error /corrupt/baddir (opendir|getdents64) errno=5$' "$log"
tap_check "vfsd logs the loop" grep -Eq 'fatfs: chain from cluster [0-9]+ .*\(loop\?\)' "$log"
tap_check "vfsd logs the out-of-range clusters" \
    grep -Eq 'fatfs: (file range.bin|directory baddir): first cluster [0-9]+ out of range' "$log"
tap_check "vfsd logs the entry whose chain ends before its size" \
    grep -Eq 'fatfs: chain from cluster [0-9]+ ends before the file size 16777216' "$log"
tap_check "the undamaged file beside them reads back intact" \
    grep -Eq "^FSCHECK /corrupt/good.bin $good_size $good_crc\$" "$log"
tap_check "vfsd stays up: fscheck's later cases pass, 4 errors in all" \
    sh -c "grep -q '^FSCHECK case ok tmp-unlink-frees\$' '$log' &&
        grep -Eq '^FSCHECK done files=[1-9][0-9]* errors=4\$' '$log'"
if grep -q '^initd: idle' "$log" && ! grep -q '\[PANIC\]' "$log" "$top/run/serial.txt"; then
	tap_ok "the boot completes, no [PANIC]"
else
	tap_not_ok "the boot completes, no [PANIC]" \
	    "$(grep -h -E '\[PANIC\]|initd|FSCHECK done' "$log" "$top/run/serial.txt" | head -3)"
fi
exit 0
