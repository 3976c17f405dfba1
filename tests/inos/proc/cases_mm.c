/*
 * cases_mm.c -- memory, thread and miscellaneous cases of psuite:
 * mmap/munmap/mprotect/mremap/madvise (anonymous, file-private, shared
 * anonymous across fork, faults after munmap and on read-only pages), brk
 * growth, pthread create/join/mutex/condvar/TLS, raw futex wait/wake/
 * requeue, set_tid_address, arch_prctl, uname, getrandom, clocks and
 * sleeps (only "slept at least", never an upper bound), sched_yield and
 * sched_getaffinity.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "psuite.h"

#define PG	4096

/* From the Linux UAPI <linux/futex.h> (musl does not install it). */
#define FUTEX_WAIT_PRIVATE		128
#define FUTEX_WAKE_PRIVATE		129
#define FUTEX_CMP_REQUEUE_PRIVATE	132

static void *
map_anon(size_t len, int prot)
{
	void *m;

	m = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED, "mmap %zu: %s", len, strerror(errno));
	return (m);
}

/* ---- mmap family ---- */

static void
mmap_anon_zeroed(void)
{
	unsigned char *m;
	size_t i, len = 16 << 20;

	m = map_anon(len, PROT_READ | PROT_WRITE);
	CHECK(((uintptr_t)m & (PG - 1)) == 0, "unaligned mapping %p",
	    (void *)m);
	for (i = 0; i < len; i += PG)
		CHECK(m[i] == 0 && m[i + PG - 1] == 0, "page %zu not zero",
		    i / PG);
	for (i = 0; i < len; i += PG)
		m[i] = (unsigned char)(i / PG);
	for (i = 0; i < len; i += PG)
		CHECK(m[i] == (unsigned char)(i / PG), "page %zu lost its "
		    "value", i / PG);
	CHECK_OK(munmap(m, len));
}

static int
touch_child(void *arg)
{

	return (*(volatile char *)arg);
}

static int
store_child(void *arg)
{

	*(volatile char *)arg = 1;
	return (0);
}

static void
mmap_munmap_segv(void)
{
	char *m;

	m = map_anon(3 * PG, PROT_READ | PROT_WRITE);
	m[PG] = 5;
	CHECK_OK(munmap(m + PG, PG));
	/* The neighbours stay mapped. */
	m[0] = 1;
	m[2 * PG] = 1;
	ps_expect_signal("load after munmap", ps_wait(ps_spawn(touch_child,
	    m + PG)), SIGSEGV);
	ps_expect_exit("load from a kept neighbour", ps_wait(ps_spawn(
	    touch_child, m + 2 * PG)), 1);
}

static void
mprotect_faults(void)
{
	char *m;

	m = map_anon(2 * PG, PROT_READ | PROT_WRITE);
	m[0] = 7;
	CHECK_OK(mprotect(m, PG, PROT_READ));
	CHECK(m[0] == 7, "contents changed by mprotect");
	ps_expect_signal("store to PROT_READ", ps_wait(ps_spawn(store_child,
	    m)), SIGSEGV);
	CHECK_OK(mprotect(m, PG, PROT_NONE));
	ps_expect_signal("load from PROT_NONE", ps_wait(ps_spawn(touch_child,
	    m)), SIGSEGV);
	CHECK_OK(mprotect(m, PG, PROT_READ | PROT_WRITE));
	CHECK(m[0] == 7, "contents lost across PROT_NONE");
	m[0] = 8;
	ps_expect_exit("store to the other page", ps_wait(ps_spawn(
	    store_child, m + PG)), 0);
}

static void
mprotect_errors(void)
{
	char *m;

	m = map_anon(PG, PROT_READ);
	/* Raw: musl's mprotect rounds the start down. */
	CHECK_ERRNO(syscall(SYS_mprotect, m + 1, PG, PROT_READ), EINVAL);
	CHECK_ERRNO(mprotect(m, PG, 0x1000), EINVAL);
	CHECK_OK(munmap(m, PG));
	CHECK_ERRNO(mprotect(m, PG, PROT_READ), ENOMEM);
}

static void
mmap_errors(void)
{
	char *r, *fx;
	void *m;

	/* Fixed addresses come from a reservation: RustOS keeps user
	 * memory in [1<<39, 2<<39), Linux anywhere below 1<<47. */
	r = map_anon(4 * PG, PROT_READ | PROT_WRITE);
	r[PG] = 1;
	fx = r + PG;
	CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ==
	    MAP_FAILED && errno == EINVAL, "length 0: %s", strerror(errno));
	CHECK(mmap(NULL, PG, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	    errno == EINVAL, "neither shared nor private: %s",
	    strerror(errno));
	m = mmap(fx, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
	    -1, 0);
	CHECK(m == fx, "MAP_FIXED over a mapping: %s",
	    m == MAP_FAILED ? strerror(errno) : "other address");
	CHECK(fx[0] == 0, "MAP_FIXED did not replace the old page");
	CHECK(mmap(fx + 1, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
	    MAP_FIXED, -1, 0) == MAP_FAILED && errno == EINVAL,
	    "unaligned MAP_FIXED: %s", strerror(errno));
	CHECK(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 999, 0) == MAP_FAILED &&
	    errno == EBADF, "bad fd: %s", strerror(errno));
	m = mmap(NULL, (size_t)1 << 47, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	CHECK(m == MAP_FAILED && errno == ENOMEM, "128 TiB mapping: %s",
	    m == MAP_FAILED ? strerror(errno) : "succeeded");
	CHECK(mmap(NULL, SIZE_MAX & ~(size_t)(PG - 1), PROT_READ,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	    errno == ENOMEM, "huge length: %s", strerror(errno));
	CHECK_ERRNO(munmap(fx + 1, PG), EINVAL);
	CHECK_ERRNO(munmap(fx, 0), EINVAL);
	/* Unmapping a hole is fine. */
	CHECK_OK(munmap(fx, PG));
	CHECK_OK(munmap(fx, PG));
	CHECK(r[0] == 0 && r[2 * PG] == 0, "neighbours of the hole lost");
}

static int
shared_child(void *arg)
{
	volatile int *p = arg;

	p[0] = 111;
	p[1] = 222;
	return (0);
}

static void
mmap_shared_across_fork(void)
{
	volatile int *sh, *pr;

	sh = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED |
	    MAP_ANONYMOUS, -1, 0);
	CHECK(sh != MAP_FAILED, "shared anonymous mmap: %s", strerror(errno));
	pr = map_anon(PG, PROT_READ | PROT_WRITE);
	ps_run_child("shared writer", shared_child, (void *)sh);
	ps_run_child("private writer", shared_child, (void *)pr);
	CHECK(sh[0] == 111 && sh[1] == 222, "child's store to MAP_SHARED "
	    "not seen (%d %d)", sh[0], sh[1]);
	CHECK(pr[0] == 0 && pr[1] == 0, "child's store to MAP_PRIVATE seen");
}

