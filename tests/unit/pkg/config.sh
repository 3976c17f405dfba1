#!/bin/sh
# config.sh -- TAP test of `rustos-pkg config`: check rejects each invalid
# key and value with a message naming it; show prints every value with its
# source; log-header, kernel-cflags/-ldflags and fault-rules derive the
# right output; environment overrides are validated too.

: "${top_srcdir:?}" "${top_builddir:?}"
PKG=$top_builddir/tools/rustos-pkg/rustos-pkg
CANON=$top_srcdir/config/rustos.toml
W=$top_builddir/tests/unit/pkg/config.tmp
rm -rf "$W" && mkdir -p "$W/empty" || exit 1
unset RUSTOS_CONFIG KERNEL_BUILD_CONFIG RUSTOS_FAULTS KERNEL_CODEGEN_UNITS
for k in OPT_LEVEL LTO FORCE_FRAME_POINTERS DEBUGINFO STRIP RELOCATION_MODEL \
    EXTRA_CFLAGS CODEGEN_UNITS; do
	unset "RUSTOS_KERNEL_$k"
done

n=0
ok() { n=$((n + 1)); printf 'ok %d - %s\n' "$n" "$1"; }
nok() { n=$((n + 1)); printf 'not ok %d - %s\n' "$n" "$1"; sed 's/^/# /' "$W/err" 2>/dev/null; }
check() { if eval "$2"; then ok "$1"; else nok "$1"; fi; }

# bad NAME TEXT: the config on stdin must be refused with TEXT on stderr.
bad() {
	cat > "$W/$1.toml"
	if "$PKG" config check --config "$W/$1.toml" > "$W/out" 2> "$W/err"; then
		nok "config check rejects $1 (accepted)"
	elif grep -F -q -- "$2" "$W/err" &&
	    ! grep -v -q '^rustos-pkg: ' "$W/err"; then
		ok "config check rejects $1: $2"
	else
		nok "config check rejects $1: $2 (message not found)"
	fi
}

# badenv VAR=VALUE TEXT
badenv() {
	if env "$1" "$PKG" config check --config "$CANON" > "$W/out" 2> "$W/err"; then
		nok "environment $1 is rejected (accepted)"
	elif grep -F -q -- "$2" "$W/err"; then
		ok "environment $1 is rejected: $2"
	else
		nok "environment $1 is rejected: $2 (message not found)"
	fi
}

echo "1..61"

check "the canonical config/rustos.toml is valid" \
    '"$PKG" config check --config "$CANON" > "$W/out" 2> "$W/err" && grep -q "config ok: canonical config/rustos.toml" "$W/out"'

