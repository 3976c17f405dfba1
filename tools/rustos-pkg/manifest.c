/*
 * manifest.c -- load, check and cross-check RUSTOS.package.toml files
 * (spec/packages-and-registries.md; data model in manifest.h).
 *
 * Each rule reports one line "PATH:LINE:COL: message" through diag_error()
 * and marks the manifest bad; checking then goes on, so one run lists every
 * problem.  User-supplied text inside a message is escaped, so a message is
 * always exactly one line whatever the manifest holds.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"
#include "util.h"

#define WEIGHT_MICROS_MAX	1000000	/* one second per scheduler slice */

/* Rejections for list items and scalar values that end up in registries. */
#define V_NO_CTRL	0x1	/* TAB, CR, LF, NUL */
#define V_NO_COMMA	0x2	/* joined with ',' in a registry */
#define V_NO_PIPE	0x4	/* joined with '|' in a registry */
#define V_NONEMPTY	0x8

static const char *const kinds[] = { "boot", "kernel", "bridge-driver",
	"user-driver", "service", "app", "compat", NULL };
static const char *const startups[] = { "none", "init", "session",
	"desktop", NULL };
static const char *const launches[] = { "none", "new-session",
	"all-sessions", NULL };
static const char *const layouts[] = { "file", "directory", NULL };
static const char *const buses[] = { "platform", "serio", "usb", "pci",
	"virtio", NULL };
static const char *const builders[] = { "kernel", "bootloader-uefi",
	"c-program", "kernel-module", "mingw-c-exe", "winsys-dll-bundle",
	"external-copy", NULL };
static const char *const linkages[] = { "static", "static-pie", "dynamic",
	NULL };

static const char *const top_keys[] = { "id", "kind", "execution_domain",
	"profiles", "startup", "runtime_deps", "build", "install", "boot",
	"autoload", "desktop", NULL };
static const char *const build_keys[] = { "builder", "optional", "sources",
	"source", "source_env", "extra_args", "linkage", NULL };
static const char *const install_keys[] = { "path", "layout", NULL };
static const char *const boot_keys[] = { "preload", "required", "priority",
	NULL };
static const char *const autoload_keys[] = { "name", "class", "bus",
	"enabled", "priority", "when", "aliases", "deps", "softdeps",
	"linux_driver_names", "provider_group", "fallback_only", NULL };
static const char *const desktop_keys[] = { "entries", NULL };
static const char *const entry_keys[] = { "display_name", "weight_micros",
	"image", "exec", "logical_admin", "console_hosted", "launch", "args",
	"env", NULL };

static const char *default_profiles[] = { "default" };

static int
in_list(const char *const *list, const char *s)
{

	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return (1);
	return (0);
}

static char *
join_list(const char *const *list)
{
	struct strbuf sb = { 0 };

	for (; *list != NULL; list++) {
		if (sb.len > 0)
			sb_puts(&sb, ", ");
		sb_puts(&sb, *list);
	}
	return (sb.buf);
}

/* Escape control bytes so that a message stays on one line. */
static void
put_escaped(struct strbuf *sb, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\n')
			sb_puts(sb, "\\n");
		else if (*p == '\t')
			sb_puts(sb, "\\t");
		else if (*p == '\r')
			sb_puts(sb, "\\r");
		else if (*p < 0x20 || *p == 0x7f)
			sb_printf(sb, "\\x%02x", *p);
		else
			sb_putc(sb, (char)*p);
	}
}

