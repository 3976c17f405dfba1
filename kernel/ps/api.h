/*
 * ps/api.h -- processes and threads: kernel threads, the CFS-like fair
 * scheduler (per-task ns vruntime, weights from weight_micros, periodic
 * tick, deferred reschedule, cond_resched), sleeping and the sleeping
 * KernelWaitLock.  User mode comes later.  The only header other
 * subsystems may include from ps/.
 *
 * The kernel core runs on one CPU: scheduler state is protected by
 * disabling interrupts.
 */
#ifndef KERNEL_PS_API_H
#define KERNEL_PS_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nucleus-core/api.h>

#define PS_DEFAULT_WEIGHT_MICROS	100
#define PS_TICK_HZ			1000

/* Turn the boot context into the idle task and start accounting. */
void	ps_init(void);
/* The periodic tick (timer interrupt context). */
void	ps_tick(void);

/* Create a ready kernel thread; returns its tid (> 0) or -errno. */
long	ps_thread_create(const char *name, void (*fn)(void *), void *arg,
	    uint32_t weight_micros);
__attribute__((noreturn)) void ps_thread_exit(void);
/* Wait until thread tid has exited and release it; returns 0 or -errno. */
int	ps_thread_join(long tid);
/* CPU time a thread has consumed (ns), or 0 for an unknown tid. */
uint64_t ps_thread_runtime_ns(long tid);

/* Scheduler state for tests and diagnostics (ns of vruntime). */
uint64_t ps_thread_vruntime(long tid);
uint64_t ps_min_vruntime(void);
#define PS_SLEEPER_CREDIT_NS	3000000ULL	/* bounded wake-up credit */
#define PS_HANDOFF_CREDIT_NS	1000000ULL	/* IPC next-pick credit */

long	ps_current_task_id(void);
void	ps_yield(void);
/* sched_yield: let every task ahead in the queue run first (bounded). */
void	ps_yield_to_others(void);
void	ps_schedule(void);
/* Safe point: switch if a tick asked for a reschedule. */
void	ps_cond_resched(void);
bool	ps_need_resched(void);
void	ps_sleep_ms(uint64_t ms);
/* The idle loop of the boot context (never returns). */
__attribute__((noreturn)) void ps_idle_loop(void);

/*
 * Scheduler-aware waiting by task id (contract: current_task_id,
 * block_current_task, wake_task).  A wake that reaches a task before it
 * blocks is remembered, so the block then returns at once: no lost
 * wake-ups.  Returns 0, or -EINVAL (unknown tid) / -EPERM (idle task).
 */
int	ps_block_current_task(void);
int	ps_wake_task(long tid);

/* Block the current task on a wait queue, wake one or all of its tasks. */
struct ps_task;
struct ps_waitq {
	struct ps_task *head;
};
#define PS_WAITQ_INIT	{ NULL }
/* Called with `l` held; releases it while blocked, retakes it after. */
void	ps_block_current_on(struct ps_waitq *q, struct nc_spinlock *l);
void	ps_wake_one(struct ps_waitq *q);
void	ps_wake_all(struct ps_waitq *q);

/* KernelWaitLock: a sleeping mutex for long critical sections. */
struct ps_waitlock {
	struct nc_spinlock guard;
	bool held;
	long owner;
	struct ps_waitq waiters;
};
#define PS_WAITLOCK_INIT	{ NC_SPINLOCK_INIT, false, 0, PS_WAITQ_INIT }
void	ps_waitlock_lock(struct ps_waitlock *l);
void	ps_waitlock_unlock(struct ps_waitlock *l);
bool	ps_waitlock_trylock(struct ps_waitlock *l);

/*
 * User tasks.  A kernel thread becomes a user task by binding its process
 * (opaque to the scheduler) and address space; switches then load its CR3,
 * kernel entry stack and FS base.
 */
void	*ps_current_proc(void);
void	ps_current_set_user(void *proc, uint64_t cr3);
/* The user thread (struct ps_thread) the current task runs, or NULL. */
void	*ps_current_uthread(void);
void	ps_current_set_uthread(void *thr);
void	ps_current_set_fs_base(uint64_t base);
/*
 * FPU/SSE state: a fork child starts with a copy of its parent's (from
 * the live registers when `from` is current); execve starts afresh.
 */
void	ps_thread_copy_fpu(long to, long from);
void	ps_current_fpu_reset(void);
uint64_t ps_current_fs_base(void);
int	ps_thread_set_weight(long tid, uint32_t weight_micros);
/*
 * A new child does not preempt its parent: queue a ready task one
 * granularity behind the current one, so the parent runs on to its next
 * block (keeps "spawned" markers ahead of the child's own output).
 */