/* /dev/zero maps anonymous memory (private, or shared across fork); an
 * fd without read access cannot be mapped (EACCES). */
static void
mmap_dev_zero(void)
{
	volatile int *sh;
	char *m;
	int fd, wfd;

	fd = open("/dev/zero", O_RDWR);
	CHECK(fd != -1, "open /dev/zero: %s", strerror(errno));
	m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(m != MAP_FAILED, "private /dev/zero mapping: %s",
	    strerror(errno));
	CHECK(m[0] == 0 && m[2 * PG - 1] == 0, "not zero");
	m[5] = 5;
	CHECK(m[5] == 5, "store lost");
	sh = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(sh != MAP_FAILED, "shared /dev/zero mapping: %s",
	    strerror(errno));
	ps_run_child("shared /dev/zero writer", shared_child, (void *)sh);
	CHECK(sh[0] == 111 && sh[1] == 222, "child's store to a shared "
	    "/dev/zero mapping not seen");
	wfd = open("/dev/zero", O_WRONLY);
	CHECK(wfd != -1, "open O_WRONLY: %s", strerror(errno));
	CHECK(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, wfd, 0) == MAP_FAILED &&
	    errno == EACCES, "mapping a write-only fd: %s", strerror(errno));
	close(wfd);
	close(fd);
}

static void
mmap_file_private(void)
{
	const char *path = ps_scratch_path("mapfile");
	char buf[PG + 100], *m;
	int fd, i;

	for (i = 0; i < (int)sizeof(buf); i++)
		buf[i] = (char)('a' + i % 26);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd != -1, "open %s: %s", path, strerror(errno));
	CHECK(write(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf), "write");
	m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(m != MAP_FAILED, "mmap file: %s", strerror(errno));
	CHECK(memcmp(m, buf, sizeof(buf)) == 0, "mapped bytes differ");
	for (i = sizeof(buf); i < 2 * PG; i++)
		CHECK(m[i] == 0, "tail of the last page not zero");
	m[0] = 'Z';
	CHECK(pread(fd, buf, 1, 0) == 1 && buf[0] == 'a', "private store "
	    "reached the file");
	/* Offset mapping. */
	CHECK_OK(munmap(m, 2 * PG));
	m = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, PG);
	CHECK(m != MAP_FAILED, "mmap at offset: %s", strerror(errno));
	CHECK(m[0] == (char)('a' + PG % 26), "offset mapping content");
	CHECK(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 100) == MAP_FAILED &&
	    errno == EINVAL, "unaligned offset: %s", strerror(errno));
	close(fd);
	unlink(path);
}

static void
mremap_grow(void)
{
	char *m, *n;
	int i;

	m = map_anon(PG, PROT_READ | PROT_WRITE);
	memset(m, 'q', PG);
	n = mremap(m, PG, 64 * PG, MREMAP_MAYMOVE);
	CHECK(n != MAP_FAILED, "mremap: %s", strerror(errno));
	for (i = 0; i < PG; i++)
		CHECK(n[i] == 'q', "content lost at %d", i);
	CHECK(n[63 * PG] == 0, "grown part not zero");
	n[63 * PG] = 1;
	CHECK(mremap(n, 64 * PG, 128 * PG, 0) != MAP_FAILED || errno == ENOMEM,
	    "mremap in place: %s", strerror(errno));
	CHECK(mremap(n + 1, PG, PG, 0) == MAP_FAILED && errno == EINVAL,
	    "unaligned mremap");
}

static void
madvise_dontneed(void)
{
	char *m;

	m = map_anon(4 * PG, PROT_READ | PROT_WRITE);
	memset(m, 'w', 4 * PG);
	CHECK_OK(madvise(m + PG, 2 * PG, MADV_DONTNEED));
	CHECK(m[0] == 'w' && m[3 * PG] == 'w', "neighbours lost");
	CHECK(m[PG] == 0 && m[2 * PG + 5] == 0, "MADV_DONTNEED on private "
	    "anonymous memory did not zero it");
	CHECK_ERRNO(madvise(m + 1, PG, MADV_DONTNEED), EINVAL);
	CHECK_ERRNO(madvise(m, PG, 9999), EINVAL);
}

/* msync, mlock/munlock and madvise check the range (ENOMEM when part is
 * unmapped) and their flags (EINVAL); on mapped memory they succeed and
 * keep the contents. */
static void
msync_mlock(void)
{
	char *m;

	m = map_anon(4 * PG, PROT_READ | PROT_WRITE);
	m[0] = 'k';
	CHECK_OK(munmap(m + 2 * PG, PG));
	CHECK_OK(msync(m, 2 * PG, MS_SYNC));
	CHECK_OK(msync(m, PG, MS_ASYNC | MS_INVALIDATE));
	CHECK_ERRNO(msync(m + 1, PG, MS_SYNC), EINVAL);
	CHECK_ERRNO(msync(m, PG, MS_SYNC | MS_ASYNC), EINVAL);
	CHECK_ERRNO(msync(m, PG, 0x100), EINVAL);
	CHECK_ERRNO(msync(m, 4 * PG, MS_SYNC), ENOMEM);
	CHECK_OK(mlock(m, PG));
	CHECK(m[0] == 'k', "mlock changed the contents");
	CHECK_OK(munlock(m, PG));
	CHECK_ERRNO(mlock(m + PG, 2 * PG), ENOMEM);
	CHECK_ERRNO(munlock(m + 2 * PG, PG), ENOMEM);
	CHECK_OK(madvise(m, 2 * PG, MADV_WILLNEED));
	CHECK_OK(madvise(m, 2 * PG, MADV_NORMAL));
	CHECK_ERRNO(madvise(m + PG, 2 * PG, MADV_NORMAL), ENOMEM);
	CHECK(m[0] == 'k' && m[PG] == 0, "contents after the calls");
	CHECK_ERRNO(mlockall(0), EINVAL);
	CHECK_OK(munlockall());
}

static void
brk_growth(void)
{
	uintptr_t cur, want, got;
	volatile char *p;

	cur = (uintptr_t)syscall(SYS_brk, 0);
	CHECK(cur != 0 && (long)cur != -1, "brk(0) = %#lx",
	    (unsigned long)cur);
	want = cur + 256 * 1024;
	got = (uintptr_t)syscall(SYS_brk, want);
	CHECK(got == want, "brk grow to %#lx gave %#lx", (unsigned long)want,
	    (unsigned long)got);
	for (p = (char *)cur; (uintptr_t)p < want; p += PG)
		CHECK(*p == 0, "new brk memory not zero");
	for (p = (char *)cur; (uintptr_t)p < want; p += PG)
		*p = 1;
	got = (uintptr_t)syscall(SYS_brk, cur + PG);
	CHECK(got == cur + PG, "brk shrink gave %#lx", (unsigned long)got);
	ps_expect_signal("load above a shrunk brk", ps_wait(ps_spawn(
	    touch_child, (void *)(((cur + PG) | (PG - 1)) + 1 + 2 * PG))),
	    SIGSEGV);
	/* Nonsense requests leave the break where it is. */
	got = (uintptr_t)syscall(SYS_brk, 1);
	CHECK(got == cur + PG, "brk(1) moved the break to %#lx",
	    (unsigned long)got);
	got = (uintptr_t)syscall(SYS_brk, (uintptr_t)1 << 62);
	CHECK(got == cur + PG, "brk(huge) moved the break to %#lx",
	    (unsigned long)got);
}


