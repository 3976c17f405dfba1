# tests/unit/fatfs.mk -- tests of lib/fatfs (included by tests/local.mk).
#
#   fatfs-test  the host driver: a disk image file as the block device
#   fatfs.sh    images made at test time with mtools (FAT16 via tools/mkdisk,
#               FAT32, MBR), byte/listing comparison with the source tree,
#               patched corrupt images through the musl and an ASan/UBSan
#               ($(HOST_CC)) build, a mutation fuzz, build/rustos-boot.img

check_PROGRAMS += tests/unit/fatfs/fatfs-test
tests_unit_fatfs_fatfs_test_SOURCES = tests/unit/fatfs/fatfs-test.c
tests_unit_fatfs_fatfs_test_LDADD = lib/fatfs/libfatfs.a
tests_unit_fatfs_fatfs_test_LDFLAGS = -all-static
TESTS += tests/unit/fatfs/fatfs.sh
EXTRA_DIST += tests/unit/fatfs/fatfs.sh
CLEAN_LOCAL_DIRS += tests/unit/fatfs/fatfs.tmp