void	ps_thread_place_after_current(long tid);
/*
 * Sleep until *cond is nonzero (checked with interrupts off, so no wake-up
 * is lost), ps_unpark(tid), or the deadline (hal_clock_ns time).
 */
void	ps_park_until(uint64_t deadline_ns, volatile int *cond);
void	ps_unpark(long tid);
/*
 * IPC handoff: ps_unpark, and name the woken task the current task's
 * successor.  When the current task next blocks (parks, sleeps, waits),
 * the successor runs at once, without a run-queue pick, provided its
 * vruntime is at most PS_HANDOFF_CREDIT_NS past the leftmost ready
 * task's: that bounded next-pick credit is all it gets (vruntime is
 * charged as usual), so CFS shares hold.  A preempted task (still
 * runnable) and any other switch forget the successor.
 */
void	ps_unpark_handoff(long tid);
/* The leftmost ready task's vruntime (UINT64_MAX: none); for tests. */
uint64_t ps_ready_min_vruntime(void);

/*
 * Processes (proc.c) and their threads (thread.c).  A process (thread
 * group) owns the address space, fds, handles, signal dispositions and
 * the process-wide pending set; each thread has its pid-namespace tid,
 * its kernel task, signal mask and thread-directed pending set, its
 * clear-child-tid word and robust-futex list.  Kernel code is not
 * preempted between safe points, so the tables need no lock on the
 * single CPU.
 */
/*
 * The fd table grows on demand (ps_fd_reserve) from PS_FD_TABLE_MIN
 * entries up to the RLIMIT_NOFILE soft limit, never past PS_MAX_FDS
 * (Linux's default hard limit); without a limit from syscalld the soft
 * limit is PS_FD_SOFT_DEFAULT, Linux's.  Valid fds are below fd_cap.
 */
#define PS_MAX_FDS		4096
#define PS_FD_SOFT_DEFAULT	1024
#define PS_FD_TABLE_MIN		64
#define PS_MAX_HANDLES		64
#define PS_FD_NONE		0
#define PS_FD_CONSOLE		1
#define PS_FD_BOOTFS		2
#define PS_FD_REMOTE		3	/* a vfsd handle mirrored here */
#define PS_FD_PIPE_R		4	/* read end of a kernel pipe (pipe.c) */
#define PS_FD_PIPE_W		5	/* write end */
#define PS_FD_MEMFD		6	/* memfd_create: mobj, one hold */
#define PS_FD_DEVICE		7	/* /dev/null, zero, urandom (executive/devfs.c):
					   index = PS_DEVNO(major, minor),
					   remote_kind = O_ACCMODE granted */
#define PS_FD_DEVDIR		8	/* the /dev directory; offset = devmgrd's
					   READDIR cookie */
#define PS_DEVNO(maj, min)	((uint32_t)(maj) << 20 | (uint32_t)(min))
#define PS_FD_SIGNALFD		9	/* signalfd: offset = the mask (signal.c) */
#define PS_FD_SOCK		10	/* kernel socket endpoint (sock.c):
					   pipe_slot/pipe_gen name it */
#define PS_FD_CLOEXEC		0x01	/* fd_flags: FD_CLOEXEC */
struct mm_uvm;
struct mm_obj;
#define PS_FL_NONBLOCK		0x800	/* status_flags: O_NONBLOCK */
struct ps_fd {
	uint8_t kind;
	uint8_t fd_flags;		/* PS_FD_CLOEXEC */
	uint32_t status_flags;		/* O_NONBLOCK (pipes) */
	uint32_t pipe_slot, pipe_gen;	/* PS_FD_PIPE_*: one reference */
	uint16_t remote_kind;		/* VFS_HANDLE_KIND_* */
	uint32_t index;			/* bootfs entry */
	uint64_t offset;		/* file cursor (kernel-kept) */
	uint64_t remote_id;		/* vfsd's id, owned by this pid */
	uint64_t size;			/* remote: size at open */
	struct mm_obj *mobj;		/* PS_FD_MEMFD: its pages */
};
/*
 * A queued signal's siginfo, in Linux's layout: si_signo, si_code, the
 * 8 bytes at offset 16 (si_pid | si_uid << 32, or si_addr) and those at
 * offset 24 (si_value, or si_status).
 */