/* ---- copy-on-write fork and more mm errors ---- */

/*
 * Parent and child write the same private page after fork: each sees its
 * own value, in the data segment and on the heap.  The child checks it
 * still sees the pre-fork value after the parent's store (pipe order).
 */
static char cow_data[3 * PG] = { 'a' };

static void
cow_isolation(void)
{
	char *heap, c;
	int to_child[2], to_parent[2], st;
	pid_t pid;

	heap = malloc(8 * PG);
	CHECK(heap != NULL, "malloc");
	memset(heap, 'h', 8 * PG);
	memset(cow_data, 'a', sizeof(cow_data));
	CHECK_OK(pipe(to_child));
	CHECK_OK(pipe(to_parent));
	pid = fork();
	CHECK(pid != -1, "fork: %s", strerror(errno));
	if (pid == 0) {
		/* Wait for the parent's stores, then look and store. */
		if (read(to_child[0], &c, 1) != 1)
			_exit(2);
		if (cow_data[0] != 'a' || heap[PG] != 'h')
			_exit(3);
		cow_data[0] = 'c';
		heap[PG] = 'c';
		if (cow_data[0] != 'c' || heap[PG] != 'c' ||
		    cow_data[2 * PG] != 'a' || heap[7 * PG] != 'h')
			_exit(4);
		(void)!write(to_parent[1], "x", 1);
		_exit(0);
	}
	cow_data[0] = 'p';
	heap[PG] = 'p';
	CHECK(write(to_child[1], "x", 1) == 1, "write to child");
	CHECK(read(to_parent[0], &c, 1) == 1, "child did not answer");
	CHECK(waitpid(pid, &st, 0) == pid, "waitpid");
	ps_expect_exit("child saw its own copy", st, 0);
	CHECK(cow_data[0] == 'p' && heap[PG] == 'p', "parent sees %c %c, "
	    "want its own p p", cow_data[0], heap[PG]);
	CHECK(cow_data[PG] == 'a' && heap[0] == 'h', "untouched pages "
	    "changed");
	free(heap);
}

static int
big_child(void *arg)
{
	unsigned char *m = arg;
	size_t i;

	/* Read every page, write a few: only those get copied. */
	for (i = 0; i < (16u << 20); i += PG)
		if (m[i] != (unsigned char)(i / PG))
			return (1);
	m[0] = 0xee;
	m[(8u << 20)] = 0xee;
	return (m[0] == 0xee ? 0 : 2);
}

/* A 16 MiB heap forks quickly (no eager copy) and stays intact. */
static void
cow_large_fork(void)
{
	unsigned char *m;
	size_t i, len = 16u << 20;
	int k;

	m = malloc(len);
	CHECK(m != NULL, "malloc 16 MiB");
	for (i = 0; i < len; i += PG)
		m[i] = (unsigned char)(i / PG);
	for (k = 0; k < 8; k++)
		ps_run_child("child of a 16 MiB heap", big_child, m);
	CHECK(m[0] == 0 && m[8u << 20] == (unsigned char)((8u << 20) / PG),
	    "a child's store reached the parent");
	free(m);
}

/*
 * The last holder: a grandchild writes its copy-on-write pages after its
 * parent has exited (and the case process keeps writing too).
 */
static void
cow_after_parent_exit(void)
{
	int p[2], st;
	char *m, ok = 0;
	pid_t a;

	m = map_anon(4 * PG, PROT_READ | PROT_WRITE);
	memset(m, 'm', 4 * PG);
	CHECK_OK(pipe(p));
	a = fork();
	CHECK(a != -1, "fork: %s", strerror(errno));
	if (a == 0) {
		pid_t g = fork(), me = getppid();
		int i;

		if (g != 0)
			_exit(g == -1 ? 1 : 0);
		close(p[0]);
		/* Until the middle process is gone (bounded). */
		for (i = 0; i < 200 && getppid() == me; i++)
			usleep(5000);
		for (i = 0; i < 4; i++)
			m[i * PG + 1] = 'g';
		ok = m[0] == 'm' && m[1] == 'g' && m[3 * PG + 1] == 'g' ? 1 : 2;
		(void)!write(p[1], &ok, 1);
		_exit(0);
	}
	close(p[1]);
	CHECK(waitpid(a, &st, 0) == a, "waitpid");
	ps_expect_exit("middle process", st, 0);
	m[1] = 'p';
	CHECK(read(p[0], &ok, 1) == 1, "the grandchild never reported");
	CHECK(ok == 1, "grandchild saw wrong bytes after its parent exited");
	CHECK(m[1] == 'p' && m[PG + 1] == 'm', "grandchild's store seen by "
	    "the case process");
	close(p[0]);
}

static int
ro_child(void *arg)
{
	char *m = arg;

	if (m[0] != 'r')
		return (1);
	if (mprotect(m, PG, PROT_READ | PROT_WRITE) != 0)
		return (2);
	m[0] = 'c';
	return (m[0] == 'c' ? 0 : 3);
}

/*
 * A read-only private page shared by fork: the child makes it writable
 * and stores (its own copy); the parent still reads its byte, and still
 * faults on a store until it makes the page writable itself.
 */
static void
cow_mprotect_fork(void)
{
	char *m;

	m = map_anon(PG, PROT_READ | PROT_WRITE);
	m[0] = 'r';
	CHECK_OK(mprotect(m, PG, PROT_READ));
	ps_run_child("child unprotects and writes", ro_child, m);
	CHECK(m[0] == 'r', "child's store reached the parent (%c)", m[0]);
	ps_expect_signal("store to the parent's read-only page", ps_wait(
	    ps_spawn(store_child, m)), SIGSEGV);
	CHECK_OK(mprotect(m, PG, PROT_READ | PROT_WRITE));
	m[0] = 'p';
	CHECK(m[0] == 'p', "parent store");
}

static sigjmp_buf segv_jmp;
static volatile int segv_code;
static void *volatile segv_addr;

static void
on_segv(int s, siginfo_t *si, void *uc)
{
	(void)s;
	(void)uc;
	segv_code = si->si_code;
	segv_addr = si->si_addr;
	siglongjmp(segv_jmp, 1);
}

/* SIGSEGV's si_code: SEGV_MAPERR outside a mapping, SEGV_ACCERR against
 * its protection; si_addr is the faulting address. */
