/*
 * thief: usage `thief <epilogues> <pct target> <yield target>...`.
 *
 * A hostile library OS that tries to hand its epilogue to someone else.
 * It takes the interrupt context (sched.h); in each of its first
 * `epilogues` epilogues, once ExOS has saved its context, its hook tries
 * to give the CPU away instead of yielding: a directed yield to every
 * yield target, then pct_async and pct_sync to the pct target (each
 * repeated, so a kernel that let one through would be asked again at
 * once). Were one accepted, the target would run inside the thief's
 * epilogue: the grace deadline would expire on it, the overrun would be
 * charged to it (three destroy it) and whatever it did in that phase
 * would count as the thief's epilogue. The kernel refuses every one
 * (E_Busy: an ended slice has nothing left to donate), so the hook
 * returns and ExOS yields. It then prints what it tried and what the
 * kernel answered, and exits.
 */
#include "sched.h"

#define TRIES	4	/* attempts of each kind per epilogue */

int thief_pct(uint32_t call, uint32_t target);	/* thief-pct.S */
int thief_yield_to(uint32_t target);	/* thief-pct.S: raw, no register kept */

static uint32_t limit, targets[6], ntargets, server;
static volatile uint32_t epilogues, tried, accepted, busy, other;
static volatile int last_other;

/* Counts one answer of the kernel. */
static void note(int r)
{
	tried++;
	if (r == 0)
		accepted++;
	else if (r == E_Busy)
		busy++;
	else {
		other++;
		last_other = r;
	}
}

/* The epilogue hook: give the ended slice away, over and over. */
static void steal(uint32_t grace)
{
	uint32_t i, t;

	(void)grace;
	if (epilogues >= limit)
		return;
	epilogues++;
	for (i = 0; i < TRIES; i++) {
		for (t = 0; t < ntargets; t++)
			note(thief_yield_to(targets[t]));
		note(thief_pct(SYS_PctAsync, server));
		note(thief_pct(SYS_PctSync, server));
	}
}

int main(int argc, char **argv)
{
	volatile uint32_t n = 0;
	int r, i;

	if (argc < 4) {
		printf("thief: usage: thief <epilogues> <pct target> <yield target>...\n");
		return 2;
	}
	limit = strtoul(argv[1], 0, 0);
	server = strtoul(argv[2], 0, 0);
	for (i = 3; i < argc && ntargets < 6; i++)
		targets[ntargets++] = strtoul(argv[i], 0, 0);
	exos_sched_on_epilogue(steal);
	r = exos_sched_init();
	if (r < 0) {
		printf("thief: no interrupt context: %s\n", exos_errname(r));
		return 1;
	}
	printf("thief: giving away %u epilogues to %u environments and a PCT server\n", limit, ntargets);
	while (epilogues < limit)
		n++;
	printf("thief: %u epilogues, %u donations tried in them: %u accepted, %u refused busy, %u otherwise",
	       epilogues, tried, accepted, busy, other);
	if (other)
		printf(" (the last %s)", exos_errname(last_other));
	printf("\n");
	printf("thief %s\n", accepted ? "got through" : "held off");
	return 0;
}
