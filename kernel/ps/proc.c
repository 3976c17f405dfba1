/*
 * proc.c -- user processes: the process table, the kernel-internal ELF64
 * ET_EXEC loader used for rootd and SPAWN_EXEC, the process-build sessions
 * of loaderd (PREPARE / MAP_DATA / MAP_ZEROED / SET_LINUX_RUNTIME / COMMIT
 * / ABORT), the Linux initial stack (argc, argv, envp, auxv), brk and
 * anonymous mmap, exit, zombies and wait4 on own children.
 *
 * One thread per process.  A process's thread is a kernel thread that
 * binds the process and its address space, then irets to the entry point.
 * Kernel code runs without preemption between safe points, so the table
 * is consistent without a lock on the single CPU.  Every ELF is validated
 * before anything is mapped; a bad one is -ENOEXEC, never a crash.
 */
#include <ps/api.h>
#include <ps/internal.h>
#include <hal/api.h>
#include <mm/api.h>
#include <io-manager/api.h>
#include <ipc-runtime/api.h>
#include <nucleus-core/api.h>

#include <rustos/proc_broker.h>

#define ENOEXEC		8
#define ECHILD		10
#define EACCES		13
#define EFAULT		14
#define EEXIST		17

#define USER_STACK_TOP		(MM_USER_END - MM_PAGE_SIZE)
#define USER_STACK_SIZE		(512UL * 1024)
/*
 * loaderd may ask for another stack size (RLIMIT_STACK at exec): a page
 * multiple up to this, which keeps the stack clear of the mmap area below
 * MMAP_TOP.  Stack pages are demand-paged, so a big limit costs nothing.
 */
#define USER_STACK_MAX		(32UL * 1024 * 1024)
#define MMAP_TOP		(MM_USER_END - 64UL * 1024 * 1024)
#define ARGS_MAX		4096
#define ARGS_ITEMS_MAX		64
#define MAX_SESSIONS		8

#define PF_X		1
#define PF_W		2

#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_BASE		7
#define AT_ENTRY	9
#define AT_UID		11
#define AT_EUID		12
#define AT_GID		13
#define AT_EGID		14
#define AT_PLATFORM	15
#define AT_HWCAP	16
#define AT_SECURE	23
#define AT_RANDOM	25
#define AT_HWCAP2	26
#define AT_EXECFN	31
#define AT_SYSINFO_EHDR	33
#define EXECFN_MAX	4096		/* a longer name is cut (kept NUL-ended) */



/*
 * What the initial stack and the start need, from ELF or loaderd.  entry
 * is the program's (AT_ENTRY); with a PT_INTERP interpreter the thread
 * starts at interp_entry and AT_BASE is interp_base (both 0 without).
 */
struct runtime {
	uint64_t entry, phdr, phnum, phent, brk_start;
	uint64_t interp_base, interp_entry;
	uint64_t stack_size;		/* 0: USER_STACK_SIZE */
	bool set;
};

/* Where the first user instruction is: the interpreter's entry, if any. */
static uint64_t
rt_start(const struct runtime *rt)
{
	return (rt->interp_entry != 0 ? rt->interp_entry : rt->entry);
}

struct session {
	bool used;
	uint64_t handle;
	long owner;			/* loaderd's pid */
	long parent;
	uint32_t weight;
	bool service;			/* PROC_PREPARE_FLAG_SERVICE granted */
	bool new_session;		/* PROC_PREPARE_FLAG_NEW_SESSION */
	long exec_pid;			/* bound by PROC_EXEC_TARGET, or 0 */
	struct mm_uvm *vm;
	struct runtime rt;
};

static struct ps_proc *procs;
static long next_pid = 1;
static long next_test_pid = 1000000;
static struct session sessions[MAX_SESSIONS];

/* Free a process structure and its fd table (either may be NULL). */
static void
proc_free(struct ps_proc *p)
{
	if (p == NULL)
		return;
	mm_kfree(p->fds);
	mm_kfree(p);
}

int
ps_fd_reserve(struct ps_proc *p, unsigned fd)
{
	struct ps_fd *t;
	unsigned cap;

	if (fd >= ps_fd_limit(p))
		return (-24);		/* EMFILE */
	if (fd < p->fd_cap)
		return (0);
	/* Double: a process opening fds one by one copies O(n) in all. */
	for (cap = p->fd_cap < PS_FD_TABLE_MIN ? PS_FD_TABLE_MIN : p->fd_cap;
	    cap <= fd; cap *= 2)
		;
	if (cap > PS_MAX_FDS)
		cap = PS_MAX_FDS;
	if ((t = mm_kzalloc(cap * sizeof(*t))) == NULL)
		return (-NC_ENOMEM);
	if (p->fd_cap > 0)
		memcpy(t, p->fds, p->fd_cap * sizeof(*t));
	mm_kfree(p->fds);
	p->fds = t;
	p->fd_cap = cap;
	return (0);
}

long
ps_fd_lowest(struct ps_proc *p, unsigned minfd)
{
	unsigned fd, lim = ps_fd_limit(p);
	int r;

	for (fd = minfd; fd < lim && fd < p->fd_cap; fd++)
		if (p->fds[fd].kind == PS_FD_NONE)
			return (fd);
	if (fd >= lim)
		return (-24);		/* EMFILE */
	/* Every entry from minfd up is taken: the next one is past fd_cap. */
	if ((r = ps_fd_reserve(p, fd)) < 0)
		return (r);
	return (fd);
}

/*
 * An execve in flight (one per process, while its upcall to procd runs):
 * the caller's argv/envp copied by the kernel, the ticket procd got, and
 * the image loaderd committed for it.
 */
struct ps_exec {
	char *blk;			/* argv block, then envp block */
	size_t argv_len, envp_len;
	char path[256];
	uint64_t ticket;
	struct mm_uvm *vm;		/* committed image, or NULL */
	struct runtime rt;
	struct ps_exec_file file;	/* exec_file.c */
	uint32_t ids[4];		/* uid, euid, gid, egid (auxv) */
};
static uint64_t next_session = 1;
static uint64_t rand_state = 0x9e3779b97f4a7c15ULL;

static void session_free(struct session *s);
static struct ps_proc *exec_by_ticket(uint64_t ticket);

struct ps_proc *
ps_proc_current(void)
{
	return (ps_current_proc());
}

long
ps_pid_alloc(void)
{
	return (next_pid++);
}

/* The main thread of a new process p (tid = pid) on kernel task ktid. */
static void
main_thread_init(struct ps_proc *p)
{
	p->main_thr.tid = p->pid;
	p->main_thr.proc = p;
	p->threads = &p->main_thr;
	p->nthreads = 1;
}

static void
exe_path_set(struct ps_proc *p, const char *path, size_t len)
{
	if (len >= sizeof(p->exe_path))
		len = sizeof(p->exe_path) - 1;
	memcpy(p->exe_path, path, len);
	p->exe_path[len] = '\0';
}

long
ps_proc_readlink_exe(struct ps_proc *p, uint64_t upath, uint64_t ubuf,
    uint64_t cap, bool *handled)
{
	char path[32];
	struct ps_proc *t = p;
	size_t i, n;
	long pid = 0;

	*handled = false;
	for (i = 0; i < sizeof(path); i++) {
		/* An unreadable path is not ours: the usual call reports it. */
		if (hal_copy_from_user(&path[i], upath + i, 1) != 0)
			return (0);
		if (path[i] == '\0')
			break;
	}
	if (i == sizeof(path) || strncmp(path, "/proc/", 6) != 0 ||
	    i < 10 || strcmp(path + i - 4, "/exe") != 0)
		return (0);
	path[i - 4] = '\0';
	if (strcmp(path + 6, "self") != 0 &&
	    strcmp(path + 6, "thread-self") != 0) {
		for (n = 6; path[n] != '\0'; n++) {
			if (path[n] < '0' || path[n] > '9' || pid > INT32_MAX)
				return (0);
			pid = pid * 10 + (path[n] - '0');
		}
		if (n == 6)
			return (0);
		*handled = true;
		if ((t = ps_proc_find(pid)) == NULL || t->zombie)
			return (-NC_ENOENT);
		if ((t->bootstrap || t->service_image) &&
		    !(p->bootstrap || p->service_image || p->caps != 0))
			return (-EACCES);
	}
	*handled = true;
	if ((int64_t)cap <= 0)
		return (-NC_EINVAL);
	n = strlen(t->exe_path);
	if (n == 0)
		return (-NC_ENOENT);
	if (n > cap)
		n = cap;
	return (hal_copy_to_user(ubuf, t->exe_path, n) != 0 ? -EFAULT :
	    (long)n);
}

struct ps_proc *
ps_proc_find(long pid)
{
	struct ps_proc *p;

	for (p = procs; p != NULL; p = p->next)
		if (p->pid == pid)
			return (p);
	return (NULL);
}

