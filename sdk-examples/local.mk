# sdk-examples/local.mk -- build fragment for sdk-examples/ (included by the top Makefile.am).
