# tests/qemu/proc.mk -- QEMU test of processes for Linux programs: boots the
# inos profile and turns the in-OS process suite (tests/inos/proc) into TAP
# with the TODO list tests/qemu/psuite-todo.txt (tests/qemu/proc.sh;
# included from tests/qemu/local.mk).  tests/qemu/syscall-report.sh prints
# the Linux syscall report and checks it against the same in-OS run.
EXTRA_DIST += tests/qemu/proc.sh tests/qemu/psuite-todo.txt \
	tests/qemu/syscall-report.sh

if ENABLE_QEMU_TESTS
TESTS += tests/qemu/proc.sh tests/qemu/syscall-report.sh
endif
