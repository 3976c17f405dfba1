/*
 * mm.h -- syscalld's Linux memory calls (mm.c).
 */
#ifndef SERVICES_SYSCALLD_MM_H
#define SERVICES_SYSCALLD_MM_H

#include <stdbool.h>
#include <stdint.h>

#include <rustos/offload.h>

/* Linux numbers of the memory calls syscalld serves. */
#define SYSCALLD_NR_MMAP	9
#define SYSCALLD_NR_MPROTECT	10
#define SYSCALLD_NR_MUNMAP	11
#define SYSCALLD_NR_BRK		12
#define SYSCALLD_NR_MREMAP	25
#define SYSCALLD_NR_MSYNC	26
#define SYSCALLD_NR_MADVISE	28
#define SYSCALLD_NR_MLOCK	149
#define SYSCALLD_NR_MUNLOCK	150
#define SYSCALLD_NR_MLOCKALL	151
#define SYSCALLD_NR_MUNLOCKALL	152
#define SYSCALLD_NR_MLOCK2	325
#define SYSCALLD_NR_MEMFD_CREATE 319

/* Whether pid names a live process (QUERY_LAYOUT answers -ESRCH if not). */
bool syscalld_mm_pid_alive(uint64_t pid);
/* Whether op is a memory call. */
bool syscalld_mm_op(uint16_t op);
/* Serve one memory call of q->pid; *res is the Linux result. */
long syscalld_mm_call(const struct rustos_linux_syscall_offload_request *q,
    uint64_t *res);

#endif /* SERVICES_SYSCALLD_MM_H */
