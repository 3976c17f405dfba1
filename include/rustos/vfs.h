/*
 * rustos/vfs.h -- the vfsd request/response (VfsIpcRequest/VfsIpcResponse)
 * for service-owned file handles and chunked I/O, and the VFS mount broker
 * argument struct.
 */
#ifndef RUSTOS_VFS_H
#define RUSTOS_VFS_H

#include <stdint.h>

#include <rustos/abi_assert.h>

#define VFS_IPC_ABI_VERSION	1
#define VFS_IPC_PATH_MAX	512
#define VFS_IPC_REQ_PAYLOAD_MAX	512
#define VFS_IPC_RESP_PAYLOAD_MAX 32768

#define VFS_IPC_OP_OPENAT	1
#define VFS_IPC_OP_CLOSE	2
#define VFS_IPC_OP_DUP		3
#define VFS_IPC_OP_READ		4
#define VFS_IPC_OP_WRITE	5
#define VFS_IPC_OP_PREAD64	6
#define VFS_IPC_OP_LSEEK	7
#define VFS_IPC_OP_FSTAT	8
#define VFS_IPC_OP_FTRUNCATE	9
#define VFS_IPC_OP_GETDENTS64	10
#define VFS_IPC_OP_FCNTL	11
#define VFS_IPC_OP_STATX	12
#define VFS_IPC_OP_NEWFSTATAT	13
#define VFS_IPC_OP_READLINKAT	14
#define VFS_IPC_OP_ACCESS	15
#define VFS_IPC_OP_GETCWD	16
#define VFS_IPC_OP_CHDIR	17
#define VFS_IPC_OP_MKDIR	18
#define VFS_IPC_OP_MOUNT	19
#define VFS_IPC_OP_UMOUNT2	20
#define VFS_IPC_OP_UNLINKAT	21
#define VFS_IPC_OP_POLL_QUERY	22
#define VFS_IPC_OP_LIFECYCLE	23
#define VFS_IPC_OP_RENAMEAT	24	/* path = old, payload = new name */
#define VFS_IPC_OP_CHMOD	25	/* path (or none: remote_id), arg0 = mode */
#define VFS_IPC_OP_SYMLINK	26	/* path = link, payload = target */
#define VFS_IPC_OP_PATH_STAGE	27	/* leading bytes of a long path */
#define VFS_IPC_OP_CHOWN	28	/* path (or none: remote_id), arg0/1 */
#define VFS_IPC_OP_CREDS	29	/* syscalld only: arg0 = pid, payload */
#define VFS_IPC_OP_MKSOCK	30	/* path, arg0 = mode: an AF_UNIX socket
					   node (bind); reply value = st_ino */
#define VFS_IPC_OP_CONFINED	31	/* launchers only: arg0 = pid */
#define VFS_IPC_OP_LAST		31

/*
 * Long paths (Linux PATH_MAX 4096, the NUL included) within the pinned
 * request layout: a path up to VFS_IPC_PATH_MAX bytes travels in path[]
 * as ever, one request.  A longer one is split: its leading bytes go
 * first in PATH_STAGE requests of the same (pid, tid) -- arg0 = which
 * buffer (VFS_STAGE_PATH: the op's path; VFS_STAGE_PAYLOAD: its second
 * path in payload[], renameat's new name or symlink's target), arg1 =
 * the offset of this chunk (the bytes staged so far; 0 starts afresh),
 * path[path_len] = the chunk (1..VFS_IPC_PATH_MAX bytes) -- then the op
 * itself with VFS_IPC_STAGED_PATH (and/or _PAYLOAD) in arg3 and the
 * last bytes in path[] (payload[]): the path is the staged prefix
 * followed by path[].  The op consumes the stage, and any other path op
 * of that thread drops it; a LIFECYCLE EXIT drops the pid's stages.
 * Staged prefix + tail longer than VFS_PATH_MAX - 1 bytes: -ENAMETOOLONG;
 * a staged flag without a matching stage: -EINVAL.  A component longer
 * than VFS_NAME_MAX is -ENAMETOOLONG (vfsd).  The marks travel in arg3,
 * which no path op uses, not in flags: those carry the caller's Linux
 * O_* / AT_* bits as they are, any of the 32 (open ignores unknown ones,
 * stat and unlinkat refuse them), so no flag bit is free to borrow.
 */
#define VFS_PATH_MAX		4096	/* Linux PATH_MAX, NUL included */
#define VFS_NAME_MAX		255
#define VFS_STAGE_PATH		0
#define VFS_STAGE_PAYLOAD	1
#define VFS_IPC_STAGED_PATH	0x1	/* arg3 of a path op */
#define VFS_IPC_STAGED_PAYLOAD	0x2

/*
 * Request flags of READ, WRITE and GETDENTS64: use and advance the
 * handle's own cursor (the open file description's offset, shared by
 * dups and forked children) instead of arg0.
 */
