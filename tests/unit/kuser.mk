# tests/unit/kuser.mk -- host tests of the kernel's user-mode pure code
# (included from kernel/local.mk): ELF64 image validation.
check_PROGRAMS += tests/unit/kuser-elf
tests_unit_kuser_elf_SOURCES = tests/unit/kuser-elf.c kernel/ps/elf.c
tests_unit_kuser_elf_CPPFLAGS = -I$(srcdir)/kernel $(AM_CPPFLAGS)
TESTS += tests/unit/kuser-elf
