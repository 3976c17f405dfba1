/*
 * util.c -- allocation, buffers, diagnostics and file-system helpers for
 * rustos-pkg (see util.h).
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

int diag_errors;
int diag_warnings;
int diag_quiet;

static void
oom(void)
{

	fputs("rustos-pkg: out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p;

	p = malloc(n ? n : 1);
	if (p == NULL)
		oom();
	return (p);
}

void *
xcalloc(size_t n, size_t size)
{
	void *p;

	p = calloc(n ? n : 1, size ? size : 1);
	if (p == NULL)
		oom();
	return (p);
}

void *
xrealloc(void *p, size_t n)
{

	p = realloc(p, n ? n : 1);
	if (p == NULL)
		oom();
	return (p);
}

char *
xstrdup(const char *s)
{
	size_t n;
	char *p;

	n = strlen(s);
	p = xmalloc(n + 1);
	memcpy(p, s, n + 1);
	return (p);
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return (p);
}

void
sb_add(struct strbuf *sb, const char *s, size_t n)
{

	if (sb->len + n + 1 > sb->cap) {
		sb->cap = (sb->len + n + 1) * 2 + 64;
		sb->buf = xrealloc(sb->buf, sb->cap);
	}
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void
sb_puts(struct strbuf *sb, const char *s)
{

	sb_add(sb, s, strlen(s));
}

void
sb_putc(struct strbuf *sb, char c)
{

	sb_add(sb, &c, 1);
}

void
sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb_add(sb, p, (size_t)n);
	free(p);
}

const char *
sb_str(struct strbuf *sb)
{

	return (sb->buf != NULL ? sb->buf : "");
}

void
sb_free(struct strbuf *sb)
{

	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

void
sv_push_owned(struct strvec *sv, char *s)
{

	if (sv->n == sv->cap) {
		sv->cap = sv->cap * 2 + 8;
		sv->v = xrealloc(sv->v, sv->cap * sizeof(*sv->v));
	}
	sv->v[sv->n++] = s;
}

void
sv_push(struct strvec *sv, const char *s)
{

	sv_push_owned(sv, xstrdup(s));
}

static int
cmp_str(const void *a, const void *b)
{

	return (strcmp(*(char *const *)a, *(char *const *)b));
}

void
sv_sort(struct strvec *sv)
{

	if (sv->n > 1)
		qsort(sv->v, sv->n, sizeof(*sv->v), cmp_str);
}

int
sv_contains(const struct strvec *sv, const char *s)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return (1);
	return (0);
}

void
sv_free(struct strvec *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

void
diag_error(const char *fmt, ...)
{
	va_list ap;

	diag_errors++;
	if (diag_quiet)
		return;
	fputs("rustos-pkg: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
diag_warn(const char *fmt, ...)
{
	va_list ap;

	diag_warnings++;
	if (diag_quiet)
		return;
	fputs("rustos-pkg: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

char *
read_whole_file(const char *path, size_t max, size_t *lenp)
{
	struct strbuf sb = { 0 };
	char chunk[65536];
	ssize_t n;
	int fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return (NULL);
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			goto fail;
		}
		if (n == 0)
			break;
		if (sb.len + (size_t)n > max) {
			saved = EFBIG;
			goto fail;
		}
		sb_add(&sb, chunk, (size_t)n);
	}
	close(fd);
	if (sb.buf == NULL)
		sb_add(&sb, "", 0);
	*lenp = sb.len;
	return (sb.buf);
fail:
	close(fd);
	sb_free(&sb);
	errno = saved;
	return (NULL);
}

static char *
parent_of(const char *path)
{
	char *p, *slash;

	p = xstrdup(path);
	slash = strrchr(p, '/');
	if (slash == NULL) {
		free(p);
		return (NULL);
	}
	if (slash == p)
		slash[1] = '\0';
	else
		*slash = '\0';
	return (p);
}

int
mkdir_p(const char *path, int mode)
{
	char *p, *s;

	if (is_dir(path))
		return (0);
	p = xstrdup(path);
	for (s = p + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST) {
			free(p);
			return (-errno);
		}
		*s = '/';
	}
	if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST) {
		free(p);
		return (-errno);
	}
	free(p);
	return (is_dir(path) ? 0 : -ENOTDIR);
}

static int
write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return (-errno);
		buf += n;
		len -= (size_t)n;
	}
	return (0);
}

int
write_file(const char *path, const char *buf, size_t len, int mode)
{
	char *parent;
	int fd, rc;

	parent = parent_of(path);
	if (parent != NULL) {
		rc = mkdir_p(parent, 0755);
		free(parent);
		if (rc != 0)
			return (rc);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return (-errno);
	rc = write_all(fd, buf, len);
	if (close(fd) != 0 && rc == 0)
		rc = -errno;
	return (rc);
}

int
write_file_if_changed(const char *path, const char *buf, size_t len)
{
	char *old, *tmp;
	size_t oldlen;
	int rc;

	old = read_whole_file(path, len + 1, &oldlen);
	if (old != NULL && oldlen == len && memcmp(old, buf, len) == 0) {
		free(old);
		return (0);
	}
	free(old);
	tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	rc = write_file(tmp, buf, len, 0644);
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return (rc);
}

int
rm_rf(const char *path)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	char *sub;
	int rc;

	if (lstat(path, &st) != 0)
		return (errno == ENOENT ? 0 : -errno);
	if (!S_ISDIR(st.st_mode))
		return (unlink(path) == 0 ? 0 : -errno);
	d = opendir(path);
	if (d == NULL)
		return (-errno);
	rc = 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		sub = path_join(path, de->d_name);
		if (rc == 0)
			rc = rm_rf(sub);
		free(sub);
	}
	closedir(d);
	if (rc == 0 && rmdir(path) != 0)
		rc = -errno;
	return (rc);
}

int
copy_file(const char *src, const char *dst)
{
	struct stat st;
	char buf[65536];
	ssize_t n;
	int in, out, rc;
	char *parent;

	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return (-errno);
	if (fstat(in, &st) != 0) {
		rc = -errno;
		close(in);
		return (rc);
	}
	parent = parent_of(dst);
	if (parent != NULL) {
		rc = mkdir_p(parent, 0755);
		free(parent);
		if (rc != 0) {
			close(in);
			return (rc);
		}
	}
	/* Executables stay executable; nothing else of the mode matters. */
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    (st.st_mode & 0111) ? 0755 : 0644);
	if (out < 0) {
		rc = -errno;
		close(in);
		return (rc);
	}
	rc = 0;
	for (;;) {
		n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			break;
		}
		if (n == 0)
			break;
		rc = write_all(out, buf, (size_t)n);
		if (rc != 0)
			break;
	}
	close(in);
	if (close(out) != 0 && rc == 0)
		rc = -errno;
	return (rc);
}

