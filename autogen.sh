#!/bin/sh
# Regenerate the Autotools build system. Set NOCONFIGURE=1 to skip running
# ./configure afterwards (distribution packagers and CI use this).
set -e
srcdir=$(dirname "$0")
test -n "$srcdir" || srcdir=.
(cd "$srcdir" && autoreconf --force --install --verbose) || exit 1
if test -z "$NOCONFIGURE"; then
	exec "$srcdir/configure" "$@"
fi
