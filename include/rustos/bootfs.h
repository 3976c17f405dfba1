/*
 * rustos/bootfs.h -- SYS_RUSTOS_BOOTFS_BROKER: vfsd's read-only view of the
 * boot modules (the signed files GRUB loaded beside the kernel), used until
 * vfsd parses the FAT boot volume itself.  Gated by
 * IPC_SERVICE_CAP_VFS_POLICY; anyone else gets -EACCES.
 */
#ifndef RUSTOS_BOOTFS_H
#define RUSTOS_BOOTFS_H

#include <stdint.h>

#include <rustos/abi_assert.h>

#define BOOTFS_BROKER_OP_LIST	1	/* name of entry `index` into buf; size in value */
#define BOOTFS_BROKER_OP_STAT	2	/* path -> index in value, size in value2 */
#define BOOTFS_BROKER_OP_READ	3	/* bytes of entry `index` at offset into buf */

#define BOOTFS_PATH_MAX		256
#define BOOTFS_READ_MAX		(64u * 1024u)

struct rustos_bootfs_broker_args {
	uint32_t	op;
	uint32_t	path_len;	/* STAT: bytes at path_ptr */
	uint64_t	path_ptr;	/* STAT: absolute path, not NUL-terminated */
	uint64_t	index;		/* LIST/READ: entry index */
	uint64_t	offset;		/* READ: byte offset */
	uint64_t	buf_ptr;	/* LIST/READ: destination */
	uint64_t	buf_len;	/* LIST/READ: capacity (READ <= BOOTFS_READ_MAX) */
	uint64_t	value;		/* out: LIST/STAT size, STAT index */
	uint64_t	value2;		/* out: STAT size */
};
RUSTOS_ABI_SIZE(bootfs_broker_args, 64);
RUSTOS_ABI_OFFSET(bootfs_broker_args, op, 0);
RUSTOS_ABI_OFFSET(bootfs_broker_args, path_len, 4);
RUSTOS_ABI_OFFSET(bootfs_broker_args, path_ptr, 8);
RUSTOS_ABI_OFFSET(bootfs_broker_args, index, 16);
RUSTOS_ABI_OFFSET(bootfs_broker_args, offset, 24);
RUSTOS_ABI_OFFSET(bootfs_broker_args, buf_ptr, 32);
RUSTOS_ABI_OFFSET(bootfs_broker_args, buf_len, 40);
RUSTOS_ABI_OFFSET(bootfs_broker_args, value, 48);
RUSTOS_ABI_OFFSET(bootfs_broker_args, value2, 56);

#endif /* RUSTOS_BOOTFS_H */
