/*
 * attacker-fuzz.c: `attacker fuzz <count> <seed>`: <count> system calls
 * whose numbers and arguments come from an xorshift32 generator seeded
 * with <seed>, results counted by call and by error code.
 *
 * The fuzzer must survive every result, so it leaves out what would
 * destroy it by its own hand; everything else goes to the kernel as drawn:
 *   - exit, and any call this file does not know (a call added to the ABI
 *     later could be one that harms the caller): never issued, drawn again;
 *     numbers from SYS_COUNT up (no such call) are issued;
 *   - cputs: length 0 when the pointer is in kuseg (no garbage on the
 *     console); kernel pointers with any length;
 *   - cgets: likewise, length 0 when the pointer is in kuseg (the scratch
 *     region may alias our own frames writable);
 *   - tlb_map, tlb_unmap: a kuseg address is moved into the scratch region
 *     FUZZ_VA .. + FUZZ_PAGES pages (offset bits, i.e. flags, kept), so
 *     ExOS's code, stack, heap and page tables stay mapped; kernel
 *     addresses go as drawn;
 *   - frame_free, frame_rekey: not on frames of ours that the fuzzer did
 *     not allocate itself (image, stack, page tables); drawn again;
 *   - set_handler: a code 1..12 gets ExOS's own trampoline as its pc;
 *   - set_savearea: only addresses the ABI makes invalid (kernel,
 *     misaligned, across a page, null).
 * It holds at most FUZZ_FRAMES frames it allocated; past that it frees the
 * oldest first. One call in 16 is to or with another environment
 * instead (attacker-peer.c: yield_to, pct_sync and pct_async to random
 * ids, a filter with a hostile ASH). Calls that must fail and succeed count as breaches: a
 * save area accepted (then put back), a frame call or a binding on a
 * frame that was not ours, a binding of a kernel address. At the end it unmaps the scratch region, frees
 * its frames and uses the heap, to show ExOS still stands.
 */
#include "attacker.h"

#define FUZZ_FRAMES	64
#define RESULTS		11	/* ok, E_Inval .. E_NoSys (1..9), other */

static uint32_t rng;
static uint32_t frames[FUZZ_FRAMES], nframes_held;
static uint32_t by_call[SYS_COUNT + 1][2];	/* [call or SYS_COUNT for unknown][calls, ok] */
static uint32_t by_result[RESULTS];
static uint32_t breaches;

static const char *const call_names[SYS_COUNT] = {
#define NAME(name, num) [num] = #name,
	AEGIS_SYSCALLS(NAME)
#undef NAME
};

/* xorshift32 (Marsaglia, "Xorshift RNGs", 2003). */
static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static int held(uint32_t f)
{
	uint32_t i;

	for (i = 0; i < nframes_held; i++)
		if (frames[i] == f)
			return 1;
	return 0;
}

/* Remembers frame f, freeing the oldest held frame when the list is full. */
static void hold(uint32_t f)
{
	uint32_t i;

	if (nframes_held == FUZZ_FRAMES) {
		sys_frame_free(frames[0]);
		for (i = 1; i < FUZZ_FRAMES; i++)
			frames[i - 1] = frames[i];
		nframes_held--;
	}
	frames[nframes_held++] = f;
}

static void let_go(uint32_t f)
{
	uint32_t i;

	for (i = 0; i < nframes_held; i++)
		if (frames[i] == f)
			frames[i] = frames[--nframes_held];
}

/* One argument, from a mix of kinds a kernel should find interesting. */
static uint32_t arg(void)
{
	uint32_t r = next();

	switch (r % 10) {
	case 0: return 0;
	case 1: return (r >> 8) % 16;
	case 2: return (r >> 8) % exos_nframes;
	case 3: return nframes_held ? frames[(r >> 8) % nframes_held] : r;
	case 4: return next();
	case 5: return 0xffffffffu;
	case 6: return FUZZ_VA + ((r >> 8) % FUZZ_PAGES) * PAGE_SIZE + ((r >> 20) & MAP_FLAG_Guaranteed);
	case 7: return 0x80000000u | next();
	case 8: return (r & 0x100) ? exos_key.hi : exos_key.lo;
	default: return ((r >> 8) % (exos_nframes + 4)) << 12 | (next() & 0xf00);
	}
}

/* A kuseg address moved into the scratch region; kernel addresses unchanged. */
static uint32_t scratch(uint32_t va)
{
	if (va >= 0x80000000u)
		return va;
	return FUZZ_VA + ((va >> 12) % FUZZ_PAGES) * PAGE_SIZE + (va & PAGE_MASK);
}

/* An address set_savearea must refuse. */
static uint32_t bad_save(uint32_t v)
{
	switch (v % 4) {
	case 0: return 0x80000000u | v;
	case 1: return v | 1;
	case 2: return (v & ~PAGE_MASK) | 0xff0;
	default: return 0;
	}
}

