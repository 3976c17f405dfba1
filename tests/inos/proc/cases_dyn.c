/*
 * cases_dyn.c -- dynamically linked programs (PT_INTERP) in psuite: a
 * musl PIE started through musl's dynamic loader (/lib/ld-musl-x86_64.so.1)
 * (and the same program as an ET_EXEC linked at the user base)
 * reports its argv, environment and auxiliary vector facts (AT_BASE is
 * the loader's base, AT_ENTRY its own _start, AT_PHDR its own headers)
 * and dlopens a shared object staged beside it; an execve whose
 * interpreter is missing, not an ELF file or a directory fails with
 * ENOENT, ELIBBAD or EACCES as on Linux, and the caller goes on intact.
 * The programs (tests/inos/proc/dyn) sit next to psuite-child; the bad
 * interpreter cases write a copy of dyn-nointerp whose PT_INTERP names a
 * scratch file.  Also the raw newfstatat(fd, "", AT_EMPTY_PATH) glibc's
 * loader stats a library with, and the clone tid word glibc's
 * pthread_join waits on (PARENT_SETTID and CHILD_CLEARTID on one word,
 * the thread exiting before clone returns).  Every case passes on the
 * Linux build host too.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <time.h>
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "psuite.h"

#define FUTEX_WAIT	0	/* <linux/futex.h>: musl does not install it */

#define DYN_FACTS							\
	"at_base set\n"							\
	"libc at AT_BASE\n"						\
	"at_entry is _start\n"						\
	"at_phdr is ours\n"						\
	"tls 7\n"

static const char *
dyn_program(const char *name)
{
	const char *path = ps_beside_helper(name);

	if (path == NULL)
		ps_skip("%s not built beside %s", name, ps_helper);
	return (path);
}

static void
dyn_musl_hello(void)
{
	const char *path = dyn_program("dyn-hello");
	char *av[] = { (char *)path, "first", NULL };
	char *ev[] = { "DYN_ENV=from-psuite", NULL };
	char out[512];
	int st;

	st = ps_run_capture(path, av, ev, out, sizeof(out));
	CHECK(strcmp(out, "dynhello argc=2 arg=first env=from-psuite\n"
	    DYN_FACTS) == 0, "output \"%s\" (%s)", out, ps_status_str(st));
	ps_expect_exit(path, st, 0);
}

/* A dynamic ET_EXEC linked at the user base: mapped where it is linked. */
static void
dyn_musl_exec(void)
{
	const char *path = dyn_program("dyn-exec");
	char *av[] = { (char *)path, "exec", NULL };
	char *ev[] = { "DYN_ENV=et-exec", NULL };
	char out[512];
	int st;

	st = ps_run_capture(path, av, ev, out, sizeof(out));
	CHECK(strcmp(out, "dynhello argc=2 arg=exec env=et-exec\n"
	    DYN_FACTS) == 0, "output \"%s\" (%s)", out, ps_status_str(st));
	ps_expect_exit(path, st, 0);
}

static void
dyn_musl_dlopen(void)
{
	char prog[512], lib[512];
	char *av[] = { prog, "dlopen", lib, NULL };
	char *ev[] = { NULL };
	char out[512];
	const char *p;
	int st;

	snprintf(prog, sizeof(prog), "%s", dyn_program("dyn-hello"));
	if ((p = ps_beside_helper("libdyntest.so")) == NULL)
		ps_skip("libdyntest.so not built beside %s", ps_helper);
	snprintf(lib, sizeof(lib), "%s", p);
	/* dlopen wants a path with a slash to skip the library search. */
	CHECK(strchr(lib, '/') != NULL, "library path %s", lib);
	st = ps_run_capture(prog, av, ev, out, sizeof(out));
	CHECK(strcmp(out, "dynhello argc=3 arg=dlopen env=-\n" DYN_FACTS
	    "dlopen answer=42 greeting=hello from libdyntest\n") == 0,
	    "output \"%s\" (%s)", out, ps_status_str(st));
	ps_expect_exit(prog, st, 0);
}

/*
 * execve path in a child; its exit status is the errno (the caller's
 * stack, heap and pid checked intact after the failure), 200 when the
 * caller was damaged, whatever the program returns if it ran.
 */
