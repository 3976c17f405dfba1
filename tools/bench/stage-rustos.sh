#!/bin/sh
# stage-rustos.sh -- the RustOS side's boot disk for `make bench`: the real
# image staged with `rustos-pkg stage --profile bench` (kernel, boot
# manager, core services, initd, and apps/bench, which initd runs to
# completion), its signed boot modules and the FAT disk, as `make image`
# and tests/qemu/abitest.sh make them.
#
# usage: stage-rustos.sh SRCDIR BUILDDIR OUTDIR   (leaves OUTDIR/disk.img)
set -eu

[ $# -eq 3 ] || { echo "usage: stage-rustos.sh SRCDIR BUILDDIR OUTDIR" >&2; exit 2; }
src=$1 build=$2 out=$3
pkg=$build/tools/rustos-pkg/rustos-pkg
[ -x "$pkg" ] || { echo "bench: no $pkg: run make" >&2; exit 1; }
[ -d "$build/build/artifacts" ] || { echo "bench: no build/artifacts: run make image" >&2; exit 1; }
mkdir -p "$out"

# The package roots of the image (image/package-roots); the kernel, boot
# manager and service manifests list the `bench` profile.
roots=
for d in $(sed '/^#/d; /^[[:space:]]*$/d' "$src/image/package-roots"); do
	[ -d "$src/$d" ] && roots="$roots $src/$d"
done

echo "bench: staging the RustOS image (profile bench) in $out"
# shellcheck disable=SC2086
"$pkg" stage --artifacts "$build/build/artifacts" \
    --overlay "$src/image/overlay" --out "$out/image" --profile bench \
    $roots > "$out/stage.log" 2>&1 || {
	cat "$out/stage.log" >&2
	exit 1
}
[ -f "$out/image/apps/bench/bench.elf" ] || {
	echo "bench: the staged image has no apps/bench/bench.elf" >&2; exit 1; }
[ -f "$out/image/nucleus.elf" ] || {
	echo "bench: the staged image has no nucleus.elf" >&2; exit 1; }
GPG=${GPG:-gpg} sh "$src/tools/mkmodules" "$out/image" "$build/build/keys" >> "$out/stage.log" 2>&1 &&
sh "$src/tools/mkdisk" "$out/image" "$out/disk.img" >> "$out/stage.log" 2>&1 || {
	cat "$out/stage.log" >&2
	exit 1
}
