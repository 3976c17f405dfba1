# tests/unit/kernel.mk -- test fragment (included by tests/local.mk).
