# tests/inos/proc/local.mk -- build fragment of the in-OS process suite
# (included by tests/local.mk): psuite and its helper psuite-child, static
# musl programs linked like the RustOS apps (services/local.mk:
# RUSTOS_START, RUSTOS_PROG_LINKFLAGS) so the same binaries run inside
# RustOS and, as the reference, on the build host (tests/unit/psuite.sh).
#
# The image artifacts are apps/psuite/psuite.elf and psuite-child.elf.  The
# packages live outside the image's package roots, so staging them is
# explicit:  make image IMAGE_PROFILE=test \
#     EXTRA_PACKAGE_DIRS=$(abs_top_srcdir)/tests/inos/proc

noinst_PROGRAMS += tests/inos/proc/psuite tests/inos/proc/psuite-child
tests_inos_proc_psuite_SOURCES = $(RUSTOS_START) \
	tests/inos/proc/psuite.c \
	tests/inos/proc/psuite.h \
	tests/inos/proc/cases_proc.c \
	tests/inos/proc/cases_sig.c \
	tests/inos/proc/cases_mm.c \
	tests/inos/proc/cases_elf.c \
	tests/inos/proc/cases_thr.c \
	tests/inos/proc/cases_vdso.c \
	tests/inos/proc/cases_sock.c \
	tests/inos/proc/cases_dyn.c \
	tests/inos/proc/vdsosym.h
tests_inos_proc_psuite_LDFLAGS = $(RUSTOS_PROG_LINKFLAGS)
tests_inos_proc_psuite_child_SOURCES = $(RUSTOS_START) \
	tests/inos/proc/child.c tests/inos/proc/vdsosym.h
tests_inos_proc_psuite_child_LDFLAGS = $(RUSTOS_PROG_LINKFLAGS)

TESTS += tests/unit/psuite.sh
EXTRA_DIST += \
	tests/unit/psuite.sh \
	tests/inos/proc/RUSTOS.package.toml \
	tests/inos/proc/child/RUSTOS.package.toml \
	tests/inos/proc/glibc/hello/RUSTOS.package.toml \
	tests/inos/proc/glibc/hello/hello.c \
	tests/inos/proc/glibc/threads/RUSTOS.package.toml \
	tests/inos/proc/glibc/threads/threads.c \
	tests/inos/proc/dyn/hello/RUSTOS.package.toml \
	tests/inos/proc/dyn/hello/dynhello.c \
	tests/inos/proc/dyn/nointerp/RUSTOS.package.toml \
	tests/inos/proc/dyn/exec/RUSTOS.package.toml \
	tests/inos/proc/dyn/low/RUSTOS.package.toml \
	tests/inos/proc/dyn/lib/RUSTOS.package.toml \
	tests/inos/proc/dyn/lib/dyntest.c
CLEAN_LOCAL_DIRS += tests/unit/psuite.d

# Dynamically linked musl programs (psuite's dyn_* cases): plain Linux
# PIEs from musl-gcc without -static, so PT_INTERP is musl's
# /lib/ld-musl-x86_64.so.1 (in the image: image/linux-runtime/musl); the
# same files run on the build host.  dyn-nointerp names a missing
# interpreter through a long path the cases overwrite in scratch copies;
# dyn-exec is a dynamic ET_EXEC linked at the user base (--no-relax: musl's
# Scrt1 GOTPCREL loads cannot be relaxed that far up); dyn-low is a usual
# -no-pie ET_EXEC at 0x400000, which RustOS refuses (ENOEXEC);
# libdyntest.so is what dyn-hello dlopens.
DYN_PROGS = tests/inos/proc/dyn-hello tests/inos/proc/dyn-nointerp \
	tests/inos/proc/dyn-exec tests/inos/proc/dyn-low \
	tests/inos/proc/libdyntest.so
DYN_MISSING_INTERP = /nonexistent-interpreter/$(DYN_PAD)$(DYN_PAD)/ld.so
DYN_PAD = pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp
noinst_DATA += $(DYN_PROGS)
CLEANFILES += $(DYN_PROGS)
tests/inos/proc/dyn-hello: tests/inos/proc/dyn/hello/dynhello.c
	@$(MKDIR_P) $(@D)
	$(AM_V_CC)$(CC) -O2 -fPIE -pie -o $@ \
	    $(srcdir)/tests/inos/proc/dyn/hello/dynhello.c
tests/inos/proc/dyn-nointerp: tests/inos/proc/dyn/hello/dynhello.c
	@$(MKDIR_P) $(@D)
	$(AM_V_CC)$(CC) -O2 -fPIE -pie \
	    -Wl,--dynamic-linker=$(DYN_MISSING_INTERP) -o $@ \
	    $(srcdir)/tests/inos/proc/dyn/hello/dynhello.c