static uint64_t
prng(void)
{
	rand_state ^= hal_rdtsc();
	rand_state ^= rand_state << 13;
	rand_state ^= rand_state >> 7;
	rand_state ^= rand_state << 17;
	return (rand_state);
}

static unsigned
flags_prot(uint32_t pf)
{
	return ((pf & PF_W ? MM_PROT_WRITE : 0) | (pf & PF_X ? MM_PROT_EXEC : 0));
}

/*
 * Validate an ELF image and map its PT_LOADs into vm.  The rules are
 * those of docs/ai/bootstrap.md (the same loaderd applies).
 */
static int
elf_load(struct mm_uvm *vm, const uint8_t *img, uint64_t size,
    struct runtime *rt)
{
	struct ps_elf_info *info = mm_kmalloc(sizeof(*info));
	struct ps_elf_seg *sg;
	unsigned i;
	int rc;

	if (info == NULL)
		return (-NC_ENOMEM);
	rc = ps_elf_check(img, size, MM_USER_BASE, MMAP_TOP - USER_STACK_SIZE,
	    info);
	for (i = 0; rc == 0 && i < info->nload; i++) {
		sg = &info->seg[i];
		rc = mm_uvm_map_zero(vm, sg->lo, sg->hi - sg->lo,
		    flags_prot(sg->flags));
		if (rc == 0)
			rc = mm_uvm_write(vm, sg->vaddr, img + sg->offset,
			    sg->filesz);
		if (rc == -NC_EINVAL)
			rc = -ENOEXEC;
	}
	if (rc == 0) {
		memset(rt, 0, sizeof(*rt));
		rt->entry = info->entry;
		rt->phdr = info->phdr;
		rt->phnum = info->phnum;
		rt->phent = info->phent;
		rt->brk_start = info->brk;
		rt->set = true;
	}
	mm_kfree(info);
	return (rc);
}

/* Count the NUL-terminated items of a block; -EINVAL when malformed. */
static int
count_items(const char *b, size_t len)
{
	size_t i;
	int n = 0;

	if (len == 0)
		return (0);
	if (b[len - 1] != '\0')
		return (-NC_EINVAL);
	for (i = 0; i < len; i++)
		if (b[i] == '\0')
			n++;
	return (n > ARGS_ITEMS_MAX ? -NC_E2BIG : n);
}

/* AT_HWCAP on x86_64, as Linux: the feature bits of CPUID.1:EDX. */
static uint64_t
hwcap(void)
{
	uint32_t a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return (d);
}

/*
 * Map the stack and build the Linux initial stack: argc, argv[], NULL,
 * envp[], NULL, auxv, then the strings, the AT_RANDOM bytes, the
 * AT_EXECFN name (execfn: the path execve was given; a spawn's argv[0])
 * and the AT_PLATFORM string above.
 */
static int
build_stack(struct mm_uvm *vm, const struct runtime *rt, const char *argv,
    size_t argv_len, const char *envp, size_t envp_len, const uint32_t *ids,
    const char *execfn, uint64_t *sp_out)
{
	static const uint32_t root_ids[4];
	static const char platform[] = "x86_64";
	uint64_t *words, sp, str, base, rnd[2], fn_at, plat_at;
	int argc, envc, rc;
	long va;
	size_t nw = 0, i, k, fn_len;
	uint64_t cap, ssize, vdso;

	if ((argc = count_items(argv, argv_len)) < 0)
		return (argc);
	if ((envc = count_items(envp, envp_len)) < 0)
		return (envc);
	/* The stack's pages come on first touch (the top ones just below). */
	ssize = rt->stack_size != 0 ? rt->stack_size : USER_STACK_SIZE;
	va = mm_uvm_mmap(vm, USER_STACK_TOP - ssize, ssize,
	    MM_PROT_READ | MM_PROT_WRITE, MM_MAP_PRIVATE | MM_MAP_FIXED, NULL,
	    0, 0, 0);
	if (va < 0)
		return ((int)va);
	/* Strings, the random bytes, execfn and platform at the top. */
	if (execfn == NULL)
		execfn = argc > 0 ? argv : "";
	for (fn_len = 0; fn_len < EXECFN_MAX - 1 && execfn[fn_len] != '\0';
	    fn_len++)
		;
	str = USER_STACK_TOP - NC_ALIGN_UP(argv_len + envp_len + 16 +
	    fn_len + 1 + sizeof(platform), 16);
	fn_at = str + argv_len + envp_len + 16;
	plat_at = fn_at + fn_len + 1;
	if ((rc = mm_uvm_write(vm, str, argv, argv_len)) != 0 ||
	    (rc = mm_uvm_write(vm, str + argv_len, envp, envp_len)) != 0 ||
	    (rc = mm_uvm_write(vm, fn_at, execfn, fn_len)) != 0 ||
	    (rc = mm_uvm_write(vm, fn_at + fn_len, "", 1)) != 0 ||
	    (rc = mm_uvm_write(vm, plat_at, platform, sizeof(platform))) != 0)
		return (rc);
	rnd[0] = prng();
	rnd[1] = prng();
	if ((rc = mm_uvm_write(vm, str + argv_len + envp_len, rnd, 16)) != 0)
		return (rc);
	/* Without a vDSO (no memory) the libc takes the syscalls. */
	vdso = ps_vdso_map(vm);
	cap = 1 + argc + 1 + envc + 1 + 2 * 24;
	words = mm_kzalloc(cap * 8);
	if (words == NULL)
		return (-NC_ENOMEM);
	words[nw++] = (uint64_t)argc;
	for (i = 0, k = 0; k < (size_t)argc; k++) {
		words[nw++] = str + i;
		i += strlen(argv + i) + 1;
	}
	words[nw++] = 0;
	for (i = 0, k = 0; k < (size_t)envc; k++) {
		words[nw++] = str + argv_len + i;
		i += strlen(envp + i) + 1;
	}
	words[nw++] = 0;
#define AUX(t, v) do { words[nw++] = (t); words[nw++] = (v); } while (0)
	AUX(AT_PHDR, rt->phdr);
	AUX(AT_PHENT, rt->phent);
	AUX(AT_PHNUM, rt->phnum);
	AUX(AT_PAGESZ, MM_PAGE_SIZE);
	AUX(AT_ENTRY, rt->entry);
	if (rt->interp_base != 0)
		AUX(AT_BASE, rt->interp_base);
	/*
	 * syscalld's Linux credentials (real/effective uid, gid) when the
	 * exec caller has them, else root's; AT_SECURE as Linux sets it
	 * without file capabilities: effective ids differ from real ones.
	 */
	if (ids == NULL)
		ids = root_ids;
	AUX(AT_UID, ids[0]);
	AUX(AT_EUID, ids[1]);
	AUX(AT_GID, ids[2]);
	AUX(AT_EGID, ids[3]);
	AUX(AT_SECURE, ids[0] != ids[1] || ids[2] != ids[3]);
	AUX(AT_RANDOM, str + argv_len + envp_len);
	AUX(AT_HWCAP, hwcap());
	AUX(AT_HWCAP2, 0);
	AUX(AT_PLATFORM, plat_at);
	AUX(AT_EXECFN, fn_at);
	if (vdso != 0)
		AUX(AT_SYSINFO_EHDR, vdso);
	AUX(AT_NULL, 0);
#undef AUX
	base = (str - nw * 8) & ~15ULL;
	sp = base;
	rc = mm_uvm_write(vm, sp, words, nw * 8);
	mm_kfree(words);
	if (rc != 0)
		return (rc);
	*sp_out = sp;
	return (0);
}

struct start_info {
	struct ps_proc *p;
	uint64_t entry, sp;
};

static void
user_start(void *arg)
{
	struct start_info *si = arg;
	struct hal_trap_frame tf;

	memset(&tf, 0, sizeof(tf));
	tf.rip = si->entry;
	tf.rsp = si->sp;
	tf.cs = HAL_USER_CS;
	tf.ss = HAL_USER_SS;
	tf.rflags = 0x202;
	ps_current_set_user(si->p, mm_uvm_cr3(si->p->vm));
	ps_current_set_uthread(&si->p->main_thr);
	mm_kfree(si);
	hal_enter_user(&tf);
}

static void
basename_of(char *dst, size_t cap, const char *path, size_t len)
{
	size_t i, s = 0, n;

	for (i = 0; i < len; i++)
		if (path[i] == '/')
			s = i + 1;
	n = len - s;
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, path + s, n);
	dst[n] = '\0';
}

