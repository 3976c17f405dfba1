# lib/runtime-control/local.mk -- build fragment for lib/runtime-control/ (included by the top Makefile.am).
pkgconfig_DATA += lib/runtime-control/runtime-control.pc
