/*
 * config.c -- `rustos-pkg config ...`: load, validate and print
 * config/rustos.toml (spec/observability-and-faults.md), and derive from it
 * the generated logging header, the kernel CFLAGS/LDFLAGS and the effective
 * fault-rule string.
 *
 * Layering, each step overriding the one before and recording its source:
 *   1. built-in defaults;
 *   2. the config file: --config PATH ("canonical config/rustos.toml" when
 *      the path ends in config/rustos.toml), or $RUSTOS_CONFIG ("override");
 *   3. [kernel.build] of $KERNEL_BUILD_CONFIG ("override PATH");
 *   4. RUSTOS_KERNEL_<KEY> environment variables for [kernel.build].
 * Unknown sections and keys are errors here (unlike manifests): a typo in
 * an operational knob must not be silently ignored.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rustos/observability.h>

#include "config.h"
#include "lib/fault-rules/fault_rules.h"
#include "toml.h"
#include "util.h"

static const char *const level_names[] = RUSTOS_LOG_LEVEL_NAMES;
static const char *const cat_names[] = RUSTOS_LOG_CATEGORY_NAMES;

enum {
	K_ENABLED, K_BOOT_TRACE, K_SERIAL, K_RING, K_MIN_LEVEL,
	K_FI_ENABLED, K_FI_RULES,
	K_OPT, K_LTO, K_FP, K_DEBUGINFO, K_STRIP, K_RELOC, K_EXTRA, K_CGU,
	K_CAT0,
	K_COUNT = K_CAT0 + RUSTOS_LOG_CAT_COUNT
};

struct config {
	int enabled, boot_trace, serial;
	long long ring;
	int min_level;
	int cat[RUSTOS_LOG_CAT_COUNT];
	int fi_enabled;
	struct strvec rules;
	char opt[2];			/* "0".."3" or "s" */
	const char *lto;		/* off | on | thin | fat */
	int fp, debuginfo, strip;
	const char *reloc;		/* static | pic | pie */
	struct strvec extra;
	int cgu;
	char *src[K_COUNT];		/* where each value came from */
	char *file;			/* config file used, or NULL */
	char *file_label;
};

#define RING_MIN	1024
#define RING_MAX	(16 << 20)

static const char *const lto_values[] = { "off", "on", "thin", "fat", NULL };
static const char *const reloc_values[] = { "static", "pic", "pie", NULL };

static void
set_src(struct config *c, int k, const char *src)
{

	free(c->src[k]);
	c->src[k] = xstrdup(src);
}

static void
cfg_defaults(struct config *c)
{
	int i;

	memset(c, 0, sizeof(*c));
	c->enabled = 1;
	c->boot_trace = 1;
	c->serial = 1;
	c->ring = RUSTOS_LOG_RING_BUFFER_BYTES_DEFAULT;
	c->min_level = RUSTOS_LOG_LEVEL_INFO;
	for (i = 0; i < RUSTOS_LOG_CAT_COUNT; i++)
		c->cat[i] = -1;		/* follows min_level */
	strcpy(c->opt, "2");
	c->lto = "off";
	c->fp = 1;
	c->reloc = "static";
	c->cgu = 1;
	for (i = 0; i < K_COUNT; i++)
		set_src(c, i, "built-in defaults");
}

static void
cfg_free(struct config *c)
{
	int i;

	for (i = 0; i < K_COUNT; i++)
		free(c->src[i]);
	sv_free(&c->rules);
	sv_free(&c->extra);
	free(c->file);
	free(c->file_label);
}

static int
find_level(const char *s)
{
	int i;

	for (i = 0; i < RUSTOS_LOG_LEVEL_COUNT; i++)
		if (strcmp(level_names[i], s) == 0)
			return (i);
	return (-1);
}

static int
in_set(const char *const *set, const char *s)
{

	for (; *set != NULL; set++)
		if (strcmp(*set, s) == 0)
			return (1);
	return (0);
}

/* Errors name the file, position and the full dotted key. */
static void PKG_PRINTF(5, 6)
cerr(const char *file, int line, int col, const char *key,
    const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		diag_error("%s:%d:%d: config key '%s': %s", file, line, col,
		    key, msg);
	else
		diag_error("%s: config key '%s': %s", file, key, msg);
}

static int
want(const char *file, const struct toml_keyval *kv, const char *key,
    enum toml_type t)
{

	if (kv->val.type == t)
		return (1);
	cerr(file, kv->line, kv->col, key, "must be of type %s, got %s",
	    toml_type_name(t), toml_type_name(kv->val.type));
	return (0);
}

