# tests/abi/local.mk -- ABI checks (spec/testing-and-benchmarks.md layer 2):
# headers compile alone (C99/C11/C++11), numbers pinned by an independent
# golden list, generated files match abi/*.def, exported symbols match the
# version scripts, the kernel dispatch-table fragment compiles and links.
TESTS += \
	tests/abi/headers.sh \
	tests/abi/numbers.sh \
	tests/abi/regen.sh \
	tests/abi/symbols.sh \
	tests/abi/kernel-table
EXTRA_DIST += \
	tests/abi/headers.sh \
	tests/abi/numbers.sh \
	tests/abi/numbers.golden \
	tests/abi/regen.sh \
	tests/abi/symbols.sh

check_PROGRAMS += tests/abi/kernel-table
tests_abi_kernel_table_SOURCES = tests/abi/kernel_table.c \
	kernel/generated/syscall_table.c kernel/generated/syscall_table.h
CLEAN_LOCAL_DIRS += tests/abi/headers.tmp tests/abi/numbers.tmp \
	tests/abi/regen.tmp tests/abi/symbols.tmp
