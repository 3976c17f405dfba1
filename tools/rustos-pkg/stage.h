/*
 * stage.h -- `rustos-pkg stage` (stage.c): the boot volume tree and its
 * registries, written to a temporary folder and renamed over the output.
 */
#ifndef RUSTOS_PKG_STAGE_H
#define RUSTOS_PKG_STAGE_H

struct stage_opts {
	const char *artifacts;		/* build/artifacts */
	const char *overlay;		/* image/overlay, or NULL */
	const char *out;		/* build/image */
	const char *profile;		/* "default" unless chosen */
	char *const *roots;		/* package roots to search */
	int nroots;
};

/* 0 on success, 1 after printing every error (out left untouched). */
int	stage_run(const struct stage_opts *o);

#endif /* RUSTOS_PKG_STAGE_H */
