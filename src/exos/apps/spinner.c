/*
 * spinner: usage `spinner [slices [limit]]` (defaults 10 and 0, no limit).
 *
 * CPU-bound: counts loop iterations, never yielding. It takes the
 * interrupt context (sched.h) so that it can count its slices: a prologue
 * hook counts them, and the epilogue saves and the prologue restores the
 * loop (spin.S), which holds a known value in every register and checks
 * them all on every iteration. It stops when `slices` slices have begun
 * or, with a limit, when the count reaches it, and prints the count and
 * whether every register survived. If the kernel refuses the interrupt
 * context it counts to the limit (100000 when none was given) under the
 * kernel's transparent switching instead.
 */
#include "sched.h"

static volatile uint32_t begun;

uint32_t spin_check(uint32_t limit, volatile uint32_t *begun, uint32_t slices, uint32_t *bad);	/* spin.S */

static void on_prologue(thread_t *next, uint32_t slot, uint32_t length)
{
	(void)next;
	(void)slot;
	(void)length;
	begun++;
}

int main(int argc, char **argv)
{
	uint32_t slices = argc > 1 ? strtoul(argv[1], 0, 0) : 10;
	uint32_t limit = argc > 2 ? strtoul(argv[2], 0, 0) : 0;
	uint32_t n, bad = 0;
	int r;

	exos_sched_on_prologue(on_prologue);
	r = exos_sched_init();
	if (r < 0) {
		printf("spinner: no interrupt context (%s): counting to the limit\n", exos_errname(r));
		if (!limit)
			limit = 100000;
	}
	printf("spinner: spinning for %u slices", slices);
	if (limit)
		printf(" or %u iterations", limit);
	printf("\n");
	n = spin_check(limit, &begun, r < 0 ? 0xffffffffu : slices, &bad);
	printf("spinner: %u iterations, %u slices begun\n", n, begun);
	if (bad)
		printf("spinner: register %u lost its value across a slice boundary\n", bad);
	else
		printf("spinner: every register intact\n");
	printf("spinner %s\n", bad ? "BAD" : "ok");
	return bad ? 1 : 0;
}
