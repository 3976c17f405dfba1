#!/bin/sh
# shell.sh -- the shell on the serial console of the real default image.
# Boots it without the `exit` test flag with COM1 on a FIFO pair
# (tools/qemu-run --serial pipe:BASE) and lets tests/qemu/shell-session.py
# type at the prompt like a person: a line typed while the kernel boots
# (read by the shell later), canonical echo and editing (DEL, ^U, UTF-8),
# ^C at the prompt and against a running `sleep 30` job (the shell
# survives, $? = 130), ^\ against one ([signal 3], 131), /dev/tty, job
# control (`sleep 30 &`, jobs, ^Z, bg, fg, kill %1, wait, the Done/Stopped/
# Terminated notices, a pipeline stopped as one group; the same cases run
# first against the host build on a pty), then
# tests/unit/shell/session.txt command by command against the host build
# of the same shell on a pty (the unit test pins that one to
# session.expected), `exit 4` ending the session (initd's
# "console session ended status=4"), and ^D ending the shell initd starts
# next.  Commands RustOS does not get right yet are TAP TODO from
# tests/qemu/shell-todo.txt.  The test kills QEMU at the end.
. "$top_srcdir/tests/qemu/lib.sh"

[ -f "$image_disk" ] || tap_bail "no image: run make image"
[ -x "$top_builddir/apps/shell/shell" ] || tap_bail "no apps/shell/shell: run make"
py=${PYTHON:-python3}
"$py" -c 'import pty' 2>/dev/null || tap_bail "no Python with pty ($py)"
wd=$(qemu_workdir shell)
"$py" "$top_srcdir/tests/qemu/shell-session.py" "$top_srcdir/tools/qemu-run" \
    "$image_disk" "$wd" "$top_srcdir/tests/unit/shell/session.txt" \
    "$top_srcdir/tests/unit/shell/session.expected" \
    "$top_builddir/apps/shell/shell" "$top_srcdir/tests/qemu/shell-todo.txt"
exit 0