static void
segv_si_code(void)
{
	struct sigaction sa;
	volatile char *m;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	CHECK_OK(sigaction(SIGSEGV, &sa, NULL));
	m = map_anon(2 * PG, PROT_READ | PROT_WRITE);
	CHECK_OK(munmap((void *)(m + PG), PG));
	CHECK_OK(mprotect((void *)m, PG, PROT_READ));
	if (sigsetjmp(segv_jmp, 1) == 0) {
		m[PG + 8] = 1;
		ps_fail("store to an unmapped page did not fault");
	}
	CHECK(segv_code == SEGV_MAPERR && segv_addr == (void *)(m + PG + 8),
	    "unmapped: si_code %d addr %p, want %d %p", segv_code,
	    segv_addr, SEGV_MAPERR, (void *)(m + PG + 8));
	if (sigsetjmp(segv_jmp, 1) == 0) {
		m[16] = 1;
		ps_fail("store to a PROT_READ page did not fault");
	}
	CHECK(segv_code == SEGV_ACCERR && segv_addr == (void *)(m + 16),
	    "read-only: si_code %d addr %p, want %d %p", segv_code,
	    segv_addr, SEGV_ACCERR, (void *)(m + 16));
	CHECK_OK(mprotect((void *)m, PG, PROT_NONE));
	if (sigsetjmp(segv_jmp, 1) == 0) {
		(void)m[0];
		ps_fail("load from a PROT_NONE page did not fault");
	}
	CHECK(segv_code == SEGV_ACCERR, "PROT_NONE: si_code %d, want %d",
	    segv_code, SEGV_ACCERR);
	sa.sa_handler = SIG_DFL;
	sa.sa_flags = 0;
	sigaction(SIGSEGV, &sa, NULL);
}

/* MAP_FIXED_NOREPLACE, hints, partial munmap splits, MAP_POPULATE. */
static void
mmap_fixed_split(void)
{
	char *r, *m;

	r = map_anon(4 * PG, PROT_READ | PROT_WRITE);
	memset(r, 'r', 4 * PG);
	m = mmap(r + PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
	    MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(m == MAP_FAILED && errno == EEXIST, "MAP_FIXED_NOREPLACE over "
	    "a mapping: %s", m == MAP_FAILED ? strerror(errno) : "mapped");
	CHECK(r[PG] == 'r', "MAP_FIXED_NOREPLACE changed the old page");
	/* Split: the middle goes, both sides stay, mprotect sees the hole. */
	CHECK_OK(munmap(r + PG, 2 * PG));
	CHECK(r[0] == 'r' && r[3 * PG] == 'r', "sides of the hole lost");
	CHECK_OK(mprotect(r, PG, PROT_READ));
	CHECK_OK(mprotect(r + 3 * PG, PG, PROT_READ));
	CHECK_ERRNO(mprotect(r, 4 * PG, PROT_READ), ENOMEM);
	CHECK_ERRNO(madvise(r + PG, PG, MADV_DONTNEED), ENOMEM);
	/* The hole takes a NOREPLACE mapping now, and a hint is kept. */
	m = mmap(r + PG, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(m == r + PG, "MAP_FIXED_NOREPLACE into a hole: %s",
	    m == MAP_FAILED ? strerror(errno) : "other address");
	CHECK(m[0] == 0, "new page not zero");
	m = mmap(r + 2 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1,
	    0);
	CHECK(m == r + 2 * PG, "free hint not used (%p, want %p)", (void *)m,
	    (void *)(r + 2 * PG));
	m = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	CHECK(m != MAP_FAILED, "MAP_POPULATE: %s", strerror(errno));
	CHECK(m[0] == 0 && m[7 * PG] == 0, "populated pages not zero");
	/* mremap shrink keeps the head and drops the tail. */
	m[0] = 's';
	CHECK(mremap(m, 8 * PG, 2 * PG, 0) == m, "mremap shrink");
	CHECK(m[0] == 's', "shrink lost the head");
	CHECK_ERRNO(mprotect(m + 4 * PG, PG, PROT_READ), ENOMEM);
}

/* ---- threads ---- */

static void *
thread_ret(void *arg)
{

	return ((char *)arg + 1);
}

static void
pthread_create_join(void)
{
	pthread_t t;
	void *r;
	int e;

	e = pthread_create(&t, NULL, thread_ret, (void *)0x1000);
	CHECK(e == 0, "pthread_create: %s", strerror(e));
	e = pthread_join(t, &r);
	CHECK(e == 0 && r == (void *)0x1001, "join: %s, value %p",
	    strerror(e), r);
}

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static atomic_int acount;

static void *
mutex_worker(void *arg)
{
	int i;

	for (i = 0; i < 20000; i++) {
		pthread_mutex_lock(&mu);
		counter++;
		pthread_mutex_unlock(&mu);
		atomic_fetch_add(&acount, 1);
		if ((i & 1023) == 0)
			sched_yield();
	}
	return (NULL);
}

static void
pthread_mutex_count(void)
{
	pthread_t t[8];
	int i, e;

	for (i = 0; i < 8; i++) {
		e = pthread_create(&t[i], NULL, mutex_worker, NULL);
		CHECK(e == 0, "pthread_create %d: %s", i, strerror(e));
	}
	for (i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	CHECK(counter == 8 * 20000 && acount == 8 * 20000,
	    "counter %ld atomic %d, want %d", counter, (int)acount,
	    8 * 20000);
}

static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int slot, slot_full, consumed_sum;

static void *
consumer(void *arg)
{
	int i;

	for (i = 0; i < 1000; i++) {
		pthread_mutex_lock(&mu);
		while (!slot_full)
			pthread_cond_wait(&cv, &mu);
		consumed_sum += slot;
		slot_full = 0;
		pthread_cond_broadcast(&cv);
		pthread_mutex_unlock(&mu);
	}
	return (NULL);
}

static void
pthread_condvar(void)
{
	pthread_t t;
	struct timespec ts;
	int i, e;

	e = pthread_create(&t, NULL, consumer, NULL);
	CHECK(e == 0, "pthread_create: %s", strerror(e));
	for (i = 1; i <= 1000; i++) {
		pthread_mutex_lock(&mu);
		while (slot_full)
			pthread_cond_wait(&cv, &mu);
		slot = i;
		slot_full = 1;
		pthread_cond_broadcast(&cv);
		pthread_mutex_unlock(&mu);
	}
	pthread_join(t, NULL);
	CHECK(consumed_sum == 1000 * 1001 / 2, "sum %d", consumed_sum);
	/* A timed wait nobody signals times out. */
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 20000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&mu);
	e = pthread_cond_timedwait(&cv, &mu, &ts);
	pthread_mutex_unlock(&mu);
	CHECK(e == ETIMEDOUT, "timedwait: %s", strerror(e));
}

static __thread int tls_var = 5;
static __thread char tls_big[1000];

static void *
tls_worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	int i, bad = 0;

	if (tls_var != 5 || tls_big[999] != 0)
		return ((void *)1);
	tls_var = id;
	memset(tls_big, id, sizeof(tls_big));
	for (i = 0; i < 100; i++) {
		sched_yield();
		if (tls_var != id || tls_big[500] != (char)id)
			bad = 1;
	}
	return ((void *)(intptr_t)bad);
}

static void
pthread_tls(void)
{
	pthread_t t[6];
	void *r;
	int i;

	tls_var = 99;
	for (i = 0; i < 6; i++)
		CHECK(pthread_create(&t[i], NULL, tls_worker,
		    (void *)(intptr_t)(i + 10)) == 0, "pthread_create");
	for (i = 0; i < 6; i++) {
		pthread_join(t[i], &r);
		CHECK(r == NULL, "thread %d saw a foreign TLS value", i);
	}
	CHECK(tls_var == 99, "main thread's TLS changed to %d", tls_var);
}

static volatile long thread_tid;

static void *
tid_worker(void *arg)
{

	thread_tid = ps_gettid();
	return ((void *)(intptr_t)getpid());
}

static void
thread_ids(void)
{
	pthread_t t;
	void *r;

	CHECK(pthread_create(&t, NULL, tid_worker, NULL) == 0, "create");
	pthread_join(t, &r);
	CHECK((pid_t)(intptr_t)r == getpid(), "thread's getpid differs");
	CHECK(thread_tid != getpid() && thread_tid > 0, "thread tid %ld",
	    thread_tid);
}

static void *
exiting_worker(void *arg)
{

	ps_msleep(10);
	exit(23);
}

static int
exit_group_child(void *arg)
{
	pthread_t t;

	if (pthread_create(&t, NULL, exiting_worker, NULL) != 0)
		return (1);
	for (;;)
		pause();
}

static void
thread_exit_group(void)
{

	ps_expect_exit("exit() from a second thread ends the process",
	    ps_wait(ps_spawn(exit_group_child, NULL)), 23);
}

static volatile long sig_thread_tid;

static void
on_tsig(int s)
{

	sig_thread_tid = ps_gettid();
}

static void *
sig_worker(void *arg)
{
	int i;

	thread_tid = ps_gettid();
	for (i = 0; i < 5000 && sig_thread_tid == 0; i++)
		ps_msleep(1);
	return (NULL);
}

static void
thread_directed_signal(void)
{
	struct sigaction sa;
	pthread_t t;
	int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_tsig;
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	CHECK(pthread_create(&t, NULL, sig_worker, NULL) == 0, "create");
	for (i = 0; i < 5000 && thread_tid == 0; i++)
		ps_msleep(1);
	CHECK(pthread_kill(t, SIGUSR1) == 0, "pthread_kill");
	pthread_join(t, NULL);
	CHECK(sig_thread_tid == thread_tid, "handler ran on tid %ld, want "
	    "the target thread %ld", sig_thread_tid, thread_tid);
}

static int
futex(atomic_int *uaddr, int op, int val, const struct timespec *ts,
    atomic_int *uaddr2, int val3)
{

	return (syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3));
}

