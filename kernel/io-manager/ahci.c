/*
 * ahci.c -- polled AHCI (SATA) driver for the first AHCI controller (q35:
 * the ICH9 function at 00:1f.2).  Each ATA port with a device gets one
 * command slot, a command table with one PRD and a 64 KiB bounce buffer in
 * contiguous frames; READ/WRITE DMA EXT move at most 64 KiB per command.
 *
 * Invariants: every wait on the hardware is bounded (AHCI_TIMEOUT_NS) and
 * ends in -EIO, never a hang; a failed command stops and restarts the
 * port so the next command starts clean.  One command is in flight at a
 * time (one CPU; interrupts are off while a command runs).  The fault
 * points block.read and block.write fail a transfer before it starts.
 */
#include <hal/api.h>
#include <io-manager/api.h>
#include <mm/api.h>
#include <nucleus-core/api.h>

#define AHCI_TIMEOUT_NS		5000000000ull
#define AHCI_SECTOR		512u

/* HBA registers. */
#define HBA_CAP		0x00
#define HBA_GHC		0x04
#define HBA_IS		0x08
#define HBA_PI		0x0c
#define HBA_GHC_AE	(1u << 31)
#define HBA_GHC_IE	(1u << 1)
/* Port registers, at 0x100 + port * 0x80. */
#define PX_CLB		0x00
#define PX_CLBU		0x04
#define PX_FB		0x08
#define PX_FBU		0x0c
#define PX_IS		0x10
#define PX_IE		0x14
#define PX_CMD		0x18
#define PX_TFD		0x20
#define PX_SIG		0x24
#define PX_SSTS		0x28
#define PX_SERR		0x30
#define PX_CI		0x38
#define PX_CMD_ST	(1u << 0)
#define PX_CMD_FRE	(1u << 4)
#define PX_CMD_FR	(1u << 14)
#define PX_CMD_CR	(1u << 15)
#define PX_IS_TFES	(1u << 30)
#define TFD_ERR		0x01
#define TFD_DRQ		0x08
#define TFD_BSY		0x80
#define SIG_ATA		0x00000101u

#define ATA_READ_DMA_EXT	0x25
#define ATA_WRITE_DMA_EXT	0x35
#define ATA_IDENTIFY		0xec

/* Layout of the per-port control frame. */
#define CTL_CMDLIST	0	/* 32 headers x 32 bytes */
#define CTL_FIS		1024	/* 256-byte received-FIS area */
#define CTL_CMDTABLE	2048	/* 0x80 bytes of FIS/ATAPI + PRDs */

struct ahci_disk {
	volatile uint8_t *port;		/* port register block */
	uint8_t		*ctl;		/* control frame (direct map) */
	uint64_t	 ctl_phys;
	uint8_t		*buf;		/* 64 KiB bounce buffer */
	uint64_t	 buf_phys;
	struct io_block_info info;
};

static struct ahci_disk disks[IO_BLOCK_MAX_DISKS];
static unsigned ndisks;
static bool probed;
static bool busy;

static inline uint32_t
rd(volatile uint8_t *base, unsigned off)
{
	return (*(volatile uint32_t *)(base + off));
}

static inline void
wr(volatile uint8_t *base, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(base + off) = v;
}

/* Wait until (reg & mask) == want, bounded. */
static int
wait_reg(volatile uint8_t *base, unsigned off, uint32_t mask, uint32_t want)
{
	uint64_t end = hal_clock_ns() + AHCI_TIMEOUT_NS;

	while ((rd(base, off) & mask) != want) {
		if (hal_clock_ns() > end)
			return (-NC_EIO);
		hal_pause();
	}
	return (0);
}

static int
port_stop(volatile uint8_t *p)
{
	wr(p, PX_CMD, rd(p, PX_CMD) & ~PX_CMD_ST);
	if (wait_reg(p, PX_CMD, PX_CMD_CR, 0) != 0)
		return (-NC_EIO);
	wr(p, PX_CMD, rd(p, PX_CMD) & ~PX_CMD_FRE);
	return (wait_reg(p, PX_CMD, PX_CMD_FR, 0));
}

