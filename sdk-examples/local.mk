# sdk-examples/local.mk -- the SDK examples are not built by `make`: they
# build ONLY against the installed SDK.  `make installcheck` copies them into
# the build tree, builds them with pkg-config against $(DESTDIR)$(prefix)
# and runs them (rtctl against fake-runtimed, tests/unit/runtime-control/).
SDK_EXAMPLE_FILES = \
	sdk-examples/README.md \
	sdk-examples/rtctl/Makefile \
	sdk-examples/rtctl/rtctl.c \
	sdk-examples/hello-app/Makefile \
	sdk-examples/hello-app/hello.c \
	sdk-examples/hello-app/RUSTOS.package.toml
EXTRA_DIST += $(SDK_EXAMPLE_FILES)
CLEAN_LOCAL_DIRS += sdk-examples-check

installcheck-local: installcheck-sdk-examples
installcheck-sdk-examples:
	@echo "sdk-examples: building against the SDK in $(DESTDIR)$(prefix)"
	rm -rf sdk-examples-check
	$(MKDIR_P) sdk-examples-check
	cp -R $(srcdir)/sdk-examples/rtctl $(srcdir)/sdk-examples/hello-app sdk-examples-check/
	chmod -R u+w sdk-examples-check
	rm -f sdk-examples-check/rtctl/rtctl sdk-examples-check/hello-app/hello-app.elf
	for d in rtctl hello-app; do \
	  PKG_CONFIG_PATH='$(DESTDIR)$(pkgconfigdir)' PKG_CONFIG_LIBDIR='$(DESTDIR)$(pkgconfigdir)' \
	  PKG_CONFIG_SYSROOT_DIR='$(DESTDIR)' \
	    $(MAKE) -C sdk-examples-check/$$d PKG_CONFIG='$(PKG_CONFIG)' CC='$(CC)' || exit 1; \
	done
	sdk-examples-check/rtctl/rtctl --help
	if sdk-examples-check/rtctl/rtctl --socket $(abs_builddir)/sdk-examples-check/no.sock list; then \
	  echo "rtctl: expected a failure on a missing socket"; exit 1; fi
	sdk-examples-check/hello-app/hello-app.elf SDK
	$(MAKE) $(AM_MAKEFLAGS) tests/unit/runtime-control/fake-runtimed
	$(SHELL) $(srcdir)/tests/unit/runtime-control/rtctl-check.sh \
	  sdk-examples-check/rtctl/rtctl tests/unit/runtime-control/fake-runtimed \
	  $(abs_builddir)/sdk-examples-check/rtctl-check
	@echo "sdk-examples: OK"
.PHONY: installcheck-sdk-examples
