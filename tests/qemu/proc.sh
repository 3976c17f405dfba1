#!/bin/sh
# proc.sh -- stage the `inos` profile (adds the in-OS process suite
# tests/inos/proc as an init package), boot it, and turn psuite's lines
# into TAP: "PSUITE ok NAME" / "PSUITE FAIL NAME: WHY" / "PSUITE skip
# NAME: WHY", closed by "PSUITE done passed=N failed=M skipped=K".
#
# Cases RustOS does not support yet are listed in tests/qemu/psuite-todo.txt
# ("name<TAB or space>reason"); they are reported as TAP TODO
# ("not ok N - name # TODO not implemented yet: reason", XFAIL for
# Automake) when they fail, and as "ok N - name # TODO ..." (XPASS, which
# Automake counts as a failure, so the list gets shrunk) when they pass.
# Every case not in that list must pass.  A case that runs in RustOS but is
# missing from the output fails unless listed too.  Also checks that the
# suite ran to the end (or that the whole suite is on the list), that
# nothing panicked and that the kernel kept running until initd: idle.
. "$top_srcdir/tests/qemu/lib.sh"

todo_file=$top_srcdir/tests/qemu/psuite-todo.txt
[ -r "$todo_file" ] || tap_bail "no $todo_file"
wd=$(qemu_workdir proc)
pkg=$top_builddir/tools/rustos-pkg/rustos-pkg
[ -x "$pkg" ] || tap_bail "no $pkg: run make"
[ -d "$top_builddir/build/artifacts" ] || tap_bail "no build/artifacts: run make image"
stage_profile_image inos "$wd" || exit 0
qemu_boot "$wd/disk.img" "$wd" 600 --test exit
log=$wd/debugcon.log
tr -d '\r' < "$log" | grep -E '^PSUITE (ok|FAIL|skip) ' > "$wd/psuite.lines"
# name -> reason of the TODO list (comments and blank lines ignored).
sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$todo_file" > "$wd/todo.list"

todo_reason() {
	awk -v n="$1" '$1 == n { $1 = ""; sub(/^ +/, ""); print; f = 1; exit }
	    END { exit !f }' "$wd/todo.list"
}

n=0 fails=0 todo=0 seen=
while IFS= read -r l; do
	[ -n "$l" ] || continue
	rest=${l#PSUITE }
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
			echo "ok $n - $name # TODO not implemented yet: $reason (passes now: remove it from psuite-todo.txt)"
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
done < "$wd/psuite.lines"

# Cases of the list or of the host reference that RustOS never printed.
for name in $(awk '{ print $1 }' "$wd/todo.list"); do
	case $seen in *" $name "*) continue ;; esac
	[ "$name" = psuite-done ] && continue
	n=$((n + 1))
	echo "not ok $n - $name # TODO not implemented yet: $(todo_reason "$name") (no result line)"
done

done_line=$(tr -d '\r' < "$log" | grep -E '^PSUITE done passed=[0-9]+ failed=[0-9]+ skipped=[0-9]+$' | tail -1)
n=$((n + 1))
if [ -n "$done_line" ]; then
	echo "ok $n - psuite ran to the end ($done_line)"
elif todo_reason psuite-done >/dev/null; then
	echo "not ok $n - psuite ran to the end # TODO not implemented yet: $(todo_reason psuite-done)"
else
	echo "not ok $n - psuite ran to the end"
	echo "# no PSUITE done line; debugcon: $log"
fi
echo "# result lines: $(wc -l < "$wd/psuite.lines"), todo: $todo, unexpected failures: $fails"
n=$((n + 1))
if grep -q '\[PANIC\]' "$log" "$wd/serial.txt"; then
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