/* Applies the exclusions (see the top) to call num; returns 0 to draw again. */
static int shape(uint32_t num, uint32_t *a)
{
	int coin = next() & 1;

	switch (num) {
	case SYS_Null:
	case SYS_GetEnvId:
	case SYS_TlbRead:
	case SYS_Yield:
		break;
	case SYS_Cputs:
	case SYS_Cgets:
		if (a[0] < 0x80000000u)
			a[1] = 0;
		break;
	case SYS_FrameAlloc:
		if (coin)
			a[1] = exos_key.lo, a[2] = exos_key.hi;
		break;
	case SYS_FrameFree:
	case SYS_FrameRekey:
		return !(a[0] < exos_nframes && FRAME_OWNER(a[0]) == (uint32_t)exos_envid && !held(a[0]));
	case SYS_FrameGrant:
		if (coin)
			a[1] = next() % 4;
		break;
	case SYS_TlbMap:
		if (coin)
			a[2] = exos_key.lo, a[3] = exos_key.hi;
		if (next() & 1)
			a[0] &= ~PAGE_MASK | MAP_FLAG_Guaranteed;
		if ((next() & 1) && nframes_held)
			a[1] = frames[next() % nframes_held] << 12 | ENTRYLO_V | (next() & ENTRYLO_D);
		/* fall through */
	case SYS_TlbUnmap:
		a[0] = scratch(a[0]);
		break;
	case SYS_SetHandler:
		if (a[0] >= 1 && a[0] <= 12)
			a[1] = (uint32_t)exos_upcall;
		break;
	case SYS_SetSaveArea:
		a[0] = bad_save(a[0]);
		break;
	default:
		return num >= SYS_COUNT;	/* exit, or a call we do not know */
	}
	return 1;
}

/* Owner of frame f before a call, or 0 when f names no frame. */
static uint32_t owner(uint32_t f)
{
	return f < exos_nframes ? FRAME_OWNER(f) : 0;
}

/* Counts one call and looks for results that must not happen. */
static void account(uint32_t num, const uint32_t *a, int r, uint32_t owner_before)
{
	uint32_t me = (uint32_t)exos_envid, call = num < SYS_COUNT ? num : SYS_COUNT;

	by_call[call][0]++;
	by_call[call][1] += r >= 0;
	by_result[r >= 0 ? 0 : -r < RESULTS - 1 ? -r : RESULTS - 1]++;
	if (r < 0)
		return;
	if (num == SYS_FrameAlloc)
		hold((uint32_t)r);
	if (num == SYS_FrameFree)
		let_go(a[0]);
	if (num == SYS_SetSaveArea) {
		breaches++;
		sys_set_savearea((uint32_t)&exos_save);
	}
	if ((num == SYS_FrameFree || num == SYS_FrameRekey || num == SYS_FrameGrant) &&
	    owner_before != me)
		breaches++;
	if (num == SYS_TlbMap && (owner(a[1] >> 12) != me || a[0] >= 0x80000000u))
		breaches++;
}

static void summary(uint32_t count, uint32_t seed)
{
	uint32_t i;

	printf("fuzz: %u calls from seed %u\n", count, seed);
	for (i = 0; i <= SYS_COUNT; i++)
		if (by_call[i][0])
			printf("  %-14s %7u calls %7u ok\n", i < SYS_COUNT ? call_names[i] : "(no such call)",
			       by_call[i][0], by_call[i][1]);
	for (i = 0; i < RESULTS; i++)
		if (by_result[i])
			printf("  %-14s %7u\n", i == 0 ? "ok" : i < RESULTS - 1 ? exos_errname(-(int)i) : "other",
			       by_result[i]);
}

/* Unmaps the scratch region, frees the frames, and uses the heap: ExOS must still work. */
static int cleanup(void)
{
	uint32_t i, *p, sum = 0;

	for (i = 0; i < FUZZ_PAGES; i++)
		sys_tlb_unmap(FUZZ_VA + i * PAGE_SIZE);
	while (nframes_held)
		sys_frame_free(frames[--nframes_held]);
	p = malloc(4 * PAGE_SIZE);
	if (!p)
		return -1;
	for (i = 0; i < PAGE_SIZE; i++)
		p[i] = i;
	for (i = 0; i < PAGE_SIZE; i++)
		sum += p[i];
	free(p);
	return sum == PAGE_SIZE / 2 * (PAGE_SIZE - 1) ? 0 : -1;
}

int fuzz(uint32_t count, uint32_t seed)
{
	uint32_t n, num, a[4], before;
	int r;

	rng = seed ? seed : 1;
	for (n = 0; n < count;) {
		if (next() % 16 == 0) {
			/* One in 16: a call to or with another environment (attacker-peer.c). */
			peer_call(next());
			n++;
			continue;
		}
		num = next();
		num = num % 8 ? (num >> 3) % (SYS_COUNT + 2) : next();
		a[0] = arg(), a[1] = arg(), a[2] = arg(), a[3] = arg();
		if (!shape(num, a))
			continue;
		before = owner(a[0]);
		r = sys_call(a[0], a[1], a[2], a[3], num);
		account(num, a, r, before);
		n++;
	}
	summary(count, seed);
	peer_done();
	r = cleanup();
	printf("fuzz: %u breaches; ExOS %s\n", breaches, r ? "is BROKEN" : "still works");
	return breaches ? 1 : r ? 2 : 0;
}
