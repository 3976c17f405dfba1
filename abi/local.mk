# abi/local.mk -- build fragment for abi/ (included by the top Makefile.am).
