# tests/unit/rustos-pkg.mk -- test fragment (included by tests/local.mk).