static void
mverr(struct manifest *m, int line, int col, const char *fmt, va_list ap)
{
	struct strbuf sb = { 0 };
	char msg[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	put_escaped(&sb, msg);
	if (line > 0)
		diag_error("%s:%d:%d: %s", m->path, line, col > 0 ? col : 1,
		    sb.buf);
	else
		diag_error("%s: %s", m->path, sb.buf);
	sb_free(&sb);
	m->ok = 0;
}

static void PKG_PRINTF(4, 5)
merr(struct manifest *m, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mverr(m, line, col, fmt, ap);
	va_end(ap);
}

static void PKG_PRINTF(4, 5)
mwarn(struct manifest *m, int line, int col, const char *fmt, ...)
{
	struct strbuf sb = { 0 };
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	put_escaped(&sb, msg);
	diag_warn("%s:%d:%d: %s", m->path, line > 0 ? line : 1,
	    col > 0 ? col : 1, sb.buf);
	sb_free(&sb);
}

/* Display name of a package in messages: its id, or its file. */
static const char *
pname(const struct manifest *m)
{

	return (m->id != NULL ? m->id : m->path);
}

static void
warn_unknown(struct manifest *m, const struct toml_table *t,
    const char *prefix, const char *const *known)
{
	size_t i;

	for (i = 0; i < t->len; i++)
		if (!in_list(known, t->items[i].key))
			mwarn(m, t->items[i].line, t->items[i].col,
			    "unknown key '%s%s' ignored", prefix,
			    t->items[i].key);
}

static const struct toml_keyval *
get_typed(struct manifest *m, const struct toml_table *t, const char *prefix,
    const char *key, enum toml_type type)
{
	const struct toml_keyval *kv;

	kv = toml_table_get_kv(t, key);
	if (kv == NULL)
		return (NULL);
	if (kv->val.type != type) {
		merr(m, kv->line, kv->col, "key '%s%s' must be of type %s, "
		    "got %s", prefix, key, toml_type_name(type),
		    toml_type_name(kv->val.type));
		return (NULL);
	}
	return (kv);
}

/* Checks of one string value; 0 when fine. */
static int
check_value(struct manifest *m, int line, int col, const char *what,
    const char *s, size_t len, int flags)
{

	if (strlen(s) != len) {
		merr(m, line, col, "%s must not contain a NUL character",
		    what);
		return (-1);
	}
	if ((flags & V_NONEMPTY) && len == 0) {
		merr(m, line, col, "%s must not be empty", what);
		return (-1);
	}
	if ((flags & V_NO_CTRL) && strpbrk(s, "\t\r\n") != NULL) {
		merr(m, line, col, "%s \"%s\" contains a tab, newline or "
		    "carriage return", what, s);
		return (-1);
	}
	if ((flags & V_NO_COMMA) && strchr(s, ',') != NULL) {
		merr(m, line, col, "%s \"%s\" contains a comma", what, s);
		return (-1);
	}
	if ((flags & V_NO_PIPE) && strchr(s, '|') != NULL) {
		merr(m, line, col, "%s \"%s\" contains '|'", what, s);
		return (-1);
	}
	return (0);
}

static const char *
get_str(struct manifest *m, const struct toml_table *t, const char *prefix,
    const char *key, int required, int flags)
{
	const struct toml_keyval *kv;
	char what[160];

	if (toml_table_get_kv(t, key) == NULL) {
		if (required)
			merr(m, t->line, t->col, "package %s missing required "
			    "key: %s%s", pname(m), prefix, key);
		return (NULL);
	}
	kv = get_typed(m, t, prefix, key, TOML_STRING);
	if (kv == NULL)
		return (NULL);
	snprintf(what, sizeof(what), "key '%s%s'", prefix, key);
	if (check_value(m, kv->val.line, kv->val.col, what, kv->val.u.s.ptr,
	    kv->val.u.s.len, flags) != 0)
		return (NULL);
	return (kv->val.u.s.ptr);
}

static int
get_bool(struct manifest *m, const struct toml_table *t, const char *prefix,
    const char *key, int def)
{
	const struct toml_keyval *kv;

	kv = get_typed(m, t, prefix, key, TOML_BOOL);
	return (kv != NULL ? kv->val.u.b != 0 : def);
}

static int64_t
get_int(struct manifest *m, const struct toml_table *t, const char *prefix,
    const char *key, int64_t def, int *present)
{
	const struct toml_keyval *kv;

	kv = get_typed(m, t, prefix, key, TOML_INTEGER);
	if (present != NULL)
		*present = kv != NULL;
	return (kv != NULL ? kv->val.u.i : def);
}

/* An array of strings; *present tells whether the key was there. */
static void
get_strlist(struct manifest *m, const struct toml_table *t,
    const char *prefix, const char *key, int flags, struct strlist *out,
    int *present)
{
	const struct toml_keyval *kv;
	const struct toml_value *v;
	char what[200];
	size_t i;

	out->v = NULL;
	out->n = 0;
	if (present != NULL)
		*present = 0;
	kv = get_typed(m, t, prefix, key, TOML_ARRAY);
	if (kv == NULL)
		return;
	if (present != NULL)
		*present = 1;
	out->v = xcalloc(kv->val.u.arr->len, sizeof(*out->v));
	for (i = 0; i < kv->val.u.arr->len; i++) {
		v = &kv->val.u.arr->items[i];
		if (v->type != TOML_STRING) {
			merr(m, v->line, v->col, "%s%s[%zu] must be of type "
			    "string, got %s", prefix, key, i,
			    toml_type_name(v->type));
			continue;
		}
		snprintf(what, sizeof(what), "%s%s item", prefix, key);
		if (check_value(m, v->line, v->col, what, v->u.s.ptr,
		    v->u.s.len, flags) != 0)
			continue;
		out->v[out->n++] = v->u.s.ptr;
	}
}

static const char *
get_enum(struct manifest *m, const struct toml_table *t, const char *prefix,
    const char *key, const char *const *allowed, const char *def,
    const char *what)
{
	const struct toml_keyval *kv;
	const char *s;
	char *all;

	s = get_str(m, t, prefix, key, def == NULL, V_NO_CTRL);
	if (s == NULL)
		return (def);
	if (in_list(allowed, s))
		return (s);
	kv = toml_table_get_kv(t, key);
	all = join_list(allowed);
	merr(m, kv->val.line, kv->val.col, "invalid %s \"%s\" for package %s "
	    "(expected one of: %s)", what, s, pname(m), all);
	free(all);
	return (def);
}

static const struct toml_table *
get_table(struct manifest *m, const struct toml_table *t, const char *key)
{
	const struct toml_keyval *kv;

	kv = get_typed(m, t, "", key, TOML_TABLE);
	return (kv != NULL ? kv->val.u.tab : NULL);
}

static int
valid_id(const char *s)
{
	const char *p;

	if (*s == '\0' || *s == '.' || *s == '-')
		return (0);
	for (p = s; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		    *p == '+' || *p == '-'))
			return (0);
	return (1);
}

