/*
 * io-manager/api.h -- I/O manager (prefix io_).  Not filled yet: it will own
 * the privileged device substrate only: IRQ routing, MMIO and DMA mappings,
 * IOMMU, the gated block/net/driver brokers and the .ko module-load
 * substrate.  Device, VFS and network policy live in user services.
 */
#ifndef KERNEL_IO_MANAGER_API_H
#define KERNEL_IO_MANAGER_API_H

#endif /* KERNEL_IO_MANAGER_API_H */
