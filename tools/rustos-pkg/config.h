/*
 * config.h -- `rustos-pkg config ...` (config.c): config/rustos.toml.
 */
#ifndef RUSTOS_PKG_CONFIG_H
#define RUSTOS_PKG_CONFIG_H

/* argv[0] is "config"; returns the process exit status. */
int	config_main(int argc, char **argv);

#endif /* RUSTOS_PKG_CONFIG_H */