static int
want_plain_string(const char *file, const struct toml_keyval *kv,
    const char *key)
{

	if (!want(file, kv, key, TOML_STRING))
		return (0);
	if (strlen(kv->val.u.s.ptr) != kv->val.u.s.len ||
	    strpbrk(kv->val.u.s.ptr, "\t\r\n") != NULL) {
		cerr(file, kv->line, kv->col, key, "must not contain control "
		    "characters");
		return (0);
	}
	return (1);
}

static void
load_logging(struct config *c, const char *file, const char *label,
    const struct toml_table *t)
{
	const struct toml_keyval *kv, *ckv;
	const struct toml_table *cats;
	char key[96];
	size_t i, j;
	int lv, found;

	for (i = 0; i < t->len; i++) {
		kv = &t->items[i];
		snprintf(key, sizeof(key), "logging.%s", kv->key);
		if (strcmp(kv->key, "enabled") == 0 ||
		    strcmp(kv->key, "boot_trace_enabled") == 0 ||
		    strcmp(kv->key, "serial_mirror") == 0) {
			if (!want(file, kv, key, TOML_BOOL))
				continue;
			if (kv->key[0] == 'e') {
				c->enabled = kv->val.u.b;
				set_src(c, K_ENABLED, label);
			} else if (kv->key[0] == 'b') {
				c->boot_trace = kv->val.u.b;
				set_src(c, K_BOOT_TRACE, label);
			} else {
				c->serial = kv->val.u.b;
				set_src(c, K_SERIAL, label);
			}
		} else if (strcmp(kv->key, "ring_buffer_bytes") == 0) {
			if (!want(file, kv, key, TOML_INTEGER))
				continue;
			if (kv->val.u.i < RING_MIN || kv->val.u.i > RING_MAX) {
				cerr(file, kv->line, kv->col, key, "must be in "
				    "%d..%d, got %lld", RING_MIN, RING_MAX,
				    (long long)kv->val.u.i);
				continue;
			}
			c->ring = kv->val.u.i;
			set_src(c, K_RING, label);
		} else if (strcmp(kv->key, "min_level") == 0) {
			if (!want_plain_string(file, kv, key))
				continue;
			lv = find_level(kv->val.u.s.ptr);
			if (lv < 0) {
				cerr(file, kv->line, kv->col, key, "unknown "
				    "level \"%s\" (expected off, trace, debug, "
				    "info, warn, error or fatal)",
				    kv->val.u.s.ptr);
				continue;
			}
			c->min_level = lv;
			set_src(c, K_MIN_LEVEL, label);
		} else if (strcmp(kv->key, "categories") == 0) {
			if (!want(file, kv, key, TOML_TABLE))
				continue;
			cats = kv->val.u.tab;
			for (j = 0; j < cats->len; j++) {
				ckv = &cats->items[j];
				snprintf(key, sizeof(key),
				    "logging.categories.%s", ckv->key);
				found = -1;
				for (lv = 0; lv < RUSTOS_LOG_CAT_COUNT; lv++)
					if (strcmp(cat_names[lv], ckv->key) ==
					    0)
						found = lv;
				if (found < 0) {
					cerr(file, ckv->line, ckv->col, key,
					    "unknown log category");
					continue;
				}
				if (!want_plain_string(file, ckv, key))
					continue;
				lv = find_level(ckv->val.u.s.ptr);
				if (lv < 0) {
					cerr(file, ckv->line, ckv->col, key,
					    "unknown level \"%s\" (expected "
					    "off, trace, debug, info, warn, "
					    "error or fatal)",
					    ckv->val.u.s.ptr);
					continue;
				}
				c->cat[found] = lv;
				set_src(c, K_CAT0 + found, label);
			}
		} else
			cerr(file, kv->line, kv->col, key, "unknown key");
	}
}

/* One array item may itself hold several rules ("a=fail;b=off"). */
static int
check_rules(const char *file, int line, int col, const char *key,
    const char *text)
{
	struct fault_rule rules[FAULT_RULES_MAX];
	struct fault_parse_status st;
	struct fault_rule one;
	enum fault_parse_error e;

	if (fault_rules_parse(text, strlen(text), rules, FAULT_RULES_MAX,
	    &st) >= 0) {
		e = fault_rule_parse_one(text, strlen(text), &one);
		if (e == FAULT_ERR_EMPTY_RULE) {
			cerr(file, line, col, key, "%s",
			    fault_parse_error_str(e));
			return (-1);
		}
		return (0);
	}
	cerr(file, line, col, key, "rule \"%.*s\": %s", (int)st.length,
	    text + st.offset, fault_parse_error_str(st.error));
	return (-1);
}

