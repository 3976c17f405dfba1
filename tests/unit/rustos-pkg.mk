# tests/unit/rustos-pkg.mk -- tests of rustos-pkg and lib/fault-rules
# (included by tests/local.mk).  Fixtures live in tests/unit/pkg/.
#
#   fault-rules-test  every action, error message, separator, blank
#   rules.sh          one case per manifest rule/message (pkg/rules.txt)
#   stage.sh          golden registries + desktop files, determinism, refusals
#   config.sh         config check/show/log-header/kernel-cflags/fault-rules
#   build.sh          rustos-pkg build of an out-of-tree c-program package;
#                     the tree's own manifests pass rustos-pkg check
#   fuzz.sh           mutated manifests, rule strings and configs against an
#                     ASan/UBSan build of the rustos-pkg sources ($(HOST_CC))

check_PROGRAMS += tests/unit/pkg/fault-rules-test
tests_unit_pkg_fault_rules_test_SOURCES = tests/unit/pkg/fault-rules-test.c
tests_unit_pkg_fault_rules_test_LDADD = lib/fault-rules/libfault-rules.a
TESTS += tests/unit/pkg/fault-rules-test \
	tests/unit/pkg/rules.sh \
	tests/unit/pkg/stage.sh \
	tests/unit/pkg/config.sh \
	tests/unit/pkg/build.sh \
	tests/unit/pkg/fuzz.sh

EXTRA_DIST += \
	tests/unit/pkg/rules.sh \
	tests/unit/pkg/rules.txt \
	tests/unit/pkg/stage.sh \
	tests/unit/pkg/config.sh \
	tests/unit/pkg/build.sh \
	tests/unit/pkg/fuzz.sh \
	tests/unit/pkg/fuzz.c \
	tests/unit/pkg/tree \
	tests/unit/pkg/overlay \
	tests/unit/pkg/golden

CLEAN_LOCAL_DIRS += tests/unit/pkg/rules.tmp tests/unit/pkg/stage.tmp \
	tests/unit/pkg/config.tmp tests/unit/pkg/build.tmp \
	tests/unit/pkg/fuzz.tmp
