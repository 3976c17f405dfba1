#!/bin/sh
# fatfs.sh -- TAP test of lib/fatfs against FAT images made at test time with
# mtools (tools/mkdisk for the FAT16 boot-volume shape, mformat -F for
# FAT32, an MBR-partitioned variant), compared byte for byte and name for
# name with the source tree; corrupt images made by patching bytes of a good
# one (chain loop, out-of-range/free/truncated chains, bad BPB fields,
# garbage entries) run through the musl build and an ASan/UBSan build
# ($HOST_CC -fsanitize=address,undefined -fno-sanitize-recover=all), plus a
# deterministic mutation fuzz; last, the real build/rustos-boot.img when it
# was built.  The driver program is tests/unit/fatfs/fatfs-test.c.

: "${top_srcdir:?}" "${top_builddir:?}"
HOST_CC=${HOST_CC:-gcc}
S=$top_srcdir
T=$top_builddir/tests/unit/fatfs/fatfs-test
W=$top_builddir/tests/unit/fatfs/fatfs.tmp
A=$W/fatfs-test-asan
rm -rf "$W" && mkdir -p "$W" || exit 1
export TZ=UTC LC_ALL=C.UTF-8 MTOOLS_SKIP_CHECK=1
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=98
TO=
command -v timeout > /dev/null 2>&1 && TO="timeout 600"

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
check() {	# check NAME CMD...: ok when CMD succeeds
	name=$1; shift
	if "$@"; then ok "$name"; else nok "$name"; fi
}
# poke FILE OFFSET BYTE...: write decimal byte values at OFFSET.
poke() {
	f=$1 o=$2; shift 2
	for b; do printf "\\$(printf '%03o' "$b")"; done |
	    dd of="$f" bs=1 seek="$o" conv=notrunc 2> /dev/null
}
peek() {	# peek FILE OFFSET: one byte as decimal
	od -A n -t u1 -j "$2" -N 1 "$1" | tr -d ' '
}
field() {	# field KEY "k=v k=v": v
	echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

if [ -x "$T" ]; then ok "fatfs-test built with \$(CC)"; else
	nok "fatfs-test built with \$(CC)"; echo "1..$n"; exit 1; fi
if ! command -v mformat > /dev/null 2>&1 || ! command -v mcopy > /dev/null 2>&1; then
	skip "mtools not installed: no images can be made"
	echo "1..$n"
	exit 0
fi

# ---- the source tree --------------------------------------------------
src=$W/src
mkdir -p "$src/sub" "$src/emptydir" "$src/big" "$src/many" "$src/sizes" || exit 1
echo "hello, FAT" > "$src/hello.txt"
echo "long" > "$src/This is a long file name with spaces.txt"
echo "mixed" > "$src/MixedCase.Dat"
echo "upper" > "$src/UPPER.TXT"
echo "in sub" > "$src/sub/file.txt"
: > "$src/empty.txt"
echo "grüße" > "$src/Grüße.txt"
echo "nihongo" > "$src/日本語のファイル.txt"
long=$(printf 'L%.0s' $(seq 1 200)).txt
echo "200 letters" > "$src/$long"
d=$src
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do d=$d/d$i; done
mkdir -p "$d" && echo "deep" > "$d/deep.txt"
"$T" gen 3145851 1 > "$src/big/many-clusters.bin"
for s in 1 511 512 513 4095 4097 32767 32768 32769 65536 65537 131073; do
	"$T" gen $s $s > "$src/sizes/s-$s"
done
i=1
while [ $i -le 400 ]; do
	echo $i > "$src/many/an entry with a long name number $i.txt"
	i=$((i + 1))
done
mtime=$(date -d '2024-02-29 13:37:42' +%s 2>/dev/null) &&
    touch -d '2024-02-29 13:37:42' "$src/hello.txt"

# mkimg OUT SIZE_MIB MFORMAT_ARGS...: a volume holding $src.
mkimg() {
	out=$1 mib=$2; shift 2
	rm -f "$out"
	dd if=/dev/zero of="$out" bs=1048576 count=0 seek="$mib" 2> /dev/null
	mformat -i "$out" "$@" -T $((mib * 2048)) -h 64 -s 32 -H 0 :: || return 1
	( cd "$src" && ls -A | LC_ALL=C sort ) | while IFS= read -r e; do
		mcopy -i "$out" -s -p -Q -m "$src/$e" "::/$e" || exit 1
	done
}

# ---- good images: listing and bytes -----------------------------------
extract_cmp() {	# extract_cmp PROG IMG SRC
	rm -rf "$W/out" && mkdir "$W/out" &&
	    "$1" extract "$2" "$W/out" > "$W/extract.log" 2>&1 &&
	    diff -r "$3" "$W/out" > "$W/diff.log" 2>&1 && return 0
	sed 's/^/# /' "$W/extract.log" | head -20
	sed 's/^/# /' "$W/diff.log" | head -20
	return 1
}
sh "$S/tools/mkdisk" "$src" "$W/fat16.img" > /dev/null 2> "$W/mkdisk.err"
m16=$("$T" mount "$W/fat16.img" 2>&1)
case $m16 in
"FAT1"[26]" cluster 32768 "*"label 'RUSTOS' at 0") ok "tools/mkdisk image: 32 KiB clusters, label RUSTOS ($m16)" ;;
*) nok "tools/mkdisk image: 32 KiB clusters, label RUSTOS"; echo "# $m16"
   sed 's/^/# /' "$W/mkdisk.err" ;;
