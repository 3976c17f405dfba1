#!/bin/sh
# fsuite.sh -- the in-OS file/device suite (tests/inos/files) inside RustOS.
# Stages the `inos` profile from a copy of the tests/inos package root in
# which fsuite is an init package (its manifest says startup = "none"
# until /dev is served) and psuite is left out (tests/qemu/proc.sh runs
# it), boots it, and turns fsuite's lines into TAP: "FSUITE ok NAME" /
# "FSUITE FAIL NAME: WHY" / "FSUITE skip NAME: WHY", closed by "FSUITE done
# passed=N failed=M skipped=K".
#
# Cases RustOS does not pass yet are listed in tests/qemu/fsuite-todo.txt
# ("name reason"): reported as "not ok N - name # TODO not implemented yet:
# reason" when they fail and as "ok ... # TODO" (XPASS: shrink the list)
# when they pass, unless the reason starts with "flaky:" (then a pass is a
# SKIP).  Every case not on the list must pass.  Also checks that
# the suite ran to the end, nothing panicked and the boot finished.
. "$top_srcdir/tests/qemu/lib.sh"

todo_file=$top_srcdir/tests/qemu/fsuite-todo.txt
[ -r "$todo_file" ] || tap_bail "no $todo_file"
top=$(qemu_workdir fsuite)
wd=$top
pkg=$top_builddir/tools/rustos-pkg/rustos-pkg
[ -x "$pkg" ] || tap_bail "no $pkg: run make"
[ -d "$top_builddir/build/artifacts" ] || tap_bail "no build/artifacts: run make image"
roots=
for d in $(sed -n '/^[a-z]/p' "$top_srcdir/image/package-roots"); do
	[ -d "$top_srcdir/$d" ] || continue
	if [ "$d" = tests/inos ]; then
		mkdir -p "$top/roots/inos/files"
		sed 's/^startup = "none"/startup = "init"/' \
		    "$top_srcdir/tests/inos/files/RUSTOS.package.toml" \
		    > "$top/roots/inos/files/RUSTOS.package.toml"
		roots="$roots $top/roots/inos"
	else
		roots="$roots $top_srcdir/$d"
	fi
done
stage_profile_image inos "$top" $roots || exit 0
qemu_boot "$top/disk.img" "$top" 300 --test exit
log=$top/debugcon.txt
tr -d '\r' < "$top/debugcon.log" > "$log"
grep -E '^FSUITE (ok|FAIL|skip) ' "$log" > "$top/fsuite.lines"
sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$todo_file" > "$top/todo.list"

todo_reason() {
	awk -v n="$1" '$1 == n { $1 = ""; sub(/^ +/, ""); print; f = 1; exit }
	    END { exit !f }' "$top/todo.list"
}

n=0 fails=0 todo=0 seen=
while IFS= read -r l; do
	[ -n "$l" ] || continue
	rest=${l#FSUITE }
	verdict=${rest%% *}
	rest=${rest#* }
	name=${rest%%:*}
	name=${name%% *}
	why=
	case $rest in *:*) why=${rest#*: } ;; esac
	seen="$seen $name "
	n=$((n + 1))
	if reason=$(todo_reason "$name"); then
		todo=$((todo + 1))
		if [ "$verdict" = ok ]; then
			case $reason in
			flaky:*)
				echo "ok $n - $name # SKIP $reason (passed this time)"
				continue ;;
			esac
			echo "ok $n - $name # TODO not implemented yet: $reason (passes now: remove it from fsuite-todo.txt)"
		else
			echo "not ok $n - $name # TODO not implemented yet: $reason"
			[ -n "$why" ] && echo "# $why"
		fi
		continue
	fi
	case $verdict in
	ok) echo "ok $n - $name" ;;
	skip) echo "ok $n - $name # SKIP $why" ;;
	*)
		fails=$((fails + 1))
		echo "not ok $n - $name"
		echo "# $why" ;;
	esac
done < "$top/fsuite.lines"

for name in $(awk '{ print $1 }' "$top/todo.list"); do
	case $seen in *" $name "*) continue ;; esac
	[ "$name" = fsuite-done ] && continue
	n=$((n + 1))
	echo "not ok $n - $name # TODO not implemented yet: $(todo_reason "$name") (no result line)"
done

done_line=$(grep -E '^FSUITE done passed=[0-9]+ failed=[0-9]+ skipped=[0-9]+$' "$log" | tail -1)
n=$((n + 1))
if [ -n "$done_line" ]; then
	echo "ok $n - fsuite ran to the end ($done_line)"
elif todo_reason fsuite-done >/dev/null; then
	echo "not ok $n - fsuite ran to the end # TODO not implemented yet: $(todo_reason fsuite-done)"
else
	echo "not ok $n - fsuite ran to the end"
	echo "# no FSUITE done line; debugcon: $log"
fi
echo "# result lines: $(wc -l < "$top/fsuite.lines"), todo: $todo, unexpected failures: $fails"
n=$((n + 1))
if grep -q '\[PANIC\]' "$log" "$top/serial.txt"; then
	echo "not ok $n - no [PANIC]"
else
	echo "ok $n - no [PANIC]"
fi
n=$((n + 1))
if [ "$QEMU_RC" -eq 0 ]; then
	echo "ok $n - kernel exited cleanly after initd: idle"
else
	echo "not ok $n - kernel exited cleanly after initd: idle"
	echo "# qemu-run exit $QEMU_RC (124 = timeout)"
fi
echo "1..$n"
exit 0
