/*
 * manifest.h -- the RUSTOS.package.toml data model and its validation
 * (spec/packages-and-registries.md, "Manifest schema").
 *
 * Loading is two-stage: manifest_load() checks one file on its own (types,
 * enums, per-kind rules) and fills a struct manifest whose strings point
 * into the file's TOML tree; pkgset_validate() then checks what needs every
 * manifest (unique ids and install paths, runtime_deps existence, profile
 * membership and cycles).  Every problem is reported through diag_error()
 * as one line naming the file and the rule; loading never stops early.
 */
#ifndef RUSTOS_PKG_MANIFEST_H
#define RUSTOS_PKG_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "toml.h"

#define MANIFEST_NAME "RUSTOS.package.toml"

struct strlist {
	const char **v;
	size_t n;
};

struct desktop_entry {
	const char *display_name;
	int64_t weight_micros;
	const char *image;		/* defaults to install.path */
	const char *exec;		/* defaults to image */
	int logical_admin;
	int console_hosted;
	const char *launch;		/* none | new-session | all-sessions */
	struct strlist args;
	struct strlist env;
};

struct autoload {
	int present;
	const char *name, *class_, *bus, *when, *provider_group;
	int enabled, fallback_only;
	int64_t priority;
	struct strlist aliases, deps, softdeps, linux_driver_names;
};

struct manifest {
	char *path;			/* as found (for messages) */
	char *dir;			/* folder holding the manifest */
	struct toml_table *root;	/* owns every string below */
	int ok;				/* no error in this file */

	const char *id, *kind, *execution_domain, *startup;
	struct strlist profiles, runtime_deps;
	int id_line, id_col, deps_line, deps_col;

	const char *builder;
	int optional;
	struct strlist sources, extra_args;
	const char *linkage, *source, *source_env;

	const char *install_path, *layout;
	int install_line, install_col;

	int boot_present, boot_preload, boot_required;
	int64_t boot_priority;

	struct autoload autoload;

	struct desktop_entry *entries;
	size_t nentries;
};

struct pkgset {
	struct manifest **m;		/* sorted by id after pkgset_sort() */
	size_t n;
};

/* Parse and check one manifest held in memory; NULL only on a parse error. */
struct manifest *manifest_load_buffer(const char *path, const char *buf,
    size_t len);
struct manifest *manifest_load(const char *path);
void	manifest_free(struct manifest *m);

int	manifest_in_profile(const struct manifest *m, const char *profile);
int	manifest_is_driver(const struct manifest *m);
/* "<id>.desktop" or "<id>-<n>.desktop" (n 1-based); caller frees. */
char	*manifest_desktop_id(const struct manifest *m, size_t entry);

/*
 * Find every manifest under the roots (skipping .git, build, _build*,
 * autom4te.cache), sorted by path.  Returns 0 or the number of errors.
 */
int	discover_manifests(char *const *roots, int nroots, char ***paths,
    size_t *npaths);

/* Load all paths; files that fail to parse are reported and left out. */
void	pkgset_load(struct pkgset *set, char *const *paths, size_t npaths);
void	pkgset_sort(struct pkgset *set);
/*
 * Cross-manifest rules.  profile == NULL checks every package against each
 * of its own profiles; otherwise only packages of that profile are checked.
 */
void	pkgset_validate(struct pkgset *set, const char *profile);
const struct manifest *pkgset_find(const struct pkgset *set, const char *id);
void	pkgset_free(struct pkgset *set);

#endif /* RUSTOS_PKG_MANIFEST_H */
