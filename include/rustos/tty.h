/*
 * rustos/tty.h -- the console terminal ABI: the Linux x86_64 kernel
 * `struct termios` (the TCGETS/TCSETS layout, not libc's, which adds speed
 * fields), `struct winsize`, the tty ioctl numbers and the termios flag
 * bits and control-character slots the console line discipline honours.
 * The numbers are Linux's, so musl's tcgetattr/tcsetattr/isatty work
 * unchanged; the kernel (kernel/io-manager/tty.c) and devmgrd's ioctl
 * policy both take them from here.
 */
#ifndef RUSTOS_TTY_H
#define RUSTOS_TTY_H

#include <stdint.h>

#include <rustos/abi_assert.h>

/* ioctl numbers (Linux asm-generic/ioctls.h, type 'T' = 0x54). */
#define RUSTOS_TCGETS		0x5401u
#define RUSTOS_TCSETS		0x5402u
#define RUSTOS_TCSETSW		0x5403u	/* after output drains */
#define RUSTOS_TCSETSF		0x5404u	/* ... and input is flushed */
#define RUSTOS_TCSBRK		0x5409u
#define RUSTOS_TCXONC		0x540au
#define RUSTOS_TCFLSH		0x540bu
#define RUSTOS_TIOCSCTTY	0x540eu
#define RUSTOS_TIOCGPGRP	0x540fu
#define RUSTOS_TIOCSPGRP	0x5410u
#define RUSTOS_TIOCOUTQ		0x5411u
#define RUSTOS_TIOCGWINSZ	0x5413u
#define RUSTOS_TIOCSWINSZ	0x5414u
#define RUSTOS_FIONREAD		0x541bu
#define RUSTOS_TIOCNOTTY	0x5422u
#define RUSTOS_FIONBIO		0x5421u
#define RUSTOS_TIOCGSID		0x5429u

/* c_cc slots. */
#define RUSTOS_VINTR		0
#define RUSTOS_VQUIT		1
#define RUSTOS_VERASE		2
#define RUSTOS_VKILL		3
#define RUSTOS_VEOF		4
#define RUSTOS_VTIME		5
#define RUSTOS_VMIN		6
#define RUSTOS_VSTART		8
#define RUSTOS_VSTOP		9
#define RUSTOS_VSUSP		10
#define RUSTOS_VEOL		11
#define RUSTOS_VREPRINT		12
#define RUSTOS_VWERASE		14
#define RUSTOS_VLNEXT		15
#define RUSTOS_VEOL2		16
#define RUSTOS_NCCS		19

/* c_iflag */
#define RUSTOS_ISTRIP		0x0020u
#define RUSTOS_INLCR		0x0040u
#define RUSTOS_IGNCR		0x0080u
#define RUSTOS_ICRNL		0x0100u
#define RUSTOS_IXON		0x0400u
#define RUSTOS_IUTF8		0x4000u
/* c_oflag */
#define RUSTOS_OPOST		0x0001u
#define RUSTOS_ONLCR		0x0004u
#define RUSTOS_OCRNL		0x0008u
/* c_cflag: B38400 | CS8 | CREAD | HUPCL is what the console reports. */
#define RUSTOS_CFLAG_DEFAULT	0x04bfu
/* c_lflag */
#define RUSTOS_ISIG		0x0001u
#define RUSTOS_ICANON		0x0002u
#define RUSTOS_ECHO		0x0008u
#define RUSTOS_ECHOE		0x0010u
#define RUSTOS_ECHOK		0x0020u
#define RUSTOS_ECHONL		0x0040u
#define RUSTOS_NOFLSH		0x0080u
#define RUSTOS_TOSTOP		0x0100u
#define RUSTOS_ECHOCTL		0x0200u
#define RUSTOS_ECHOKE		0x0800u
#define RUSTOS_IEXTEN		0x8000u

/* TCFLSH queue selectors. */
#define RUSTOS_TCIFLUSH		0
#define RUSTOS_TCOFLUSH		1
#define RUSTOS_TCIOFLUSH	2

/* The kernel termios of TCGETS/TCSETS* (36 bytes, no padding). */
struct rustos_termios {
	uint32_t	c_iflag;
	uint32_t	c_oflag;
	uint32_t	c_cflag;
	uint32_t	c_lflag;
	uint8_t		c_line;
	uint8_t		c_cc[RUSTOS_NCCS];
};
RUSTOS_ABI_SIZE(termios, 36);
RUSTOS_ABI_OFFSET(termios, c_iflag, 0);
RUSTOS_ABI_OFFSET(termios, c_oflag, 4);
RUSTOS_ABI_OFFSET(termios, c_cflag, 8);
RUSTOS_ABI_OFFSET(termios, c_lflag, 12);
RUSTOS_ABI_OFFSET(termios, c_line, 16);
RUSTOS_ABI_OFFSET(termios, c_cc, 17);

/* TIOCGWINSZ / TIOCSWINSZ (8 bytes). */
struct rustos_winsize {
	uint16_t	ws_row;
	uint16_t	ws_col;
	uint16_t	ws_xpixel;
	uint16_t	ws_ypixel;
};
RUSTOS_ABI_SIZE(winsize, 8);
RUSTOS_ABI_OFFSET(winsize, ws_row, 0);
RUSTOS_ABI_OFFSET(winsize, ws_col, 2);

#endif /* RUSTOS_TTY_H */