struct ps_siginfo {
	int32_t signo, code;
	uint64_t w16, w24;
};
#define PS_SIGQ_MAX		64	/* queued real-time signals */
#define PS_ERESTARTSYS		512	/* restart after a SA_RESTART handler */
struct mm_uvm;
struct hal_trap_frame;
struct ps_proc;
struct ps_thread {
	long tid;			/* pid namespace; the main thread's = pid */
	long ktid;			/* scheduler task id */
	struct ps_proc *proc;
	bool dead;			/* left; its task is joined later */
	bool reaped;			/* task joined (freed) */
	bool zapped;			/* exec by another thread: leave */
	uint64_t sig_mask;		/* bit s-1: blocked in this thread */
	uint64_t sig_pending;		/* thread-directed (tgkill/tkill) */
	struct ps_siginfo sig_tinfo[32];	/* of those (standard ones) */
	uint64_t sig_saved_mask;	/* rt_sigsuspend: mask to restore */
	bool sig_restore_mask;
	uint64_t clear_tid;		/* set_tid_address/CHILD_CLEARTID */
	uint64_t robust_head, robust_len;	/* set_robust_list */
	uint64_t altstack_sp, altstack_size;	/* sigaltstack; size 0: none */
	uint32_t altstack_flags;	/* SS_AUTODISARM as set */
	/* Set while its fork/clone upcall to procd is in flight. */
	const struct hal_trap_frame *fork_tf;
	uint64_t fork_flags, fork_fs_base, fork_stack, fork_tls;
	uint64_t fork_ptid, fork_ctid;
	volatile int vfork_done;	/* the CLONE_VFORK child let go */
	struct ps_thread *next;		/* the process's threads */
};
struct ps_proc {
	long pid, ppid, tid;
	char name[48];
	struct mm_uvm *vm;
	uint64_t brk_start, brk_cur, brk_mapped;
	uint64_t mmap_low;		/* mmap grows down from here */
	uint64_t caps;			/* IPC_SERVICE_CAP_* of its registrations */
	bool bootstrap;			/* the kernel-started rootd */
	bool service_image;		/* service attribute from its builder */
	bool zombie;
	bool autoreap;			/* zombie nobody waits for (SIGCHLD) */
	/*
	 * Job control (signal.c): stopped by stop_sig until a SIGCONT;
	 * stop_report / cont_report are the stop or continue the parent has
	 * not collected with WUNTRACED / WCONTINUED yet.
	 */
	bool stopped, stop_report, cont_report;
	int stop_sig;
	volatile int cont_event;	/* set by SIGCONT and SIGKILL */
	int wait_status;		/* Linux wait status once a zombie */
	volatile int child_event;	/* a child became a zombie */
	struct ps_fd *fds;		/* fd_cap entries (threads share it) */
	unsigned fd_cap;
	void *handles[PS_MAX_HANDLES];	/* IPC endpoints (ipc-runtime) */
	uint32_t weight_micros;
	uint64_t sig_ignored;		/* bit s-1: signal s is SIG_IGN */
	uint64_t sig_handled;		/* bit s-1: a handler is installed */
	uint64_t sig_act[64][4];	/* Linux k_sigaction per signal - 1 */
	int sig_kill;			/* fatal signal to act on, or 0 */
	uint64_t sig_pending;		/* process-directed, bit s-1 */
	struct ps_siginfo sig_info[32];	/* of pending standard signal s */
	struct ps_siginfo sig_rtq[PS_SIGQ_MAX];	/* queued RT, oldest first */
	unsigned sig_rtq_len;
	uint64_t sig_waiting;		/* rt_sigtimedwait: wake though blocked */
	/* A kill of other processes in flight to procd (signal.c). */
	bool sig_req_on;
	bool sig_req_queue;		/* sigqueue: -EAGAIN when full */
	int64_t sig_req_sel;		/* kill's pid argument */
	long sig_req_tid;		/* its target thread, or 0 */
	struct ps_siginfo sig_req;
	long pgid, sid;			/* process group and session */
	bool did_exec;			/* setpgid by the parent: -EACCES */
	struct ps_exec *exec;		/* execve in flight (proc.c) */
	long serving_caller;		/* pid whose request it last received */
	/* Threads: the main one is embedded; others are allocated. */
	struct ps_thread main_thr;
	struct ps_thread *threads;	/* every thread, main first */
	unsigned nthreads;		/* live ones */
	bool group_exit;		/* exit_group/fatal signal under way */
	int group_status;		/* its wait status */
	uint64_t reaped_cpu_ns;		/* CPU time of threads joined */
	/* vfork child: the address space is the parent's (not destroyed). */
	bool vm_borrowed;
	long vfork_parent_pid, vfork_parent_tid;
	char exe_path[4096];		/* /proc/self/exe (PATH_MAX) */
	/*
	 * Linux limits syscalld decided for this process (its prlimit64
	 * replies): the fd table bound (0: PS_FD_SOFT_DEFAULT) and the soft
	 * RLIMIT_STACK (0: default).  Inherited at fork, kept over exec.
	 */
	uint32_t fd_limit;
	uint64_t stack_limit;
	/*
	 * File creation mask (umask(2)): 022 at spawn, inherited at fork,
	 * kept over exec.  The kernel clears its bits from the mode of the
	 * OPENAT/MKDIR it forwards, so vfsd only ever sees final modes.
	 */
	uint32_t umask;
	/*
	 * The cwd is /dev, which has no directory in vfsd: kept here
	 * (executive/syscall.c dev_chdir) instead of vfsd's cwd, which any
	 * other successful chdir takes back.
	 */
	bool cwd_dev;
	/* syscalld holds a credentials/limits entry for this pid. */
	bool linux_policy_entry;
	uint64_t children_cpu_ns;	/* CPU time of reaped children */
	/* prctl(PR_SET_CHILD_SUBREAPER): orphans below it come here. */
	bool child_subreaper;
	struct ps_proc *next;
};
/* The lowest fd number a process may not use (RLIMIT_NOFILE). */
static inline unsigned
ps_fd_limit(const struct ps_proc *p)
{
	if (p->fd_limit == 0)
		return (PS_FD_SOFT_DEFAULT);
	return (p->fd_limit > PS_MAX_FDS ? PS_MAX_FDS : p->fd_limit);
}
/*
 * Policy callers (bootstrap processes, capability holders, service images)
 * use the kernel-direct paths; generic processes' calls go to the services.
 */
