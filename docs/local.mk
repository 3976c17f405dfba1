# docs/local.mk -- build fragment for docs/ (included by the top Makefile.am).