#define VFS_IPC_F_CURSOR	0x1

/*
 * ACCESS flags: the execve check (a regular file with an execute bit;
 * directories and others: -EACCES); HANDLE: judge the open handle
 * remote_id itself, the path must be empty (fexecve, execveat's
 * AT_EMPTY_PATH); the reply's payload is then the handle's absolute,
 * normalised path.
 */
#define VFS_ACCESS_F_EXEC	0x1
#define VFS_ACCESS_F_HANDLE	0x2
/* faccessat2's AT_EACCESS: judge with the effective (fs) ids, not real. */
#define VFS_ACCESS_F_EACCESS	0x4

/*
 * CHOWN flags: the last component is not followed (lchown, fchownat's
 * AT_SYMLINK_NOFOLLOW).  arg0 = uid, arg1 = gid; 0xffffffff keeps one.
 */
#define VFS_CHOWN_F_NOFOLLOW	0x1

/*
 * CREDS (syscalld only: its sender must hold
 * IPC_SERVICE_CAP_LINUX_SYSCALL_POLICY, others get -EACCES): the Linux
 * credentials of process arg0 after a set*id or setgroups, payload = one
 * struct rustos_vfs_creds (payload_len = its size).  vfsd judges every
 * later file request of that pid (and of children forked after) with
 * them; a pid vfsd never got creds for is judged by the request's
 * uid/gid/euid/egid (the kernel's view: root).
 */
#define VFS_CREDS_NGROUPS_MAX	32
struct rustos_vfs_creds {
	uint32_t	ruid, euid, suid, fsuid;
	uint32_t	rgid, egid, sgid, fsgid;
	uint32_t	ngroups;	/* <= VFS_CREDS_NGROUPS_MAX */
	uint32_t	reserved0;	/* zero */
	uint32_t	groups[VFS_CREDS_NGROUPS_MAX];
};
RUSTOS_ABI_SIZE(vfs_creds, 168);
RUSTOS_ABI_OFFSET(vfs_creds, fsuid, 12);
RUSTOS_ABI_OFFSET(vfs_creds, fsgid, 28);
RUSTOS_ABI_OFFSET(vfs_creds, ngroups, 32);
RUSTOS_ABI_OFFSET(vfs_creds, groups, 40);

/*
 * CONFINED (launchers only: a sender the kernel reports with
 * IPC_SENDER_FLAG_SYSTEM that sent the bytes itself; others -EACCES):
 * reply value = 1 when process arg0 runs with the linux-runtime access
 * profile, else 0.  runtimed asks it of every LAUNCH client's pid
 * (SO_PEERCRED) and refuses a confined client, so a confined program
 * cannot have a program started with the system view on its behalf.
 */

/* LIFECYCLE (kernel-forwarded only): arg0 = event. */
#define VFS_LIFECYCLE_FORK	1	/* pid's handles and cwd to arg1 (child) */
#define VFS_LIFECYCLE_EXIT	2	/* drop every reference of pid, its cwd */
/*
 * One more reference of pid's handle remote_id for pid arg1: a vfsd fd
 * that crossed IPC with handles (the receiver's fd shares the open file
 * description, as a dup in another process would).
 */
#define VFS_LIFECYCLE_SHARE	3
/*
 * An execve of pid committed (sent once the new image can no longer
 * fail to start; an error reply fails the exec): remote_id = pid's
 * handle of the image (the file the kernel opened for the exec, or the
 * fd of fexecve).  vfsd sets the pid's access profile from it (an image
 * from outside the signed boot volume: linux-runtime, sticky); reply
 * value = 1 when the pid is now confined.
 */
#define VFS_LIFECYCLE_EXEC	4

/* VfsIpcResponse.handle_kind: what the kernel mirrors as RemoteVfs. */
#define VFS_HANDLE_KIND_NONE	0
#define VFS_HANDLE_KIND_FILE	1
#define VFS_HANDLE_KIND_DIR	2
#define VFS_HANDLE_KIND_DEVICE	3

