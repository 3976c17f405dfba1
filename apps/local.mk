# apps/local.mk -- build fragment for apps/ (included by the top Makefile.am).