esac
# mkdisk keeps a 132 MiB floor so 32 KiB clusters give FAT16 (128 MiB would be FAT12).
check "tools/mkdisk image: every file's bytes and every directory's listing match the source" \
    extract_cmp "$T" "$W/fat16.img" "$src"
mkimg "$W/fat16.img" 256 -c 64 -v RUSTOS > /dev/null 2>&1
m16=$("$T" mount "$W/fat16.img" 2>&1)
case $m16 in
"FAT16 cluster 32768 "*) ok "mformat image of 256 MiB, 32 KiB clusters: FAT16" ;;
*) nok "mformat image of 256 MiB, 32 KiB clusters: FAT16"; echo "# $m16" ;;
esac
check "FAT16: every file's bytes and every directory's listing match the source" \
    extract_cmp "$T" "$W/fat16.img" "$src"

mkimg "$W/fat32.img" 64 -F -c 1 -v F32VOL > /dev/null 2>&1
m32=$("$T" mount "$W/fat32.img" 2>&1)
case $m32 in
"FAT32 cluster 512 "*"label 'F32VOL' at 0") ok "mformat -F image: FAT32" ;;
*) nok "mformat -F image: FAT32"; echo "# $m32" ;;
esac
check "FAT32: every file's bytes and every directory's listing match the source" \
    extract_cmp "$T" "$W/fat32.img" "$src"

# MBR variant: a 1 MiB gap holding a partition table, then a FAT16 volume.
mkimg "$W/part.img" 24 -c 8 -v PART > /dev/null 2>&1
dd if=/dev/zero of="$W/mbr.img" bs=1048576 count=1 2> /dev/null
cat "$W/part.img" >> "$W/mbr.img"
# entry 1: active, type 0x06, LBA 2048, 49152 sectors; then 0x55AA.
poke "$W/mbr.img" 446 128 0 0 0 6 0 0 0 0 8 0 0 0 192 0 0
poke "$W/mbr.img" 510 85 170
mm=$("$T" mount "$W/mbr.img" 2>&1)
if echo "$mm" | grep -q "^FAT16 .* at 2048$" && extract_cmp "$T" "$W/mbr.img" "$src"; then
	ok "MBR partition table: volume found at LBA 2048, bytes and listing match"
else
	nok "MBR partition table: volume found at LBA 2048, bytes and listing match"
	echo "# $mm"
fi

I16=$W/fat16.img
I32=$W/fat32.img
ls_many=$("$T" ls "$I16" /many | wc -l)
loc=$("$T" locate "$I16" /many)
check "a 400-entry directory spanning two 32 KiB clusters lists 400 names + . and .." \
    test "$ls_many" = 402
