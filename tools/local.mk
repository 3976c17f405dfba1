# tools/local.mk -- host scripts used by the image build and the tests.
dist_noinst_SCRIPTS += \
	tools/install-deps \
	tools/qemu-run \
	tools/mkgrub \
	tools/mkdisk \
	tools/signing-key \
	tools/sign-file \
	tools/mkmodules
dist_noinst_SCRIPTS += tools/test-all