int
copy_tree(const char *src, const char *dst)
{
	struct strvec files = { 0 };
	char *s, *d;
	size_t i;
	int rc;

	rc = mkdir_p(dst, 0755);
	if (rc == 0)
		rc = list_tree(src, &files);
	for (i = 0; rc == 0 && i < files.n; i++) {
		s = path_join(src, files.v[i]);
		d = path_join(dst, files.v[i]);
		rc = copy_file(s, d);
		free(s);
		free(d);
	}
	sv_free(&files);
	return (rc);
}

/*
 * Directories are followed, symbolic links to directories are not (no
 * loops); empty directories are not listed (staging needs files only).
 */
static int
list_tree_rec(const char *root, const char *rel, struct strvec *out,
    int depth)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	char *full, *sub, *subfull;
	int rc;

	if (depth > 64)
		return (-ELOOP);
	full = rel[0] ? path_join(root, rel) : xstrdup(root);
	d = opendir(full);
	if (d == NULL) {
		rc = -errno;
		free(full);
		return (rc);
	}
	rc = 0;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		sub = rel[0] ? path_join(rel, de->d_name) :
		    xstrdup(de->d_name);
		subfull = path_join(full, de->d_name);
		if (lstat(subfull, &st) != 0)
			rc = -errno;
		else if (S_ISDIR(st.st_mode))
			rc = list_tree_rec(root, sub, out, depth + 1);
		else if (S_ISREG(st.st_mode) ||
		    (stat(subfull, &st) == 0 && S_ISREG(st.st_mode)))
			sv_push(out, sub);
		free(subfull);
		free(sub);
	}
	closedir(d);
	free(full);
	return (rc);
}

int
list_tree(const char *dir, struct strvec *out)
{
	int rc;

	rc = list_tree_rec(dir, "", out, 0);
	sv_sort(out);
	return (rc);
}

int
is_dir(const char *path)
{
	struct stat st;

	return (stat(path, &st) == 0 && S_ISDIR(st.st_mode));
}

int
is_file(const char *path)
{
	struct stat st;

	return (stat(path, &st) == 0 && S_ISREG(st.st_mode));
}

char *
path_join(const char *a, const char *b)
{
	size_t n;

	n = strlen(a);
	if (n > 0 && a[n - 1] == '/')
		return (xasprintf("%s%s", a, b));
	return (xasprintf("%s/%s", a, b));
}
