/*
 * io-manager/api.h -- I/O manager (prefix io_).  Not filled yet: it will own
 * the privileged device substrate only: IRQ routing, MMIO and DMA mappings,
 * IOMMU, the gated block/net/driver brokers and the .ko module-load
 * substrate.  Device, VFS and network policy live in user services.
 */
#ifndef KERNEL_IO_MANAGER_API_H
#define KERNEL_IO_MANAGER_API_H

#include <stddef.h>
#include <stdint.h>

/* bootfs: the boot modules as read-only files named by absolute path. */
void	io_bootfs_init(void);
unsigned io_bootfs_count(void);
/* Index of the entry named exactly path[0..len), or -ENOENT. */
int	io_bootfs_lookup(const char *path, size_t len);
int	io_bootfs_entry(unsigned idx, const char **name, const uint8_t **data,
	    uint64_t *size);

#endif /* KERNEL_IO_MANAGER_API_H */
