/*
 * rustos/bootstrap_services.h -- op numbers and payloads of the bootstrap
 * services beyond the shared framing of service.h: syscalld's Linux MM
 * offload conventions, procd's process query, devmgrd's device lookup and
 * storaged's inventory list.  See docs/ai/bootstrap.md.
 */
#ifndef RUSTOS_BOOTSTRAP_SERVICES_H
#define RUSTOS_BOOTSTRAP_SERVICES_H

#include <stdint.h>

#include <rustos/abi_assert.h>

/*
 * syscalld MM offload (struct rustos_linux_syscall_offload_request, op =
 * Linux syscall number).  Argument slots:
 *   brk(12):      arg0 = requested break (0: query)
 *   mmap(9):      arg0 addr, arg1 len, arg2 prot, arg3 flags,
 *                 dirfd = fd (as i64), flags = file offset
 *   munmap(11):   arg0 addr, arg1 len
 *   mprotect(10): arg0 addr, arg1 len, arg2 prot
 * Reply: status 0 or -errno; on success payload_len = 8 and payload holds
 * the u64 result (new break, mapped address, 0) little-endian.  brk never
 * fails: a refused move answers the unchanged break, as Linux does.
 * get[e]uid/get[e]gid (102 107 104 108) answer status 0 with the u64 id.
 *
 * Credentials, limits, uname, getrandom (same reply convention; a payload
 * other than the u64 is described per op):
 *   setuid(105)/setgid(106): arg0 id; setreuid(113)/setregid(114): arg0
 *   arg1; setresuid(117)/setresgid(119): arg0 arg1 arg2 (0xffffffff keeps)
 *   getresuid(118)/getresgid(120): payload = 3 x u32 (real, eff, saved)
 *   setfsuid(122)/setfsgid(123): arg0 id (0xffffffff: query); the u64
 *                   result is the old fs id (these never fail)
 *   getgroups(115): payload = u32 count + count x u32
 *   setgroups(116): arg0 = count (<= SYSCALLD_NGROUPS_MAX), path = the
 *                   u32 ids (path_len = 4 * count)
 *   prlimit64(302) (also for getrlimit/setrlimit): arg0 target pid (0:
 *                   caller), arg1 resource, flags & SYSCALLD_FLAG_NEW:
 *                   arg2/arg3 = new cur/max.  Payload = struct
 *                   rustos_syscalld_rlimit_reply: the old limit and the
 *                   limits the kernel enforces for that pid (fd table
 *                   bound, stack size of its next exec).
 *   uname(63):      payload = Linux struct utsname (390 bytes)
 *   getrandom(318): arg0 len (<= SYSCALL_OFFLOAD_PAYLOAD_MAX), arg1 flags;
 *                   payload = the bytes (payload_len = count)
 *   kill creds(62): arg0 a pid; payload = 3 x u32 (real, eff, saved uid)
 *                   of that process, as /proc/<pid>/status shows them on
 *                   Linux (procd's uid rule of kill(2)); 0s for a pid
 *                   syscalld has no entry for (the kernel view: root).
 *   fork note(57):  kernel-forwarded only: pid = parent, arg0 = child; the
 *                   child's entry becomes a copy of the parent's.  Sent
 *                   when the parent has an entry (the kernel tracks it).
 * flags & SYSCALLD_FLAG_INHERIT on any of these: the caller inherited its
 * parent's entry at fork; if the fork note has not arrived yet, seed from
 * parent_pid's entry (the parent is still blocked in fork).
 */
#define SYSCALLD_BRK_LIMIT	(256ull << 20)	/* bytes above brk_start */
#define SYSCALLD_MMAP_LIMIT	(1ull << 30)	/* largest single mapping */
#define SYSCALLD_NGROUPS_MAX	32
#define SYSCALLD_FLAG_NEW	0x1ull
#define SYSCALLD_FLAG_INHERIT	0x100ull

struct rustos_syscalld_rlimit_reply {
	uint64_t	old_cur, old_max;
	uint64_t	target_pid;	/* the pid the limits below are for */
	uint64_t	nofile_cur;	/* RLIMIT_NOFILE soft limit */
	uint64_t	stack_cur;	/* RLIMIT_STACK soft limit */
};
RUSTOS_ABI_SIZE(syscalld_rlimit_reply, 40);

/* procd op 16: process query; reply = reply header + this record. */
#define PROCD_OP_QUERY		16
/*
 * procd op 17: handle echo (tests): a request sent with IPC_CALL_WITH_HANDLES
 * gets the same handles back with its reply (status 0); sent without
 * handles it answers status 0 and no handles.
 */
#define PROCD_OP_ECHO_HANDLES	17
struct rustos_procd_query_reply {
	uint64_t	procd_pid;
	uint32_t	known;		/* processes procd tracks */
	uint32_t	reserved;
};
RUSTOS_ABI_SIZE(procd_query_reply, 16);

/*
 * devmgrd op 16: device lookup.  Request = request header + name bytes
 * (1..31, no NUL, e.g. "null"); reply = reply header + this record, or
 * status -ENOENT.  Retired: devmgrd no longer serves it (-EOPNOTSUPP);
 * the /dev registry protocol is rustos/devmgr.h (LOOKUP, READDIR, OPEN,
 * IOCTL).  The numbers stay reserved.
 */
#define DEVMGRD_OP_LOOKUP	16
#define DEVMGRD_OP_LOOKUP_NAME_MAX	31	/* was DEVMGRD_NAME_MAX (rustos/devmgr.h has that name) */
struct rustos_devmgrd_device {
	uint32_t	major;
	uint32_t	minor;
	uint32_t	mode;		/* S_IFCHR | permissions */
	uint32_t	reserved;
	char		name[32];	/* NUL-terminated */
};
RUSTOS_ABI_SIZE(devmgrd_device, 48);

/*
 * storaged op 16: storage inventory.  Reply = reply header + u32 count +
 * u32 bytes + up to STORAGED_LIST_MAX bytes of the kernel's descriptors
 * (SYS_RUSTOS_STORAGE_LIST_BROKER output, passed through).
 */
#define STORAGED_OP_LIST	16
#define STORAGED_LIST_MAX	4096

#endif /* RUSTOS_BOOTSTRAP_SERVICES_H */
