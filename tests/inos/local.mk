# tests/inos/local.mk -- in-OS suites (included from apps/shell/local.mk).
# tests/inos/files/fsuite: the file/device suite, a static musl program
# linked like the RustOS apps (services/local.mk: RUSTOS_PROG_LINKFLAGS),
# staged as apps/fsuite/fsuite.elf (inos profile) and run on the build host
# by tests/unit/fsuite.sh as the reference.

noinst_PROGRAMS += tests/inos/files/fsuite
tests_inos_files_fsuite_SOURCES = $(RUSTOS_START) \
	tests/inos/files/fsuite.h \
	tests/inos/files/fsuite.c \
	tests/inos/files/cases_file.c \
	tests/inos/files/cases_dir.c \
	tests/inos/files/cases_dev.c \
	tests/inos/files/cases_path.c \
	tests/inos/files/cases_cred.c
tests_inos_files_fsuite_LDFLAGS = $(RUSTOS_PROG_LINKFLAGS)

EXTRA_DIST += \
	tests/inos/files/RUSTOS.package.toml \
	tests/unit/fsuite.sh

TESTS += tests/unit/fsuite.sh

if ENABLE_IMAGE
$(IMAGE_ARTIFACTS_DIR)/apps/fsuite/fsuite.elf: tests/inos/files/fsuite$(EXEEXT)
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)cp -f tests/inos/files/fsuite$(EXEEXT) $@

IMAGE_ARTIFACTS += $(IMAGE_ARTIFACTS_DIR)/apps/fsuite/fsuite.elf
endif ENABLE_IMAGE

# tests/inos/rtaccess/rtaccess: vfsd's linux-runtime access profile
# (RustOS only: Linux has no such profile, so no host reference run);
# staged as apps/rtaccess/rtaccess.elf and run by tests/qemu/rtaccess.sh.
noinst_PROGRAMS += tests/inos/rtaccess/rtaccess
tests_inos_rtaccess_rtaccess_SOURCES = $(RUSTOS_START) \
	tests/inos/rtaccess/rtaccess.c
tests_inos_rtaccess_rtaccess_LDFLAGS = $(RUSTOS_PROG_LINKFLAGS)
tests_inos_rtaccess_rtaccess_LDADD = lib/user-abi/librustos-user-abi.la
EXTRA_DIST += tests/inos/rtaccess/RUSTOS.package.toml

if ENABLE_IMAGE
$(IMAGE_ARTIFACTS_DIR)/apps/rtaccess/rtaccess.elf: \
    tests/inos/rtaccess/rtaccess$(EXEEXT)
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)cp -f tests/inos/rtaccess/rtaccess$(EXEEXT) $@

IMAGE_ARTIFACTS += $(IMAGE_ARTIFACTS_DIR)/apps/rtaccess/rtaccess.elf
endif ENABLE_IMAGE
