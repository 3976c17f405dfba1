/*
 * pkg.c -- the rustos-pkg command line: check, stage, build, config.
 *
 * Exit status: 0 success, 1 invalid input (every error printed, one line
 * each), 2 usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "config.h"
#include "manifest.h"
#include "pkg.h"
#include "stage.h"
#include "util.h"

static void
usage(FILE *f)
{

	fprintf(f,
	    "usage: rustos-pkg check [--profile P] ROOT...\n"
	    "       rustos-pkg stage --artifacts DIR --out DIR "
	    "[--overlay DIR] [--profile P] ROOT...\n"
	    "       rustos-pkg build [--prefix SDKPREFIX] [--out DIR] PKGDIR\n"
	    "       rustos-pkg config check|show [--config PATH]\n"
	    "       rustos-pkg config log-header [--config PATH] "
	    "--output FILE\n"
	    "       rustos-pkg config kernel-cflags|kernel-ldflags|"
	    "fault-rules [--config PATH]\n");
}

static int
cmd_check(int argc, char **argv)
{
	struct pkgset set = { 0 };
	const char *profile;
	char **paths, **roots;
	size_t npaths, i;
	int nroots, j;

	profile = NULL;
	roots = xcalloc((size_t)argc, sizeof(*roots));
	nroots = 0;
	for (j = 1; j < argc; j++) {
		if (strcmp(argv[j], "--profile") == 0 && j + 1 < argc)
			profile = argv[++j];
		else if (argv[j][0] == '-') {
			usage(stderr);
			free(roots);
			return (2);
		} else
			roots[nroots++] = argv[j];
	}
	if (nroots == 0) {
		usage(stderr);
		free(roots);
		return (2);
	}
	discover_manifests(roots, nroots, &paths, &npaths);
	free(roots);
	pkgset_load(&set, paths, npaths);
	for (i = 0; i < npaths; i++)
		free(paths[i]);
	free(paths);
	pkgset_validate(&set, profile);
	if (diag_errors == 0)
		printf("%zu package manifest%s ok\n", set.n,
		    set.n == 1 ? "" : "s");
	else
		fprintf(stderr, "rustos-pkg: %d error%s in package "
		    "manifests\n", diag_errors, diag_errors == 1 ? "" : "s");
	pkgset_free(&set);
	return (diag_errors != 0);
}

static int
cmd_stage(int argc, char **argv)
{
	struct stage_opts o;
	char **roots;
	int j, rc;

	memset(&o, 0, sizeof(o));
	o.profile = "default";
	roots = xcalloc((size_t)argc, sizeof(*roots));
	for (j = 1; j < argc; j++) {
		if (strcmp(argv[j], "--artifacts") == 0 && j + 1 < argc)
			o.artifacts = argv[++j];
		else if (strcmp(argv[j], "--overlay") == 0 && j + 1 < argc)
			o.overlay = argv[++j];
		else if (strcmp(argv[j], "--out") == 0 && j + 1 < argc)
			o.out = argv[++j];
		else if (strcmp(argv[j], "--profile") == 0 && j + 1 < argc)
			o.profile = argv[++j];
		else if (argv[j][0] == '-')
			break;
		else
			roots[o.nroots++] = argv[j];
	}
	if (j < argc || o.artifacts == NULL || o.out == NULL ||
	    o.nroots == 0 || o.out[0] == '\0') {
		usage(stderr);
		free(roots);
		return (2);
	}
	o.roots = roots;
	rc = stage_run(&o);
	free(roots);
	return (rc);
}

int
rustos_pkg_main(int argc, char **argv)
{

	if (argc < 2) {
		usage(stderr);
		return (2);
	}
	if (strcmp(argv[1], "check") == 0)
		return (cmd_check(argc - 1, argv + 1));
	if (strcmp(argv[1], "stage") == 0)
		return (cmd_stage(argc - 1, argv + 1));
	if (strcmp(argv[1], "build") == 0)
		return (build_main(argc - 1, argv + 1));
	if (strcmp(argv[1], "config") == 0)
		return (config_main(argc - 1, argv + 1));
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return (0);
	}
	usage(stderr);
	return (2);
}
