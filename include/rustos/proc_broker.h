/*
 * rustos/proc_broker.h -- the process broker used by loaderd (and procd):
 * a prepare session records page-aligned, non-overlapping mappings, then
 * commit builds the child address space.  All PROC_*_BROKER calls fail with
 * -EACCES unless the caller holds the gate of abi/syscalls.def.
 */
#ifndef RUSTOS_PROC_BROKER_H
#define RUSTOS_PROC_BROKER_H

#include <stdint.h>

#include <rustos/abi_assert.h>

#define PROC_BROKER_ABI_VERSION		1

#define PROC_BROKER_FORMAT_ELF64	1
#define PROC_BROKER_FORMAT_PE64		2

#define PROC_BROKER_MAP_READ		(1u << 0)
#define PROC_BROKER_MAP_WRITE		(1u << 1)
#define PROC_BROKER_MAP_EXEC		(1u << 2)
#define PROC_BROKER_MAP_PRIVATE		(1u << 3)

/* User half: [BASE, END). */
#define PROC_BROKER_USER_SPACE_BASE	(1ULL << 39)
#define PROC_BROKER_USER_SPACE_END	(2ULL << 39)
/* Static-PIE load biases of the main image and of its PT_INTERP. */
#define PROC_BROKER_MAIN_IMAGE_BIAS	(PROC_BROKER_USER_SPACE_BASE + 0x00400000ULL)
#define PROC_BROKER_INTERP_BIAS		(PROC_BROKER_USER_SPACE_BASE + 0x02000000ULL)

#define PROC_BROKER_MAP_BATCH_MAX	64

/*
 * PROC_PREPARE_FLAG_SERVICE: the child is a policy service (it may
 * register ids with capability bits and use the bootstrap VFS path).  The
 * kernel records it as a process attribute at commit; it never derives it
 * from the executable path.  It is accepted only while the caller serves
 * a request from a process that itself holds the attribute (rootd, initd),
 * else -EACCES.  Unknown flag bits: -EINVAL.
 */
#define PROC_PREPARE_FLAG_SERVICE	(1u << 0)
/*
 * PROC_PREPARE_FLAG_NEW_SESSION: the child leads a new session and process
 * group (sid = pgid = its pid, as after setsid()) instead of joining its
 * parent's; runtimed's launches.  Not with an exec target (-EINVAL).
 */
#define PROC_PREPARE_FLAG_NEW_SESSION	(1u << 1)
#define PROC_PREPARE_FLAGS_KNOWN	(PROC_PREPARE_FLAG_SERVICE | \
					 PROC_PREPARE_FLAG_NEW_SESSION)

/* PROC_PREPARE_BROKER (32 bytes); returns the prepare handle. */
struct rustos_proc_prepare_args {
	uint32_t	abi_version;	/* PROC_BROKER_ABI_VERSION */
	uint32_t	format;		/* PROC_BROKER_FORMAT_* */
	uint64_t	session_handle;	/* console session of the child */
	uint64_t	parent_pid;
	uint32_t	weight_micros;	/* scheduler budget, from the manifest */
	uint32_t	flags;		/* PROC_PREPARE_FLAG_* */
};
RUSTOS_ABI_SIZE(proc_prepare_args, 32);
RUSTOS_ABI_OFFSET(proc_prepare_args, abi_version, 0);
RUSTOS_ABI_OFFSET(proc_prepare_args, format, 4);
RUSTOS_ABI_OFFSET(proc_prepare_args, session_handle, 8);
RUSTOS_ABI_OFFSET(proc_prepare_args, parent_pid, 16);
RUSTOS_ABI_OFFSET(proc_prepare_args, weight_micros, 24);
RUSTOS_ABI_OFFSET(proc_prepare_args, flags, 28);

/*
 * PROC_MAP_{FILE,ZEROED,DATA}_BROKER (56 bytes).  FILE uses fd+file_offset
 * (the fd is pinned at registration; no path re-open at commit); DATA copies
 * data_len bytes from data_ptr; ZEROED uses neither.
 */