/* Create the process around a built address space and start its thread. */
static long
proc_start(struct mm_uvm *vm, const struct runtime *rt, const char *name,
    size_t name_len, const char *argv, size_t argv_len, const char *envp,
    size_t envp_len, long parent, uint32_t weight, bool bootstrap,
    bool service)
{
	struct ps_proc *p;
	struct start_info *si;
	uint64_t sp;
	long tid;
	int rc;

	/* Fault point: every process creation (SPAWN_EXEC, loaderd, tests). */
	if (nc_fault_should_fail("process.spawn")) {
		nc_warn(PROCESS, "process.spawn: injected failure (%.*s)",
		    (int)name_len, name);
		return (-NC_EAGAIN);
	}
	if ((rc = build_stack(vm, rt, argv, argv_len, envp, envp_len, NULL,
	    NULL, &sp)) != 0)
		return (rc);
	p = mm_kzalloc(sizeof(*p));
	si = mm_kzalloc(sizeof(*si));
	if (p != NULL && (p->fds = mm_kzalloc(PS_FD_TABLE_MIN *
	    sizeof(struct ps_fd))) != NULL)
		p->fd_cap = PS_FD_TABLE_MIN;
	if (p == NULL || si == NULL || p->fds == NULL) {
		proc_free(p);
		mm_kfree(si);
		return (-NC_ENOMEM);
	}
	basename_of(p->name, sizeof(p->name), name, name_len);
	p->umask = 022;		/* Linux's default */
	/* Self-test processes (parent -1) use pids apart from the real ones. */
	p->pid = parent == -1 ? next_test_pid++ : next_pid++;
	p->ppid = parent;
	p->vm = vm;
	p->brk_start = p->brk_cur = p->brk_mapped = rt->brk_start;
	p->mmap_low = MMAP_TOP;
	p->bootstrap = bootstrap;
	/*
	 * Granted by the trusted builder (SPAWN_EXEC's fixed allowlist, or a
	 * loaderd session prepared with PROC_PREPARE_FLAG_SERVICE), never
	 * derived from the executable path.
	 */
	p->service_image = service;
	{
		struct ps_proc *pp = parent > 0 ? ps_proc_find(parent) : NULL;

		p->pgid = pp != NULL ? pp->pgid : p->pid;
		p->sid = pp != NULL ? pp->sid : p->pid;
	}
	p->weight_micros = weight;
	p->fds[0].kind = p->fds[1].kind = p->fds[2].kind = PS_FD_CONSOLE;
	main_thread_init(p);
	exe_path_set(p, name, name_len);
	si->p = p;
	si->entry = rt_start(rt);
	si->sp = sp;
	tid = ps_thread_create(p->name, user_start, si, weight);
	if (tid < 0) {
		proc_free(p);
		mm_kfree(si);
		return (tid);
	}
	p->tid = p->main_thr.ktid = tid;
	ps_thread_place_after_current(tid);
	p->next = procs;
	procs = p;
	nc_info(PROCESS, "process %ld (%s) started, parent %ld, weight %u us",
	    p->pid, p->name, parent, weight);
	return (p->pid);
}

long
ps_proc_spawn_bootfs(const char *path, size_t path_len, const char *argv,
    size_t argv_len, long parent)
{
	const uint8_t *img;
	uint64_t size;
	struct mm_uvm *vm;
	struct runtime rt;
	long r;
	int idx;

	if ((idx = io_bootfs_lookup(path, path_len)) < 0)
		return (idx);
	io_bootfs_entry((unsigned)idx, NULL, &img, &size);
	if ((vm = mm_uvm_create()) == NULL)
		return (-NC_ENOMEM);
	r = elf_load(vm, img, size, &rt);
	if (r == 0)
		r = proc_start(vm, &rt, path, path_len, argv, argv_len, "", 0,
		    parent, PS_DEFAULT_WEIGHT_MICROS, parent == 0, true);
	if (r < 0) {
		mm_uvm_destroy(vm);
		nc_warn(PROCESS, "spawn %.*s failed (%ld)", (int)path_len, path,
		    r);
	}
	return (r);
}

/* ---- fork (copy-on-write address space, mm_uvm_fork) ---- */

#define CLONE_VM		0x100ULL
#define CLONE_VFORK		0x4000ULL
#define CLONE_CHILD_CLEARTID	0x200000ULL
#define CLONE_CHILD_SETTID	0x1000000ULL

struct fork_start {
	struct ps_proc *p;
	uint64_t fs_base;
	uint64_t settid;		/* CLONE_CHILD_SETTID address, or 0 */
	struct hal_trap_frame tf;
};

static void
fork_user_start(void *arg)
{
	struct fork_start *fs = arg;
	struct hal_trap_frame tf = fs->tf;
	int32_t tid = (int32_t)fs->p->pid;

	ps_current_set_user(fs->p, mm_uvm_cr3(fs->p->vm));
	ps_current_set_uthread(&fs->p->main_thr);
	ps_current_set_fs_base(fs->fs_base);
	/* In the child's own address space (a bad address is ignored). */
	if (fs->settid != 0)
		(void)hal_copy_to_user(fs->settid, &tid, sizeof(tid));
	mm_kfree(fs);
	hal_enter_user(&tf);
}

struct ps_proc *
ps_proc_first(void)
{
	return (procs);
}

unsigned
ps_proc_count_apps(void)
{
	struct ps_proc *c;
	unsigned n = 0;

	for (c = procs; c != NULL; c = c->next)
		if (!c->bootstrap && !c->service_image && !c->autoreap)
			n++;
	return (n);
}

/*
 * Free the zombies of `parent` that the system reaps (its SIGCHLD was
 * ignored or SA_NOCLDWAIT when they exited): wait never reports them.
 */
static void
reap_auto(long parent)
{
	struct ps_proc *c, **pp;

	for (pp = &procs; (c = *pp) != NULL;) {
		if (c->zombie && c->autoreap && c->ppid == parent) {
			*pp = c->next;
			ps_thread_reap(c, true);
			proc_free(c);
			continue;
		}
		pp = &c->next;
	}
}

long
ps_proc_fork(struct ps_proc *parent, struct ps_thread *th)
{
	struct ps_proc *c;
	struct fork_start *fs;
	struct mm_uvm *vm;
	bool share = (th->fork_flags & CLONE_VM) != 0;
	bool remote_ok;
	unsigned i;
	long tid;
	int rc;

	if (th->fork_tf == NULL || parent->vm == NULL ||
	    ps_proc_find(parent->pid) != parent || parent->zombie)
		return (-NC_EINVAL);
	reap_auto(parent->pid);
	if (nc_fault_should_fail("process.spawn"))
		return (-NC_EAGAIN);
	if (share) {
		/* vfork: the parent thread waits until we exec or exit. */
		vm = parent->vm;
	} else {
		if ((vm = mm_uvm_create()) == NULL)
			return (-NC_ENOMEM);
		/* Copy-on-write: both share the private pages read-only. */
		if ((rc = mm_uvm_fork(vm, parent->vm)) != 0) {
			mm_uvm_destroy(vm);
			return (rc);
		}
	}
	c = mm_kzalloc(sizeof(*c));
	fs = mm_kzalloc(sizeof(*fs));
	if (c != NULL && (c->fds = mm_kzalloc(parent->fd_cap *
	    sizeof(struct ps_fd))) != NULL)
		c->fd_cap = parent->fd_cap;
	if (c == NULL || fs == NULL || c->fds == NULL) {
		proc_free(c);
		mm_kfree(fs);
		if (!share)
			mm_uvm_destroy(vm);
		return (-NC_ENOMEM);
	}
	memcpy(c->name, parent->name, sizeof(c->name));
	exe_path_set(c, parent->exe_path, strlen(parent->exe_path));
	c->pid = next_pid++;
	c->ppid = parent->pid;
	c->vm = vm;
	c->vm_borrowed = share;
	if (share) {
		c->vfork_parent_pid = parent->pid;
		c->vfork_parent_tid = th->tid;
	}
	main_thread_init(c);
	c->main_thr.sig_mask = th->sig_mask;
	/* The forking thread's alternate stack (the child's copy of it). */
	c->main_thr.altstack_sp = th->altstack_sp;
	c->main_thr.altstack_size = th->altstack_size;
	c->main_thr.altstack_flags = th->altstack_flags;
	if (th->fork_flags & CLONE_CHILD_CLEARTID)
		c->main_thr.clear_tid = th->fork_ctid;
	c->brk_start = parent->brk_start;
	c->brk_cur = parent->brk_cur;
	c->brk_mapped = parent->brk_mapped;
	c->mmap_low = parent->mmap_low;
	c->service_image = parent->service_image;
	c->weight_micros = parent->weight_micros;
	ps_signal_fork(c, parent);
	c->pgid = parent->pgid;
	c->sid = parent->sid;
	c->fd_limit = parent->fd_limit;
	c->stack_limit = parent->stack_limit;
	c->umask = parent->umask;
	c->cwd_dev = parent->cwd_dev;
	c->linux_policy_entry = parent->linux_policy_entry;
	/*
	 * vfsd fds: vfsd gives the child the parent's references (shared
	 * open file descriptions) and cwd before the child can run; if it
	 * cannot, the child starts without them.
	 */
	remote_ok = ps_remote_fork(parent, c->pid) == 0;
	for (i = 0; i < parent->fd_cap; i++) {
		if (parent->fds[i].kind == PS_FD_REMOTE && !remote_ok)
			continue;
		c->fds[i] = parent->fds[i];
		ps_fd_hold(&c->fds[i]);
	}
	fs->p = c;
	fs->fs_base = th->fork_fs_base;
	fs->tf = *th->fork_tf;
	fs->tf.rax = 0;
	if (th->fork_stack != 0)
		fs->tf.rsp = th->fork_stack;
	if (th->fork_flags & CLONE_CHILD_SETTID)
		fs->settid = th->fork_ctid;
	tid = ps_thread_create(c->name, fork_user_start, fs, c->weight_micros);
	if (tid < 0) {
		if (remote_ok)
			ps_remote_exit(c);
		for (i = 0; i < c->fd_cap; i++)
			if (c->fds[i].kind != PS_FD_NONE)
				ps_fd_drop(&c->fds[i]);
		if (!share)
			mm_uvm_destroy(vm);
		proc_free(c);
		mm_kfree(fs);
		return (tid);
	}
	c->tid = c->main_thr.ktid = tid;
	ps_thread_copy_fpu(tid, th->ktid);
	c->next = procs;
	procs = c;
	nc_info(PROCESS, "process %ld (%s) forked from %ld", c->pid, c->name,
	    parent->pid);
	return (c->pid);
}

