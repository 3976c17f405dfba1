#!/bin/sh
# tests/abi/symbols.sh -- the shared libraries export exactly the symbols
# of their version scripts (like wayland-egl-symbols-check), every stub the
# generated header declares is exported, and librustos-user-abi needs no
# libc (its only undefined references are its own symbols).
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
NM=${NM:-nm}
work="$top_builddir/tests/abi/symbols.tmp"
rm -rf "$work" && mkdir -p "$work" || exit 99
n=0
fails=0
result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
}
mapsyms() {
	sed -n '/global:/,/local:/p' "$1" | grep -v 'global:\|local:' |
	    sed 's/[[:space:];]//g' | grep -v '^$' | sort
}
check_lib() {
	so=$1 map=$2 label=$3
	if [ ! -f "$so" ]; then
		result 1 "$label: $so built"
		return
	fi
	$NM -D --defined-only "$so" | awk '$2 ~ /^[TDBRVWiu]$/ { sub(/@.*/, "", $3); print $3 }' |
	    sort > "$work/$label.nm"
	mapsyms "$map" > "$work/$label.map"
	if diff -u "$work/$label.map" "$work/$label.nm" > "$work/$label.diff"; then
		result 0 "$label exports exactly its version script ($(wc -l < "$work/$label.nm") symbols)"
	else
		sed 's/^/# /' "$work/$label.diff"
		result 1 "$label exports exactly its version script"
	fi
}
check_lib "$top_builddir/lib/user-abi/.libs/librustos-user-abi.so" \
    "$top_srcdir/lib/user-abi/rustos-user-abi.map" user-abi
check_lib "$top_builddir/lib/runtime-control/.libs/libruntime-control.so" \
    "$top_srcdir/lib/runtime-control/runtime-control.map" runtime-control

# Every function <rustos/syscalls.h> and <rustos/ipc.h> declares is exported.
grep -ho '^long rustos_[a-z0-9_]*' "$top_srcdir/include/rustos/syscalls.h" "$top_srcdir/include/rustos/ipc.h" |
    sed 's/^long //' | sort > "$work/declared"
if comm -23 "$work/declared" "$work/user-abi.nm" > "$work/missing" && [ ! -s "$work/missing" ]; then
	result 0 "every declared user-abi function is exported ($(wc -l < "$work/declared"))"
else
	sed 's/^/# missing: /' "$work/missing"
	result 1 "every declared user-abi function is exported"
fi
grep -ho '^[a-z0-9_ *]*runtime_control_[a-z0-9_]*(' "$top_srcdir/include/rustos/runtime_control.h" |
    sed 's/.*\(runtime_control_[a-z0-9_]*\)(/\1/' | sort > "$work/rc.declared"
if comm -3 "$work/rc.declared" "$work/runtime-control.nm" > "$work/rc.missing" && [ ! -s "$work/rc.missing" ]; then
	result 0 "runtime_control.h declares exactly the exported functions ($(wc -l < "$work/rc.declared"))"
else
	sed 's/^/# differs: /' "$work/rc.missing"
	result 1 "runtime_control.h declares exactly the exported functions"
fi

# Freestanding: no libc symbol is referenced by librustos-user-abi.a.
a="$top_builddir/lib/user-abi/.libs/librustos-user-abi.a"
$NM "$a" 2>/dev/null | awk '$1 == "U" { print $2 }' | sort -u > "$work/undef"
grep -v '^rustos_' "$work/undef" > "$work/foreign"
if [ -f "$a" ] && [ ! -s "$work/foreign" ]; then
	result 0 "librustos-user-abi.a references no libc symbol"
else
	sed 's/^/# undefined: /' "$work/foreign"
	result 1 "librustos-user-abi.a references no libc symbol"
fi
echo "1..$n"
[ "$fails" -eq 0 ]