static atomic_int fword, fword2, woken;

static void *
futex_waiter(void *arg)
{
	atomic_int *w = arg;

	while (atomic_load(w) == 0)
		futex(w, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	atomic_fetch_add(&woken, 1);
	return (NULL);
}

static void
futex_wait_wake(void)
{
	struct timespec ts = { 0, 5000000 };
	pthread_t t;
	int r;

	CHECK(futex(&fword, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0) == -1 &&
	    errno == EAGAIN, "wait on a changed value: %s", strerror(errno));
	r = futex(&fword, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0);
	CHECK(r == -1 && errno == ETIMEDOUT, "timed wait: %d %s", r,
	    strerror(errno));
	CHECK(futex(&fword, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) == 0,
	    "wake with no waiters");
	CHECK(pthread_create(&t, NULL, futex_waiter, &fword) == 0, "create");
	ps_msleep(20);
	atomic_store(&fword, 1);
	futex(&fword, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	pthread_join(t, NULL);
	CHECK(woken == 1, "waiter not woken");
	CHECK(futex(&fword, 99, 0, NULL, NULL, 0) == -1 &&
	    errno == ENOSYS, "unknown futex op: %s", strerror(errno));
	CHECK(futex((atomic_int *)((char *)&fword + 1), FUTEX_WAIT_PRIVATE, 0,
	    NULL, NULL, 0) == -1 && errno == EINVAL, "unaligned futex: %s",
	    strerror(errno));
	CHECK(futex((atomic_int *)8, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0) ==
	    -1 && errno == EFAULT, "futex at a bad address: %s",
	    strerror(errno));
}

static void *
requeue_waiter(void *arg)
{

	while (atomic_load(&fword) == 0)
		futex(&fword, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	atomic_fetch_add(&woken, 1);
	return (NULL);
}

static void
futex_requeue(void)
{
	pthread_t t[3];
	int i, r, moved;

	for (i = 0; i < 3; i++)
		CHECK(pthread_create(&t[i], NULL, requeue_waiter, NULL) == 0,
		    "create");
	ps_msleep(30);
	/* Wake one, move the rest to fword2 (no one ever wakes that). */
	moved = 0;
	for (i = 0; i < 200 && moved < 3; i++) {
		r = futex(&fword, FUTEX_CMP_REQUEUE_PRIVATE, 0,
		    (const struct timespec *)(uintptr_t)INT_MAX, &fword2, 0);
		CHECK(r >= 0, "CMP_REQUEUE: %s", strerror(errno));
		moved += r;
		if (moved < 3)
			ps_msleep(5);
	}
	CHECK(moved == 3, "requeue/wake counted %d waiters, want 3", moved);
	CHECK(futex(&fword, FUTEX_CMP_REQUEUE_PRIVATE, 1,
	    (const struct timespec *)(uintptr_t)1, &fword2, 1) == -1 &&
	    errno == EAGAIN, "CMP_REQUEUE with a stale value: %s",
	    strerror(errno));
	atomic_store(&fword, 1);
	r = futex(&fword2, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
	futex(&fword, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	CHECK(woken == 3, "woken %d", (int)woken);
	CHECK(r >= 2, "only %d waiters were on the requeue target", r);
}

static void
set_tid_address_ret(void)
{
	static int ctid;
	long r;

	r = syscall(SYS_set_tid_address, &ctid);
	CHECK(r == ps_gettid(), "set_tid_address returned %ld, want tid %ld",
	    r, ps_gettid());
}

static void
arch_prctl_fs(void)
{
	unsigned long fs = 0;

	CHECK(syscall(SYS_arch_prctl, 0x1003 /* ARCH_GET_FS */, &fs) == 0,
	    "ARCH_GET_FS: %s", strerror(errno));
	/* musl's thread pointer is the fs base. */
	CHECK(fs == (unsigned long)pthread_self(), "fs base %#lx, "
	    "pthread_self %p", fs, (void *)pthread_self());
	CHECK_ERRNO(syscall(SYS_arch_prctl, 0x9999, &fs), EINVAL);
	CHECK_ERRNO(syscall(SYS_arch_prctl, 0x1003, (void *)8), EFAULT);
}

/* ---- misc ---- */

static void
uname_fields(void)
{
	struct utsname u;

	CHECK_OK(uname(&u));
	CHECK(u.sysname[0] != '\0' && u.release[0] != '\0',
	    "empty sysname/release");
	CHECK(strcmp(u.machine, "x86_64") == 0, "machine %s", u.machine);
	CHECK_ERRNO(syscall(SYS_uname, (void *)8), EFAULT);
}

static void
getrandom_bytes(void)
{
	unsigned char a[64], b[64];
	ssize_t r;

	r = getrandom(a, sizeof(a), 0);
	CHECK(r == (ssize_t)sizeof(a), "getrandom: %zd %s", r,
	    strerror(errno));
	r = getrandom(b, sizeof(b), GRND_NONBLOCK);
	CHECK(r == (ssize_t)sizeof(b), "getrandom nonblock: %zd", r);
	CHECK(memcmp(a, b, sizeof(a)) != 0, "two draws are equal");
	CHECK(getrandom(a, 0, 0) == 0, "zero-length draw");
	CHECK_ERRNO(getrandom(a, 8, 0x1000), EINVAL);
	CHECK_ERRNO(getrandom((void *)8, 8, 0), EFAULT);
}

static int64_t
ns(const struct timespec *t)
{

	return ((int64_t)t->tv_sec * 1000000000 + t->tv_nsec);
}

static void
clock_monotonic(void)
{
	struct timespec a, b, res;
	int i;

	CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &a));
	for (i = 0; i < 10000; i++) {
		CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &b));
		CHECK(b.tv_nsec >= 0 && b.tv_nsec < 1000000000, "tv_nsec %ld",
		    b.tv_nsec);
		CHECK(ns(&b) >= ns(&a), "monotonic clock went back");
		a = b;
	}
	CHECK_OK(clock_gettime(CLOCK_REALTIME, &a));
	CHECK(a.tv_nsec >= 0 && a.tv_nsec < 1000000000, "realtime nsec");
	CHECK_OK(clock_getres(CLOCK_MONOTONIC, &res));
	CHECK(ns(&res) > 0 && ns(&res) <= 1000000000, "resolution %lld ns",
	    (long long)ns(&res));
	CHECK_ERRNO(clock_gettime(12345, &a), EINVAL);
	CHECK_ERRNO(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (void *)8),
	    EFAULT);
}

