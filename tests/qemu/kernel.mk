# tests/qemu/kernel.mk -- kernel QEMU tests (included by tests/qemu/local.mk):
# in-kernel self tests, the panic path, memory maps of different shapes,
# every opt_level 0..3 and the alloc.frame fault point.
EXTRA_DIST += \
	tests/qemu/kernel-selftest.sh \
	tests/qemu/kernel-panic.sh \
	tests/qemu/kernel-memory.sh \
	tests/qemu/kernel-opt-levels.sh \
	tests/qemu/fault-alloc-frame.sh

if ENABLE_QEMU_TESTS
TESTS += \
	tests/qemu/kernel-selftest.sh \
	tests/qemu/kernel-panic.sh \
	tests/qemu/kernel-memory.sh \
	tests/qemu/kernel-opt-levels.sh \
	tests/qemu/fault-alloc-frame.sh
endif
