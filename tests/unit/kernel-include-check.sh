#!/bin/sh
# kernel-include-check.sh -- layering check of kernel/: a file may include
# its own subsystem's headers, and of any other subsystem only <sub>/api.h.
# One TAP case per kernel source file.  Also run (exit status only) before
# nucleus.elf is linked.  Needs top_srcdir.
: "${top_srcdir:?}"
cd "$top_srcdir/kernel" || { echo "Bail out! no kernel/ in $top_srcdir"; exit 1; }
subs="hal mm object ipc-runtime ps io-manager compat executive nucleus-core"
files=$(find . -name '*.[chS]' | sed 's|^\./||' | sort)
n=0
for f in $files; do n=$((n + 1)); done
echo "1..$((n + 1))"
i=0 bad=0
for f in $files; do
	i=$((i + 1))
	own=${f%%/*}
	[ "$own" = "$f" ] && own=
	why=
	# Every include naming a subsystem, with <> or "" (also ../sub/x.h).
	for inc in $(sed -n 's/^[ 	]*#[ 	]*include[ 	]*[<"]\([^>"]*\)[>"].*/\1/p' "$f"); do
		p=${inc#../}
		sub=${p%%/*}
		case " $subs " in *" $sub "*) ;; *) continue ;; esac
		[ "$sub" = "$own" ] && continue
		[ "$p" = "$sub/api.h" ] && continue
		why="$why $inc"
	done
	if [ -n "$why" ]; then
		echo "not ok $i - kernel/$f includes another subsystem's internals:$why"
		bad=$((bad + 1))
	else
		echo "ok $i - kernel/$f"
	fi
done
i=$((i + 1))
# Every subsystem exposes an api.h.
missing=
for s in $subs; do [ -f "$s/api.h" ] || missing="$missing $s"; done
if [ -z "$missing" ]; then
	echo "ok $i - every subsystem has api.h"
else
	echo "not ok $i - subsystems without api.h:$missing"
	bad=$((bad + 1))
fi
[ "$bad" -eq 0 ]