static int
has_prefix(const char *s, const char *p)
{

	return (strncmp(s, p, strlen(p)) == 0);
}

static int
has_suffix(const char *s, const char *x)
{
	size_t n, k;

	n = strlen(s);
	k = strlen(x);
	return (n >= k && strcmp(s + n - k, x) == 0);
}

/* Relative, no empty, "." or ".." component, no trailing slash. */
static const char *
bad_relpath(const char *p)
{
	const char *c, *e;
	size_t n;

	if (*p == '/')
		return ("must be relative");
	if (strchr(p, '\\') != NULL)
		return ("must use '/' separators");
	for (c = p; *c != '\0'; c = *e ? e + 1 : e) {
		e = strchr(c, '/');
		if (e == NULL)
			e = c + strlen(c);
		n = (size_t)(e - c);
		if (n == 0)
			return ("must not hold an empty component");
		if ((n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.'))
			return ("must not hold '.' or '..' components");
		if (*e == '/' && e[1] == '\0')
			return ("must not end with '/'");
	}
	return (NULL);
}

static void
check_install_path(struct manifest *m, const char *p, int line, int col)
{
	const char *why;

	why = bad_relpath(p);
	if (why != NULL) {
		merr(m, line, col, "package %s install.path %s, got %s",
		    pname(m), why, p);
		return;
	}
	if (m->kind == NULL)
		return;
	if (strcmp(m->kind, "bridge-driver") == 0) {
		if (!has_prefix(p, "system/drivers/") ||
		    !has_suffix(p, ".ko") ||
		    strlen(p) <= strlen("system/drivers/.ko"))
			merr(m, line, col, "bridge driver %s must install to "
			    "system/drivers/*.ko, got %s", pname(m), p);
	} else if (strcmp(m->kind, "user-driver") == 0) {
		if (!has_prefix(p, "drivers/user/"))
			merr(m, line, col, "user driver %s must install under "
			    "drivers/user/, got %s", pname(m), p);
	} else if (strcmp(m->kind, "service") == 0) {
		if (!has_prefix(p, "services/"))
			merr(m, line, col, "service %s must install under "
			    "services/, got %s", pname(m), p);
	} else if (strcmp(m->kind, "app") == 0) {
		if (!has_prefix(p, "apps/"))
			merr(m, line, col, "app %s must install under apps/, "
			    "got %s", pname(m), p);
	} else if (strcmp(m->kind, "compat") == 0) {
		/*
		 * compat/ (the Windows bundle) or where Linux programs look
		 * for their runtime: the dynamic loader named by PT_INTERP
		 * and shared libraries (the FHS library directories).
		 */
		if (!has_prefix(p, "compat/") && !has_prefix(p, "lib/") &&
		    !has_prefix(p, "lib64/") && !has_prefix(p, "usr/lib/") &&
		    !has_prefix(p, "usr/lib64/"))
			merr(m, line, col, "compat package %s must install "
			    "under compat/ or a Linux library directory (lib/, "
			    "lib64/, usr/lib/, usr/lib64/), got %s", pname(m),
			    p);
	}
}

static void
load_build(struct manifest *m, const struct toml_table *b)
{
	const struct toml_keyval *kv;
	const char *one;
	int have_sources;

	warn_unknown(m, b, "build.", build_keys);
	m->builder = get_enum(m, b, "build.", "builder", builders, NULL,
	    "builder");
	m->optional = get_bool(m, b, "build.", "optional", 0);
	get_strlist(m, b, "build.", "sources", V_NO_CTRL | V_NONEMPTY,
	    &m->sources, &have_sources);
	get_strlist(m, b, "build.", "extra_args", V_NO_CTRL, &m->extra_args,
	    NULL);
	m->linkage = get_enum(m, b, "build.", "linkage", linkages, "static",
	    "build.linkage");
	m->source = get_str(m, b, "build.", "source", 0,
	    V_NO_CTRL | V_NONEMPTY);
	m->source_env = get_str(m, b, "build.", "source_env", 0,
	    V_NO_CTRL | V_NONEMPTY);
	if (m->builder == NULL)
		return;
	kv = toml_table_get_kv(b, "builder");
	if (strcmp(m->builder, "c-program") == 0 ||
	    strcmp(m->builder, "kernel-module") == 0 ||
	    strcmp(m->builder, "mingw-c-exe") == 0) {
		/* "source" is accepted as a one-file shorthand. */
		if (!have_sources && m->source != NULL) {
			one = m->source;
			free(m->sources.v);
			m->sources.v = xmalloc(sizeof(*m->sources.v));
			m->sources.v[0] = one;
			m->sources.n = 1;
		} else if (m->sources.n == 0)
			merr(m, kv->line, kv->col, "package %s builder %s "
			    "requires a non-empty build.sources list",
			    pname(m), m->builder);
	}
	if (strcmp(m->builder, "external-copy") == 0 && m->source == NULL &&
	    m->source_env == NULL)
		merr(m, kv->line, kv->col, "package %s builder external-copy "
		    "requires build.source or build.source_env", pname(m));
}

static void
load_autoload(struct manifest *m, const struct toml_table *t,
    const struct toml_keyval *where)
{
	struct autoload *a;
	const int item = V_NO_CTRL | V_NO_COMMA | V_NONEMPTY;

	if (m->kind != NULL && !manifest_is_driver(m)) {
		merr(m, where->line, where->col, "package %s defines autoload "
		    "metadata but is not a driver", pname(m));
		return;
	}
	a = &m->autoload;
	a->present = 1;
	warn_unknown(m, t, "autoload.", autoload_keys);
	a->name = get_str(m, t, "autoload.", "name", 1, item);
	a->class_ = get_str(m, t, "autoload.", "class", 1, item);
	a->bus = get_enum(m, t, "autoload.", "bus", buses, NULL,
	    "autoload.bus");
	a->enabled = get_bool(m, t, "autoload.", "enabled", 1);
	a->priority = get_int(m, t, "autoload.", "priority", 0, NULL);
	a->when = get_str(m, t, "autoload.", "when", 0, item);
	if (a->when == NULL)
		a->when = "vfs-ready";
	get_strlist(m, t, "autoload.", "aliases", item, &a->aliases, NULL);
	get_strlist(m, t, "autoload.", "deps", item, &a->deps, NULL);
	get_strlist(m, t, "autoload.", "softdeps", item, &a->softdeps, NULL);
	get_strlist(m, t, "autoload.", "linux_driver_names", item,
	    &a->linux_driver_names, NULL);
	a->provider_group = get_str(m, t, "autoload.", "provider_group", 0,
	    V_NO_CTRL | V_NO_COMMA);
	if (a->provider_group == NULL)
		a->provider_group = "";
	a->fallback_only = get_bool(m, t, "autoload.", "fallback_only", 0);
	if (a->fallback_only && a->provider_group[0] == '\0')
		merr(m, where->line, where->col, "package %s autoload "
		    "fallback_only needs a provider_group to fall back in",
		    pname(m));
}

static int
valid_env_item(const char *s)
{
	const char *p;

	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
	    *s == '_'))
		return (0);
	for (p = s; *p != '=' ; p++)
		if (*p == '\0' || !((*p >= 'A' && *p <= 'Z') ||
		    (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '_'))
			return (0);
	return (1);
}

static void
load_entry(struct manifest *m, const struct toml_table *t, size_t n,
    struct desktop_entry *e)
{
	char prefix[64];
	int present;
	int64_t w;
	size_t i;

	snprintf(prefix, sizeof(prefix), "desktop.entries[%zu].", n);
	warn_unknown(m, t, prefix, entry_keys);
	e->display_name = get_str(m, t, prefix, "display_name", 1,
	    V_NO_CTRL | V_NONEMPTY);
	if (toml_table_get_kv(t, "weight_micros") == NULL)
		merr(m, t->line, t->col, "package %s missing required key: "
		    "%sweight_micros", pname(m), prefix);
	w = get_int(m, t, prefix, "weight_micros", 0, &present);
	if (present && (w < 1 || w > WEIGHT_MICROS_MAX))
		merr(m, toml_table_get_kv(t, "weight_micros")->val.line,
		    toml_table_get_kv(t, "weight_micros")->val.col,
		    "package %s %sweight_micros must be in 1..%d, got %lld",
		    pname(m), prefix, WEIGHT_MICROS_MAX, (long long)w);
	e->weight_micros = w;
	e->image = get_str(m, t, prefix, "image", 0, V_NO_CTRL | V_NONEMPTY);
	if (e->image == NULL)
		e->image = m->install_path != NULL ? m->install_path : "";
	e->exec = get_str(m, t, prefix, "exec", 0, V_NO_CTRL | V_NONEMPTY);
	if (e->exec == NULL)
		e->exec = e->image;
	e->logical_admin = get_bool(m, t, prefix, "logical_admin", 0);
	e->console_hosted = get_bool(m, t, prefix, "console_hosted", 1);
	e->launch = get_enum(m, t, prefix, "launch", launches, "none",
	    "launch mode");
	get_strlist(m, t, prefix, "args", V_NO_CTRL | V_NO_PIPE, &e->args,
	    NULL);
	get_strlist(m, t, prefix, "env", V_NO_CTRL | V_NO_PIPE, &e->env,
	    NULL);
	for (i = 0; i < e->env.n; i++)
		if (!valid_env_item(e->env.v[i]))
			merr(m, t->line, t->col, "package %s %senv item \"%s\" "
			    "is not KEY=VALUE", pname(m), prefix, e->env.v[i]);
}

static void
load_desktop(struct manifest *m, const struct toml_table *d)
{
	const struct toml_keyval *kv;
	const struct toml_value *v;
	size_t i;

	warn_unknown(m, d, "desktop.", desktop_keys);
	kv = get_typed(m, d, "desktop.", "entries", TOML_ARRAY);
	if (kv == NULL)
		return;
	m->entries = xcalloc(kv->val.u.arr->len, sizeof(*m->entries));
	for (i = 0; i < kv->val.u.arr->len; i++) {
		v = &kv->val.u.arr->items[i];
		if (v->type != TOML_TABLE) {
			merr(m, v->line, v->col, "desktop.entries[%zu] must be "
			    "of type table, got %s", i,
			    toml_type_name(v->type));
			continue;
		}
		load_entry(m, v->u.tab, i, &m->entries[m->nentries++]);
	}
}

static void
load_top(struct manifest *m)
{
	const struct toml_table *r, *t;
	const struct toml_keyval *kv;
	const char *domain, *want;
	size_t i;
	int present;

	r = m->root;
	warn_unknown(m, r, "", top_keys);
	m->id = get_str(m, r, "", "id", 1, V_NO_CTRL | V_NONEMPTY);
	kv = toml_table_get_kv(r, "id");
	if (kv != NULL) {
		m->id_line = kv->line;
		m->id_col = kv->col;
	}
	if (m->id != NULL && !valid_id(m->id)) {
		merr(m, kv->val.line, kv->val.col, "package id \"%s\" may only "
		    "contain A-Z a-z 0-9 . _ + - and must not start with . or "
		    "-", m->id);
		m->id = NULL;
	}
	m->kind = get_enum(m, r, "", "kind", kinds, NULL, "kind");
	want = NULL;
	if (m->kind != NULL)
		want = (strcmp(m->kind, "boot") == 0 ||
		    strcmp(m->kind, "kernel") == 0 ||
		    strcmp(m->kind, "bridge-driver") == 0) ? "kernel" : "user";
	domain = get_str(m, r, "", "execution_domain", 0, V_NO_CTRL);
	kv = toml_table_get_kv(r, "execution_domain");
	if (domain != NULL && strcmp(domain, "kernel") != 0 &&
	    strcmp(domain, "user") != 0)
		merr(m, kv->val.line, kv->val.col, "invalid execution_domain "
		    "\"%s\" for package %s (expected one of: kernel, user)",
		    domain, pname(m));
	else if (domain != NULL && want != NULL && strcmp(domain, want) != 0)
		merr(m, kv->val.line, kv->val.col, "package %s of kind %s must "
		    "have execution_domain %s, got %s", pname(m), m->kind, want,
		    domain);
	m->execution_domain = want;

	get_strlist(m, r, "", "profiles", V_NO_CTRL | V_NO_COMMA | V_NONEMPTY,
	    &m->profiles, &present);
	kv = toml_table_get_kv(r, "profiles");
	if (present && kv->val.u.arr->len == 0)
		merr(m, kv->val.line, kv->val.col, "package %s profiles must "
		    "not be empty", pname(m));
	if (!present) {
		free(m->profiles.v);
		m->profiles.v = xmalloc(sizeof(*m->profiles.v));
		m->profiles.v[0] = default_profiles[0];
		m->profiles.n = 1;
	}
	m->startup = get_enum(m, r, "", "startup", startups, "none",
	    "startup mode");
	get_strlist(m, r, "", "runtime_deps", V_NO_CTRL | V_NONEMPTY,
	    &m->runtime_deps, NULL);
	kv = toml_table_get_kv(r, "runtime_deps");
	if (kv != NULL) {
		m->deps_line = kv->line;
		m->deps_col = kv->col;
	}

	if (toml_table_get_kv(r, "build") == NULL)
		merr(m, 1, 1, "package %s has no [build] table", pname(m));
	else if ((t = get_table(m, r, "build")) != NULL)
		load_build(m, t);

	if (toml_table_get_kv(r, "install") == NULL)
		merr(m, 1, 1, "package %s has no [install] table", pname(m));
	else if ((t = get_table(m, r, "install")) != NULL) {
		warn_unknown(m, t, "install.", install_keys);
		m->install_path = get_str(m, t, "install.", "path", 1,
		    V_NO_CTRL | V_NONEMPTY);
		kv = toml_table_get_kv(t, "path");
		if (m->install_path != NULL) {
			m->install_line = kv->val.line;
			m->install_col = kv->val.col;
			check_install_path(m, m->install_path, kv->val.line,
			    kv->val.col);
		}
		m->layout = get_enum(m, t, "install.", "layout", layouts,
		    "file", "install.layout");
	}
	if (m->layout == NULL)
		m->layout = "file";
	if (m->builder != NULL && strcmp(m->builder, "winsys-dll-bundle") ==
	    0 && strcmp(m->layout, "directory") != 0)
		merr(m, 1, 1, "package %s builder winsys-dll-bundle requires "
		    "install.layout = \"directory\"", pname(m));

	if ((t = get_table(m, r, "boot")) != NULL) {
		warn_unknown(m, t, "boot.", boot_keys);
		m->boot_present = 1;
		m->boot_preload = get_bool(m, t, "boot.", "preload", 0);
		m->boot_required = get_bool(m, t, "boot.", "required", 0);
		m->boot_priority = get_int(m, t, "boot.", "priority", 0, NULL);
	}
	kv = toml_table_get_kv(r, "autoload");
	if ((t = get_table(m, r, "autoload")) != NULL)
		load_autoload(m, t, kv);
	if ((t = get_table(m, r, "desktop")) != NULL)
		load_desktop(m, t);

	if (m->startup != NULL && strcmp(m->startup, "none") != 0 &&
	    m->nentries == 0) {
		kv = toml_table_get_kv(r, "startup");
		merr(m, kv->val.line, kv->val.col, "package %s uses startup "
		    "mode %s but defines no desktop entries", pname(m),
		    m->startup);
	}
	for (i = 0; i < m->nentries; i++)
		if (m->entries[i].image[0] == '\0')
			m->entries[i].image = m->entries[i].exec =
			    m->install_path != NULL ? m->install_path : "";
}

struct manifest *
manifest_load_buffer(const char *path, const char *buf, size_t len)
{
	struct toml_error err;
	struct manifest *m;
	const char *slash;

	memset(&err, 0, sizeof(err));
	m = xcalloc(1, sizeof(*m));
	m->path = xstrdup(path);
	slash = strrchr(path, '/');
	m->dir = slash != NULL ? xasprintf("%.*s", (int)(slash - path), path)
	    : xstrdup(".");
	m->root = toml_parse(buf, len, &err);
	if (m->root == NULL) {
		struct strbuf sb = { 0 };

		put_escaped(&sb, err.msg);
		diag_error("failed to parse %s:%d:%d: %s", path,
		    err.line > 0 ? err.line : 1, err.col > 0 ? err.col : 1,
		    sb_str(&sb));
		sb_free(&sb);
		manifest_free(m);
		return (NULL);
	}
	m->ok = 1;
	load_top(m);
	return (m);
}

struct manifest *
manifest_load(const char *path)
{
	struct manifest *m;
	size_t len;
	char *buf;

	buf = read_whole_file(path, 16u << 20, &len);
	if (buf == NULL) {
		diag_error("failed to read %s: %s", path, strerror(errno));
		return (NULL);
	}
	m = manifest_load_buffer(path, buf, len);
	free(buf);
	return (m);
}

static void
free_autoload(struct autoload *a)
{

	free(a->aliases.v);
	free(a->deps.v);
	free(a->softdeps.v);
	free(a->linux_driver_names.v);
}

void
manifest_free(struct manifest *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nentries; i++) {
		free(m->entries[i].args.v);
		free(m->entries[i].env.v);
	}
	free(m->entries);
	free_autoload(&m->autoload);
	free(m->profiles.v);
	free(m->runtime_deps.v);
	free(m->sources.v);
	free(m->extra_args.v);
	if (m->root != NULL)
		toml_free(m->root);
	free(m->path);
	free(m->dir);
	free(m);
}

