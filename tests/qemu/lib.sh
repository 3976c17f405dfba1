# tests/qemu/lib.sh -- shared helpers for the QEMU tests (sourced).
#
# TAP output helpers plus qemu_boot, which boots an image headless through
# tools/qemu-run and leaves debugcon.log / serial.log in a work directory.
# Environment (from the test harness): top_srcdir, top_builddir, QEMU, OVMF.

: "${top_srcdir:?}" "${top_builddir:?}"
TAP_N=0
TAP_FAILED=0

tap_plan() { echo "1..$1"; }
tap_ok() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $1"; }
tap_not_ok() {
	TAP_N=$((TAP_N + 1)); TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $1"
	shift
	for l in "$@"; do echo "# $l"; done
}
# tap_check NAME CMD...: one case, passing when CMD succeeds.
tap_check() {
	name=$1; shift
	if "$@"; then tap_ok "$name"; else tap_not_ok "$name"; fi
}
tap_bail() { echo "Bail out! $*"; exit 1; }

# A fresh work directory for one test, kept in the build tree for diagnosis.
qemu_workdir() {
	d=$top_builddir/tests/qemu/work/$1
	rm -rf "$d"
	mkdir -p "$d"
	echo "$d"
}

# qemu_boot IMAGE WORKDIR TIMEOUT [qemu-run options...]
# Sets QEMU_RC to tools/qemu-run's exit status (0 kernel success, 1 kernel
# failure, 3 powered off otherwise, 124 timeout).
qemu_boot() {
	img=$1 wd=$2 to=$3; shift 3
	: > "$wd/debugcon.log"
	: > "$wd/serial.log"
	"$top_srcdir/tools/qemu-run" --image "$img" --debugcon "$wd/debugcon.log" \
	    --serial "$wd/serial.log" --timeout "$to" "$@" >"$wd/qemu-run.out" 2>&1
	QEMU_RC=$?
	# Serial output carries firmware escape sequences and CRs: keep a
	# plain-text copy for grepping.
	tr -d '\r' < "$wd/serial.log" | sed 's/\x1b\[[0-9;=?]*[A-Za-z]//g' > "$wd/serial.txt"
	return 0
}

