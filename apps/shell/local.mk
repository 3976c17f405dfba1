# apps/shell/local.mk -- build fragment of the shell (included at the end of
# apps/local.mk): apps/shell/shell, a static musl RustOS program linked like
# the other apps (services/local.mk: RUSTOS_PROG_LINKFLAGS) that also runs
# on the build host, its host test tests/unit/shell.sh, and the in-OS
# file/device suite (tests/inos/local.mk).

noinst_PROGRAMS += apps/shell/shell
apps_shell_shell_SOURCES = $(RUSTOS_START) \
	apps/shell/shell.h \
	apps/shell/shell.c \
	apps/shell/parse.c \
	apps/shell/exec.c \
	apps/shell/jobs.c \
	apps/shell/builtin.c
apps_shell_shell_LDFLAGS = $(RUSTOS_PROG_LINKFLAGS)

# sleep: a small program of the console session (^C test of shell.sh).
noinst_PROGRAMS += apps/sleep/sleep
apps_sleep_sleep_SOURCES = $(RUSTOS_START) apps/sleep/sleep.c
apps_sleep_sleep_LDFLAGS = $(RUSTOS_PROG_LINKFLAGS)

EXTRA_DIST += \
	apps/shell/RUSTOS.package.toml \
	apps/sleep/RUSTOS.package.toml \
	tests/unit/shell.sh \
	tests/unit/shell/session.txt \
	tests/unit/shell/session.expected

TESTS += tests/unit/shell.sh

if ENABLE_IMAGE
$(IMAGE_ARTIFACTS_DIR)/apps/shell/shell.elf: apps/shell/shell$(EXEEXT)
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)cp -f apps/shell/shell$(EXEEXT) $@

IMAGE_ARTIFACTS += $(IMAGE_ARTIFACTS_DIR)/apps/shell/shell.elf \
	$(IMAGE_ARTIFACTS_DIR)/apps/sleep/sleep.elf
endif ENABLE_IMAGE

include $(srcdir)/tests/inos/local.mk
