# lib/fault-rules/local.mk -- the fault-injection rule parser (included by the
# top Makefile.am).  Host side: a static convenience library for rustos-pkg
# and the tests.  The kernel compiles fault_rules.c itself, freestanding.
noinst_LIBRARIES += lib/fault-rules/libfault-rules.a
lib_fault_rules_libfault_rules_a_SOURCES = \
	lib/fault-rules/fault_rules.c \
	lib/fault-rules/fault_rules.h