/* Request (1136 bytes). */
struct rustos_vfs_ipc_request {
	uint16_t	version;	/* VFS_IPC_ABI_VERSION */
	uint16_t	op;		/* VFS_IPC_OP_* */
	uint32_t	flags;
	uint64_t	pid;
	uint64_t	tid;
	uint64_t	session_handle;
	uint32_t	uid;
	uint32_t	gid;
	uint32_t	euid;
	uint32_t	egid;
	uint64_t	fd;
	uint64_t	dirfd;
	uint64_t	remote_id;
	uint64_t	arg0;
	uint64_t	arg1;
	uint64_t	arg2;
	uint64_t	arg3;
	uint32_t	path_len;	/* <= VFS_IPC_PATH_MAX */
	uint32_t	payload_len;	/* <= VFS_IPC_REQ_PAYLOAD_MAX */
	uint8_t		path[VFS_IPC_PATH_MAX];
	uint8_t		payload[VFS_IPC_REQ_PAYLOAD_MAX];
};
RUSTOS_ABI_SIZE(vfs_ipc_request, 1136);
RUSTOS_ABI_OFFSET(vfs_ipc_request, version, 0);
RUSTOS_ABI_OFFSET(vfs_ipc_request, op, 2);
RUSTOS_ABI_OFFSET(vfs_ipc_request, flags, 4);
RUSTOS_ABI_OFFSET(vfs_ipc_request, pid, 8);
RUSTOS_ABI_OFFSET(vfs_ipc_request, tid, 16);
RUSTOS_ABI_OFFSET(vfs_ipc_request, session_handle, 24);
RUSTOS_ABI_OFFSET(vfs_ipc_request, uid, 32);
RUSTOS_ABI_OFFSET(vfs_ipc_request, gid, 36);
RUSTOS_ABI_OFFSET(vfs_ipc_request, euid, 40);
RUSTOS_ABI_OFFSET(vfs_ipc_request, egid, 44);
RUSTOS_ABI_OFFSET(vfs_ipc_request, fd, 48);
RUSTOS_ABI_OFFSET(vfs_ipc_request, dirfd, 56);
RUSTOS_ABI_OFFSET(vfs_ipc_request, remote_id, 64);
RUSTOS_ABI_OFFSET(vfs_ipc_request, arg0, 72);
RUSTOS_ABI_OFFSET(vfs_ipc_request, arg1, 80);
RUSTOS_ABI_OFFSET(vfs_ipc_request, arg2, 88);
RUSTOS_ABI_OFFSET(vfs_ipc_request, arg3, 96);
RUSTOS_ABI_OFFSET(vfs_ipc_request, path_len, 104);
RUSTOS_ABI_OFFSET(vfs_ipc_request, payload_len, 108);
RUSTOS_ABI_OFFSET(vfs_ipc_request, path, 112);
RUSTOS_ABI_OFFSET(vfs_ipc_request, payload, 624);

/* Response (32808 bytes). */
struct rustos_vfs_ipc_response {
	uint16_t	version;
	uint16_t	op;
	int32_t		status;		/* result or -errno */
	uint16_t	handle_kind;	/* VFS_HANDLE_KIND_* */
	uint16_t	reserved0;
	uint32_t	payload_len;	/* <= VFS_IPC_RESP_PAYLOAD_MAX */
	uint64_t	remote_id;
	uint64_t	value;
	uint64_t	aux;
	uint8_t		payload[VFS_IPC_RESP_PAYLOAD_MAX];
};
RUSTOS_ABI_SIZE(vfs_ipc_response, 32808);
RUSTOS_ABI_OFFSET(vfs_ipc_response, version, 0);
RUSTOS_ABI_OFFSET(vfs_ipc_response, op, 2);
RUSTOS_ABI_OFFSET(vfs_ipc_response, status, 4);
RUSTOS_ABI_OFFSET(vfs_ipc_response, handle_kind, 8);
RUSTOS_ABI_OFFSET(vfs_ipc_response, reserved0, 10);
RUSTOS_ABI_OFFSET(vfs_ipc_response, payload_len, 12);
RUSTOS_ABI_OFFSET(vfs_ipc_response, remote_id, 16);
RUSTOS_ABI_OFFSET(vfs_ipc_response, value, 24);
RUSTOS_ABI_OFFSET(vfs_ipc_response, aux, 32);
RUSTOS_ABI_OFFSET(vfs_ipc_response, payload, 40);

/* SYS_RUSTOS_VFS_MOUNT_BROKER arguments (56 bytes); strings are not NUL-terminated. */
struct rustos_vfs_mount_args {
	uint64_t	source_ptr;
	uint64_t	target_ptr;
	uint64_t	fstype_ptr;
	uint32_t	source_len;
	uint32_t	target_len;
	uint32_t	fstype_len;
	uint32_t	reserved0;
	uint64_t	flags;		/* Linux MS_* */
	uint64_t	reserved1;
};
RUSTOS_ABI_SIZE(vfs_mount_args, 56);
RUSTOS_ABI_OFFSET(vfs_mount_args, source_ptr, 0);
RUSTOS_ABI_OFFSET(vfs_mount_args, target_ptr, 8);
RUSTOS_ABI_OFFSET(vfs_mount_args, fstype_ptr, 16);
RUSTOS_ABI_OFFSET(vfs_mount_args, source_len, 24);
RUSTOS_ABI_OFFSET(vfs_mount_args, target_len, 28);
RUSTOS_ABI_OFFSET(vfs_mount_args, fstype_len, 32);
RUSTOS_ABI_OFFSET(vfs_mount_args, reserved0, 36);
RUSTOS_ABI_OFFSET(vfs_mount_args, flags, 40);
RUSTOS_ABI_OFFSET(vfs_mount_args, reserved1, 48);

#endif /* RUSTOS_VFS_H */
