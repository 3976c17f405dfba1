/*
 * build.h -- `rustos-pkg build` (build.c): out-of-tree c-program packages.
 */
#ifndef RUSTOS_PKG_BUILD_H
#define RUSTOS_PKG_BUILD_H

int	build_main(int argc, char **argv);

#endif /* RUSTOS_PKG_BUILD_H */
