/*
 * nucleus-core/api.h -- kernel-wide basics every subsystem may use: string
 * helpers, a small printf, structured logging with compiled-in per-category
 * thresholds, boot trace markers, KernelSpinLock and the fault-injection
 * runtime.  The only header other subsystems may include from here.
 */
#ifndef KERNEL_NUCLEUS_CORE_API_H
#define KERNEL_NUCLEUS_CORE_API_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rustos/observability.h>
#include <rustos/log_config.h>

/* errno values (Linux numbering; the kernel returns them negated). */
#define NC_EPERM	1
#define NC_ENOENT	2
#define NC_EIO		5
#define NC_E2BIG	7
#define NC_EAGAIN	11
#define NC_ENOMEM	12
#define NC_EBUSY	16
#define NC_EINVAL	22
#define NC_ENOSPC	28
#define NC_ERANGE	34
#define NC_ENOSYS	38
#define NC_ENODEV	19

#define NC_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define NC_ALIGN_UP(x, a)	(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define NC_ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))

/* Freestanding string helpers (gcc may also emit calls to mem*). */
void	*memset(void *d, int c, size_t n);
void	*memcpy(void *d, const void *s, size_t n);
void	*memmove(void *d, const void *s, size_t n);
int	 memcmp(const void *a, const void *b, size_t n);
size_t	 strlen(const char *s);
int	 strcmp(const char *a, const char *b);
int	 strncmp(const char *a, const char *b, size_t n);

/* printf subset: %d %i %u %x %X %p %s %c %% with l/ll/z and width/0/-. */
int	nc_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap);
__attribute__((format(printf, 3, 4)))
int	nc_snprintf(char *buf, size_t cap, const char *fmt, ...);
/* Raw console output (COM1, and debugcon), no structure, no filtering. */
__attribute__((format(printf, 1, 2)))
void	nc_kprintf(const char *fmt, ...);
/* Raw line to the debug console only (markers, KTEST lines). */
__attribute__((format(printf, 1, 2)))
void	nc_debugcon_printf(const char *fmt, ...);

/* Structured logging (spec/observability-and-faults.md). */
void	nc_log_init(void);
/* Time source for ts_us/tick; until set, both read 0. */
void	nc_log_set_clock(uint64_t (*ns)(void), uint64_t (*ticks)(void));
/* Thread id source for tid=; returns < 0 for "-". */
void	nc_log_set_tid(long (*tid)(void));
__attribute__((format(printf, 5, 6)))
void	nc_log(int cat, int lvl, const char *file, int line, const char *fmt, ...);
/* Copy the ring buffer (oldest first, a drop notice when it wrapped). */
size_t	nc_log_snapshot(char *buf, size_t cap);
uint64_t nc_log_dropped_lines(void);

#define NC_LOG_CAT_THRESHOLD(cat)	NC_LOG_THRESHOLD_##cat
#define NC_LOG_THRESHOLD_BOOT		RUSTOS_LOG_THRESHOLD_BOOT
#define NC_LOG_THRESHOLD_PANIC		RUSTOS_LOG_THRESHOLD_PANIC
#define NC_LOG_THRESHOLD_MEMORY		RUSTOS_LOG_THRESHOLD_MEMORY
#define NC_LOG_THRESHOLD_SCHED		RUSTOS_LOG_THRESHOLD_SCHED
#define NC_LOG_THRESHOLD_SYSCALL	RUSTOS_LOG_THRESHOLD_SYSCALL
#define NC_LOG_THRESHOLD_PROCESS	RUSTOS_LOG_THRESHOLD_PROCESS
#define NC_LOG_THRESHOLD_DRIVER		RUSTOS_LOG_THRESHOLD_DRIVER
#define NC_LOG_THRESHOLD_STORAGE	RUSTOS_LOG_THRESHOLD_STORAGE
#define NC_LOG_THRESHOLD_USB		RUSTOS_LOG_THRESHOLD_USB
#define NC_LOG_THRESHOLD_INPUT		RUSTOS_LOG_THRESHOLD_INPUT
#define NC_LOG_THRESHOLD_DISPLAY	RUSTOS_LOG_THRESHOLD_DISPLAY
#define NC_LOG_THRESHOLD_VFS		RUSTOS_LOG_THRESHOLD_VFS
#define NC_LOG_THRESHOLD_CONSOLE	RUSTOS_LOG_THRESHOLD_CONSOLE
#define NC_LOG_THRESHOLD_SERVICE	RUSTOS_LOG_THRESHOLD_SERVICE
#define NC_LOG_THRESHOLD_COMPAT		RUSTOS_LOG_THRESHOLD_COMPAT
#define NC_LOG_THRESHOLD_DEBUG		RUSTOS_LOG_THRESHOLD_DEBUG
#define NC_LOG_THRESHOLD_HEARTBEAT	RUSTOS_LOG_THRESHOLD_HEARTBEAT

