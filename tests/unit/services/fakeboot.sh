#!/bin/sh
# fakeboot.sh -- run the real rootd, core services, initd, devmgrd,
# storaged and abitest on Linux under tests/unit/services/fakekernel.c (a
# seccomp-notify stand-in for the RustOS kernel's user ABI) and check the
# bootstrap protocol of docs/ai/bootstrap.md from the user side: rootd's
# markers in order, every endpoint registered under its id, initd's
# registry parsing and dependency order, launches through loaderd (ELF
# validation and the PROC_* broker sequence), and abitest running to its
# done line.  Needs root (the launcher chroots into the test image) and
# seccomp user notification; otherwise the whole test is skipped.
: "${top_srcdir:?}" "${top_builddir:?}"
wd=$top_builddir/tests/unit/services/work-fakeboot
rm -rf "$wd"
mkdir -p "$wd"
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root for chroot"
	exit 0
fi
if ! ${HOST_CC:-gcc} -std=gnu11 -O1 -I"$top_srcdir/include" -I"$top_builddir/include" \
    -o "$wd/fakekernel" "$top_srcdir/tests/unit/services/fakekernel.c" \
    >"$wd/cc.log" 2>&1; then
	echo "1..0 # SKIP cannot build fakekernel with ${HOST_CC:-gcc}"
	exit 0
fi

img=$wd/image
reg=$img/system/registry/system
mkdir -p "$reg"
for s in rootd syscalld vfsd loaderd procd initd devmgrd storaged; do
	mkdir -p "$img/services/$s"
	cp "$top_builddir/services/$s/$s" "$img/services/$s/$s.elf" || exit 1
done
for a in abitest ipcbench schedspin; do
	mkdir -p "$img/apps/$a"
	cp "$top_builddir/apps/$a/$a" "$img/apps/$a/$a.elf" || exit 1
done
# Registries as rustos-pkg stages them (spec/packages-and-registries.md).
T=$(printf '\t')
{
	echo "desktop_id=devmgrd.desktop${T}package_id=devmgrd${T}mode=init${T}display_name=Device manager${T}exec=services/devmgrd/devmgrd.elf${T}launch=none${T}deps="
	echo "desktop_id=storaged.desktop${T}package_id=storaged${T}mode=init${T}display_name=Storage inventory${T}exec=services/storaged/storaged.elf${T}launch=none${T}deps=devmgrd"
	echo "desktop_id=abitest.desktop${T}package_id=abitest${T}mode=init${T}display_name=ABI tests${T}exec=apps/abitest/abitest.elf${T}launch=none${T}deps=storaged"
	echo "desktop_id=ipcbench.desktop${T}package_id=ipcbench${T}mode=init${T}display_name=IPC benchmark${T}exec=apps/ipcbench/ipcbench.elf${T}launch=none${T}deps=abitest"
	echo "desktop_id=schedspin.desktop${T}package_id=schedspin${T}mode=init${T}display_name=Probe${T}exec=apps/schedspin/schedspin.elf${T}launch=none${T}deps="
	echo "desktop_id=ghost.desktop${T}package_id=ghost${T}mode=init${T}display_name=Ghost${T}exec=apps/ghost/ghost.elf${T}launch=none${T}deps=nosuchpkg"
} > "$reg/startup-programs.tsv"
d() { # id path no_display weight deps [args]
	echo "desktop_id=$1.desktop${T}package_id=$1${T}startup=init${T}display_name=$1${T}image=$2${T}exec=$2${T}weight=$4${T}logical_admin=0${T}console_hosted=1${T}terminal=1${T}hidden=0${T}no_display=$3${T}autostart_enabled=0${T}launch=none${T}deps=$5${T}args=$6${T}env="
}
{
	d devmgrd services/devmgrd/devmgrd.elf 1 100 ""
	d storaged services/storaged/storaged.elf 1 100 devmgrd
	d abitest apps/abitest/abitest.elf 0 100 storaged
	d ipcbench apps/ipcbench/ipcbench.elf 0 100 abitest
	d schedspin apps/schedspin/schedspin.elf 0 300 "" "schedspin|w300"
} > "$reg/desktop-programs.tsv"
printf 'scope=init\tkey=PATH\tvalue=/bin\nscope=runtime\tkey=X\tvalue=1\n' > "$reg/runtime-env.tsv"

"$wd/fakekernel" "$img" 60 "initd: idle" > "$wd/debug.log" 2>"$wd/fakekernel.err"
rc=$?
if [ $rc -eq 77 ]; then
	echo "1..0 # SKIP no seccomp user notification here"
	exit 0
fi
log=$wd/debug.log
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
check() { name=$1; shift; if "$@"; then ok "$name"; else nok "$name" "debug log: $log"; fi; }