static inline bool
ps_is_policy(const struct ps_proc *p)
{
	return (p->bootstrap || p->caps != 0 || p->service_image);
}

/* The fd entry of fd, or NULL when fd lies outside the table or is free. */
static inline struct ps_fd *
ps_fd_at(struct ps_proc *p, long fd)
{
	if (fd < 0 || (unsigned long)fd >= p->fd_cap ||
	    p->fds[fd].kind == PS_FD_NONE)
		return (NULL);
	return (&p->fds[fd]);
}
/*
 * Grow p's table so that fd has an entry: 0, -EMFILE (fd at or above the
 * RLIMIT_NOFILE soft limit), -ENOMEM.  Growing moves the table: a
 * pointer into it is stale after any call that may reserve.
 */
int	ps_fd_reserve(struct ps_proc *p, unsigned fd);
/* The lowest free fd >= minfd (the table grown as needed), or -EMFILE. */
long	ps_fd_lowest(struct ps_proc *p, unsigned minfd);

struct hal_trap_frame;
struct ps_proc *ps_proc_current(void);
struct ps_proc *ps_proc_find(long pid);
/*
 * Copy `parent` (thread th blocked in its fork upcall, fork_tf set): a
 * copy-on-write copy of its address space (mm_uvm_fork) or, for
 * CLONE_VM (vfork), the same address space; fds with dup semantics
 * (pipes, console, bootfs; vfsd fds through LIFECYCLE fork), the
 * registers with rax = 0.  Returns the child pid or -errno.
 */
long	ps_proc_fork(struct ps_proc *parent, struct ps_thread *th);
/*
 * readlink of /proc/self/exe, /proc/thread-self/exe or /proc/<pid>/exe
 * (an absolute path; *handled = false for any other path): the path the
 * process image came from.  -ENOENT without one, -EACCES for a service
 * asked by an app.
 */
long	ps_proc_readlink_exe(struct ps_proc *p, uint64_t upath, uint64_t ubuf,
	    uint64_t cap, bool *handled);
/* A fresh number of the pid namespace (pids and thread ids). */
long	ps_pid_alloc(void);

/* Threads (thread.c). */
struct ps_thread *ps_thread_cur(void);
/* A live thread of p with pid-namespace id tid, or NULL. */
struct ps_thread *ps_thread_find(struct ps_proc *p, long tid);
/* A live thread with id tid in any process, or NULL. */
struct ps_thread *ps_thread_find_any(long tid);
/* Wake every thread of p parked in a blocking call (they recheck). */
void	ps_proc_kick(struct ps_proc *p);
/* CLONE_THREAD: a new thread of p copying th's registers (broker). */
long	ps_thread_clone(struct ps_proc *p, struct ps_thread *th);
/*
 * exit (group false) or exit_group/fatal signal (group true) of the
 * current thread.  Returns only in the last thread of the process, with
 * the wait status the process ends with; other threads end here.
 */
