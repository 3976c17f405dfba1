#!/bin/sh
# rtaccess.sh -- vfsd's linux-runtime access profile in the real image
# (docs/ai/bootstrap.md, "Linux runtime access").  Stages the `inos`
# profile with tests/inos/rtaccess as its only in-OS package (an init
# package here) and boots it three times:
#   1. the registry as rustos-pkg stages it (mode `default`), and vfsd's
#      log names the number of grants the file has;
#   2. a modified registry (STAGE_EDIT): a dir grant of /apps/rtaccess,
#      startup-programs.tsv and the /usr/lib grant dropped, malformed
#      lines -- the probe's view follows the file (mode `modified`), so
#      there is no built-in list, and vfsd logs each bad line as
#      `linux-runtime-access.tsv:LINE: RULE` and stays up;
#   3. no registry file (mode `none`): a confined program sees nothing
#      of the boot volume, system programs are unaffected.
# Each boot's "RTACCESS ok|FAIL|skip NAME" lines become TAP (TODO list
# tests/qemu/rtaccess-todo.txt), prefixed with the boot's mode.
. "$top_srcdir/tests/qemu/lib.sh"

todo_file=$top_srcdir/tests/qemu/rtaccess-todo.txt
[ -r "$todo_file" ] || tap_bail "no $todo_file"
top=$(qemu_workdir rtaccess)
[ -x "$top_builddir/tools/rustos-pkg/rustos-pkg" ] || tap_bail "no rustos-pkg: run make"
[ -d "$top_builddir/build/artifacts" ] || tap_bail "no build/artifacts: run make image"
reg=system/registry/system/linux-runtime-access.tsv
total=0 failed=0

# The modified registry of boot 2: lines 4-8 are malformed.
modified_registry() {
	printf 'kind=dir\tpath=/apps/rtaccess/\n'
	printf 'kind=file\tpath=/etc/hosts\n'
	printf 'path=/system/registry/system/desktop-programs.tsv\tkind=file\n'
	printf 'kind=bogus\tpath=/x\n'
	printf 'kind=file\tpath=relative\n'
	printf 'kind=dir\n'
	printf 'kind=file\tpath=/etc/./hosts\n'
	printf 'kind=dir\tpath=/usr/lib\textra=1\n'
}
edit_modified() { modified_registry > "$1/$reg"; }
edit_none() { rm -f "$1/$reg"; }

# emit VERDICT TEXT: one renumbered TAP line of the whole run.
emit() {
	total=$((total + 1))
	echo "$1 $total - $2"
	[ "$1" = ok ] || failed=$((failed + 1))
}

# boot MODE EDIT: stage, boot, and renumber suite_tap's lines as MODE: ...
boot() {
	mode=$1
	wd=$top/$mode
	mkdir -p "$wd/roots/inos/rtaccess"
	sed -e 's/^startup = "none"/startup = "init"/' \
	    -e "s|\"/apps/rtaccess/rtaccess.elf\", \"default\"|\"/apps/rtaccess/rtaccess.elf\", \"$mode\"|" \
	    "$top_srcdir/tests/inos/rtaccess/RUSTOS.package.toml" \
	    > "$wd/roots/inos/rtaccess/RUSTOS.package.toml"
	roots=
	for d in $(image_roots); do
		case $d in */tests/inos) roots="$roots $wd/roots/inos" ;;
		*) roots="$roots $d" ;; esac
	done
	# shellcheck disable=SC2086
	if ! STAGE_EDIT=$2 stage_profile_image inos "$wd" $roots > "$wd/stage.tap"; then
		emit "not ok" "$mode: stage the image"
		sed -n 's/^# /# /p' "$wd/stage.tap"
		return 1
	fi
	qemu_boot "$wd/disk.img" "$wd" 300 --test exit
	suite_tap RTACCESS "$wd" "$todo_file" > "$wd/suite.tap"
	while IFS= read -r l; do
		case $l in
		"ok "*|"not ok "*)
			v=${l%% [0-9]*}
			rest=${l#"$v" }
			emit "$v" "$mode: ${rest#* - }" ;;
		"1.."*) ;;
		*) echo "$l" ;;
		esac
	done < "$wd/suite.tap"
	log=$wd/debugcon.txt
	if grep -q 'rootd: restart vfsd' "$log"; then
		emit "not ok" "$mode: vfsd stayed up"
	else
		emit ok "$mode: vfsd stayed up"
	fi
}

# 1. As staged: vfsd reports every line of the file as a grant.
boot default ""
want=$(grep -c . "$top/default/image/$reg")
if grep -q "vfsd: linux-runtime-access.tsv: $want grants" "$top/default/debugcon.txt"; then
	emit ok "default: vfsd read the $want grants of the staged registry"
else
	emit "not ok" "default: vfsd read the $want grants of the staged registry"
	grep 'linux-runtime-access' "$top/default/debugcon.txt" | sed 's/^/# /'
fi
if grep -q 'linux-runtime-access.tsv:[0-9]' "$top/default/debugcon.txt"; then
	emit "not ok" "default: no bad line reported"
else
	emit ok "default: no bad line reported"
fi

# 2. The modified registry: the view follows it, bad lines are logged.
boot modified edit_modified
mlog=$top/modified/debugcon.txt
for want in \
    'linux-runtime-access.tsv:4: kind must be dir or file' \
    'linux-runtime-access.tsv:5: path must be absolute' \
    'linux-runtime-access.tsv:6: expected two TAB-separated fields' \
    'linux-runtime-access.tsv:7: duplicate of line 2' \
    'linux-runtime-access.tsv:8: more than two fields' \
    'vfsd: linux-runtime-access.tsv: 3 grants'; do
	if grep -qF "$want" "$mlog"; then
		emit ok "modified: log says $want"
	else
		emit "not ok" "modified: log says $want"
	fi
done

# 3. No registry file: fail closed, logged.
boot none edit_none
if grep -q 'vfsd: linux-runtime-access.tsv: cannot read' "$top/none/debugcon.txt"; then
	emit ok "none: the missing registry is logged"
else
	emit "not ok" "none: the missing registry is logged"
fi
echo "1..$total"
exit 0
