# kernel/local.mk -- build fragment for kernel/ (included by the top Makefile.am).
