/*
 * pkg.h -- the rustos-pkg command line (pkg.c), separate from main() so the
 * fuzz harness can link every module and run them in-process.
 */
#ifndef RUSTOS_PKG_PKG_H
#define RUSTOS_PKG_PKG_H

int	rustos_pkg_main(int argc, char **argv);

#endif /* RUSTOS_PKG_PKG_H */
