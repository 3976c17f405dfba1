/*
 * build.c -- loaderd's process build: the PROC_* broker sequence of
 * docs/ai/bootstrap.md "Process build (loaderd)" for a validated ELF
 * image, and of its PT_INTERP interpreter when it names one (mapped
 * after the program, at PROC_BROKER_INTERP_BIAS; the thread starts at
 * the interpreter's entry, AT_BASE is its base).  The brokers come in a
 * table so the host unit tests can record the sequence.  Any failure
 * after PREPARE aborts the session.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "services/loaderd/build.h"

/* MAP_DATA (file pages) and MAP_ZEROED (the rest) for each PT_LOAD. */
static long
map_segments(const struct loader_brokers *b, long h,
    const unsigned char *img, const struct lelf_image *e)
{
	struct rustos_proc_map_args ma;
	unsigned char *data;
	size_t i;
	long r;

	for (i = 0; i < e->nseg; i++) {
		const struct lelf_segment *s = &e->seg[i];

		memset(&ma, 0, sizeof(ma));
		ma.prepare_handle = (uint64_t)h;
		ma.flags = s->flags;
		ma.fd = -1;
		if (s->data_len != 0) {
			data = malloc(s->data_len);
			if (data == NULL)
				return -ENOMEM;
			lelf_fill_data(img, s, data);
			ma.vaddr = s->page_start;
			ma.len = s->data_len;
			ma.data_ptr = (uint64_t)(uintptr_t)data;
			ma.data_len = s->data_len;
			r = b->map_data(&ma);
			free(data);
			if (r < 0)
				return r;
		}
		if (s->zero_len != 0) {
			ma.vaddr = s->page_start + s->data_len;
			ma.len = s->zero_len;
			ma.data_ptr = 0;
			ma.data_len = 0;
			r = b->map_zeroed(&ma);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

long
loader_build(const struct loader_brokers *b,
    const struct rustos_loader_spawn_request *q, const unsigned char *img,
    const struct lelf_image *e, const unsigned char *iimg,
    const struct lelf_image *ie)
{
	struct rustos_proc_prepare_args pa;
	struct rustos_proc_linux_runtime rt;
	struct rustos_proc_commit_args ca;
	long h, r;

	memset(&pa, 0, sizeof(pa));
	pa.abi_version = PROC_BROKER_ABI_VERSION;
	pa.format = PROC_BROKER_FORMAT_ELF64;
	/* With LOADER_SPAWN_FLAG_EXEC the field carries the exec ticket. */
	pa.session_handle = q->flags & LOADER_SPAWN_FLAG_EXEC ? 0 :
	    q->console_session;
	pa.parent_pid = 0;	/* the kernel picks our caller (bootstrap.md) */
	pa.weight_micros = q->weight_micros != 0 ? q->weight_micros : 100;
	/* The kernel re-checks that our requester may pass this on. */
	if (q->flags & LOADER_SPAWN_FLAG_SERVICE)
		pa.flags |= PROC_PREPARE_FLAG_SERVICE;
	if (q->flags & LOADER_SPAWN_FLAG_NEW_SESSION)
		pa.flags |= PROC_PREPARE_FLAG_NEW_SESSION;
	h = b->prepare(&pa);
	if (h < 0)
		return h;
	/* execve: bind the session to procd's ticket (the caller's image). */
	if (q->flags & LOADER_SPAWN_FLAG_EXEC) {
		struct rustos_proc_exec_ticket_args ta;

		memset(&ta, 0, sizeof(ta));
		ta.ticket = q->console_session;
		ta.prepare_handle = (uint64_t)h;
		r = b->exec_target != NULL ? b->exec_target(&ta) : -ENOSYS;
		if (r < 0)
			goto abort;
	}
	if ((r = map_segments(b, h, img, e)) < 0)
		goto abort;
	if (ie != NULL && (r = map_segments(b, h, iimg, ie)) < 0)
		goto abort;
	memset(&rt, 0, sizeof(rt));
	rt.prepare_handle = (uint64_t)h;
	rt.entry = e->entry;
	rt.phdr = e->phdr;
	rt.phnum = e->phnum;
	rt.phent = e->phent;
	rt.brk_start = e->brk_start;
	rt.tls_image_vaddr = e->tls_vaddr;
	rt.tls_filesz = e->tls_filesz;
	rt.tls_memsz = e->tls_memsz;
	rt.tls_align = e->tls_align;
	rt.stack_size = e->stack_size;
	if (ie != NULL) {
		/* ld.so is linked at 0: its bias is its base (AT_BASE). */
		rt.interpreter_base = ie->bias;
		rt.interpreter_entry = ie->entry;
	}
	r = b->set_linux_runtime(&rt);
	if (r < 0)
		goto abort;
	memset(&ca, 0, sizeof(ca));
	ca.prepare_handle = (uint64_t)h;
	ca.argv_ptr = (uint64_t)(uintptr_t)q->argv;
	ca.argv_len = q->argv_len;
	ca.envp_ptr = (uint64_t)(uintptr_t)q->envp;
	ca.envp_len = q->envp_len;
	if (q->flags & LOADER_SPAWN_FLAG_EXEC)
		ca.exec_ticket = q->console_session;
	else {
		/* /proc/<pid>/exe: the validated absolute exec path. */
		ca.exe_ptr = (uint64_t)(uintptr_t)q->exec_path;
		ca.exe_len = q->exec_path_len;
	}
	r = b->commit(&ca);
	if (r <= 0) {
		if (r == 0)
			r = -EIO;
		goto abort;
	}
	return r;
abort:
	b->abort((uint64_t)h);
	return r;
}

