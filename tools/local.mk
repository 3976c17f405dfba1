# tools/local.mk -- build fragment for tools/ (included by the top Makefile.am).
