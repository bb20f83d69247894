/*
 * lrpc-server: usage `lrpc-server [calls]` (default 0, forever).
 *
 * The server half of LRPC over protected control transfer (pct.h). Its
 * protected entry answers each call with a0 + a1 in a0 and a0 * a1 in a1
 * (mod 2^32) and counts it; ExOS's entry code moves to its own stack
 * first and replies with every other register as the caller sent it.
 * Between calls it yields. After `calls` calls it prints how many it
 * answered and exits.
 */
#include "pct.h"

static uint32_t limit;
static volatile uint32_t calls, caller;

/* The protected entry's work: the answer goes back in the message. */
static void answer(struct exos_pct_msg *m)
{
	uint32_t x = PCT_ARG(m, 0), y = PCT_ARG(m, 1);

	PCT_ARG(m, 0) = x + y;
	PCT_ARG(m, 1) = x * y;
	caller = PCT_CALLER(m);
	calls++;
}

/* Between calls, and after each one if the kernel continues the server there. */
static void serve(void)
{
	while (!limit || calls < limit)
		sys_yield();
	printf("lrpc-server: answered %u calls from environment %u\n", calls, caller);
	if (exos_pct_stats.refused)
		printf("lrpc-server: %u replies refused, the last with %s\n",
		       exos_pct_stats.refused, exos_errname(exos_pct_stats.last_error));
	printf("lrpc-server %s\n", exos_pct_stats.refused ? "BAD" : "ok");
	exit(exos_pct_stats.refused ? 1 : 0);
}

int main(int argc, char **argv)
{
	int r;

	limit = argc > 1 ? strtoul(argv[1], 0, 0) : 0;
	printf("lrpc-server: environment %d answering %u calls\n", exos_envid, limit);
	r = exos_pct_init(answer, serve);
	if (r < 0) {
		printf("lrpc-server: no protected entry: %s\n", exos_errname(r));
		return 1;
	}
	serve();
	return 0;
}
