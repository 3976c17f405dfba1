# abi/local.mk -- the ABI table and its generator (spec/abi.md).
#
# The generated files are committed; `make abi-regen` rewrites them in
# $(srcdir) from abi/*.def (the only rule allowed to write there).
# tests/abi/regen.sh regenerates into the build tree and diffs.
ABIGEN = $(PYTHON) $(srcdir)/tools/abigen.py

EXTRA_DIST += \
	abi/syscalls.def \
	abi/services.def \
	tools/abigen.py \
	kernel/generated/syscall_table.c \
	kernel/generated/syscall_table.h \
	docs/abi/syscalls.md \
	docs/abi/README.md \
	docs/ai/abi.md

abi-regen:
	$(AM_V_GEN)$(ABIGEN) --srcdir $(srcdir)
.PHONY: abi-regen