int
manifest_in_profile(const struct manifest *m, const char *profile)
{
	size_t i;

	for (i = 0; i < m->profiles.n; i++)
		if (strcmp(m->profiles.v[i], profile) == 0)
			return (1);
	return (0);
}

int
manifest_is_driver(const struct manifest *m)
{

	return (m->kind != NULL && (strcmp(m->kind, "bridge-driver") == 0 ||
	    strcmp(m->kind, "user-driver") == 0));
}

char *
manifest_desktop_id(const struct manifest *m, size_t entry)
{

	if (m->nentries <= 1)
		return (xasprintf("%s.desktop", m->id));
	return (xasprintf("%s-%zu.desktop", m->id, entry + 1));
}

static int
skip_dir(const char *name)
{

	return (strcmp(name, ".git") == 0 || strcmp(name, "build") == 0 ||
	    strncmp(name, "_build", 6) == 0 ||
	    strcmp(name, "autom4te.cache") == 0);
}

static void
discover_rec(const char *dir, struct strvec *out, int depth)
{
	struct dirent *de;
	struct stat st;
	char *sub;
	DIR *d;

	if (depth > 64)
		return;
	d = opendir(dir);
	if (d == NULL) {
		diag_error("%s: cannot read directory: %s", dir,
		    strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		sub = path_join(dir, de->d_name);
		if (lstat(sub, &st) == 0) {
			if (S_ISDIR(st.st_mode) && !skip_dir(de->d_name))
				discover_rec(sub, out, depth + 1);
			else if (S_ISREG(st.st_mode) &&
			    strcmp(de->d_name, MANIFEST_NAME) == 0)
				sv_push(out, sub);
		}
		free(sub);
	}
	closedir(d);
}

int
discover_manifests(char *const *roots, int nroots, char ***paths,
    size_t *npaths)
{
	struct strvec out = { 0 };
	int before, i;

	before = diag_errors;
	for (i = 0; i < nroots; i++) {
		if (is_dir(roots[i]))
			discover_rec(roots[i], &out, 0);
		else if (is_file(roots[i]))
			sv_push(&out, roots[i]);
		else
			diag_error("%s: no such package root", roots[i]);
	}
	sv_sort(&out);
	*paths = out.v;
	*npaths = out.n;
	return (diag_errors - before);
}

void
pkgset_load(struct pkgset *set, char *const *paths, size_t npaths)
{
	struct manifest *m;
	size_t i;

	set->m = xcalloc(npaths, sizeof(*set->m));
	set->n = 0;
	for (i = 0; i < npaths; i++) {
		m = manifest_load(paths[i]);
		if (m != NULL)
			set->m[set->n++] = m;
	}
}

static int
cmp_manifest(const void *a, const void *b)
{
	const struct manifest *x = *(struct manifest *const *)a;
	const struct manifest *y = *(struct manifest *const *)b;
	int c;

	/* Packages without a usable id sort last, by path. */
	if (x->id == NULL || y->id == NULL) {
		if (x->id != NULL)
			return (-1);
		if (y->id != NULL)
			return (1);
		return (strcmp(x->path, y->path));
	}
	c = strcmp(x->id, y->id);
	return (c != 0 ? c : strcmp(x->path, y->path));
}

void
pkgset_sort(struct pkgset *set)
{

	if (set->n > 1)
		qsort(set->m, set->n, sizeof(*set->m), cmp_manifest);
}

const struct manifest *
pkgset_find(const struct pkgset *set, const char *id)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->m[i]->id != NULL && strcmp(set->m[i]->id, id) == 0)
			return (set->m[i]);
	return (NULL);
}

