# tests/abi/local.mk -- test fragment (included by tests/local.mk).