/*
 * Self tests: run `len` bytes of machine code as a detached user process
 * (code page RX at MM_USER_BASE + 4 MiB, the usual stack and console
 * fds), then wait for it to end and reap it.
 */
long
ps_proc_spawn_code(const void *code, size_t len, const char *name)
{
	struct mm_uvm *vm;
	struct runtime rt;
	uint64_t va = MM_USER_BASE + (4UL << 20);
	long r;

	if (len == 0 || len > MM_PAGE_SIZE)
		return (-NC_EINVAL);
	if ((vm = mm_uvm_create()) == NULL)
		return (-NC_ENOMEM);
	memset(&rt, 0, sizeof(rt));
	rt.entry = va;
	rt.phent = 56;
	rt.brk_start = va + MM_PAGE_SIZE;
	rt.set = true;
	r = mm_uvm_map_zero(vm, va, MM_PAGE_SIZE, MM_PROT_EXEC);
	if (r == 0)
		r = mm_uvm_write(vm, va, code, len);
	if (r == 0)
		r = proc_start(vm, &rt, name, strlen(name), name,
		    strlen(name) + 1, "", 0, -1, PS_DEFAULT_WEIGHT_MICROS,
		    false, false);
	if (r < 0)
		mm_uvm_destroy(vm);
	return (r);
}

int
ps_proc_wait_detached(long pid, int *status, uint64_t timeout_ms)
{
	struct ps_proc *c, **pp;
	uint64_t waited;

	for (waited = 0; waited <= timeout_ms; waited += 5) {
		for (pp = &procs; (c = *pp) != NULL; pp = &c->next) {
			if (c->pid != pid || c->ppid != -1)
				continue;
			if (!c->zombie)
				break;
			*pp = c->next;
			ps_thread_reap(c, true);
			*status = c->wait_status;
			proc_free(c);
			return (0);
		}
		if (c == NULL)
			return (-NC_ENOENT);
		ps_sleep_ms(5);
	}
	return (-NC_EBUSY);
}

long
ps_proc_start_rootd(const char *path)
{
	return (ps_proc_spawn_bootfs(path, strlen(path), path,
	    strlen(path) + 1, 0));
}

/* Registrations, handles, build sessions and the address space. */
static void
release_resources(struct ps_proc *p)
{
	unsigned i;

	ipc_proc_exit(p);
	ps_exec_clear(p);
	/*
	 * Every fd the kernel owns goes: pipe ends, sockets, memfds (their
	 * pages), devices, signalfds.  vfsd fds were closed through vfsd
	 * by the caller (ps_remote_exit); dropping the mirror is harmless.
	 */
	for (i = 0; i < p->fd_cap; i++)
		if (p->fds[i].kind != PS_FD_NONE)
			ps_fd_drop(&p->fds[i]);
	for (i = 0; i < PS_MAX_HANDLES; i++)
		if (p->handles[i] != NULL) {
			ipc_handle_put(p->handles[i]);
			p->handles[i] = NULL;
		}
	for (i = 0; i < MAX_SESSIONS; i++)
		if (sessions[i].used && sessions[i].owner == p->pid)
			session_free(&sessions[i]);
	ps_current_set_user(p, 0);
	/* A vfork child's space is its parent's: only let the parent go. */
	if (p->vm_borrowed)
		ps_vfork_release(p);
	else
		mm_uvm_destroy(p->vm);
	p->vm = NULL;
	p->vm_borrowed = false;
}

/*
 * A detached process bound to the calling kernel thread, for the syscall
 * robustness self test: its own address space with `pages` zeroed pages
 * at MM_USER_BASE + 16 MiB, no fds, the given capability bits.  It is in
 * no table; ps_proc_fuzz_end releases everything it acquired.
 */
struct ps_proc *
ps_proc_fuzz_begin(uint64_t caps, unsigned pages)
{
	struct ps_proc *p = mm_kzalloc(sizeof(*p));

	if (p == NULL)
		return (NULL);
	if ((p->fds = mm_kzalloc(PS_FD_TABLE_MIN *
	    sizeof(struct ps_fd))) == NULL) {
		proc_free(p);
		return (NULL);
	}
	p->fd_cap = PS_FD_TABLE_MIN;
	if ((p->vm = mm_uvm_create()) == NULL ||
	    mm_uvm_map_zero(p->vm, PS_FUZZ_VA, pages * MM_PAGE_SIZE,
	    MM_PROT_WRITE) != 0) {
		mm_uvm_destroy(p->vm);
		proc_free(p);
		return (NULL);
	}
	memcpy(p->name, "syscall-fuzz", 13);
	p->pid = -2;
	p->ppid = -2;
	p->tid = ps_current_task_id();
	main_thread_init(p);
	p->main_thr.ktid = p->tid;
	p->caps = caps;
	p->brk_start = p->brk_cur = p->brk_mapped = PS_FUZZ_VA + 64 *
	    MM_PAGE_SIZE;
	p->mmap_low = MMAP_TOP;
	p->weight_micros = PS_DEFAULT_WEIGHT_MICROS;
	ps_current_set_user(p, mm_uvm_cr3(p->vm));
	return (p);
}

void
ps_proc_fuzz_end(struct ps_proc *p)
{
	release_resources(p);
	ps_current_set_user(NULL, 0);
	proc_free(p);
}

/* The subreaper ancestor of p (not p itself), else pid 1. */
static struct ps_proc *
orphan_reaper(struct ps_proc *p)
{
	struct ps_proc *a = p;
	int depth;

	/* Bounded: a cycle in ppid links must not hang the exit path. */
	for (depth = 0; depth < 4096; depth++) {
		a = ps_proc_find(a->ppid);
		if (a == NULL || a->pid == 1)
			break;
		if (a->child_subreaper && !a->zombie && a != p)
			return (a);
	}
	a = ps_proc_find(1);
	return (a != NULL ? a : p);
}

/*
 * POSIX's orphaned process group: no member (ignore aside: a process on
 * its way out) has a living parent in another group of the same
 * session.  As Linux, a parent that is pid 1 does not count.
 */
bool
ps_pgrp_orphaned(long pgid, const struct ps_proc *ignore)
{
	struct ps_proc *q, *pp;

	for (q = procs; q != NULL; q = q->next) {
		if (q->pgid != pgid || q == ignore || q->zombie)
			continue;
		pp = ps_proc_find(q->ppid);
		if (pp == NULL || pp == ignore || pp->zombie || pp->pid == 1)
			continue;
		if (pp->pgid != pgid && pp->sid == q->sid)
			return (false);
	}
	return (true);
}

/*
 * A group that the exit of p orphans and that has a stopped member gets
 * SIGHUP then SIGCONT (POSIX, so nothing stays stopped with nobody left
 * to continue it): each member of the group in session sid.
 */
#define SIGHUP_K	1
#define SIGCONT_K	18
#define SI_KERNEL_K	0x80

static void
orphan_check(long pgid, long sid, struct ps_proc *p)
{
	struct ps_proc *q;
	bool stopped = false;

	for (q = procs; q != NULL; q = q->next)
		if (q->pgid == pgid && q != p && !q->zombie && q->stopped)
			stopped = true;
	if (!stopped || !ps_pgrp_orphaned(pgid, p))
		return;
	for (q = procs; q != NULL; q = q->next)
		if (q->pgid == pgid && q != p && !q->zombie && q->sid == sid) {
			ps_signal_send(q, SIGHUP_K, 0, SI_KERNEL_K, 0);
			ps_signal_send(q, SIGCONT_K, 0, SI_KERNEL_K, 0);
		}
}

