# lib/fatfs/local.mk -- libfatfs: the read-only FAT16/FAT32 parser vfsd
# links (included by the top Makefile.am).  A static convenience library
# built with $(CC) (musl); no globals, no allocation (lib/fatfs/fatfs.h).
noinst_LIBRARIES += lib/fatfs/libfatfs.a
lib_fatfs_libfatfs_a_SOURCES = \
	lib/fatfs/fatfs.c \
	lib/fatfs/fatfs.h
EXTRA_DIST += docs/ai/fatfs.md
