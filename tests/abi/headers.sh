#!/bin/sh
# tests/abi/headers.sh -- every installed header compiles on its own as C99
# -pedantic -Werror (with $CC), as C11, and as C++11 (with $CXX), the way
# Linux's usr/include check does: a header that needs another includes it.
# The size/offset pins inside the headers are checked by the same compiles.
set -u
: "${top_srcdir:?}" "${top_builddir:?}" "${CC:?}" "${CXX:?}"
# The kernel includes the same headers, built freestanding by the host gcc.
KCC=${HOST_CC:-gcc}
KFLAGS="-std=gnu11 -ffreestanding -fno-pie -mcmodel=kernel -mno-red-zone -mno-sse -mno-mmx -fno-stack-protector -Wall -Wextra -Werror"
work="$top_builddir/tests/abi/headers.tmp"
rm -rf "$work" && mkdir -p "$work" || exit 99
n=0
fails=0
result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
}
headers=$(cd "$top_srcdir/include" && ls rustos/*.h)
for h in $headers; do
	base=$(basename "$h" .h)
	c="$work/$base.c"
	printf '#include <%s>\nextern int rustos_header_check_%s;\n' "$h" "$base" > "$c"
	$CC -std=c99 -pedantic -Werror -Wall -Wextra -I"$top_srcdir/include" -c "$c" -o "$work/$base.c99.o" 2> "$work/$base.c99.err"
	result $? "$h compiles alone as C99 -pedantic -Werror"
	[ -s "$work/$base.c99.err" ] && sed 's/^/# /' "$work/$base.c99.err"
	$CC -std=c11 -pedantic -Werror -Wall -Wextra -I"$top_srcdir/include" -c "$c" -o "$work/$base.c11.o" 2> "$work/$base.c11.err"
	result $? "$h compiles alone as C11 -pedantic -Werror"
	$CXX -x c++ -std=c++11 -pedantic -Werror -Wall -Wextra -I"$top_srcdir/include" -fsyntax-only "$c" 2> "$work/$base.cxx.err"
	result $? "$h compiles alone as C++11 -pedantic -Werror"
	[ -s "$work/$base.cxx.err" ] && sed 's/^/# /' "$work/$base.cxx.err"
	$KCC $KFLAGS -I"$top_srcdir/include" -c "$c" -o "$work/$base.k.o" 2> "$work/$base.k.err"
	result $? "$h compiles alone freestanding with kernel flags"
	# No kernel include and no configuration macro may leak in.
	if grep -Eq '#[[:space:]]*include[[:space:]]*[<"](linux/|asm/|kernel/|config\.h)|#[[:space:]]*if(def|ndef)?[[:space:]]+(HAVE_|CONFIG_|RUSTOS_CONFIG)' "$top_srcdir/include/$h"; then
		result 1 "$h has no kernel include or config macro"
	else
		result 0 "$h has no kernel include or config macro"
	fi
done
# The dispatch-table fragment compiles the way the kernel will build it.
$KCC $KFLAGS -I"$top_srcdir/include" -c "$top_srcdir/kernel/generated/syscall_table.c" \
    -o "$work/syscall_table.k.o" 2> "$work/syscall_table.k.err"
result $? "kernel/generated/syscall_table.c compiles freestanding with kernel flags"
[ -s "$work/syscall_table.k.err" ] && sed 's/^/# /' "$work/syscall_table.k.err"
# The pins must bite: a header with a wrong size must fail to compile.
printf '#include <rustos/abi_assert.h>\nstruct rustos_pin_probe { uint32_t a; };\nRUSTOS_ABI_SIZE(pin_probe, 8);\n' > "$work/pin.c"
if $CC -std=c99 -pedantic -Werror -I"$top_srcdir/include" -c "$work/pin.c" -o "$work/pin.o" 2>/dev/null; then r=1; else r=0; fi
result $r "a wrong RUSTOS_ABI_SIZE fails the C99 build"
if $CXX -x c++ -std=c++11 -I"$top_srcdir/include" -fsyntax-only "$work/pin.c" 2>/dev/null; then r=1; else r=0; fi
result $r "a wrong RUSTOS_ABI_SIZE fails the C++ build"
echo "1..$n"
[ "$fails" -eq 0 ]
