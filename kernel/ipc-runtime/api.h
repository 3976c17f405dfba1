/*
 * ipc-runtime/api.h -- IPC runtime (prefix ipc_).  Not filled yet: it will
 * own endpoints, message send/receive/reply, service registration with
 * IPC_SERVICE_* capability bits and the bounded vruntime donation of an
 * IPC handoff.
 */
#ifndef KERNEL_IPC_RUNTIME_API_H
#define KERNEL_IPC_RUNTIME_API_H

#include <stddef.h>
#include <stdint.h>

struct ps_proc;
/* A process ended: revoke its service ids, fail its endpoints' callers. */
void	ipc_proc_exit(struct ps_proc *p);
/*
 * Call a registered service on behalf of p with kernel buffers (routing);
 * returns reply bytes or -errno (-EAGAIN when the service is absent).
 */
long	ipc_kernel_call(struct ps_proc *p, uint32_t service_id,
	    const void *req, size_t req_len, void *rep, size_t rep_cap);
/*
 * The same without copies: req (from mm_kmalloc) passes to the message
 * and is freed on every path; on success *rep is the reply buffer of the
 * returned length, which the caller frees with mm_kfree.
 */
long	ipc_kernel_call_take(struct ps_proc *p, uint32_t service_id,
	    void *req, size_t req_len, void **rep);
/* Drop one reference to an endpoint held in a handle table. */
void	ipc_handle_put(void *ep);

#endif /* KERNEL_IPC_RUNTIME_API_H */
