# tests/unit/services.mk -- host unit tests of the services' pure logic
# (included from services/local.mk): request validation and log format of
# services/common, initd's ordering, loaderd's ELF and request checks and
# its broker sequence (fake brokers), vfsd's namespace and handlers (fake
# bootfs), syscalld's MM policy and credentials DB, rootd's helpers.
# Built with $(CC) (musl, static).
SERVICES_UNIT_TESTS = \
	tests/unit/services/svc-test \
	tests/unit/services/order-test \
	tests/unit/services/elf-test \
	tests/unit/services/ns-test \
	tests/unit/services/policy-test \
	tests/unit/services/rootd-test \
	tests/unit/services/build-test \
	tests/unit/services/vfsd-test \
	tests/unit/services/memfs-test \
	tests/unit/services/creds-test \
	tests/unit/services/rtaccess-test
check_PROGRAMS += $(SERVICES_UNIT_TESTS)
TESTS += $(SERVICES_UNIT_TESTS)

tests_unit_services_svc_test_SOURCES = tests/unit/services/svc_test.c \
	tests/unit/services/tap.h services/common/validate.c \
	services/common/log.c
tests_unit_services_svc_test_LDADD = lib/user-abi/librustos-user-abi.la
tests_unit_services_svc_test_LDFLAGS = -all-static
tests_unit_services_order_test_SOURCES = tests/unit/services/order_test.c \
	services/initd/order.c
tests_unit_services_elf_test_SOURCES = tests/unit/services/elf_test.c \
	services/loaderd/elf.c services/loaderd/request.c
tests_unit_services_ns_test_SOURCES = tests/unit/services/ns_test.c \
	services/vfsd/ns.c
tests_unit_services_policy_test_SOURCES = tests/unit/services/policy_test.c \
	services/syscalld/policy.c
tests_unit_services_rootd_test_SOURCES = tests/unit/services/rootd_test.c \
	services/rootd/lib.c
# lib.c defines memcpy/memset itself: keep gcc from turning those loops
# back into calls to themselves.
tests_unit_services_rootd_test_CFLAGS = $(AM_CFLAGS) -fno-builtin \
	-fno-tree-loop-distribute-patterns
tests_unit_services_build_test_SOURCES = tests/unit/services/build_test.c \
	services/loaderd/build.c services/loaderd/elf.c
tests_unit_services_vfsd_test_SOURCES = tests/unit/services/vfsd_test.c \
	services/vfsd/ops.c services/vfsd/ns.c services/vfsd/memfs.c \
	services/vfsd/stage.c services/vfsd/access.c \
	services/vfsd/creds.c \
	services/common/validate.c \
	services/common/log.c
tests_unit_services_vfsd_test_LDADD = lib/fatfs/libfatfs.a \
	lib/user-abi/librustos-user-abi.la
tests_unit_services_vfsd_test_LDFLAGS = -all-static
# vfsd's linux-runtime access profile: the registry parser and the hooks.
tests_unit_services_rtaccess_test_SOURCES = \
	tests/unit/services/rtaccess_test.c services/vfsd/access.c \
	services/vfsd/ops.c services/vfsd/ns.c services/vfsd/memfs.c \
	services/vfsd/stage.c services/vfsd/creds.c \
	services/common/validate.c services/common/log.c
tests_unit_services_rtaccess_test_LDADD = lib/fatfs/libfatfs.a \
	lib/user-abi/librustos-user-abi.la
tests_unit_services_rtaccess_test_LDFLAGS = -all-static
tests_unit_services_memfs_test_SOURCES = tests/unit/services/memfs_test.c \
	services/vfsd/memfs.c
tests_unit_services_creds_test_SOURCES = tests/unit/services/creds_test.c \
	services/syscalld/creds.c services/syscalld/sysinfo.c

# The real rootd, services, initd and abitest under a seccomp-notify
# stand-in for the kernel's user ABI (skipped without root or seccomp).
TESTS += tests/unit/services/fakeboot.sh
EXTRA_DIST += \
	tests/unit/services/fakeboot.sh \
	tests/unit/services/fakekernel.c
CLEAN_LOCAL_DIRS += tests/unit/services/work-fakeboot
