#!/bin/sh
# build.sh -- TAP test of `rustos-pkg build`: an out-of-tree c-program
# package is built with $CC (musl-gcc) against an SDK prefix found through
# pkg-config or, without a .pc file, through --prefix (headers next to the
# sources are found too); failures are one clear message and exit 1.  Also
# checks that every manifest of this tree passes `rustos-pkg check`.

: "${top_srcdir:?}" "${top_builddir:?}"
PKG=$top_builddir/tools/rustos-pkg/rustos-pkg
W=$top_builddir/tests/unit/pkg/build.tmp
rm -rf "$W" && mkdir -p "$W/prefix/include/rustos" "$W/pc" "$W/hello" || exit 1
CC=${CC:-musl-gcc}
export CC

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; sed 's/^/# /' "$W/err" 2>/dev/null; }
check() { if eval "$2"; then ok "$1"; else nok "$1"; fi; }
echo "1..8"

# A minimal SDK prefix: the observability header is all hello.c needs.
cp "$top_srcdir/include/rustos/observability.h" "$W/prefix/include/rustos/"
cat > "$W/hello/hello.c" <<'EOF'
#include <stdio.h>
#include <rustos/observability.h>
#include "greeting.h"

int
main(void)
{
	printf("%s %d\n", GREETING, RUSTOS_LOG_CAT_COUNT);
	return (0);
}
EOF
echo '#define GREETING "hello from a third-party package"' > "$W/hello/greeting.h"
cat > "$W/hello/RUSTOS.package.toml" <<'EOF'
id = "hello"
kind = "app"

[build]
builder = "c-program"
sources = ["hello.c"]
extra_args = ["-Wall", "-Werror"]

[install]
path = "apps/hello/hello.elf"

[[desktop.entries]]
display_name = "Hello"
weight_micros = 100
EOF
# Keep pkg-config away from any SDK installed on this machine.
PKG_CONFIG_LIBDIR=$W/pc
PKG_CONFIG_PATH=
export PKG_CONFIG_LIBDIR PKG_CONFIG_PATH

check "build with --prefix when pkg-config knows no SDK" \
    '"$PKG" build --prefix "$W/prefix" --out "$W/out" "$W/hello" > "$W/out.log" 2> "$W/err" &&
     grep -q -- "-I$W/prefix/include" "$W/out.log"'
check "the built program runs" \
    'test "$("$W/out/apps/hello/hello.elf")" = "hello from a third-party package 17"'
check "linkage static gives a static executable (no musl dynamic loader)" \
    '! grep -q "ld-musl" "$W/out/apps/hello/hello.elf"'

mkdir -p "$W/prefix/lib/pkgconfig"
# Installed elsewhere (DESTDIR, moved): --prefix relocates the .pc file.
cat > "$W/prefix/lib/pkgconfig/rustos-user-abi.pc" <<EOF
prefix=/nonexistent/usr/local
includedir=\${prefix}/include
Name: rustos-user-abi
Description: test SDK
Version: 0.1.0
Cflags: -I\${includedir} -DFROM_PKG_CONFIG
Libs:
EOF
rm -rf "$W/out"
check "build through pkg-config, the .pc file relocated to --prefix" \
    '"$PKG" build --prefix "$W/prefix" --out "$W/out" "$W/hello" > "$W/out.log" 2> "$W/err" &&
     grep -q -- "-I$W/prefix/include -DFROM_PKG_CONFIG" "$W/out.log" && test -x "$W/out/apps/hello/hello.elf"'

cp -r "$W/hello" "$W/broken"
echo 'syntax error here' >> "$W/broken/hello.c"
check "a compile error is exit 1 with a message naming the package" \
    '! "$PKG" build --prefix "$W/prefix" --out "$W/out2" "$W/broken" > "$W/out.log" 2> "$W/err" &&
     grep -q "rustos-pkg: .*building package hello failed" "$W/err"'

mkdir -p "$W/winsys"
printf 'id = "w"\nkind = "compat"\n[build]\nbuilder = "winsys-dll-bundle"\n[install]\npath = "compat/w"\nlayout = "directory"\n' \
    > "$W/winsys/RUSTOS.package.toml"
check "a builder other than c-program is refused" \
    '! "$PKG" build --out "$W/out3" "$W/winsys" > "$W/out.log" 2> "$W/err" &&
     grep -q "supports c-program only" "$W/err"'
check "a missing manifest is refused" \
    '! "$PKG" build --out "$W/out3" "$W/nothing" > "$W/out.log" 2> "$W/err" &&
     grep -q "failed to read .*nothing/RUSTOS.package.toml" "$W/err"'

# The tree's own manifests (the roots image/local.mk stages) stay valid.
roots=
for d in $(sed '/^#/d' "$top_srcdir/image/package-roots"); do
	test -d "$top_srcdir/$d" && roots="$roots $top_srcdir/$d"
done
check "every RUSTOS.package.toml of this tree passes rustos-pkg check" \
    '"$PKG" check $roots > "$W/out.log" 2> "$W/err"'

[ $n -eq 8 ] || exit 1
rm -rf "$W"
exit 0