static size_t
pkgset_index(const struct pkgset *set, const char *id)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->m[i]->id != NULL && strcmp(set->m[i]->id, id) == 0)
			return (i);
	return ((size_t)-1);
}

/* Depth-first search; colour 0 white, 1 on the stack, 2 done. */
static void
cycle_dfs(struct pkgset *set, size_t v, unsigned char *colour,
    size_t *stack, size_t depth, const char *profile)
{
	const struct manifest *m;
	struct strbuf sb = { 0 };
	size_t i, j, w;

	colour[v] = 1;
	stack[depth] = v;
	m = set->m[v];
	for (i = 0; i < m->runtime_deps.n; i++) {
		w = pkgset_index(set, m->runtime_deps.v[i]);
		if (w == (size_t)-1 || w == v)
			continue;
		if (profile != NULL && !manifest_in_profile(set->m[w], profile))
			continue;
		if (colour[w] == 1) {
			for (j = 0; j <= depth && stack[j] != w; j++)
				;
			for (; j <= depth; j++) {
				sb_puts(&sb, set->m[stack[j]]->id);
				sb_puts(&sb, " -> ");
			}
			sb_puts(&sb, set->m[w]->id);
			merr(set->m[v], m->deps_line, m->deps_col,
			    "runtime_deps cycle detected: %s", sb.buf);
			sb_free(&sb);
		} else if (colour[w] == 0)
			cycle_dfs(set, w, colour, stack, depth + 1, profile);
	}
	colour[v] = 2;
}

