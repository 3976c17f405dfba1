#!/bin/sh
# kernel-include-check.sh -- layering check of kernel/: a file may include
# its own subsystem's headers, and of any other subsystem only <sub>/api.h.
# One TAP case per kernel source file, one that every subsystem has an
# api.h, and one that the check itself catches a bad include.  Also run
# (exit status only) before nucleus.elf is linked.  Needs top_srcdir.
: "${top_srcdir:?}"
cd "$top_srcdir/kernel" || { echo "Bail out! no kernel/ in $top_srcdir"; exit 1; }
subs="hal mm object ipc-runtime ps io-manager compat executive nucleus-core"

# violations FILE OWN-SUBSYSTEM: print the offending includes of FILE.
violations() {
	v=
	for inc in $(sed -n 's/^[ 	]*#[ 	]*include[ 	]*[<"]\([^>"]*\)[>"].*/\1/p' "$1"); do
		p=$inc
		while [ "${p#../}" != "$p" ]; do p=${p#../}; done
		sub=${p%%/*}
		case " $subs " in *" $sub "*) ;; *) continue ;; esac
		[ "$sub" = "$2" ] && continue
		[ "$p" = "$sub/api.h" ] && continue
		v="$v $inc"
	done
	echo "$v"
}

files=$(find . -name '*.[chS]' | sed 's|^\./||' | sort)
n=0
for f in $files; do n=$((n + 1)); done
echo "1..$((n + 2))"
i=0 bad=0
for f in $files; do
	i=$((i + 1))
	own=${f%%/*}
	[ "$own" = "$f" ] && own=
	why=$(violations "$f" "$own")
	if [ -n "$why" ]; then
		echo "not ok $i - kernel/$f includes another subsystem's internals:$why"
		bad=$((bad + 1))
	else
		echo "ok $i - kernel/$f"
	fi
done
i=$((i + 1))
missing=
for s in $subs; do [ -f "$s/api.h" ] || missing="$missing $s"; done
if [ -z "$missing" ]; then
	echo "ok $i - every subsystem has api.h"
else
	echo "not ok $i - subsystems without api.h:$missing"
	bad=$((bad + 1))
fi
i=$((i + 1))
tmp=$(mktemp "${TMPDIR:-/tmp}/kinc.XXXXXX") || exit 1
printf '#include <hal/api.h>\n#include <mm/internal.h>\n#include "../ps/internal.h"\n#include <stddef.h>\n' > "$tmp"
why=$(violations "$tmp" hal)
rm -f "$tmp"
if [ "$why" = " mm/internal.h ../ps/internal.h" ]; then
	echo "ok $i - the check flags foreign internal headers"
else
	echo "not ok $i - the check flags foreign internal headers (got:$why)"
	bad=$((bad + 1))
fi
[ "$bad" -eq 0 ]
