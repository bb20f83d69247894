/*
 * polite: usage `polite [rounds [work [sched]]]` (defaults 20 and 1000).
 *
 * Does a little work (`work` loop iterations), then gives up the rest of
 * its slice with yield, `rounds` times, and prints how many rounds it
 * did, the iterations and a checksum of the work, which is the same on
 * every run. With a third argument `sched` it first takes ExOS's interrupt
 * context (sched.h) and yields with exos_yield, which saves its context
 * before the system call; otherwise the kernel switches it transparently.
 */
#include "sched.h"

int main(int argc, char **argv)
{
	uint32_t rounds = argc > 1 ? strtoul(argv[1], 0, 0) : 20;
	uint32_t work = argc > 2 ? strtoul(argv[2], 0, 0) : 1000;
	int sched = argc > 3 && strcmp(argv[3], "sched") == 0;
	uint32_t r, i, sum = 0, refused = 0;
	int e;

	if (sched && (e = exos_sched_init()) < 0) {
		printf("polite: no interrupt context: %s\n", exos_errname(e));
		return 1;
	}
	printf("polite: %u rounds of %u iterations, yielding after each%s\n",
	       rounds, work, sched ? " (ExOS's interrupt context)" : "");
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < work; i++)
			sum = sum * 31 + (i ^ r);
		if ((sched ? exos_yield() : sys_yield()) != 0)
			refused++;
	}
	printf("polite: %u rounds, %u iterations, checksum 0x%08x\n", rounds, rounds * work, sum);
	printf("polite %s\n", refused ? "BAD" : "ok");
	return refused ? 1 : 0;
}