static int
port_start(struct ahci_disk *d)
{
	volatile uint8_t *p = d->port;

	wr(p, PX_CLB, (uint32_t)(d->ctl_phys + CTL_CMDLIST));
	wr(p, PX_CLBU, (uint32_t)((d->ctl_phys + CTL_CMDLIST) >> 32));
	wr(p, PX_FB, (uint32_t)(d->ctl_phys + CTL_FIS));
	wr(p, PX_FBU, (uint32_t)((d->ctl_phys + CTL_FIS) >> 32));
	wr(p, PX_SERR, 0xffffffffu);
	wr(p, PX_IS, 0xffffffffu);
	wr(p, PX_IE, 0);
	wr(p, PX_CMD, rd(p, PX_CMD) | PX_CMD_FRE);
	if (wait_reg(p, PX_TFD, TFD_BSY | TFD_DRQ, 0) != 0)
		return (-NC_EIO);
	wr(p, PX_CMD, rd(p, PX_CMD) | PX_CMD_ST);
	return (0);
}

/*
 * Run one command on slot 0: ATA command cmd for count sectors at lba,
 * bytes moving through the bounce buffer.  Returns 0 or -EIO.
 */
static int
port_exec(struct ahci_disk *d, uint8_t cmd, uint64_t lba, unsigned count,
    size_t bytes, bool write)
{
	volatile uint8_t *p = d->port;
	uint8_t *hdr = d->ctl + CTL_CMDLIST;
	uint8_t *tbl = d->ctl + CTL_CMDTABLE;
	uint8_t *fis = tbl;
	uint8_t *prd = tbl + 0x80;
	uint64_t tphys = d->ctl_phys + CTL_CMDTABLE;
	uint64_t end;
	uint32_t dw0, tfd;

	if (wait_reg(p, PX_TFD, TFD_BSY | TFD_DRQ, 0) != 0)
		goto fail;
	memset(hdr, 0, 32);
	memset(tbl, 0, 0x80 + 16);
	/* Header: CFL = 5 dwords, W for writes, one PRD. */
	dw0 = 5u | (write ? (1u << 6) : 0) | (1u << 16);
	*(volatile uint32_t *)(hdr + 0) = dw0;
	*(volatile uint32_t *)(hdr + 4) = 0;
	*(volatile uint32_t *)(hdr + 8) = (uint32_t)tphys;
	*(volatile uint32_t *)(hdr + 12) = (uint32_t)(tphys >> 32);
	/* Register H2D FIS. */
	fis[0] = 0x27;
	fis[1] = 0x80;
	fis[2] = cmd;
	fis[4] = (uint8_t)lba;
	fis[5] = (uint8_t)(lba >> 8);
	fis[6] = (uint8_t)(lba >> 16);
	fis[7] = 0x40;
	fis[8] = (uint8_t)(lba >> 24);
	fis[9] = (uint8_t)(lba >> 32);
	fis[10] = (uint8_t)(lba >> 40);
	fis[12] = (uint8_t)count;
	fis[13] = (uint8_t)(count >> 8);
	/* One PRD over the bounce buffer; byte count is stored minus one. */
	*(volatile uint32_t *)(prd + 0) = (uint32_t)d->buf_phys;
	*(volatile uint32_t *)(prd + 4) = (uint32_t)(d->buf_phys >> 32);
	*(volatile uint32_t *)(prd + 12) = (uint32_t)(bytes - 1);
	__sync_synchronize();
	wr(p, PX_IS, 0xffffffffu);
	wr(p, PX_CI, 1);
	end = hal_clock_ns() + AHCI_TIMEOUT_NS;
	for (;;) {
		if ((rd(p, PX_IS) & PX_IS_TFES) != 0)
			goto fail;
		if ((rd(p, PX_CI) & 1) == 0)
			break;
		if (hal_clock_ns() > end) {
			nc_warn(STORAGE, "ahci: port %u command 0x%x lba %lu "
			    "timed out", d->info.port, cmd,
			    (unsigned long)lba);
			goto reset;
		}
		hal_pause();
	}
	__sync_synchronize();
	tfd = rd(p, PX_TFD);
	if ((tfd & (TFD_ERR | TFD_BSY | TFD_DRQ)) != 0)
		goto fail;
	return (0);
fail:
	nc_warn(STORAGE, "ahci: port %u command 0x%x lba %lu failed "
	    "(tfd 0x%x is 0x%x)", d->info.port, cmd, (unsigned long)lba,
	    rd(p, PX_TFD), rd(p, PX_IS));
reset:
	/* Restart the port so the next command starts from a clean state. */
	(void)port_stop(p);
	(void)port_start(d);
	return (-NC_EIO);
}

