#!/bin/sh
# image.sh -- staging is deterministic (same inputs, byte-identical
# registries) and refuses a stale kernel signature.
. "$top_srcdir/tests/qemu/lib.sh"

tap_plan 4
pkg=$top_builddir/tools/rustos-pkg/rustos-pkg
[ -x "$pkg" ] || tap_bail "rustos-pkg not built"
[ -d "$image_dir" ] || tap_bail "no staged image: run make image"
wd=$(qemu_workdir image)
roots=
for d in $(sed '/^#/d' "$top_srcdir/image/package-roots"); do
	[ -d "$top_srcdir/$d" ] && roots="$roots $top_srcdir/$d"
done
stage() {
	"$pkg" stage --artifacts "$1" --overlay "$top_srcdir/image/overlay" \
	    --out "$2" --profile default $roots
}
arts=$top_builddir/build/artifacts

if stage "$arts" "$wd/a" >"$wd/stage-a.log" 2>&1; then
	tap_ok "stage into a fresh directory"
else
	tap_not_ok "stage into a fresh directory" "$(head -3 "$wd/stage-a.log")"
fi
stage "$arts" "$wd/b" >"$wd/stage-b.log" 2>&1
if diff -r -x "*.sig" "$wd/a/system/registry" "$wd/b/system/registry" >"$wd/diff.log" 2>&1 &&
   diff -r -x "*.sig" "$wd/a/system/registry" "$image_dir/system/registry" >>"$wd/diff.log" 2>&1; then
	tap_ok "registries byte-identical across stagings and with make image"
else
	tap_not_ok "registries byte-identical across stagings and with make image" "$(head -5 "$wd/diff.log")"
fi

# A kernel newer than its signature: staging must refuse and leave the
# previous output untouched.
cp -R "$arts" "$wd/arts"
touch -d '2000-01-01 00:00:00' "$wd/arts/nucleus.elf.sig"
touch "$wd/arts/nucleus.elf"
cp -R "$wd/a" "$wd/c"
if stage "$wd/arts" "$wd/c" >"$wd/stale.log" 2>&1; then
	tap_not_ok "stale signature refused" "stage succeeded"
else
	tap_ok "stale signature refused: $(head -1 "$wd/stale.log")"
fi
if diff -r "$wd/a" "$wd/c" >/dev/null 2>&1; then
	tap_ok "refused staging left the previous image untouched"
else
	tap_not_ok "refused staging left the previous image untouched"
fi
exit 0
