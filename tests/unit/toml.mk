# tests/unit/toml.mk -- tests of the TOML 1.0 parser tools/rustos-pkg/toml.c
# (included by tests/local.mk).  toml-decode is the toml-test decoder;
# toml-test.sh runs the TOML 1.0 part of $(TOML_TEST_DIR) through it and
# toml-errors.sh checks that parse errors carry the right LINE:COL.

check_PROGRAMS += tests/unit/toml-decode
tests_unit_toml_decode_SOURCES = tests/unit/toml-decode.c \
	tools/rustos-pkg/toml.c tools/rustos-pkg/toml.h
TESTS += tests/unit/toml-test.sh tests/unit/toml-errors.sh
EXTRA_DIST += tests/unit/toml-test.sh tests/unit/toml-errors.sh \
	tests/unit/toml-json-compare.py
CLEAN_LOCAL_DIRS += tests/unit/toml-test.tmp tests/unit/toml-errors.tmp

check_PROGRAMS += tests/unit/toml-api
tests_unit_toml_api_SOURCES = tests/unit/toml-api.c tools/rustos-pkg/toml.c \
	tools/rustos-pkg/toml.h
TESTS += tests/unit/toml-api

CLEANFILES += toml-api.tmp.toml
