/*
 * ipc-runtime/api.h -- IPC runtime (prefix ipc_).  Not filled yet: it will
 * own endpoints, message send/receive/reply, service registration with
 * IPC_SERVICE_* capability bits and the bounded vruntime donation of an
 * IPC handoff.
 */
#ifndef KERNEL_IPC_RUNTIME_API_H
#define KERNEL_IPC_RUNTIME_API_H

#endif /* KERNEL_IPC_RUNTIME_API_H */
