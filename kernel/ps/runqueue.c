/*
 * runqueue.c -- the fair run queue: a list kept sorted by vruntime, so the
 * next task is the first node.  Kernel-core task counts are small, so a
 * sorted list beats a tree on code size; the interface would take a tree
 * unchanged.  Pure code, host-tested.
 */
#include <ps/internal.h>

void
ps_rq_init(struct ps_rq *rq)
{
	rq->first = NULL;
	rq->count = 0;
}

void
ps_rq_insert(struct ps_rq *rq, struct ps_rq_node *n)
{
	struct ps_rq_node *p = rq->first, *prev = NULL;

	/* After every node with vruntime <= n's: FIFO among equals. */
	while (p != NULL && p->vruntime <= n->vruntime) {
		prev = p;
		p = p->next;
	}
	n->prev = prev;
	n->next = p;
	if (p != NULL)
		p->prev = n;
	if (prev != NULL)
		prev->next = n;
	else
		rq->first = n;
	rq->count++;
}

void
ps_rq_remove(struct ps_rq *rq, struct ps_rq_node *n)
{
	if (n->prev != NULL)
		n->prev->next = n->next;
	else
		rq->first = n->next;
	if (n->next != NULL)
		n->next->prev = n->prev;
	n->prev = n->next = NULL;
	rq->count--;
}

struct ps_rq_node *
ps_rq_pop_min(struct ps_rq *rq)
{
	struct ps_rq_node *n = rq->first;

	if (n != NULL)
		ps_rq_remove(rq, n);
	return (n);
}

uint64_t
ps_vruntime_delta(uint64_t delta_ns, uint32_t weight_micros)
{
	if (weight_micros == 0)
		weight_micros = 100;
	return (delta_ns * 100 / weight_micros);
}
