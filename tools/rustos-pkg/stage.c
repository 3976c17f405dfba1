/*
 * stage.c -- `rustos-pkg stage`: build the boot volume tree and its
 * registries (spec/packages-and-registries.md, "Staging order" and
 * "Registry encoding").
 *
 * Everything is written into "<out>.tmp.<pid>" beside the output folder and
 * renamed over it only when every step succeeded, so a failed stage leaves
 * the previous image untouched and nothing half-written.  Output depends
 * only on the inputs (no times, no directory-read order): staging twice
 * gives byte-identical trees.
 */
#include <sys/stat.h>

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "manifest.h"
#include "stage.h"
#include "util.h"

#define REG_DRIVERS	"system/registry/kernel/loadable-drivers.tsv"
#define REG_DESKTOP	"system/registry/system/desktop-programs.tsv"
#define REG_LAUNCH	"system/registry/system/runtime-launch-programs.tsv"
#define REG_STARTUP	"system/registry/system/startup-programs.tsv"
#define REG_ACCESS	"system/registry/system/linux-runtime-access.tsv"
#define REG_ENV		"system/registry/system/runtime-env.tsv"
#define REG_DLLS	"system/registry/compat/windows-system-dlls.txt"
#define APPS_DIR	"usr/share/applications"
#define AUTOSTART_DIR	"etc/xdg/autostart"

struct stage {
	const struct stage_opts *o;
	char *tmp;
	struct manifest **sel;		/* selected packages, id order */
	int *have;			/* artifact staged */
	size_t nsel;
};

static const char *const default_dirs[] = { "/lib", "/lib64", "/usr/lib",
	"/usr/lib64", "/etc/ld.so.conf.d", "/usr/lib/locale",
	"/usr/share/locale", "/usr/lib/gconv", "/usr/share/zoneinfo", NULL };
static const char *const default_files[] = { "/etc/ld.so.cache",
	"/etc/ld.so.preload", "/etc/ld.so.conf", "/etc/nsswitch.conf",
	"/etc/hosts", "/etc/resolv.conf", "/etc/localtime",
	"/" REG_DESKTOP, "/" REG_LAUNCH, "/" REG_STARTUP, NULL };

static const char *const env_common[][2] = {
	{ "PATH", "/bin:/usr/bin:/usr/local/bin" },
	{ "HOME", "/home/user" },
	{ "XDG_RUNTIME_DIR", "/run/user/1000" },
	{ "WAYLAND_DISPLAY", "wayland-0" },
};
static const char *const env_runtime[][2] = {
	{ "XDG_SESSION_TYPE", "wayland" },
	{ "XDG_CURRENT_DESKTOP", "RustOS" },
};

/* One "key=value" field; a TAB, CR or LF inside a value is a build error. */
static void
field(struct strbuf *sb, const char *key, const char *value)
{

	if (strpbrk(value, "\t\r\n") != NULL)
		diag_error("registry value of %s contains a tab, newline or "
		    "carriage return", key);
	if (sb->len > 0 && sb->buf[sb->len - 1] != '\n')
		sb_putc(sb, '\t');
	sb_printf(sb, "%s=%s", key, value);
}

static void
field_join(struct strbuf *sb, const char *key, const struct strlist *l,
    char sep)
{
	struct strbuf v = { 0 };
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (i > 0)
			sb_putc(&v, sep);
		sb_puts(&v, l->v[i]);
	}
	field(sb, key, sb_str(&v));
	sb_free(&v);
}

static void
field_int(struct strbuf *sb, const char *key, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	field(sb, key, buf);
}

static void
write_reg(struct stage *s, const char *rel, struct strbuf *sb)
{
	char *p;
	int rc;

	p = path_join(s->tmp, rel);
	rc = write_file(p, sb_str(sb), sb->len, 0644);
	if (rc != 0)
		diag_error("cannot write %s: %s", p, strerror(-rc));
	free(p);
}

/*
 * An autostart file enables an entry unless it sets
 * X-GNOME-Autostart-enabled to false.  Returns -1 when there is no file.
 */
