/*
 * ps/internal.h -- cross-file internals of ps/: the vruntime-ordered run
 * queue (pure, host-tested) and the task structure.  Not for other
 * subsystems.
 */
#ifndef KERNEL_PS_INTERNAL_H
#define KERNEL_PS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Run-queue node; ties in vruntime keep insertion order (FIFO). */
struct ps_rq_node {
	uint64_t vruntime;
	struct ps_rq_node *prev, *next;
};

struct ps_rq {
	struct ps_rq_node *first;
	size_t count;
};

void	ps_rq_init(struct ps_rq *rq);
void	ps_rq_insert(struct ps_rq *rq, struct ps_rq_node *n);
void	ps_rq_remove(struct ps_rq *rq, struct ps_rq_node *n);
struct ps_rq_node *ps_rq_pop_min(struct ps_rq *rq);
/* vruntime charged for delta_ns of CPU at weight_micros (100 = 1:1). */
uint64_t ps_vruntime_delta(uint64_t delta_ns, uint32_t weight_micros);

#endif /* KERNEL_PS_INTERNAL_H */
