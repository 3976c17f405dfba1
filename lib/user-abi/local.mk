# lib/user-abi/local.mk -- build fragment for lib/user-abi/ (included by the top Makefile.am).
pkgconfig_DATA += lib/user-abi/rustos-user-abi.pc