static void
sleep_at_least(void)
{
	struct timespec a, b, d = { 0, 20000000 }, bad;

	clock_gettime(CLOCK_MONOTONIC, &a);
	CHECK_OK(nanosleep(&d, NULL));
	clock_gettime(CLOCK_MONOTONIC, &b);
	CHECK(ns(&b) - ns(&a) >= 20000000, "nanosleep 20 ms took %lld ns",
	    (long long)(ns(&b) - ns(&a)));
	bad.tv_sec = 0;
	bad.tv_nsec = 1000000000;
	CHECK_ERRNO(nanosleep(&bad, NULL), EINVAL);
	bad.tv_sec = -1;
	bad.tv_nsec = 0;
	CHECK_ERRNO(nanosleep(&bad, NULL), EINVAL);
	CHECK_ERRNO(syscall(SYS_nanosleep, (void *)8, NULL), EFAULT);
	d.tv_nsec = 0;
	CHECK_OK(nanosleep(&d, NULL));
}

static void
clock_nanosleep_abs(void)
{
	struct timespec now, target, bad = { 0, 2000000000L };
	int e;

	clock_gettime(CLOCK_MONOTONIC, &now);
	target = now;
	target.tv_nsec += 15000000;
	if (target.tv_nsec >= 1000000000) {
		target.tv_sec++;
		target.tv_nsec -= 1000000000;
	}
	e = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, NULL);
	CHECK(e == 0, "clock_nanosleep: %s", strerror(e));
	clock_gettime(CLOCK_MONOTONIC, &now);
	CHECK(ns(&now) >= ns(&target), "woke before the absolute target");
	/*
	 * A target in the past returns at once.  Ten seconds back, or the
	 * clock's zero when it started less than that ago (RustOS's
	 * monotonic clock counts from boot; a negative tv_sec is EINVAL).
	 */
	if (target.tv_sec >= 10)
		target.tv_sec -= 10;
	else
		target.tv_sec = target.tv_nsec = 0;
	e = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, NULL);
	CHECK(e == 0, "past target: %s", strerror(e));
	e = clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL);
	CHECK(e == EINVAL, "bad nsec: %s", strerror(e));
	e = clock_nanosleep(12345, 0, &target, NULL);
	CHECK(e == EINVAL || e == ENOTSUP, "bad clock: %s", strerror(e));
	/* Relative sleep on the realtime clock. */
	target.tv_sec = 0;
	target.tv_nsec = 1000000;
	e = clock_nanosleep(CLOCK_REALTIME, 0, &target, NULL);
	CHECK(e == 0, "realtime relative sleep: %s", strerror(e));
}

static void
sched_calls(void)
{
	cpu_set_t set;
	int i;

	for (i = 0; i < 100; i++)
		CHECK_OK(sched_yield());
	CPU_ZERO(&set);
	CHECK_OK(sched_getaffinity(0, sizeof(set), &set));
	CHECK(CPU_COUNT(&set) >= 1, "no CPU in the affinity mask");
	CHECK_ERRNO(sched_getaffinity(0, 0, &set), EINVAL);
	CHECK_ERRNO(syscall(SYS_sched_getaffinity, 0, sizeof(set),
	    (void *)8), EFAULT);
}

static void
getpid_family(void)
{

	CHECK(getpid() > 0 && getppid() > 0, "pid %d ppid %d", (int)getpid(),
	    (int)getppid());
	CHECK(ps_gettid() == getpid(), "single-threaded tid != pid");
	CHECK(syscall(SYS_getpid) == getpid(), "raw getpid");
}

static int
memfd_child(void *arg)
{
	volatile char *m = arg;

	if (m[0] != 'm')
		return (1);
	m[1] = 'c';
	return (0);
}

static void
memfd_shared_fork(void)
{
	char *m;
	int fd;

	fd = memfd_create("psuite", MFD_CLOEXEC);
	if (fd == -1 && errno == ENOSYS)
		ps_fail("memfd_create: ENOSYS");
	CHECK(fd != -1, "memfd_create: %s", strerror(errno));
	CHECK_OK(ftruncate(fd, PG));
	m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED, "mmap memfd: %s", strerror(errno));
	m[0] = 'm';
	ps_run_child("child on the shared memfd mapping", memfd_child, m);
	CHECK(m[1] == 'c', "child's store not seen through MAP_SHARED memfd");
	CHECK(pread(fd, m + 8, 2, 0) == 2 && m[8] == 'm' && m[9] == 'c',
	    "memfd contents differ from the mapping");
	CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC, "MFD_CLOEXEC not set");
	CHECK_ERRNO(memfd_create("psuite", 0x1000), EINVAL);
	CHECK_ERRNO(syscall(SYS_memfd_create, (void *)8, 0), EFAULT);
	close(fd);
}

