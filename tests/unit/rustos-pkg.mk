# tests/unit/rustos-pkg.mk -- tests of rustos-pkg and lib/fault-rules
# (included by tests/local.mk).  Fixtures live in tests/unit/pkg/.

check_PROGRAMS += tests/unit/pkg/fault-rules-test
tests_unit_pkg_fault_rules_test_SOURCES = tests/unit/pkg/fault-rules-test.c
tests_unit_pkg_fault_rules_test_LDADD = lib/fault-rules/libfault-rules.a
TESTS += tests/unit/pkg/fault-rules-test
