/*
 * build.h -- loaderd's process build over a table of PROC_* brokers.
 */
#ifndef SERVICES_LOADERD_BUILD_H
#define SERVICES_LOADERD_BUILD_H

#include <rustos/loader.h>
#include <rustos/proc_broker.h>

#include "services/loaderd/elf.h"

struct loader_brokers {
	long	(*prepare)(const struct rustos_proc_prepare_args *);
	long	(*map_data)(const struct rustos_proc_map_args *);
	long	(*map_zeroed)(const struct rustos_proc_map_args *);
	long	(*set_linux_runtime)(const struct rustos_proc_linux_runtime *);
	long	(*commit)(const struct rustos_proc_commit_args *);
	long	(*abort)(uint64_t prepare_handle);
	/* execve only (LOADER_SPAWN_FLAG_EXEC); NULL: -ENOSYS. */
	long	(*exec_target)(struct rustos_proc_exec_ticket_args *);
};

/*
 * Build and start the process; returns its pid or a negative errno.  ie
 * (and its file iimg): the PT_INTERP interpreter of e, or NULL.
 */
long loader_build(const struct loader_brokers *b,
    const struct rustos_loader_spawn_request *q, const unsigned char *img,
    const struct lelf_image *e, const unsigned char *iimg,
    const struct lelf_image *ie);

#endif /* SERVICES_LOADERD_BUILD_H */