tests/inos/proc/dyn-exec: tests/inos/proc/dyn/hello/dynhello.c
	@$(MKDIR_P) $(@D)
	$(AM_V_CC)$(CC) -O2 -fPIE -no-pie -Wl,--no-relax \
	    -Wl,-Ttext-segment=0x8000400000 -o $@ \
	    $(srcdir)/tests/inos/proc/dyn/hello/dynhello.c
tests/inos/proc/dyn-low: tests/inos/proc/dyn/hello/dynhello.c
	@$(MKDIR_P) $(@D)
	$(AM_V_CC)$(CC) -O2 -no-pie -o $@ \
	    $(srcdir)/tests/inos/proc/dyn/hello/dynhello.c
tests/inos/proc/libdyntest.so: tests/inos/proc/dyn/lib/dyntest.c
	@$(MKDIR_P) $(@D)
	$(AM_V_CC)$(CC) -O2 -fPIC -shared -o $@ \
	    $(srcdir)/tests/inos/proc/dyn/lib/dyntest.c

# Static glibc programs, built with the host gcc (glibc's libc.a, from
# libc6-dev) as static PIEs: libc.a's code cannot be linked at the 512 GiB
# user base, so loaderd places a static PIE there and glibc relocates
# itself.  psuite's glibc_static_* cases exec them from psuite-child's
# directory (glibc-hello, glibc-threads; .elf in the image).
GLIBC_PROGS = tests/inos/proc/glibc-hello tests/inos/proc/glibc-threads
noinst_DATA += $(GLIBC_PROGS)
CLEANFILES += $(GLIBC_PROGS)
tests/inos/proc/glibc-hello: tests/inos/proc/glibc/hello/hello.c
	@$(MKDIR_P) $(@D)
	$(AM_V_CC)$(HOST_CC) -O2 -static-pie -o $@ \
	    $(srcdir)/tests/inos/proc/glibc/hello/hello.c
tests/inos/proc/glibc-threads: tests/inos/proc/glibc/threads/threads.c
	@$(MKDIR_P) $(@D)
	$(AM_V_CC)$(HOST_CC) -O2 -static-pie -pthread -o $@ \
	    $(srcdir)/tests/inos/proc/glibc/threads/threads.c

if ENABLE_IMAGE
$(IMAGE_ARTIFACTS_DIR)/apps/psuite/psuite.elf: tests/inos/proc/psuite$(EXEEXT)
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)cp -f tests/inos/proc/psuite$(EXEEXT) $@

$(IMAGE_ARTIFACTS_DIR)/apps/psuite/psuite-child.elf: \
    tests/inos/proc/psuite-child$(EXEEXT)
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)cp -f tests/inos/proc/psuite-child$(EXEEXT) $@

$(IMAGE_ARTIFACTS_DIR)/apps/psuite/glibc-hello.elf: tests/inos/proc/glibc-hello
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)cp -f tests/inos/proc/glibc-hello $@

$(IMAGE_ARTIFACTS_DIR)/apps/psuite/glibc-threads.elf: \
    tests/inos/proc/glibc-threads
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)cp -f tests/inos/proc/glibc-threads $@

$(IMAGE_ARTIFACTS_DIR)/apps/psuite/dyn-hello.elf: tests/inos/proc/dyn-hello
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)cp -f tests/inos/proc/dyn-hello $@

$(IMAGE_ARTIFACTS_DIR)/apps/psuite/dyn-nointerp.elf: \
    tests/inos/proc/dyn-nointerp
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)cp -f tests/inos/proc/dyn-nointerp $@

$(IMAGE_ARTIFACTS_DIR)/apps/psuite/dyn-exec.elf: tests/inos/proc/dyn-exec
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)cp -f tests/inos/proc/dyn-exec $@

$(IMAGE_ARTIFACTS_DIR)/apps/psuite/dyn-low.elf: tests/inos/proc/dyn-low
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)cp -f tests/inos/proc/dyn-low $@

$(IMAGE_ARTIFACTS_DIR)/apps/psuite/libdyntest.so: \
    tests/inos/proc/libdyntest.so
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)cp -f tests/inos/proc/libdyntest.so $@

IMAGE_ARTIFACTS += \
	$(IMAGE_ARTIFACTS_DIR)/apps/psuite/dyn-hello.elf \
	$(IMAGE_ARTIFACTS_DIR)/apps/psuite/dyn-nointerp.elf \
	$(IMAGE_ARTIFACTS_DIR)/apps/psuite/dyn-exec.elf \
	$(IMAGE_ARTIFACTS_DIR)/apps/psuite/dyn-low.elf \
	$(IMAGE_ARTIFACTS_DIR)/apps/psuite/libdyntest.so \
	$(IMAGE_ARTIFACTS_DIR)/apps/psuite/psuite.elf \
	$(IMAGE_ARTIFACTS_DIR)/apps/psuite/psuite-child.elf \
	$(IMAGE_ARTIFACTS_DIR)/apps/psuite/glibc-hello.elf \
	$(IMAGE_ARTIFACTS_DIR)/apps/psuite/glibc-threads.elf
endif ENABLE_IMAGE
