/*
 * start.c -- process entry of the RustOS musl programs.  musl's own crt1
 * refers to the weak _DYNAMIC with a 32-bit PC-relative relocation, which
 * cannot reach address 0 from the user range (programs are linked at
 * 0x8000400000, docs/ai/bootstrap.md), so the programs link with
 * -nostartfiles and this entry instead.  The kernel starts a process with
 * rsp at argc (argv, envp and auxv above it), as Linux does.
 */
int main(int, char **, char **);
int __libc_start_main(int (*)(int, char **, char **), int, char **,
    void (*)(void), void (*)(void), void (*)(void));
void rustos_start_c(long *sp);

void
rustos_start_c(long *sp)
{
	__libc_start_main(main, (int)sp[0], (char **)(sp + 1), 0, 0, 0);
}

__asm__(
	".text\n"
	".globl _start\n"
	".type _start,@function\n"
	"_start:\n"
	"	xor %ebp, %ebp\n"
	"	mov %rsp, %rdi\n"
	"	and $-16, %rsp\n"
	"	call rustos_start_c\n"
	"	hlt\n");