void
ps_proc_exit(int wait_status)
{
	struct ps_proc *p = ps_proc_current(), *c, *parent, *reaper;

	if (p == NULL)
		ps_thread_exit();
	nc_info(PROCESS, "process %ld (%s) exited, status 0x%x", p->pid,
	    p->name, wait_status);
	/* A session leader leaving hangs up its controlling terminal. */
	io_tty_proc_exit(p);
	release_resources(p);
	reap_auto(p->pid);
	/*
	 * Orphans go to the nearest living ancestor that asked to be a
	 * child subreaper (prctl PR_SET_CHILD_SUBREAPER: initd does), else
	 * to pid 1 (rootd).  Zombie orphans are announced to the new parent.
	 */
	reaper = orphan_reaper(p);
	for (c = procs; c != NULL; c = c->next)
		if (c->ppid == p->pid) {
			c->ppid = reaper->pid;
			if (c->zombie) {
				ps_proc_kick(reaper);
				continue;
			}
			/*
			 * A child's group of our session that we linked may
			 * be orphaned now (p itself counts as gone, so the
			 * siblings not yet moved change nothing).
			 */
			if (c->pgid != p->pgid && c->sid == p->sid)
				orphan_check(c->pgid, c->sid, p);
		}
	/* Our own group, when our parent was its link. */
	parent = ps_proc_find(p->ppid);
	if (parent != NULL && parent->pgid != p->pgid &&
	    parent->sid == p->sid)
		orphan_check(p->pgid, p->sid, p);
	p->wait_status = wait_status;
	p->zombie = true;
	parent = ps_proc_find(p->ppid);
	if (parent == NULL)
		parent = ps_proc_find(1);
	/* Its parent ignores SIGCHLD or set SA_NOCLDWAIT: no zombie to wait. */
	if (parent != NULL && parent->pid == p->ppid &&
	    ps_signal_autoreap(parent))
		p->autoreap = true;
	if (parent != NULL && parent != p) {
		ps_proc_kick(parent);
		/* SIGCHLD: CLD_EXITED 1 / CLD_KILLED 2, with the status. */
		ps_signal_send(parent, 17, p->pid, (wait_status & 0x7f) == 0 ?
		    1 : 2, (wait_status & 0x7f) == 0 ?
		    (wait_status >> 8) & 0xff : wait_status & 0x7f);
	}
	ps_thread_exit();
}

/*
 * waitid(idtype, id, infop, options): P_ALL 0, P_PID 1, P_PGID 2; only
 * exits are reported (WEXITED required; stops/continues never happen
 * yet).  WNOWAIT leaves the zombie; WNOHANG with nothing ready zeroes the
 * siginfo and returns 0.
 */
long
ps_proc_waitid(uint64_t idtype, uint64_t id, uint64_t uinfo, uint64_t options)
{
	struct ps_proc *self = ps_proc_current(), *c, **pp;
	int32_t si[32];
	bool have;
	long r;

	/* WEXITED 4, WSTOPPED 2, WCONTINUED 8: at least one. */
	if (idtype > 2 || (options & ~(uint64_t)0xe100000f) != 0 ||
	    (options & 0xe) == 0 || (idtype != 0 && (int64_t)id <= 0 &&
	    !(idtype == 2 && id == 0)))
		return (-NC_EINVAL);
	if (idtype == 2 && id == 0)
		id = (uint64_t)self->pgid;
	for (;;) {
		reap_auto(self->pid);
		have = false;
		for (pp = &procs; (c = *pp) != NULL; pp = &c->next) {
			if (c->ppid != self->pid || c == self)
				continue;
			if ((idtype == 1 && (uint64_t)c->pid != id) ||
			    (idtype == 2 && (uint64_t)c->pgid != id))
				continue;
			have = true;
			if (!c->zombie) {
				int st;

				if (ps_signal_child_report(c, options,
				    (options & 0x01000000) != 0, &st) != 0)
					continue;
				memset(si, 0, sizeof(si));
				si[0] = 17;		/* SIGCHLD */
				/* CLD_STOPPED 5 / CLD_CONTINUED 6 */
				si[2] = st == 0xffff ? 6 : 5;
				si[4] = (int32_t)c->pid;
				si[6] = st == 0xffff ? 18 : (st >> 8) & 0xff;
				if (uinfo != 0 && hal_copy_to_user(uinfo, si,
				    sizeof(si)) != 0)
					return (-EFAULT);
				return (0);
			}
			if ((options & 4) == 0)
				continue;		/* no WEXITED */
			memset(si, 0, sizeof(si));
			si[0] = 17;			/* SIGCHLD */
			si[2] = (c->wait_status & 0x7f) == 0 ? 1 :
			    (c->wait_status & 0x80) ? 3 : 2;
			si[4] = (int32_t)c->pid;
			si[6] = (c->wait_status & 0x7f) == 0 ?
			    (c->wait_status >> 8) & 0xff : c->wait_status & 0x7f;
			if (uinfo != 0 && hal_copy_to_user(uinfo, si,
			    sizeof(si)) != 0)
				return (-EFAULT);
			if (options & 0x01000000)	/* WNOWAIT */
				return (0);
			*pp = c->next;
			ps_thread_reap(c, true);
			r = c->pid;
			proc_free(c);
			return (0);
		}
		if (!have)
			return (-ECHILD);
		if (options & 1) {		/* WNOHANG */
			memset(si, 0, sizeof(si));
			if (uinfo != 0 && hal_copy_to_user(uinfo, si,
			    sizeof(si)) != 0)
				return (-EFAULT);
			return (0);
		}
		if (ps_signal_interrupts(self))
			return (-PS_ERESTARTSYS);
		self->child_event = 0;
		ps_park_until(hal_clock_ns() + 1000000000ULL, &self->child_event);
	}
	(void)r;
}

/*
 * Linux struct rusage (144 bytes) of a reaped child: its CPU time, all
 * reported as user time (the scheduler does not split user and kernel
 * time); the other fields are not accounted and stay 0.
 */
static int
put_rusage(uint64_t uru, uint64_t ns)
{
	int64_t ru[18];

	memset(ru, 0, sizeof(ru));
	ru[0] = (int64_t)(ns / 1000000000ULL);
	ru[1] = (int64_t)(ns % 1000000000ULL / 1000);
	return (hal_copy_to_user(uru, ru, sizeof(ru)));
}

long
ps_proc_wait4(long pid, uint64_t status_ptr, int options, uint64_t rusage_ptr)
{
	struct ps_proc *self = ps_proc_current(), *c, **pp;
	uint64_t ns;
	bool have;
	long r;

	/* WNOHANG WUNTRACED WCONTINUED __WNOTHREAD __WALL __WCLONE */
	if (((unsigned)options & ~0xe000000bU) != 0)
		return (-NC_EINVAL);
	for (;;) {
		reap_auto(self->pid);
		have = false;
		for (pp = &procs; (c = *pp) != NULL; pp = &c->next) {
			if (c->ppid != self->pid || c == self)
				continue;
			if ((pid > 0 && c->pid != pid) ||
			    (pid == 0 && c->pgid != self->pgid) ||
			    (pid < -1 && c->pgid != -pid))
				continue;
			have = true;
			if (!c->zombie) {
				int st;

				/* WUNTRACED / WCONTINUED reports. */
				if (ps_signal_child_report(c, (unsigned)options,
				    false, &st) != 0)
					continue;
				if (status_ptr != 0 && hal_copy_to_user(
				    status_ptr, &st, sizeof(int)) != 0)
					return (-EFAULT);
				if (rusage_ptr != 0 && put_rusage(rusage_ptr,
				    ps_proc_runtime_ns(c)) != 0)
					return (-EFAULT);
				return (c->pid);
			}
			if (status_ptr != 0 && hal_copy_to_user(status_ptr,
			    &c->wait_status, sizeof(int)) != 0)
				return (-EFAULT);
			ns = ps_proc_runtime_ns(c);
			if (rusage_ptr != 0 && put_rusage(rusage_ptr, ns) != 0)
				return (-EFAULT);
			self->children_cpu_ns += ns;
			*pp = c->next;
			ps_thread_reap(c, true);
			r = c->pid;
			proc_free(c);
			return (r);
		}
		if (!have)
			return (-ECHILD);
		if (options & 1)		/* WNOHANG */
			return (0);
		if (ps_signal_interrupts(self))
			return (-PS_ERESTARTSYS);
		self->child_event = 0;
		ps_park_until(hal_clock_ns() + 1000000000ULL, &self->child_event);
	}
}