static void
copy_ata_string(char *dst, const uint16_t *words, unsigned nwords)
{
	unsigned i, n = 0;

	for (i = 0; i < nwords; i++) {
		dst[n++] = (char)(words[i] >> 8);
		dst[n++] = (char)(words[i] & 0xff);
	}
	while (n > 0 && (dst[n - 1] == ' ' || dst[n - 1] == '\0'))
		n--;
	dst[n] = '\0';
}

static void
probe_port(volatile uint8_t *hba, unsigned port)
{
	volatile uint8_t *p = hba + 0x100 + port * 0x80;
	struct ahci_disk *d;
	const uint16_t *id;
	uint64_t ctl, buf;

	if ((rd(p, PX_SSTS) & 0xf) != 3 || rd(p, PX_SIG) != SIG_ATA)
		return;
	if (ndisks >= IO_BLOCK_MAX_DISKS)
		return;
	if (port_stop(p) != 0) {
		nc_warn(STORAGE, "ahci: port %u does not stop; skipped", port);
		return;
	}
	ctl = mm_frame_alloc();
	buf = mm_frame_alloc_contig(IO_BLOCK_MAX_BYTES / MM_PAGE_SIZE);
	if (ctl == 0 || buf == 0) {
		nc_warn(STORAGE, "ahci: port %u: no memory; skipped", port);
		if (ctl != 0)
			mm_frame_free(ctl);
		if (buf != 0)
			mm_frame_free_contig(buf,
			    IO_BLOCK_MAX_BYTES / MM_PAGE_SIZE);
		return;
	}
	d = &disks[ndisks];
	memset(d, 0, sizeof(*d));
	d->port = p;
	d->ctl_phys = ctl;
	d->ctl = mm_phys_to_virt(ctl);
	d->buf_phys = buf;
	d->buf = mm_phys_to_virt(buf);
	d->info.port = port;
	d->info.sector_size = AHCI_SECTOR;
	memset(d->ctl, 0, MM_PAGE_SIZE);
	if (port_start(d) != 0 ||
	    port_exec(d, ATA_IDENTIFY, 0, 0, 512, false) != 0) {
		nc_warn(STORAGE, "ahci: port %u: IDENTIFY failed; skipped",
		    port);
		(void)port_stop(p);
		mm_frame_free(ctl);
		mm_frame_free_contig(buf, IO_BLOCK_MAX_BYTES / MM_PAGE_SIZE);
		return;
	}
	id = (const uint16_t *)d->buf;
	if ((id[83] & (1u << 10)) != 0)
		d->info.sector_count = (uint64_t)id[100] |
		    ((uint64_t)id[101] << 16) | ((uint64_t)id[102] << 32) |
		    ((uint64_t)id[103] << 48);
	else
		d->info.sector_count = (uint64_t)id[60] |
		    ((uint64_t)id[61] << 16);
	copy_ata_string(d->info.model, id + 27, 20);
	nc_info(STORAGE, "ahci: disk %u on port %u: %lu sectors, \"%s\"",
	    ndisks, port, (unsigned long)d->info.sector_count,
	    d->info.model);
	nc_debugcon_printf("ahci: disk %u port %u sectors=%lu model=%s\n",
	    ndisks, port, (unsigned long)d->info.sector_count,
	    d->info.model);
	ndisks++;
}

