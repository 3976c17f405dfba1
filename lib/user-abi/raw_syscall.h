/*
 * raw_syscall.h -- private to librustos-user-abi: the x86_64 `syscall`
 * instruction (number in rax; arguments in rdi rsi rdx r10 r8 r9; result in
 * rax; rcx and r11 are clobbered by the CPU) and the export macro.
 *
 * The library is freestanding: nothing here or in its users may call libc.
 */
#ifndef USER_ABI_RAW_SYSCALL_H
#define USER_ABI_RAW_SYSCALL_H

/* Everything is hidden (-fvisibility=hidden) except what is marked. */
#define RUSTOS_USER_ABI_EXPORT	__attribute__((visibility("default")))

/* Linux x86_64 numbers the helpers need. */
#define USER_ABI_LINUX_SCHED_YIELD	24

static inline long
rustos_raw_syscall0(long n)
{
	long ret;

	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n) : "rcx", "r11", "memory");
	return ret;
}

static inline long
rustos_raw_syscall1(long n, long a0)
{
	long ret;

	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n), "D"(a0)
	    : "rcx", "r11", "memory");
	return ret;
}

static inline long
rustos_raw_syscall2(long n, long a0, long a1)
{
	long ret;

	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n), "D"(a0), "S"(a1)
	    : "rcx", "r11", "memory");
	return ret;
}

static inline long
rustos_raw_syscall3(long n, long a0, long a1, long a2)
{
	long ret;

	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n), "D"(a0), "S"(a1),
	    "d"(a2) : "rcx", "r11", "memory");
	return ret;
}

static inline long
rustos_raw_syscall4(long n, long a0, long a1, long a2, long a3)
{
	register long r10 __asm__("r10") = a3;
	long ret;

	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n), "D"(a0), "S"(a1),
	    "d"(a2), "r"(r10) : "rcx", "r11", "memory");
	return ret;
}

static inline long
rustos_raw_syscall5(long n, long a0, long a1, long a2, long a3, long a4)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	long ret;

	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n), "D"(a0), "S"(a1),
	    "d"(a2), "r"(r10), "r"(r8) : "rcx", "r11", "memory");
	return ret;
}

static inline long
rustos_raw_syscall6(long n, long a0, long a1, long a2, long a3, long a4,
    long a5)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;
	long ret;

	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n), "D"(a0), "S"(a1),
	    "d"(a2), "r"(r10), "r"(r8), "r"(r9) : "rcx", "r11", "memory");
	return ret;
}

#endif /* USER_ABI_RAW_SYSCALL_H */