static void
load_faults(struct config *c, const char *file, const char *label,
    const struct toml_table *t)
{
	const struct toml_keyval *kv;
	const struct toml_value *v;
	struct strvec rules = { 0 };
	char key[96];
	const char *b;
	size_t i, j, bl;
	int bad;

	for (i = 0; i < t->len; i++) {
		kv = &t->items[i];
		snprintf(key, sizeof(key), "fault_injection.%s", kv->key);
		if (strcmp(kv->key, "enabled") == 0) {
			if (!want(file, kv, key, TOML_BOOL))
				continue;
			c->fi_enabled = kv->val.u.b;
			set_src(c, K_FI_ENABLED, label);
		} else if (strcmp(kv->key, "rules") == 0) {
			if (!want(file, kv, key, TOML_ARRAY))
				continue;
			bad = 0;
			for (j = 0; j < kv->val.u.arr->len; j++) {
				v = &kv->val.u.arr->items[j];
				snprintf(key, sizeof(key),
				    "fault_injection.rules[%zu]", j);
				if (v->type != TOML_STRING) {
					cerr(file, v->line, v->col, key,
					    "must be of type string, got %s",
					    toml_type_name(v->type));
					bad = 1;
					continue;
				}
				if (strlen(v->u.s.ptr) != v->u.s.len ||
				    check_rules(file, v->line, v->col, key,
				    v->u.s.ptr) != 0) {
					bad = 1;
					continue;
				}
				/* Outer blanks go; the parser trims too. */
				b = v->u.s.ptr + strspn(v->u.s.ptr, " \t\r\n");
				bl = strlen(b);
				while (bl > 0 && strchr(" \t\r\n", b[bl - 1]) !=
				    NULL)
					bl--;
				sv_push_owned(&rules, xasprintf("%.*s", (int)bl,
				    b));
			}
			if (!bad) {
				sv_free(&c->rules);
				c->rules = rules;
				memset(&rules, 0, sizeof(rules));
				set_src(c, K_FI_RULES, label);
			}
			sv_free(&rules);
		} else
			cerr(file, kv->line, kv->col, key, "unknown key");
	}
}