struct rustos_proc_map_args {
	uint64_t	prepare_handle;
	uint64_t	vaddr;		/* page aligned */
	uint64_t	len;		/* page multiple */
	uint32_t	flags;		/* PROC_BROKER_MAP_* */
	int32_t		fd;
	uint64_t	file_offset;
	uint64_t	data_ptr;
	uint64_t	data_len;
};
RUSTOS_ABI_SIZE(proc_map_args, 56);
RUSTOS_ABI_OFFSET(proc_map_args, prepare_handle, 0);
RUSTOS_ABI_OFFSET(proc_map_args, vaddr, 8);
RUSTOS_ABI_OFFSET(proc_map_args, len, 16);
RUSTOS_ABI_OFFSET(proc_map_args, flags, 24);
RUSTOS_ABI_OFFSET(proc_map_args, fd, 28);
RUSTOS_ABI_OFFSET(proc_map_args, file_offset, 32);
RUSTOS_ABI_OFFSET(proc_map_args, data_ptr, 40);
RUSTOS_ABI_OFFSET(proc_map_args, data_len, 48);

/* One mapping of PROC_MAP_FILE_BATCH_BROKER (32 bytes). */
struct rustos_proc_map_file_entry {
	uint64_t	vaddr;
	uint64_t	len;
	uint64_t	file_offset;
	uint32_t	flags;
	uint32_t	reserved0;
};
RUSTOS_ABI_SIZE(proc_map_file_entry, 32);
RUSTOS_ABI_OFFSET(proc_map_file_entry, vaddr, 0);
RUSTOS_ABI_OFFSET(proc_map_file_entry, len, 8);
RUSTOS_ABI_OFFSET(proc_map_file_entry, file_offset, 16);
RUSTOS_ABI_OFFSET(proc_map_file_entry, flags, 24);
RUSTOS_ABI_OFFSET(proc_map_file_entry, reserved0, 28);

/* PROC_MAP_FILE_BATCH_BROKER (24 bytes). */
struct rustos_proc_map_file_batch_args {
	uint64_t	prepare_handle;
	int32_t		fd;
	uint32_t	count;		/* <= PROC_BROKER_MAP_BATCH_MAX */
	uint64_t	entries_ptr;	/* struct rustos_proc_map_file_entry[count] */
};
RUSTOS_ABI_SIZE(proc_map_file_batch_args, 24);
RUSTOS_ABI_OFFSET(proc_map_file_batch_args, prepare_handle, 0);
RUSTOS_ABI_OFFSET(proc_map_file_batch_args, fd, 8);
RUSTOS_ABI_OFFSET(proc_map_file_batch_args, count, 12);
RUSTOS_ABI_OFFSET(proc_map_file_batch_args, entries_ptr, 16);

/*
 * PROC_SET_LINUX_RUNTIME_BROKER (104 bytes): launch metadata, not the
 * binary.  entry is the program's own entry (AT_ENTRY).  With a PT_INTERP
 * interpreter, interpreter_base is where its lowest page lies (AT_BASE,
 * PROC_BROKER_INTERP_BIAS for loaderd) and interpreter_entry is where the
 * thread starts; both are 0 without one (the thread starts at entry).
 */
