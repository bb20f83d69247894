/*
 * slice.c: the time slices ExOS allocated beyond the one the kernel gives
 * at creation (sched.h), remembered by slot, newest last, so that a
 * revocation can give them back by name. One slot a call: slice_alloc
 * with count > 1 and spacing 0 returns only the first slot it took.
 */
#include "sched.h"

static uint8_t mine[SLICES];	/* slots, in the order they were allocated */
static uint32_t nmine;

/* Drops entry i, keeping the order. */
static void drop(uint32_t i)
{
	for (; i + 1 < nmine; i++)
		mine[i] = mine[i + 1];
	nmine--;
}

static int find(uint32_t slot)
{
	uint32_t i;

	for (i = 0; i < nmine; i++)
		if (mine[i] == slot)
			return (int)i;
	return -1;
}

int exos_slice_alloc(int slot)
{
	int r;

	if (nmine == SLICES)
		return E_NoSpc;
	r = sys_slice_alloc(slot, 1, 0);
	if (r >= 0 && r < SLICES)
		mine[nmine++] = (uint8_t)r;
	return r;
}

int exos_slice_free(uint32_t slot)
{
	int i = find(slot), r;

	if (i < 0)
		return E_NoEnt;
	r = sys_slice_free(slot);
	if (r == 0 || r == E_Perm)	/* E_Perm: it is no longer ours anyway */
		drop((uint32_t)i);
	return r;
}

uint32_t exos_give_slices(uint32_t count)
{
	uint32_t given = 0;

	while (given < count && nmine) {
		if (sys_slice_free(mine[nmine - 1]) == 0)
			given++;
		nmine--;
	}
	return given;
}

void exos_slice_forget(uint32_t slot)
{
	int i = find(slot);

	if (i >= 0)
		drop((uint32_t)i);
}
