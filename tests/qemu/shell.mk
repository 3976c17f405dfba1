# tests/qemu/shell.mk -- QEMU test of the console: the line discipline, job
# control and the shell on COM1 of the default image (tests/qemu/shell.sh,
# driven by tests/qemu/shell-session.py; included from tests/qemu/local.mk).
EXTRA_DIST += tests/qemu/shell.sh tests/qemu/shell-session.py \
	tests/qemu/shell-todo.txt

if ENABLE_QEMU_TESTS
TESTS += tests/qemu/shell.sh
endif
