/*
 * main.c -- entry point of rustos-pkg; everything lives in pkg.c.
 */
#include "pkg.h"

int
main(int argc, char **argv)
{

	return (rustos_pkg_main(argc, argv));
}
