/*
 * exc-bench: exception dispatch measured in guest code (Aegis paper, sec.
 * 5.2: 18 instructions, 1.5 us on a DECstation 5000/125). A breakpoint
 * (not a TLB exception) goes from the faulting instruction through the
 * kernel's dispatch to bp_handler's first instruction, and bp_handler
 * returns to the instruction after it without entering the kernel
 * (exc-bench-asm.S).
 *
 *   exc-bench <n>
 *
 * Two windows, each between two sys_null calls (the way every ExOS
 * benchmark is timed: exoscope bench --paper reads the cycle counter at
 * each null call): n turns of a loop that takes a breakpoint, then n turns
 * of the same loop with a nop in its place. The difference, over n, is
 * what taking the exception and coming back costs. Then it checks that
 * the handler ran n times and prints `exc-bench: <n> breakpoints ok`.
 */
#include "exos.h"

/* ExcCode of a breakpoint (R3000 manual, "Cause register"). */
#define EXC_BP	9

extern void bp_handler(void);
extern uint32_t break_loop(uint32_t n);
extern uint32_t nop_loop(uint32_t n);

int main(int argc, char **argv)
{
	uint32_t n, broke, plain;
	int r;

	if (argc < 2 || (n = (uint32_t)atoi(argv[1])) == 0) {
		printf("usage: exc-bench <n>\n");
		return 2;
	}
	r = sys_set_handler(EXC_BP, (uint32_t)bp_handler);
	if (r < 0) {
		printf("exc-bench: set_handler: %s\n", exos_errname(r));
		return 1;
	}
	sys_null();
	broke = break_loop(n);
	sys_null();
	sys_null();
	plain = nop_loop(n);
	sys_null();
	printf("exc-bench: %u breakpoints %s\n", broke, broke == n && plain == n ? "ok" : "BAD");
	return 0;
}
