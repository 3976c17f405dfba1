# services/local.mk -- build fragment for services/ (included by the top
# Makefile.am): services/common (libsvc.a), rootd (no libc), the musl
# services and initd, their image artifacts, host unit tests and the QEMU
# tests of the bootstrap.
#
# RustOS programs are static ET_EXEC linked at PROC_BROKER_MAIN_IMAGE_BIAS
# (docs/ai/bootstrap.md): musl's crt1 cannot be linked that high (a 32-bit
# reference to the weak _DYNAMIC), so they use services/common/start.c
# (-nostartfiles) and keep GOT loads (--no-relax) instead of absolute
# 32-bit addresses.
RUSTOS_PROG_LINK_ADDR = 0x8000400000
RUSTOS_PROG_LINKFLAGS = -all-static -nostartfiles \
	-Wl,-Ttext-segment=$(RUSTOS_PROG_LINK_ADDR) -Wl,--no-relax
RUSTOS_SVC_LIBS = services/common/libsvc.a \
	lib/user-abi/librustos-user-abi.la
RUSTOS_START = services/common/start.c

noinst_LIBRARIES += services/common/libsvc.a
services_common_libsvc_a_SOURCES = \
	services/common/svc.h \
	services/common/validate.c \
	services/common/loop.c \
	services/common/log.c \
	services/common/util.c

# rootd: freestanding, no libc at all; the user-abi sources are compiled in.
noinst_PROGRAMS += services/rootd/rootd
services_rootd_rootd_SOURCES = \
	services/rootd/rootd.c \
	services/rootd/lib.c \
	services/rootd/rootd.h \
	lib/user-abi/syscall_stubs.c \
	lib/user-abi/ipc.c
services_rootd_rootd_CFLAGS = $(AM_CFLAGS) -ffreestanding -fno-builtin \
	-fno-tree-loop-distribute-patterns \
	-fno-stack-protector
services_rootd_rootd_LDFLAGS = -all-static -nostdlib \
	-Wl,-Ttext-segment=$(RUSTOS_PROG_LINK_ADDR) -Wl,--no-relax

noinst_PROGRAMS += services/syscalld/syscalld
services_syscalld_syscalld_SOURCES = $(RUSTOS_START) \
	services/syscalld/syscalld.c \
	services/syscalld/mm.c \
	services/syscalld/mm.h \
	services/syscalld/policy.c \
	services/syscalld/policy.h \
	services/syscalld/creds.c \
	services/syscalld/creds.h \
	services/syscalld/sysinfo.c \
	services/syscalld/sysinfo.h
services_syscalld_syscalld_LDFLAGS = $(RUSTOS_PROG_LINKFLAGS)
services_syscalld_syscalld_LDADD = $(RUSTOS_SVC_LIBS)

noinst_PROGRAMS += services/vfsd/vfsd
services_vfsd_vfsd_SOURCES = $(RUSTOS_START) \
	services/vfsd/vfsd.c \
	services/vfsd/vfsd.h \
	services/vfsd/access.c \
	services/vfsd/access.h \
	services/vfsd/fat.c \
	services/vfsd/memfs.c \
	services/vfsd/memfs.h \
	services/vfsd/creds.c \
	services/vfsd/creds.h \
	services/vfsd/ops.c \
	services/vfsd/ns.c \
	services/vfsd/ns.h \
	services/vfsd/stage.c \
	services/vfsd/stage.h
services_vfsd_vfsd_LDFLAGS = $(RUSTOS_PROG_LINKFLAGS)
services_vfsd_vfsd_LDADD = lib/fatfs/libfatfs.a $(RUSTOS_SVC_LIBS)

noinst_PROGRAMS += services/loaderd/loaderd
services_loaderd_loaderd_SOURCES = $(RUSTOS_START) \
	services/loaderd/loaderd.c \
	services/loaderd/build.c \
	services/loaderd/build.h \
	services/loaderd/elf.c \
	services/loaderd/elf.h \
	services/loaderd/request.c \
	services/loaderd/request.h
