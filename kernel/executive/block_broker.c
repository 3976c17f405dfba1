/*
 * block_broker.c -- the storage brokers over io-manager's block devices:
 * SYS_RUSTOS_BLOCK_BROKER (gate VFS_POLICY, checked by the dispatcher from
 * the table): BOOT_INFO and bounded read-only BOOT_READ of the boot volume
 * (disk 0, the whole disk: the image has no partition table), and
 * SYS_RUSTOS_STORAGE_LIST_BROKER (gate STORAGE_POLICY): the disks found.
 * Every length, version and range is checked before any device access.
 */
#include <hal/api.h>
#include <io-manager/api.h>
#include <mm/api.h>
#include <nucleus-core/api.h>
#include <generated/syscall_table.h>
#include <rustos/block_broker.h>

#define EFAULT		14

long
ex_sys_block_broker(uint64_t uargs, uint64_t a1, uint64_t a2, uint64_t a3,
    uint64_t a4, uint64_t a5)
{
	struct rustos_block_broker_args a;
	struct rustos_block_boot_info bi;
	struct io_block_info info;
	void *buf;
	long rc;

	if (hal_copy_from_user(&a, uargs, sizeof(a)) != 0)
		return (-EFAULT);
	if (a.version != BLOCK_BROKER_ABI_VERSION)
		return (-NC_EINVAL);
	if (io_block_info(0, &info) != 0)
		return (-NC_ENODEV);
	switch (a.op) {
	case BLOCK_BROKER_OP_BOOT_INFO:
		if (a.buf_len < sizeof(bi))
			return (-NC_EINVAL);
		memset(&bi, 0, sizeof(bi));
		bi.sector_size = info.sector_size;
		bi.flags = 1;
		bi.sector_count = info.sector_count;
		bi.first_lba = 0;
		if (hal_copy_to_user(a.buf_ptr, &bi, sizeof(bi)) != 0)
			return (-EFAULT);
		return (0);
	case BLOCK_BROKER_OP_BOOT_READ:
		if (a.buf_len == 0 || a.buf_len > BLOCK_BROKER_MAX_READ_BYTES ||
		    a.buf_len % info.sector_size != 0)
			return (-NC_EINVAL);
		if (a.lba >= info.sector_count ||
		    a.buf_len / info.sector_size > info.sector_count - a.lba)
			return (-NC_EINVAL);
		if (!mm_user_range_ok(a.buf_ptr, a.buf_len))
			return (-EFAULT);
		if ((buf = kmalloc(a.buf_len)) == NULL)
			return (-NC_ENOMEM);
		rc = io_block_read(0, a.lba, a.buf_len / info.sector_size, buf);
		if (rc == 0)
			rc = hal_copy_to_user(a.buf_ptr, buf, a.buf_len) != 0 ?
			    -EFAULT : (long)a.buf_len;
		kfree(buf);
		return (rc);
	}
	return (-NC_EINVAL);
}

long
ex_sys_storage_list_broker(uint64_t out, uint64_t cap, uint64_t a2,
    uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct rustos_storage_descriptor sd;
	struct io_block_info info;
	unsigned i, n = io_block_count();

	if (cap != 0 && !mm_user_range_ok(out, cap))
		return (-EFAULT);
	for (i = 0; i < n && (uint64_t)(i + 1) * sizeof(sd) <= cap; i++) {
		if (io_block_info(i, &info) != 0)
			break;
		memset(&sd, 0, sizeof(sd));
		sd.device_id = i + 1;
		sd.sector_count = info.sector_count;
		sd.sector_size = info.sector_size;
		sd.bus = 1;
		sd.flags = i == 0 ? 4 : 0;
		memcpy(sd.model, info.model, sizeof(sd.model) - 1);
		if (hal_copy_to_user(out + (uint64_t)i * sizeof(sd), &sd,
		    sizeof(sd)) != 0)
			return (-EFAULT);
	}
	return ((long)n);
}
