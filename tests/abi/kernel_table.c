/*
 * kernel_table.c -- checks the generated kernel dispatch-table fragment
 * (kernel/generated/syscall_table.c) the way the kernel will use it: index
 * by number - BASE, weak handlers are NULL until defined, gates and cap
 * masks follow abi/syscalls.def, the Linux routes are sorted.  TAP output.
 */
#include <stdio.h>
#include <string.h>

#include "kernel/generated/syscall_table.h"

static int n, bad;

static void
ok(int cond, const char *name)
{
	n++;
	if (!cond)
		bad++;
	printf("%sok %d - %s\n", cond ? "" : "not ", n, name);
}

/* A strong definition must replace the weak reference. */
long
ex_sys_debug_print(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
    uint64_t a4, uint64_t a5)
{
	(void)a2; (void)a3; (void)a4; (void)a5;
	return (long)(a0 + a1);
}

int
main(void)
{
	const struct ex_syscall_entry *e;
	unsigned i, sorted = 1, numbered = 1;

	e = &ex_syscall_table[SYS_RUSTOS_DEBUG_PRINT - RUSTOS_SYSCALL_PRIVATE_BASE];
	ok(e->handler == ex_sys_debug_print && e->handler(2, 3, 0, 0, 0, 0) == 5,
	    "defined handler ex_sys_debug_print is in the table");
	ok(strcmp(e->name, "DEBUG_PRINT") == 0 && e->nargs == 2 &&
	    e->gate == EX_SYSCALL_GATE_ANY, "DEBUG_PRINT: name, 2 args, gate any");
	e = &ex_syscall_table[SYS_RUSTOS_IPC_CALL - RUSTOS_SYSCALL_PRIVATE_BASE];
	ok(e->handler == NULL, "undefined handler ex_sys_ipc_call is NULL (-ENOSYS)");
	ok(e->nargs == 5, "IPC_CALL has 5 args");
	e = &ex_syscall_table[0x2e];
	ok(e->gate == EX_SYSCALL_GATE_RESERVED && e->handler == NULL,
	    "retired 0x5255002e is a reserved slot");
	e = &ex_syscall_table[0];
	ok(e->gate == EX_SYSCALL_GATE_RESERVED, "slot 0 is reserved");
	e = &ex_syscall_table[SYS_RUSTOS_FD_CLOSE_BROKER - RUSTOS_SYSCALL_PRIVATE_BASE];
	ok(e->gate == EX_SYSCALL_GATE_CAP && e->cap_mask == IPC_SERVICE_CAP_VFS_POLICY,
	    "FD_CLOSE_BROKER is gated by IPC_SERVICE_CAP_VFS_POLICY");
	e = &ex_syscall_table[SYS_RUSTOS_SPAWN_EXEC - RUSTOS_SYSCALL_PRIVATE_BASE];
	ok(e->gate == EX_SYSCALL_GATE_ROOTD, "SPAWN_EXEC is rootd-only");
	e = &ex_syscall_table[SYS_RUSTOS_PROC_PREPARE_BROKER - RUSTOS_SYSCALL_PRIVATE_BASE];
	ok(e->gate == EX_SYSCALL_GATE_CAP && e->cap_mask == IPC_SERVICE_CAP_PROCESS_LOADER,
	    "PROC_PREPARE_BROKER is gated by IPC_SERVICE_CAP_PROCESS_LOADER");
	for (i = 1; i < EX_SYSCALL_PRIVATE_COUNT; i++)
		if (ex_syscall_table[i].gate != EX_SYSCALL_GATE_RESERVED &&
		    ex_syscall_table[i].number != RUSTOS_SYSCALL_PRIVATE_BASE + i)
			numbered = 0;
	ok(numbered, "every slot holds its own number");
	ok(EX_SYSCALL_PRIVATE_COUNT >= 0x37, "table covers at least 0x52550000..0x52550036");
	for (i = 1; i < EX_LINUX_ROUTE_COUNT; i++)
		if (ex_linux_routes[i].number <= ex_linux_routes[i - 1].number)
			sorted = 0;
	ok(sorted, "Linux routes are sorted by number");
	ok(ex_linux_routes[0].number == 0 && ex_linux_routes[0].owner == EX_SYSCALL_OWNER_VFSD,
	    "read (0) routes to vfsd");
	for (i = 0; i < EX_LINUX_ROUTE_COUNT; i++)
		if (ex_linux_routes[i].number == RUSTOS_LINUX_SYS_clock_gettime)
			break;
	ok(i < EX_LINUX_ROUTE_COUNT && ex_linux_routes[i].owner == EX_SYSCALL_OWNER_KERNEL,
	    "clock_gettime stays kernel-direct");
	printf("1..%d\n", n);
	return bad != 0;
}
