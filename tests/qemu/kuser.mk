# tests/qemu/kuser.mk -- QEMU tests of the kernel's user-mode side
# (included from kernel/local.mk): the boot from the kernel through rootd
# to initd as the kernel sees it (processes, bootfs, exit), and injected
# process-creation failures (fault point process.spawn: during the
# bootstrap, and after it, where initd's launches fail).
EXTRA_DIST += \
	tests/qemu/kuser-boot.sh \
	tests/qemu/kuser-spawn-fault.sh \
	tests/qemu/spawn-fault.sh \
	tests/qemu/kuser-markers.txt

if ENABLE_QEMU_TESTS
TESTS += \
	tests/qemu/kuser-boot.sh \
	tests/qemu/kuser-spawn-fault.sh \
	tests/qemu/spawn-fault.sh
endif
