/*
 * console.c -- COM1 (16550 UART, 115200 8N1) and the QEMU debug console
 * (port 0xe9), output only with the UART polled; and the ways a run ends:
 * isa-debug-exit (port 0xf4) and halting.
 */
#include <hal/api.h>

#define COM1		0x3f8
#define DEBUGCON	0xe9

static bool serial_ready;

void
hal_serial_init(void)
{
	hal_outb(COM1 + 1, 0x00);	/* no UART interrupts */
	hal_outb(COM1 + 3, 0x80);	/* DLAB */
	hal_outb(COM1 + 0, 0x01);	/* divisor 1: 115200 baud */
	hal_outb(COM1 + 1, 0x00);
	hal_outb(COM1 + 3, 0x03);	/* 8N1 */
	hal_outb(COM1 + 2, 0xc7);	/* FIFO on, cleared */
	hal_outb(COM1 + 4, 0x03);	/* DTR, RTS */
	serial_ready = true;
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
hal_debugcon_write(const char *s, size_t n)
{
	while (n-- > 0)
		hal_outb(DEBUGCON, (uint8_t)*s++);
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
