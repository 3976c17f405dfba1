# tests/qemu/kernel.mk -- kernel QEMU tests (kernel engineer).
