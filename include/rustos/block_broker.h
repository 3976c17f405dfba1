/*
 * rustos/block_broker.h -- SYS_RUSTOS_BLOCK_BROKER (boot-volume info and
 * bounded read-only reads for vfsd), SYS_RUSTOS_STORAGE_LIST_BROKER
 * descriptors (storaged) and SYS_RUSTOS_BOOT_EXTENT_BROKER extents.
 */
#ifndef RUSTOS_BLOCK_BROKER_H
#define RUSTOS_BLOCK_BROKER_H

#include <stdint.h>

#include <rustos/abi_assert.h>

#define BLOCK_BROKER_ABI_VERSION	1
#define BLOCK_BROKER_OP_BOOT_INFO	1
#define BLOCK_BROKER_OP_BOOT_READ	2
#define BLOCK_BROKER_MAX_READ_BYTES	(64u * 1024u)

/* Arguments (40 bytes).  BOOT_INFO fills a struct rustos_block_boot_info at buf_ptr. */
struct rustos_block_broker_args {
	uint32_t	version;	/* BLOCK_BROKER_ABI_VERSION */
	uint32_t	op;		/* BLOCK_BROKER_OP_* */
	uint64_t	lba;		/* BOOT_READ: first sector */
	uint64_t	buf_ptr;
	uint32_t	buf_len;	/* <= BLOCK_BROKER_MAX_READ_BYTES */
	uint32_t	reserved0;
	uint64_t	reserved1;
};
RUSTOS_ABI_SIZE(block_broker_args, 40);
RUSTOS_ABI_OFFSET(block_broker_args, version, 0);
RUSTOS_ABI_OFFSET(block_broker_args, op, 4);
RUSTOS_ABI_OFFSET(block_broker_args, lba, 8);
RUSTOS_ABI_OFFSET(block_broker_args, buf_ptr, 16);
RUSTOS_ABI_OFFSET(block_broker_args, buf_len, 24);
RUSTOS_ABI_OFFSET(block_broker_args, reserved0, 28);
RUSTOS_ABI_OFFSET(block_broker_args, reserved1, 32);

/* BOOT_INFO result (24 bytes). */
struct rustos_block_boot_info {
	uint32_t	sector_size;
	uint32_t	flags;		/* bit 0: read-only (always set) */
	uint64_t	sector_count;
	uint64_t	first_lba;	/* of the boot volume on its disk */
};
RUSTOS_ABI_SIZE(block_boot_info, 24);
RUSTOS_ABI_OFFSET(block_boot_info, sector_size, 0);
RUSTOS_ABI_OFFSET(block_boot_info, flags, 4);
RUSTOS_ABI_OFFSET(block_boot_info, sector_count, 8);
RUSTOS_ABI_OFFSET(block_boot_info, first_lba, 16);

/* One STORAGE_LIST_BROKER descriptor (64 bytes). */
struct rustos_storage_descriptor {
	uint64_t	device_id;
	uint64_t	sector_count;
	uint32_t	sector_size;
	uint32_t	bus;		/* 1 ahci, 2 virtio, 3 usb, 4 nvme */
	uint32_t	flags;		/* bit 0 removable, bit 1 read-only, bit 2 boot */
	uint32_t	reserved0;
	char		model[32];	/* NUL-padded */
};
RUSTOS_ABI_SIZE(storage_descriptor, 64);
RUSTOS_ABI_OFFSET(storage_descriptor, device_id, 0);
RUSTOS_ABI_OFFSET(storage_descriptor, sector_count, 8);
RUSTOS_ABI_OFFSET(storage_descriptor, sector_size, 16);
RUSTOS_ABI_OFFSET(storage_descriptor, bus, 20);
RUSTOS_ABI_OFFSET(storage_descriptor, flags, 24);
RUSTOS_ABI_OFFSET(storage_descriptor, reserved0, 28);
RUSTOS_ABI_OFFSET(storage_descriptor, model, 32);

/* One BOOT_EXTENT_BROKER extent (16 bytes). */
struct rustos_boot_extent {
	uint64_t	lba;
	uint64_t	sectors;
};
RUSTOS_ABI_SIZE(boot_extent, 16);
RUSTOS_ABI_OFFSET(boot_extent, lba, 0);
RUSTOS_ABI_OFFSET(boot_extent, sectors, 8);

#endif /* RUSTOS_BLOCK_BROKER_H */