services_loaderd_loaderd_LDFLAGS = $(RUSTOS_PROG_LINKFLAGS)
services_loaderd_loaderd_LDADD = $(RUSTOS_SVC_LIBS)

noinst_PROGRAMS += services/procd/procd
services_procd_procd_SOURCES = $(RUSTOS_START) services/procd/procd.c
services_procd_procd_LDFLAGS = $(RUSTOS_PROG_LINKFLAGS)
services_procd_procd_LDADD = $(RUSTOS_SVC_LIBS)

noinst_PROGRAMS += services/devmgrd/devmgrd
services_devmgrd_devmgrd_SOURCES = $(RUSTOS_START) services/devmgrd/devmgrd.c
services_devmgrd_devmgrd_LDFLAGS = $(RUSTOS_PROG_LINKFLAGS)
services_devmgrd_devmgrd_LDADD = $(RUSTOS_SVC_LIBS)

noinst_PROGRAMS += services/storaged/storaged
services_storaged_storaged_SOURCES = $(RUSTOS_START) \
	services/storaged/storaged.c
services_storaged_storaged_LDFLAGS = $(RUSTOS_PROG_LINKFLAGS)
services_storaged_storaged_LDADD = $(RUSTOS_SVC_LIBS)

noinst_PROGRAMS += services/netd/netd
services_netd_netd_SOURCES = $(RUSTOS_START) services/netd/netd.c
services_netd_netd_LDFLAGS = $(RUSTOS_PROG_LINKFLAGS)
services_netd_netd_LDADD = $(RUSTOS_SVC_LIBS)

noinst_PROGRAMS += services/initd/initd
services_initd_initd_SOURCES = $(RUSTOS_START) \
	services/initd/initd.c \
	services/initd/order.c \
	services/initd/order.h
services_initd_initd_LDFLAGS = $(RUSTOS_PROG_LINKFLAGS)
services_initd_initd_LDADD = services/common/libsvc.a \
	lib/runtime-control/libruntime-control.la \
	lib/user-abi/librustos-user-abi.la

EXTRA_DIST += \
	services/rootd/RUSTOS.package.toml \
	services/syscalld/RUSTOS.package.toml \
	services/vfsd/RUSTOS.package.toml \
	services/loaderd/RUSTOS.package.toml \
	services/procd/RUSTOS.package.toml \
	services/devmgrd/RUSTOS.package.toml \
	services/storaged/RUSTOS.package.toml \
	services/netd/RUSTOS.package.toml \
	services/initd/RUSTOS.package.toml


if ENABLE_IMAGE
# build/artifacts/services/<id>/<id>.elf from services/<id>/<id>.
$(IMAGE_ARTIFACTS_DIR)/services/%.elf: services/%$(EXEEXT)
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)cp -f services/$*$(EXEEXT) $@

IMAGE_ARTIFACTS += \
	$(IMAGE_ARTIFACTS_DIR)/services/rootd/rootd.elf \
	$(IMAGE_ARTIFACTS_DIR)/services/syscalld/syscalld.elf \
	$(IMAGE_ARTIFACTS_DIR)/services/vfsd/vfsd.elf \
	$(IMAGE_ARTIFACTS_DIR)/services/loaderd/loaderd.elf \
	$(IMAGE_ARTIFACTS_DIR)/services/procd/procd.elf \
	$(IMAGE_ARTIFACTS_DIR)/services/devmgrd/devmgrd.elf \
	$(IMAGE_ARTIFACTS_DIR)/services/storaged/storaged.elf \
	$(IMAGE_ARTIFACTS_DIR)/services/netd/netd.elf \
	$(IMAGE_ARTIFACTS_DIR)/services/initd/initd.elf
endif ENABLE_IMAGE

include $(srcdir)/tests/unit/services.mk
include $(srcdir)/tests/qemu/services.mk
include $(srcdir)/services/runtimed/local.mk
