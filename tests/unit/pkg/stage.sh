#!/bin/sh
# stage.sh -- TAP test of `rustos-pkg stage` on the fixture tree
# tests/unit/pkg/tree (every kind, every startup mode, single and multiple
# desktop entries, autostart overlay files enabled and disabled, a
# winsys-dll-bundle, drivers of one provider group with a fallback_only, an
# optional package without artifact, a package of another profile).
#
# Every registry and desktop file is compared byte for byte with
# tests/unit/pkg/golden/; staging twice must give identical trees; a missing
# or stale kernel signature and a missing artifact are refused without
# touching the previous output.

: "${top_srcdir:?}" "${top_builddir:?}"
PKG=$top_builddir/tools/rustos-pkg/rustos-pkg
FIX=$top_srcdir/tests/unit/pkg
W=$top_builddir/tests/unit/pkg/stage.tmp
rm -rf "$W" && mkdir -p "$W" || exit 1

n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else nok "$1"; fi; }

ARTIFACTS="nucleus.elf EFI/BOOT/BOOTX64.EFI services/rootd/rootd.elf
services/sessiond/sessiond.elf services/uiserver/uiserver.elf
apps/wayclick/wayclick.elf apps/abifuzz/abifuzz.elf
apps/execsmoke/execsmoke.elf apps/shell/shell.elf
apps/windows/userdemo2/userdemo2.exe apps/netprobe/netprobe.elf
system/drivers/display/virtio-gpu.ko system/drivers/display/amdgpu.ko
system/drivers/display/bootfb.ko system/drivers/display/virtio-dma-buf.ko
system/drivers/input/psmouse.ko drivers/user/e1000/e1000.elf
compat/windows/System32/kernel32.dll compat/windows/System32/ntdll.dll
compat/windows/System32/drivers/etc.dll"

make_artifacts() {
	for p in $ARTIFACTS; do
		mkdir -p "$1/$(dirname "$p")" && echo "artifact $p" > "$1/$p"
	done
	# The signature is newer than the kernel.
	touch -d '2020-01-01 00:00:00' "$1/nucleus.elf"
	echo "signature" > "$1/nucleus.elf.sig"
}

stage() {
	"$PKG" stage --artifacts "$1" --overlay "$FIX/overlay" --out "$2" \
	    --profile default "$FIX/tree" > "$W/stage.out" 2> "$W/stage.err"
}

A=$W/artifacts
make_artifacts "$A"
echo "1..13"

check "stage the fixture tree" 'stage "$A" "$W/out1/image"'

# Every golden file, byte for byte, and nothing more.
gold_ok=1
for f in $(cd "$FIX/golden/registry" && find . -type f | sort); do
	cmp -s "$FIX/golden/registry/$f" "$W/out1/image/system/registry/$f" ||
	    { echo "# registry differs: $f"; gold_ok=0; }
done
for f in $(cd "$FIX/golden/applications" && find . -type f | sort); do
	cmp -s "$FIX/golden/applications/$f" \
	    "$W/out1/image/usr/share/applications/$f" ||
	    { echo "# desktop file differs: $f"; gold_ok=0; }
done
(cd "$FIX/golden/registry" && find . -type f | sort) > "$W/g1"
(cd "$W/out1/image/system/registry" && find . -type f | sort) > "$W/s1"
(cd "$FIX/golden/applications" && find . -type f | sort) > "$W/g2"
(cd "$W/out1/image/usr/share/applications" && find . -type f | sort) > "$W/s2"
cmp -s "$W/g1" "$W/s1" && cmp -s "$W/g2" "$W/s2" || gold_ok=0
check "registries and desktop files match tests/unit/pkg/golden byte for byte" \
    'test $gold_ok = 1'

check "artifacts, overlay and signature are staged; other profile and optional missing are not" \
    'cmp -s "$A/nucleus.elf.sig" "$W/out1/image/nucleus.elf.sig" &&
     test -f "$W/out1/image/etc/hostname" &&
     test -f "$W/out1/image/EFI/BOOT/BOOTX64.EFI" &&
     test -f "$W/out1/image/compat/windows/System32/drivers/etc.dll" &&
     test ! -e "$W/out1/image/apps/netprobe" &&
     test ! -e "$W/out1/image/apps/ghost"'

check "staging twice gives identical trees" \
    'stage "$A" "$W/out2/image" && diff -r "$W/out1/image" "$W/out2/image" >/dev/null'

check "restaging over an existing output replaces it whole" \
    'echo stale > "$W/out2/image/stale-file" && stage "$A" "$W/out2/image" &&
     test ! -e "$W/out2/image/stale-file" && diff -r "$W/out1/image" "$W/out2/image" >/dev/null'

# Refusals: previous output untouched, no temporary left behind.
snapshot() { (cd "$W/out2" && find . -type f | sort && cat image/system/registry/*/*) > "$1"; }
snapshot "$W/before"

B=$W/nosig
make_artifacts "$B"
rm -f "$B/nucleus.elf.sig"
check "a missing nucleus.elf.sig is refused" \
    '! stage "$B" "$W/out2/image" && grep -q "nucleus.elf.sig is missing" "$W/stage.err"'

B=$W/stale
make_artifacts "$B"
touch -d '2019-01-01 00:00:00' "$B/nucleus.elf.sig"
check "a nucleus.elf.sig older than nucleus.elf is refused" \
    '! stage "$B" "$W/out2/image" && grep -q "is older than .*nucleus.elf (stale)" "$W/stage.err"'

B=$W/noart
make_artifacts "$B"
rm -f "$B/apps/shell/shell.elf"
check "a missing non-optional artifact is refused, naming the package" \
    '! stage "$B" "$W/out2/image" && grep -q "package shell: artifact .*apps/shell/shell.elf is missing" "$W/stage.err"'

snapshot "$W/after"
check "refused stages left the previous output untouched" \
    'cmp -s "$W/before" "$W/after"'
check "refused stages left no temporary directory" \
    'test -z "$(ls -d "$W"/out2/image.* 2>/dev/null)"'

# A manifest error refuses staging before anything is written.
mkdir -p "$W/badtree/x" && cp -r "$FIX/tree/." "$W/badtree/" &&
printf 'id = "rootd"\nkind = "app"\n[build]\nbuilder = "c-program"\nsources = ["a.c"]\n[install]\npath = "apps/x/x.elf"\n' \
    > "$W/badtree/x/RUSTOS.package.toml"
check "a manifest error refuses staging and names the rule" \
    '! "$PKG" stage --artifacts "$A" --out "$W/out3/image" "$W/badtree" 2> "$W/stage.err" &&
     grep -q "duplicate package id: rootd" "$W/stage.err" && test ! -e "$W/out3/image"'

# Profile network-dev: netprobe and rootd only.
check "profile network-dev stages only its packages" \
    '"$PKG" stage --artifacts "$A" --out "$W/out4/image" --profile network-dev "$FIX/tree" 2>"$W/stage.err" &&
     test -f "$W/out4/image/apps/netprobe/netprobe.elf" && test ! -e "$W/out4/image/nucleus.elf" &&
     test "$(cut -f1 "$W/out4/image/system/registry/system/startup-programs.tsv")" = "desktop_id=netprobe.desktop" &&
     test ! -s "$W/out4/image/system/registry/kernel/loadable-drivers.tsv"'

check "check accepts the fixture tree" '"$PKG" check "$FIX/tree" >/dev/null 2>"$W/check.err"'

test $n -eq 13 || { echo "not ok - ran $n cases, planned 13"; exit 1; }
rm -rf "$W"
exit 0
