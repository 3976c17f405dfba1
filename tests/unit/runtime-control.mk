# tests/unit/runtime-control.mk -- test fragment (included by tests/local.mk).
