/*
 * rustos/loader.h -- the loaderd spawn request (rootd, initd and procd
 * launch programs through it; SYS_RUSTOS_SPAWN_EXEC is rootd-only).  Only
 * senders the kernel reports with IPC_SENDER_FLAG_SYSTEM may SPAWN; an
 * app gets -EACCES.
 */
#ifndef RUSTOS_LOADER_H
#define RUSTOS_LOADER_H

#include <stdint.h>

#include <rustos/abi_assert.h>

#define LOADER_IPC_ABI_VERSION	1
#define LOADER_IPC_OP_SPAWN	1
#define LOADER_EXEC_PATH_MAX	256
#define LOADER_ARGV_BYTES	1024
#define LOADER_ARGV_MAX		32
#define LOADER_ENVP_BYTES	2048
#define LOADER_ENVP_MAX		64

/*
 * LOADER_SPAWN_FLAG_SERVICE: the package is a service (manifest kind
 * "service"); loaderd then builds it with PROC_PREPARE_FLAG_SERVICE.  Only
 * rootd (core-service restarts) and initd (init-mode service packages) may
 * set it; the kernel refuses the prepare flag for any other requester.
 * Unknown flag bits: -EINVAL.
 */
#define LOADER_SPAWN_FLAG_SERVICE	(1u << 0)
/*
 * LOADER_SPAWN_FLAG_EXEC (procd only): materialise the image for an
 * execve; console_session carries procd's exec ticket, loaderd binds its
 * prepare session with PROC_EXEC_TARGET and commits with the ticket (the
 * kernel refuses any session without a live ticket).  argv/envp of the
 * request are ignored: the kernel copied the caller's.
 */
#define LOADER_SPAWN_FLAG_EXEC		(1u << 1)
/*
 * LOADER_SPAWN_FLAG_NEW_SESSION: the program leads a new session (loaderd
 * prepares it with PROC_PREPARE_FLAG_NEW_SESSION); runtimed's launches.
 * Not with LOADER_SPAWN_FLAG_EXEC (-EINVAL).
 */
#define LOADER_SPAWN_FLAG_NEW_SESSION	(1u << 2)
#define LOADER_SPAWN_FLAGS_KNOWN	(LOADER_SPAWN_FLAG_SERVICE | \
					 LOADER_SPAWN_FLAG_EXEC | \
					 LOADER_SPAWN_FLAG_NEW_SESSION)

/*
 * Spawn request (3368 bytes).  argv and envp are NUL-separated strings
 * (each one NUL-terminated); the counts must match the NULs.
 */
struct rustos_loader_spawn_request {
	uint16_t	version;	/* LOADER_IPC_ABI_VERSION */
	uint16_t	op;		/* LOADER_IPC_OP_SPAWN */
	uint32_t	flags;		/* LOADER_SPAWN_FLAG_* */
	uint64_t	console_session;
	uint32_t	weight_micros;	/* manifest budget; 0: default 100 us */
	uint32_t	exec_path_len;	/* <= LOADER_EXEC_PATH_MAX */
	uint32_t	argv_len;	/* <= LOADER_ARGV_BYTES */
	uint32_t	argc;		/* <= LOADER_ARGV_MAX */
	uint32_t	envp_len;	/* <= LOADER_ENVP_BYTES */
	uint32_t	envc;		/* <= LOADER_ENVP_MAX */
	uint8_t		exec_path[LOADER_EXEC_PATH_MAX];
	uint8_t		argv[LOADER_ARGV_BYTES];
	uint8_t		envp[LOADER_ENVP_BYTES];
};
RUSTOS_ABI_SIZE(loader_spawn_request, 3368);
RUSTOS_ABI_OFFSET(loader_spawn_request, version, 0);
RUSTOS_ABI_OFFSET(loader_spawn_request, op, 2);
RUSTOS_ABI_OFFSET(loader_spawn_request, flags, 4);
RUSTOS_ABI_OFFSET(loader_spawn_request, console_session, 8);
RUSTOS_ABI_OFFSET(loader_spawn_request, weight_micros, 16);
RUSTOS_ABI_OFFSET(loader_spawn_request, exec_path_len, 20);
RUSTOS_ABI_OFFSET(loader_spawn_request, argv_len, 24);
RUSTOS_ABI_OFFSET(loader_spawn_request, argc, 28);
RUSTOS_ABI_OFFSET(loader_spawn_request, envp_len, 32);
RUSTOS_ABI_OFFSET(loader_spawn_request, envc, 36);
RUSTOS_ABI_OFFSET(loader_spawn_request, exec_path, 40);
RUSTOS_ABI_OFFSET(loader_spawn_request, argv, 296);
RUSTOS_ABI_OFFSET(loader_spawn_request, envp, 1320);

/* Spawn response (24 bytes). */
struct rustos_loader_spawn_response {
	uint16_t	version;
	uint16_t	op;
	int32_t		status;		/* 0 or -errno */
	uint64_t	pid;
	uint64_t	session_handle;	/* NEW_SESSION: the session id (= pid);
					   else 0 */
};
RUSTOS_ABI_SIZE(loader_spawn_response, 24);
RUSTOS_ABI_OFFSET(loader_spawn_response, version, 0);
RUSTOS_ABI_OFFSET(loader_spawn_response, op, 2);
RUSTOS_ABI_OFFSET(loader_spawn_response, status, 4);
RUSTOS_ABI_OFFSET(loader_spawn_response, pid, 8);
RUSTOS_ABI_OFFSET(loader_spawn_response, session_handle, 16);

#endif /* RUSTOS_LOADER_H */
