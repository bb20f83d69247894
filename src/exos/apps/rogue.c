/*
 * rogue: usage `rogue [pages]` (default 16).
 *
 * A library OS that breaks the rules, to show the kernel enforcing them.
 * It takes `pages` heap pages and the interrupt context, with a revocation
 * policy that gives nothing back (so the abort protocol must take what it
 * wants; ExOS's Repossess handler still repairs the page table) and an
 * epilogue hook that never returns: ExOS has saved its context, but
 * instead of yielding it spins, overrunning every grace period. The
 * kernel preempts it, shortens its next slice and, after OVERRUN_LIMIT
 * overruns in a row, destroys it. The hook prints one line per epilogue;
 * the main loop only counts. It never ends by itself.
 */
#include "revoke.h"
#include "sched.h"

static volatile uint32_t spins;

/* The revocation policy: ignore every request. */
static uint32_t ignore(uint32_t kind, uint32_t count)
{
	(void)kind;
	(void)count;
	return 0;
}

/* The epilogue hook: say so, then never yield. */
static void overrun(uint32_t grace)
{
	printf("rogue: epilogue %u, grace %u cycles: spinning instead of yielding "
	       "(%u revocation requests ignored, %u frames taken)\n",
	       exos_sched_stats.epilogues, grace,
	       exos_revoke_stats.requests, exos_revoke_stats.taken_frames);
	for (;;)
		spins++;
}

int main(int argc, char **argv)
{
	uint32_t pages = argc > 1 ? strtoul(argv[1], 0, 0) : 16, i;
	volatile uint32_t n = 0;
	uint8_t *p;
	int r;

	r = exos_revoke_init(ignore);
	if (r < 0) {
		printf("rogue: no revocation upcalls: %s\n", exos_errname(r));
		return 1;
	}
	p = pages ? page_alloc(pages) : 0;
	for (i = 0; p && i < pages; i++)
		p[i * PAGE_SIZE] = (uint8_t)i;
	printf("rogue: %u pages, ignoring revocation, overrunning every epilogue\n", p ? pages : 0);
	exos_sched_on_epilogue(overrun);
	r = exos_sched_init();
	if (r < 0) {
		printf("rogue: no interrupt context: %s\n", exos_errname(r));
		return 1;
	}
	for (;;)
		n++;
}
