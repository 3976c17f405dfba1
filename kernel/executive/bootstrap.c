/*
 * bootstrap.c -- the executive bootstrap (boot-and-services.md step 2):
 * physical memory from the Multiboot2 map, heap, fault injection right
 * after the heap, ACPI, interrupt controllers, timer, scheduler.  Then the
 * kernel core is up; the post-boot work (self tests, test exit) runs in a
 * kernel thread while the boot context becomes the idle task.
 */
#include <executive/api.h>
#include <executive/internal.h>
#include <hal/api.h>
#include <io-manager/api.h>
#include <mm/api.h>
#include <nucleus-core/api.h>
#include <ps/api.h>

#define ROOTD_PATH	"/services/rootd/rootd.elf"

static unsigned test_flags;
static volatile uint64_t *crash_target = (volatile uint64_t *)0x10;

unsigned
ex_test_flags(void)
{
	return (test_flags);
}

static bool
token_is(const char *s, size_t n, const char *word)
{
	return (strlen(word) == n && memcmp(s, word, n) == 0);
}

void
ex_read_test_flags(void)
{
	char buf[256];
	long n;
	size_t i, start;

	n = hal_fwcfg_read_file("opt/rustos/test", buf, sizeof(buf));
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf)) {
		nc_warn(BOOT, "test flags: %ld bytes is too long; ignored", n);
		return;
	}
	for (i = start = 0; i <= (size_t)n; i++) {
		if (i < (size_t)n && buf[i] != ',' && buf[i] != '\n')
			continue;
		if (token_is(buf + start, i - start, "selftest"))
			test_flags |= EX_TEST_SELFTEST;
		else if (token_is(buf + start, i - start, "exit"))
			test_flags |= EX_TEST_EXIT;
		else if (token_is(buf + start, i - start, "alloc-probe"))
			test_flags |= EX_TEST_ALLOC_PROBE;
		else if (token_is(buf + start, i - start, "crash"))
			test_flags |= EX_TEST_CRASH;
		else if (token_is(buf + start, i - start, "crash-stack"))
			test_flags |= EX_TEST_CRASH_STACK;
		else if (i > start)
			nc_warn(BOOT, "test flags: unknown flag \"%.*s\" "
			    "ignored", (int)(i - start), buf + start);
		start = i + 1;
	}
	hal_exit_on_panic = (test_flags & EX_TEST_EXIT) != 0;
	nc_info(BOOT, "test flags: \"%s\" (0x%x)", buf, test_flags);
}

/*
 * Allocate frames until one fails (or a bound), report, give them back:
 * shows that an allocation failure (injected via alloc.frame, or real) is
 * returned and logged cleanly.
 */
static void
alloc_probe(void)
{
	static uint64_t got[256];
	unsigned n, i;
	void *big;

	for (n = 0; n < NC_ARRAY_SIZE(got); n++)
		if ((got[n] = mm_frame_alloc()) == 0)
			break;
	for (i = 0; i < n; i++)
		mm_frame_free(got[i]);
	if (n == NC_ARRAY_SIZE(got)) {
		nc_info(MEMORY, "alloc-probe: %u frames allocated, no failure",
		    n);
		nc_debugcon_printf("alloc-probe: no failure in %u frames\n", n);
		return;
	}
	nc_error(MEMORY, "alloc-probe: frame allocation %u failed (%d); "
	    "released %u frames, continuing", n + 1, -NC_ENOMEM, n);
	big = mm_kmalloc(256 * 1024);
	if (big == NULL)
		nc_error(MEMORY, "alloc-probe: kmalloc(256 KiB) failed (%d) as "
		    "expected", -NC_ENOMEM);
	mm_kfree(big);
	nc_debugcon_printf("alloc-probe: failed cleanly after %u frames\n", n);
}

/*
 * Recurse until the main stack runs into its guard page: the page fault
 * cannot push its frame there, so the CPU raises a double fault, which
 * runs on its own IST stack and panics.
 */
static volatile unsigned overflow_limit = ~0u;

static unsigned
overflow_stack(unsigned depth)
{
	volatile uint8_t pad[512];

	pad[0] = (uint8_t)depth;
	if (depth >= overflow_limit)
		return (pad[0]);
	return (overflow_stack(depth + 1) + pad[0]);
}

