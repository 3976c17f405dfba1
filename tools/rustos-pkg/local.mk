# tools/rustos-pkg/local.mk -- rustos-pkg, the package tool (included by the
# top Makefile.am).  Installed with the SDK; a static musl binary, so it runs
# on the build host and on any x86_64 Linux without further files.
bin_PROGRAMS += tools/rustos-pkg/rustos-pkg
RUSTOS_PKG_SOURCES = \
	tools/rustos-pkg/pkg.c tools/rustos-pkg/pkg.h \
	tools/rustos-pkg/manifest.c tools/rustos-pkg/manifest.h \
	tools/rustos-pkg/stage.c tools/rustos-pkg/stage.h \
	tools/rustos-pkg/config.c tools/rustos-pkg/config.h \
	tools/rustos-pkg/build.c tools/rustos-pkg/build.h \
	tools/rustos-pkg/util.c tools/rustos-pkg/util.h \
	tools/rustos-pkg/toml.c tools/rustos-pkg/toml.h
tools_rustos_pkg_rustos_pkg_SOURCES = tools/rustos-pkg/main.c \
	$(RUSTOS_PKG_SOURCES)
tools_rustos_pkg_rustos_pkg_LDADD = lib/fault-rules/libfault-rules.a
tools_rustos_pkg_rustos_pkg_LDFLAGS = -all-static

# The built tool, for rules in other fragments (config/local.mk, image/).
RUSTOS_PKG_BIN = tools/rustos-pkg/rustos-pkg$(EXEEXT)