lsroot=$("$T" ls "$I16" /)
if echo "$lsroot" | grep -qx '日本語のファイル.txt' && echo "$lsroot" | grep -qx 'Grüße.txt' &&
    ! echo "$lsroot" | grep -q RUSTOS && ! echo "$lsroot" | grep -qx '\.'; then
	ok "root listing: UTF-8 long names, no volume label, no . or .."
else
	nok "root listing: UTF-8 long names, no volume label, no . or .."
	echo "$lsroot" | sed 's/^/# /'
fi

# ---- stat -------------------------------------------------------------
st_ok() {	# st_ok IMG
	img=$1
	s=$("$T" stat "$img" /hello.txt) || return 1
	c=$(field cluster "$("$T" locate "$img" /hello.txt)")
	set -- $s
	[ "$1" = file ] && [ "$2" = 11 ] && [ "$3" = 100444 ] && [ "$4" = "$c" ] || {
		echo "# stat: $s (cluster $c)"; return 1; }
	if [ -n "$mtime" ] && [ "$5" != "$mtime" ]; then
		echo "# mtime $5, want $mtime"; return 1
	fi
	s=$("$T" stat "$I16" /sub) && set -- $s && [ "$1" = dir ] && [ "$3" = 40555 ] || {
		echo "# stat /sub: $s"; return 1; }
	s=$("$T" stat "$img" /empty.txt) || return 1
	set -- $s
	[ "$2" = 0 ] && [ "$4" -gt 4294967295 ]
}
check "stat FAT16: size, 0444/0555 modes, ino = first cluster, FAT time as Unix time; empty file ino" st_ok "$I16"
check "stat FAT32: the same" st_ok "$I32"

# ---- lookup -----------------------------------------------------------
lk() {	# lk IMG PATH EXPECT (the first word of stat's output or error N)
	got=$("$T" stat "$1" "$2" 2>/dev/null | cut -d' ' -f1-2)
	case $3 in
	error*) [ "$got" = "$3" ] ;;
	*) [ "${got%% *}" = "$3" ] ;;
	esac || { echo "# lookup $2: got '$got', want '$3'"; return 1; }
}
look_ok() {
	i=$1
	lk "$i" /HELLO.TXT file && lk "$i" /Big/MANY-CLUSTERS.bin file &&
	lk "$i" "/this is a LONG file name with spaces.txt" file &&
	lk "$i" /THISIS~1.TXT file &&
	lk "$i" /d1/d2/../d2/./d3//d4/ dir && lk "$i" /.. dir && lk "$i" / dir &&
	lk "$i" /d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/deep.txt file &&
	lk "$i" "/$long" file && lk "$i" "/grüße.txt" file &&
	lk "$i" /nope "error -2" && lk "$i" /d1/nope/x "error -2" &&
	lk "$i" /hello.txt/x "error -20" && lk "$i" /hello.txt/ "error -20" &&
	lk "$i" "/$(printf 'x%.0s' $(seq 1 256))" "error -36" &&
	lk "$i" "$(printf '/.%.0s' $(seq 1 2050))" "error -36" &&
	lk "$i" hello.txt "error -22" &&
	[ "$("$T" cat "$i" /sub 2>&1)" = "error -21" ] &&
	[ "$("$T" ls "$i" /hello.txt)" = "error -20" ]
}
check "FAT16 lookup: case-insensitive, 8.3 alias, . and .., trailing /, ENOENT/ENOTDIR/ENAMETOOLONG/EINVAL/EISDIR" look_ok "$I16"
check "FAT32 lookup: the same" look_ok "$I32"
c=$("$T" cache "$I32" /big/many-clusters.bin 2>&1)
if [ $? -eq 0 ]; then ok "block cache: a second tree walk reads nothing; sequential read takes < 1 FAT lookup per cluster; a file re-read makes no device read, a cold 16 KiB read at most one per 4 KiB block"
else nok "block cache: a second tree walk reads nothing; sequential read takes < 1 FAT lookup per cluster; a file re-read makes no device read, a cold 16 KiB read at most one per 4 KiB block"; fi
echo "$c" | sed 's/^/# /'