bad logging-enabled-type "config key 'logging.enabled': must be of type bool, got string" <<'EOF'
[logging]
enabled = "yes"
EOF
bad logging-boot-trace-type "config key 'logging.boot_trace_enabled': must be of type bool" <<'EOF'
[logging]
boot_trace_enabled = 1
EOF
bad logging-serial-type "config key 'logging.serial_mirror': must be of type bool" <<'EOF'
[logging]
serial_mirror = "on"
EOF
bad logging-ring-small "config key 'logging.ring_buffer_bytes': must be in 1024..16777216, got 12" <<'EOF'
[logging]
ring_buffer_bytes = 12
EOF
bad logging-ring-type "config key 'logging.ring_buffer_bytes': must be of type integer, got string" <<'EOF'
[logging]
ring_buffer_bytes = "16k"
EOF
bad logging-min-level "config key 'logging.min_level': unknown level \"loud\"" <<'EOF'
[logging]
min_level = "loud"
EOF
bad logging-category-name "config key 'logging.categories.gpu': unknown log category" <<'EOF'
[logging.categories]
gpu = "info"
EOF
bad logging-category-level "config key 'logging.categories.boot': unknown level \"verbose\"" <<'EOF'
[logging.categories]
boot = "verbose"
EOF
bad logging-category-type "config key 'logging.categories.vfs': must be of type string, got integer" <<'EOF'
[logging.categories]
vfs = 3
EOF
bad logging-unknown-key "config key 'logging.colour': unknown key" <<'EOF'
[logging]
colour = true
EOF
bad unknown-section "config key 'network': unknown section or key" <<'EOF'
[network]
x = 1
EOF
bad faults-enabled-type "config key 'fault_injection.enabled': must be of type bool, got integer" <<'EOF'
[fault_injection]
enabled = 1
EOF
bad faults-rules-type "config key 'fault_injection.rules': must be of type array, got string" <<'EOF'
[fault_injection]
rules = "block.read=fail"
EOF
bad faults-rule-missing-equals "config key 'fault_injection.rules[1]': rule \"block.read\": fault rule is missing '='" <<'EOF'
[fault_injection]
rules = [
  "alloc.frame=fail",
  "block.read",
]
EOF
bad faults-rule-rate "rule \"socket.send=rate:2000\": fault rate out of range" <<'EOF'
[fault_injection]
rules = ["socket.send=rate:2000"]
EOF
bad faults-rule-action "unsupported fault action" <<'EOF'
[fault_injection]
rules = ["socket.send=explode"]
EOF
bad faults-rule-empty "config key 'fault_injection.rules[0]': empty fault rule" <<'EOF'
[fault_injection]
rules = ["  "]
EOF
bad faults-rule-type "config key 'fault_injection.rules[0]': must be of type string, got integer" <<'EOF'
[fault_injection]
rules = [5]
EOF
bad faults-unknown-key "config key 'fault_injection.seed': unknown key" <<'EOF'
[fault_injection]
seed = 5
EOF
bad kernel-opt-level "config key 'kernel.build.opt_level': must be 0, 1, 2, 3 or \"s\"" <<'EOF'
[kernel.build]
opt_level = 4
EOF
bad kernel-lto "config key 'kernel.build.lto': must be \"off\", \"on\", \"thin\" or \"fat\"" <<'EOF'
[kernel.build]
lto = "full"
EOF
bad kernel-frame-pointers "config key 'kernel.build.force_frame_pointers': must be of type bool" <<'EOF'
[kernel.build]
force_frame_pointers = "yes"
EOF
bad kernel-debuginfo "config key 'kernel.build.debuginfo': must be 0, 1 or 2, got 3" <<'EOF'
[kernel.build]
debuginfo = 3
EOF
bad kernel-strip "config key 'kernel.build.strip': must be of type bool, got integer" <<'EOF'
[kernel.build]
strip = 1
EOF
bad kernel-relocation "config key 'kernel.build.relocation_model': must be \"static\", \"pic\" or \"pie\", got \"dynamic-no-pic\"" <<'EOF'
[kernel.build]
relocation_model = "dynamic-no-pic"
EOF
bad kernel-extra-cflags "config key 'kernel.build.extra_cflags': item 0 must be one non-empty flag without blanks" <<'EOF'
[kernel.build]
extra_cflags = ["-O3 -g"]
EOF
bad kernel-codegen-units "config key 'kernel.build.codegen_units': must be in 1..256, got 0" <<'EOF'
[kernel.build]
codegen_units = 0
EOF
bad kernel-build-unknown "config key 'kernel.build.incremental': unknown key" <<'EOF'
[kernel.build]
incremental = true
EOF
bad kernel-unknown "config key 'kernel': unknown key 'runtime'" <<'EOF'
[kernel.runtime]
x = 1
EOF
bad parse-error "failed to parse $W/parse-error.toml:2:" <<'EOF'
[logging]
enabled = = true
EOF

badenv RUSTOS_KERNEL_OPT_LEVEL=9 'environment RUSTOS_KERNEL_OPT_LEVEL="9": must be 0, 1, 2, 3 or s'
badenv RUSTOS_KERNEL_LTO=maybe 'environment RUSTOS_KERNEL_LTO="maybe"'
badenv RUSTOS_KERNEL_FORCE_FRAME_POINTERS=perhaps 'environment RUSTOS_KERNEL_FORCE_FRAME_POINTERS="perhaps"'
badenv RUSTOS_KERNEL_DEBUGINFO=5 'environment RUSTOS_KERNEL_DEBUGINFO="5": must be 0, 1 or 2'
badenv RUSTOS_KERNEL_STRIP=sometimes 'environment RUSTOS_KERNEL_STRIP="sometimes"'
badenv RUSTOS_KERNEL_RELOCATION_MODEL=pc 'environment RUSTOS_KERNEL_RELOCATION_MODEL="pc"'
badenv RUSTOS_KERNEL_CODEGEN_UNITS=0 'environment RUSTOS_KERNEL_CODEGEN_UNITS="0": must be in 1..256'
badenv RUSTOS_CONFIG=$W/missing.toml "failed to read $W/missing.toml"