int	ps_thread_leave(int wait_status, bool group);
/* execve in a multi-threaded process: end every other thread first. */
long	ps_thread_zap_others(struct ps_proc *p);
/* Join the dead threads' tasks (all: the process is being reaped). */
void	ps_thread_reap(struct ps_proc *p, bool all);
/* CPU time of all of p's threads, reaped ones included (ns). */
uint64_t ps_proc_runtime_ns(struct ps_proc *p);
/* The vfork child execs or exits: let its parent thread run again. */
void	ps_vfork_release(struct ps_proc *c);
/* Linux thread calls (futex, gettid, set_tid_address, robust lists). */
long	ps_thread_call(struct hal_trap_frame *tf, uint64_t nr, bool *handled);
/* Wake up to n futex waiters of (vm, uaddr); returns how many. */
long	ps_futex_wake(struct mm_uvm *vm, uint64_t uaddr, int n);
/*
 * execve (proc.c): begin copies argv/envp from the caller; procd gets a
 * ticket (authorize), loaderd binds a session to it (target) and commits
 * into it; finish installs the image in the caller's syscall frame;
 * cancel/clear drop it.
 */
long	ps_exec_begin(struct ps_proc *p, const char *path, size_t path_len,
	    uint64_t uargv, uint64_t uenvp);
long	ps_exec_authorize(uint64_t uargs);
long	ps_exec_target(uint64_t uargs);
long	ps_exec_cancel(uint64_t ticket);
long	ps_exec_finish(struct ps_proc *p, struct hal_trap_frame *tf);
/*
 * Whether the current thread of p is to leave without finishing its
 * kernel wait: the thread group exits (exit_group, a fatal signal,
 * SIGKILL) or another thread execs.  False for the last thread doing
 * the exit itself (it is marked dead first) and for other processes.
 */
bool	ps_thread_must_leave(const struct ps_proc *p);
/* The new image's auxv ids: uid, euid, gid, egid (default all 0). */
void	ps_exec_set_ids(struct ps_proc *p, const uint32_t ids[4]);
void	ps_exec_clear(struct ps_proc *p);
/*
 * The executable of the execve in flight (exec_file.c): open it through
 * vfsd for p (dirfd/AT_EMPTY_PATH as execveat) after ps_exec_begin;
 * close drops the reference once procd answered.
 */
long	ps_exec_open_file(struct ps_proc *p, long dirfd, const char *path,
	    size_t len, uint64_t flags);
void	ps_exec_close_file(struct ps_proc *p);
/* The process table, for scans (no sleeping while walking it). */
struct ps_proc *ps_proc_first(void);
/* Processes counted against the fork limit (all but services/rootd). */
unsigned ps_proc_count_apps(void);
/* Start rootd from bootfs as pid 1 (the bootstrap task). */
long	ps_proc_start_rootd(const char *path);
/* End the current process (Linux wait status); never returns. */
__attribute__((noreturn)) void ps_proc_exit(int wait_status);
/* rusage_ptr: the reaped child's struct rusage (0: none). */
long	ps_proc_wait4(long pid, uint64_t status_ptr, int options,
	    uint64_t rusage_ptr);
long	ps_proc_waitid(uint64_t idtype, uint64_t id, uint64_t uinfo,
	    uint64_t options);
/* Spawn from a bootfs ELF (SPAWN_EXEC); returns the pid or -errno. */
long	ps_proc_spawn_bootfs(const char *path, size_t path_len,
	    const char *argv, size_t argv_len, long parent);
/* Process-build sessions (loaderd brokers). */
long	ps_build_prepare(uint64_t uargs);
long	ps_build_map(uint64_t uargs, bool data);
long	ps_build_set_runtime(uint64_t uargs);
long	ps_build_commit(uint64_t uargs);
long	ps_build_abort(uint64_t handle);
/* Self tests: machine code as a detached process; wait and reap it. */
long	ps_proc_spawn_code(const void *code, size_t len, const char *name);
int	ps_proc_wait_detached(long pid, int *status, uint64_t timeout_ms);
/* A detached process for the syscall fuzz self test (see proc.c). */
#define PS_FUZZ_VA		(MM_USER_BASE_PS + (16UL << 20))
#define MM_USER_BASE_PS		(1UL << 39)
struct ps_proc *ps_proc_fuzz_begin(uint64_t caps, unsigned pages);
void	ps_proc_fuzz_end(struct ps_proc *p);
/*
 * Kernel pipes (pipe.c): a data path like Linux's, no policy service.
 * Blocking reads/writes park on the pipe; -EPIPE means the caller must
 * deliver SIGPIPE (default action: end the process).
 */
long	ps_pipe2(struct ps_proc *p, uint64_t ufds, uint64_t flags);
long	ps_pipe_read(struct ps_proc *p, struct ps_fd *f, uint64_t buf,
	    uint64_t len);
long	ps_pipe_write(struct ps_proc *p, struct ps_fd *f, uint64_t buf,
	    uint64_t len);
/* Readiness of a pipe end as Linux POLL* bits (POLLNVAL when stale). */
int	ps_pipe_poll(const struct ps_fd *f);
/*
 * poll.c: poll/ppoll/select/pselect6.  ps_poll_wake() makes every waiting
 * poller re-scan: call it when an fd's readiness may have changed (pipes
 * do; the tty driver does on input).
 */
