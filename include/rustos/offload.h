/*
 * rustos/offload.h -- syscall offload to syscalld: the kernel forwards a
 * Linux or Win32 call it does not own as a request on syscalld's endpoint
 * (IPC_REGISTER_LINUX_SYSCALL_ENDPOINT) and performs only the narrow
 * privileged action the reply asks for.
 *
 * op: a Linux request carries the Linux x86_64 syscall number
 * (RUSTOS_LINUX_SYS_*, below SYSCALL_OFFLOAD_OP_LINUX_LIMIT); a Win32 request
 * carries an op of the SYSCALL_OFFLOAD_OP_WIN32_* range.
 */
#ifndef RUSTOS_OFFLOAD_H
#define RUSTOS_OFFLOAD_H

#include <stdint.h>

#include <rustos/abi_assert.h>

#define SYSCALL_OFFLOAD_ABI_VERSION		1
#define SYSCALL_OFFLOAD_OP_LINUX_LIMIT		0x1000
#define SYSCALL_OFFLOAD_PATH_MAX		256
#define SYSCALL_OFFLOAD_PAYLOAD_MAX		512

/* Win32 (NT system service) operations routed through syscalld. */
#define SYSCALL_OFFLOAD_OP_WIN32_FIRST			0x2000
#define SYSCALL_OFFLOAD_OP_WIN32_NT_CLOSE		0x2001
#define SYSCALL_OFFLOAD_OP_WIN32_NT_CREATE_FILE		0x2002
#define SYSCALL_OFFLOAD_OP_WIN32_NT_OPEN_FILE		0x2003
#define SYSCALL_OFFLOAD_OP_WIN32_NT_READ_FILE		0x2004
#define SYSCALL_OFFLOAD_OP_WIN32_NT_WRITE_FILE		0x2005
#define SYSCALL_OFFLOAD_OP_WIN32_NT_QUERY_INFORMATION_FILE 0x2006
#define SYSCALL_OFFLOAD_OP_WIN32_NT_ALLOCATE_VIRTUAL_MEMORY 0x2007
#define SYSCALL_OFFLOAD_OP_WIN32_NT_FREE_VIRTUAL_MEMORY	0x2008
#define SYSCALL_OFFLOAD_OP_WIN32_NT_PROTECT_VIRTUAL_MEMORY 0x2009
#define SYSCALL_OFFLOAD_OP_WIN32_NT_QUERY_INFORMATION_PROCESS 0x200a
#define SYSCALL_OFFLOAD_OP_WIN32_NT_TERMINATE_PROCESS	0x200b
#define SYSCALL_OFFLOAD_OP_WIN32_NT_QUERY_SYSTEM_TIME	0x200c
#define SYSCALL_OFFLOAD_OP_WIN32_LAST			0x2fff

/* Linux offload request (368 bytes). */
struct rustos_linux_syscall_offload_request {
	uint16_t	version;	/* SYSCALL_OFFLOAD_ABI_VERSION */
	uint16_t	op;		/* Linux syscall number */
	uint32_t	reserved0;
	uint64_t	pid;
	uint64_t	tid;
	uint64_t	parent_pid;
	uint64_t	session_handle;
	uint32_t	uid;
	uint32_t	gid;
	uint32_t	euid;
	uint32_t	egid;
	uint64_t	dirfd;
	uint64_t	flags;
	uint64_t	arg0;		/* 64-bit slots for fd-control arguments */
	uint64_t	arg1;
	uint64_t	arg2;
	uint64_t	arg3;
	uint32_t	mask;		/* statx mask etc.; never pointers or flags */
	uint32_t	path_len;	/* <= SYSCALL_OFFLOAD_PATH_MAX */
	uint8_t		path[SYSCALL_OFFLOAD_PATH_MAX];
};
RUSTOS_ABI_SIZE(linux_syscall_offload_request, 368);
RUSTOS_ABI_OFFSET(linux_syscall_offload_request, version, 0);
RUSTOS_ABI_OFFSET(linux_syscall_offload_request, op, 2);
RUSTOS_ABI_OFFSET(linux_syscall_offload_request, reserved0, 4);
RUSTOS_ABI_OFFSET(linux_syscall_offload_request, pid, 8);
RUSTOS_ABI_OFFSET(linux_syscall_offload_request, tid, 16);
RUSTOS_ABI_OFFSET(linux_syscall_offload_request, parent_pid, 24);
RUSTOS_ABI_OFFSET(linux_syscall_offload_request, session_handle, 32);
RUSTOS_ABI_OFFSET(linux_syscall_offload_request, uid, 40);
RUSTOS_ABI_OFFSET(linux_syscall_offload_request, gid, 44);
RUSTOS_ABI_OFFSET(linux_syscall_offload_request, euid, 48);
RUSTOS_ABI_OFFSET(linux_syscall_offload_request, egid, 52);
RUSTOS_ABI_OFFSET(linux_syscall_offload_request, dirfd, 56);
RUSTOS_ABI_OFFSET(linux_syscall_offload_request, flags, 64);
RUSTOS_ABI_OFFSET(linux_syscall_offload_request, arg0, 72);
RUSTOS_ABI_OFFSET(linux_syscall_offload_request, arg1, 80);
RUSTOS_ABI_OFFSET(linux_syscall_offload_request, arg2, 88);
RUSTOS_ABI_OFFSET(linux_syscall_offload_request, arg3, 96);
RUSTOS_ABI_OFFSET(linux_syscall_offload_request, mask, 104);
RUSTOS_ABI_OFFSET(linux_syscall_offload_request, path_len, 108);
RUSTOS_ABI_OFFSET(linux_syscall_offload_request, path, 112);

