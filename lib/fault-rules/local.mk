# lib/fault-rules/local.mk -- build fragment for lib/fault-rules/ (included by the top Makefile.am).
