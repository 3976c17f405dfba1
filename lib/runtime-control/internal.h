/*
 * internal.h -- private to libruntime-control: deadline-bounded socket I/O
 * shared by the client and the server codec, and the export macro.
 */
#ifndef RUNTIME_CONTROL_INTERNAL_H
#define RUNTIME_CONTROL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#define RC_EXPORT	__attribute__((visibility("default")))

/* Absolute CLOCK_MONOTONIC deadline in milliseconds. */
int64_t rc_deadline_after(int timeout_ms);

/*
 * Write or read exactly len bytes before the deadline.  -ETIMEDOUT when it
 * passes; rc_read_exact returns -EPROTO when the peer closes mid-frame (and
 * -EPIPE when it closes before the first byte, so callers can tell "no
 * reply at all" from "a truncated one").
 */
int rc_write_all(int fd, const void *buf, size_t len, int64_t deadline);
int rc_read_exact(int fd, void *buf, size_t len, int64_t deadline);

#endif /* RUNTIME_CONTROL_INTERNAL_H */
