/*
 * table.c -- runtimed's pure logic (runtimed.h): registry loading through
 * libruntime-control's parsers, resolving a launch request, building the
 * loaderd SPAWN request, and the table of launched programs.
 *
 * Invariants: run[] slots with pid 0 are free; a pid is in the table only
 * while runtimed has not reaped it; strings in the table always fit the
 * wire record (truncated on entry, NUL-terminated).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "services/runtimed/runtimed.h"

/* Call fn for each line (without its '\n') with its 1-based number. */
static void
each_line(const char *buf, size_t len, void (*fn)(struct rtd_state *,
    const char *, size_t, unsigned, const char *, rtd_bad_fn *),
    struct rtd_state *s, const char *file, rtd_bad_fn *bad)
{
	size_t i = 0, e;
	unsigned lineno = 0;

	while (i < len) {
		for (e = i; e < len && buf[e] != '\n'; e++)
			;
		lineno++;
		fn(s, buf + i, e - i, lineno, file, bad);
		i = e + 1;
	}
}

static void
report(rtd_bad_fn *bad, const char *file, unsigned lineno,
    const struct rustos_registry_error *err)
{
	struct rtd_bad b;

	if (bad == NULL)
		return;
	b.column = err->column;
	b.rule = err->rule != NULL ? err->rule : "malformed line";
	bad(file, lineno, &b);
}

static void
program_line(struct rtd_state *s, const char *line, size_t len,
    unsigned lineno, const char *file, rtd_bad_fn *bad)
{
	struct rustos_registry_error err;
	struct rtd_bad b;
	int r;

	if (s->nprogs == RTD_MAX_REG) {
		b.column = 1;
		b.rule = "too many programs";
		if (bad != NULL && line[0] != '#' && len > 0)
			bad(file, lineno, &b);
		return;
	}
	memset(&err, 0, sizeof(err));
	r = runtime_control_parse_desktop_program(line, len,
	    &s->progs[s->nprogs], &err);
	if (r < 0)
		report(bad, file, lineno, &err);
	else if (r == 0)
		s->nprogs++;
}

static void
env_line(struct rtd_state *s, const char *line, size_t len, unsigned lineno,
    const char *file, rtd_bad_fn *bad)
{
	struct rustos_registry_error err;
	struct rustos_registry_env_entry e;
	int r;

	memset(&err, 0, sizeof(err));
	r = runtime_control_parse_runtime_env(line, len, "runtime", &e, &err);
	if (r < 0)
		report(bad, file, lineno, &err);
	else if (r == 0 && s->nenv < RTD_MAX_ENV)
		s->env[s->nenv++] = e;
}

void
rtd_load_programs(struct rtd_state *s, const char *buf, size_t len,
    const char *file, rtd_bad_fn *bad)
{
	each_line(buf, len, program_line, s, file, bad);
}

void
rtd_load_env(struct rtd_state *s, const char *buf, size_t len,
    const char *file, rtd_bad_fn *bad)
{
	each_line(buf, len, env_line, s, file, bad);
}