/*
 * A child that ends without closing its memfds: the exit drops them and
 * their pages.  MEMFD_LEAK_CHILDREN children each hold 24 MiB (six
 * 4 MiB memfds, every page touched, then unmapped: only the fd keeps
 * them) -- more than the 1 GiB RustOS guest has in all, so a leak makes
 * a later child fail.
 */
#define MEMFD_LEAK_CHILDREN	48
#define MEMFD_LEAK_SIZE		(4UL << 20)

static int
memfd_leak_child(void *arg)
{
	char *m;
	size_t off;
	int i, fd;

	(void)arg;
	for (i = 0; i < 6; i++) {
		if ((fd = memfd_create("leak", 0)) == -1)
			return (1);
		if (ftruncate(fd, (off_t)MEMFD_LEAK_SIZE) != 0)
			return (2);
		m = mmap(NULL, MEMFD_LEAK_SIZE, PROT_READ | PROT_WRITE,
		    MAP_SHARED, fd, 0);
		if (m == MAP_FAILED)
			return (3);
		for (off = 0; off < MEMFD_LEAK_SIZE; off += PG)
			m[off] = (char)(i + 1);
		if (munmap(m, MEMFD_LEAK_SIZE) != 0)
			return (4);
	}
	return (0);				/* the fds stay open */
}

static void
memfd_exit_release(void)
{
	char what[48];
	int i;

	for (i = 0; i < MEMFD_LEAK_CHILDREN; i++) {
		snprintf(what, sizeof(what), "memfd child %d", i);
		ps_run_child(what, memfd_leak_child, NULL);
	}
}

/* memfd as a file: write/read/lseek/pread/pwrite/readv, fstat size,
 * ftruncate, and a MAP_PRIVATE copy that does not write back. */
static void
memfd_file_io(void)
{
	struct stat st;
	struct iovec iv[2];
	char buf[16], a[3], b[3], *m;
	int fd;

	fd = memfd_create("psuite-io", 0);
	CHECK(fd != -1, "memfd_create: %s", strerror(errno));
	CHECK(write(fd, "hello", 5) == 5, "write");
	CHECK(lseek(fd, 0, SEEK_SET) == 0, "lseek");
	CHECK(read(fd, buf, sizeof(buf)) == 5 && memcmp(buf, "hello", 5) == 0,
	    "read back");
	CHECK(read(fd, buf, sizeof(buf)) == 0, "read at the end is not EOF");
	CHECK(pwrite(fd, "xy", 2, 8190) == 2, "pwrite across a page");
	CHECK_OK(fstat(fd, &st));
	CHECK(st.st_size == 8192, "size %lld, want 8192",
	    (long long)st.st_size);
	CHECK(pread(fd, buf, 4, 8188) == 4 && buf[0] == 0 && buf[2] == 'x' &&
	    buf[3] == 'y', "pread across a page");
	CHECK(lseek(fd, 0, SEEK_END) == 8192, "SEEK_END");
	CHECK(lseek(fd, 0, SEEK_SET) == 0, "SEEK_SET");
	iv[0].iov_base = a;
	iv[0].iov_len = 3;
	iv[1].iov_base = b;
	iv[1].iov_len = 3;
	CHECK(readv(fd, iv, 2) == 6 && memcmp(a, "hel", 3) == 0 &&
	    memcmp(b, "lo\0", 3) == 0, "readv");
	m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(m != MAP_FAILED, "private memfd mapping: %s", strerror(errno));
	CHECK(memcmp(m, "hello", 5) == 0, "private mapping content");
	m[0] = 'J';
	CHECK(pread(fd, buf, 1, 0) == 1 && buf[0] == 'h', "private store "
	    "reached the memfd");
	CHECK_OK(ftruncate(fd, 3));
	CHECK_OK(fstat(fd, &st));
	CHECK(st.st_size == 3, "size after ftruncate %lld",
	    (long long)st.st_size);
	CHECK(pread(fd, buf, sizeof(buf), 0) == 3, "read after ftruncate");
	CHECK_ERRNO(ftruncate(fd, -1), EINVAL);
	close(fd);
}

/* A shared memfd mapping ends at the memfd's size: SIGBUS past it, and
 * ftruncate makes more of the mapping usable. */
static void
memfd_sigbus(void)
{
	char *m;
	int fd;

	fd = memfd_create("psuite-bus", MFD_CLOEXEC);
	CHECK(fd != -1, "memfd_create: %s", strerror(errno));
	m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED, "mmap an empty memfd: %s", strerror(errno));
	ps_expect_signal("load from an empty memfd's mapping", ps_wait(
	    ps_spawn(touch_child, m)), SIGBUS);
	CHECK_OK(ftruncate(fd, PG));
	m[0] = 'a';
	CHECK(pread(fd, m + 8, 1, 0) == 1 && m[8] == 'a', "store not in the "
	    "memfd");
	ps_expect_signal("load past the memfd's size", ps_wait(ps_spawn(
	    touch_child, m + PG)), SIGBUS);
	close(fd);
}

/* Absolute and normalised: no empty, "." or ".." component. */
static int
path_is_normal(const char *p)
{

	if (p[0] != '/')
		return (0);
	if (strcmp(p, "/") == 0)
		return (1);
	return (strstr(p, "//") == NULL && strstr(p, "/./") == NULL &&
	    strstr(p, "/../") == NULL && p[strlen(p) - 1] != '/' &&
	    (strlen(p) < 2 || strcmp(p + strlen(p) - 2, "/.") != 0) &&
	    (strlen(p) < 3 || strcmp(p + strlen(p) - 3, "/..") != 0));
}

/*
 * Exec the helper ("report" mode) by a relative path with "." parts from
 * its directory (how 0) or by fd (execveat AT_EMPTY_PATH, how 1) and
 * return its /proc/self/exe.
 */
