/*
 * build.c -- `rustos-pkg build`: build a package that lives outside this
 * tree against the installed SDK.  Only the c-program builder is supported:
 * one musl-gcc invocation over build.sources, with the SDK flags from
 * pkg-config (rustos-user-abi) or, failing that, from --prefix.
 *
 * The compiler and pkg-config are run with execvp() and an argument
 * vector, never through a shell, so no string can inject commands.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "manifest.h"
#include "util.h"

/* Run argv; returns its exit status (127 when it could not start). */
static int
run(char *const *argv)
{
	pid_t pid;
	int st;

	pid = fork();
	if (pid < 0)
		return (127);
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "rustos-pkg: cannot run %s: %s\n", argv[0],
		    strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return (127);
	return (WIFEXITED(st) ? WEXITSTATUS(st) : 128);
}

/*
 * Words printed by `pkg-config WHAT rustos-user-abi`, appended to av.  With
 * a prefix, pkg-config is told to relocate the .pc file to it, so a copy
 * installed with DESTDIR or moved elsewhere still points at itself.
 */
static int
pkg_config(const char *what, const char *prefix, struct strvec *av)
{
	char line[4096], *tok, *save, *def;
	char *argv[6];
	size_t len;
	ssize_t n;
	pid_t pid;
	int fd[2], st, i;

	def = prefix != NULL ? xasprintf("--define-variable=prefix=%s",
	    prefix) : NULL;
	i = 0;
	argv[i++] = "pkg-config";
	if (def != NULL)
		argv[i++] = def;
	argv[i++] = (char *)what;
	argv[i++] = "rustos-user-abi";
	argv[i] = NULL;
	if (pipe(fd) != 0) {
		free(def);
		return (-1);
	}
	pid = fork();
	if (pid == 0) {
		close(fd[0]);
		dup2(fd[1], 1);
		close(fd[1]);
		/* pkg-config's own complaints are noise here: we fall back. */
		close(2);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	free(def);
	len = 0;
	while (pid > 0 && len + 1 < sizeof(line) &&
	    (n = read(fd[0], line + len, sizeof(line) - 1 - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		len += (size_t)n;
	}
	line[len] = '\0';
	close(fd[0]);
	if (pid < 0)
		return (-1);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return (-1);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return (-1);
	for (tok = strtok_r(line, " \t\r\n", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t\r\n", &save))
		sv_push(av, tok);
	return (0);
}

static void
usage(void)
{

	fprintf(stderr, "usage: rustos-pkg build [--prefix SDKPREFIX] "
	    "[--out DIR] PKGDIR\n");
}

int
build_main(int argc, char **argv)
{
	struct strvec cflags = { 0 }, libs = { 0 }, av = { 0 };
	const char *prefix, *out, *pkgdir, *cc;
	struct manifest *m;
	char *mpath, *dst, *parent, *lib, *pcpath, *old;
	size_t i;
	int rc, j;

	prefix = NULL;
	out = "build/artifacts";
	pkgdir = NULL;
	for (j = 1; j < argc; j++) {
		if (strcmp(argv[j], "--prefix") == 0 && j + 1 < argc)
			prefix = argv[++j];
		else if (strcmp(argv[j], "--out") == 0 && j + 1 < argc)
			out = argv[++j];
		else if (argv[j][0] != '-' && pkgdir == NULL)
			pkgdir = argv[j];
		else {
			usage();
			return (2);
		}
	}
	if (pkgdir == NULL) {
		usage();
		return (2);
	}
	mpath = path_join(pkgdir, MANIFEST_NAME);
	m = manifest_load(mpath);
	free(mpath);
	if (m == NULL || !m->ok) {
		manifest_free(m);
		return (1);
	}
	if (m->builder == NULL || strcmp(m->builder, "c-program") != 0) {
		diag_error("%s: package %s uses builder %s; rustos-pkg build "
		    "supports c-program only", m->path, m->id,
		    m->builder != NULL ? m->builder : "(none)");
		manifest_free(m);
		return (1);
	}

	/* The SDK: pkg-config (PREFIX's .pc files first), else PREFIX. */
	if (prefix != NULL) {
		old = getenv("PKG_CONFIG_PATH");
		pcpath = xasprintf("%s/lib/pkgconfig:%s/share/pkgconfig%s%s",
		    prefix, prefix, old != NULL ? ":" : "",
		    old != NULL ? old : "");
		setenv("PKG_CONFIG_PATH", pcpath, 1);
		free(pcpath);
	}
	if (pkg_config("--cflags", prefix, &cflags) != 0 ||
	    pkg_config("--libs", prefix, &libs) != 0) {
		sv_free(&cflags);
		sv_free(&libs);
		if (prefix == NULL) {
			diag_error("cannot find the RustOS SDK: pkg-config "
			    "does not know rustos-user-abi; set "
			    "PKG_CONFIG_PATH or pass --prefix");
			manifest_free(m);
			return (1);
		}
		sv_push_owned(&cflags, xasprintf("-I%s/include", prefix));
		lib = xasprintf("%s/lib/librustos-user-abi.a", prefix);
		if (is_file(lib)) {
			sv_push_owned(&libs, xasprintf("-L%s/lib", prefix));
			sv_push(&libs, "-lrustos-user-abi");
		}
		free(lib);
	}

	cc = getenv("CC");
	if (cc == NULL || cc[0] == '\0')
		cc = "musl-gcc";
	dst = path_join(out, m->install_path);
	parent = xstrdup(dst);
	if (strrchr(parent, '/') != NULL) {
		*strrchr(parent, '/') = '\0';
		if ((rc = mkdir_p(parent, 0755)) != 0)
			diag_error("cannot create %s: %s", parent,
			    strerror(-rc));
	}
	free(parent);
	sv_push(&av, cc);
	sv_push(&av, "-O2");
	/* Headers next to the sources, as a package author expects. */
	sv_push_owned(&av, xasprintf("-I%s", pkgdir));
	for (i = 0; i < cflags.n; i++)
		sv_push(&av, cflags.v[i]);
	if (strcmp(m->linkage, "static") == 0)
		sv_push(&av, "-static");
	else if (strcmp(m->linkage, "static-pie") == 0)
		sv_push(&av, "-static-pie");
	sv_push(&av, "-o");
	sv_push(&av, dst);
	for (i = 0; i < m->sources.n; i++)
		sv_push_owned(&av, path_join(pkgdir, m->sources.v[i]));
	for (i = 0; i < m->extra_args.n; i++)
		sv_push(&av, m->extra_args.v[i]);
	for (i = 0; i < libs.n; i++)
		sv_push(&av, libs.v[i]);
	sv_push_owned(&av, NULL);
	for (i = 0; av.v[i] != NULL; i++)
		printf("%s%s", i ? " " : "", av.v[i]);
	printf("\n");
	fflush(stdout);
	rc = diag_errors != 0 ? 1 : run(av.v);
	if (rc != 0)
		diag_error("%s: building package %s failed (exit %d)", m->path,
		    m->id, rc);
	else
		printf("built %s\n", dst);
	av.n--;
	sv_free(&av);
	sv_free(&cflags);
	sv_free(&libs);
	free(dst);
	manifest_free(m);
	return (rc != 0);
}