static void
load_kernel_build(struct config *c, const char *file, const char *label,
    const struct toml_table *t)
{
	const struct toml_keyval *kv;
	const struct toml_value *v;
	struct strvec extra = { 0 };
	char key[96];
	const char *s;
	size_t i, j;
	int bad;

	for (i = 0; i < t->len; i++) {
		kv = &t->items[i];
		snprintf(key, sizeof(key), "kernel.build.%s", kv->key);
		if (strcmp(kv->key, "opt_level") == 0) {
			if (kv->val.type == TOML_INTEGER &&
			    kv->val.u.i >= 0 && kv->val.u.i <= 3) {
				c->opt[0] = (char)('0' + kv->val.u.i);
			} else if (kv->val.type == TOML_STRING &&
			    (strcmp(kv->val.u.s.ptr, "s") == 0 ||
			    (kv->val.u.s.len == 1 && kv->val.u.s.ptr[0] >=
			    '0' && kv->val.u.s.ptr[0] <= '3'))) {
				c->opt[0] = kv->val.u.s.ptr[0];
			} else {
				cerr(file, kv->line, kv->col, key, "must be 0, "
				    "1, 2, 3 or \"s\"");
				continue;
			}
			c->opt[1] = '\0';
			set_src(c, K_OPT, label);
		} else if (strcmp(kv->key, "lto") == 0) {
			if (kv->val.type == TOML_BOOL)
				s = kv->val.u.b ? "on" : "off";
			else if (kv->val.type == TOML_STRING &&
			    in_set(lto_values, kv->val.u.s.ptr))
				s = kv->val.u.s.ptr;
			else {
				cerr(file, kv->line, kv->col, key, "must be "
				    "\"off\", \"on\", \"thin\" or \"fat\"");
				continue;
			}
			c->lto = strcmp(s, "off") == 0 ? "off" :
			    strcmp(s, "on") == 0 ? "on" :
			    strcmp(s, "thin") == 0 ? "thin" : "fat";
			set_src(c, K_LTO, label);
		} else if (strcmp(kv->key, "force_frame_pointers") == 0 ||
		    strcmp(kv->key, "strip") == 0) {
			if (!want(file, kv, key, TOML_BOOL))
				continue;
			if (kv->key[0] == 'f') {
				c->fp = kv->val.u.b;
				set_src(c, K_FP, label);
			} else {
				c->strip = kv->val.u.b;
				set_src(c, K_STRIP, label);
			}
		} else if (strcmp(kv->key, "debuginfo") == 0) {
			if (!want(file, kv, key, TOML_INTEGER))
				continue;
			if (kv->val.u.i < 0 || kv->val.u.i > 2) {
				cerr(file, kv->line, kv->col, key, "must be 0, "
				    "1 or 2, got %lld",
				    (long long)kv->val.u.i);
				continue;
			}
			c->debuginfo = (int)kv->val.u.i;
			set_src(c, K_DEBUGINFO, label);
		} else if (strcmp(kv->key, "relocation_model") == 0) {
			if (!want_plain_string(file, kv, key))
				continue;
			if (!in_set(reloc_values, kv->val.u.s.ptr)) {
				cerr(file, kv->line, kv->col, key, "must be "
				    "\"static\", \"pic\" or \"pie\", got \"%s\"",
				    kv->val.u.s.ptr);
				continue;
			}
			c->reloc = strcmp(kv->val.u.s.ptr, "static") == 0 ?
			    "static" : strcmp(kv->val.u.s.ptr, "pic") == 0 ?
			    "pic" : "pie";
			set_src(c, K_RELOC, label);
		} else if (strcmp(kv->key, "extra_cflags") == 0) {
			if (!want(file, kv, key, TOML_ARRAY))
				continue;
			bad = 0;
			for (j = 0; j < kv->val.u.arr->len; j++) {
				v = &kv->val.u.arr->items[j];
				if (v->type != TOML_STRING ||
				    v->u.s.len == 0 ||
				    strlen(v->u.s.ptr) != v->u.s.len ||
				    strpbrk(v->u.s.ptr, " \t\r\n") != NULL) {
					cerr(file, v->line, v->col, key,
					    "item %zu must be one non-empty "
					    "flag without blanks", j);
					bad = 1;
					continue;
				}
				sv_push(&extra, v->u.s.ptr);
			}
			if (!bad) {
				sv_free(&c->extra);
				c->extra = extra;
				memset(&extra, 0, sizeof(extra));
				set_src(c, K_EXTRA, label);
			}
			sv_free(&extra);
		} else if (strcmp(kv->key, "codegen_units") == 0) {
			if (!want(file, kv, key, TOML_INTEGER))
				continue;
			if (kv->val.u.i < 1 || kv->val.u.i > 256) {
				cerr(file, kv->line, kv->col, key, "must be in "
				    "1..256, got %lld", (long long)kv->val.u.i);
				continue;
			}
			c->cgu = (int)kv->val.u.i;
			set_src(c, K_CGU, label);
		} else
			cerr(file, kv->line, kv->col, key, "unknown key");
	}
}

static struct toml_table *
parse_config_file(const char *path)
{
	struct toml_error err;
	struct toml_table *root;

	memset(&err, 0, sizeof(err));
	root = toml_parse_file(path, &err);
	if (root == NULL) {
		if (err.line > 0)
			diag_error("failed to parse %s:%d:%d: %s", path,
			    err.line, err.col, err.msg);
		else
			diag_error("failed to read %s: %s", path, err.msg);
	}
	return (root);
}

static const struct toml_table *
sub_table(const char *file, const struct toml_table *t, const char *key,
    const char *full)
{
	const struct toml_keyval *kv;

	kv = toml_table_get_kv(t, key);
	if (kv == NULL)
		return (NULL);
	if (!want(file, kv, full, TOML_TABLE))
		return (NULL);
	return (kv->val.u.tab);
}

static void
load_file(struct config *c, const char *file, const char *label)
{
	const struct toml_table *root, *kern, *t;
	const struct toml_keyval *kv;
	size_t i, j;

	root = parse_config_file(file);
	if (root == NULL)
		return;
	for (i = 0; i < root->len; i++) {
		kv = &root->items[i];
		if (strcmp(kv->key, "logging") == 0) {
			if (want(file, kv, "logging", TOML_TABLE))
				load_logging(c, file, label, kv->val.u.tab);
		} else if (strcmp(kv->key, "fault_injection") == 0) {
			if (want(file, kv, "fault_injection", TOML_TABLE))
				load_faults(c, file, label, kv->val.u.tab);
		} else if (strcmp(kv->key, "kernel") == 0) {
			if (!want(file, kv, "kernel", TOML_TABLE))
				continue;
			kern = kv->val.u.tab;
			for (j = 0; j < kern->len; j++)
				if (strcmp(kern->items[j].key, "build") != 0)
					cerr(file, kern->items[j].line,
					    kern->items[j].col, "kernel",
					    "unknown key '%s'",
					    kern->items[j].key);
			t = sub_table(file, kern, "build", "kernel.build");
			if (t != NULL)
				load_kernel_build(c, file, label, t);
		} else
			cerr(file, kv->line, kv->col, kv->key,
			    "unknown section or key");
	}
	toml_free((struct toml_table *)root);
}

