/*
 * attacker-victim.c: `attacker victim <rounds> <seed> [server]`: the other
 * side of the several-environment fuzzer. It fills VICTIM_PAGES pages of
 * its own heap with values from an xorshift32 generator seeded with
 * <seed>, keeps a checksum of each, and for <rounds> rounds gives up the
 * CPU (yield, so the fuzzing environments beside it run) and checks every
 * page against its checksum. Now and then it rewrites a page itself (and
 * its checksum). These are pages no one else can write: page 0 is shared
 * read-only, under a key of its own (frame_grant), so that the frame's
 * access list is not only its owner's; the others are private.
 *
 * With the PCT server's id it also shares a frame read-write, as the
 * fuzzers do (attacker-share.c): it offers (frame, key) through the server
 * now and then, stores its tag in the frames offered back to it, and each
 * round checks its shared frame, whose words must be zero or the tag of a
 * holder of the key it gave out.
 *
 * Any page whose contents changed without it, and any word of the shared
 * frame that no holder of its key could have written, is an integrity
 * break, reported with the page or word and round. It ends with
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

/* The frame we share read-write, its key, and what came of it. */
static uint32_t sframe, skey[2], swriters, schecks, stook, sstored, sbad;
static int sharing;

/* Allocates the frame to share and grants a key of our own read-write on it. */
static void share_init(void)
{
	int f = sys_frame_alloc(-1, exos_key.lo, exos_key.hi);

	if (f < 0)
		return;
	sframe = (uint32_t)f;
	skey[0] = vnext(), skey[1] = vnext();
	sharing = sys_frame_grant(sframe, RIGHTS_ReadWrite, skey[0], skey[1]) == 0;
}

/* Offers our shared frame through the server; stores our tag in the peer's offered back. */
static void share_swap(uint32_t server)
{
	uint32_t msg[4];
	int r;

	msg[0] = sframe, msg[1] = skey[0], msg[2] = skey[1], msg[3] = SHARE_MAGIC;
	if (peer_offer(msg, server) != 0 || msg[3] == 0 || msg[3] == (uint32_t)exos_envid)
		return;
	stook++;
	r = share_take(msg[0], msg[1], msg[2]);
	if (r >= 0)
		share_drop();
	if (r == 1)
		sstored++;
}

/* Checks our shared frame in round `round`; returns the integrity breaks found (a bad word counts in every round it is seen). */
static uint32_t share_verify(uint32_t round)
{
	int bad = share_check("victim", sframe, skey[0], skey[1], &swriters);

	if (bad < 0)
		return 0;
	schecks++;
	if (bad > 0 && sbad++ < 4)
		printf("victim: shared frame %u: %d words no holder of its key wrote, in round %u\n", sframe, bad, round);
	return (uint32_t)bad;
}

int victim(uint32_t rounds, uint32_t seed, uint32_t server)
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
	if (server)
		share_init();
	printf("victim: environment %d watches %u pages\n", exos_envid, VICTIM_PAGES);
	if (sharing)
		printf("victim: shares frame %u read-write\n", sframe);
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
		if (sharing) {
			breaks += share_verify(round);
			if (vnext() % 4 == 0)
				share_swap(server);
		}
		if (vnext() % 8 == 0)
			rewrite(vnext() % VICTIM_PAGES);
	}
	if (sharing)
		printf("victim: shared frame %u: %u checks, %u peers' tags seen; %u peers' frames taken, %u tags stored in them\n",
		       sframe, schecks, swriters, stook, sstored);
	printf("victim: %u rounds, %u pages, %u integrity breaks\n", rounds, VICTIM_PAGES, breaks);
	return breaks ? 1 : 0;
}
