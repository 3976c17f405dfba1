# tests/unit/toml.mk -- test fragment (included by tests/local.mk).
