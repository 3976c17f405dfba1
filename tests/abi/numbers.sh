#!/bin/sh
# tests/abi/numbers.sh -- pins every published number (tests/abi/numbers.golden,
# an independent list) against the installed headers: one TAP line per
# golden entry.  Also checks the retired 0x5255002e stays unassigned.
set -u
: "${top_srcdir:?}" "${top_builddir:?}" "${CC:?}"
golden="$top_srcdir/tests/abi/numbers.golden"
work="$top_builddir/tests/abi/numbers.tmp"
rm -rf "$work" && mkdir -p "$work" || exit 99
c="$work/check.c"
{
	echo '#include <stdio.h>'
	for h in $(grep -v '^#' "$golden" | awk 'NF == 3 { print $1 }' | sort -u); do
		echo "#include <rustos/$h>"
	done
	echo 'static int n, bad;'
	echo 'static void chk(int defined, unsigned long long got, unsigned long long want, const char *name) {'
	echo '	n++;'
	echo '	if (defined && got == want) printf("ok %d - %s = 0x%llx\n", n, name, want);'
	echo '	else { bad++; printf("not ok %d - %s: want 0x%llx, got %s0x%llx\n", n, name, want, defined ? "" : "(undefined) ", got); }'
	echo '}'
	echo 'int main(void) {'
	grep -v '^#' "$golden" | awk 'NF == 3 {
		name = $2; val = $3
		if (name ~ /^sizeof\(/) {
			expr = name; sub(/^sizeof\(struct_/, "sizeof(struct ", expr)
			printf "\tchk(1, (unsigned long long)%s, %sULL, \"%s\");\n", expr, val, name
		} else {
			printf "#ifdef %s\n\tchk(1, (unsigned long long)(%s), %sULL, \"%s\");\n#else\n\tchk(0, 0, %sULL, \"%s\");\n#endif\n", name, name, val, name, val, name
		}
	}'
	echo '	return bad != 0;'
	echo '}'
} > "$c"
if ! $CC -std=c11 -I"$top_srcdir/include" "$c" -o "$work/check" 2> "$work/cc.err"; then
	sed 's/^/# /' "$work/cc.err"
	echo "not ok 1 - golden check program compiles"
	echo "1..1"
	exit 1
fi
"$work/check" > "$work/out"
status=$?
cat "$work/out"
n=$(grep -c '^\(not \)\{0,1\}ok ' "$work/out")
n=$((n + 1))
if grep -Eiq '^#define[[:space:]]+[A-Z_0-9]+[[:space:]]+0x5255002e' "$top_srcdir/include/rustos/syscall_numbers.h"; then
	echo "not ok $n - retired 0x5255002e is not reassigned"; status=1
else
	echo "ok $n - retired 0x5255002e is not reassigned"
fi
echo "1..$n"
exit $status
