/*
 * console.c -- COM1 (16550 UART, 115200 8N1) and the QEMU debug console
 * (port 0xe9); and the ways a run ends: isa-debug-exit (port 0xf4) and
 * halting.
 *
 * Output is polled.  Input: received bytes go into a raw ring, filled by
 * the UART's receive interrupt (ISA IRQ 4 through the I/O APIC) and by
 * hal_serial_poll() (the console thread's fallback), both with interrupts
 * off; the ring is the only state shared with the interrupt.  Until the
 * ring is drained the UART keeps the rest in its FIFO and QEMU holds
 * back further input, so nothing is lost while no one reads.  The line
 * discipline (kernel/io-manager/tty.c) takes the bytes in thread context.
 */
#include <hal/api.h>

#define COM1		0x3f8
#define DEBUGCON	0xe9
#define RX_RING		4096		/* power of two */

static bool serial_ready;
volatile bool hal_serial_logs_quiet;
static uint8_t rx_ring[RX_RING];
static volatile uint32_t rx_head, rx_tail;	/* tail - head = count */
static void (*rx_notify)(void);

void
hal_serial_init(void)
{
	hal_outb(COM1 + 1, 0x00);	/* no UART interrupts */
	hal_outb(COM1 + 3, 0x80);	/* DLAB */
	hal_outb(COM1 + 0, 0x01);	/* divisor 1: 115200 baud */
	hal_outb(COM1 + 1, 0x00);
	hal_outb(COM1 + 3, 0x03);	/* 8N1 */
	hal_outb(COM1 + 2, 0x07);	/* FIFO on, cleared, 1-byte trigger */
	hal_outb(COM1 + 4, 0x0b);	/* DTR, RTS, OUT2 (IRQ gate) */
	serial_ready = true;
}

/* Move what the UART holds into the ring; call with interrupts off. */
static unsigned
rx_drain(void)
{
	unsigned n = 0, spins = 0;

	/* LSR bit 0: data ready.  A bounded loop: a stuck UART cannot hang. */
	while ((hal_inb(COM1 + 5) & 0x01) != 0 && spins++ < 4 * RX_RING) {
		uint8_t c = hal_inb(COM1);

		if (rx_tail - rx_head < RX_RING) {
			rx_ring[rx_tail % RX_RING] = c;
			rx_tail++;
			n++;
		} else {
			/* Ring full: leave the rest in the FIFO. */
			break;
		}
	}
	return (n);
}

static void
serial_irq(struct hal_trap_frame *tf)
{
	unsigned n;

	(void)hal_inb(COM1 + 2);	/* IIR: acknowledge */
	n = rx_drain();
	hal_lapic_eoi();
	if (n > 0 && rx_notify != NULL)
		rx_notify();
}

int
hal_serial_rx_init(void (*notify)(void))
{
	int rc;

	if (!serial_ready)
		return (-19);		/* ENODEV */
	rx_notify = notify;
	hal_irq_register(HAL_VEC_COM1, serial_irq);
	rc = hal_ioapic_route(HAL_GSI_COM1, HAL_VEC_COM1);
	/* Receive interrupts on; without the route the thread polls. */
	hal_outb(COM1 + 1, 0x01);
	return (rc);
}

unsigned
hal_serial_poll(void)
{
	bool on = hal_irq_save();
	unsigned n;

	if (!serial_ready) {
		hal_irq_restore(on);
		return (0);
	}
	n = rx_drain();
	hal_irq_restore(on);
	return (n);
}

size_t
hal_serial_read(uint8_t *buf, size_t cap)
{
	bool on = hal_irq_save();
	size_t n = 0;

	while (n < cap && rx_head != rx_tail) {
		buf[n++] = rx_ring[rx_head % RX_RING];
		rx_head++;
	}
	/* Room again: take what waited in the FIFO. */
	if (n > 0 && serial_ready)
		(void)rx_drain();
	hal_irq_restore(on);
	return (n);
}

static void
serial_putc(char c)
{
	unsigned spins = 0;

	/* Bounded wait: a missing UART must not hang the kernel. */
	while ((hal_inb(COM1 + 5) & 0x20) == 0 && spins++ < 100000)
		hal_pause();
	hal_outb(COM1, (uint8_t)c);
}

void
hal_serial_write(const char *s, size_t n)
{
	if (!serial_ready)
		return;
	while (n-- > 0) {
		if (*s == '\n')
			serial_putc('\r');
		serial_putc(*s++);
	}
}

void
hal_serial_write_raw(const char *s, size_t n)
{
	if (!serial_ready)
		return;
	while (n-- > 0)
		serial_putc(*s++);
}

/* The last byte sent to the debug console ('\n' at a line start). */
static char debugcon_last = '\n';

void
hal_debugcon_write(const char *s, size_t n)
{
	if (n > 0)
		debugcon_last = s[n - 1];
	while (n-- > 0)
		hal_outb(DEBUGCON, (uint8_t)*s++);
}

/*
 * A whole line (a log line, a service's marker) starts on a line of its own
 * in the debug console even when a program's partial write, such as the
 * shell's prompt, left it mid-line: tests match markers as whole lines.
 */
void
hal_debugcon_line(const char *s, size_t n)
{
	if (debugcon_last != '\n')
		hal_debugcon_write("\n", 1);
	hal_debugcon_write(s, n);
}

bool hal_exit_on_panic;

void
hal_qemu_exit(uint8_t code)
{
	hal_outb(0xf4, code);
}

void
hal_halt_forever(void)
{
	for (;;) {
		hal_cli();
		hal_hlt();
	}
}
