/*
 * revoke.h: ExOS's side of visible revocation and of the abort protocol
 * (Aegis paper, sec. 3.4; reference exokernel.md, "Revocation"; abi.ts:
 * Upcall.Revoke, Upcall.Repossess, Repo), in upcall.S, revoke.c and
 * slice.c.
 *
 * The kernel asks for frames (or slices) back with a Revoke upcall: the
 * library OS, not the kernel, chooses which to lose, frees them and fixes
 * its page table before the deadline. A library OS that does not comply
 * loses frames to the abort protocol, which breaks their bindings, lists
 * them in the repossession vector and sends a Repossess upcall; ExOS then
 * drops the PTEs of the pages it lost, so that they are made again on
 * demand (their contents are gone) instead of being bound to a frame that
 * is someone else's now.
 *
 * The policy for frames (exos_give_frames). ExOS has no backing store, so
 * a page can be given up for nothing only when it can be made again
 * exactly. In this order, until enough are given:
 *   1. demand-zero pages never written since they were made (PTE_ZERO):
 *      they read as zeros and will again; heap first, then stack, highest
 *      address first. Nothing is lost.
 *   2. written heap pages, highest address first: their contents are lost
 *      and they read as zeros when next touched. Each is logged, so the
 *      program can tell.
 * Never given: written stack pages (the interrupted code is using them),
 * pages the program mapped itself with vm_map, frames ExOS did not
 * allocate, and guaranteed mappings (the image with .bss, the kernel's
 * stack pages, page tables), which the kernel does not take either. When
 * the two classes are not enough, ExOS gives what it has and the abort
 * protocol takes the rest. Slices: exos_give_slices (sched.h).
 *
 * The handlers run like exception handlers: on the exception stack, busy
 * set, touching only the page tables and .bss.
 */
#ifndef EXOS_REVOKE_H
#define EXOS_REVOKE_H

#include "exos.h"

/* A word of the repossession page (read-only). */
#define REPO_WORD(off)	(*(volatile const uint32_t *)(LAYOUT_REPO + (off)))

#ifndef __ASSEMBLER__

/* What happened to a page, frame or slot (struct exos_revoke_event's what). */
enum exos_revoke_what {
	REVOKED_CLEAN = 1,	/* a never-written page given back: nothing lost */
	REVOKED_WRITTEN,	/* a written heap page given back: contents lost */
	REVOKED_TAKEN,		/* the abort protocol took the frame of a mapped page */
	REVOKED_TAKEN_UNBOUND,	/* the abort protocol took a frame no page of ours was bound to */
	REVOKED_SLICE_TAKEN,	/* the abort protocol took a slice (frame = slot) */
};

struct exos_revoke_event {
	uint32_t what;		/* enum exos_revoke_what */
	uint32_t frame;		/* or the slot */
	uint32_t va;		/* the page, 0 when none */
};

/* The last EXOS_REVOKE_LOG events: event n is exos_revoke_log[n % EXOS_REVOKE_LOG]. */
#define EXOS_REVOKE_LOG	256
extern struct exos_revoke_event exos_revoke_log[EXOS_REVOKE_LOG];

struct exos_revoke_stats {
	uint32_t requests;	/* Revoke upcalls */
	uint32_t frames_asked;	/* frames they asked for, in all */
	uint32_t slices_asked;
	uint32_t window;	/* the last request's window in cycles (Repo.REQ_WINDOW) */
	uint32_t given_clean;	/* frames given back, by class */
	uint32_t given_written;
	uint32_t slices_given;
	uint32_t repossessions;	/* Repossess upcalls */
	uint32_t taken_frames;	/* frames and slices the abort protocol took */
	uint32_t taken_slices;
	uint32_t taken_pages;	/* mapped pages dropped from the page table for them */
	uint32_t events;	/* events logged so far */
};
extern struct exos_revoke_stats exos_revoke_stats;

/*
 * A revocation policy: called by the Revoke upcall with the kind
 * (REVOKE_KIND_*) and how many; returns how many it gave back.
 */
typedef uint32_t exos_revoke_fn(uint32_t kind, uint32_t count);

/*
 * Takes part in revocation: turns vm_revocable on (so call it before the
 * pages it should judge are made), registers the Repossess upcall and the
 * Revoke upcall with `fn` as the policy (0: exos_revoke_default). Returns 0
 * or the kernel's error.
 */
int exos_revoke_init(exos_revoke_fn *fn);

/*
 * The default policy: for frames, exos_give_frames's order, stopping when
 * the kernel stops asking (the request was honoured, or the abort protocol
 * ran while the handler worked); for slices, exos_give_slices.
 */
uint32_t exos_revoke_default(uint32_t kind, uint32_t count);

/* Gives back up to `count` frames by the policy above; returns how many. */
uint32_t exos_give_frames(uint32_t count);

/* "clean", "written", "taken", "taken unbound", "slice taken". */
const char *exos_revoke_whatname(uint32_t what);

/* The upcall entries (upcall.S) and their C halves (revoke.c). */
void exos_revoke_entry(void);
void exos_repossess_entry(void);
void exos_revoke_upcall(struct exos_save *s, struct exos_trapframe *tf, uint32_t kind, uint32_t count);
void exos_repossess_upcall(struct exos_save *s, struct exos_trapframe *tf, uint32_t frames, uint32_t slices);

#endif /* __ASSEMBLER__ */
#endif