static void
check_deps(struct pkgset *set, struct manifest *m, const char *profile)
{
	const struct manifest *d;
	const char *dep;
	size_t i, j;
	int line, col;

	line = m->deps_line;
	col = m->deps_col;
	for (i = 0; i < m->runtime_deps.n; i++) {
		dep = m->runtime_deps.v[i];
		for (j = 0; j < i; j++)
			if (strcmp(m->runtime_deps.v[j], dep) == 0)
				break;
		if (j < i) {
			merr(m, line, col, "package %s runtime_deps lists %s "
			    "twice", m->id, dep);
			continue;
		}
		if (strchr(dep, '/') != NULL || has_suffix(dep, ".desktop") ||
		    has_suffix(dep, ".elf")) {
			merr(m, line, col, "package %s runtime_deps entry %s is "
			    "a path or desktop id; runtime_deps take package "
			    "ids", m->id, dep);
			continue;
		}
		if (strcmp(dep, m->id) == 0) {
			merr(m, line, col, "package %s runtime_deps includes "
			    "itself", m->id);
			continue;
		}
		d = pkgset_find(set, dep);
		if (d == NULL) {
			merr(m, line, col, "package %s runtime_deps includes "
			    "missing package %s", m->id, dep);
			continue;
		}
		if (profile != NULL) {
			if (!manifest_in_profile(d, profile))
				merr(m, line, col, "package %s runtime_deps "
				    "includes %s, which is not in profile %s",
				    m->id, dep, profile);
			continue;
		}
		for (j = 0; j < m->profiles.n; j++)
			if (!manifest_in_profile(d, m->profiles.v[j]))
				merr(m, line, col, "package %s runtime_deps "
				    "includes %s, which is not in profile %s",
				    m->id, dep, m->profiles.v[j]);
	}
}

