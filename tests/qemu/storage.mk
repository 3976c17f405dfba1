# tests/qemu/storage.mk -- QEMU tests of storage and files (included from
# tests/qemu/local.mk): tests/qemu/storage.sh (AHCI, the block broker,
# vfsd's FAT root and /tmp) and tests/qemu/fsuite.sh (the in-OS file/device
# suite, with its TODO list of cases RustOS does not pass yet) and
# tests/qemu/fat-corrupt.sh (a damaged FAT volume; fat-damage.py damages it).
EXTRA_DIST += \
	tests/qemu/storage.sh \
	tests/qemu/fat-corrupt.sh \
	tests/qemu/fat-damage.py \
	tests/qemu/fsuite.sh \
	tests/qemu/fsuite-todo.txt

if ENABLE_QEMU_TESTS
TESTS += \
	tests/qemu/storage.sh \
	tests/qemu/fat-corrupt.sh \
	tests/qemu/fsuite.sh
endif

# tests/qemu/rtaccess.sh: vfsd's linux-runtime access profile (three boots:
# the staged registry, a modified one, none), tests/inos/rtaccess.
EXTRA_DIST += tests/qemu/rtaccess.sh tests/qemu/rtaccess-todo.txt
if ENABLE_QEMU_TESTS
TESTS += tests/qemu/rtaccess.sh
endif
