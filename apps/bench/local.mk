# apps/bench/local.mk -- build fragment of the benchmark (included from
# apps/local.mk): apps/bench/bench and apps/bench/true, static musl RustOS
# programs linked like the other apps (services/local.mk:
# RUSTOS_PROG_LINKFLAGS), which also run on Linux and on the build host.
# `make bench` itself is in tools/bench/local.mk; the tests in
# tests/unit/bench.mk.

noinst_PROGRAMS += apps/bench/bench apps/bench/true
apps_bench_bench_SOURCES = $(RUSTOS_START) apps/bench/bench.c
apps_bench_bench_LDFLAGS = $(RUSTOS_PROG_LINKFLAGS)
apps_bench_bench_LDADD = lib/user-abi/librustos-user-abi.la
apps_bench_true_SOURCES = $(RUSTOS_START) apps/bench/true.c
apps_bench_true_LDFLAGS = $(RUSTOS_PROG_LINKFLAGS)

EXTRA_DIST += \
	apps/bench/RUSTOS.package.toml \
	apps/bench-true/RUSTOS.package.toml

if ENABLE_IMAGE
# Copied by apps/local.mk's rule build/artifacts/apps/%.elf <- apps/%.
IMAGE_ARTIFACTS += \
	$(IMAGE_ARTIFACTS_DIR)/apps/bench/bench.elf \
	$(IMAGE_ARTIFACTS_DIR)/apps/bench/true.elf
endif ENABLE_IMAGE

include $(srcdir)/tools/bench/local.mk
include $(srcdir)/tests/unit/bench.mk