sk() { "$T" seekdir "$1" "$2" > "$W/sk.out" 2>&1 || { sed 's/^/# /' "$W/sk.out"; return 1; }; }
check "telldir/seekdir: seeking back to any cursor yields the same next entry (root, /many)" \
    eval 'sk "$I16" / && sk "$I16" /many && sk "$I32" /many'

# ---- entry-level patches on a good image ------------------------------
cp "$I16" "$W/p.img"
e=$(field entry "$("$T" locate "$W/p.img" /UPPER.TXT)")
poke "$W/p.img" $((e + 12)) 24
a=$("$T" ls "$W/p.img" / | grep -ix upper.txt)
poke "$W/p.img" $((e + 12)) 8
b=$("$T" ls "$W/p.img" / | grep -ix upper.txt)
check "8.3 names: NT lowercase flags 0x08/0x10 honoured" test "$a,$b" = "upper.txt,upper.TXT"

e=$(field entry "$("$T" locate "$W/p.img" "/This is a long file name with spaces.txt")")
v=$(peek "$W/p.img" $((e - 32 + 13)))
poke "$W/p.img" $((e - 32 + 13)) $(((v + 1) % 256))
a=$("$T" ls "$W/p.img" / 2>&1)
if echo "$a" | grep -qx 'THISIS~1.TXT' && ! echo "$a" | grep -q 'This is a long'; then
	ok "LFN with a wrong checksum falls back to the 8.3 name"
else
	nok "LFN with a wrong checksum falls back to the 8.3 name"
fi
e=$(field entry "$("$T" locate "$W/p.img" /MixedCase.Dat)")
poke "$W/p.img" $((e - 32 + 1)) 61 216 0 222
a=$("$T" ls "$W/p.img" / 2>&1)
poke "$W/p.img" $((e - 32 + 1)) 61 216 120 0
b=$("$T" ls "$W/p.img" / 2>&1)
if echo "$a" | grep -qx '😀xedCase.Dat' && echo "$b" | grep -qx 'MIXEDC.*\.DAT' &&
    ! echo "$b" | grep -q 'xedCase'; then
	ok "LFN UTF-16 surrogate pair to 4-byte UTF-8; an unpaired surrogate falls back to 8.3"
else
	nok "LFN UTF-16 surrogate pair to 4-byte UTF-8; an unpaired surrogate falls back to 8.3"
	echo "$a" "$b" | sed 's/^/# /'
fi
cp "$I16" "$W/q.img"
e=$(field entry "$("$T" locate "$W/q.img" "/This is a long file name with spaces.txt")")
poke "$W/q.img" $((e - 64)) 3
a=$("$T" ls "$W/q.img" / 2>&1)
if echo "$a" | grep -qx 'THISIS~1.TXT' && ! echo "$a" | grep -q 'This is a long'; then
	ok "LFN with a broken sequence number falls back to the 8.3 name"
else
	nok "LFN with a broken sequence number falls back to the 8.3 name"
fi
e=$(field entry "$("$T" locate "$W/p.img" /hello.txt)")
poke "$W/p.img" "$e" 229
a=$("$T" ls "$W/p.img" / 2>&1)
if ! echo "$a" | grep -qi 'hello' && echo "$a" | grep -qx 'Grüße.txt' &&
    [ "$(echo "$a" | wc -l)" -eq $(($(ls -A "$src" | wc -l) - 1)) ]; then
	ok "deleted entry (0xe5) skipped, the rest listed"
else
	nok "deleted entry (0xe5) skipped, the rest listed"
fi

# ---- corrupt images, through the musl and the ASan/UBSan build --------
FLAGS="-std=gnu11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
if $HOST_CC $FLAGS -I"$S" "$S/tests/unit/fatfs/fatfs-test.c" "$S/lib/fatfs/fatfs.c" \
    -o "$A" > "$W/asan.log" 2>&1; then
	ok "ASan/UBSan build of lib/fatfs and its driver"
else
	nok "ASan/UBSan build of lib/fatfs and its driver"
	sed 's/^/# /' "$W/asan.log" | head -20
fi