static int
autostart_state(struct stage *s, const char *desktop_id)
{
	char *p, *buf, *line, *next, *eq, *k, *v;
	size_t len;
	int enabled;

	p = xasprintf("%s/%s/%s", s->tmp, AUTOSTART_DIR, desktop_id);
	buf = is_file(p) ? read_whole_file(p, 1u << 20, &len) : NULL;
	free(p);
	if (buf == NULL)
		return (-1);
	enabled = 1;
	for (line = buf; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		eq = strchr(line, '=');
		if (eq == NULL)
			continue;
		*eq = '\0';
		v = eq + 1;
		k = line + strspn(line, " \t");
		while (eq > k && (eq[-1] == ' ' || eq[-1] == '\t'))
			*--eq = '\0';
		v += strspn(v, " \t");
		v[strcspn(v, " \t\r")] = '\0';
		if (strcmp(k, "X-GNOME-Autostart-enabled") == 0)
			enabled = strcmp(v, "false") != 0;
	}
	free(buf);
	return (enabled);
}

static void
entry_record(struct strbuf *sb, const struct manifest *m,
    const struct desktop_entry *e, const char *desktop_id, int autostart)
{

	field(sb, "desktop_id", desktop_id);
	field(sb, "package_id", m->id);
	field(sb, "startup", m->startup);
	field(sb, "display_name", e->display_name);
	field(sb, "image", e->image);
	field(sb, "exec", e->exec);
	field_int(sb, "weight", e->weight_micros);
	field(sb, "logical_admin", e->logical_admin ? "1" : "0");
	field(sb, "console_hosted", e->console_hosted ? "1" : "0");
	field(sb, "terminal", e->console_hosted ? "1" : "0");
	field(sb, "hidden", "0");
	field(sb, "no_display", strcmp(m->kind, "service") == 0 ? "1" : "0");
	field(sb, "autostart_enabled", autostart == 1 ? "1" : "0");
	field(sb, "launch", e->launch);
	field_join(sb, "deps", &m->runtime_deps, ',');
	field_join(sb, "args", &e->args, '|');
	field_join(sb, "env", &e->env, '|');
	sb_putc(sb, '\n');
}

/* Desktop-entry string escaping: a backslash is written "\\". */
static void
put_desktop_str(struct strbuf *sb, const char *s)
{

	for (; *s != '\0'; s++) {
		if (*s == '\\')
			sb_puts(sb, "\\\\");
		else
			sb_putc(sb, *s);
	}
}

/* One Exec= argument, quoted as the XDG Desktop Entry spec asks. */
static void
put_exec_arg(struct strbuf *sb, const char *a)
{
	struct strbuf q = { 0 };
	const char *p;
	int quote;

	quote = a[0] == '\0' || strpbrk(a, " \t\n\"'\\><~|&;$*?#()`") != NULL;
	if (quote)
		sb_putc(&q, '"');
	for (p = a; *p != '\0'; p++) {
		if (quote && strchr("\"`$\\", *p) != NULL)
			sb_putc(&q, '\\');
		if (*p == '%')
			sb_putc(&q, '%');
		sb_putc(&q, *p);
	}
	if (quote)
		sb_putc(&q, '"');
	put_desktop_str(sb, sb_str(&q));
	sb_free(&q);
}

static void
put_joined(struct strbuf *sb, const struct strlist *l, char sep)
{
	struct strbuf v = { 0 };
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (i > 0)
			sb_putc(&v, sep);
		sb_puts(&v, l->v[i]);
	}
	put_desktop_str(sb, sb_str(&v));
	sb_free(&v);
}

