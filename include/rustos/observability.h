/*
 * rustos/observability.h -- logging categories and levels shared by the
 * kernel, the services and rustos-pkg (which generates the compiled-in
 * thresholds from config/rustos.toml [logging]).
 *
 * Numbers are part of the ABI: append only.
 */
#ifndef RUSTOS_OBSERVABILITY_H
#define RUSTOS_OBSERVABILITY_H

/* Levels, ordered; a threshold is inclusive ("info" lets info..fatal through). */
#define RUSTOS_LOG_LEVEL_OFF	0
#define RUSTOS_LOG_LEVEL_TRACE	1
#define RUSTOS_LOG_LEVEL_DEBUG	2
#define RUSTOS_LOG_LEVEL_INFO	3
#define RUSTOS_LOG_LEVEL_WARN	4
#define RUSTOS_LOG_LEVEL_ERROR	5
#define RUSTOS_LOG_LEVEL_FATAL	6
#define RUSTOS_LOG_LEVEL_COUNT	7

/* Categories, in canonical order. */
#define RUSTOS_LOG_CAT_BOOT		0
#define RUSTOS_LOG_CAT_PANIC		1
#define RUSTOS_LOG_CAT_MEMORY		2
#define RUSTOS_LOG_CAT_SCHED		3
#define RUSTOS_LOG_CAT_SYSCALL		4
#define RUSTOS_LOG_CAT_PROCESS		5
#define RUSTOS_LOG_CAT_DRIVER		6
#define RUSTOS_LOG_CAT_STORAGE		7
#define RUSTOS_LOG_CAT_USB		8
#define RUSTOS_LOG_CAT_INPUT		9
#define RUSTOS_LOG_CAT_DISPLAY		10
#define RUSTOS_LOG_CAT_VFS		11
#define RUSTOS_LOG_CAT_CONSOLE		12
#define RUSTOS_LOG_CAT_SERVICE		13
#define RUSTOS_LOG_CAT_COMPAT		14
#define RUSTOS_LOG_CAT_DEBUG		15
#define RUSTOS_LOG_CAT_HEARTBEAT	16
#define RUSTOS_LOG_CAT_COUNT		17

/* Names, index = number above.  Usable from C and C++ without a .c file. */
#define RUSTOS_LOG_LEVEL_NAMES \
	{ "off", "trace", "debug", "info", "warn", "error", "fatal" }
#define RUSTOS_LOG_CATEGORY_NAMES \
	{ "boot", "panic", "memory", "sched", "syscall", "process", "driver", \
	  "storage", "usb", "input", "display", "vfs", "console", "service", \
	  "compat", "debug", "heartbeat" }

/* Default ring buffer size of the kernel log (config [logging]). */
#define RUSTOS_LOG_RING_BUFFER_BYTES_DEFAULT 16384

#endif /* RUSTOS_OBSERVABILITY_H */
