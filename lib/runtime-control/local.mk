# lib/runtime-control/local.mk -- libruntime-control: runtimed client, the
# server codec runtimed uses, registry/runtime-env parsers.
#
# Library versioning (libtool -version-info current:revision:age), as
# libsodium documents it -- update before each release:
#  - source changed, interfaces unchanged: revision++;
#  - interfaces added, removed or changed: current++, revision = 0;
#  - interfaces added (compatible):        age++;
#  - interfaces removed or changed:        age = 0.
RUNTIME_CONTROL_LT_VERSION = 0:0:0

lib_LTLIBRARIES += lib/runtime-control/libruntime-control.la
lib_runtime_control_libruntime_control_la_SOURCES = \
	lib/runtime-control/client.c \
	lib/runtime-control/codec.c \
	lib/runtime-control/io.c \
	lib/runtime-control/registry.c \
	lib/runtime-control/internal.h
lib_runtime_control_libruntime_control_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
lib_runtime_control_libruntime_control_la_LDFLAGS = \
	-version-info $(RUNTIME_CONTROL_LT_VERSION) -no-undefined \
	-Wl,--version-script=$(srcdir)/lib/runtime-control/runtime-control.map
EXTRA_lib_runtime_control_libruntime_control_la_DEPENDENCIES = \
	lib/runtime-control/runtime-control.map
pkgconfig_DATA += lib/runtime-control/runtime-control.pc
EXTRA_DIST += \
	lib/runtime-control/runtime-control.map \
	lib/runtime-control/runtime-control.pc.in
