# tests/qemu/storage.mk -- QEMU test of storage: AHCI, the block broker and
# vfsd's FAT root (tests/qemu/storage.sh; included from tests/qemu/local.mk).
EXTRA_DIST += tests/qemu/storage.sh

if ENABLE_QEMU_TESTS
TESTS += tests/qemu/storage.sh
endif
