#!/bin/sh
# toml-errors.sh -- parse errors of tools/rustos-pkg/toml.c name the right
# place.  Each case feeds a bad document to tests/unit/toml-decode on stdin
# and expects exit status 1 and a first stderr line "LINE:COL: ..." holding
# the given words.  Columns count characters, not bytes; a tab is one column.

: "${top_builddir:?}"
decode=$top_builddir/tests/unit/toml-decode
work=$top_builddir/tests/unit/toml-errors.tmp
rm -rf "$work"
mkdir -p "$work" || exit 1
trap 'rm -rf "$work"' EXIT INT TERM

n=0
# check NAME INPUT(printf format) LINE:COL WORDS
check() {
	n=$((n + 1))
	printf "$2" >"$work/in"
	"$decode" <"$work/in" >/dev/null 2>"$work/err"
	rc=$?
	first=$(sed -n 1p "$work/err")
	case $first in
	"$3: "*"$4"*)
		if [ "$rc" = 1 ]; then
			echo "ok $n - $1"
			return
		fi
		;;
	esac
	echo "not ok $n - $1"
	echo "# exit $rc, expected $3: ...$4..., got: $first"
}

echo "1..22"
check "duplicate key" 'a = 1\nb = 2\na = 3\n' 3:1 "duplicate key 'a'"
check "table defined twice" '[t]\nx = 1\n[t]\n' 3:2 "table 't' is defined twice"
check "invalid escape" 's = "abc\\qdef"\n' 1:9 "invalid escape"
check "hex without digits" 'x = 0x\n' 1:5 "invalid integer"
check "integer overflow" 'n = 9223372036854775808\n' 1:5 \
    "does not fit in 64 bits"
check "no 29 February in 2021" '\n\nd = 2021-02-29\n' 3:5 "invalid date"
check "dotted key into inline table" 'a = {x = 1}\na.y = 2\n' 2:1 \
    "cannot extend inline table 'a'"
check "[[ ]] onto a static array" 'arr = [1, 2]\n[[arr]]\n' 2:3 \
    "cannot append to 'arr'"
check "unterminated string" 'ok = 1\n  s = "abc\n' 2:7 "unterminated string"
check "control character after multibyte" 'k = "\303\251\001"\n' 1:7 \
    "control character U+0001"
check "invalid UTF-8" '# fine\nx = "\377"\n' 2:6 "invalid UTF-8"
check "bare carriage return" 'a = 1\r b = 2\n' 1:6 "bare carriage return"
check "unterminated array" 'a = [1,\n  2\n' 3:1 "unterminated array"
check "header over dotted-key table" '[a]\nb.c = 1\n[a.b]\n' 3:4 \
    "table 'b' is defined twice"
check "two values on one line" 'a = 1 b = 2\n' 1:7 "expected newline"
check "CRLF lines, value missing" 'a = 1\r\nb = \r\n' 2:5 "expected a value"
check "tab counts as one column" '\ta =\t@\n' 1:6 "expected a value"
check "leading zero" 'x = [\n  1,\n  02,\n]\n' 3:3 "leading zeros"
check "surrogate escape" 'x = "\\uD800"\n' 1:6 "not a Unicode scalar value"
deep=$(i=0; while [ $i -lt 300 ]; do printf '['; i=$((i + 1)); done)
check "nesting limit" "x = $deep\n" 1:261 "nested too deeply"
dots=$(i=0; while [ $i -lt 300 ]; do printf 'b.'; i=$((i + 1)); done)
check "dotted key depth limit" "${dots}c = 1\n" 1:513 "keys nested too deeply"
check "header depth limit" "[${dots}c]\n" 1:514 "tables nested too deeply"
