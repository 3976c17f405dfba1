# include/local.mk -- build fragment for include/ (included by the top Makefile.am).
rustosinclude_HEADERS += include/rustos/observability.h