/* Linux offload response (528 bytes). */
struct rustos_linux_syscall_offload_response {
	uint16_t	version;
	uint16_t	op;
	int32_t		status;		/* result or -errno */
	uint32_t	payload_len;	/* <= SYSCALL_OFFLOAD_PAYLOAD_MAX */
	uint32_t	reserved0;
	uint8_t		payload[SYSCALL_OFFLOAD_PAYLOAD_MAX];
};
RUSTOS_ABI_SIZE(linux_syscall_offload_response, 528);
RUSTOS_ABI_OFFSET(linux_syscall_offload_response, version, 0);
RUSTOS_ABI_OFFSET(linux_syscall_offload_response, op, 2);
RUSTOS_ABI_OFFSET(linux_syscall_offload_response, status, 4);
RUSTOS_ABI_OFFSET(linux_syscall_offload_response, payload_len, 8);
RUSTOS_ABI_OFFSET(linux_syscall_offload_response, reserved0, 12);
RUSTOS_ABI_OFFSET(linux_syscall_offload_response, payload, 16);

/*
 * Win32 offload request (624 bytes).  Names travel as UTF-8 (the kernel's
 * Win32 dispatcher converts from UTF-16); handle is the NT handle value.
 */
struct rustos_win32_syscall_offload_request {
	uint16_t	version;
	uint16_t	op;		/* SYSCALL_OFFLOAD_OP_WIN32_* */
	uint32_t	reserved0;
	uint64_t	pid;
	uint64_t	tid;
	uint64_t	session_handle;
	uint64_t	handle;
	uint64_t	args[6];
	uint32_t	name_len;	/* <= 512 */
	uint32_t	reserved1;
	uint8_t		name[512];
};
RUSTOS_ABI_SIZE(win32_syscall_offload_request, 608);
RUSTOS_ABI_OFFSET(win32_syscall_offload_request, version, 0);
RUSTOS_ABI_OFFSET(win32_syscall_offload_request, op, 2);
RUSTOS_ABI_OFFSET(win32_syscall_offload_request, reserved0, 4);
RUSTOS_ABI_OFFSET(win32_syscall_offload_request, pid, 8);
RUSTOS_ABI_OFFSET(win32_syscall_offload_request, tid, 16);
RUSTOS_ABI_OFFSET(win32_syscall_offload_request, session_handle, 24);
RUSTOS_ABI_OFFSET(win32_syscall_offload_request, handle, 32);
RUSTOS_ABI_OFFSET(win32_syscall_offload_request, args, 40);
RUSTOS_ABI_OFFSET(win32_syscall_offload_request, name_len, 88);
RUSTOS_ABI_OFFSET(win32_syscall_offload_request, reserved1, 92);
RUSTOS_ABI_OFFSET(win32_syscall_offload_request, name, 96);

/* Win32 offload response (544 bytes). */
struct rustos_win32_syscall_offload_response {
	uint16_t	version;
	uint16_t	op;
	int32_t		status;		/* 0 or -errno (transport/policy) */
	uint32_t	ntstatus;	/* NTSTATUS returned to the program */
	uint32_t	payload_len;
	uint64_t	value;
	uint64_t	reserved0;
	uint8_t		payload[512];
};
RUSTOS_ABI_SIZE(win32_syscall_offload_response, 544);
RUSTOS_ABI_OFFSET(win32_syscall_offload_response, version, 0);
RUSTOS_ABI_OFFSET(win32_syscall_offload_response, op, 2);
RUSTOS_ABI_OFFSET(win32_syscall_offload_response, status, 4);
RUSTOS_ABI_OFFSET(win32_syscall_offload_response, ntstatus, 8);
RUSTOS_ABI_OFFSET(win32_syscall_offload_response, payload_len, 12);
RUSTOS_ABI_OFFSET(win32_syscall_offload_response, value, 16);
RUSTOS_ABI_OFFSET(win32_syscall_offload_response, reserved0, 24);
RUSTOS_ABI_OFFSET(win32_syscall_offload_response, payload, 32);

#endif /* RUSTOS_OFFLOAD_H */
