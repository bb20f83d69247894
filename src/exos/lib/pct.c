/*
 * pct.c: the C half of the protected entry (pct.h).
 */
#include "pct.h"

_Static_assert(__builtin_offsetof(struct exos_pct_msg, hi) == MSG_HI, "exos_pct_msg.hi");
_Static_assert(__builtin_offsetof(struct exos_pct_msg, lo) == MSG_LO, "exos_pct_msg.lo");
_Static_assert(sizeof(struct exos_pct_msg) == MSG_SIZE, "exos_pct_msg size");

struct exos_pct_msg exos_pct_msg;
struct exos_pct_stats exos_pct_stats;

static exos_pct_handler_t *handler;
static void (*idle_fn)(void);

int exos_pct_init(exos_pct_handler_t *h, void (*idle)(void))
{
	handler = h;
	idle_fn = idle;
	return sys_set_upcall(UPCALL_Pct, (uint32_t)exos_pct_entry);
}

/* Called by exos_pct_entry on the PCT stack; returns 1 when the call wants a reply. */
int exos_pct_serve(struct exos_pct_msg *m)
{
	int sync = PCT_KIND(m) == SYS_PctSync;

	exos_pct_stats.calls++;
	exos_pct_stats.last_caller = PCT_CALLER(m);
	if (sync)
		exos_pct_stats.sync++;
	else
		exos_pct_stats.async++;
	if (handler)
		handler(m);
	return sync;
}

/* Where the server goes on after a call, on the PCT stack: result is pct_reply's (0 for none). */
void exos_pct_after(int result)
{
	if (result < 0) {
		exos_pct_stats.refused++;
		exos_pct_stats.last_error = result;
	}
	if (idle_fn)
		idle_fn();
	exit(0);
}