void	ps_poll_wake(void);
long	ps_sys_poll(struct ps_proc *p, uint64_t ufds, uint64_t nfds,
	    int64_t ms);
long	ps_sys_ppoll(struct ps_proc *p, uint64_t ufds, uint64_t nfds,
	    uint64_t uts, uint64_t umask, uint64_t size);
long	ps_sys_select(struct ps_proc *p, int64_t nfds, uint64_t r,
	    uint64_t w, uint64_t e, uint64_t utv);
long	ps_sys_pselect6(struct ps_proc *p, int64_t nfds, uint64_t r,
	    uint64_t w, uint64_t e, uint64_t uts, uint64_t usig);
/*
 * Kernel socket endpoints (sock.c): AF_UNIX objects and their data path.
 * netd's decisions arrive through NET_BROKER (executive/net.c); sends,
 * receives, accept and poll run here.  Socket ids: (slot + 1) | gen << 32.
 */
#define PS_SOCK_STREAM		1
#define PS_SOCK_DGRAM		2
#define PS_SOCK_SEQPACKET	5
#define PS_SOCK_NONBLOCK	0x800
#define PS_SOCK_CLOEXEC		0x80000
#define PS_SOCK_ST_UNCONNECTED	0
#define PS_SOCK_ST_LISTENING	1
#define PS_SOCK_ST_CONNECTED	2
#define PS_SOCK_BACKLOG_MAX	128
#define PS_SOCK_NAME_MAX	110
#define PS_SOCKOPT_SNDBUF	1
#define PS_SOCKOPT_RCVBUF	2
#define PS_SOCKOPT_PASSCRED	3
#define PS_MSG_PEEK		0x2
#define PS_MSG_TRUNC		0x20
#define PS_MSG_DONTWAIT		0x40
#define PS_MSG_NOSIGNAL		0x4000
struct ps_sock_cred {
	int64_t pid;
	uint32_t uid, gid;
};
struct ps_sock_info {
	uint64_t id;
	uint32_t type, state;
	uint8_t name[PS_SOCK_NAME_MAX];
	uint8_t peer_name[PS_SOCK_NAME_MAX];
	uint32_t name_len, peer_name_len;
	struct ps_sock_cred pcred;
	uint32_t sndbuf, rcvbuf;
	bool passcred;
	struct ps_sock_cred cred;	/* its owner's (SCM_CREDENTIALS) */
};
/* A user iovec being consumed (v: kernel copy of {base, len} pairs). */
struct ps_iov {
	uint64_t base, len;
};
struct ps_iov_cur {
	const struct ps_iov *v;
	unsigned cnt, i;
	uint64_t off;
};
/*
 * SCM_RIGHTS in flight: fd snapshots that each hold a reference (pipes,
 * sockets, memfds: ps_fd_hold; vfsd fds: one vfsd reference owned by
 * from_pid = PS_RIGHTS_HOLDER_PID, taken with LIFECYCLE SHARE from the
 * sender, so the sender's exit does not drop it).  Delivery moves the
 * references into the receiver's table (vfsd: SHARE to it, then the
 * holder's one goes); ps_rights_free drops them all.
 */
#define PS_RIGHTS_MAX		64
struct ps_rights {
	long from_pid;
	unsigned n;
	struct ps_fd fds[PS_RIGHTS_MAX];
};
void	ps_rights_free(struct ps_rights *r);
long	ps_iov_copy_in(struct ps_iov_cur *c, void *dst, size_t n);
long	ps_iov_copy_out(struct ps_iov_cur *c, const void *src, size_t n);
bool	ps_sock_type_ok(uint64_t type);
long	ps_sock_create(struct ps_proc *t, int type, uint32_t flags,
	    const struct ps_sock_cred *cred, uint64_t *id);
long	ps_sock_pair(struct ps_proc *t, int type, uint32_t flags,
	    const struct ps_sock_cred *cred, int32_t fds[2]);
long	ps_sock_listen(uint64_t id, unsigned backlog,
	    const struct ps_sock_cred *cred);
long	ps_sock_connect(uint64_t id, uint64_t target,
	    const struct ps_sock_cred *cred);
long	ps_sock_setname(uint64_t id, const void *name, size_t len);
long	ps_sock_shutdown(uint64_t id, unsigned how);
long	ps_sock_setopt(uint64_t id, unsigned opt, uint64_t val);
long	ps_sock_info(uint64_t id, struct ps_sock_info *out);
uint64_t ps_sock_id(const struct ps_fd *f);
/* to: a datagram's destination socket id (0: the connected peer). */
long	ps_sock_send(struct ps_proc *p, struct ps_fd *f, struct ps_iov_cur *cur,
	    size_t len, unsigned flags, struct ps_rights *rights, uint64_t to);