# show: sources.
"$PKG" config show --config "$CANON" > "$W/show" 2> "$W/err"
check "config show names the canonical file as the source" \
    'grep -q "^# config file: canonical config/rustos.toml$" "$W/show" &&
     grep -q "^ring_buffer_bytes = 16384  # source: canonical config/rustos.toml$" "$W/show"'
check "config show prints every category threshold" \
    'test $(sed -n "/^\[logging.categories\]/,/^$/p" "$W/show" | grep -c "# source:") -eq 17'
(cd "$W/empty" && "$PKG" config show > "$W/show2" 2> "$W/err")
check "without a config file every value comes from the built-in defaults" \
    'grep -q "^# config file: none (built-in defaults)$" "$W/show2" &&
     ! grep "# source:" "$W/show2" | grep -v -q "# source: built-in defaults"'
printf '[logging]\nmin_level = "debug"\n' > "$W/override.toml"
RUSTOS_CONFIG=$W/override.toml "$PKG" config show --config "$CANON" > "$W/show3" 2> "$W/err"
check "RUSTOS_CONFIG overrides the file; unset keys stay built-in defaults" \
    'grep -q "^min_level = \"debug\"  # source: override $W/override.toml$" "$W/show3" &&
     grep -q "^enabled = true  # source: built-in defaults$" "$W/show3" &&
     grep -q "^boot = \"debug\"  # source: built-in defaults (min_level)$" "$W/show3"'
printf '[kernel.build]\nopt_level = 1\n[logging]\nenabled = false\n' > "$W/kb.toml"
KERNEL_BUILD_CONFIG=$W/kb.toml "$PKG" config show --config "$CANON" > "$W/show4" 2> "$W/err"
check "KERNEL_BUILD_CONFIG overrides [kernel.build] only" \
    'grep -q "^opt_level = 1  # source: override $W/kb.toml (KERNEL_BUILD_CONFIG)$" "$W/show4" &&
     grep -q "^enabled = true  # source: canonical" "$W/show4"'
RUSTOS_KERNEL_OPT_LEVEL=0 "$PKG" config show --config "$CANON" > "$W/show5" 2> "$W/err"
check "RUSTOS_KERNEL_OPT_LEVEL shows as the environment source" \
    'grep -q "^opt_level = 0  # source: environment RUSTOS_KERNEL_OPT_LEVEL$" "$W/show5"'

# kernel-cflags / kernel-ldflags.
check "default kernel CFLAGS: -O2, frame pointers, -g0, static" \
    'test "$("$PKG" config kernel-cflags --config "$CANON")" = "-O2 -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -g0 -fno-pic -fno-pie"'
check "default kernel LDFLAGS are empty" \
    'test -z "$("$PKG" config kernel-ldflags --config "$CANON")"'
cat > "$W/shape.toml" <<'EOF'
[kernel.build]
opt_level = "s"
lto = "fat"
force_frame_pointers = false
debuginfo = 2
strip = true
relocation_model = "pie"
extra_cflags = ["-fstack-usage", "-DX=1"]
EOF
check "every [kernel.build] knob maps to its GCC flag" \
    'test "$("$PKG" config kernel-cflags --config "$W/shape.toml")" = "-Os -flto -ffat-lto-objects -fomit-frame-pointer -g2 -fpie -fstack-usage -DX=1" &&
     test "$("$PKG" config kernel-ldflags --config "$W/shape.toml")" = "-s -pie"'
check "opt_level 0..3 each give -O0..-O3 through the environment" \
    'for l in 0 1 2 3; do RUSTOS_KERNEL_OPT_LEVEL=$l "$PKG" config kernel-cflags --config "$CANON" | grep -q "^-O$l " || exit 1; done'
