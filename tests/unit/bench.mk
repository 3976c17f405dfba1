# tests/unit/bench.mk -- tests of the benchmark (included from
# apps/bench/local.mk): the bench program on the build host with tiny
# iteration counts, and the table script on canned run logs.  No test looks
# at a duration; `make bench` itself is not part of `make check`.
TESTS += tests/unit/bench.sh tests/unit/bench-table.sh
EXTRA_DIST += \
	tests/unit/bench.sh \
	tests/unit/bench-table.sh \
	tests/unit/bench-runs
CLEAN_LOCAL_DIRS += tests/unit/bench-work tests/unit/bench-table-work
