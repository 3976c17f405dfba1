/*
 * builtin.c -- the shell's builtins: cd, pwd, ls (-l, -a), cat, echo, exit,
 * export, env, help, mkdir, true, false (and the table naming the job
 * builtins of jobs.c: jobs, fg, bg, wait, kill).  ls and cat are builtins because RustOS
 * has no coreutils yet.  Output goes through dprintf on fd 1, errors on
 * fd 2 as `NAME: what: reason`; a failing builtin returns 1 (2 for usage).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shell.h"

extern char **environ;

void
sh_err(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	dprintf(2, "shell: %s\n", msg);
}

static int
bi_true(int argc, char **argv)
{
	return (0);
}

static int
bi_false(int argc, char **argv)
{
	return (1);
}

static int
bi_echo(int argc, char **argv)
{
	int i, nl;

	nl = 1;
	i = 1;
	if (argc > 1 && strcmp(argv[1], "-n") == 0) {
		nl = 0;
		i = 2;
	}
	for (; i < argc; i++)
		dprintf(1, "%s%s", argv[i], i + 1 < argc ? " " : "");
	if (nl)
		dprintf(1, "\n");
	return (0);
}

static int
bi_pwd(int argc, char **argv)
{
	char buf[PATH_MAX];

	if (getcwd(buf, sizeof(buf)) == NULL) {
		sh_err("pwd: %s", strerror(errno));
		return (1);
	}
	dprintf(1, "%s\n", buf);
	return (0);
}

static int
bi_cd(int argc, char **argv)
{
	char buf[PATH_MAX];
	const char *dir;

	if (argc > 2) {
		sh_err("cd: too many arguments");
		return (2);
	}
	dir = argc == 2 ? argv[1] : getenv("HOME");
	if (dir == NULL || *dir == '\0')
		dir = "/";
	if (chdir(dir) < 0) {
		sh_err("cd: %s: %s", dir, strerror(errno));
		return (1);
	}
	if (getcwd(buf, sizeof(buf)) != NULL)
		setenv("PWD", buf, 1);
	return (0);
}

static int
valid_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
		return (0);
	for (i = 0; i < n; i++) {
		if (!(s[i] == '_' || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9')))
			return (0);
	}
	return (1);
}

static int
bi_env(int argc, char **argv)
{
	char **e;

	if (argc > 1) {
		sh_err("env: running programs is not supported; "
		    "use `export'");
		return (2);
	}
	for (e = environ; *e != NULL; e++)
		dprintf(1, "%s\n", *e);
	return (0);
}

static int
bi_export(int argc, char **argv)
{
	char name[256];
	const char *eq;
	size_t n;
	int i, st;

	if (argc == 1)
		return (bi_env(1, argv));
	st = 0;
	for (i = 1; i < argc; i++) {
		eq = strchr(argv[i], '=');
		n = eq != NULL ? (size_t)(eq - argv[i]) : strlen(argv[i]);
		if (!valid_name(argv[i], n) || n >= sizeof(name)) {
			sh_err("export: `%s': not a valid name", argv[i]);
			st = 1;
			continue;
		}
		memcpy(name, argv[i], n);
		name[n] = '\0';
		if (eq != NULL && setenv(name, eq + 1, 1) < 0) {
			sh_err("export: %s: %s", name, strerror(errno));
			st = 1;
		}
	}
	return (st);
}

static int
bi_exit(int argc, char **argv)
{
	char *end;
	long v;

	/* Stopped jobs: the first exit only warns (sh_jobs_may_exit). */
	if (!sh_jobs_may_exit(sh_line_no))
		return (1);
	sh_exit_requested = 1;
	if (argc < 2)
		return (sh_status);
	errno = 0;
	v = strtol(argv[1], &end, 10);
	if (argv[1][0] == '\0' || *end != '\0' || errno != 0) {
		sh_err("exit: %s: numeric argument required", argv[1]);
		return (2);
	}
	return ((int)(v & 0xff));
}

static int
cat_fd(int fd, const char *name)
{
	char buf[4096];
	ssize_t n, w, off;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n == 0)
			return (0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			sh_err("cat: %s: %s", name, strerror(errno));
			return (1);
		}
		for (off = 0; off < n; off += w) {
			w = write(1, buf + off, n - off);
			if (w < 0) {
				if (errno == EINTR) {
					w = 0;
					continue;
				}
				sh_err("cat: write: %s", strerror(errno));
				return (1);
			}
		}
	}
}

static int
bi_cat(int argc, char **argv)
{
	int i, fd, st;

	if (argc == 1)
		return (cat_fd(0, "stdin"));
	st = 0;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			st |= cat_fd(0, "stdin");
			continue;
		}
		fd = open(argv[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			sh_err("cat: %s: %s", argv[i], strerror(errno));
			st = 1;
			continue;
		}
		st |= cat_fd(fd, argv[i]);
		close(fd);
	}
	return (st);
}

