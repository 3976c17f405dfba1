# image/local.mk -- build fragment for image/ (included by the top Makefile.am).