void
pkgset_validate(struct pkgset *set, const char *profile)
{
	struct manifest *a, *b;
	unsigned char *colour;
	size_t *stack, i, j, k, l, la, lb;
	char *da, *db;

	pkgset_sort(set);
	for (i = 0; i + 1 < set->n; i++) {
		a = set->m[i];
		b = set->m[i + 1];
		if (a->id != NULL && b->id != NULL && strcmp(a->id, b->id) == 0)
			merr(b, b->id_line, b->id_col, "duplicate package id: "
			    "%s (also defined in %s)", b->id, a->path);
	}
	for (i = 0; i < set->n; i++) {
		a = set->m[i];
		if (a->install_path == NULL)
			continue;
		la = strlen(a->install_path);
		for (j = i + 1; j < set->n; j++) {
			b = set->m[j];
			if (b->install_path == NULL)
				continue;
			lb = strlen(b->install_path);
			/* Equal, or one installs inside the other's folder. */
			if (strcmp(a->install_path, b->install_path) == 0 ||
			    (la < lb && strncmp(a->install_path,
			    b->install_path, la) == 0 &&
			    b->install_path[la] == '/') ||
			    (lb < la && strncmp(a->install_path,
			    b->install_path, lb) == 0 &&
			    a->install_path[lb] == '/'))
				merr(b, b->install_line, b->install_col,
				    "install path collision for %s between %s "
				    "and %s", la >= lb ? a->install_path :
				    b->install_path, pname(a), pname(b));
		}
	}
	/* Desktop ids must be unique too: "a-1" and "a" with two entries. */
	for (i = 0; i < set->n; i++) {
		a = set->m[i];
		if (a->id == NULL)
			continue;
		for (k = 0; k < a->nentries; k++) {
			da = manifest_desktop_id(a, k);
			for (j = i + 1; j < set->n; j++) {
				b = set->m[j];
				if (b->id == NULL || strcmp(a->id, b->id) == 0)
					continue;
				for (l = 0; l < b->nentries; l++) {
					db = manifest_desktop_id(b, l);
					if (strcmp(da, db) == 0)
						merr(b, b->id_line, b->id_col,
						    "desktop id %s is used by "
						    "both %s and %s", da,
						    a->id, b->id);
					free(db);
				}
			}
			free(da);
		}
	}
	for (i = 0; i < set->n; i++) {
		a = set->m[i];
		if (a->id == NULL)
			continue;
		if (profile != NULL && !manifest_in_profile(a, profile))
			continue;
		check_deps(set, a, profile);
	}
	colour = xcalloc(set->n, 1);
	stack = xcalloc(set->n + 1, sizeof(*stack));
	for (i = 0; i < set->n; i++) {
		if (set->m[i]->id == NULL || colour[i] != 0)
			continue;
		if (profile != NULL && !manifest_in_profile(set->m[i], profile))
			continue;
		cycle_dfs(set, i, colour, stack, 0, profile);
	}
	free(colour);
	free(stack);
}

void
pkgset_free(struct pkgset *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		manifest_free(set->m[i]);
	free(set->m);
	set->m = NULL;
	set->n = 0;
}