static void
write_desktop_file(struct stage *s, const struct manifest *m,
    const struct desktop_entry *e, const char *desktop_id)
{
	struct strbuf sb = { 0 };
	char *rel;
	size_t i;

	sb_puts(&sb, "[Desktop Entry]\nType=Application\nName=");
	put_desktop_str(&sb, e->display_name);
	sb_puts(&sb, "\nExec=");
	if (e->args.n == 0)
		put_exec_arg(&sb, e->exec);
	for (i = 0; i < e->args.n; i++) {
		if (i > 0)
			sb_putc(&sb, ' ');
		put_exec_arg(&sb, e->args.v[i]);
	}
	sb_printf(&sb, "\nTerminal=%s\nOnlyShowIn=RustOS;\nNoDisplay=%s\n",
	    e->console_hosted ? "true" : "false",
	    strcmp(m->kind, "service") == 0 ? "true" : "false");
	sb_puts(&sb, "X-RustOS-DesktopId=");
	put_desktop_str(&sb, desktop_id);
	sb_puts(&sb, "\nX-RustOS-PackageId=");
	put_desktop_str(&sb, m->id);
	sb_printf(&sb, "\nX-RustOS-Startup=%s\nX-RustOS-Deps=", m->startup);
	put_joined(&sb, &m->runtime_deps, ',');
	sb_printf(&sb, "\nX-RustOS-WeightMicros=%lld\n"
	    "X-RustOS-LogicalAdmin=%s\nX-RustOS-ConsoleHosted=%s\n"
	    "X-RustOS-Argv=", (long long)e->weight_micros,
	    e->logical_admin ? "true" : "false",
	    e->console_hosted ? "true" : "false");
	put_joined(&sb, &e->args, '|');
	sb_puts(&sb, "\nX-RustOS-Env=");
	put_joined(&sb, &e->env, '|');
	sb_putc(&sb, '\n');
	rel = xasprintf("%s/%s", APPS_DIR, desktop_id);
	write_reg(s, rel, &sb);
	free(rel);
	sb_free(&sb);
}

static void
write_programs(struct stage *s)
{
	struct strbuf desk = { 0 }, launch = { 0 }, start = { 0 };
	const struct manifest *m;
	const struct desktop_entry *e;
	char *did;
	size_t i, k;
	int as, boot;

	for (i = 0; i < s->nsel; i++) {
		m = s->sel[i];
		if (!s->have[i])
			continue;
		boot = strcmp(m->startup, "none") != 0;
		for (k = 0; k < m->nentries; k++) {
			e = &m->entries[k];
			did = manifest_desktop_id(m, k);
			as = autostart_state(s, did);
			entry_record(&desk, m, e, did, as);
			if (boot || as == 1)
				entry_record(&launch, m, e, did, as);
			if (boot && k == 0) {
				field(&start, "desktop_id", did);
				field(&start, "package_id", m->id);
				field(&start, "mode", m->startup);
				field(&start, "display_name", e->display_name);
				field(&start, "exec", e->exec);
				field(&start, "launch", e->launch);
				field_join(&start, "deps", &m->runtime_deps,
				    ',');
				sb_putc(&start, '\n');
			}
			if (boot || as != -1)
				write_desktop_file(s, m, e, did);
			free(did);
		}
	}
	write_reg(s, REG_DESKTOP, &desk);
	write_reg(s, REG_LAUNCH, &launch);
	write_reg(s, REG_STARTUP, &start);
	sb_free(&desk);
	sb_free(&launch);
	sb_free(&start);
}

struct drv {
	const struct manifest *m;
};

static int
cmp_drv(const void *a, const void *b)
{
	const struct manifest *x = ((const struct drv *)a)->m;
	const struct manifest *y = ((const struct drv *)b)->m;

	/*
	 * driverd walks the file top-down: normal providers first, then
	 * fallback_only ones, each by ascending priority, then package id.
	 */
	if (x->autoload.fallback_only != y->autoload.fallback_only)
		return (x->autoload.fallback_only - y->autoload.fallback_only);
	if (x->autoload.priority != y->autoload.priority)
		return (x->autoload.priority < y->autoload.priority ? -1 : 1);
	return (strcmp(x->id, y->id));
}

static void
write_drivers(struct stage *s)
{
	struct strbuf sb = { 0 };
	struct strlist names;
	const char *one[1];
	struct drv *d;
	const struct autoload *a;
	size_t i, n;

	d = xcalloc(s->nsel, sizeof(*d));
	n = 0;
	for (i = 0; i < s->nsel; i++)
		if (s->have[i] && s->sel[i]->autoload.present &&
		    s->sel[i]->autoload.enabled)
			d[n++].m = s->sel[i];
	if (n > 1)
		qsort(d, n, sizeof(*d), cmp_drv);
	for (i = 0; i < n; i++) {
		a = &d[i].m->autoload;
		field(&sb, "name", a->name);
		field(&sb, "class", a->class_);
		field(&sb, "bus", a->bus);
		field_int(&sb, "priority", a->priority);
		field(&sb, "path", d[i].m->install_path);
		field(&sb, "when", a->when);
		field_join(&sb, "aliases", &a->aliases, ',');
		field_join(&sb, "deps", &a->deps, ',');
		field_join(&sb, "softdeps", &a->softdeps, ',');
		names = a->linux_driver_names;
		if (names.n == 0) {
			one[0] = a->name;
			names.v = one;
			names.n = 1;
		}
		field_join(&sb, "linux_driver_names", &names, ',');
		field(&sb, "provider_group", a->provider_group);
		field(&sb, "fallback_only", a->fallback_only ? "1" : "0");
		sb_putc(&sb, '\n');
	}
	write_reg(s, REG_DRIVERS, &sb);
	sb_free(&sb);
	free(d);
}