/*
 * The MM calls below keep Linux semantics on the process's address space
 * (mm/uvm.c: mappings, demand paging, copy-on-write).  Generic processes
 * reach them through syscalld's policy and the MM broker, the policy
 * processes directly.  Placement without MAP_FIXED is top-down below
 * MMAP_TOP and above the break's room (SYSCALLD_BRK_LIMIT-sized).
 */
#define BRK_ROOM	(256UL << 20)

static uint64_t
mmap_floor(const struct ps_proc *p)
{
	uint64_t lo = NC_ALIGN_UP(p->brk_start, MM_PAGE_SIZE) + BRK_ROOM;

	return (lo < MM_USER_BASE || lo >= MMAP_TOP ? MM_USER_BASE : lo);
}

/* brk: grow (never over another mapping) or shrink above brk_start. */
long
ps_mm_brk(uint64_t want)
{
	struct ps_proc *p = ps_proc_current();
	uint64_t top, from;

	if (want == 0 || want < p->brk_start ||
	    want > p->mmap_low - 16 * MM_PAGE_SIZE)
		return ((long)p->brk_cur);
	top = NC_ALIGN_UP(want, MM_PAGE_SIZE);
	from = NC_ALIGN_UP(p->brk_mapped, MM_PAGE_SIZE);
	if (top > from) {
		if (mm_uvm_mmap(p->vm, from, top - from, MM_PROT_READ |
		    MM_PROT_WRITE, MM_MAP_PRIVATE | MM_MAP_FIXED_NOREPLACE,
		    NULL, 0, 0, 0) < 0)
			return ((long)p->brk_cur);
		p->brk_mapped = top;
	} else if (top < from) {
		mm_uvm_unmap(p->vm, top, from - top);
		p->brk_mapped = top;
	}
	p->brk_cur = want;
	return ((long)want);
}

long
ps_mm_mmap(struct ps_proc *p, uint64_t addr, uint64_t len, int prot,
    int flags, struct mm_obj *obj, uint64_t off)
{
	long va;

	if ((flags & 0x03) == 0 || (flags & 0x03) == 0x03 || len == 0 ||
	    (prot & ~7) != 0)
		return (-NC_EINVAL);
	if (len > MM_USER_END - MM_USER_BASE)
		return (-NC_ENOMEM);
	len = NC_ALIGN_UP(len, MM_PAGE_SIZE);
	va = mm_uvm_mmap(p->vm, addr, len, (unsigned)prot, (unsigned)flags,
	    obj, off, mmap_floor(p), MMAP_TOP);
	if (va > 0 && (uint64_t)va < p->mmap_low)
		p->mmap_low = (uint64_t)va;
	return (va);
}

long
ps_mm_mprotect(struct ps_proc *p, uint64_t addr, uint64_t len, int prot)
{
	if (addr % MM_PAGE_SIZE != 0 || (prot & ~7) != 0 ||
	    len > MM_USER_END - MM_USER_BASE)
		return (-NC_EINVAL);
	if (len == 0)
		return (0);
	return (mm_uvm_protect(p->vm, addr, NC_ALIGN_UP(len, MM_PAGE_SIZE),
	    (unsigned)prot));
}

long
ps_mm_munmap(struct ps_proc *p, uint64_t addr, uint64_t len)
{
	if (addr % MM_PAGE_SIZE != 0 || len == 0 ||
	    len > MM_USER_END - MM_USER_BASE ||
	    !mm_user_range_ok(addr, NC_ALIGN_UP(len, MM_PAGE_SIZE)))
		return (-NC_EINVAL);
	mm_uvm_unmap(p->vm, addr, NC_ALIGN_UP(len, MM_PAGE_SIZE));
	return (0);
}

long
ps_mm_mremap(struct ps_proc *p, uint64_t old, uint64_t old_len,
    uint64_t new_len, unsigned flags)
{
	long va = mm_uvm_remap(p->vm, old, old_len, new_len, flags,
	    mmap_floor(p), MMAP_TOP);

	if (va > 0 && (uint64_t)va < p->mmap_low)
		p->mmap_low = (uint64_t)va;
	return (va);
}

/*
 * madvise (also behind msync and mlock): the range must be mapped
 * (-ENOMEM); MADV_DONTNEED (4) and MADV_FREE (8) drop the pages,
 * MADV_WILLNEED (3) allocates them, other advice changes nothing.
 */
long
ps_mm_madvise(struct ps_proc *p, uint64_t addr, uint64_t len, int advice)
{
	if (addr % MM_PAGE_SIZE != 0 || len > MM_USER_END - MM_USER_BASE)
		return (-NC_EINVAL);
	if (len == 0)
		return (0);
	len = NC_ALIGN_UP(len, MM_PAGE_SIZE);
	if (!mm_uvm_range_mapped(p->vm, addr, len))
		return (-NC_ENOMEM);
	if (advice == 4 || advice == 8)
		return (mm_uvm_dontneed(p->vm, addr, len));
	if (advice == 3)
		(void)mm_uvm_populate(p->vm, addr, len);
	return (0);
}

/* ---- process-build sessions (loaderd) ---- */

static struct session *
session_of(uint64_t handle)
{
	struct ps_proc *p = ps_proc_current();
	unsigned i;

	for (i = 0; i < MAX_SESSIONS; i++)
		if (sessions[i].used && sessions[i].handle == handle &&
		    sessions[i].owner == p->pid)
			return (&sessions[i]);
	return (NULL);
}

long
ps_build_prepare(uint64_t uargs)
{
	struct rustos_proc_prepare_args a;
	struct ps_proc *p = ps_proc_current(), *req;
	struct session *s = NULL;
	unsigned i;

	if (hal_copy_from_user(&a, uargs, sizeof(a)) != 0)
		return (-EFAULT);
	if (a.abi_version != PROC_BROKER_ABI_VERSION ||
	    a.format != PROC_BROKER_FORMAT_ELF64 ||
	    (a.flags & ~PROC_PREPARE_FLAGS_KNOWN) != 0 ||
	    a.weight_micros > 1000000)
		return (-NC_EINVAL);
	/*
	 * The service attribute is passed on only: the request the builder
	 * is serving must come from a process that holds it (rootd, initd).
	 */
	if (a.flags & PROC_PREPARE_FLAG_SERVICE) {
		req = p->serving_caller > 0 ? ps_proc_find(p->serving_caller) :
		    NULL;
		if (req == NULL || req->zombie ||
		    !(req->bootstrap || req->service_image))
			return (-EACCES);
	}
	for (i = 0; i < MAX_SESSIONS; i++)
		if (!sessions[i].used) {
			s = &sessions[i];
			break;
		}
	if (s == NULL)
		return (-NC_EBUSY);
	memset(s, 0, sizeof(*s));
	if ((s->vm = mm_uvm_create()) == NULL)
		return (-NC_ENOMEM);
	s->used = true;
	s->handle = next_session++;
	s->owner = p->pid;
	/* parent 0: the caller loaderd is serving, else rootd. */
	s->parent = a.parent_pid != 0 ? (long)a.parent_pid :
	    (p->serving_caller > 0 && ps_proc_find(p->serving_caller) != NULL ?
	    p->serving_caller : 1);
	s->weight = a.weight_micros != 0 ? a.weight_micros :
	    PS_DEFAULT_WEIGHT_MICROS;
	s->service = (a.flags & PROC_PREPARE_FLAG_SERVICE) != 0;
	s->new_session = (a.flags & PROC_PREPARE_FLAG_NEW_SESSION) != 0;
	return ((long)s->handle);
}

long
ps_build_map(uint64_t uargs, bool data)
{
	struct rustos_proc_map_args a;
	struct session *s;
	unsigned prot;
	uint8_t *buf;
	uint64_t off, n;
	int rc;

	if (hal_copy_from_user(&a, uargs, sizeof(a)) != 0)
		return (-EFAULT);
	if ((s = session_of(a.prepare_handle)) == NULL)
		return (-NC_EINVAL);
	if (a.vaddr % MM_PAGE_SIZE != 0 || a.len % MM_PAGE_SIZE != 0 ||
	    a.len == 0 || !mm_user_range_ok(a.vaddr, a.len) ||
	    a.vaddr + a.len > USER_STACK_TOP - USER_STACK_SIZE ||
	    (a.flags & ~0xfU) != 0 || (data && a.data_len != a.len) ||
	    (!data && (a.data_ptr != 0 || a.data_len != 0)))
		return (-NC_EINVAL);
	if (mm_uvm_range_mapped(s->vm, a.vaddr, MM_PAGE_SIZE) ||
	    mm_uvm_range_mapped(s->vm, a.vaddr + a.len - MM_PAGE_SIZE,
	    MM_PAGE_SIZE))
		return (-EEXIST);
	prot = (a.flags & PROC_BROKER_MAP_WRITE ? MM_PROT_WRITE : 0) |
	    (a.flags & PROC_BROKER_MAP_EXEC ? MM_PROT_EXEC : 0);
	if ((rc = mm_uvm_map_zero(s->vm, a.vaddr, a.len, prot)) != 0)
		return (rc);
	if (!data)
		return (0);
	buf = mm_kmalloc(MM_PAGE_SIZE);
	if (buf == NULL)
		return (-NC_ENOMEM);
	for (off = 0; off < a.len; off += n) {
		n = MM_PAGE_SIZE;
		if (hal_copy_from_user(buf, a.data_ptr + off, n) != 0) {
			mm_kfree(buf);
			mm_uvm_unmap(s->vm, a.vaddr, a.len);
			return (-EFAULT);
		}
		mm_uvm_write(s->vm, a.vaddr + off, buf, n);
	}
	mm_kfree(buf);
	return (0);
}

