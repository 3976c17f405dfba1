#!/bin/sh
# fetch.sh -- get the Linux side of `make bench` from Debian, cached:
# `apt-get download` of the real kernel package that linux-image-amd64
# depends on (linux-image-<abi>-amd64, resolved with apt-cache depends) and
# of busybox-static, into CACHE; the kernel image and busybox are taken out
# with dpkg-deb (the kernel package's modules are not needed, so only
# ./boot/vmlinuz-* is extracted).  Nothing is installed on the host.
#
# usage: fetch.sh CACHE
# Leaves CACHE/vmlinuz, CACHE/busybox and CACHE/versions.txt (package
# versions, for the report).  A second run with those present does nothing.
set -eu

cache=${1:?usage: fetch.sh CACHE}
mkdir -p "$cache"
cd "$cache"

if [ -s vmlinuz ] && [ -s busybox ] && [ -s versions.txt ]; then
	echo "bench: using cached $(sed -n 1p versions.txt) and $(sed -n 2p versions.txt)"
	exit 0
fi

for t in apt-get apt-cache dpkg-deb; do
	command -v "$t" >/dev/null 2>&1 || {
		echo "bench: $t not found: the Linux side needs a Debian-like host" >&2
		exit 1
	}
done

# linux-image-amd64 is a metapackage: its first Depends is the kernel.
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
    sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n 1)
if [ -z "$kpkg" ]; then
	echo "bench: apt-cache depends linux-image-amd64 names no kernel package" \
	    "(run apt-get update?)" >&2
	exit 1
fi

rm -f ./*.deb
echo "bench: apt-get download $kpkg busybox-static"
# apt's _apt user may not write here: that only earns a warning.
apt-get download -q "$kpkg" busybox-static 2>&1 | grep -v '^W: Download is performed unsandboxed' || true
kdeb=$(ls "$kpkg"_*.deb 2>/dev/null | head -n 1)
bdeb=$(ls busybox-static_*.deb 2>/dev/null | head -n 1)
if [ -z "$kdeb" ] || [ -z "$bdeb" ]; then
	echo "bench: apt-get download did not leave both packages in $cache" >&2
	exit 1
fi

rm -rf x
mkdir -p x
dpkg-deb --fsys-tarfile "$kdeb" | (cd x && tar -xf - --wildcards './boot/vmlinuz-*')
dpkg-deb -x "$bdeb" x
k=$(ls x/boot/vmlinuz-* | head -n 1)
[ -s "$k" ] || { echo "bench: no vmlinuz in $kdeb" >&2; exit 1; }
[ -x x/bin/busybox ] || { echo "bench: no bin/busybox in $bdeb" >&2; exit 1; }
cp -f "$k" vmlinuz.tmp && mv -f vmlinuz.tmp vmlinuz
cp -f x/bin/busybox busybox.tmp && mv -f busybox.tmp busybox
{
	echo "$kpkg $(dpkg-deb -f "$kdeb" Version)"
	echo "busybox-static $(dpkg-deb -f "$bdeb" Version)"
} > versions.txt
rm -rf x ./*.deb
echo "bench: cached $(sed -n 1p versions.txt) and $(sed -n 2p versions.txt) in $cache"
