# tests/unit/kernel.mk -- host tests of the kernel (included by
# tests/local.mk): the kernel's pure code compiled for the host with $(CC)
# (frame bitmap, run queue, log formatting and ring, printf, Multiboot2
# walking), and the subsystem include check.

check_PROGRAMS += tests/unit/kernel/kernel-pure
tests_unit_kernel_kernel_pure_SOURCES = \
	tests/unit/kernel/kernel-pure.c \
	kernel/mm/bitmap.c \
	kernel/mm/mb2.c \
	kernel/ps/runqueue.c \
	kernel/nucleus-core/logfmt.c \
	kernel/nucleus-core/printf.c
# The test's own fixed log configuration comes first.
tests_unit_kernel_kernel_pure_CPPFLAGS = -I$(srcdir)/tests/unit/kernel \
	-I$(srcdir)/kernel $(AM_CPPFLAGS)
TESTS += tests/unit/kernel/kernel-pure tests/unit/kernel-include-check.sh
EXTRA_DIST += tests/unit/kernel-include-check.sh \
	tests/unit/kernel/rustos/log_config.h
