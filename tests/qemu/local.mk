# tests/qemu/local.mk -- boot the real image in QEMU (OVMF + signed GRUB).
EXTRA_DIST += \
	tests/qemu/lib.sh \
	tests/qemu/boot-markers.txt \
	tests/qemu/boot.sh \
	tests/qemu/signature.sh \
	tests/qemu/image.sh

if ENABLE_QEMU_TESTS
check_DATA += $(IMAGE_DISK)
TESTS += \
	tests/qemu/boot.sh \
	tests/qemu/signature.sh \
	tests/qemu/image.sh
endif

CLEAN_LOCAL_DIRS += tests/qemu/work

include $(srcdir)/tests/qemu/kernel.mk
include $(srcdir)/tests/qemu/storage.mk
include $(srcdir)/tests/qemu/proc.mk
include $(srcdir)/tests/qemu/shell.mk
