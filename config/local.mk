# config/local.mk -- config/rustos.toml and what is derived from it
# (included by the top Makefile.am).
#
#   make config-check / make config-show   validate / print the effective config
#   rustos-pkg config log-header           <rustos/log_config.h> (kernel/local.mk
#                                          generates build/include/rustos/log_config.h)
#   $(RUSTOS_KERNEL_CFLAGS_CMD)            prints the kernel CFLAGS ([kernel.build])
#
# RUSTOS_CONFIG, KERNEL_BUILD_CONFIG and RUSTOS_KERNEL_<KEY> in the
# environment are honoured by rustos-pkg itself.

RUSTOS_CONFIG_FILE = $(top_srcdir)/config/rustos.toml
RUSTOS_KERNEL_CFLAGS_CMD = $(RUSTOS_PKG_BIN) config kernel-cflags --config $(RUSTOS_CONFIG_FILE)
RUSTOS_KERNEL_LDFLAGS_CMD = $(RUSTOS_PKG_BIN) config kernel-ldflags --config $(RUSTOS_CONFIG_FILE)

EXTRA_DIST += config/rustos.toml

.PHONY: config-check config-show

config-check: $(RUSTOS_PKG_BIN)
	$(RUSTOS_PKG_BIN) config check --config $(RUSTOS_CONFIG_FILE)

config-show: $(RUSTOS_PKG_BIN)
	$(RUSTOS_PKG_BIN) config show --config $(RUSTOS_CONFIG_FILE)
