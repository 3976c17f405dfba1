/*
 * registry.c -- parsers of the staged program registries
 * (desktop-programs.tsv, runtime-launch-programs.tsv, startup-programs.tsv)
 * and runtime-env.tsv, shared by runtimed, initd and third parties.
 *
 * A record is TAB-separated key=value fields.  Fields are found by key (the
 * order is not relied on; unknown keys are ignored so newer registries stay
 * readable); blank and `#` lines are skipped.  A malformed line is refused
 * with the 1-based column and the rule, and *out is left untouched.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rustos/runtime_control.h>

#include "internal.h"

enum field_type { F_STR, F_BOOL, F_U32 };

struct field_spec {
	const char	*key;
	enum field_type	 type;
	size_t		 offset;
	size_t		 size;		/* F_STR: buffer size incl. NUL */
	int		 required;
};

#define MAX_FIELDS	32

#define STR(T, k, req)	{ #k, F_STR, offsetof(struct T, k), sizeof(((struct T *)0)->k), req }
#define BOOL(T, k)	{ #k, F_BOOL, offsetof(struct T, k), 1, 0 }

static const struct field_spec desktop_fields[] = {
	STR(rustos_registry_desktop_program, desktop_id, 1),
	STR(rustos_registry_desktop_program, package_id, 1),
	STR(rustos_registry_desktop_program, startup, 0),
	STR(rustos_registry_desktop_program, display_name, 0),
	STR(rustos_registry_desktop_program, image, 0),
	STR(rustos_registry_desktop_program, exec, 1),
	{ "weight", F_U32, offsetof(struct rustos_registry_desktop_program, weight_micros), 4, 0 },
	BOOL(rustos_registry_desktop_program, logical_admin),
	BOOL(rustos_registry_desktop_program, console_hosted),
	BOOL(rustos_registry_desktop_program, terminal),
	BOOL(rustos_registry_desktop_program, hidden),
	BOOL(rustos_registry_desktop_program, no_display),
	BOOL(rustos_registry_desktop_program, autostart_enabled),
	STR(rustos_registry_desktop_program, launch, 0),
	STR(rustos_registry_desktop_program, deps, 0),
	STR(rustos_registry_desktop_program, args, 0),
	STR(rustos_registry_desktop_program, env, 0),
	{ NULL, F_STR, 0, 0, 0 }
};

static const struct field_spec startup_fields[] = {
	STR(rustos_registry_startup_program, desktop_id, 1),
	STR(rustos_registry_startup_program, package_id, 1),
	STR(rustos_registry_startup_program, mode, 1),
	STR(rustos_registry_startup_program, display_name, 0),
	STR(rustos_registry_startup_program, exec, 1),
	STR(rustos_registry_startup_program, launch, 0),
	STR(rustos_registry_startup_program, deps, 0),
	{ NULL, F_STR, 0, 0, 0 }
};

static const struct field_spec env_fields[] = {
	STR(rustos_registry_env_entry, scope, 1),
	STR(rustos_registry_env_entry, key, 1),
	STR(rustos_registry_env_entry, value, 1),
	{ NULL, F_STR, 0, 0, 0 }
};

static int
refuse(struct rustos_registry_error *err, size_t col, const char *rule, int e)
{
	if (err != NULL) {
		err->column = (uint32_t)col;
		err->reserved = 0;
		err->rule = rule;
	}
	return e;
}

RC_EXPORT int
runtime_control_parse_bool(const char *s, size_t len)
{
	static const char *const yes[] = { "1", "true", "True", "yes", "Yes" };
	static const char *const no[] = { "0", "false", "False", "no", "No" };
	size_t i;

	if (s == NULL)
		return -EINVAL;
	if (len == 0)
		return 0;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strlen(yes[i]) == len && memcmp(yes[i], s, len) == 0)
			return 1;
		if (strlen(no[i]) == len && memcmp(no[i], s, len) == 0)
			return 0;
	}
	return -EINVAL;
}

static int
parse_u32(const char *s, size_t len, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 10)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

static int
is_blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

/*
 * Parse one line into out (of out_size bytes) by specs.  Returns 0, 1 to
 * skip, or a negative errno.  Works on a scratch copy of *out.
 */
static int
parse_record(const char *line, size_t len, const struct field_spec *specs,
    void *out, size_t out_size, unsigned char *scratch,
    struct rustos_registry_error *err)
{
	unsigned char seen[MAX_FIELDS];
	const char *f, *eq, *end, *val, *tab;
	size_t i, nspecs, flen, klen, vlen, col;
	int b, r;
	uint32_t u;

