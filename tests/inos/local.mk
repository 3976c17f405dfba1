# tests/inos/local.mk -- in-OS suites (included from apps/shell/local.mk).
