# config/local.mk -- build fragment for config/ (included by the top Makefile.am).
