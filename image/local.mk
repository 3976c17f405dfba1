# image/local.mk -- `make image` and `make run` (spec/layout-and-build.md).
#
#   kernel/nucleus.elf ─┐
#   services, apps ─────┼─> build/artifacts/<install.path> ─┐
#   signing key ─> nucleus.elf.sig, BOOTX64.EFI ────────────┼─> rustos-pkg stage
#                                                            │     -> build/image/
#                                          tools/mkdisk <────┘     -> build/rustos-boot.img
#
# Packages add their artifact to IMAGE_ARTIFACTS (declared in Makefile.am)
# with a rule that copies it to $(IMAGE_ARTIFACTS_DIR)/<install.path>.

IMAGE_ARTIFACTS_DIR = build/artifacts
IMAGE_DIR = build/image
IMAGE_DISK = build/rustos-boot.img
IMAGE_KEYDIR = build/keys
RUSTOS_PKG = tools/rustos-pkg/rustos-pkg$(EXEEXT)
# Package roots of this tree (sdk-examples and test fixtures are not part of
# the image).  EXTRA_PACKAGE_DIRS adds third-party package folders.
IMAGE_PACKAGE_ROOTS = $(shell sed -n '/^[a-z]/p' $(srcdir)/image/package-roots)
EXTRA_PACKAGE_DIRS =
IMAGE_PROFILE = default

EXTRA_DIST += \
	image/grub.cfg.in \
	image/package-roots \
	image/boot-manager/RUSTOS.package.toml \
	image/linux-runtime/musl/RUSTOS.package.toml \
	kernel/RUSTOS.package.toml \
	image/overlay

.PHONY: image run FORCE
FORCE:

if ENABLE_IMAGE

$(IMAGE_KEYDIR)/pubkey.gpg: FORCE
	@$(MKDIR_P) $(IMAGE_KEYDIR)
	$(AM_V_GEN)GPG='$(GPG)' $(SHELL) $(srcdir)/tools/signing-key $(IMAGE_KEYDIR)

$(IMAGE_ARTIFACTS_DIR)/nucleus.elf: kernel/nucleus.elf
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)cp -f kernel/nucleus.elf $@

# A signature is made only when the kernel or the key changed, so staging can
# tell a stale one from a fresh one.
$(IMAGE_ARTIFACTS_DIR)/nucleus.elf.sig: $(IMAGE_ARTIFACTS_DIR)/nucleus.elf $(IMAGE_KEYDIR)/pubkey.gpg
	$(AM_V_GEN)GPG='$(GPG)' $(SHELL) $(srcdir)/tools/sign-file $(IMAGE_KEYDIR) $(IMAGE_ARTIFACTS_DIR)/nucleus.elf $@

$(IMAGE_ARTIFACTS_DIR)/EFI/BOOT/BOOTX64.EFI: $(srcdir)/image/grub.cfg.in $(IMAGE_KEYDIR)/pubkey.gpg
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)GRUB_MKSTANDALONE='$(GRUB_MKSTANDALONE)' $(SHELL) $(srcdir)/tools/mkgrub $(srcdir)/image/grub.cfg.in $(IMAGE_KEYDIR)/pubkey.gpg $@

IMAGE_ARTIFACTS += \
	$(IMAGE_ARTIFACTS_DIR)/nucleus.elf \
	$(IMAGE_ARTIFACTS_DIR)/nucleus.elf.sig \
	$(IMAGE_ARTIFACTS_DIR)/EFI/BOOT/BOOTX64.EFI

# musl's dynamic loader (image/linux-runtime/musl): the file the build
# host's musl installs at the PT_INTERP path musl-gcc links with, copied
# (a symlink on Debian: the FAT root has none).  MUSL_LDSO overrides it.
MUSL_LDSO = /lib/ld-musl-x86_64.so.1
$(IMAGE_ARTIFACTS_DIR)/lib/ld-musl-x86_64.so.1:
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)if test ! -r '$(MUSL_LDSO)'; then \
	  echo "$(MUSL_LDSO) not found: install the Debian package 'musl'" >&2; \
	  exit 1; fi; cp -fL '$(MUSL_LDSO)' $@

IMAGE_ARTIFACTS += $(IMAGE_ARTIFACTS_DIR)/lib/ld-musl-x86_64.so.1

# Staging is cheap and must see every manifest and overlay change, so it runs
# on every `make image`; rustos-pkg writes into a temporary directory and
# renames it over build/image, so a failure leaves nothing half-written.
$(IMAGE_DISK): $(IMAGE_ARTIFACTS) $(RUSTOS_PKG) FORCE
	@echo "  STAGE    $(IMAGE_DIR) (profile $(IMAGE_PROFILE))"
	$(AM_V_at)roots=; for d in $(IMAGE_PACKAGE_ROOTS); do \
	  test -d $(srcdir)/$$d && roots="$$roots $(srcdir)/$$d"; done; \
	$(RUSTOS_PKG) stage --artifacts $(IMAGE_ARTIFACTS_DIR) \
	  --overlay $(srcdir)/image/overlay --out $(IMAGE_DIR) \
	  --profile $(IMAGE_PROFILE) $$roots $(EXTRA_PACKAGE_DIRS)
	$(AM_V_at)GPG='$(GPG)' $(SHELL) $(srcdir)/tools/mkmodules $(IMAGE_DIR) $(IMAGE_KEYDIR)
	$(AM_V_at)MFORMAT='$(MFORMAT)' MCOPY='$(MCOPY)' $(SHELL) $(srcdir)/tools/mkdisk $(IMAGE_DIR) $@

image: $(IMAGE_DISK)

# FAULTS='a=b;c=d' or RUSTOS_FAULTS select fault rules; otherwise the rules
# of config/rustos.toml [fault_injection] when it is enabled.
run: image
	@faults="$(FAULTS)"; test -n "$$faults" || faults="$$RUSTOS_FAULTS"; \
	test -n "$$faults" || faults=`$(RUSTOS_PKG) config fault-rules --config $(srcdir)/config/rustos.toml`; \
	disp=; test -n "$$DISPLAY" && disp=--display; \
	echo "  RUN      QEMU + OVMF (debug console: build/debugcon.log; quit: Ctrl-a x)"; \
	QEMU='$(QEMU)' OVMF='$(OVMF)' $(SHELL) $(srcdir)/tools/qemu-run \
	  --image $(IMAGE_DISK) --debugcon build/debugcon.log \
	  $$disp $${faults:+--faults "$$faults"}

else !ENABLE_IMAGE
image run:
	@echo "RustOS was configured with --disable-image: no image to build or run" >&2; exit 1
endif !ENABLE_IMAGE

CLEAN_LOCAL_DIRS += build