/* Only [kernel.build] of $KERNEL_BUILD_CONFIG is taken. */
static void
load_kernel_build_file(struct config *c, const char *file)
{
	const struct toml_table *root, *kern, *t;
	char *label;

	root = parse_config_file(file);
	if (root == NULL)
		return;
	label = xasprintf("override %s (KERNEL_BUILD_CONFIG)", file);
	kern = sub_table(file, root, "kernel", "kernel");
	t = kern != NULL ? sub_table(file, kern, "build", "kernel.build") :
	    NULL;
	if (t != NULL)
		load_kernel_build(c, file, label, t);
	free(label);
	toml_free((struct toml_table *)root);
}

static int
parse_bool_word(const char *s, int *out)
{

	if (strcmp(s, "1") == 0 || strcmp(s, "true") == 0 ||
	    strcmp(s, "yes") == 0 || strcmp(s, "on") == 0)
		*out = 1;
	else if (strcmp(s, "0") == 0 || strcmp(s, "false") == 0 ||
	    strcmp(s, "no") == 0 || strcmp(s, "off") == 0)
		*out = 0;
	else
		return (-1);
	return (0);
}

static void
env_error(const char *var, const char *val, const char *want_text)
{

	diag_error("environment %s=\"%s\": %s", var, val, want_text);
}

static void
load_env(struct config *c)
{
	const char *v;
	char *label, *end, *tok, *copy, *save;
	long n;
	int b;

	if ((v = getenv("RUSTOS_KERNEL_OPT_LEVEL")) != NULL) {
		if ((strlen(v) == 1 && v[0] >= '0' && v[0] <= '3') ||
		    strcmp(v, "s") == 0) {
			c->opt[0] = v[0];
			c->opt[1] = '\0';
			set_src(c, K_OPT,
			    "environment RUSTOS_KERNEL_OPT_LEVEL");
		} else
			env_error("RUSTOS_KERNEL_OPT_LEVEL", v,
			    "must be 0, 1, 2, 3 or s");
	}
	if ((v = getenv("RUSTOS_KERNEL_LTO")) != NULL) {
		if (in_set(lto_values, v) || parse_bool_word(v, &b) == 0) {
			c->lto = strcmp(v, "thin") == 0 ? "thin" :
			    strcmp(v, "fat") == 0 ? "fat" :
			    parse_bool_word(v, &b) == 0 ? (b ? "on" : "off") :
			    "on";
			set_src(c, K_LTO, "environment RUSTOS_KERNEL_LTO");
		} else
			env_error("RUSTOS_KERNEL_LTO", v,
			    "must be off, on, thin, fat or a boolean");
	}
	if ((v = getenv("RUSTOS_KERNEL_FORCE_FRAME_POINTERS")) != NULL) {
		if (parse_bool_word(v, &c->fp) == 0)
			set_src(c, K_FP,
			    "environment RUSTOS_KERNEL_FORCE_FRAME_POINTERS");
		else
			env_error("RUSTOS_KERNEL_FORCE_FRAME_POINTERS", v,
			    "must be 1/true/yes/on or 0/false/no/off");
	}
	if ((v = getenv("RUSTOS_KERNEL_STRIP")) != NULL) {
		if (parse_bool_word(v, &c->strip) == 0)
			set_src(c, K_STRIP, "environment RUSTOS_KERNEL_STRIP");
		else
			env_error("RUSTOS_KERNEL_STRIP", v,
			    "must be 1/true/yes/on or 0/false/no/off");
	}
	if ((v = getenv("RUSTOS_KERNEL_DEBUGINFO")) != NULL) {
		if (strlen(v) == 1 && v[0] >= '0' && v[0] <= '2') {
			c->debuginfo = v[0] - '0';
			set_src(c, K_DEBUGINFO,
			    "environment RUSTOS_KERNEL_DEBUGINFO");
		} else
			env_error("RUSTOS_KERNEL_DEBUGINFO", v,
			    "must be 0, 1 or 2");
	}
	if ((v = getenv("RUSTOS_KERNEL_RELOCATION_MODEL")) != NULL) {
		if (in_set(reloc_values, v)) {
			c->reloc = strcmp(v, "static") == 0 ? "static" :
			    strcmp(v, "pic") == 0 ? "pic" : "pie";
			set_src(c, K_RELOC,
			    "environment RUSTOS_KERNEL_RELOCATION_MODEL");
		} else
			env_error("RUSTOS_KERNEL_RELOCATION_MODEL", v,
			    "must be static, pic or pie");
	}
	if ((v = getenv("RUSTOS_KERNEL_EXTRA_CFLAGS")) != NULL) {
		sv_free(&c->extra);
		copy = xstrdup(v);
		for (tok = strtok_r(copy, " \t\r\n", &save); tok != NULL;
		    tok = strtok_r(NULL, " \t\r\n", &save))
			sv_push(&c->extra, tok);
		free(copy);
		set_src(c, K_EXTRA, "environment RUSTOS_KERNEL_EXTRA_CFLAGS");
	}
	label = NULL;
	if ((v = getenv("RUSTOS_KERNEL_CODEGEN_UNITS")) != NULL)
		label = "environment RUSTOS_KERNEL_CODEGEN_UNITS";
	else if ((v = getenv("KERNEL_CODEGEN_UNITS")) != NULL)
		label = "environment KERNEL_CODEGEN_UNITS (deprecated)";
	if (v != NULL) {
		errno = 0;
		n = strtol(v, &end, 10);
		if (errno != 0 || *v == '\0' || *end != '\0' || n < 1 ||
		    n > 256)
			env_error(label + strlen("environment "), v,
			    "must be in 1..256");
		else {
			c->cgu = (int)n;
			set_src(c, K_CGU, label);
		}
	}
}