static int
exec_errno(const char *path)
{
	char *av[] = { (char *)path, NULL };
	char *ev[] = { NULL };
	volatile int canary = 0x5a5a;
	char *heap;
	pid_t pid, me;
	int e;

	pid = fork();
	CHECK(pid != -1, "fork: %s", strerror(errno));
	if (pid == 0) {
		me = getpid();
		heap = strdup("intact");
		execve(path, av, ev);
		e = errno;
		if (canary != 0x5a5a || heap == NULL ||
		    strcmp(heap, "intact") != 0 || getpid() != me)
			_exit(200);
		_exit(e & 0xff);
	}
	return (ps_wait(pid));
}

static void
expect_exec_errno(const char *path, int want)
{
	int st = exec_errno(path);

	CHECK(WIFEXITED(st) && WEXITSTATUS(st) != 200,
	    "caller damaged or killed after the failed execve (%s)",
	    ps_status_str(st));
	CHECK(WEXITSTATUS(st) == want, "execve %s: errno %d (%s), want %d "
	    "(%s)", path, WEXITSTATUS(st), strerror(WEXITSTATUS(st)), want,
	    strerror(want));
}

static void
dyn_interp_missing(void)
{
	expect_exec_errno(dyn_program("dyn-nointerp"), ENOENT);
}

/*
 * A scratch copy of dyn-nointerp whose PT_INTERP names interp (the
 * segment keeps its size: the rest is NULs, as Linux allows); returns
 * the copy's path.
 */
static const char *
copy_with_interp(const char *interp)
{
	const char *src = dyn_program("dyn-nointerp");
	const char *dst = ps_scratch_path("dyn-badinterp");
	static unsigned char buf[256 * 1024];
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	ssize_t n;
	size_t size = 0, i;
	int fd, done = 0;

	CHECK((fd = open(src, O_RDONLY)) != -1, "open %s: %s", src,
	    strerror(errno));
	while ((n = read(fd, buf + size, sizeof(buf) - size)) > 0)
		size += (size_t)n;
	close(fd);
	CHECK(size > sizeof(eh) && size < sizeof(buf), "%s: %zu bytes", src,
	    size);
	memcpy(&eh, buf, sizeof(eh));
	for (i = 0; i < eh.e_phnum; i++) {
		CHECK(eh.e_phoff + (i + 1) * sizeof(ph) <= size, "phdrs");
		memcpy(&ph, buf + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_INTERP)
			continue;
		CHECK(ph.p_offset + ph.p_filesz <= size &&
		    strlen(interp) < ph.p_filesz, "PT_INTERP of %s too small "
		    "for %s", src, interp);
		memset(buf + ph.p_offset, 0, ph.p_filesz);
		memcpy(buf + ph.p_offset, interp, strlen(interp));
		done = 1;
	}
	CHECK(done, "%s has no PT_INTERP", src);
	unlink(dst);
	CHECK((fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0755)) != -1,
	    "create %s: %s", dst, strerror(errno));
	CHECK(write(fd, buf, size) == (ssize_t)size, "write %s: %s", dst,
	    strerror(errno));
	CHECK_OK(close(fd));
	return (dst);
}

/* An absolute scratch path (the interpreter path must be absolute). */
static const char *
abs_scratch(const char *name)
{
	static char path[PATH_MAX];
	const char *p = ps_scratch_path(name);

	if (p[0] == '/')
		return (p);
	CHECK(getcwd(path, sizeof(path) - strlen(p) - 2) != NULL,
	    "getcwd: %s", strerror(errno));
	strcat(path, "/");
	strcat(path, p);
	return (path);
}

/*
 * A usual `gcc -no-pie` dynamic program is linked at 0x400000, below the
 * RustOS user range: ENOEXEC (RustOS only: Linux runs it).
 */
static void
dyn_exec_low_refused(void)
{
	const char *path = dyn_program("dyn-low");
	struct utsname u;

	CHECK_OK(uname(&u));
	if (strstr(u.release, "rustos") == NULL)
		ps_skip("RustOS only: Linux maps an ET_EXEC at 0x400000");
	expect_exec_errno(path, ENOEXEC);
}

