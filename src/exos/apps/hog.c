/*
 * hog: usage `hog [pages [passes]]` (defaults 64 and 0, forever).
 *
 * A program that holds memory and gives it back when asked (revoke.h).
 * It takes part in revocation, then takes `pages` heap pages: the even
 * ones it only reads (demand-zero pages never written, which ExOS gives
 * up first and for free), the odd ones it fills with a pattern. Then it
 * yields, `passes` times (forever with 0), and after each yield prints
 * what revocation asked for and what ExOS gave back or lost since the
 * last time. At the end it checks every page: one no longer mapped to a
 * frame of its own is gone (given back or taken); one mapped must read
 * zero (even) or its pattern (odd), except that a page revocation or the
 * abort protocol took while hog was still writing it was made again and
 * may read zero where the pattern was (remade). Anything else is wrong.
 */
#include "revoke.h"

#define PATTERN		0xa5a5a5a5u
#define WORDS		(PAGE_SIZE / 4)
#define HOG_MAX		4096	/* pages */

static uint8_t *base;
static uint32_t npages;
static uint32_t seen_requests, seen_events;
static uint8_t lost[HOG_MAX];	/* the log said page i was given back or taken (.bss: never revoked) */
static int overflow;		/* events were missed: lost[] is incomplete */

/* The word hog writes at word j of odd page i. */
static uint32_t value(uint32_t i, uint32_t j)
{
	return (i << 16 | j) ^ PATTERN;
}

static void touch(void)
{
	volatile uint32_t *p;
	uint32_t i, j, sum = 0;

	for (i = 0; i < npages; i++) {
		p = (volatile uint32_t *)(base + i * PAGE_SIZE);
		if (i % 2 == 0) {
			sum += p[0];
			continue;
		}
		for (j = 0; j < WORDS; j++)
			p[j] = value(i, j);
	}
	printf("hog: %u pages at %p: %u read, %u written (first words read %u)\n",
	       npages, base, (npages + 1) / 2, npages / 2, sum);
}

/* Prints what revocation did since the last report. */
static void report(void)
{
	const struct exos_revoke_event *e;

	if (exos_revoke_stats.requests != seen_requests) {
		seen_requests = exos_revoke_stats.requests;
		printf("hog: revocation request %u: %u frames asked for in all, window %u cycles\n",
		       seen_requests, exos_revoke_stats.frames_asked, exos_revoke_stats.window);
	}
	if (exos_revoke_stats.events - seen_events > EXOS_REVOKE_LOG) {
		seen_events = exos_revoke_stats.events - EXOS_REVOKE_LOG;
		overflow = 1;
	}
	for (; seen_events < exos_revoke_stats.events; seen_events++) {
		e = &exos_revoke_log[seen_events % EXOS_REVOKE_LOG];
		printf("hog: page 0x%08x frame %u: %s\n", e->va, e->frame, exos_revoke_whatname(e->what));
		if (e->va >= (uint32_t)base && e->va < (uint32_t)base + npages * PAGE_SIZE)
			lost[(e->va - (uint32_t)base) / PAGE_SIZE] = 1;
	}
}

enum { GONE, INTACT, REMADE, WRONG };

/* What became of page i. */
static int check(uint32_t i)
{
	const uint32_t *p = (const uint32_t *)(base + i * PAGE_SIZE);
	uint32_t pte = vm_lookup((uint32_t)p), j, zeros = 0;

	if (!pte || FRAME_OWNER(pte >> 12) != (uint32_t)exos_envid)
		return GONE;
	for (j = 0; j < WORDS; j++) {
		if (p[j] == (i % 2 ? value(i, j) : 0))
			continue;
		if (p[j] != 0)
			return WRONG;
		zeros++;
	}
	if (!zeros)
		return INTACT;
	return lost[i] || overflow ? REMADE : WRONG;
}

int main(int argc, char **argv)
{
	uint32_t passes, pass, i, n[WRONG + 1] = { 0 };
	int r;

	npages = argc > 1 ? strtoul(argv[1], 0, 0) : 64;	/* at most HOG_MAX */
	passes = argc > 2 ? strtoul(argv[2], 0, 0) : 0;
	r = exos_revoke_init(0);
	if (r < 0) {
		printf("hog: cannot take part in revocation: %s\n", exos_errname(r));
		return 1;
	}
	base = npages && npages <= HOG_MAX ? page_alloc(npages) : 0;
	if (!base) {
		printf("hog: cannot get %u pages\n", npages);
		return 2;
	}
	touch();
	for (pass = 0; !passes || pass < passes; pass++) {
		sys_yield();
		report();
	}
	report();
	for (i = 0; i < npages; i++)
		n[check(i)]++;
	printf("hog: gave back %u clean and %u written pages; the abort protocol took %u frames\n",
	       exos_revoke_stats.given_clean, exos_revoke_stats.given_written,
	       exos_revoke_stats.taken_frames);
	printf("hog: %u pages intact, %u gone, %u remade, %u wrong\n",
	       n[INTACT], n[GONE], n[REMADE], n[WRONG]);
	printf("hog %s\n", n[WRONG] ? "BAD" : "ok");
	return n[WRONG] ? 1 : 0;
}
