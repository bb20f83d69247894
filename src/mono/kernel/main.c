/*
 * main.c: boot. The PROM starts the kernel like any program (crt0.S, with
 * a0 = argc, a1 = argv): argv[1] names the first process's program and
 * the rest are its arguments (default "init"). A PROM that boots from a
 * device passes the boot path and flags as well (GXemul gives argv =
 * { "boot", "6/tftp/mono.elf", "-a" }); arguments before the program name
 * that hold a '/' or start with '-' are skipped, since no program name does. The kernel installs its
 * exception vectors, empties the TLB, hands the free memory to kalloc,
 * starts the clock and the Ethernet, and runs the first process; the machine halts through
 * the PROM when that process exits.
 */
#include "defs.h"
#include "mips.h"
#include "prom.h"
#include "proc.h"

/* Prints why the kernel stopped and halts the machine through the PROM. */
void panic(const char *msg)
{
	printf("mono: panic: %s\n", msg);
	prom_halt();
}

/* The first process exited: report its status and halt. */
void halt(int status)
{
	printf("mono: init exited with status %d\n", status);
	prom_halt();
}

/* Returns 1 if s is a boot path or a PROM flag (holds a '/' or starts with '-'), not a program name. */
static int boot_arg(const char *s)
{
	if (*s == '-')
		return 1;
	for (; *s; s++)
		if (*s == '/')
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	static char *defargv[] = { "init", 0 };

	while (argc >= 2 && boot_arg(argv[1]))
		argc--, argv++;

	MTC0(CP0_STATUS, ST_CU0);		/* kernel mode, interrupts off, BEV clear */
	vec_install();
	tlb_init();
	kinit();
	procinit();
	clock_init();
	net_init();
	MTC0(CP0_STATUS, ST_CU0 | ST_IM(2) | ST_IM(3));
	if (argc >= 2)
		userinit(argc - 1, argv + 1);
	else
		userinit(1, defargv);
	scheduler();
}