struct rustos_proc_linux_runtime {
	uint64_t	prepare_handle;
	uint64_t	entry;
	uint64_t	phdr;
	uint64_t	phnum;
	uint64_t	phent;
	uint64_t	brk_start;
	uint64_t	interpreter_base;	/* 0 without PT_INTERP */
	uint64_t	tls_image_vaddr;	/* PT_TLS template, 0 if none */
	uint64_t	tls_filesz;
	uint64_t	tls_memsz;
	uint64_t	tls_align;
	uint64_t	stack_size;		/* 0: default (512 KiB); else a
						 * page multiple <= 32 MiB
						 * (loaderd: RLIMIT_STACK) */
	uint64_t	interpreter_entry;	/* 0 without PT_INTERP */
};
RUSTOS_ABI_SIZE(proc_linux_runtime, 104);
RUSTOS_ABI_OFFSET(proc_linux_runtime, prepare_handle, 0);
RUSTOS_ABI_OFFSET(proc_linux_runtime, entry, 8);
RUSTOS_ABI_OFFSET(proc_linux_runtime, phdr, 16);
RUSTOS_ABI_OFFSET(proc_linux_runtime, phnum, 24);
RUSTOS_ABI_OFFSET(proc_linux_runtime, phent, 32);
RUSTOS_ABI_OFFSET(proc_linux_runtime, brk_start, 40);
RUSTOS_ABI_OFFSET(proc_linux_runtime, interpreter_base, 48);
RUSTOS_ABI_OFFSET(proc_linux_runtime, tls_image_vaddr, 56);
RUSTOS_ABI_OFFSET(proc_linux_runtime, tls_filesz, 64);
RUSTOS_ABI_OFFSET(proc_linux_runtime, tls_memsz, 72);
RUSTOS_ABI_OFFSET(proc_linux_runtime, tls_align, 80);
RUSTOS_ABI_OFFSET(proc_linux_runtime, stack_size, 88);
RUSTOS_ABI_OFFSET(proc_linux_runtime, interpreter_entry, 96);

/* PROC_SET_WINDOWS_RUNTIME_BROKER (72 bytes). */
struct rustos_proc_windows_runtime {
	uint64_t	prepare_handle;
	uint64_t	entry;
	uint64_t	image_base;
	uint64_t	stack_reserve;
	uint64_t	stack_commit;
	uint64_t	peb_vaddr;
	uint64_t	teb_vaddr;
	uint32_t	subsystem;	/* IMAGE_SUBSYSTEM_* */
	uint32_t	reserved0;
	uint64_t	reserved1;
};
RUSTOS_ABI_SIZE(proc_windows_runtime, 72);
RUSTOS_ABI_OFFSET(proc_windows_runtime, prepare_handle, 0);
RUSTOS_ABI_OFFSET(proc_windows_runtime, entry, 8);
RUSTOS_ABI_OFFSET(proc_windows_runtime, image_base, 16);
RUSTOS_ABI_OFFSET(proc_windows_runtime, stack_reserve, 24);
RUSTOS_ABI_OFFSET(proc_windows_runtime, stack_commit, 32);
RUSTOS_ABI_OFFSET(proc_windows_runtime, peb_vaddr, 40);
RUSTOS_ABI_OFFSET(proc_windows_runtime, teb_vaddr, 48);
RUSTOS_ABI_OFFSET(proc_windows_runtime, subsystem, 56);
RUSTOS_ABI_OFFSET(proc_windows_runtime, reserved0, 60);
RUSTOS_ABI_OFFSET(proc_windows_runtime, reserved1, 64);

/*
 * PROC_COMMIT_BROKER (56 bytes); argv/envp are NUL-separated blocks.
 * exe_ptr/exe_len (spawn only; ignored with an exec ticket): the
 * executable's absolute path, which /proc/<pid>/exe shows (normalised by
 * the kernel; 0 length: argv[0], as before); reserved must be 0.
 */
struct rustos_proc_commit_args {
	uint64_t	prepare_handle;
	uint64_t	argv_ptr;
	uint64_t	envp_ptr;
	uint32_t	argv_len;
	uint32_t	envp_len;
	uint64_t	exec_ticket;	/* 0 for spawn; PROC_EXEC_TARGET ticket for execve */
	uint64_t	exe_ptr;
	uint32_t	exe_len;	/* <= PROC_COMMIT_EXE_MAX */
	uint32_t	reserved;
};
#define PROC_COMMIT_EXE_MAX	4096
RUSTOS_ABI_SIZE(proc_commit_args, 56);
RUSTOS_ABI_OFFSET(proc_commit_args, prepare_handle, 0);
RUSTOS_ABI_OFFSET(proc_commit_args, argv_ptr, 8);
RUSTOS_ABI_OFFSET(proc_commit_args, envp_ptr, 16);
RUSTOS_ABI_OFFSET(proc_commit_args, argv_len, 24);
RUSTOS_ABI_OFFSET(proc_commit_args, envp_len, 28);
RUSTOS_ABI_OFFSET(proc_commit_args, exec_ticket, 32);
RUSTOS_ABI_OFFSET(proc_commit_args, exe_ptr, 40);
RUSTOS_ABI_OFFSET(proc_commit_args, exe_len, 48);
RUSTOS_ABI_OFFSET(proc_commit_args, reserved, 52);

