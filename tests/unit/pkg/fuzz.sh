#!/bin/sh
# fuzz.sh -- TAP test: thousands of deterministic mutated manifests, fault
# rule strings and config files fed to an ASan/UBSan build of the rustos-pkg
# sources ($HOST_CC -fsanitize=address,undefined -fno-sanitize-recover=all).
# In-process first (tests/unit/pkg/fuzz.c), then through the command line,
# where every run must exit 0 or 1 with a message, never crash.

: "${top_srcdir:?}" "${top_builddir:?}"
HOST_CC=${HOST_CC:-gcc}
W=$top_builddir/tests/unit/pkg/fuzz.tmp
S=$top_srcdir
rm -rf "$W" && mkdir -p "$W/obj" "$W/cli" "$W/cfg" || exit 1
unset RUSTOS_CONFIG KERNEL_BUILD_CONFIG RUSTOS_FAULTS
SEED=0x5eed2026
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=98

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; }
echo "1..8"

FLAGS="-std=gnu11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
INC="-I$S/include -I$S -I$S/tools/rustos-pkg"
SRCS="pkg.c manifest.c stage.c config.c build.c util.c toml.c"
built=1
for f in $SRCS; do
	$HOST_CC $FLAGS $INC -c "$S/tools/rustos-pkg/$f" -o "$W/obj/${f%.c}.o" \
	    2>> "$W/build.log" || built=0
done
$HOST_CC $FLAGS $INC -c "$S/lib/fault-rules/fault_rules.c" -o "$W/obj/fault_rules.o" \
    2>> "$W/build.log" || built=0
OBJS=
for f in $SRCS; do OBJS="$OBJS $W/obj/${f%.c}.o"; done
OBJS="$OBJS $W/obj/fault_rules.o"
if [ $built = 1 ] &&
    $HOST_CC $FLAGS $INC "$S/tools/rustos-pkg/main.c" $OBJS -o "$W/rustos-pkg-asan" 2>> "$W/build.log"; then
	ok "ASan/UBSan build of rustos-pkg"
else
	nok "ASan/UBSan build of rustos-pkg"
	sed 's/^/# /' "$W/build.log"
fi
if [ $built = 1 ] &&
    $HOST_CC $FLAGS $INC "$S/tests/unit/pkg/fuzz.c" $OBJS -o "$W/fuzz" 2>> "$W/build.log"; then
	ok "ASan/UBSan build of the fuzz harness"
else
	nok "ASan/UBSan build of the fuzz harness"
	sed 's/^/# /' "$W/build.log"
fi

CORPUS=$(find "$S/tests/unit/pkg/tree" -name RUSTOS.package.toml | sort)
# Each in-process mode: exit status 0 and its summary line.
run_mode() {
	"$@" > "$W/mode.out" 2> "$W/mode.err"
	rc=$?
	cat "$W/mode.out"
	grep '^# ' "$W/mode.err"
	if [ $rc -ne 0 ] || grep -q -e 'Sanitizer' -e 'runtime error' "$W/mode.err"; then
		sed 's/^/# /' "$W/mode.err" | head -40
		return 1
	fi
	return 0
}

if run_mode "$W/fuzz" manifests $SEED 4000 $CORPUS; then
	ok "4000 mutated manifests in-process: no crash, every rejection has a message"
else
	nok "4000 mutated manifests in-process: no crash, every rejection has a message"
fi
if run_mode "$W/fuzz" rules $SEED 20000; then
	ok "20000 mutated fault-rule strings: no crash, accepted rules obey the grammar"
else
	nok "20000 mutated fault-rule strings: no crash, accepted rules obey the grammar"
fi
if run_mode "$W/fuzz" configs $SEED 1500 "$W/cfg" "$S/config/rustos.toml" "$S/config/rustos.toml" $CORPUS; then
	ok "1500 mutated config files in-process: no crash, every rejection has a message"
else
	nok "1500 mutated config files in-process: no crash, every rejection has a message"
fi

# Command line: exit 0 or 1, a message on 1, never a signal or sanitizer report.
cli_check() {
	# $1 = label, rest = command; the caller sets the input.
	rc=0
	"$@" > "$W/cli.out" 2> "$W/cli.err" || rc=$?
	if grep -q -e 'Sanitizer' -e 'runtime error' "$W/cli.err"; then
		echo "# sanitizer report: $*"; sed 's/^/#   /' "$W/cli.err" | head -20; return 1
	fi
	case $rc in
	0) return 0 ;;
	1) grep -q '^rustos-pkg: ' "$W/cli.err" && return 0
	   echo "# exit 1 without a message: $*"; return 1 ;;
	*) echo "# exit $rc: $*"; sed 's/^/#   /' "$W/cli.err" | head -20; return 1 ;;
	esac
}

"$W/fuzz" emit $SEED 250 "$W/cli" $CORPUS 2> "$W/emit.err"
bad=0
for f in "$W"/cli/*.toml; do
	cli_check "$W/rustos-pkg-asan" check "$f" || bad=$((bad + 1))
done
if [ $bad -eq 0 ] && [ "$(ls "$W"/cli | wc -l)" -eq 250 ]; then
	ok "250 mutated manifests through rustos-pkg check: exit 0/1 with a message"
else
	nok "250 mutated manifests through rustos-pkg check: $bad bad runs"
fi

rm -rf "$W/cli" && mkdir -p "$W/cli"
"$W/fuzz" emit 0x7a11 150 "$W/cli" "$S/config/rustos.toml" 2> "$W/emit.err"
bad=0
i=0
for f in "$W"/cli/*.toml; do
	i=$((i + 1))
	case $((i % 3)) in
	0) cli_check "$W/rustos-pkg-asan" config show --config "$f" || bad=$((bad + 1)) ;;
	1) cli_check "$W/rustos-pkg-asan" config check --config "$f" || bad=$((bad + 1)) ;;
	2) cli_check "$W/rustos-pkg-asan" config log-header --config "$f" --output "$W/h.h" || bad=$((bad + 1)) ;;
	esac
done
if [ $bad -eq 0 ] && [ $i -eq 150 ]; then
	ok "150 mutated configs through rustos-pkg config: exit 0/1 with a message"
else
	nok "150 mutated configs through rustos-pkg config: $bad bad runs"
fi

bad=0
for r in 'a=fail' 'a=' '=x' ';;;' 'a=rate:1001' 'a=drop-every:0' \
    'x.y=delay-ms:99999999999999999999999' "$(printf 'a=fail\001')" \
    'a=fail;b=fail;c=fail;d=fail;e=fail;f=fail;g=fail;h=fail;i=fail;j=fail;k=fail;l=fail;m=fail;n=fail;o=fail;p=fail;q=fail;r=fail;s=fail;t=fail;u=fail;v=fail;w=fail;x=fail;y=fail;z=fail;A=fail;B=fail;C=fail;D=fail;E=fail;F=fail;G=fail'; do
	RUSTOS_FAULTS=$r cli_check "$W/rustos-pkg-asan" config fault-rules --config "$S/config/rustos.toml" ||
	    bad=$((bad + 1))
done
if [ $bad -eq 0 ]; then
	ok "hostile RUSTOS_FAULTS strings: exit 0/1 with a message"
else
	nok "hostile RUSTOS_FAULTS strings: $bad bad runs"
fi

[ $n -eq 8 ] || exit 1
rm -rf "$W"
exit 0