check "boolean words 1/true/yes/on and 0/false/no/off are accepted" \
    'for b in 1 true yes on; do test "$(RUSTOS_KERNEL_STRIP=$b "$PKG" config kernel-ldflags --config "$CANON")" = "-s" || exit 1; done &&
     for b in 0 false no off; do test -z "$(RUSTOS_KERNEL_STRIP=$b "$PKG" config kernel-ldflags --config "$CANON")" || exit 1; done'
check "RUSTOS_KERNEL_LTO=thin and RUSTOS_KERNEL_EXTRA_CFLAGS are applied" \
    'RUSTOS_KERNEL_LTO=thin RUSTOS_KERNEL_EXTRA_CFLAGS="-DA -DB" "$PKG" config kernel-cflags --config "$CANON" |
     grep -q "^-O2 -flto .* -DA -DB$"'

# log-header.
H=$W/inc/rustos/log_config.h
check "log-header writes every define" \
    '"$PKG" config log-header --config "$CANON" --output "$H" &&
     grep -q "^#define RUSTOS_LOG_ENABLED 1$" "$H" &&
     grep -q "^#define RUSTOS_LOG_RING_BUFFER_BYTES 16384$" "$H" &&
     grep -q "^#define RUSTOS_LOG_MIN_LEVEL RUSTOS_LOG_LEVEL_INFO$" "$H" &&
     grep -q "^#define RUSTOS_LOG_THRESHOLD_HEARTBEAT RUSTOS_LOG_LEVEL_WARN$" "$H" &&
     test $(grep -c "^#define RUSTOS_LOG_THRESHOLD_" "$H") -eq 17 &&
     grep -q "^#include <rustos/observability.h>$" "$H"'
check "the generated header compiles" \
    'printf "#include <rustos/log_config.h>\nint t = RUSTOS_LOG_THRESHOLD_BOOT + RUSTOS_LOG_MIN_LEVEL;\n" > "$W/h.c" &&
     ${HOST_CC:-gcc} -I"$W/inc" -I"$top_srcdir/include" -c "$W/h.c" -o "$W/h.o"'
touch -d "2001-01-01 00:00:00" "$H"
check "log-header leaves an unchanged header untouched" \
    '"$PKG" config log-header --config "$CANON" --output "$H" &&
     test -z "$(find "$H" -newermt "2002-01-01")"'
check "log-header rewrites the header when the config changed" \
    'RUSTOS_CONFIG=$W/override.toml "$PKG" config log-header --output "$H" &&
     grep -q "^#define RUSTOS_LOG_MIN_LEVEL RUSTOS_LOG_LEVEL_DEBUG$" "$H" &&
     test -n "$(find "$H" -newermt "2002-01-01")"'
check "log-header without --output is a usage error" \
    '"$PKG" config log-header --config "$CANON" >/dev/null 2>&1; test $? -eq 2'

# fault-rules.
cat > "$W/faults.toml" <<'EOF'
[fault_injection]
enabled = true
rules = [
  "block.read=drop-every:3",
  " alloc.frame = fail-after:10 ",
]
EOF
check "fault-rules prints nothing when fault injection is disabled" \
    'test -z "$("$PKG" config fault-rules --config "$CANON")"'
check "fault-rules joins the enabled rules with ;" \
    'test "$("$PKG" config fault-rules --config "$W/faults.toml")" = "block.read=drop-every:3;alloc.frame = fail-after:10"'
check "RUSTOS_FAULTS replaces the config rules" \
    'test "$(RUSTOS_FAULTS="socket.send=fail,socket.recv=rate:5" "$PKG" config fault-rules --config "$W/faults.toml")" = "socket.send=fail,socket.recv=rate:5"'
check "an invalid RUSTOS_FAULTS is refused naming it" \
    '! RUSTOS_FAULTS="socket.send" "$PKG" config fault-rules --config "$CANON" > "$W/out" 2> "$W/err" &&
     grep -q "RUSTOS_FAULTS: rule \"socket.send\": fault rule is missing" "$W/err" && test ! -s "$W/out"'
check "an unknown config subcommand is a usage error" \
    '"$PKG" config frobnicate >/dev/null 2>&1; test $? -eq 2'

[ $n -eq 61 ] || { echo "# ran $n cases, planned 61"; exit 1; }
rm -rf "$W"
exit 0
