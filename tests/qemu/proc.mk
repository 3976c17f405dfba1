# tests/qemu/proc.mk -- QEMU test of processes for Linux programs: boots the
# inos profile and turns the in-OS process suite (tests/inos/proc) into TAP
# with the TODO list tests/qemu/psuite-todo.txt (tests/qemu/proc.sh;
# included from tests/qemu/local.mk).  tests/qemu/syscall-report.sh prints
# the Linux syscall report and checks it against the same in-OS run.
# tests/qemu/dynglibc.sh runs a dynamically linked glibc PIE with the
# host's glibc loader and libc staged into a test-profile image.
EXTRA_DIST += tests/qemu/proc.sh tests/qemu/psuite-todo.txt \
	tests/qemu/syscall-report.sh tests/qemu/dynglibc.sh \
	tests/qemu/dynglibc/hello.c

if ENABLE_QEMU_TESTS
TESTS += tests/qemu/proc.sh tests/qemu/syscall-report.sh \
	tests/qemu/dynglibc.sh
endif