static void
mode_string(mode_t m, char *s)
{
	static const char rwx[] = "rwxrwxrwx";
	int i;

	s[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' :
	    S_ISBLK(m) ? 'b' : S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : '-';
	for (i = 0; i < 9; i++)
		s[1 + i] = (m & (0400 >> i)) ? rwx[i] : '-';
	s[10] = '\0';
}

/* One ls line; dirfd/name is the entry, shown as `shown`. */
static int
ls_one(int dirfd, const char *name, const char *shown, int lflag)
{
	char mode[11], target[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (!lflag) {
		dprintf(1, "%s\n", shown);
		return (0);
	}
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		sh_err("ls: %s: %s", shown, strerror(errno));
		return (1);
	}
	mode_string(st.st_mode, mode);
	dprintf(1, "%s %2lu %8lld %s", mode, (unsigned long)st.st_nlink,
	    (long long)st.st_size, shown);
	if (S_ISLNK(st.st_mode) &&
	    (n = readlinkat(dirfd, name, target, sizeof(target) - 1)) >= 0) {
		target[n] = '\0';
		dprintf(1, " -> %s", target);
	}
	dprintf(1, "\n");
	return (0);
}

static int
cmp_names(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

static int
ls_dir(const char *path, int lflag, int aflag)
{
	struct dirent *de;
	char **names, **nn;
	size_t n, cap, i;
	DIR *d;
	int st;

	if ((d = opendir(path)) == NULL) {
		sh_err("ls: %s: %s", path, strerror(errno));
		return (1);
	}
	names = NULL;
	n = cap = 0;
	st = 0;
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		if (!aflag && de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			nn = realloc(names, cap * sizeof(*names));
			if (nn == NULL)
				break;
			names = nn;
		}
		if ((names[n] = strdup(de->d_name)) == NULL)
			break;
		n++;
		errno = 0;
	}
	if (errno != 0) {
		sh_err("ls: %s: %s", path, strerror(errno));
		st = 1;
	}
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		st |= ls_one(dirfd(d), names[i], names[i], lflag);
		free(names[i]);
	}
	free(names);
	closedir(d);
	return (st);
}

static int
bi_ls(int argc, char **argv)
{
	struct stat st;
	int i, j, lflag, aflag, nargs, rc;

	lflag = aflag = 0;
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		for (j = 1; argv[i][j] != '\0'; j++) {
			if (argv[i][j] == 'l')
				lflag = 1;
			else if (argv[i][j] == 'a')
				aflag = 1;
			else {
				sh_err("ls: unknown option -%c "
				    "(supported: -l -a)", argv[i][j]);
				return (2);
			}
		}
	}
	nargs = argc - i;
	if (nargs == 0)
		return (ls_dir(".", lflag, aflag));
	rc = 0;
	for (; i < argc; i++) {
		if (stat(argv[i], &st) < 0 &&
		    lstat(argv[i], &st) < 0) {
			sh_err("ls: %s: %s", argv[i], strerror(errno));
			rc = 1;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			rc |= ls_one(AT_FDCWD, argv[i], argv[i], lflag);
			continue;
		}
		if (nargs > 1)
			dprintf(1, "%s:\n", argv[i]);
		rc |= ls_dir(argv[i], lflag, aflag);
	}
	return (rc);
}

static int
bi_mkdir(int argc, char **argv)
{
	int i, st = 0;

	if (argc < 2) {
		sh_err("usage: mkdir DIR...");
		return (2);
	}
	for (i = 1; i < argc; i++)
		if (mkdir(argv[i], 0755) < 0) {
			sh_err("mkdir: %s: %s", argv[i], strerror(errno));
			st = 1;
		}
	return (st);
}

static int bi_help(int, char **);

static const struct {
	const char *name;
	sh_builtin_fn fn;
	const char *usage;
} builtins[] = {
	{ "bg", bi_bg, "bg [%JOB]          continue a stopped job in the background" },
	{ "cat", bi_cat, "cat [FILE...]      copy files (or stdin) to stdout" },
	{ "cd", bi_cd, "cd [DIR]           change directory (default $HOME)" },
	{ "echo", bi_echo, "echo [-n] [ARG...] print arguments" },
	{ "env", bi_env, "env                list the environment" },
	{ "exit", bi_exit, "exit [N]           leave the shell with status N" },
	{ "export", bi_export, "export NAME=VALUE  set an environment variable" },
	{ "false", bi_false, "false              return status 1" },
	{ "fg", bi_fg, "fg [%JOB]          continue a job in the foreground" },
	{ "help", bi_help, "help               this list" },
	{ "jobs", bi_jobs, "jobs [%JOB...]     list the jobs" },
	{ "kill", bi_kill, "kill [-SIG] %JOB|PID...  send a signal (default TERM)" },
	{ "ls", bi_ls, "ls [-l] [-a] [PATH...]  list directories" },
	{ "mkdir", bi_mkdir, "mkdir DIR...       make directories" },
	{ "pwd", bi_pwd, "pwd                print the working directory" },
	{ "true", bi_true, "true               return status 0" },
	{ "wait", bi_wait, "wait [%JOB|PID...] wait for background jobs" },
};

static int
bi_help(int argc, char **argv)
{
	size_t i;

	dprintf(1, "RustOS shell builtins:\n");
	for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		dprintf(1, "  %s\n", builtins[i].usage);
	dprintf(1, "Also: quotes '...' \"...\" \\x, $VAR ${VAR} $? $$ $!, "
	    "< > >> 2> 2>> 2>&1 >&2, a | b, ;, &&, ||, a &.\n"
	    "Jobs: %%N %%%% %%+ %%- %%NAME; ^Z stops the foreground job.\n"
	    "Programs come from $PATH, then /apps/NAME/NAME.elf.\n");
	return (0);
}

sh_builtin_fn
sh_find_builtin(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
		if (strcmp(builtins[i].name, name) == 0)
			return (builtins[i].fn);
	}
	return (NULL);
}
