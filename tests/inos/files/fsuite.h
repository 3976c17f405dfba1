/*
 * fsuite.h -- shared helpers of the in-OS file/device suite (fsuite.c is
 * the runner; cases_*.c hold the cases, grouped by area).
 *
 * A case is a function returning FS_OK, FS_FAIL or FS_SKIP; on FAIL or
 * SKIP it has written the reason into fs_why (through fs_fail/fs_skip).
 * Cases run with the working directory set to a fresh scratch directory
 * and may leave files and fds behind: the runner closes fds 3..63 after
 * each case and removes the scratch tree at the end.  Every name a case
 * creates starts with the case's own prefix, so cases never collide.
 */
#ifndef FSUITE_H
#define FSUITE_H

#include <errno.h>
#include <stddef.h>

enum { FS_OK, FS_FAIL, FS_SKIP };

struct fs_case {
	const char *name;
	int (*fn)(void);
};

extern const struct fs_case fs_cases_file[];
extern const struct fs_case fs_cases_dir[];
extern const struct fs_case fs_cases_dev[];
extern const struct fs_case fs_cases_path[];
extern const struct fs_case fs_cases_cred[];

/* The read-only directory and what the runner found out about it. */
extern const char *fs_rodir;
extern int fs_ro;		/* fs_rodir is on a read-only mount */
extern const char *fs_ro_reason;	/* why not, when fs_ro == 0 */
extern char fs_ro_file[];	/* a regular file under fs_rodir, or "" */
extern char fs_ro_subdir[];	/* a directory under fs_rodir, or "" */
extern char fs_workdir[];	/* absolute path of the scratch directory */

int fs_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fs_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *fs_errname(int e);
/* Creates (or truncates) name with content; returns 0 or -errno. */
int fs_mkfile(const char *name, const char *content);
int fs_is_root(void);

/* The ordinary user the credential cases become, and other ids. */
#define FS_UID		1000
#define FS_GID		1000
#define FS_GROUP2	1001	/* FS_UID's supplementary group */
#define FS_OTHER	2000	/* a user and group FS_UID has nothing of */
/*
 * Run body in a child as FS_UID (fs_as_user) or with real uid ruid and
 * effective uid euid (fs_as_ids), in a fresh directory owned by FS_UID,
 * after setup() made files there as root (setup may be NULL).  Returns
 * body's verdict; SKIP when not root.  Defined in fsuite.c.
 */
int fs_as_user(int (*setup)(void), int (*body)(void));
int fs_as_ids(unsigned ruid, unsigned euid, int (*setup)(void),
    int (*body)(void));

/* x is a call returning -1 with errno set on failure (libc or syscall()). */
#define EXPECT_ERR(x, e) do {						\
	long r_;							\
	errno = 0;							\
	r_ = (long)(x);							\
	if (r_ != -1 || errno != (e))					\
		return (fs_fail("line %d: %s: want %s, got %ld%s%s",	\
		    __LINE__, #x, fs_errname(e), r_,			\
		    r_ == -1 ? " " : "", r_ == -1 ?			\
		    fs_errname(errno) : ""));				\
} while (0)

#define CHK_OK(x) do {							\
	errno = 0;							\
	if ((long)(x) < 0)						\
		return (fs_fail("line %d: %s: %s", __LINE__, #x,	\
		    fs_errname(errno)));				\
} while (0)

#define CHECK(c) do {							\
	if (!(c))							\
		return (fs_fail("line %d: %s", __LINE__, #c));		\
} while (0)

/* A pointer the kernel must refuse with EFAULT. */
#define FS_BADPTR	((void *)(unsigned long)1)

#endif
