# apps/local.mk -- build fragment for apps/ (included by the top Makefile.am):
# ipcbench (IPC round-trip benchmark), abitest (in-OS ABI tests) and
# schedspin (scheduler weight probe), RustOS programs of the `test`
# profile, linked like the services
# (services/local.mk: RUSTOS_PROG_LINKFLAGS, RUSTOS_START).

noinst_PROGRAMS += apps/ipcbench/ipcbench
apps_ipcbench_ipcbench_SOURCES = $(RUSTOS_START) apps/ipcbench/ipcbench.c
apps_ipcbench_ipcbench_LDFLAGS = $(RUSTOS_PROG_LINKFLAGS)
apps_ipcbench_ipcbench_LDADD = lib/user-abi/librustos-user-abi.la

# abitest's table of gated syscalls comes from the ABI table itself, so a
# broker added there is tested without touching abitest.
noinst_PROGRAMS += apps/abitest/abitest
apps_abitest_abitest_SOURCES = $(RUSTOS_START) apps/abitest/abitest.c
nodist_apps_abitest_abitest_SOURCES = apps/abitest/gated.h
apps_abitest_abitest_LDFLAGS = $(RUSTOS_PROG_LINKFLAGS)
apps_abitest_abitest_LDADD = lib/user-abi/librustos-user-abi.la
BUILT_SOURCES += apps/abitest/gated.h
apps/abitest/abitest.$(OBJEXT): apps/abitest/gated.h
CLEANFILES += apps/abitest/gated.h

apps/abitest/gated.h: $(srcdir)/abi/syscalls.def $(srcdir)/apps/abitest/gen-gated.sh
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)$(SHELL) $(srcdir)/apps/abitest/gen-gated.sh \
	  $(srcdir)/abi/syscalls.def > $@.tmp && mv -f $@.tmp $@

# schedspin: one binary, staged twice (weights 100 and 300 us).
noinst_PROGRAMS += apps/schedspin/schedspin
apps_schedspin_schedspin_SOURCES = $(RUSTOS_START) apps/schedspin/schedspin.c
apps_schedspin_schedspin_LDFLAGS = $(RUSTOS_PROG_LINKFLAGS)
apps_schedspin_schedspin_LDADD = lib/user-abi/librustos-user-abi.la

EXTRA_DIST += \
	apps/abitest/gen-gated.sh \
	apps/schedspin/RUSTOS.package.toml \
	apps/schedspin-heavy/RUSTOS.package.toml \
	apps/abitest/RUSTOS.package.toml \
	apps/ipcbench/RUSTOS.package.toml

if ENABLE_IMAGE
$(IMAGE_ARTIFACTS_DIR)/apps/%.elf: apps/%$(EXEEXT)
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)cp -f apps/$*$(EXEEXT) $@

$(IMAGE_ARTIFACTS_DIR)/apps/schedspin-heavy/schedspin-heavy.elf: apps/schedspin/schedspin$(EXEEXT)
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)cp -f apps/schedspin/schedspin$(EXEEXT) $@

IMAGE_ARTIFACTS += \
	$(IMAGE_ARTIFACTS_DIR)/apps/ipcbench/ipcbench.elf \
	$(IMAGE_ARTIFACTS_DIR)/apps/abitest/abitest.elf \
	$(IMAGE_ARTIFACTS_DIR)/apps/schedspin/schedspin.elf \
	$(IMAGE_ARTIFACTS_DIR)/apps/schedspin-heavy/schedspin-heavy.elf
endif ENABLE_IMAGE
include $(srcdir)/apps/bench/local.mk
include $(srcdir)/apps/shell/local.mk
include $(srcdir)/apps/fscheck/local.mk
