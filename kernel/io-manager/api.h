/*
 * io-manager/api.h -- I/O manager (prefix io_): the privileged device
 * substrate.  Today: bootfs, PCI config space, the AHCI disks, the console
 * terminal (tty.c) and the kernel CSPRNG (random.c); later IRQ routing,
 * MMIO and DMA mappings, IOMMU, the gated net/driver brokers and the .ko
 * module-load substrate.  Device, VFS and network policy live in user
 * services (devmgrd decides who opens what; this layer only does it).
 */
#ifndef KERNEL_IO_MANAGER_API_H
#define KERNEL_IO_MANAGER_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* bootfs: the boot modules as read-only files named by absolute path. */
void	io_bootfs_init(void);
unsigned io_bootfs_count(void);
/* Index of the entry named exactly path[0..len), or -ENOENT. */
int	io_bootfs_lookup(const char *path, size_t len);
int	io_bootfs_entry(unsigned idx, const char **name, const uint8_t **data,
	    uint64_t *size);

/* PCI configuration space (mechanism #1 ports) and a class search. */
struct io_pci_loc {
	uint8_t bus, dev, fn;
	uint16_t vendor, device;
};
uint32_t io_pci_read32(const struct io_pci_loc *d, unsigned off);
void	io_pci_write32(const struct io_pci_loc *d, unsigned off, uint32_t v);
/* The nth function with this class/subclass/prog-if, or -ENODEV. */
int	io_pci_find_class(uint8_t cls, uint8_t sub, uint8_t progif,
	    unsigned nth, struct io_pci_loc *out);

/*
 * Block devices (ahci.c): the SATA disks of the first AHCI controller.
 * Probed once, on first use.  Disk 0 is the boot volume (the FAT image the
 * firmware booted, no partition table).  Transfers are at most
 * IO_BLOCK_MAX_BYTES; errors and timeouts are -EIO, never a hang.
 */
#define IO_BLOCK_MAX_BYTES	(64u * 1024u)
#define IO_BLOCK_MAX_DISKS	4
struct io_block_info {
	uint64_t sector_count;
	uint32_t sector_size;
	uint32_t port;
	char model[41];
};
/* Number of disks found (probes on the first call). */
unsigned io_block_count(void);
int	io_block_info(unsigned disk, struct io_block_info *out);
/* Sector transfers through a kernel buffer; count * 512 <= 64 KiB. */
int	io_block_read(unsigned disk, uint64_t lba, unsigned count, void *buf);
int	io_block_write(unsigned disk, uint64_t lba, unsigned count,
	    const void *buf);

/*
 * The console terminal (tty.c): COM1 input through a termios line
 * discipline, output through OPOST.  Reads block (parked, -EINTR on a
 * deliverable signal, -EAGAIN when nonblock) and -EIO for a background
 * process group of the controlling session.  The ioctl data is a kernel
 * buffer of io_tty_ioctl_size(cmd) bytes (in: copied from the caller
 * before, out: copied to it after); -ENOTTY for an unknown cmd.
 */
struct ps_proc;
void	io_tty_init(void);
void	io_tty_output(const char *s, size_t n);
long	io_tty_read(struct ps_proc *p, uint64_t buf, uint64_t len,
	    bool nonblock);
long	io_tty_write(struct ps_proc *p, uint64_t buf, uint64_t len);
long	io_tty_ioctl_size(uint32_t cmd, bool *in);
long	io_tty_ioctl(struct ps_proc *p, uint32_t cmd, uint64_t scalar,
	    void *data);
/* Whether the console is p's controlling terminal (/dev/tty). */
bool	io_tty_is_ctty(const struct ps_proc *p);
/* Job control and the controlling terminal (tty.c). */
long	io_tty_job_check(struct ps_proc *p, int sig);
long	io_tty_ioctl_check(struct ps_proc *p, uint32_t cmd);
void	io_tty_proc_exit(const struct ps_proc *p);
void	io_tty_open_ctty(struct ps_proc *p);
/* POLLIN (1) when a read would not block, POLLOUT (4) always. */
int	tty_poll_mask(void);

/* random.c: n bytes from the kernel CSPRNG (ChaCha20, RDRAND-seeded). */
void	io_random_bytes(void *buf, size_t n);

#endif /* KERNEL_IO_MANAGER_API_H */