static const char *
helper_exe(int how)
{
	static char out[4096];
	char dir[512], rel[600], *slash;
	char *av[] = { "psuite-child", "report", NULL };
	char *ev[] = { NULL };
	const char *exe;
	int p[2], fd, st;
	size_t len = 0;
	ssize_t r;
	pid_t pid;

	snprintf(dir, sizeof(dir), "%s", ps_helper);
	slash = strrchr(dir, '/');
	if (slash == NULL)
		snprintf(rel, sizeof(rel), "././%s", dir);
	else
		snprintf(rel, sizeof(rel), "././%s", slash + 1);
	if (slash == dir)
		strcpy(dir, "/");
	else if (slash != NULL)
		*slash = '\0';
	else
		strcpy(dir, ".");
	CHECK_OK(pipe(p));
	pid = fork();
	CHECK(pid != -1, "fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		if (how == 0) {
			if (chdir(dir) == -1)
				_exit(126);
			execve(rel, av, ev);
		} else {
			if ((fd = open(ps_helper, O_RDONLY)) == -1)
				_exit(126);
			syscall(SYS_execveat, fd, "", av, ev, AT_EMPTY_PATH);
		}
		_exit(127);
	}
	close(p[1]);
	while (len < sizeof(out) - 1 && (r = read(p[0], out + len,
	    sizeof(out) - 1 - len)) != 0) {
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	out[len] = '\0';
	close(p[0]);
	st = ps_wait(pid);
	ps_expect_exit(how == 0 ? "helper by a relative path" :
	    "helper by fd", st, 0);
	exe = ps_report_get(out, "exe");
	CHECK(exe != NULL, "no exe= in the helper's report");
	return (exe);
}

/*
 * /proc/self/exe names the executable by its absolute, normalised path,
 * whether the process was launched by the runtime (psuite itself) or
 * exec'd by a relative path with "." parts or by fd: the same file as
 * the helper (same device and inode), never the argv[0] or path given.
 */
static void
proc_self_exe(void)
{
	char buf[512];
	const char *base, *exe;
	struct stat a, b;
	ssize_t n;
	int how;

	n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	CHECK(n > 0, "readlink /proc/self/exe: %s", strerror(errno));
	buf[n] = '\0';
	base = strrchr(buf, '/');
	base = base != NULL ? base + 1 : buf;
	CHECK(strcmp(base, "psuite") == 0 || strcmp(base, "psuite.elf") == 0,
	    "/proc/self/exe is %s", buf);
	CHECK(path_is_normal(buf), "/proc/self/exe %s is not absolute and "
	    "normalised", buf);
	CHECK_OK(stat(ps_helper, &b));
	for (how = 0; how < 2; how++) {
		exe = helper_exe(how);
		CHECK(path_is_normal(exe), "%s: exe %s is not absolute and "
		    "normalised", how == 0 ? "relative exec" : "fd exec", exe);
		CHECK(stat(exe, &a) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino, "%s: exe %s is not the helper %s",
		    how == 0 ? "relative exec" : "fd exec", exe, ps_helper);
	}
}

static void
robust_list(void)
{
	static struct { void *next; long off; void *pending; } head;
	void *got;
	size_t len;

	head.next = &head;
	CHECK(syscall(SYS_set_robust_list, &head, sizeof(head)) == 0,
	    "set_robust_list: %s", strerror(errno));
	CHECK(syscall(SYS_get_robust_list, 0, &got, &len) == 0 &&
	    got == &head && len == sizeof(head), "get_robust_list");
	CHECK_ERRNO(syscall(SYS_set_robust_list, &head, 7), EINVAL);
}

static void
hostile_pointers(void)
{
	int p[2];

	CHECK_OK(pipe(p));
	CHECK(write(p[1], "abc", 3) == 3, "write");
	CHECK_ERRNO(read(p[0], ps_addr(8), 3), EFAULT);
	CHECK_ERRNO(write(p[1], ps_addr(8), 3), EFAULT);
	CHECK_ERRNO(write(p[1], ps_addr(0xffff800000000000ULL), 3), EFAULT);
	CHECK_ERRNO(syscall(SYS_pipe, ps_addr(8)), EFAULT);
	CHECK_ERRNO(syscall(SYS_getcwd, ps_addr(8), 64), EFAULT);
	CHECK_ERRNO(syscall(SYS_open, ps_addr(8), O_RDONLY), EFAULT);
	CHECK_ERRNO(read(999, p, 1), EBADF);
	CHECK_ERRNO(syscall(99999), ENOSYS);
	CHECK_ERRNO(syscall(-1L), ENOSYS);
	/* Still alive and the pipe still works. */
	CHECK(write(p[1], "d", 1) == 1, "pipe after hostile calls");
}

const struct ps_case ps_cases_mm[] = {
	{ "mmap_anon_zeroed", mmap_anon_zeroed, 0 },
	{ "mmap_munmap_segv", mmap_munmap_segv, 0 },
	{ "mprotect_faults", mprotect_faults, 0 },
	{ "mprotect_errors", mprotect_errors, 0 },
	{ "mmap_errors", mmap_errors, 0 },
	{ "mmap_shared_across_fork", mmap_shared_across_fork, 0 },
	{ "mmap_file_private", mmap_file_private, 0 },
	{ "mmap_dev_zero", mmap_dev_zero, 0 },
	{ "mremap_grow", mremap_grow, 0 },
	{ "madvise_dontneed", madvise_dontneed, 0 },
	{ "msync_mlock", msync_mlock, 0 },
	{ "brk_growth", brk_growth, 0 },
	{ "cow_isolation", cow_isolation, 0 },
	{ "cow_large_fork", cow_large_fork, 0 },
	{ "cow_after_parent_exit", cow_after_parent_exit, 0 },
	{ "cow_mprotect_fork", cow_mprotect_fork, 0 },
	{ "segv_si_code", segv_si_code, 0 },
	{ "mmap_fixed_split", mmap_fixed_split, 0 },
	{ "pthread_create_join", pthread_create_join, 0 },
	{ "pthread_mutex_count", pthread_mutex_count, 0 },
	{ "pthread_condvar", pthread_condvar, 0 },
	{ "pthread_tls", pthread_tls, 0 },
	{ "thread_ids", thread_ids, 0 },
	{ "thread_exit_group", thread_exit_group, 0 },
	{ "thread_directed_signal", thread_directed_signal, 0 },
	{ "futex_wait_wake", futex_wait_wake, 0 },
	{ "futex_requeue", futex_requeue, 0 },
	{ "set_tid_address_ret", set_tid_address_ret, 0 },
	{ "arch_prctl_fs", arch_prctl_fs, 0 },
	{ "uname_fields", uname_fields, 0 },
	{ "getrandom_bytes", getrandom_bytes, 0 },
	{ "clock_monotonic", clock_monotonic, 0 },
	{ "sleep_at_least", sleep_at_least, 0 },
	{ "clock_nanosleep_abs", clock_nanosleep_abs, 0 },
	{ "sched_calls", sched_calls, 0 },
	{ "getpid_family", getpid_family, 0 },
	{ "memfd_shared_fork", memfd_shared_fork, 0 },
	{ "memfd_exit_release", memfd_exit_release, 240 },
	{ "memfd_file_io", memfd_file_io, 0 },
	{ "memfd_sigbus", memfd_sigbus, 0 },
	{ "proc_self_exe", proc_self_exe, 0 },
	{ "robust_list", robust_list, 0 },
	{ "hostile_pointers", hostile_pointers, 0 },
	{ NULL, NULL, 0 }
};