	if (line == NULL || out == NULL)
		return refuse(err, 0, "null argument", -EINVAL);
	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (is_blank(line, len))
		return 1;
	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	if (line[i] == '#')
		return 1;
	if (memchr(line, '\0', len) != NULL || memchr(line, '\n', len) != NULL ||
	    memchr(line, '\r', len) != NULL)
		return refuse(err, 1, "NUL, CR or LF inside a record", -EINVAL);
	for (nspecs = 0; specs[nspecs].key != NULL; nspecs++)
		;
	memset(seen, 0, sizeof(seen));
	memset(scratch, 0, out_size);
	end = line + len;
	for (f = line; f != NULL; f = tab != NULL ? tab + 1 : NULL) {
		tab = memchr(f, '\t', (size_t)(end - f));

		flen = (size_t)((tab != NULL ? tab : end) - f);
		col = (size_t)(f - line) + 1;
		eq = memchr(f, '=', flen);
		if (eq == NULL)
			return refuse(err, col, "field is not key=value", -EINVAL);
		klen = (size_t)(eq - f);
		if (klen == 0)
			return refuse(err, col, "empty key", -EINVAL);
		val = eq + 1;
		vlen = flen - klen - 1;
		for (i = 0; i < nspecs; i++)
			if (strlen(specs[i].key) == klen &&
			    memcmp(specs[i].key, f, klen) == 0)
				break;
		if (i == nspecs)
			continue;	/* unknown key: ignored */
		if (seen[i])
			return refuse(err, col, "duplicate key", -EINVAL);
		seen[i] = 1;
		col = (size_t)(val - line) + 1;
		switch (specs[i].type) {
		case F_STR:
			if (vlen >= specs[i].size)
				return refuse(err, col, "value too long", -ENAMETOOLONG);
			memcpy(scratch + specs[i].offset, val, vlen);
			break;
		case F_BOOL:
			if ((b = runtime_control_parse_bool(val, vlen)) < 0)
				return refuse(err, col,
				    "boolean must be 1 true True yes Yes or 0 false False no No", b);
			scratch[specs[i].offset] = (unsigned char)b;
			break;
		case F_U32:
			if ((r = parse_u32(val, vlen, &u)) < 0)
				return refuse(err, col, "value must be an unsigned 32-bit decimal", r);
			memcpy(scratch + specs[i].offset, &u, sizeof(u));
			break;
		}
	}
	for (i = 0; i < nspecs; i++)
		if (specs[i].required && !seen[i])
			return refuse(err, 1, "missing required key", -EINVAL);
	memcpy(out, scratch, out_size);
	return 0;
}

RC_EXPORT int
runtime_control_parse_desktop_program(const char *line, size_t len,
    struct rustos_registry_desktop_program *out, struct rustos_registry_error *err)
{
	struct rustos_registry_desktop_program tmp;

	return parse_record(line, len, desktop_fields, out, sizeof(*out),
	    (unsigned char *)&tmp, err);
}

RC_EXPORT int
runtime_control_parse_startup_program(const char *line, size_t len,
    struct rustos_registry_startup_program *out, struct rustos_registry_error *err)
{
	struct rustos_registry_startup_program tmp;

	return parse_record(line, len, startup_fields, out, sizeof(*out),
	    (unsigned char *)&tmp, err);
}

RC_EXPORT int
runtime_control_parse_runtime_env(const char *line, size_t len,
    const char *scope, struct rustos_registry_env_entry *out,
    struct rustos_registry_error *err)
{
	struct rustos_registry_env_entry tmp, e;
	size_t i;
	int r;

	if (out == NULL)
		return refuse(err, 0, "null argument", -EINVAL);
	r = parse_record(line, len, env_fields, &e, sizeof(e),
	    (unsigned char *)&tmp, err);
	if (r != 0)
		return r;
	if (strcmp(e.scope, "init") != 0 && strcmp(e.scope, "runtime") != 0)
		return refuse(err, 1, "scope must be init or runtime", -EINVAL);
	if (e.key[0] == '\0')
		return refuse(err, 1, "empty variable name", -EINVAL);
	for (i = 0; e.key[i] != '\0'; i++)
		if (e.key[i] == '=')
			return refuse(err, 1, "variable name contains '='", -EINVAL);
	if (scope != NULL && strcmp(scope, e.scope) != 0)
		return 1;
	*out = e;
	return 0;
}

RC_EXPORT int
runtime_control_split(const char *s, char sep, char *buf, size_t buf_size,
    const char **items, size_t max_items)
{
	size_t n, i, count;

	if (s == NULL || buf == NULL || items == NULL)
		return -EINVAL;
	n = strlen(s);
	if (n + 1 > buf_size)
		return -E2BIG;
	if (n == 0)
		return 0;
	if (max_items == 0)
		return -E2BIG;
	memcpy(buf, s, n + 1);
	count = 0;
	items[count++] = buf;
	for (i = 0; i < n; i++) {
		if (buf[i] != sep)
			continue;
		if (count == max_items)
			return -E2BIG;
		buf[i] = '\0';
		items[count++] = buf + i + 1;
	}
	return (int)count;
}
