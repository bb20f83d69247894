/*
 * yielder: usage `yielder [rounds]` (default 200).
 *
 * A bystander for the epilogue thief (thief.c): it takes no interrupt
 * context, so the kernel saves and restores it, and it yields `rounds`
 * times from yielder-regs.S, which holds a known value in every register
 * across each yield and checks them all after it, and checks that it came
 * back from this yield and not from an older saved context (which would
 * replay what it did since). Prints how many rounds came back whole and
 * "yielder ok", or the first register that did not.
 */
#include "exos.h"

uint32_t yielder_round(uint32_t round, volatile uint32_t *current);	/* yielder-regs.S */

static volatile uint32_t current;

int main(int argc, char **argv)
{
	uint32_t rounds = argc > 1 ? strtoul(argv[1], 0, 0) : 200, i, bad = 0;

	printf("yielder: yielding %u times with every register set\n", rounds);
	for (i = 1; i <= rounds && !bad; i++)
		bad = yielder_round(i, &current);
	if (bad == 0xffff)
		printf("yielder: after round %u it resumed from an older saved context\n", current);
	else if (bad)
		printf("yielder: register %u lost its value across the yield of round %u\n", bad, i - 1);
	else
		printf("yielder: %u rounds, every register came back\n", rounds);
	printf("yielder %s\n", bad ? "BAD" : "ok");
	return bad ? 1 : 0;
}
