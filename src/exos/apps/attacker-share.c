/*
 * attacker-share.c: frames shared read-write between environments of the
 * several-environment fuzzer, and the check that only their holders wrote
 * to them (docs/protection.md: fuzzers store through a peer's frame).
 *
 * An owner allocates a frame, grants a fresh random key read-write on it
 * and hands (frame, key) to a peer through the PCT server
 * (attacker-peer.c). A peer that gets it binds it writable at SHARE_VA
 * with that key and stores one word, its tag, in its own slot: word
 * (its environment id % SHARE_SLOTS) of the page. A tag is a hash of the
 * writer's slot, the frame and the key the writer used, so the owner, who
 * knows the frame and the key it gave out, can tell for every word of the
 * page which value a holder of the key may have put there: zero (no one
 * did), or the tag of the environment whose slot it is. Anything else is
 * an integrity break: a store through a binding the kernel should have
 * taken away (the frame freed, taken back by the abort protocol, or
 * granted under another key since) carries another frame's or key's tag,
 * or lands in someone else's page; a store through a forged key is one
 * the owner never gave out. Frames are zeroed before a new owner can bind
 * them, so a page starts all zero.
 */
#include "attacker.h"

/* A nonzero 32-bit mix of the writer's slot, the frame and the key (the last steps of murmur3's finalizer). */
uint32_t share_tag(uint32_t slot, uint32_t frame, uint32_t klo, uint32_t khi)
{
	uint32_t h = slot * 0x9e3779b1u ^ frame * 0x85ebca6bu ^ klo ^ (khi * 0xc2b2ae35u);

	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h | 1;
}

/*
 * Stores our tag for (frame, key) through the binding at SHARE_VA. Returns
 * 1 when the store went through, 0 when it faulted (the binding is gone:
 * evicted, or taken away by the kernel).
 */
int share_store(uint32_t frame, uint32_t klo, uint32_t khi)
{
	uint32_t slot = (uint32_t)exos_envid % SHARE_SLOTS;

	return probe_store(SHARE_VA + 4 * slot, share_tag(slot, frame, klo, khi)) == 0;
}

/*
 * Binds (frame, key), a peer's offer, writable at SHARE_VA and stores our
 * tag through it. Returns -1 when the kernel refused the binding (the
 * offer was freed, taken back or rekeyed since), 1 when bound and stored,
 * 0 when bound but the store faulted (evicted before it). The binding is
 * left in place until share_drop().
 */
int share_take(uint32_t frame, uint32_t klo, uint32_t khi)
{
	if (sys_tlb_map(SHARE_VA, (frame << 12) | ENTRYLO_D | ENTRYLO_V, klo, khi) != 0)
		return -1;
	return share_store(frame, klo, khi);
}

void share_drop(void)
{
	sys_tlb_unmap(SHARE_VA);
}

/*
 * Checks our own shared frame `frame`, granted under (klo, khi): binds it
 * at SHARE_OWN_VA with our key and reads every word. Returns the number of
 * words that hold neither zero nor their slot's tag (integrity breaks;
 * the first few printed, prefixed with `who`), and adds the tags found to
 * *writers; -1 when the frame is no longer ours to bind (taken back by the
 * abort protocol) or a read faulted (the binding was evicted: no verdict).
 */
int share_check(const char *who, uint32_t frame, uint32_t klo, uint32_t khi, uint32_t *writers)
{
	uint32_t i, w, found = 0;
	int bad = 0;

	if (sys_tlb_map(SHARE_OWN_VA, (frame << 12) | ENTRYLO_V, exos_key.lo, exos_key.hi) != 0)
		return -1;
	for (i = 0; i < SHARE_SLOTS; i++) {
		if (probe_load(SHARE_OWN_VA + 4 * i, &w) != 0) {
			bad = -1;
			break;
		}
		if (w == 0)
			continue;
		if (w == share_tag(i, frame, klo, khi)) {
			found++;
			continue;
		}
		if (bad < 4)
			printf("%s: frame %u word %u is 0x%08x, not the tag of environment %u under our key\n", who, frame, i, w, i);
		bad++;
	}
	sys_tlb_unmap(SHARE_OWN_VA);
	if (bad >= 0)
		*writers += found;
	return bad;
}
