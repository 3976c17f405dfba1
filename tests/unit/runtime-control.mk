# tests/unit/runtime-control.mk -- libruntime-control: the client against a
# real AF_UNIX server thread (library server codec + hand-made bad frames),
# the codec alone, and the registry/runtime-env parsers.
check_PROGRAMS += \
	tests/unit/runtime-control/client-test \
	tests/unit/runtime-control/codec-test \
	tests/unit/runtime-control/registry-test
TESTS += \
	tests/unit/runtime-control/client-test \
	tests/unit/runtime-control/codec-test \
	tests/unit/runtime-control/registry-test
RC_TEST_LIBS = lib/runtime-control/libruntime-control.la
tests_unit_runtime_control_client_test_SOURCES = \
	tests/unit/runtime-control/client_test.c tests/unit/runtime-control/tap.h
tests_unit_runtime_control_client_test_LDADD = $(RC_TEST_LIBS) -lpthread
tests_unit_runtime_control_codec_test_SOURCES = \
	tests/unit/runtime-control/codec_test.c tests/unit/runtime-control/tap.h
tests_unit_runtime_control_codec_test_LDADD = $(RC_TEST_LIBS)
tests_unit_runtime_control_registry_test_SOURCES = \
	tests/unit/runtime-control/registry_test.c tests/unit/runtime-control/tap.h
tests_unit_runtime_control_registry_test_LDADD = $(RC_TEST_LIBS)

# fake-runtimed: runtimed's control socket built on the library's server
# codec; `make installcheck` drives the installed-SDK build of
# sdk-examples/rtctl against it (tests/unit/runtime-control/rtctl-check.sh).
check_PROGRAMS += tests/unit/runtime-control/fake-runtimed
tests_unit_runtime_control_fake_runtimed_SOURCES = \
	tests/unit/runtime-control/fake_runtimed.c
tests_unit_runtime_control_fake_runtimed_LDADD = $(RC_TEST_LIBS)
EXTRA_DIST += tests/unit/runtime-control/rtctl-check.sh