long
ps_build_set_runtime(uint64_t uargs)
{
	struct rustos_proc_linux_runtime a;
	struct session *s;

	if (hal_copy_from_user(&a, uargs, sizeof(a)) != 0)
		return (-EFAULT);
	if ((s = session_of(a.prepare_handle)) == NULL)
		return (-NC_EINVAL);
	/*
	 * A PT_INTERP interpreter: its base page and its entry must be
	 * mapped in the session (loaderd maps it next to the program);
	 * without one both fields are 0.
	 */
	if (a.interpreter_base != 0 ? ((a.interpreter_base &
	    (MM_PAGE_SIZE - 1)) != 0 ||
	    !mm_user_range_ok(a.interpreter_base, 1) ||
	    !mm_user_range_ok(a.interpreter_entry, 1) ||
	    !mm_uvm_range_mapped(s->vm, a.interpreter_base, 1) ||
	    !mm_uvm_range_mapped(s->vm, a.interpreter_entry, 1)) :
	    a.interpreter_entry != 0)
		return (-NC_EINVAL);
	if (!mm_user_range_ok(a.entry, 1) || a.phent != 56 || a.phnum == 0 ||
	    a.phnum > 64 ||
	    !mm_user_range_ok(a.brk_start, 0) ||
	    a.brk_start > MMAP_TOP - USER_STACK_SIZE ||
	    !mm_uvm_range_mapped(s->vm, a.entry, 1) ||
	    a.stack_size > USER_STACK_MAX ||
	    (a.stack_size & (MM_PAGE_SIZE - 1)) != 0)
		return (-NC_EINVAL);
	s->rt.stack_size = a.stack_size;
	s->rt.entry = a.entry;
	s->rt.interp_base = a.interpreter_base;
	s->rt.interp_entry = a.interpreter_entry;
	s->rt.phdr = a.phdr;
	s->rt.phnum = a.phnum;
	s->rt.phent = a.phent;
	s->rt.brk_start = NC_ALIGN_UP(a.brk_start, MM_PAGE_SIZE);
	s->rt.set = true;
	return (0);
}

static void
session_free(struct session *s)
{
	if (s->vm != NULL)
		mm_uvm_destroy(s->vm);
	memset(s, 0, sizeof(*s));
}

/*
 * Absolute path in (n bytes) -> out, normalised: empty and "." components
 * dropped, ".." takes the previous one away (at "/" it stays "/").
 * Returns the length, -1 when in is not absolute, -2 when out is too
 * small.
 */