/* PROC_AUTHORIZE_EXEC_BROKER / PROC_EXEC_TARGET_BROKER (32 bytes). */
struct rustos_proc_exec_ticket_args {
	uint64_t	pid;
	uint64_t	tid;
	uint64_t	ticket;		/* out of AUTHORIZE, in to EXEC_TARGET */
	uint64_t	prepare_handle;
};
RUSTOS_ABI_SIZE(proc_exec_ticket_args, 32);
RUSTOS_ABI_OFFSET(proc_exec_ticket_args, pid, 0);
RUSTOS_ABI_OFFSET(proc_exec_ticket_args, tid, 8);
RUSTOS_ABI_OFFSET(proc_exec_ticket_args, ticket, 16);
RUSTOS_ABI_OFFSET(proc_exec_ticket_args, prepare_handle, 24);

/*
 * PROC_EXEC_FILE_BROKER (56 bytes): loaderd reads the executable of an
 * execve through the exec ticket.  The kernel opened it for the caller
 * (path relative to the caller's cwd or dirfd, or the fd of execveat's
 * AT_EMPTY_PATH), so loaderd never needs the caller's namespace.  INFO
 * fills size and mode (Linux st_mode); READ copies at most
 * PROC_EXEC_FILE_READ_MAX bytes at offset into buf_ptr and returns the
 * count (0 at the end).  INFO also names the caller's soft RLIMIT_STACK
 * (syscalld's, as its last prlimit64 reply set it), which loaderd turns
 * into the new image's stack size.  -ENOENT: the ticket has no file (a policy
 * caller's exec: loaderd reads the boot modules by path).
 *
 * The PT_INTERP interpreter of that executable: INTERP_OPEN opens the
 * absolute path at buf_ptr (buf_len bytes, no NUL, < 512) for the caller
 * through vfsd, with the rules of the executable itself (vfsd's execve
 * ACCESS X_OK: -ENOENT, -EACCES for a directory or no x permission, the
 * caller's access profile); INTERP_INFO and INTERP_READ then work as
 * INFO and READ on it.  The kernel closes it with the executable.
 */
#define PROC_EXEC_FILE_OP_INFO		1
#define PROC_EXEC_FILE_OP_READ		2
#define PROC_EXEC_FILE_OP_INTERP_OPEN	3
#define PROC_EXEC_FILE_OP_INTERP_INFO	4
#define PROC_EXEC_FILE_OP_INTERP_READ	5
#define PROC_EXEC_FILE_READ_MAX		32768
struct rustos_proc_exec_file_args {
	uint64_t	ticket;
	uint32_t	op;		/* PROC_EXEC_FILE_OP_* */
	uint32_t	mode;		/* out (INFO) */
	uint64_t	size;		/* out (INFO) */
	uint64_t	offset;		/* READ */
	uint64_t	buf_ptr;	/* READ */
	uint64_t	buf_len;	/* READ */
	uint64_t	stack_limit;	/* out (INFO): the caller's soft
					 * RLIMIT_STACK (0: not set) */
};
RUSTOS_ABI_SIZE(proc_exec_file_args, 56);
RUSTOS_ABI_OFFSET(proc_exec_file_args, ticket, 0);
RUSTOS_ABI_OFFSET(proc_exec_file_args, op, 8);
RUSTOS_ABI_OFFSET(proc_exec_file_args, mode, 12);
RUSTOS_ABI_OFFSET(proc_exec_file_args, size, 16);
RUSTOS_ABI_OFFSET(proc_exec_file_args, offset, 24);
RUSTOS_ABI_OFFSET(proc_exec_file_args, buf_ptr, 32);
RUSTOS_ABI_OFFSET(proc_exec_file_args, buf_len, 40);