rm -rf "$W/ssrc" && mkdir -p "$W/ssrc/sub" "$W/ssrc/many" "$W/ssrc/a/b/c" &&
echo "in sub" > "$W/ssrc/sub/file.txt" && echo other > "$W/ssrc/sub/other.txt" &&
"$T" gen 300000 7 > "$W/ssrc/big.bin" && echo d > "$W/ssrc/a/b/c/d" || exit 1
i=1
while [ $i -le 100 ]; do echo $i > "$W/ssrc/many/entry with long name $i.txt"; i=$((i + 1)); done
src=$W/ssrc mkimg "$W/small.img" 8 -c 1 -v SMALL > /dev/null 2>&1
src=$W/ssrc mkimg "$W/small32.img" 34 -F -c 1 -v SMALL32 > /dev/null 2>&1
G=$W/small.img
BIG=$(field fatent "$("$T" locate "$G" /big.bin)")
BIGE=$(field entry "$("$T" locate "$G" /big.bin)")
BIGC=$(field cluster "$("$T" locate "$G" /big.bin)")
MANY=$(field fatent "$("$T" locate "$G" /many)")
FILEE=$(field entry "$("$T" locate "$G" /sub/file.txt)")

# run PROG MODE IMG ARG: output in $W/run.out/err; status must be a normal
# exit (0-3), never a signal, sanitizer report or timeout.
run() {
	rc=0
	$TO "$@" > "$W/run.out" 2> "$W/run.err" || rc=$?
	if [ $rc -gt 3 ] || grep -q -e Sanitizer -e 'runtime error' -e OUTSIDE "$W/run.err"; then
		echo "# crash/hang (status $rc): $*"; sed 's/^/#   /' "$W/run.err" | head -20
		return 1
	fi
	return 0
}
logged() { grep -q '^log: fatfs: ' "$W/run.err" || { echo "# no log line"; return 1; }; }
want_err() {	# want_err N: "error N" reported on stdout or stderr
	grep -qx "error $1" "$W/run.out" "$W/run.err" 2>/dev/null ||
	    grep -q "error $1\$" "$W/run.out" "$W/run.err" || {
		echo "# want error $1 ($(wc -c < "$W/run.out") bytes out):"
		sed 's/^/#   /' "$W/run.err" | head -8; return 1; }
}
# mkbad NAME OFFSET BYTE...: a patched copy of the small image.
mkbad() { cp "$G" "$W/$1.img" && f=$W/$1.img && shift && poke "$f" "$@"; }

corrupt_cases() {	# corrupt_cases PROG LABEL
	P=$1 L=$2
	mkbad loop "$BIG" $((BIGC % 256)) $((BIGC / 256))
	check "$L chain loop (cluster points to itself): EIO + log, no hang" \
	    eval 'run "$P" cat "$W/loop.img" /big.bin && want_err -5 && logged'
	mkbad range "$BIG" 240 255
	check "$L out-of-range cluster in a chain: EIO + log" \
	    eval 'run "$P" cat "$W/range.img" /big.bin && want_err -5 && logged'
	mkbad free "$BIG" 0 0
	check "$L free cluster inside a chain: EIO + log" \
	    eval 'run "$P" cat "$W/free.img" /big.bin && want_err -5 && logged'
	mkbad short "$BIG" 255 255
	check "$L chain shorter than the file size: first cluster read, then EIO + log" \
	    eval 'run "$P" cat "$W/short.img" /big.bin && want_err -5 && logged &&
	    [ "$(wc -c < "$W/run.out")" -eq 512 ]'
	mkbad first $((BIGE + 26)) 240 255
	check "$L entry with an out-of-range first cluster: EIO + log, siblings fine" \
	    eval 'run "$P" cat "$W/first.img" /big.bin && want_err -5 && logged &&
	    run "$P" cat "$W/first.img" /sub/file.txt && [ "$(cat "$W/run.out")" = "in sub" ]'
	mkbad dloop "$MANY" $(($(field cluster "$("$T" locate "$G" /many)") % 256)) \
	    $(($(field cluster "$("$T" locate "$G" /many)") / 256))
	check "$L directory chain loop: listing and lookup give EIO + log, no hang" \
	    eval 'run "$P" ls "$W/dloop.img" /many && want_err -5 && logged &&
	    run "$P" stat "$W/dloop.img" /many/nothing && want_err -5'
	for g in "name 1 2 3 4 5 6 7 8 9 10 11 32" "attr 65 66 67 32 32 32 32 32 84 88 84 255" \
	    "dirvol 65 66 67 32 32 32 32 32 84 88 84 24" "slash 65 47 67 32 32 32 32 32 84 88 84 32"; do
		set -- $g
		nm=$1; shift
		mkbad garbage "$FILEE" "$@" 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20
		check "$L garbage directory entry ($nm): skipped with a log line, the rest readable" \
		    eval 'run "$P" ls "$W/garbage.img" /sub && [ "$(grep -v "^\.\.*$" "$W/run.out")" = other.txt ] && logged &&
		    run "$P" stat "$W/garbage.img" /sub/file.txt && want_err -2 &&
		    run "$P" cat "$W/garbage.img" /sub/other.txt && [ "$(cat "$W/run.out")" = other ]'
	done
	for bpb in "bps0 11 0 0" "bps3 11 0 3" "spc3 13 3" "spc0 13 0" "nfats0 16 0" \
	    "rsvd0 14 0 0" "fatbeyond 22 255 255" "totbig 19 255 255" \
	    "nosig 510 0 0" "fat32root 17 0 0"; do
		set -- $bpb
		nm=$1; shift
		mkbad "$nm" "$@"
		check "$L bad BPB ($nm): mount refused with EINVAL + a log line naming the rule" \
		    eval 'run "$P" mount "$W/$nm.img" && grep -q "^mount error -22" "$W/run.out" && logged'
	done
}
corrupt_cases "$T" "[musl]"
if [ -x "$A" ]; then corrupt_cases "$A" "[asan]"; else
	nok "[asan] corrupt cases (no ASan build)"; fi

