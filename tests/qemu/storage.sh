#!/bin/sh
# storage.sh -- the AHCI driver, the block broker and vfsd's FAT root.
# Stages the `test` profile (it holds apps/fscheck) and boots it twice:
#  1. normally: the kernel finds the AHCI disk, storaged lists it, vfsd
#     mounts the FAT volume,
#     and fscheck's "FSCHECK <path> <size> <crc32>" line for every file of
#     the staged image matches the host's size and CRC-32 of that file
#     (and it names no file the image lacks); its cases pass: errors of the
#     read-only root, path metadata and cwd, and /tmp (vfsd's memfs) through
#     the kernel's write/mkdir/unlink/rename/ftruncate forwarding; "/"
#     lists the mount points tmp, run and dev;
#  2. with block.read=fail-after:4: the mount may succeed, later reads fail;
#     callers see EIO (errno 5), the kernel logs the injected failures, the
#     boot still reaches "initd: idle", and nothing panics.
# abitest (same image, tests/qemu/abitest.sh) checks that a program without
# capability bits gets -EACCES from the block and storage-list brokers.
. "$top_srcdir/tests/qemu/lib.sh"

# qemu_boot sets a global wd: keep this test's paths in other variables.
top=$(qemu_workdir storage)
wd=$top
pkg=$top_builddir/tools/rustos-pkg/rustos-pkg
[ -x "$pkg" ] || tap_bail "no $pkg: run make"
[ -d "$top_builddir/build/artifacts" ] || tap_bail "no build/artifacts: run make image"
: "${PYTHON:=python3}"
stage_profile_image test "$wd" || exit 0
tap_plan 58
disk=$top/disk.img
okd=$top/ok
fd=$top/fault

# ---- 1. a normal boot ----
mkdir -p "$okd"
qemu_boot "$disk" "$okd" 240 --test exit
tr -d '\r' < "$okd/debugcon.log" > "$okd/debugcon.txt"
log=$okd/debugcon.txt
tap_check "kernel found the AHCI boot disk" \
    grep -Eq '^ahci: disk 0 port 0 sectors=[1-9][0-9]* model=' "$log"
tap_check "storaged lists the AHCI boot disk (storage-list broker)" \
    grep -Eq '^storaged: disk 1 bus=1 sectors=[1-9][0-9]* sector_size=512 flags=0x4 model=' "$log"
tap_check "vfsd mounted the FAT volume as /" \
    grep -Eq 'msg="fat: FAT(12|16|32) volume .*RUSTOS.* mounted as /' "$log"
grep -E '^FSCHECK /' "$log" > "$top/fscheck.txt"
if "$PYTHON" - "$top/image" "$top/fscheck.txt" > "$top/compare.txt" 2>&1 <<'PYEOF'
import os, sys, zlib
root, lines = sys.argv[1], sys.argv[2]
want = {}
for d, _, files in os.walk(root):
    for f in files:
        p = os.path.join(d, f)
        with open(p, "rb") as fh:
            b = fh.read()
        want["/" + os.path.relpath(p, root)] = (len(b), zlib.crc32(b) & 0xffffffff)
got = {}
for l in open(lines):
    parts = l.split()
    if len(parts) != 4:
        continue
    got[parts[1]] = (int(parts[2]), int(parts[3], 16))
bad = 0
for p in sorted(want):
    if p not in got:
        print("missing in the OS listing: %s" % p); bad += 1
    elif got[p] != want[p]:
        print("differs: %s host %r os %r" % (p, want[p], got[p])); bad += 1
for p in sorted(set(got) - set(want)):
    print("not in the image: %s" % p); bad += 1
print("%d files compared, %d problems" % (len(want), bad))
sys.exit(1 if bad or not want else 0)
PYEOF
then
	tap_ok "every staged file read through vfsd matches build image bytes ($(tail -1 "$top/compare.txt"))"
else
	tap_not_ok "every staged file read through vfsd matches the image" \
	    "$(head -5 "$top/compare.txt")"
fi
for c in open-enoent open-wronly-erofs open-creat-erofs open-notdir \
    open-file-o-directory open-nametoolong read-dir-eisdir \
    getdents-file-enotdir read-ebadf stat-matches-fstat stat-dir stat-enoent \
    stat-trailing-slash-enotdir access-r-ok access-w-erofs access-enoent \
    readlink-einval chdir-enoent chdir-enotdir chdir-getcwd getcwd-erange \
    open-relative-to-cwd stat-dotdot-relative chdir-back-to-root \
    tmp-create tmp-write tmp-lseek-read tmp-pwrite-pread tmp-fstat-size \
    tmp-ftruncate tmp-open-excl-eexist tmp-write-rdonly-ebadf tmp-append \
    tmp-mkdir tmp-mkdir-eexist tmp-rename tmp-renamed-away-enoent \
    tmp-rmdir-enotempty tmp-getdents-lists-file tmp-unlink-dir-eisdir \
    tmp-unlink tmp-rmdir tmp-rename-exdev fat-mkdir-erofs \
    fat-mkdir-existing-eexist fat-unlink-erofs fat-unlink-enoent \
    fat-rename-erofs tmp-fill-enospc tmp-unlink-frees root-lists-mounts; do
	tap_check "fscheck case $c" grep -q "^FSCHECK case ok $c\$" "$log"
done
tap_check "fscheck finished without errors" \
    grep -Eq '^FSCHECK done files=[1-9][0-9]* errors=0$' "$log"

# ---- 2. block.read fails after 4 reads ----
mkdir -p "$fd"
qemu_boot "$disk" "$fd" 240 --faults 'block.read=fail-after:4' --test exit
tr -d '\r' < "$fd/debugcon.log" > "$fd/debugcon.txt"
flog=$fd/debugcon.txt
if grep -q 'block.read: injected failure' "$flog" &&
   grep -Eq '^FSCHECK error /.* errno=5$' "$flog"; then
	tap_ok "block.read faults: logged, callers get EIO"
else
	tap_not_ok "block.read faults: logged, callers get EIO" \
	    "$(grep -E 'block.read|^FSCHECK' "$flog" | head -5)"
fi
if grep -q '^initd: idle' "$flog" && ! grep -q '\[PANIC\]' "$flog" "$fd/serial.txt"; then
	tap_ok "block.read faults: boot completes, no [PANIC]"
else
	tap_not_ok "block.read faults: boot completes, no [PANIC]" \
	    "$(grep -h -E '\[PANIC\]|initd' "$flog" "$fd/serial.txt" | head -3)"
fi
exit 0
