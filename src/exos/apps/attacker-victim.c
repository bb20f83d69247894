/*
 * attacker-victim.c: `attacker victim <rounds> <seed>`: the other side of
 * the several-environment fuzzer. It fills VICTIM_PAGES pages of its own
 * heap with values from an xorshift32 generator seeded with <seed>, keeps
 * a checksum of each, and for <rounds> rounds gives up the CPU (yield, so
 * the fuzzing environments beside it run) and checks every page against
 * its checksum. Now and then it rewrites a page itself (and its checksum),
 * and it shares one page read-only with a capability under a key of its
 * own (frame_grant), so the frame's access list is not only its owner's.
 * Any page whose contents changed without it is an integrity break,
 * reported with the page and round. It ends with
 * "victim: <rounds> rounds, <pages> pages, <n> integrity breaks" and exits
 * 0 when n is 0, 1 otherwise.
 */
#include "attacker.h"

#define VICTIM_PAGES	8
#define PAGE_WORDS	(PAGE_SIZE / 4)

static uint32_t vrng;
static uint32_t *pages;
static uint32_t sums[VICTIM_PAGES];

static uint32_t vnext(void)
{
	vrng ^= vrng << 13;
	vrng ^= vrng >> 17;
	vrng ^= vrng << 5;
	return vrng;
}

/* A checksum of page i: a rotate-and-add over its words (Fletcher-like; any one changed word shows). */
static uint32_t checksum(uint32_t i)
{
	uint32_t k, s = 0, t = 0, *p = pages + i * PAGE_WORDS;

	for (k = 0; k < PAGE_WORDS; k++) {
		s += p[k];
		t += s ^ (p[k] << (k & 15));
	}
	return s ^ (t << 1 | t >> 31);
}

/* Fills page i with fresh values and records its checksum. */
static void rewrite(uint32_t i)
{
	uint32_t k, *p = pages + i * PAGE_WORDS;

	for (k = 0; k < PAGE_WORDS; k++)
		p[k] = vnext();
	sums[i] = checksum(i);
}

/* Grants a read-only capability for the frame under page i, with a key of our own. */
static void share(uint32_t i)
{
	uint32_t lo = vm_lookup((uint32_t)(pages + i * PAGE_WORDS));
	int r;

	if (!(lo & ENTRYLO_V))
		return;
	r = sys_frame_grant(lo >> 12, RIGHTS_Read, vnext(), vnext());
	if (r < 0 && r != E_NoSpc)
		printf("victim: frame_grant of page %u: %s\n", i, exos_errname(r));
}

int victim(uint32_t rounds, uint32_t seed)
{
	uint32_t round, i, breaks = 0;

	vrng = seed ? seed : 1;
	pages = malloc(VICTIM_PAGES * PAGE_SIZE);
	if (!pages) {
		printf("victim: no memory\n");
		return 2;
	}
	for (i = 0; i < VICTIM_PAGES; i++)
		rewrite(i);
	share(0);
	printf("victim: environment %d watches %u pages\n", exos_envid, VICTIM_PAGES);
	for (round = 0; round < rounds; round++) {
		sys_yield();
		for (i = 0; i < VICTIM_PAGES; i++) {
			if (checksum(i) == sums[i])
				continue;
			if (breaks < 10)
				printf("victim: page %u changed without me in round %u\n", i, round);
			breaks++;
			sums[i] = checksum(i);
		}
		if (vnext() % 8 == 0)
			rewrite(vnext() % VICTIM_PAGES);
	}
	printf("victim: %u rounds, %u pages, %u integrity breaks\n", rounds, VICTIM_PAGES, breaks);
	return breaks ? 1 : 0;
}