/* *from: the sender's socket id (a record's; a stream's peer). */
long	ps_sock_recv(struct ps_proc *p, struct ps_fd *f, struct ps_iov_cur *cur,
	    size_t len, unsigned flags, unsigned *out_flags,
	    struct ps_rights **rights, uint64_t *from);
long	ps_sock_accept(struct ps_proc *p, struct ps_fd *f, uint32_t flags,
	    uint64_t *peer_id);
int	ps_sock_poll(const struct ps_fd *f);
/* FIONREAD: queued bytes (datagram: the next one's size). */
size_t	ps_sock_nread(const struct ps_fd *f);
void	ps_sock_hold(struct ps_fd *f);
void	ps_sock_drop(struct ps_fd *f);

/* Another reference to the object of f (dup, fork). */
void	ps_fd_hold(struct ps_fd *f);
/* Drop f's object reference (close; remote fds are the caller's). */
void	ps_fd_drop(struct ps_fd *f);
/* dup/dup2/dup3/F_DUPFD: -EBADF, -EINVAL, -EMFILE; remote fds via vfsd. */
long	ps_fd_dup(struct ps_proc *p, uint64_t oldfd, long newfd, long minfd,
	    bool cloexec);
/* fcntl F_GETFD/F_SETFD/F_GETFL/F_SETFL/F_DUPFD(_CLOEXEC). */
long	ps_fd_fcntl(struct ps_proc *p, uint64_t fd, uint64_t cmd,
	    uint64_t arg);

/*
 * vfsd-owned fds (remote.c): vfsd is asked before the fd table changes.
 * ps_remote_call sends a header-only VFS request for p (status or
 * -errno, *value = the reply's value); close asks vfsd, then clears f;
 * dup takes one more reference for a new fd; fork gives the child (pid
 * `child`, not yet running) the parent's references and cwd (0, or
 * -errno: the child then gets no remote fds); exit drops all of p's
 * references and cwd; exec closes the FD_CLOEXEC remote fds.
 */
long	ps_remote_call(struct ps_proc *p, uint16_t op, uint32_t flags,
	    uint64_t rid, uint64_t a0, uint64_t a1, uint64_t *value);
long	ps_remote_close(struct ps_proc *p, struct ps_fd *f);
long	ps_remote_dup(struct ps_proc *p, const struct ps_fd *f);
long	ps_remote_fork(struct ps_proc *parent, long child);
/*
 * A vfsd fd f that pid from_pid sent over IPC lands in `to`: vfsd gives
 * `to` a reference of its own (LIFECYCLE SHARE).  -EPERM when `to` is no
 * app (services keep a copy without a reference), else vfsd's status.
 */
long	ps_remote_share(struct ps_proc *to, long from_pid, const struct ps_fd *f);
/* Drop one vfsd reference of pid to rid (asked via `via`). */
long	ps_remote_unref(struct ps_proc *via, long pid, uint64_t rid);
/*
 * The vfsd owner of in-flight SCM_RIGHTS references: above every pid
 * (apps count up from 1, self-test processes from 1000000), never a
 * process, so no exit notice drops them.  ps_remote_park moves one
 * reference of p's fd f to it.
 */
#define PS_RIGHTS_HOLDER_PID	0x7ffffff0L
long	ps_remote_park(struct ps_proc *p, const struct ps_fd *f);
void	ps_remote_exit(struct ps_proc *p);
void	ps_remote_exec_cloexec(struct ps_proc *p);
/*
 * execve is about to install its new image (nothing can fail after
 * this): tell vfsd which handle of p holds the image (rid, LIFECYCLE
 * EXEC), which sets the access profile (an image from memfs confines
 * the process).  vfsd's error fails the exec with the old image
 * intact; 0 for policy callers.
 */
long	ps_remote_exec_commit(struct ps_proc *p, uint64_t rid);
/*
 * execve's permission check of path (len bytes, relative to the cwd):
 * vfsd's ACCESS X_OK with VFS_ACCESS_F_EXEC (-EACCES for directories
 * and files without an execute bit, -ENOENT...); 0 for policy callers.
 */
long	ps_remote_exec_access(struct ps_proc *p, const char *path,
	    size_t len);
/*
 * Put path (len bytes, no NUL) into rq->path and, when second is not
 * NULL, second (len2 bytes) into rq->payload; one longer than the field
 * has its leading bytes sent first as vfsd PATH_STAGE chunks (from the
 * task `via`, for rq->pid) and the matching VFS_IPC_STAGED_* mark set
 * (vfs_path.c).  rq->pid must be set.  0, -ENAMETOOLONG (longer than
 * VFS_PATH_MAX - 1) or the stage's -errno.
 */
