# lib/user-abi/local.mk -- librustos-user-abi: generated syscall stubs and
# the IPC helpers.  Freestanding (no libc calls at all) so rootd can link it
# without a libc; the exports are the generated rustos-user-abi.map.
#
# Library versioning (libtool -version-info current:revision:age), as
# libsodium documents it -- update before each release:
#  - source changed, interfaces unchanged: revision++;
#  - interfaces added, removed or changed: current++, revision = 0;
#  - interfaces added (compatible):        age++;
#  - interfaces removed or changed:        age = 0.
RUSTOS_USER_ABI_LT_VERSION = 0:0:0

lib_LTLIBRARIES += lib/user-abi/librustos-user-abi.la
lib_user_abi_librustos_user_abi_la_SOURCES = \
	lib/user-abi/syscall_stubs.c \
	lib/user-abi/ipc.c \
	lib/user-abi/raw_syscall.h
lib_user_abi_librustos_user_abi_la_CFLAGS = $(AM_CFLAGS) \
	-ffreestanding -fno-builtin -fno-stack-protector -fvisibility=hidden
lib_user_abi_librustos_user_abi_la_LDFLAGS = \
	-version-info $(RUSTOS_USER_ABI_LT_VERSION) -no-undefined \
	-Wl,--version-script=$(srcdir)/lib/user-abi/rustos-user-abi.map
EXTRA_lib_user_abi_librustos_user_abi_la_DEPENDENCIES = \
	lib/user-abi/rustos-user-abi.map
pkgconfig_DATA += lib/user-abi/rustos-user-abi.pc
EXTRA_DIST += \
	lib/user-abi/rustos-user-abi.map \
	lib/user-abi/ipc_helpers.sym \
	lib/user-abi/rustos-user-abi.pc.in
