# tools/rustos-pkg/local.mk -- build fragment for tools/rustos-pkg/ (included by the top Makefile.am).