static int
ends_with(const char *s, const char *x)
{
	size_t n, k;

	n = strlen(s);
	k = strlen(x);
	return (n >= k && strcmp(s + n - k, x) == 0);
}

/* Load everything; returns 0 or 1 when any error was printed. */
static int
cfg_load(struct config *c, const char *opt_path)
{
	const char *env, *kb;
	int before, i;

	before = diag_errors;
	cfg_defaults(c);
	env = getenv("RUSTOS_CONFIG");
	if (env != NULL && env[0] != '\0') {
		c->file = xstrdup(env);
		c->file_label = xasprintf("override %s", env);
	} else if (opt_path != NULL) {
		c->file = xstrdup(opt_path);
		c->file_label = (ends_with(opt_path, "/config/rustos.toml") ||
		    strcmp(opt_path, "config/rustos.toml") == 0) ?
		    xstrdup("canonical config/rustos.toml") :
		    xasprintf("override %s", opt_path);
	} else if (is_file("config/rustos.toml")) {
		c->file = xstrdup("config/rustos.toml");
		c->file_label = xstrdup("canonical config/rustos.toml");
	}
	if (c->file != NULL)
		load_file(c, c->file, c->file_label);
	kb = getenv("KERNEL_BUILD_CONFIG");
	if (kb != NULL && kb[0] != '\0')
		load_kernel_build_file(c, kb);
	load_env(c);
	for (i = 0; i < RUSTOS_LOG_CAT_COUNT; i++)
		if (c->cat[i] < 0) {
			c->cat[i] = c->min_level;
			if (strcmp(c->src[K_CAT0 + i], "built-in defaults") == 0)
				set_src(c, K_CAT0 + i,
				    "built-in defaults (min_level)");
		}
	return (diag_errors != before);
}

static void
kernel_cflags(const struct config *c, struct strbuf *sb)
{
	size_t i;

	sb_printf(sb, "-O%s", c->opt);
	if (strcmp(c->lto, "off") != 0)
		sb_puts(sb, " -flto");
	if (strcmp(c->lto, "fat") == 0)
		sb_puts(sb, " -ffat-lto-objects");
	if (c->fp)
		sb_puts(sb, " -fno-omit-frame-pointer "
		    "-mno-omit-leaf-frame-pointer");
	else
		sb_puts(sb, " -fomit-frame-pointer");
	sb_printf(sb, " -g%d", c->debuginfo);
	if (strcmp(c->reloc, "static") == 0)
		sb_puts(sb, " -fno-pic -fno-pie");
	else if (strcmp(c->reloc, "pic") == 0)
		sb_puts(sb, " -fpic");
	else
		sb_puts(sb, " -fpie");
	for (i = 0; i < c->extra.n; i++)
		sb_printf(sb, " %s", c->extra.v[i]);
}

static void
kernel_ldflags(const struct config *c, struct strbuf *sb)
{

	if (c->strip)
		sb_puts(sb, "-s");
	if (strcmp(c->reloc, "pie") == 0)
		sb_printf(sb, "%s-pie", sb->len ? " " : "");
}

static void
show_val(const struct config *c, int k, const char *key, const char *fmt,
    ...) PKG_PRINTF(4, 5);