static long
path_normalise(const char *in, size_t n, char *out, size_t cap)
{
	size_t i = 0, o = 0, s, l;

	if (n == 0 || in[0] != '/' || cap < 2)
		return (-1);
	while (i < n) {
		while (i < n && in[i] == '/')
			i++;
		for (s = i; i < n && in[i] != '/'; i++)
			;
		l = i - s;
		if (l == 0 || (l == 1 && in[s] == '.'))
			continue;
		if (l == 2 && in[s] == '.' && in[s + 1] == '.') {
			while (o > 0 && out[o] != '/')
				o--;
			continue;
		}
		if (o + 1 + l >= cap)
			return (-2);
		out[o++] = '/';
		memcpy(out + o, in + s, l);
		o += l;
		out[o] = '\0';
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	return ((long)o);
}

long
ps_build_commit(uint64_t uargs)
{
	struct rustos_proc_commit_args a;
	struct session *s;
	struct ps_proc *c;
	char *blk, *exe = NULL;		/* heap: exe_path is PATH_MAX */
	size_t n, ecap = 0;
	long r;

	if (hal_copy_from_user(&a, uargs, sizeof(a)) != 0)
		return (-EFAULT);
	if ((s = session_of(a.prepare_handle)) == NULL)
		return (-NC_EINVAL);
	if (a.exec_ticket != 0) {
		struct ps_proc *t = exec_by_ticket(a.exec_ticket);

		/* Replace the bound caller's image: its own syscall installs it. */
		if (!s->rt.set || t == NULL || s->exec_pid != t->pid ||
		    t->exec->vm != NULL)
			return (-NC_EINVAL);
		t->exec->vm = s->vm;
		t->exec->rt = s->rt;
		s->vm = NULL;
		session_free(s);
		return (t->pid);
	}
	if (!s->rt.set || s->exec_pid != 0 || a.argv_len == 0 ||
	    a.argv_len > ARGS_MAX || a.envp_len > ARGS_MAX ||
	    a.exe_len > PROC_COMMIT_EXE_MAX || a.reserved != 0)
		return (-NC_EINVAL);
	if (a.exe_len != 0) {
		char *raw = mm_kmalloc(a.exe_len);

		/* Normalising never lengthens: exe_len + 1 bytes will do. */
		ecap = a.exe_len + 1 < sizeof(c->exe_path) ? a.exe_len + 1 :
		    sizeof(c->exe_path);
		if (raw == NULL || (exe = mm_kmalloc(ecap)) == NULL) {
			mm_kfree(raw);
			return (-NC_ENOMEM);
		}
		if (hal_copy_from_user(raw, a.exe_ptr, a.exe_len) != 0) {
			mm_kfree(raw);
			mm_kfree(exe);
			return (-EFAULT);
		}
		for (n = 0; n < a.exe_len && raw[n] != '\0'; n++)
			;
		r = n < a.exe_len ? -1 :
		    path_normalise(raw, a.exe_len, exe, ecap);
		mm_kfree(raw);
		if (r == -1) {
			mm_kfree(exe);
			return (-NC_EINVAL);
		}
		if (r < 0)		/* longer than exe_path: argv[0] */
			a.exe_len = 0;
	}
	/* A parent that died since PREPARE: rootd adopts the child. */
	if (s->parent != 1 && (ps_proc_find(s->parent) == NULL ||
	    ps_proc_find(s->parent)->zombie))
		s->parent = 1;
	blk = mm_kmalloc(a.argv_len + a.envp_len + 1);
	if (blk == NULL) {
		mm_kfree(exe);
		return (-NC_ENOMEM);
	}
	if (hal_copy_from_user(blk, a.argv_ptr, a.argv_len) != 0 ||
	    hal_copy_from_user(blk + a.argv_len, a.envp_ptr, a.envp_len) != 0) {
		mm_kfree(blk);
		mm_kfree(exe);
		return (-EFAULT);
	}
	/* The terminator bounds every string scan of the blocks. */
	blk[a.argv_len + a.envp_len] = '\0';
	for (n = 0; n < a.argv_len && blk[n] != '\0'; n++)
		;
	r = proc_start(s->vm, &s->rt, blk, n, blk, a.argv_len,
	    blk + a.argv_len, a.envp_len, s->parent, s->weight, false,
	    s->service);
	mm_kfree(blk);
	/* Before the child first runs (it was only made runnable). */
	if (r >= 0 && a.exe_len != 0 && (c = ps_proc_find(r)) != NULL)
		exe_path_set(c, exe, strlen(exe));
	/* A new session leader, as if it had called setsid() first. */
	if (r >= 0 && s->new_session && (c = ps_proc_find(r)) != NULL)
		c->sid = c->pgid = c->pid;
	mm_kfree(exe);
	if (r >= 0) {
		s->vm = NULL;		/* the process owns it now */
		session_free(s);
	}
	return (r);
}

long
ps_build_abort(uint64_t handle)
{
	struct session *s = session_of(handle);

	if (s == NULL)
		return (-NC_EINVAL);
	session_free(s);
	return (0);
}

/* ---- execve (procd authorises, loaderd materialises, we replace) ---- */

#define EXEC_ARGV_MAX	32
#define EXEC_ENVP_MAX	64
#define E2BIG_L		7

/* Append the NUL-terminated user strings of a NULL-ended array. */
static long
copy_strv(uint64_t uv, char *out, size_t cap, unsigned max, size_t *len)
{
	uint64_t ptr;
	unsigned n;
	size_t i;

	*len = 0;
	if (uv == 0)
		return (0);
	for (n = 0;; n++) {
		if (hal_copy_from_user(&ptr, uv + n * 8, 8) != 0)
			return (-EFAULT);
		if (ptr == 0)
			return (0);
		if (n >= max)
			return (-E2BIG_L);
		for (i = 0;; i++) {
			if (*len + i >= cap)
				return (-E2BIG_L);
			if (hal_copy_from_user(&out[*len + i], ptr + i, 1) != 0)
				return (-EFAULT);
			if (out[*len + i] == '\0')
				break;
		}
		*len += i + 1;
	}
}

void
ps_exec_clear(struct ps_proc *p)
{
	struct ps_exec *x = p->exec;

	if (x == NULL)
		return;
	p->exec = NULL;
	if (x->vm != NULL)
		mm_uvm_destroy(x->vm);
	mm_kfree(x->blk);
	mm_kfree(x);
}

long
ps_exec_begin(struct ps_proc *p, const char *path, size_t path_len,
    uint64_t uargv, uint64_t uenvp)
{
	struct ps_exec *x;
	long r;

	if (p->exec != NULL || path_len == 0 || path_len >= sizeof(x->path))
		return (-NC_EINVAL);
	x = mm_kzalloc(sizeof(*x));
	if (x == NULL || (x->blk = mm_kmalloc(2 * ARGS_MAX + 1)) == NULL) {
		mm_kfree(x);
		return (-NC_ENOMEM);
	}
	r = copy_strv(uargv, x->blk, ARGS_MAX, EXEC_ARGV_MAX, &x->argv_len);
	if (r == 0 && x->argv_len == 0) {
		/* argv[0] must exist for our stack builder: use the path. */
		memcpy(x->blk, path, path_len);
		x->blk[path_len] = '\0';
		x->argv_len = path_len + 1;
	}
	if (r == 0)
		r = copy_strv(uenvp, x->blk + x->argv_len, ARGS_MAX,
		    EXEC_ENVP_MAX, &x->envp_len);
	if (r != 0) {
		mm_kfree(x->blk);
		mm_kfree(x);
		return (r);
	}
	x->blk[x->argv_len + x->envp_len] = '\0';
	memcpy(x->path, path, path_len);
	x->path[path_len] = '\0';
	p->exec = x;
	return (0);
}

/* PROC_AUTHORIZE_EXEC_BROKER: procd, serving the exec request of pid. */
long
ps_exec_authorize(uint64_t uargs)
{
	struct rustos_proc_exec_ticket_args a;
	struct ps_proc *self = ps_proc_current(), *t;

	if (hal_copy_from_user(&a, uargs, sizeof(a)) != 0)
		return (-EFAULT);
	if (a.pid == 0 || a.pid > INT32_MAX)
		return (-NC_EINVAL);
	t = ps_proc_find((long)a.pid);
	if (t == NULL || t->exec == NULL || t->exec->ticket != 0 ||
	    self->serving_caller != t->pid)
		return (-NC_EINVAL);
	do
		t->exec->ticket = prng();
	while (t->exec->ticket == 0);
	a.ticket = t->exec->ticket;
	a.tid = (uint64_t)t->pid;
	if (hal_copy_to_user(uargs, &a, sizeof(a)) != 0) {
		t->exec->ticket = 0;
		return (-EFAULT);
	}
	return (0);
}

static struct ps_proc *
exec_by_ticket(uint64_t ticket)
{
	struct ps_proc *c;

	if (ticket == 0)
		return (NULL);
	for (c = procs; c != NULL; c = c->next)
		if (c->exec != NULL && c->exec->ticket == ticket && !c->zombie)
			return (c);
	return (NULL);
}

void
ps_exec_set_ids(struct ps_proc *p, const uint32_t ids[4])
{
	if (p->exec != NULL)
		memcpy(p->exec->ids, ids, sizeof(p->exec->ids));
}

struct ps_exec_file *
ps_exec_file_of(struct ps_proc *p)
{
	return (p->exec != NULL ? &p->exec->file : NULL);
}

struct ps_proc *
ps_exec_by_ticket(uint64_t ticket)
{
	struct ps_proc *t = exec_by_ticket(ticket);

	return (t != NULL && t->exec->vm == NULL ? t : NULL);
}

/* PROC_EXEC_TARGET_BROKER: loaderd binds its prepare session. */
long
ps_exec_target(uint64_t uargs)
{
	struct rustos_proc_exec_ticket_args a;
	struct session *s;
	struct ps_proc *t;

	if (hal_copy_from_user(&a, uargs, sizeof(a)) != 0)
		return (-EFAULT);
	if ((s = session_of(a.prepare_handle)) == NULL || s->exec_pid != 0 ||
	    (t = exec_by_ticket(a.ticket)) == NULL || t->exec->vm != NULL ||
	    s->service || s->new_session)
		return (-NC_EINVAL);
	s->exec_pid = t->pid;
	a.pid = (uint64_t)t->pid;
	a.tid = (uint64_t)t->pid;
	return (hal_copy_to_user(uargs, &a, sizeof(a)) != 0 ? -EFAULT : 0);
}

/* PROC_CANCEL_EXEC_BROKER: procd, after loading failed. */
long
ps_exec_cancel(uint64_t ticket)
{
	struct ps_proc *t = exec_by_ticket(ticket);

	if (t == NULL || ps_proc_current()->serving_caller != t->pid)
		return (-NC_EINVAL);
	t->exec->ticket = 0;
	if (t->exec->vm != NULL) {
		mm_uvm_destroy(t->exec->vm);
		t->exec->vm = NULL;
	}
	return (0);
}

/*
 * In the caller's own syscall, after procd said yes: install the
 * committed image, keep pid and non-CLOEXEC fds, and make the syscall
 * return into the new entry.
 */
long
ps_exec_finish(struct ps_proc *p, struct hal_trap_frame *tf)
{
	struct ps_exec *x = p->exec;
	struct mm_uvm *old;
	uint64_t sp;
	unsigned i;
	long rc;

	if (x == NULL || x->vm == NULL)
		return (-NC_EIO);
	/* The other threads end first (they may still use the old space). */
	if ((rc = ps_thread_zap_others(p)) != 0)
		return (rc);
	rc = build_stack(x->vm, &x->rt, x->blk, x->argv_len,
	    x->blk + x->argv_len, x->envp_len, x->ids, x->path, &sp);
	if (rc != 0)
		return (rc);
	/*
	 * vfsd sets the access profile from the image's handle, still open
	 * (docs/ai/bootstrap.md, "Linux runtime access"); its refusal fails
	 * the exec here, before anything of the old image is gone.  Then
	 * the handle goes: the image is in x->vm.
	 */
	if (x->file.set && (rc = ps_remote_exec_commit(p, x->file.rid)) != 0)
		return (rc);
	ps_exec_close_file(p);
	ps_remote_exec_cloexec(p);
	for (i = 0; i < p->fd_cap; i++)
		if (p->fds[i].fd_flags & PS_FD_CLOEXEC)
			ps_fd_drop(&p->fds[i]);
	old = p->vm;
	p->vm = x->vm;
	x->vm = NULL;
	ps_current_set_user(p, mm_uvm_cr3(p->vm));
	ps_current_fpu_reset();
	if (p->vm_borrowed) {
		/* vfork child: the parent gets its space back and runs on. */
		p->vm_borrowed = false;
		ps_vfork_release(p);
	} else
		mm_uvm_destroy(old);
	p->brk_start = p->brk_cur = p->brk_mapped = x->rt.brk_start;
	p->mmap_low = MMAP_TOP;
	{
		/* The surviving thread becomes the main one: tid = pid. */
		struct ps_thread *th = ps_thread_cur();

		if (th != &p->main_thr)
			p->main_thr.tid = 0;
		th->tid = p->pid;
		th->clear_tid = 0;
		th->robust_head = th->robust_len = 0;
	}
	/*
	 * /proc/self/exe: the file's absolute, normalised path as vfsd
	 * resolved it for the open (relative, dirfd and fd forms alike);
	 * the path as given when the kernel opened nothing (a policy
	 * caller's boot module, always absolute).
	 */
	if (x->file.abs[0] != '\0')
		exe_path_set(p, x->file.abs, strlen(x->file.abs));
	else
		exe_path_set(p, x->path, strlen(x->path));
	ps_signal_exec(p);
	p->did_exec = true;
	basename_of(p->name, sizeof(p->name), x->path, strlen(x->path));
	ps_current_set_fs_base(0);
	memset(tf, 0, offsetof(struct hal_trap_frame, vector));
	tf->rip = tf->rcx = rt_start(&x->rt);
	tf->rsp = sp;
	tf->rflags = tf->r11 = 0x202;
	tf->cs = HAL_USER_CS;
	tf->ss = HAL_USER_SS;
	ps_exec_clear(p);
	nc_info(PROCESS, "process %ld exec'd %s", p->pid, p->name);
	return (0);
}
