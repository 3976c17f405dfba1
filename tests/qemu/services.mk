# tests/qemu/services.mk -- QEMU tests of the bootstrap (included from
# services/local.mk): the rootd → core services → initd markers, the
# restart budget, and the in-OS ABI tests (abitest, test profile).
EXTRA_DIST += \
	tests/qemu/bootstrap.sh \
	tests/qemu/abitest.sh

if ENABLE_QEMU_TESTS
TESTS += \
	tests/qemu/bootstrap.sh \
	tests/qemu/abitest.sh
endif