struct rustos_vfs_ipc_request;
long	ps_vfs_put_paths(struct ps_proc *via,
	    struct rustos_vfs_ipc_request *rq, const char *path, size_t len,
	    const char *second, size_t len2);

/*
 * Whether a blocking call of p (by the current thread) must stop now: a
 * fatal signal or group exit, an exec ending this thread, or a pending
 * signal the thread does not block.  It returns -PS_ERESTARTSYS
 * (restarted after a SA_RESTART handler or when no handler runs, -EINTR
 * otherwise) or -EINTR for calls that are never restarted.
 */
bool	ps_signal_interrupts(const struct ps_proc *p);
/*
 * Whether process group pgid is orphaned (POSIX: no member but ignore
 * has a parent in another group of its session; pid 1 does not count).
 */
bool	ps_pgrp_orphaned(long pgid, const struct ps_proc *ignore);
/*
 * On the way back to user mode (tf = the user frame): resolve a
 * -PS_ERESTARTSYS syscall result, push an rt_sigframe for a deliverable
 * handled signal, or return the signal whose default action ends the
 * process (0: nothing to do).
 */
int	ps_signal_deliver(struct hal_trap_frame *tf);
/* Queue sig for t with its siginfo (kernel senders: SIGCHLD, SIGPIPE). */
void	ps_signal_send(struct ps_proc *t, int sig, long pid, int code,
	    int status);
/*
 * A CPU fault of the current process (vector in tf): 1 when a handler
 * takes it, 0 to kill with sig.  si_code follows Linux per vector.
 */
int	ps_signal_fault(struct hal_trap_frame *tf, int sig, uint64_t addr);
/* signalfd reads (-EAGAIN, -PS_ERESTARTSYS) and poll readiness (POLLIN). */
long	ps_signalfd_read(struct ps_proc *p, struct ps_fd *f, uint64_t buf,
	    uint64_t len);
int	ps_signalfd_poll(struct ps_proc *p, const struct ps_fd *f);
/* Whether p's children are reaped at exit (SIGCHLD SIG_IGN/SA_NOCLDWAIT). */
bool	ps_signal_autoreap(const struct ps_proc *p);
/*
 * A stop or continue of live child c that wait asks for (options bit 2
 * WUNTRACED/WSTOPPED, 8 WCONTINUED): 0 and the Linux wait status in
 * *status (stopped: sig << 8 | 0x7f, continued: 0xffff), the report
 * consumed unless keep; -1 when there is none.
 */
int	ps_signal_child_report(struct ps_proc *c, uint64_t options, bool keep,
	    int *status);
/* nanosleep/clock_nanosleep (interrupted by signals: -EINTR, remainder). */
long	ps_clock_nanosleep(struct ps_proc *p, uint64_t clock, uint64_t flags,
	    uint64_t ureq, uint64_t urem);
/* Signal state of a fork child (copied) and after execve (reset). */
void	ps_signal_fork(struct ps_proc *c, const struct ps_proc *parent);
void	ps_signal_exec(struct ps_proc *p);
/*
 * Signal calls (signal.c): kill/tkill/tgkill, rt_sig*, pause,
 * sigaltstack; *handled = false for other numbers.
 */
long	ps_signal_call(struct hal_trap_frame *tf, uint64_t nr, bool *handled);
/*
 * Process calls of the Linux ABI owned by ps/ (proc_calls.c): pipes, dup,
 * and later fork/exec/signals.  *handled = false for other numbers.
 */
struct hal_trap_frame;
long	ps_linux_proc_call(struct hal_trap_frame *tf, uint64_t nr,
	    bool *handled);

/*
 * brk (current process) and mmap/munmap/mprotect/mremap/madvise of p
 * (Linux prot/flags; obj backs MAP_SHARED mappings or is NULL).
 */
struct mm_obj;
long	ps_mm_brk(uint64_t want);
long	ps_mm_mmap(struct ps_proc *p, uint64_t addr, uint64_t len, int prot,
	    int flags, struct mm_obj *obj, uint64_t off);
long	ps_mm_mremap(struct ps_proc *p, uint64_t old, uint64_t old_len,
	    uint64_t new_len, unsigned flags);
long	ps_mm_madvise(struct ps_proc *p, uint64_t addr, uint64_t len,
	    int advice);
long	ps_mm_munmap(struct ps_proc *p, uint64_t addr, uint64_t len);
long	ps_mm_mprotect(struct ps_proc *p, uint64_t addr, uint64_t len,
	    int prot);

#endif /* KERNEL_PS_API_H */
