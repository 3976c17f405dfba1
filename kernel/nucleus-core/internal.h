/*
 * nucleus-core/internal.h -- cross-file internals of nucleus-core (log line
 * formatting and the log ring, both pure and host-tested).  Not for other
 * subsystems.
 */
#ifndef KERNEL_NUCLEUS_CORE_INTERNAL_H
#define KERNEL_NUCLEUS_CORE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define NC_LOG_LINE_MAX	512

/*
 * Format one structured line (spec/observability-and-faults.md), newline
 * included, into buf.  pid/tid < 0 print "-".  mod is the file's base
 * name; the message is escaped (" and \ and control characters) so the
 * line stays one line.  Returns the length written (truncated lines still
 * end in "\"\n").
 */
size_t	nc_log_format(char *buf, size_t cap, uint64_t seq, uint64_t ts_us,
	    uint64_t tick, int lvl, int cat, const char *file, int line,
	    long pid, long tid, const char *msg);

/* A byte ring of whole lines; pushing drops the oldest lines to make room. */
struct nc_ring {
	char *buf;
	size_t cap;
	size_t head;		/* offset of the oldest byte */
	size_t len;		/* bytes held */
	uint64_t dropped;	/* lines dropped since init */
};
void	nc_ring_init(struct nc_ring *r, char *buf, size_t cap);
void	nc_ring_push(struct nc_ring *r, const char *line, size_t n);
/* Oldest first; starts with a drop notice line when lines were dropped. */
size_t	nc_ring_snapshot(const struct nc_ring *r, char *out, size_t cap);

#endif /* KERNEL_NUCLEUS_CORE_INTERNAL_H */