# Device read failures (block.read=fail-after:N) after 0..60 good reads.
failafter() {	# failafter PROG
	bad=0 errs=0 full=
	for k in $(seq 0 60) 100000; do
		run "$1" failafter "$G" $k || { bad=1; break; }
		grep -q '^mount error -5$' "$W/run.out" && errs=$((errs + 1))
		grep -q ' [1-9][0-9]* log lines' "$W/run.out" && errs=$((errs + 1))
		[ $k = 100000 ] && full=$(cat "$W/run.out")
	done
	case $full in "walk "*" 0 log lines") ;; *) echo "# full run: $full"; bad=1 ;; esac
	[ $bad = 0 ] && [ $errs -ge 60 ]
}
check "[musl] device read errors after 0..60 reads: EIO reported (mount or log), no crash" failafter "$T"
if [ -x "$A" ]; then
	check "[asan] device read errors after 0..60 reads: EIO reported, no crash" failafter "$A"
else nok "[asan] device read errors (no ASan build)"; fi

fuzz_case() {	# fuzz_case IMG SEED N
	if [ -x "$A" ] && $TO "$A" fuzz "$1" "$2" "$3" > "$W/fuzz.out" 2> "$W/fuzz.err" &&
	    ! grep -q -e Sanitizer -e 'runtime error' "$W/fuzz.err"; then
		cat "$W/fuzz.out"; return 0
	fi
	sed 's/^/# /' "$W/fuzz.out" "$W/fuzz.err" | head -30
	return 1
}
check "[asan] 3000 mutations of BPB/FAT/directory bytes (FAT16): every walk and read returns" \
    fuzz_case "$G" 0x5eed2026 3000
check "[asan] 1000 mutations of BPB/FAT/directory bytes (FAT32): every walk and read returns" \
    fuzz_case "$W/small32.img" 0x7a11 1000

# ---- the real boot image ----------------------------------------------
if [ -f "$top_builddir/build/rustos-boot.img" ] && [ -d "$top_builddir/build/image" ]; then
	check "build/rustos-boot.img: every file read through lib/fatfs matches build/image/" \
	    extract_cmp "$T" "$top_builddir/build/rustos-boot.img" "$top_builddir/build/image"
else
	skip "build/rustos-boot.img not built (e.g. --disable-image)"
fi

echo "1..$n"
rm -rf "$W"
exit 0
