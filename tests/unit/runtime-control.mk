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
