/*
 * revoke.c: the Revoke and Repossess upcalls and ExOS's policy for giving
 * frames back (revoke.h has the policy and the protocol).
 */
#include "revoke.h"
#include "sched.h"

struct exos_revoke_event exos_revoke_log[EXOS_REVOKE_LOG];
struct exos_revoke_stats exos_revoke_stats;

static exos_revoke_fn *policy = exos_revoke_default;

static void record(uint32_t what, uint32_t frame, uint32_t va)
{
	struct exos_revoke_event *e = &exos_revoke_log[exos_revoke_stats.events++ % EXOS_REVOKE_LOG];

	e->what = what;
	e->frame = frame;
	e->va = va;
}

const char *exos_revoke_whatname(uint32_t what)
{
	static const char *const names[] = {
		"?", "clean", "written", "taken", "taken unbound", "slice taken",
	};

	return what < sizeof names / sizeof names[0] ? names[what] : "?";
}

/*
 * Gives back up to `want` pages of [lo, hi), highest first: the PTE_ZERO
 * ones, or (written) the others ExOS allocated. With `requested` it stops
 * as soon as the kernel no longer asks (Repo.REQ_KIND is cleared when the
 * request is honoured or the abort protocol has run). Returns how many.
 */
static uint32_t give_range(uint32_t lo, uint32_t hi, uint32_t want, int written, int requested)
{
	uint32_t va, pte, given = 0;
	int clean;

	for (va = hi; va > lo && given < want;) {
		va -= PAGE_SIZE;
		pte = vm_lookup(va);
		clean = (pte & PTE_ZERO) != 0;
		if (!(pte & PTE_OWN) || !(pte & ENTRYLO_V) || clean == written)
			continue;
		if (requested && REPO_WORD(REPO_REQ_KIND) != REVOKE_KIND_Frames)
			break;
		vm_forget(va);
		if (sys_frame_free(pte >> 12) < 0)
			continue;	/* not ours any more: the abort protocol took it; forgotten */
		record(written ? REVOKED_WRITTEN : REVOKED_CLEAN, pte >> 12, va);
		if (written)
			exos_revoke_stats.given_written++;
		else
			exos_revoke_stats.given_clean++;
		given++;
	}
	return given;
}

/* The policy (revoke.h); `requested`: only while the kernel still asks. */
static uint32_t give_frames(uint32_t count, int requested)
{
	uint32_t brk = ((uint32_t)sbrk(0) + PAGE_MASK) & ~PAGE_MASK, n;

	n = give_range(LAYOUT_HEAP, brk, count, 0, requested);
	n += give_range(EXOS_STACK_MIN, LAYOUT_STACK_TOP, count - n, 0, requested);
	n += give_range(LAYOUT_HEAP, brk, count - n, 1, requested);
	return n;
}

uint32_t exos_give_frames(uint32_t count)
{
	return give_frames(count, 0);
}

uint32_t exos_revoke_default(uint32_t kind, uint32_t count)
{
	uint32_t n;

	if (kind == REVOKE_KIND_Frames)
		return give_frames(count, 1);
	if (kind == REVOKE_KIND_Slices) {
		n = exos_give_slices(count);
		exos_revoke_stats.slices_given += n;
		return n;
	}
	return 0;
}

/* The Revoke upcall (upcall.S): a0 = the kind, a1 = how many. */
void exos_revoke_upcall(struct exos_save *s, struct exos_trapframe *tf, uint32_t kind, uint32_t count)
{
	(void)s;
	(void)tf;
	exos_revoke_stats.requests++;
	exos_revoke_stats.window = REPO_WORD(REPO_REQ_WINDOW);
	if (kind == REVOKE_KIND_Frames)
		exos_revoke_stats.frames_asked += count;
	else if (kind == REVOKE_KIND_Slices)
		exos_revoke_stats.slices_asked += count;
	policy(kind, count);
}

/*
 * Repairs the page table for a frame the abort protocol took, bound at va:
 * if our PTE for va still names the frame and the frame is no longer ours,
 * the PTE goes, so the page is made again on demand.
 */
static void repair(uint32_t frame, uint32_t va)
{
	uint32_t pte;

	va &= ~PAGE_MASK;
	if (!va) {
		record(REVOKED_TAKEN_UNBOUND, frame, 0);
		return;
	}
	pte = vm_lookup(va);
	if ((pte & PTE_OWN) && (pte >> 12) == frame && FRAME_OWNER(frame) != (uint32_t)exos_envid) {
		vm_forget(va);
		exos_revoke_stats.taken_pages++;
	}
	record(REVOKED_TAKEN, frame, va);
}

/*
 * The Repossess upcall (upcall.S): a0 = frames taken, a1 = slices taken.
 * abi.ts does not say how the vector orders frames and slots: ExOS takes
 * its first `frames` entries as frames and the next `slices` as slots,
 * and an entry's second word as a page address. Entries are handled so
 * that seeing one twice does no harm.
 */
void exos_repossess_upcall(struct exos_save *s, struct exos_trapframe *tf, uint32_t frames, uint32_t slices)
{
	uint32_t n = REPO_WORD(REPO_TAKEN_COUNT), k, first, second;

	(void)s;
	(void)tf;
	exos_revoke_stats.repossessions++;
	exos_revoke_stats.taken_frames += frames;
	exos_revoke_stats.taken_slices += slices;
	if (n > REPO_TAKEN_MAX)
		n = REPO_TAKEN_MAX;
	for (k = 0; k < n && k < frames + slices; k++) {
		first = REPO_WORD(REPO_TAKEN + k * REPO_TAKEN_ENTRY);
		second = REPO_WORD(REPO_TAKEN + k * REPO_TAKEN_ENTRY + 4);
		if (k < frames) {
			repair(first, second);
		} else {
			exos_slice_forget(first);
			record(REVOKED_SLICE_TAKEN, first, 0);
		}
	}
}

int exos_revoke_init(exos_revoke_fn *fn)
{
	int r;

	policy = fn ? fn : exos_revoke_default;
	vm_revocable = 1;
	r = sys_set_upcall(UPCALL_Repossess, (uint32_t)exos_repossess_entry);
	if (r < 0)
		return r;
	return sys_set_upcall(UPCALL_Revoke, (uint32_t)exos_revoke_entry);
}