/* What runs once the core is up: tests and the test-mode exit. */
static void
post_boot(void *arg)
{
	unsigned failed = 0;

	if (test_flags & EX_TEST_ALLOC_PROBE)
		alloc_probe();
	if (test_flags & EX_TEST_SELFTEST)
		failed = ex_selftest_run();
	if (test_flags & EX_TEST_CRASH) {
		/* Low memory is unmapped since paging: this must page-fault. */
		nc_info(BOOT, "test flag crash: writing to address 0x10");
		**(volatile uint64_t *volatile *)&crash_target = 0xdead;
		nc_error(BOOT, "test flag crash: the write did not fault");
		failed++;
	}
	/*
	 * With rootd on the boot volume the boot goes on in user space; in
	 * test mode the run then ends when initd reports idle (syscall.c).
	 */
	if (failed == 0 && (test_flags & EX_TEST_CRASH) == 0 &&
	    io_bootfs_lookup(ROOTD_PATH, strlen(ROOTD_PATH)) >= 0) {
		long pid = ps_proc_start_rootd(ROOTD_PATH);

		if (pid > 0) {
			nc_debugcon_printf("nucleus: rootd started pid=%ld\n",
			    pid);
			return;
		}
		/*
		 * Logged, not a test failure: under injected allocation
		 * failures the core must still end cleanly; the bootstrap
		 * tests catch a missing user space by its markers.
		 */
		nc_error(BOOT, "cannot start %s (%ld); no user space", ROOTD_PATH,
		    pid);
		nc_debugcon_printf("nucleus: rootd not started (%ld)\n", pid);
	}
	if (test_flags & EX_TEST_EXIT) {
		nc_info(BOOT, "test mode: exiting QEMU (%s)",
		    failed == 0 ? "success" : "failure");
		nc_debugcon_printf("nucleus: exit %s\n",
		    failed == 0 ? "success" : "failure");
		hal_qemu_exit(failed == 0 ? HAL_EXIT_SUCCESS :
		    HAL_EXIT_FAILURE);
		/* Without isa-debug-exit we simply go on idling. */
	}
}

static void
post_boot_thread(void *arg)
{
	post_boot(arg);
}

void
ex_bootstrap(void *arg)
{
	struct ex_boot_args *ba = arg;
	struct hal_acpi_info acpi;
	long tid;
	int rc;

	nc_boot_stage("stack-switch");
	(void)ba;

	mm_frame_init();
	nc_boot_stage("memory");

	mm_heap_init();
	nc_boot_stage("heap");

	nc_fault_init_from_qemu_fw_cfg();
	nc_boot_stage("fault-injection");

	rc = hal_acpi_init(mm_boot_info.rsdp, mm_boot_info.rsdp_len, mm_p2v,
	    &acpi);
	if (rc != 0)
		nc_panic("acpi: cannot find the interrupt controllers (%d)", rc);
	if (acpi.lapic_phys == 0 || acpi.ioapic_count == 0)
		nc_panic("acpi: MADT lists no %s", acpi.lapic_phys == 0 ?
		    "local APIC" : "I/O APIC");
	nc_boot_stage("acpi");

	hal_pic_disable();
	if ((rc = hal_lapic_init(mm_phys_to_virt(acpi.lapic_phys))) != 0)
		nc_panic("lapic: init failed (%d)", rc);
	if ((rc = hal_ioapic_init(mm_phys_to_virt(acpi.ioapic_phys),
	    acpi.ioapic_gsi_base)) != 0)
		nc_panic("ioapic: init failed (%d)", rc);
	nc_boot_stage("interrupts");

	if ((rc = hal_timer_init(PS_TICK_HZ, ps_tick)) != 0)
		nc_panic("timer: cannot start the periodic tick (%d)", rc);
	nc_log_set_clock(hal_clock_ns, hal_ticks);
	nc_boot_stage("timer");

	ps_init();
	ex_user_init();
	hal_sti();
	nc_boot_stage("scheduler");

	nc_info(BOOT, "nucleus: kernel core up (%zu MiB free)",
	    mm_frame_free_count() * MM_PAGE_SIZE >> 20);
	nc_debugcon_printf("nucleus: kernel core up\n");

	if (test_flags & EX_TEST_CRASH_STACK) {
		nc_info(BOOT, "test flag crash-stack: overflowing the main stack");
		overflow_stack(0);
		nc_error(BOOT, "test flag crash-stack: no fault");
		if (test_flags & EX_TEST_EXIT)
			hal_qemu_exit(HAL_EXIT_FAILURE);
	}

	tid = ps_thread_create("post-boot", post_boot_thread, NULL,
	    PS_DEFAULT_WEIGHT_MICROS);
	if (tid < 0) {
		nc_error(BOOT, "cannot start the post-boot thread (%ld); "
		    "running its work on the boot context", tid);
		post_boot(NULL);
	}
	ps_idle_loop();
}
