/*
 * util.h -- small helpers shared by the rustos-pkg modules: checked
 * allocation, a growable string buffer, diagnostics with an error count,
 * and the file-system operations staging needs (read whole file, write a
 * file only when it changed, mkdir -p, rm -rf, copy a file or a tree, list
 * a tree sorted).
 *
 * Diagnostics never exit: callers count errors and decide the exit status,
 * so one run prints every error and the fuzz harness can run in-process.
 */
#ifndef RUSTOS_PKG_UTIL_H
#define RUSTOS_PKG_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#define PKG_PRINTF(a, b) __attribute__((format(printf, a, b)))

void	*xmalloc(size_t n);
void	*xcalloc(size_t n, size_t size);
void	*xrealloc(void *p, size_t n);
char	*xstrdup(const char *s);
char	*xasprintf(const char *fmt, ...) PKG_PRINTF(1, 2);

struct strbuf {
	char *buf;			/* always NUL-terminated once used */
	size_t len, cap;
};

void	sb_add(struct strbuf *sb, const char *s, size_t n);
void	sb_puts(struct strbuf *sb, const char *s);
void	sb_putc(struct strbuf *sb, char c);
void	sb_printf(struct strbuf *sb, const char *fmt, ...) PKG_PRINTF(2, 3);
const char *sb_str(struct strbuf *sb);	/* "" when empty */
void	sb_free(struct strbuf *sb);

/* A growable list of owned strings. */
struct strvec {
	char **v;
	size_t n, cap;
};

void	sv_push(struct strvec *sv, const char *s);
void	sv_push_owned(struct strvec *sv, char *s);
void	sv_sort(struct strvec *sv);
int	sv_contains(const struct strvec *sv, const char *s);
void	sv_free(struct strvec *sv);

/* Errors and warnings go to stderr, one line each, prefixed "rustos-pkg: ". */
extern int diag_errors;
extern int diag_warnings;
extern int diag_quiet;		/* fuzz harness: count, do not print */
void	diag_error(const char *fmt, ...) PKG_PRINTF(1, 2);
void	diag_warn(const char *fmt, ...) PKG_PRINTF(1, 2);

/* Whole-file read with a size limit; NULL and errno on failure. */
char	*read_whole_file(const char *path, size_t max, size_t *lenp);
/* Write a file (creating parents); 0 or -errno. */
int	write_file(const char *path, const char *buf, size_t len, int mode);
/* Write through a temporary and rename, only when the content differs. */
int	write_file_if_changed(const char *path, const char *buf, size_t len);
int	mkdir_p(const char *path, int mode);
int	rm_rf(const char *path);
int	copy_file(const char *src, const char *dst);
int	copy_tree(const char *src, const char *dst);
/* Regular files under dir, as paths relative to dir, sorted bytewise. */
int	list_tree(const char *dir, struct strvec *out);
int	is_dir(const char *path);
int	is_file(const char *path);
char	*path_join(const char *a, const char *b);

#endif /* RUSTOS_PKG_UTIL_H */
