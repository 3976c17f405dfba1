#!/bin/sh
# stage-rustos.sh -- the RustOS side's boot disk for `make bench`: the real
# image staged with `rustos-pkg stage --profile bench` (kernel, boot
# manager, core services, initd, and apps/bench, which initd runs to
# completion), its signed boot modules and the FAT disk, as `make image`
# and tests/qemu/abitest.sh make them.
#
# usage: stage-rustos.sh SRCDIR BUILDDIR OUTDIR   (leaves OUTDIR/disk.img)
#
# Until the kernel, boot-manager and service manifests list the `bench`
# profile themselves, staging reads a copy of the tree's manifests in which
# every non-app package of the `default` profile also has `bench` (said on
# stdout); the artifacts are the same either way.
set -eu

[ $# -eq 3 ] || { echo "usage: stage-rustos.sh SRCDIR BUILDDIR OUTDIR" >&2; exit 2; }
src=$1 build=$2 out=$3
pkg=$build/tools/rustos-pkg/rustos-pkg
[ -x "$pkg" ] || { echo "bench: no $pkg: run make" >&2; exit 1; }
[ -d "$build/build/artifacts" ] || { echo "bench: no build/artifacts: run make image" >&2; exit 1; }
mkdir -p "$out"

# The package roots of the image (image/package-roots when the tree has
# it, else the folders image/local.mk has always staged).
if [ -f "$src/image/package-roots" ]; then
	list=$(sed '/^#/d; /^[[:space:]]*$/d' "$src/image/package-roots")
else
	list="kernel image services apps drivers compat"
fi
roots=
for d in $list; do
	[ -d "$src/$d" ] && roots="$roots $d"
done

if grep -Eq '^profiles *=.*"bench"' "$src/kernel/RUSTOS.package.toml"; then
	mroot=$src
else
	echo "bench: note: kernel/services manifests do not list profile" \
	    "\"bench\" yet; staging from a copy that adds it to every" \
	    "non-app package of the default profile"
	mroot=$out/manifests
	rm -rf "$mroot"
	# shellcheck disable=SC2086
	(cd "$src" && find $roots -name build -prune -o \
	    -name RUSTOS.package.toml -print) | while IFS= read -r m; do
		mkdir -p "$mroot/$(dirname "$m")"
		if grep -Eq '^kind *= *"app"' "$src/$m" ||
		   ! grep -Eq '^profiles *=.*"default"' "$src/$m"; then
			cp "$src/$m" "$mroot/$m"
		else
			sed 's/^profiles *= *\[/profiles = ["bench", /' \
			    "$src/$m" > "$mroot/$m"
		fi
	done
fi

proots=
for d in $roots; do
	[ -d "$mroot/$d" ] && proots="$proots $mroot/$d"
done
echo "bench: staging the RustOS image (profile bench) in $out"
# shellcheck disable=SC2086
"$pkg" stage --artifacts "$build/build/artifacts" \
    --overlay "$src/image/overlay" --out "$out/image" --profile bench \
    $proots > "$out/stage.log" 2>&1 || {
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