cat > "$wd/markers.txt" <<'M'
rootd: spawn syscalld
rootd: spawn vfsd
rootd: spawn loaderd
rootd: spawn procd
rootd: core services spawned, waiting for readiness
rootd: core services ready, spawning initd
initd: launch order=services/devmgrd/devmgrd.elf,services/storaged/storaged.elf,apps/abitest/abitest.elf,apps/ipcbench/ipcbench.elf,apps/schedspin/schedspin.elf
devmgrd: device policy endpoint registered
M
if why=$(awk -v mf="$wd/markers.txt" '
	BEGIN { n = 0; while ((getline l < mf) > 0) want[n++] = l; i = 0 }
	i < n && $0 == want[i] { i++ }
	END { if (i < n) { print "missing or out of order: " want[i]; exit 1 } }' "$log"); then
	ok "rootd and initd markers in order, launch order from the registry"
else
	nok "rootd and initd markers in order, launch order from the registry" "$why"
fi
# Not in the ordered list: initd runs as soon as it is spawned and may print
# its launch order before rootd gets its spawn reply.
check "rootd: initd spawned" grep -qx "rootd: initd spawned" "$log"
[ $rc -eq 0 ] && ok "fakekernel ran to the end" || nok "fakekernel ran to the end" "exit $rc"
for s in syscalld:1 vfsd:2 loaderd:6 procd:9 devmgrd:4 storaged:7; do
	check "${s%%:*}: endpoint registered id=${s#*:}" \
	    grep -qx "${s%%:*}: endpoint registered id=${s#*:}" "$log"
done
check "storaged: storage policy endpoint registered" \
    grep -qx "storaged: storage policy endpoint registered" "$log"
check "initd skips a package with an unknown dependency" \
    grep -qx "initd: skip ghost: unknown dependency nosuchpkg" "$log"
check "vfsd listed the bootfs" grep -q 'msg="bootfs: [1-9][0-9]* entries"' "$log"
check "loaderd launched abitest" \
    grep -q 'msg="launched /apps/abitest/abitest.elf pid=[0-9]*"' "$log"
re='^seq=[0-9]+ ts_us=[0-9]+ tick=0 lvl=(info|warn|error) cat=service mod=[^ ]+ line=[0-9]+ pid=[0-9]+ tid=[0-9]+ msg=".*"$'
bad=$(grep -E '^seq=' "$log" | grep -cvE "$re")
[ "$bad" -eq 0 ] && ok "service log lines well formed" ||
    nok "service log lines well formed" "$(grep -E '^seq=' "$log" | grep -vE "$re" | head -2)"
if grep -qE '^(rootd: .* failed|initd: launch .* failed)' "$log"; then
	nok "no failed spawn or launch" "$(grep -E 'failed' "$log" | head -3)"
else
	ok "no failed spawn or launch"
fi
check "abitest ran to its done line" grep -qE '^ABITEST done passed=[0-9]+ failed=[0-9]+$' "$log"
check "manifest args reach the program (initd -> loaderd -> commit argv)" \
    grep -qE '^SCHEDSPIN label=w300 window=[0-9]+ iters=[0-9]+$' "$log"
check "ipcbench printed its BENCH line" \
    grep -qE '^BENCH ipc_roundtrip iters=2000 min_ns=[0-9]+ med_ns=[0-9]+$' "$log"
# initd is the apps' parent (loaderd's caller) and waits for them.
last=$(grep -nE '^(ABITEST done|BENCH ipc_roundtrip|SCHEDSPIN)' "$log" |
    tail -1 | cut -d: -f1)
idle=$(grep -nx 'initd: idle' "$log" | head -1 | cut -d: -f1)
if [ -n "$last" ] && [ -n "$idle" ] && [ "$idle" -gt "$last" ] &&
   [ "$(grep -cE '^(ABITEST done|BENCH ipc_roundtrip|SCHEDSPIN)' "$log")" -eq 3 ]; then
	ok "initd: idle after its three apps finished"
else
	nok "initd: idle after its three apps finished" "last app line $last, idle at $idle"
fi
# Cases the fake kernel implements faithfully (capability gates, lookups,
# malformed requests to every service, handle transfer with pidfd_getfd
# and SECCOMP_IOCTL_NOTIF_ADDFD; files and memory run natively).
for c in broker-eacces-mm_broker broker-eacces-bootfs_broker \
    broker-eacces-proc_prepare_broker spawn-exec-eacces lookup-unassigned-id \
    lookup-revoked-fails-closed register-taken-id \
    register-cap-id-refused-for-apps \
    malformed-version-vfsd malformed-short-loaderd malformed-op-syscalld \
    ping-after-malformed-procd ping-after-malformed-storaged \
    ping-after-malformed-devmgrd vfsd-foreign-remote-id vfsd-short-request \
    vfsd-open-root-after-hostile vfsd-creds-app-refused vfsd-creds-short \
    handles-zero-ticket-refused \
    handles-bad-fd-refused handles-to-byte-only-service ping-after-handles \
    handles-echo-delivers-fd handles-received-fd-usable; do
	check "abitest under the fake kernel: $c" grep -qx "ABITEST ok $c" "$log"
done

# Restart budget: procd told to crash after registering, every time.
mkdir -p "$img/system/registry/test"
echo procd > "$img/system/registry/test/crash-services"
"$wd/fakekernel" "$img" 20 "rootd: giving up" > "$wd/crash.log" 2>>"$wd/fakekernel.err"
clog=$wd/crash.log
cat > "$wd/crash-markers.txt" <<'M'
rootd: test crash requested for procd
procd: test crash
rootd: procd exited status=768
rootd: restart procd attempt=1
procd: test crash
rootd: restart procd attempt=2
procd: test crash
rootd: restart procd attempt=3
procd: test crash
rootd: giving up on procd after 3 restarts
M
if why=$(awk -v mf="$wd/crash-markers.txt" '
	BEGIN { n = 0; while ((getline l < mf) > 0) want[n++] = l; i = 0 }
	i < n && $0 == want[i] { i++ }
	END { if (i < n) { print "missing or out of order: " want[i]; exit 1 } }' "$clog"); then
	ok "rootd restarts a crashing procd through loaderd three times, then gives up"
else
	nok "rootd restarts a crashing procd through loaderd three times, then gives up" "$why" "log: $clog"
fi
c=$(grep -cx 'procd: endpoint registered id=9' "$clog")
[ "$c" -eq 4 ] && ok "each restarted procd registered id 9 again" ||
    nok "each restarted procd registered id 9 again" "registrations: $c"
c=$(grep -c '^rootd: restart procd' "$clog")
[ "$c" -eq 3 ] && ok "no restart beyond the budget" || nok "no restart beyond the budget" "restarts: $c"
echo "1..$n"
exit 0
