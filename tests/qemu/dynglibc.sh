#!/bin/sh
# dynglibc.sh -- a dynamically linked glibc program in RustOS: build a
# `gcc -pie` hello (tests/qemu/dynglibc/hello.c) with the host gcc now,
# stage the `test` profile plus, from the host, glibc's dynamic loader
# (/lib64/ld-linux-x86-64.so.2) and libc.so.6
# (/lib/x86_64-linux-gnu/libc.so.6) as compat packages and the hello as an
# init app, boot it, and check that initd's launch, the hello's execve of
# itself and its execve of a copy in /tmp (a program vfsd confines to the
# linux-runtime access profile) all ran through glibc's loader:
# "GLIBCDYN start|image|tmp argc=N ld.so=at AT_BASE libc=libc.so.6
# entry=_start", each followed by "GLIBCDYN <stage> thread tls=1,2" (a
# pthread has its own TLS and pthread_join returns).  No /etc/ld.so.cache:
# glibc searches its default directories.  Skipped only when the host
# cannot link a glibc PIE (no libc6-dev).
. "$top_srcdir/tests/qemu/lib.sh"

wd=$(qemu_workdir dynglibc)
pkg=$top_builddir/tools/rustos-pkg/rustos-pkg
[ -x "$pkg" ] || tap_bail "no $pkg: run make"
[ -d "$top_builddir/build/artifacts" ] || tap_bail "no build/artifacts: run make image"
: "${HOST_CC:=gcc}"
art=$wd/artifacts
mkdir -p "$art/apps/dynglibc" "$art/lib64" "$art/lib/x86_64-linux-gnu"
if ! $HOST_CC -O2 -fPIE -pie -pthread -o "$art/apps/dynglibc/hello.elf" \
    "$top_srcdir/tests/qemu/dynglibc/hello.c" >"$wd/cc.log" 2>&1; then
	echo "1..0 # SKIP the host cannot link a glibc PIE ($HOST_CC): install libc6-dev"
	exit 0
fi
interp=$(readelf -lW "$art/apps/dynglibc/hello.elf" |
    sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
libc=$($HOST_CC -print-file-name=libc.so.6)
if [ "$interp" != /lib64/ld-linux-x86-64.so.2 ] || [ ! -r "$interp" ] ||
   [ ! -r "$libc" ]; then
	echo "1..0 # SKIP no x86_64 glibc runtime on the host (interpreter '$interp', libc '$libc')"
	exit 0
fi
cp -Rp "$top_builddir/build/artifacts/." "$art/" &&
cp -L "$interp" "$art/lib64/ld-linux-x86-64.so.2" &&
cp -L "$libc" "$art/lib/x86_64-linux-gnu/libc.so.6" ||
    tap_bail "cannot copy the artifacts into $art"

# The three packages, made for this run only.
mkpkg() {
	mkdir -p "$wd/pkgs/$1"
	cat > "$wd/pkgs/$1/RUSTOS.package.toml"
}
mkpkg glibc-ld <<'EOT'
id = "test-glibc-ld"
kind = "compat"
profiles = ["test"]
[build]
builder = "external-copy"
source = "/lib64/ld-linux-x86-64.so.2"
[install]
path = "lib64/ld-linux-x86-64.so.2"
EOT
mkpkg glibc-libc <<'EOT'
id = "test-glibc-libc"
kind = "compat"
profiles = ["test"]
[build]
builder = "external-copy"
source = "/lib/x86_64-linux-gnu/libc.so.6"
[install]
path = "lib/x86_64-linux-gnu/libc.so.6"
EOT
mkpkg hello <<'EOT'
id = "test-dynglibc-hello"
kind = "app"
profiles = ["test"]
startup = "init"
[build]
builder = "c-program"
sources = ["hello.c"]
[install]
path = "apps/dynglibc/hello.elf"
[[desktop.entries]]
display_name = "glibc dynamic hello"
weight_micros = 100
args = ["/apps/dynglibc/hello.elf"]
EOT

# shellcheck disable=SC2046
STAGE_ARTIFACTS=$art stage_profile_image test "$wd" $(image_roots) \
    "$wd/pkgs" || exit 0
qemu_boot "$wd/disk.img" "$wd" 240 --test exit
log=$wd/debugcon.txt
tr -d '\r' < "$wd/debugcon.log" > "$log"

n=0
check_line() {
	n=$((n + 1))
	if grep -qx "$2" "$log"; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		grep -E 'GLIBCDYN|dynglibc|ld-linux|libc.so' "$log" | head -5 |
		    sed 's/^/# /'
	fi
}
check_line "glibc PIE launched through ld-linux-x86-64.so.2" \
    "GLIBCDYN start argc=1 ld.so=at AT_BASE libc=libc.so.6 entry=_start"
check_line "glibc PIE: a pthread with its own TLS, joined" \
    "GLIBCDYN start thread tls=1,2"
check_line "glibc PIE execve of itself through the interpreter" \
    "GLIBCDYN image argc=2 ld.so=at AT_BASE libc=libc.so.6 entry=_start"
check_line "glibc PIE copied to /tmp (confined) finds libc.so.6 under /lib" \
    "GLIBCDYN tmp argc=2 ld.so=at AT_BASE libc=libc.so.6 entry=_start"
check_line "glibc PIE from /tmp: pthread joined" \
    "GLIBCDYN tmp thread tls=1,2"
end_of_boot_checks "$log" "$wd"
echo "1..$n"
exit 0