/* "/a//b/./c/../d/" -> "/a/b/d"; the result is always absolute. */
static char *
normalise_abs(const char *p)
{
	struct strbuf sb = { 0 };
	const char *c, *e;
	size_t n, cut;

	for (c = p; *c != '\0'; c = e) {
		while (*c == '/')
			c++;
		if (*c == '\0')
			break;
		e = strchr(c, '/');
		if (e == NULL)
			e = c + strlen(c);
		n = (size_t)(e - c);
		if (n == 1 && c[0] == '.')
			continue;
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			cut = sb.len;
			while (cut > 0 && sb.buf[cut - 1] != '/')
				cut--;
			if (cut > 0)
				cut--;
			sb.len = cut;
			if (sb.buf != NULL)
				sb.buf[cut] = '\0';
			continue;
		}
		sb_putc(&sb, '/');
		sb_add(&sb, c, n);
	}
	if (sb.len == 0)
		sb_putc(&sb, '/');
	return (sb.buf);
}

static void
add_unique(struct strvec *sv, const char *path)
{
	char *n;

	n = normalise_abs(path);
	if (sv_contains(sv, n))
		free(n);
	else
		sv_push_owned(sv, n);
}

/* Directories named in the image's ld.so.conf, following "include". */
static void
read_ld_conf(struct stage *s, const char *abs, struct strvec *dirs,
    int depth)
{
	char *p, *buf, *line, *next, *tok, *save, *dir, *pat, *full;
	const char *base;
	glob_t g;
	size_t len, i, skip;

	if (depth > 8)
		return;
	p = path_join(s->tmp, abs + 1);
	buf = is_file(p) ? read_whole_file(p, 1u << 20, &len) : NULL;
	free(p);
	if (buf == NULL)
		return;
	for (line = buf; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		line[strcspn(line, "#")] = '\0';
		line += strspn(line, " \t\r");
		if (strncmp(line, "include", 7) == 0 &&
		    (line[7] == ' ' || line[7] == '\t')) {
			for (tok = strtok_r(line + 7, " \t\r", &save);
			    tok != NULL; tok = strtok_r(NULL, " \t\r", &save)) {
				/* Relative patterns are relative to /etc. */
				base = tok[0] == '/' ? "" : "/etc/";
				pat = xasprintf("%s%s%s", s->tmp, base, tok);
				memset(&g, 0, sizeof(g));
				if (glob(pat, 0, NULL, &g) == 0) {
					skip = strlen(s->tmp);
					for (i = 0; i < g.gl_pathc; i++) {
						full = normalise_abs(
						    g.gl_pathv[i] + skip);
						read_ld_conf(s, full, dirs,
						    depth + 1);
						free(full);
					}
				}
				globfree(&g);
				free(pat);
			}
			continue;
		}
		for (tok = strtok_r(line, " \t\r:,", &save); tok != NULL;
		    tok = strtok_r(NULL, " \t\r:,", &save)) {
			if (tok[0] != '/') {
				diag_warn("%s: ignoring relative library "
				    "directory %s", abs, tok);
				continue;
			}
			dir = tok;
			add_unique(dirs, dir);
		}
	}
	free(buf);
}

