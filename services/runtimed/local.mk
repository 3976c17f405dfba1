# services/runtimed/local.mk -- runtimed (included from services/local.mk):
# the runtime control service, its host unit test (table.c, the pure
# logic), rtctl built for the image (apps/rtctl, from sdk-examples/rtctl)
# and the in-OS client test of tests/qemu/runtimed.sh (tests/inos/rtd).
noinst_PROGRAMS += services/runtimed/runtimed
services_runtimed_runtimed_SOURCES = $(RUSTOS_START) \
	services/runtimed/runtimed.c \
	services/runtimed/runtimed.h \
	services/runtimed/table.c
services_runtimed_runtimed_LDFLAGS = $(RUSTOS_PROG_LINKFLAGS)
services_runtimed_runtimed_LDADD = services/common/libsvc.a \
	lib/runtime-control/libruntime-control.la \
	lib/user-abi/librustos-user-abi.la

# rtctl for the image: the SDK example's source, linked like the apps.
noinst_PROGRAMS += apps/rtctl/rtctl
apps_rtctl_rtctl_SOURCES = $(RUSTOS_START) sdk-examples/rtctl/rtctl.c
apps_rtctl_rtctl_LDFLAGS = $(RUSTOS_PROG_LINKFLAGS)
apps_rtctl_rtctl_LDADD = lib/runtime-control/libruntime-control.la

# The in-OS client test; staged twice (rtdtest runs the cases, rtdsleep is
# the program it has runtimed launch).
noinst_PROGRAMS += tests/inos/rtd/rtdtest
tests_inos_rtd_rtdtest_SOURCES = $(RUSTOS_START) tests/inos/rtd/rtdtest.c
tests_inos_rtd_rtdtest_LDFLAGS = $(RUSTOS_PROG_LINKFLAGS)
tests_inos_rtd_rtdtest_LDADD = lib/runtime-control/libruntime-control.la

check_PROGRAMS += tests/unit/services/runtimed-test
TESTS += tests/unit/services/runtimed-test
tests_unit_services_runtimed_test_SOURCES = \
	tests/unit/services/runtimed_test.c tests/unit/services/tap.h \
	services/runtimed/table.c services/runtimed/runtimed.h
tests_unit_services_runtimed_test_LDADD = \
	lib/runtime-control/libruntime-control.la
tests_unit_services_runtimed_test_LDFLAGS = -all-static

# tests/qemu/runtimed.sh: runtimed in the test-profile image.
if ENABLE_QEMU_TESTS
TESTS += tests/qemu/runtimed.sh
endif
EXTRA_DIST += \
	services/runtimed/RUSTOS.package.toml \
	apps/rtctl/RUSTOS.package.toml \
	tests/inos/rtd/RUSTOS.package.toml \
	tests/inos/rtdsleep/RUSTOS.package.toml \
	tests/qemu/runtimed.sh \
	tests/qemu/runtimed-todo.txt

if ENABLE_IMAGE
$(IMAGE_ARTIFACTS_DIR)/apps/rtdtest/rtdtest.elf: tests/inos/rtd/rtdtest$(EXEEXT)
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)cp -f tests/inos/rtd/rtdtest$(EXEEXT) $@
$(IMAGE_ARTIFACTS_DIR)/apps/rtdsleep/rtdsleep.elf: tests/inos/rtd/rtdtest$(EXEEXT)
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)cp -f tests/inos/rtd/rtdtest$(EXEEXT) $@

IMAGE_ARTIFACTS += \
	$(IMAGE_ARTIFACTS_DIR)/services/runtimed/runtimed.elf \
	$(IMAGE_ARTIFACTS_DIR)/apps/rtctl/rtctl.elf \
	$(IMAGE_ARTIFACTS_DIR)/apps/rtdtest/rtdtest.elf \
	$(IMAGE_ARTIFACTS_DIR)/apps/rtdsleep/rtdsleep.elf
endif ENABLE_IMAGE