static void
probe(void)
{
	struct io_pci_loc loc;
	volatile uint8_t *hba;
	uint32_t bar, cmd, pi;
	unsigned i;

	probed = true;
	if (io_pci_find_class(0x01, 0x06, 0x01, 0, &loc) != 0) {
		nc_info(STORAGE, "ahci: no controller");
		return;
	}
	bar = io_pci_read32(&loc, 0x24);
	if ((bar & 1) != 0 || (bar & ~0xfu) == 0) {
		nc_warn(STORAGE, "ahci: %02x:%02x.%x has no usable ABAR",
		    loc.bus, loc.dev, loc.fn);
		return;
	}
	/* Memory space + bus master on, INTx off: the driver polls. */
	cmd = io_pci_read32(&loc, 0x04);
	io_pci_write32(&loc, 0x04, (cmd & 0xffff) | 0x2 | 0x4 | 0x400);
	hba = mm_phys_to_virt(bar & ~0xfu);
	wr(hba, HBA_GHC, (rd(hba, HBA_GHC) | HBA_GHC_AE) & ~HBA_GHC_IE);
	pi = rd(hba, HBA_PI);
	nc_info(STORAGE, "ahci: controller %04x:%04x at %02x:%02x.%x, "
	    "ports 0x%x", loc.vendor, loc.device, loc.bus, loc.dev, loc.fn,
	    pi);
	for (i = 0; i < 32; i++)
		if ((pi & (1u << i)) != 0)
			probe_port(hba, i);
}

static bool
enter(void)
{
	bool on = hal_irq_save();

	if (!probed)
		probe();
	return (on);
}

unsigned
io_block_count(void)
{
	hal_irq_restore(enter());
	return (ndisks);
}

int
io_block_info(unsigned disk, struct io_block_info *out)
{
	bool on = enter();
	int rc = 0;

	if (disk >= ndisks)
		rc = -NC_ENODEV;
	else
		*out = disks[disk].info;
	hal_irq_restore(on);
	return (rc);
}

static int
xfer(unsigned disk, uint64_t lba, unsigned count, void *buf, bool write)
{
	struct ahci_disk *d;
	size_t bytes = (size_t)count * AHCI_SECTOR;
	bool on;
	int rc;

	if (count == 0 || bytes > IO_BLOCK_MAX_BYTES)
		return (-NC_EINVAL);
	on = enter();
	if (disk >= ndisks) {
		rc = -NC_ENODEV;
		goto out;
	}
	d = &disks[disk];
	if (lba >= d->info.sector_count ||
	    count > d->info.sector_count - lba) {
		rc = -NC_EINVAL;
		goto out;
	}
	if (busy) {
		rc = -NC_EBUSY;
		goto out;
	}
	if (nc_fault_should_fail(write ? "block.write" : "block.read")) {
		nc_warn(STORAGE, "%s: injected failure (lba %lu)",
		    write ? "block.write" : "block.read", (unsigned long)lba);
		rc = -NC_EIO;
		goto out;
	}
	busy = true;
	if (write)
		memcpy(d->buf, buf, bytes);
	rc = port_exec(d, write ? ATA_WRITE_DMA_EXT : ATA_READ_DMA_EXT, lba,
	    count, bytes, write);
	if (rc == 0 && !write)
		memcpy(buf, d->buf, bytes);
	busy = false;
out:
	hal_irq_restore(on);
	return (rc);
}

int
io_block_read(unsigned disk, uint64_t lba, unsigned count, void *buf)
{
	return (xfer(disk, lba, count, buf, false));
}

int
io_block_write(unsigned disk, uint64_t lba, unsigned count, const void *buf)
{
	return (xfer(disk, lba, count, (void *)(uintptr_t)buf, true));
}
