# tests/local.mk -- every test layer (spec/testing-and-benchmarks.md).
# Each test speaks TAP (one line per case); see docs/ai/build-conventions.md.
include $(srcdir)/tests/unit/toml.mk
include $(srcdir)/tests/unit/rustos-pkg.mk
include $(srcdir)/tests/unit/runtime-control.mk
include $(srcdir)/tests/unit/kernel.mk
include $(srcdir)/tests/abi/local.mk
include $(srcdir)/tests/qemu/local.mk
include $(srcdir)/tests/unit/fatfs.mk
include $(srcdir)/tests/inos/proc/local.mk
