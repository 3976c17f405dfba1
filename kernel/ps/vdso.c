/*
 * vdso.c -- the vDSO in every Linux process: one shared object (struct
 * mm_obj) holds the vvar page (page 0, struct vdso_vvar, written only
 * here) and the vdso.so image linked into nucleus.elf (pages 1..n).
 * ps_vdso_map maps both, sealed (never writable), at fixed addresses in a
 * new address space; build_stack passes the image's address as
 * AT_SYSINFO_EHDR.  Fork copies the mappings (shared pages); exec builds a
 * new space and maps them again.
 *
 * The vvar page is published under its sequence lock (kernel/vdso/
 * vvar.h) once the TSC is calibrated; the time base of hal_clock_ns does
 * not move afterwards, so later publications are only needed if it does.
 * Any failure here leaves the process without a vDSO (no AT_SYSINFO_EHDR),
 * never without its image: libcs then use the syscalls.
 */
#include <ps/api.h>
#include <ps/internal.h>
#include <hal/api.h>
#include <mm/api.h>
#include <nucleus-core/api.h>

#include "../vdso/vvar.h"

#define ENOEXEC		8

extern const uint8_t vdso_image_start[], vdso_image_end[];

static struct mm_obj *vdso_obj;
static size_t vdso_pages;		/* pages of the image */
static bool vdso_published;		/* the vvar holds a valid time base */
static bool vdso_broken;		/* setup failed once: no vDSO */
static uint32_t vdso_seq;

/* Store vv under the sequence lock (seq odd while the fields change). */
static void
vvar_store(const struct vdso_vvar *vv)
{
	struct vdso_vvar w = *vv;

	vdso_seq |= 1;
	(void)mm_obj_write(vdso_obj, 0, &vdso_seq, sizeof(vdso_seq));
	w.seq = vdso_seq;
	(void)mm_obj_write(vdso_obj, 4, (const uint8_t *)&w + 4,
	    sizeof(w) - 4);
	vdso_seq++;
	(void)mm_obj_write(vdso_obj, 0, &vdso_seq, sizeof(vdso_seq));
}

void
ps_vdso_publish(void)
{
	struct vdso_vvar vv;
	uint64_t base, mult, hz;

	if (vdso_obj == NULL)
		return;
	memset(&vv, 0, sizeof(vv));
	vv.version = VVAR_VERSION;
	vv.cpu = 0;
	if (hal_clock_base(&base, &mult, &hz)) {
		vv.flags = VVAR_TSC_OK;
		vv.tsc_base = base;
		vv.tsc_mult = mult;
		vv.tsc_hz = hz;
		/* hal_clock_ns counts from base, and realtime is that clock. */
		vv.mono_base_ns = 0;
		vv.real_offset_ns = 0;
		vdso_published = true;
	}
	vvar_store(&vv);
}

static int
vdso_setup(void)
{
	size_t len = (size_t)(vdso_image_end - vdso_image_start);
	struct mm_obj *o;

	if (len < 64 || memcmp(vdso_image_start, "\177ELF", 4) != 0)
		return (-ENOEXEC);
	vdso_pages = NC_ALIGN_UP(len, MM_PAGE_SIZE) / MM_PAGE_SIZE;
	if ((o = mm_obj_create((1 + vdso_pages) * MM_PAGE_SIZE)) == NULL)
		return (-NC_ENOMEM);
	if (mm_obj_write(o, MM_PAGE_SIZE, vdso_image_start, len) !=
	    (long)len) {
		mm_obj_put(o);
		return (-NC_ENOMEM);
	}
	vdso_obj = o;
	ps_vdso_publish();
	nc_info(PROCESS, "vdso: %zu bytes, vvar at 0x%lx, tsc %s", len,
	    (unsigned long)PS_VDSO_VVAR, vdso_published ? "ok" : "not yet");
	return (0);
}

uint64_t
ps_vdso_map(struct mm_uvm *vm)
{
	uint64_t text = PS_VDSO_VVAR + MM_PAGE_SIZE;
	long r;
	int rc;

	if (vdso_broken)
		return (0);
	if (vdso_obj == NULL && (rc = vdso_setup()) != 0) {
		nc_warn(PROCESS, "vdso: setup failed (%d), processes run "
		    "without one", rc);
		vdso_broken = true;
		return (0);
	}
	if (!vdso_published)
		ps_vdso_publish();
	r = mm_uvm_mmap(vm, PS_VDSO_VVAR, MM_PAGE_SIZE, MM_PROT_READ,
	    MM_MAP_SHARED | MM_MAP_FIXED, vdso_obj, 0, 0, 0);
	if (r >= 0)
		r = mm_uvm_mmap(vm, text, vdso_pages * MM_PAGE_SIZE,
		    MM_PROT_READ | MM_PROT_EXEC, MM_MAP_SHARED | MM_MAP_FIXED,
		    vdso_obj, MM_PAGE_SIZE, 0, 0);
	if (r >= 0)
		r = mm_uvm_seal(vm, PS_VDSO_VVAR,
		    (1 + vdso_pages) * MM_PAGE_SIZE);
	if (r < 0) {
		mm_uvm_unmap(vm, PS_VDSO_VVAR, (1 + vdso_pages) * MM_PAGE_SIZE);
		return (0);
	}
	return (text);
}