static void
dyn_interp_corrupt(void)
{
	char interp[PATH_MAX];
	unsigned char junk[4096];
	size_t i;
	int fd;

	snprintf(interp, sizeof(interp), "%s", abs_scratch("bad-ld.so"));
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)(i * 37 + 11);
	unlink(interp);
	CHECK((fd = open(interp, O_WRONLY | O_CREAT | O_TRUNC, 0755)) != -1,
	    "create %s: %s", interp, strerror(errno));
	CHECK(write(fd, junk, sizeof(junk)) == (ssize_t)sizeof(junk),
	    "write %s: %s", interp, strerror(errno));
	CHECK_OK(close(fd));
	expect_exec_errno(copy_with_interp(interp), ELIBBAD);
}

static void
dyn_interp_directory(void)
{
	char interp[PATH_MAX];

	snprintf(interp, sizeof(interp), "%s", abs_scratch("interp-dir"));
	rmdir(interp);
	CHECK_OK(mkdir(interp, 0755));
	expect_exec_errno(copy_with_interp(interp), EACCES);
}

/* newfstatat(fd, "", AT_EMPTY_PATH) of a regular file: its fstat. */
static void
dyn_fstatat_empty_path(void)
{
	const char *path = dyn_program("dyn-hello");
	struct stat a, b;
	int fd;

	CHECK((fd = open(path, O_RDONLY)) != -1, "open %s: %s", path,
	    strerror(errno));
	CHECK_OK(fstat(fd, &a));
	CHECK_OK(syscall(SYS_newfstatat, fd, "", &b, AT_EMPTY_PATH));
	CHECK(S_ISREG(b.st_mode) && b.st_size == a.st_size &&
	    b.st_ino == a.st_ino, "mode %o size %lld, fstat's %lld",
	    (unsigned)b.st_mode, (long long)b.st_size, (long long)a.st_size);
	CHECK_ERRNO(syscall(SYS_newfstatat, fd, "", &b, 0), ENOENT);
	close(fd);
}

/* ---- the tid word of a thread that exits at once ---- */

static int
exit_at_once(void *arg)
{
	(void)arg;
	return (0);
}

/*
 * glibc's pthread_create passes &pd->tid as both PARENT_SETTID and
 * CHILD_CLEARTID word and pthread_join waits until it is 0.  When the
 * thread runs and exits before clone returns, the word must still end
 * 0 (RustOS once wrote the parent's word after the thread had cleared
 * it: a dynamic glibc program hung in pthread_join).
 */