/* "/" + p unless p is absolute; -ENAMETOOLONG when it does not fit. */
static int
abs_path(const char *p, char *out, size_t cap)
{
	int n;

	n = snprintf(out, cap, "%s%s", p[0] == '/' ? "" : "/", p);
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

/* Copy src into dst[cap], cut to fit (the wire record's field sizes). */
static void
copy_trunc(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static const char *
basename_of(const char *p)
{
	const char *b = strrchr(p, '/');

	return b != NULL ? b + 1 : p;
}

static void
from_entry(const struct rtd_state *s, size_t i, struct rtd_launch *out)
{
	const struct rustos_registry_desktop_program *d = &s->progs[i];

	copy_trunc(out->desktop_id, sizeof(out->desktop_id), d->desktop_id);
	copy_trunc(out->display_name, sizeof(out->display_name),
	    d->display_name);
	out->weight_micros = d->weight_micros;
	out->program_id = (uint32_t)i + 1;
	out->entry = d;
}

int
rtd_resolve(const struct rtd_state *s, const char *text,
    struct rtd_launch *out)
{
	char p[LOADER_EXEC_PATH_MAX];
	size_t i;
	int r;

	memset(out, 0, sizeof(*out));
	if (text == NULL || text[0] == '\0')
		return -EINVAL;
	if (text[0] != '/') {
		for (i = 0; i < s->nprogs; i++)
			if (strcmp(s->progs[i].desktop_id, text) == 0)
				break;
		if (i == s->nprogs)
			return -ENOENT;
		r = abs_path(s->progs[i].exec[0] != '\0' ? s->progs[i].exec :
		    s->progs[i].image, out->exec, sizeof(out->exec));
		if (r < 0)
			return r;
		from_entry(s, i, out);
		return 0;
	}
	/* No ".." components: a path names a file of the image as written. */
	if (strstr(text, "/../") != NULL || (strlen(text) >= 3 &&
	    strcmp(text + strlen(text) - 3, "/..") == 0))
		return -EINVAL;
	if (strlen(text) >= sizeof(out->exec))
		return -ENAMETOOLONG;
	copy_trunc(out->exec, sizeof(out->exec), text);
	copy_trunc(out->display_name, sizeof(out->display_name),
	    basename_of(text));
	/* A path of a registry entry launches as that entry. */
	for (i = 0; i < s->nprogs; i++) {
		if (abs_path(s->progs[i].exec, p, sizeof(p)) == 0 &&
		    strcmp(p, text) == 0)
			break;
		if (abs_path(s->progs[i].image, p, sizeof(p)) == 0 &&
		    strcmp(p, text) == 0)
			break;
	}
	if (i < s->nprogs) {
		from_entry(s, i, out);
		/*
		 * Launched by path: the entry's weight, env and name, but no
		 * desktop id in the record and argv = {path} (not its args).
		 */
		out->desktop_id[0] = '\0';
	}
	return 0;
}

/* Append s plus its NUL to a NUL-separated block. */
static int
block_add(uint8_t *b, uint32_t *len, uint32_t *count, size_t cap,
    uint32_t max, const char *str)
{
	size_t l = strlen(str);

	if (*len + l + 1 > cap || *count >= max)
		return -E2BIG;
	memcpy(b + *len, str, l + 1);
	*len += (uint32_t)(l + 1);
	(*count)++;
	return 0;
}

int
rtd_build_spawn(const struct rtd_state *s, const struct rtd_launch *l,
    struct rustos_loader_spawn_request *q)
{
	char kv[1200], split[2048];
	const char *items[64];
	size_t i;
	int n, j;

	memset(q, 0, sizeof(*q));
	q->version = LOADER_IPC_ABI_VERSION;
	q->op = LOADER_IPC_OP_SPAWN;
	/* A program (never a service) leading a session of its own. */
	q->flags = LOADER_SPAWN_FLAG_NEW_SESSION;
	/* The manifest's budget as is (0: loaderd's default). */
	q->weight_micros = l->weight_micros;
	if (strlen(l->exec) >= LOADER_EXEC_PATH_MAX)
		return -ENAMETOOLONG;
	q->exec_path_len = (uint32_t)strlen(l->exec);
	memcpy(q->exec_path, l->exec, q->exec_path_len);
	/* The entry's args only for a desktop-id launch. */
	n = l->entry != NULL && l->desktop_id[0] != '\0' ?
	    runtime_control_split(l->entry->args, '|', split, sizeof(split),
	    items, 64) : 0;
	if (n < 0)
		return -E2BIG;
	if (n == 0) {
		if (block_add(q->argv, &q->argv_len, &q->argc,
		    LOADER_ARGV_BYTES, LOADER_ARGV_MAX, l->exec) < 0)
			return -E2BIG;
	} else
		for (j = 0; j < n; j++)
			if (block_add(q->argv, &q->argv_len, &q->argc,
			    LOADER_ARGV_BYTES, LOADER_ARGV_MAX, items[j]) < 0)
				return -E2BIG;
	for (i = 0; i < s->nenv; i++) {
		snprintf(kv, sizeof(kv), "%s=%s", s->env[i].key,
		    s->env[i].value);
		if (block_add(q->envp, &q->envp_len, &q->envc,
		    LOADER_ENVP_BYTES, LOADER_ENVP_MAX, kv) < 0)
			return -E2BIG;
	}
	n = l->entry != NULL ? runtime_control_split(l->entry->env, '|',
	    split, sizeof(split), items, 64) : 0;
	if (n < 0)
		return -E2BIG;
	for (j = 0; j < n; j++)
		if (block_add(q->envp, &q->envp_len, &q->envc,
		    LOADER_ENVP_BYTES, LOADER_ENVP_MAX, items[j]) < 0)
			return -E2BIG;
	return 0;
}

int
rtd_remember(struct rtd_state *s, uint64_t pid, uint64_t session,
    const struct rtd_launch *l)
{
	struct rtd_running *r;
	size_t i;

	if (pid == 0)
		return -EINVAL;
	for (i = 0; i < RTD_MAX_PROGS; i++)
		if (s->run[i].pid == 0)
			break;
	if (i == RTD_MAX_PROGS)
		return -ENOSPC;
	r = &s->run[i];
	memset(r, 0, sizeof(*r));
	r->pid = pid;
	r->session = session;
	r->program_id = l->program_id;
	copy_trunc(r->desktop_id, sizeof(r->desktop_id), l->desktop_id);
	copy_trunc(r->display_name, sizeof(r->display_name), l->display_name);
	copy_trunc(r->exec, sizeof(r->exec), l->exec);
	return 0;
}

int
rtd_forget(struct rtd_state *s, uint64_t pid)
{
	size_t i;

	for (i = 0; i < RTD_MAX_PROGS; i++)
		if (pid != 0 && s->run[i].pid == pid) {
			memset(&s->run[i], 0, sizeof(s->run[i]));
			return 0;
		}
	return -ESRCH;
}

const struct rtd_running *
rtd_find(const struct rtd_state *s, uint64_t pid)
{
	size_t i;

	for (i = 0; i < RTD_MAX_PROGS; i++)
		if (pid != 0 && s->run[i].pid == pid)
			return &s->run[i];
	return NULL;
}

size_t
rtd_match(const struct rtd_state *s, int by_session, uint64_t value,
    uint64_t *pids, size_t max)
{
	size_t i, n = 0;

	if (value == 0)
		return 0;
	for (i = 0; i < RTD_MAX_PROGS && n < max; i++) {
		if (s->run[i].pid == 0)
			continue;
		if (by_session ? s->run[i].session == value :
		    s->run[i].pid == value)
			pids[n++] = s->run[i].pid;
	}
	return n;
}

uint32_t
rtd_snapshot(const struct rtd_state *s,
    struct rustos_runtime_control_record *recs, uint32_t max)
{
	const struct rtd_running *r;
	uint32_t n = 0;
	size_t i;

	for (i = 0; i < RTD_MAX_PROGS && n < max; i++) {
		r = &s->run[i];
		if (r->pid == 0)
			continue;
		/* The table's strings fit the record (copy_trunc above). */
		if (runtime_control_record_fill(&recs[n], r->pid,
		    r->program_id, r->session, r->desktop_id, r->display_name,
		    r->exec) == 0)
			n++;
	}
	return n;
}