# markers_in_order LOG MARKERS_FILE: every non-comment line of MARKERS_FILE
# appears in LOG as a whole line, in that order.  Prints the first missing.
markers_in_order() {
	awk -v mf="$2" '
	BEGIN {
		n = 0
		while ((getline l < mf) > 0) {
			if (l ~ /^#/ || l == "") continue
			want[n++] = l
		}
		i = 0
	}
	{ sub(/\r$/, "") }
	i < n && $0 == want[i] { i++ }
	END {
		if (i < n) { print "missing or out of order: " want[i]; exit 1 }
	}' "$1"
}

# The staged image of this build (make image must have run).
image_disk=$top_builddir/build/rustos-boot.img
image_dir=$top_builddir/build/image

# image_roots: the tree's package folders (image/package-roots), absolute.
image_roots() {
	for _ir_d in $(sed -n '/^[a-z]/p' "$top_srcdir/image/package-roots"); do
		[ -d "$top_srcdir/$_ir_d" ] && printf '%s\n' "$top_srcdir/$_ir_d"
	done
	return 0
}

# stage_profile_image PROFILE DIR [ROOT...]: stage the image of PROFILE the
# way `make image` does (rustos-pkg stage, signed boot modules, FAT disk)
# into DIR/image and DIR/disk.img, from the tree's package roots unless
# ROOTs are given, with the artifacts of build/artifacts (or of
# $STAGE_ARTIFACTS when set: a test adding artifacts of its own).  With
# STAGE_EDIT set, the command `$STAGE_EDIT DIR/image` runs between staging
# and signing (a test's change to the staged files).  On failure prints a
# one-case TAP failure with the log and returns 1
# (callers `|| exit 0`).
stage_profile_image() {
	_sp_profile=$1 _sp_dir=$2
	shift 2
	# shellcheck disable=SC2046
	[ $# -gt 0 ] || set -- $(image_roots)
	if "$top_builddir/tools/rustos-pkg/rustos-pkg" stage \
	    --artifacts "${STAGE_ARTIFACTS:-$top_builddir/build/artifacts}" \
	    --overlay "$top_srcdir/image/overlay" --out "$_sp_dir/image" \
	    --profile "$_sp_profile" "$@" >"$_sp_dir/stage.log" 2>&1 &&
	   { [ -z "${STAGE_EDIT:-}" ] ||
	     $STAGE_EDIT "$_sp_dir/image" >>"$_sp_dir/stage.log" 2>&1; } &&
	   GPG=${GPG:-gpg} sh "$top_srcdir/tools/mkmodules" "$_sp_dir/image" \
	    "$top_builddir/build/keys" >>"$_sp_dir/stage.log" 2>&1 &&
	   sh "$top_srcdir/tools/mkdisk" "$_sp_dir/image" "$_sp_dir/disk.img" \
	    >>"$_sp_dir/stage.log" 2>&1; then
		return 0
	fi
	echo "1..1"
	echo "not ok 1 - stage the $_sp_profile profile image"
	sed 's/^/# /' "$_sp_dir/stage.log" | head -20
	return 1
}

# suite_tap WORD DIR TODO_FILE: turn the lines an in-OS suite printed on the
# debug console of a boot in DIR ("WORD ok|FAIL|skip <name>[: why]" and
# "WORD done passed=N failed=M skipped=K") into TAP, then check that nothing
# panicked and that the kernel ended the run after initd: idle.  Cases named
# in TODO_FILE ("name reason" lines) are TAP TODO: RustOS does not support
# them yet; one that passes says so, so the list shrinks.  A "flaky:" reason
# turns a pass into a SKIP instead.  Prints the plan last.
suite_tap() {
	_st_word=$1 _st_dir=$2 _st_todo=$3
	_st_lc=$(printf '%s' "$_st_word" | tr 'A-Z' 'a-z')
	_st_log=$_st_dir/debugcon.txt
	tr -d '\r' < "$_st_dir/debugcon.log" > "$_st_log"
	grep -E "^$_st_word (ok|FAIL|skip) " "$_st_log" > "$_st_dir/suite.lines"
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$_st_todo" > "$_st_dir/todo.list"
	n=0 fails=0 todo=0 seen=
	while IFS= read -r l; do
		[ -n "$l" ] || continue
		rest=${l#"$_st_word" }
		verdict=${rest%% *}
		rest=${rest#* }
		name=${rest%%:*}
		name=${name%% *}
		why=
		case $rest in *:*) why=${rest#*: } ;; esac
		seen="$seen $name "
		n=$((n + 1))
		if reason=$(suite_todo_reason "$_st_dir" "$name"); then
			todo=$((todo + 1))
			if [ "$verdict" = ok ]; then
				case $reason in
				flaky:*)
					echo "ok $n - $name # SKIP $reason (passed this time)"
					continue ;;
				esac
				echo "ok $n - $name # TODO not implemented yet: $reason (passes now: remove it from $(basename "$_st_todo"))"
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
	done < "$_st_dir/suite.lines"
	# Listed cases RustOS never printed a line for.
	for name in $(awk '{ print $1 }' "$_st_dir/todo.list"); do
		case $seen in *" $name "*) continue ;; esac
		[ "$name" = "$_st_lc-done" ] && continue
		n=$((n + 1))
		echo "not ok $n - $name # TODO not implemented yet: $(suite_todo_reason "$_st_dir" "$name") (no result line)"
	done
	done_line=$(grep -E "^$_st_word done passed=[0-9]+ failed=[0-9]+ skipped=[0-9]+\$" "$_st_log" | tail -1)
	n=$((n + 1))
	if [ -n "$done_line" ]; then
		echo "ok $n - $_st_lc ran to the end ($done_line)"
	elif suite_todo_reason "$_st_dir" "$_st_lc-done" >/dev/null; then
		echo "not ok $n - $_st_lc ran to the end # TODO not implemented yet: $(suite_todo_reason "$_st_dir" "$_st_lc-done")"
	else
		echo "not ok $n - $_st_lc ran to the end"
		echo "# no $_st_word done line; debugcon: $_st_log"
	fi
	echo "# result lines: $(wc -l < "$_st_dir/suite.lines"), todo: $todo, unexpected failures: $fails"
	end_of_boot_checks "$_st_log" "$_st_dir"
	echo "1..$n"
}

# end_of_boot_checks LOG DIR: the two closing cases of a boot whose results
# are numbered with $n (suite_tap, abitest.sh): nothing panicked (debug
# console LOG and DIR/serial.txt) and the kernel exited cleanly after
# "initd: idle" (QEMU_RC).
end_of_boot_checks() {
	n=$((n + 1))
	if grep -q '\[PANIC\]' "$1" "$2/serial.txt"; then
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
}

# suite_todo_reason DIR NAME: the TODO list's reason for NAME (status 1 if
# NAME is not listed).
suite_todo_reason() {
	awk -v n="$2" '$1 == n { $1 = ""; sub(/^ +/, ""); print; f = 1; exit }
	    END { exit !f }' "$1/todo.list"
}