static void
clone_settid_cleartid_one_word(void)
{
	static volatile pid_t word;
	size_t sz = 64 * 1024;
	char *stack;
	pid_t tid, v;
	int i;

	stack = mmap(NULL, sz, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(stack != MAP_FAILED, "mmap: %s", strerror(errno));
	word = -1;
	tid = clone(exit_at_once, stack + sz, CLONE_VM | CLONE_FS |
	    CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
	    CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID, NULL,
	    (pid_t *)&word, NULL, (pid_t *)&word);
	CHECK(tid > 0, "clone: %s", strerror(errno));
	v = word;
	CHECK(v == tid || v == 0, "word %d after clone returned %d", (int)v,
	    (int)tid);
	for (i = 0; i < 100 && (v = word) != 0; i++)
		syscall(SYS_futex, (void *)&word, FUTEX_WAIT, v,
		    &(struct timespec){ 0, 10000000 }, NULL, 0);
	CHECK(word == 0, "the word is still %d after the thread's exit "
	    "(pthread_join would wait forever)", (int)word);
	munmap(stack, sz);
}

/*
 * A PT_INTERP path longer than 511 bytes (Linux takes up to PATH_MAX): a
 * copy of dyn-hello whose PT_INTERP now points at a string appended to
 * the file, naming a symlink to its own loader five 120-byte directories
 * deep.  The old string stays where p_vaddr says (musl's loader reads
 * its own name there).
 */
static void
dyn_interp_long_path(void)
{
	const char *src = dyn_program("dyn-hello");
	static unsigned char buf[256 * 1024];
	static char dir[PATH_MAX], interp[PATH_MAX], orig[PATH_MAX];
	char prog[PATH_MAX], comp[128];
	char *av[] = { prog, "long", NULL };
	char *ev[] = { "DYN_ENV=long-interp", NULL };
	char out[512];
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	size_t size = 0, i, len;
	ssize_t n;
	int fd, st, done = 0;

	snprintf(prog, sizeof(prog), "%s", ps_scratch_path("dyn-longinterp"));
	CHECK((fd = open(src, O_RDONLY)) != -1, "open %s: %s", src,
	    strerror(errno));
	while ((n = read(fd, buf + size, sizeof(buf) - size)) > 0)
		size += (size_t)n;
	close(fd);
	CHECK(size > sizeof(eh) && size < sizeof(buf) - PATH_MAX,
	    "%s: %zu bytes", src, size);
	/* The deep directories and the link to the real loader. */
	snprintf(dir, sizeof(dir), "%s", abs_scratch("li"));
	memset(comp, 'd', 120);
	comp[120] = '\0';
	(void)mkdir(dir, 0755);
	for (i = 0; i < 5; i++) {
		len = strlen(dir);
		snprintf(dir + len, sizeof(dir) - len, "/%s", comp);
		CHECK(mkdir(dir, 0755) == 0 || errno == EEXIST, "mkdir "
		    "(%zu bytes): %s", strlen(dir), strerror(errno));
	}
	snprintf(interp, sizeof(interp), "%s/ld.so", dir);
	len = strlen(interp);
	CHECK(len > 511, "interpreter path only %zu bytes", len);
	memcpy(&eh, buf, sizeof(eh));
	for (i = 0; i < eh.e_phnum; i++) {
		CHECK(eh.e_phoff + (i + 1) * sizeof(ph) <= size, "phdrs");
		memcpy(&ph, buf + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_INTERP)
			continue;
		CHECK(ph.p_offset + ph.p_filesz <= size && ph.p_filesz > 1 &&
		    ph.p_filesz < sizeof(orig), "PT_INTERP of %s", src);
		memcpy(orig, buf + ph.p_offset, ph.p_filesz);
		orig[ph.p_filesz - 1] = '\0';
		ph.p_offset = size;
		ph.p_filesz = len + 1;
		ph.p_memsz = len + 1;
		memcpy(buf + eh.e_phoff + i * sizeof(ph), &ph, sizeof(ph));
		done = 1;
	}
	CHECK(done, "%s has no PT_INTERP", src);
	memcpy(buf + size, interp, len + 1);
	size += len + 1;
	unlink(interp);
	CHECK(symlink(orig, interp) == 0, "symlink %s: %s", orig,
	    strerror(errno));
	unlink(prog);
	CHECK((fd = open(prog, O_WRONLY | O_CREAT | O_TRUNC, 0755)) != -1,
	    "create %s: %s", prog, strerror(errno));
	CHECK(write(fd, buf, size) == (ssize_t)size, "write %s: %s", prog,
	    strerror(errno));
	CHECK_OK(close(fd));
	st = ps_run_capture(prog, av, ev, out, sizeof(out));
	CHECK(strncmp(out, "dynhello argc=2 arg=long env=long-interp\n",
	    41) == 0, "output \"%s\" (%s)", out, ps_status_str(st));
	ps_expect_exit(prog, st, 0);
	unlink(interp);
	unlink(prog);
}

const struct ps_case ps_cases_dyn[] = {
	{ "clone_settid_cleartid_one_word", clone_settid_cleartid_one_word,
	    0 },
	{ "dyn_fstatat_empty_path", dyn_fstatat_empty_path, 0 },
	{ "dyn_musl_hello", dyn_musl_hello, 0 },
	{ "dyn_musl_exec", dyn_musl_exec, 0 },
	{ "dyn_musl_dlopen", dyn_musl_dlopen, 0 },
	{ "dyn_interp_missing", dyn_interp_missing, 0 },
	{ "dyn_exec_low_refused", dyn_exec_low_refused, 0 },
	{ "dyn_interp_corrupt", dyn_interp_corrupt, 0 },
	{ "dyn_interp_directory", dyn_interp_directory, 0 },
	{ "dyn_interp_long_path", dyn_interp_long_path, 0 },
	{ NULL, NULL, 0 }
};
