# services/local.mk -- build fragment for services/ (included by the top Makefile.am).