static void
show_val(const struct config *c, int k, const char *key, const char *fmt,
    ...)
{
	va_list ap;

	printf("%s = ", key);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("  # source: %s\n", c->src[k]);
}

static void
show_toml_string(const char *s)
{

	putchar('"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", (unsigned char)*s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void
cfg_show(const struct config *c)
{
	struct strbuf sb = { 0 };
	size_t i;
	int k;

	printf("# effective RustOS configuration (rustos-pkg config show)\n");
	if (c->file != NULL)
		printf("# config file: %s\n", c->file_label);
	else
		printf("# config file: none (built-in defaults)\n");
	printf("\n[logging]\n");
	show_val(c, K_ENABLED, "enabled", "%s", c->enabled ? "true" :
	    "false");
	show_val(c, K_BOOT_TRACE, "boot_trace_enabled", "%s", c->boot_trace ?
	    "true" : "false");
	show_val(c, K_SERIAL, "serial_mirror", "%s", c->serial ? "true" :
	    "false");
	show_val(c, K_RING, "ring_buffer_bytes", "%lld", c->ring);
	show_val(c, K_MIN_LEVEL, "min_level", "\"%s\"",
	    level_names[c->min_level]);
	printf("\n[logging.categories]\n");
	for (k = 0; k < RUSTOS_LOG_CAT_COUNT; k++)
		show_val(c, K_CAT0 + k, cat_names[k], "\"%s\"",
		    level_names[c->cat[k]]);
	printf("\n[fault_injection]\n");
	show_val(c, K_FI_ENABLED, "enabled", "%s", c->fi_enabled ? "true" :
	    "false");
	printf("rules = [");
	for (i = 0; i < c->rules.n; i++) {
		printf("%s", i ? ", " : "");
		show_toml_string(c->rules.v[i]);
	}
	printf("]  # source: %s\n", c->src[K_FI_RULES]);
	printf("\n[kernel.build]\n");
	if (strcmp(c->opt, "s") == 0)
		show_val(c, K_OPT, "opt_level", "\"s\"");
	else
		show_val(c, K_OPT, "opt_level", "%s", c->opt);
	show_val(c, K_LTO, "lto", "\"%s\"", c->lto);
	show_val(c, K_FP, "force_frame_pointers", "%s", c->fp ? "true" :
	    "false");
	show_val(c, K_DEBUGINFO, "debuginfo", "%d", c->debuginfo);
	show_val(c, K_STRIP, "strip", "%s", c->strip ? "true" : "false");
	show_val(c, K_RELOC, "relocation_model", "\"%s\"", c->reloc);
	printf("extra_cflags = [");
	for (i = 0; i < c->extra.n; i++) {
		printf("%s", i ? ", " : "");
		show_toml_string(c->extra.v[i]);
	}
	printf("]  # source: %s\n", c->src[K_EXTRA]);
	show_val(c, K_CGU, "codegen_units", "%d", c->cgu);
	kernel_cflags(c, &sb);
	printf("# kernel CFLAGS: %s\n", sb_str(&sb));
	sb_free(&sb);
	kernel_ldflags(c, &sb);
	printf("# kernel LDFLAGS: %s\n", sb_str(&sb));
	sb_free(&sb);
}

static void
upper(struct strbuf *sb, const char *s)
{

	for (; *s != '\0'; s++)
		sb_putc(sb, (*s >= 'a' && *s <= 'z') ? (char)(*s - 32) : *s);
}

static int
cfg_log_header(const struct config *c, const char *output)
{
	struct strbuf sb = { 0 };
	int k, rc;

	sb_puts(&sb, "/*\n * rustos/log_config.h -- compiled-in logging "
	    "configuration.\n * Generated by `rustos-pkg config log-header` "
	    "from config/rustos.toml\n * [logging]; do not edit.\n */\n"
	    "#ifndef RUSTOS_LOG_CONFIG_H\n#define RUSTOS_LOG_CONFIG_H\n\n"
	    "#include <rustos/observability.h>\n\n");
	sb_printf(&sb, "#define RUSTOS_LOG_ENABLED %d\n", c->enabled);
	sb_printf(&sb, "#define RUSTOS_LOG_BOOT_TRACE_ENABLED %d\n",
	    c->boot_trace);
	sb_printf(&sb, "#define RUSTOS_LOG_SERIAL_MIRROR %d\n", c->serial);
	sb_printf(&sb, "#define RUSTOS_LOG_RING_BUFFER_BYTES %lld\n",
	    c->ring);
	sb_puts(&sb, "#define RUSTOS_LOG_MIN_LEVEL RUSTOS_LOG_LEVEL_");
	upper(&sb, level_names[c->min_level]);
	sb_puts(&sb, "\n\n");
	for (k = 0; k < RUSTOS_LOG_CAT_COUNT; k++) {
		sb_puts(&sb, "#define RUSTOS_LOG_THRESHOLD_");
		upper(&sb, cat_names[k]);
		sb_puts(&sb, " RUSTOS_LOG_LEVEL_");
		upper(&sb, level_names[c->cat[k]]);
		sb_putc(&sb, '\n');
	}
	sb_puts(&sb, "\n#endif /* RUSTOS_LOG_CONFIG_H */\n");
	rc = write_file_if_changed(output, sb.buf, sb.len);
	if (rc != 0)
		diag_error("cannot write %s: %s", output, strerror(-rc));
	sb_free(&sb);
	return (rc != 0);
}

/*
 * RUSTOS_FAULTS, when set and not blank, replaces the config rules (as
 * `make run FAULTS=...` does); it is validated the same way.
 */
static int
cfg_fault_rules(const struct config *c)
{
	struct fault_rule rules[FAULT_RULES_MAX];
	struct fault_parse_status st;
	struct strbuf sb = { 0 };
	const char *env;
	size_t i;
	int rc, from_env;

	env = getenv("RUSTOS_FAULTS");
	from_env = env != NULL && env[strspn(env, " \t\r\n")] != '\0';
	if (from_env)
		sb_puts(&sb, env);
	else if (c->fi_enabled)
		for (i = 0; i < c->rules.n; i++) {
			if (i > 0)
				sb_putc(&sb, ';');
			sb_puts(&sb, c->rules.v[i]);
		}
	rc = 0;
	if (sb.len > 0 && fault_rules_parse(sb.buf, sb.len, rules,
	    FAULT_RULES_MAX, &st) < 0) {
		diag_error("%s: rule \"%.*s\": %s", from_env ?
		    "RUSTOS_FAULTS" : "fault_injection.rules",
		    (int)st.length, sb.buf + st.offset,
		    fault_parse_error_str(st.error));
		rc = 1;
	} else if (sb.len > 0)
		printf("%s\n", sb.buf);
	sb_free(&sb);
	return (rc);
}

static void
config_usage(void)
{

	fprintf(stderr, "usage: rustos-pkg config check|show|log-header|"
	    "kernel-cflags|kernel-ldflags|fault-rules [--config PATH] "
	    "[--output FILE]\n");
}

int
config_main(int argc, char **argv)
{
	struct config c;
	struct strbuf sb = { 0 };
	const char *sub, *path, *output;
	int i, rc;

	if (argc < 2) {
		config_usage();
		return (2);
	}
	sub = argv[1];
	path = output = NULL;
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (strcmp(argv[i], "--output") == 0 && i + 1 < argc)
			output = argv[++i];
		else {
			fprintf(stderr, "rustos-pkg config: unexpected "
			    "argument %s\n", argv[i]);
			config_usage();
			return (2);
		}
	}
	if (strcmp(sub, "check") != 0 && strcmp(sub, "show") != 0 &&
	    strcmp(sub, "log-header") != 0 &&
	    strcmp(sub, "kernel-cflags") != 0 &&
	    strcmp(sub, "kernel-ldflags") != 0 &&
	    strcmp(sub, "fault-rules") != 0) {
		config_usage();
		return (2);
	}
	if (strcmp(sub, "log-header") == 0 && output == NULL) {
		fprintf(stderr, "rustos-pkg config log-header: --output FILE "
		    "is required\n");
		return (2);
	}
	rc = cfg_load(&c, path);
	if (rc != 0) {
		diag_error("config %s: invalid configuration",
		    c.file != NULL ? c.file : "(defaults)");
		cfg_free(&c);
		return (1);
	}
	if (strcmp(sub, "check") == 0)
		printf("config ok: %s\n", c.file != NULL ? c.file_label :
		    "built-in defaults");
	else if (strcmp(sub, "show") == 0)
		cfg_show(&c);
	else if (strcmp(sub, "log-header") == 0)
		rc = cfg_log_header(&c, output);
	else if (strcmp(sub, "kernel-cflags") == 0) {
		kernel_cflags(&c, &sb);
		printf("%s\n", sb_str(&sb));
	} else if (strcmp(sub, "kernel-ldflags") == 0) {
		kernel_ldflags(&c, &sb);
		printf("%s\n", sb_str(&sb));
	} else
		rc = cfg_fault_rules(&c);
	sb_free(&sb);
	cfg_free(&c);
	return (rc);
}