/* PROC_FORK_BROKER (56 bytes): Linux clone semantics for a target process. */
struct rustos_proc_fork_args {
	uint64_t	parent_pid;
	uint64_t	parent_tid;
	uint64_t	clone_flags;
	uint64_t	child_stack;
	uint64_t	tls;
	uint64_t	child_tid_ptr;
	uint64_t	parent_tid_ptr;
};
RUSTOS_ABI_SIZE(proc_fork_args, 56);
RUSTOS_ABI_OFFSET(proc_fork_args, parent_pid, 0);
RUSTOS_ABI_OFFSET(proc_fork_args, parent_tid, 8);
RUSTOS_ABI_OFFSET(proc_fork_args, clone_flags, 16);
RUSTOS_ABI_OFFSET(proc_fork_args, child_stack, 24);
RUSTOS_ABI_OFFSET(proc_fork_args, tls, 32);
RUSTOS_ABI_OFFSET(proc_fork_args, child_tid_ptr, 40);
RUSTOS_ABI_OFFSET(proc_fork_args, parent_tid_ptr, 48);

/* PROC_SIGNAL_QUEUE_BROKER (40 bytes). */
struct rustos_proc_signal_args {
	uint64_t	pid;
	uint64_t	tid;		/* 0: any thread of pid */
	uint32_t	signo;
	int32_t		code;		/* si_code */
	uint64_t	value;		/* si_value */
	uint64_t	sender_pid;
};
RUSTOS_ABI_SIZE(proc_signal_args, 40);
RUSTOS_ABI_OFFSET(proc_signal_args, pid, 0);
RUSTOS_ABI_OFFSET(proc_signal_args, tid, 8);
RUSTOS_ABI_OFFSET(proc_signal_args, signo, 16);
RUSTOS_ABI_OFFSET(proc_signal_args, code, 20);
RUSTOS_ABI_OFFSET(proc_signal_args, value, 24);
RUSTOS_ABI_OFFSET(proc_signal_args, sender_pid, 32);

/*
 * kill/tkill/tgkill/rt_sigqueueinfo of other processes reach procd as a
 * kernel-forwarded offload request, op 62: arg0 the pid argument (signed:
 * 0 the caller's group, -1 all, -g group g), arg1 the signal, arg2 si_code
 * (signed), arg3 si_value; flags PROCD_KILL_QUEUE (sigqueue: -EAGAIN when
 * the target's queue is full), PROCD_KILL_THREAD (tkill/tgkill),
 * PROCD_KILL_TRUNCATED (more candidates than fit); mask PROCD_KILL_SYSTEM
 * when the caller is rootd or a service.  path holds the candidates the
 * kernel sees for arg0, path_len / 4 little-endian u32 records: the pid
 * (below PROCD_KILL_PID_LIMIT) | PROCD_KILL_SYSTEM | PROCD_KILL_ZOMBIE |
 * PROCD_KILL_SESSION (in the caller's session: SIGCONT needs no uid match);
 * the caller, when named, comes last.  dirfd: the target thread of
 * tkill/tgkill/rt_tgsigqueueinfo (0: the process).  procd queues each
 * permitted one
 * with PROC_SIGNAL_QUEUE_BROKER (pid, tid = dirfd, signo, code, value
 * exactly as asked, sender_pid = the caller) and replies 0, -EPERM or -ESRCH (-EAGAIN).
 */
#define PROCD_KILL_QUEUE	0x1u
#define PROCD_KILL_THREAD	0x2u
#define PROCD_KILL_TRUNCATED	0x4u
#define PROCD_KILL_SYSTEM	(1u << 30)
#define PROCD_KILL_ZOMBIE	(1u << 29)
#define PROCD_KILL_SESSION	(1u << 28)
#define PROCD_KILL_PID_LIMIT	(1u << 28)

#endif /* RUSTOS_PROC_BROKER_H */