static void
write_access(struct stage *s)
{
	struct strvec dirs = { 0 }, files = { 0 };
	struct strbuf sb = { 0 };
	size_t i;

	for (i = 0; default_dirs[i] != NULL; i++)
		add_unique(&dirs, default_dirs[i]);
	read_ld_conf(s, "/etc/ld.so.conf", &dirs, 0);
	for (i = 0; default_files[i] != NULL; i++)
		add_unique(&files, default_files[i]);
	for (i = 0; i < dirs.n; i++) {
		field(&sb, "kind", "dir");
		field(&sb, "path", dirs.v[i]);
		sb_putc(&sb, '\n');
	}
	for (i = 0; i < files.n; i++) {
		field(&sb, "kind", "file");
		field(&sb, "path", files.v[i]);
		sb_putc(&sb, '\n');
	}
	write_reg(s, REG_ACCESS, &sb);
	sb_free(&sb);
	sv_free(&dirs);
	sv_free(&files);
}

static void
write_env(struct stage *s)
{
	struct strbuf sb = { 0 };
	size_t i;
	int scope;

	for (scope = 0; scope < 2; scope++) {
		for (i = 0; i < sizeof(env_common) / sizeof(env_common[0]);
		    i++) {
			field(&sb, "scope", scope ? "runtime" : "init");
			field(&sb, "key", env_common[i][0]);
			field(&sb, "value", env_common[i][1]);
			sb_putc(&sb, '\n');
		}
		for (i = 0; scope && i < sizeof(env_runtime) /
		    sizeof(env_runtime[0]); i++) {
			field(&sb, "scope", "runtime");
			field(&sb, "key", env_runtime[i][0]);
			field(&sb, "value", env_runtime[i][1]);
			sb_putc(&sb, '\n');
		}
	}
	write_reg(s, REG_ENV, &sb);
	sb_free(&sb);
}

static void
write_dlls(struct stage *s)
{
	struct strvec all = { 0 }, files = { 0 };
	struct strbuf sb = { 0 };
	const struct manifest *m;
	char *dir;
	size_t i, k;

	for (i = 0; i < s->nsel; i++) {
		m = s->sel[i];
		if (!s->have[i] || m->builder == NULL ||
		    strcmp(m->builder, "winsys-dll-bundle") != 0)
			continue;
		dir = path_join(s->tmp, m->install_path);
		if (list_tree(dir, &files) != 0)
			diag_error("cannot list %s", dir);
		for (k = 0; k < files.n; k++)
			sv_push_owned(&all, xasprintf("%s/%s",
			    m->install_path, files.v[k]));
		sv_free(&files);
		free(dir);
	}
	sv_sort(&all);
	for (i = 0; i < all.n; i++) {
		if (strpbrk(all.v[i], "\r\n") != NULL) {
			diag_error("staged DLL path %s contains a newline",
			    all.v[i]);
			continue;
		}
		sb_printf(&sb, "%s\n", all.v[i]);
	}
	write_reg(s, REG_DLLS, &sb);
	sb_free(&sb);
	sv_free(&all);
}

static int
mtime_older(const struct stat *a, const struct stat *b)
{

	if (a->st_mtim.tv_sec != b->st_mtim.tv_sec)
		return (a->st_mtim.tv_sec < b->st_mtim.tv_sec);
	return (a->st_mtim.tv_nsec < b->st_mtim.tv_nsec);
}

static void
stage_kernel_sig(struct stage *s, const struct manifest *m)
{
	struct stat elf, sig;
	char *pe, *ps, *dst, *rel;
	int rc;

	pe = path_join(s->o->artifacts, m->install_path);
	ps = xasprintf("%s.sig", pe);
	rel = xasprintf("%s.sig", m->install_path);
	if (stat(ps, &sig) != 0 || !S_ISREG(sig.st_mode))
		diag_error("kernel package %s: signature %s is missing; the "
		    "boot manager refuses an unsigned kernel", m->id, ps);
	else if (stat(pe, &elf) == 0 && mtime_older(&sig, &elf))
		diag_error("kernel package %s: signature %s is older than %s "
		    "(stale); sign the kernel again", m->id, ps, pe);
	else {
		dst = path_join(s->tmp, rel);
		rc = copy_file(ps, dst);
		if (rc != 0)
			diag_error("cannot copy %s to %s: %s", ps, dst,
			    strerror(-rc));
		free(dst);
	}
	free(rel);
	free(ps);
	free(pe);
}