/*
 * A line is compiled in only when logging is enabled, the level passes the
 * global minimum and the category's threshold (both inclusive; "off" = 0
 * disables the category).  The checks are constant-folded.
 */
#define NC_LOG(cat, lvl, ...) do {					\
	if (RUSTOS_LOG_ENABLED &&					\
	    NC_LOG_CAT_THRESHOLD(cat) != RUSTOS_LOG_LEVEL_OFF &&	\
	    (lvl) >= NC_LOG_CAT_THRESHOLD(cat) &&			\
	    (lvl) >= RUSTOS_LOG_MIN_LEVEL)				\
		nc_log(RUSTOS_LOG_CAT_##cat, (lvl), __FILE__, __LINE__,	\
		    __VA_ARGS__);					\
} while (0)
#define nc_trace(cat, ...)	NC_LOG(cat, RUSTOS_LOG_LEVEL_TRACE, __VA_ARGS__)
#define nc_debug(cat, ...)	NC_LOG(cat, RUSTOS_LOG_LEVEL_DEBUG, __VA_ARGS__)
#define nc_info(cat, ...)	NC_LOG(cat, RUSTOS_LOG_LEVEL_INFO, __VA_ARGS__)
#define nc_warn(cat, ...)	NC_LOG(cat, RUSTOS_LOG_LEVEL_WARN, __VA_ARGS__)
#define nc_error(cat, ...)	NC_LOG(cat, RUSTOS_LOG_LEVEL_ERROR, __VA_ARGS__)

/* Boot trace: "boot: stage=<name> ok" on the debug console (kernel/README.md). */
void	nc_boot_trace_init(void);
void	nc_boot_stage(const char *name);

/* Panic without a trap frame: "[PANIC] <reason>", registers, backtrace. */
__attribute__((noreturn, format(printf, 1, 2)))
void	nc_panic(const char *fmt, ...);

/* KernelSpinLock: irq-saving, never held across sleeping or long copies. */
struct nc_spinlock {
	volatile uint32_t locked;
	bool irq_on;		/* interrupt state of the holder before lock */
};
#define NC_SPINLOCK_INIT	{ 0, false }
void	nc_spin_lock(struct nc_spinlock *l);
void	nc_spin_unlock(struct nc_spinlock *l);
bool	nc_spin_held(const struct nc_spinlock *l);

/*
 * Fault injection (spec/observability-and-faults.md).  Rules come from
 * fw_cfg opt/rustos/fault-injection; a bad rule string is logged and all
 * rules are ignored.
 */
void	nc_fault_init_from_qemu_fw_cfg(void);
/* Install a rule string (returns rules loaded or -EINVAL, rules cleared). */
int	nc_fault_load(const char *rules, size_t len);
void	nc_fault_clear(void);
/* Whether this call at a fault point must fail (counts the call). */
bool	nc_fault_should_fail(const char *point);
/* Delay in ms a delay-ms rule asks of this point, 0 if none. */
uint64_t nc_fault_delay_ms(const char *point);

/* cond_resched hook set by ps/ (safe point in long kernel loops). */
void	nc_cond_resched(void);
void	nc_set_resched_hook(void (*fn)(void));

#endif /* KERNEL_NUCLEUS_CORE_API_H */
