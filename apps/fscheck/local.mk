# apps/fscheck/local.mk -- build fragment of fscheck (included from
# apps/local.mk): walks "/" through vfsd and prints a checksum line per
# file for tests/qemu/storage.sh.
noinst_PROGRAMS += apps/fscheck/fscheck
apps_fscheck_fscheck_SOURCES = $(RUSTOS_START) apps/fscheck/fscheck.c
apps_fscheck_fscheck_LDFLAGS = $(RUSTOS_PROG_LINKFLAGS)

EXTRA_DIST += apps/fscheck/RUSTOS.package.toml

if ENABLE_IMAGE
IMAGE_ARTIFACTS += $(IMAGE_ARTIFACTS_DIR)/apps/fscheck/fscheck.elf
endif ENABLE_IMAGE