static void
stage_artifacts(struct stage *s)
{
	const struct manifest *m;
	char *src, *dst;
	size_t i;
	int dir, rc;

	for (i = 0; i < s->nsel; i++) {
		m = s->sel[i];
		src = path_join(s->o->artifacts, m->install_path);
		dst = path_join(s->tmp, m->install_path);
		dir = strcmp(m->layout, "directory") == 0;
		if (dir ? is_dir(src) : is_file(src)) {
			rc = dir ? copy_tree(src, dst) : copy_file(src, dst);
			if (rc != 0)
				diag_error("package %s: cannot copy %s to %s: "
				    "%s", m->id, src, dst, strerror(-rc));
			else
				s->have[i] = 1;
		} else if (!m->optional)
			diag_error("package %s: artifact %s is missing (%s "
			    "expected; set build.optional = true to allow "
			    "this)", m->id, src, dir ? "directory" : "file");
		if (s->have[i] && strcmp(m->kind, "kernel") == 0)
			stage_kernel_sig(s, m);
		free(src);
		free(dst);
	}
}

/* Replace out by tmp: old out is moved aside first, removed afterwards. */
static int
commit_tree(struct stage *s)
{
	char *old;
	int rc;

	old = xasprintf("%s.old.%ld", s->o->out, (long)getpid());
	rm_rf(old);
	rc = 0;
	if (is_dir(s->o->out) && rename(s->o->out, old) != 0)
		rc = -errno;
	if (rc == 0 && rename(s->tmp, s->o->out) != 0) {
		rc = -errno;
		(void)rename(old, s->o->out);
	}
	if (rc != 0)
		diag_error("cannot move %s to %s: %s", s->tmp, s->o->out,
		    strerror(-rc));
	rm_rf(old);
	free(old);
	return (rc);
}

int
stage_run(const struct stage_opts *o)
{
	struct stage s;
	struct pkgset set = { 0 };
	char **paths, *parent;
	size_t npaths, i;
	int rc;

	memset(&s, 0, sizeof(s));
	s.o = o;
	if (discover_manifests(o->roots, o->nroots, &paths, &npaths) != 0)
		return (1);
	pkgset_load(&set, paths, npaths);
	for (i = 0; i < npaths; i++)
		free(paths[i]);
	free(paths);
	pkgset_validate(&set, o->profile);
	if (diag_errors != 0) {
		diag_error("staging refused: fix the manifest errors above "
		    "(%s left unchanged)", o->out);
		pkgset_free(&set);
		return (1);
	}
	s.sel = xcalloc(set.n, sizeof(*s.sel));
	s.have = xcalloc(set.n, sizeof(*s.have));
	for (i = 0; i < set.n; i++)
		if (manifest_in_profile(set.m[i], o->profile))
			s.sel[s.nsel++] = set.m[i];
	if (s.nsel == 0)
		diag_warn("profile %s selects no package", o->profile);

	parent = strrchr(o->out, '/') != NULL ? xasprintf("%.*s",
	    (int)(strrchr(o->out, '/') - o->out), o->out) : NULL;
	if (parent != NULL && parent[0] != '\0')
		mkdir_p(parent, 0755);
	free(parent);
	s.tmp = xasprintf("%s.tmp.%ld", o->out, (long)getpid());
	rm_rf(s.tmp);
	rc = mkdir_p(s.tmp, 0755);
	if (rc != 0)
		diag_error("cannot create %s: %s", s.tmp, strerror(-rc));
	if (diag_errors == 0 && o->overlay != NULL) {
		if (!is_dir(o->overlay))
			diag_error("overlay %s is not a directory",
			    o->overlay);
		else if ((rc = copy_tree(o->overlay, s.tmp)) != 0)
			diag_error("cannot copy overlay %s: %s", o->overlay,
			    strerror(-rc));
	}
	if (diag_errors == 0)
		stage_artifacts(&s);
	if (diag_errors == 0) {
		write_drivers(&s);
		write_programs(&s);
		write_access(&s);
		write_env(&s);
		write_dlls(&s);
	}
	if (diag_errors == 0)
		commit_tree(&s);
	if (diag_errors != 0) {
		rm_rf(s.tmp);
		diag_error("staging failed: %s left unchanged", o->out);
	}
	free(s.tmp);
	free(s.sel);
	free(s.have);
	pkgset_free(&set);
	return (diag_errors != 0);
}
