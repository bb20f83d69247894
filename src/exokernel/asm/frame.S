/*
 * frame.S: a frame changing hands when an environment is made or
 * destroyed (env.ts createEnv's ownFrame, destroyEnv), besides zeroing it
 * (copy.S kzero, charged apart by scrub.ts).
 *
 * frame_claim: a0 = the new environment, a1 = the page to bind, a2 =
 * EntryLo's D and V bits. Takes the lowest free frame at or above the
 * free hint (frames.ts alloc, lowestFree), writes its table entry (owner,
 * the environment's key, read-write) and the entry user level maps
 * (owner, guaranteed: abi.ts FrameEntry), moves the hint past it, and
 * binds it as a guaranteed mapping in the page's slot of the
 * environment's table (the slot refill.S reads: VPN & 63). Returns the
 * frame in v0, or -1 when none is free (createEnv checked there are
 * enough: limits.ts). Costs.FRAME_CLAIM is its cycles when the frame at
 * the hint is free, as it is while an environment's frames are claimed
 * one after another.
 *
 * frames_free: a0 = the environment, a1 = a list of the frames it owns,
 * a2 = how many. Per frame: its table entry and its mirror entry cleared
 * (free, no key, no rights, not guaranteed) and the hint lowered to it if
 * below (frames.ts free; min without a branch, so every frame costs the
 * same). Its bindings by the environment go with the environment, once:
 * its ASID's TLB and STLB entries (bindings.ts flushAsid) and its table
 * of guaranteed mappings. Costs.FRAME_FREE is the cycles of a turn: the
 * test measures the loop at several counts and checks the linear form.
 */
#include "aegis.h"

	.text
	.set	noreorder
	.globl	frame_claim
frame_claim:
	lui	$t9, %hi(kdata)
	lw	$t0, %lo(kdata+KD_FREEHINT)($t9)	/* the first frame that may be free */
	lw	$t1, %lo(kdata+KD_NFRAMES)($t9)
	lw	$t2, %lo(kdata+KD_FRAMES)($t9)
	sll	$t3, $t0, 4			/* FR_SIZE */
	addu	$t3, $t2, $t3			/* its entry */
1:	sltu	$t4, $t0, $t1
	beq	$t4, $zero, 9f			/* past the last frame: none free */
	lw	$t5, FR_OWNER($t3)
	addiu	$t0, $t0, 1
	bne	$t5, $zero, 1b			/* owned: the next */
	addiu	$t3, $t3, FR_SIZE
	/* Frame t0 - 1 is free; its entry is at t3 - FR_SIZE. */
	lw	$t4, ENV_ID($a0)
	lw	$t5, ENV_KEYLO($a0)
	lw	$t6, ENV_KEYHI($a0)
	addiu	$t7, $zero, RIGHTS_RW
	sw	$t4, FR_OWNER-FR_SIZE($t3)
	sw	$t5, FR_KEYLO-FR_SIZE($t3)
	sw	$t6, FR_KEYHI-FR_SIZE($t3)
	sw	$t7, FR_RIGHTS-FR_SIZE($t3)
	sw	$t0, %lo(kdata+KD_FREEHINT)($t9)	/* every frame below it is owned */
	addiu	$v0, $t0, -1			/* the frame */
	/* The entry user level maps: owner, no grants, guaranteed. */
	lw	$t1, %lo(kdata+KD_FMIRROR)($t9)
	sll	$t2, $v0, 2
	addu	$t1, $t1, $t2
	andi	$t4, $t4, FE_OWNER_MASK
	lui	$t2, %hi(FE_GUARANTEED)
	or	$t2, $t2, $t4
	sw	$t2, 0($t1)
	/* Bind it: the page's guaranteed slot, tag = the page, EntryLo = frame | D, V. */
	lw	$t1, ENV_GTAB($a0)
	andi	$t2, $a1, 63
	sll	$t2, $t2, 3
	addu	$t1, $t1, $t2
	sll	$t2, $a1, 12
	sw	$t2, 0($t1)
	sll	$t3, $v0, 12
	or	$t3, $t3, $a2
	jr	$ra
	sw	$t3, 4($t1)
9:	jr	$ra
	addiu	$v0, $zero, -1

	.globl	frames_free
frames_free:
	lui	$t9, %hi(kdata)
	lw	$t8, %lo(kdata+KD_FREEHINT)($t9)
	lw	$t7, %lo(kdata+KD_FRAMES)($t9)
	lw	$t6, %lo(kdata+KD_FMIRROR)($t9)
	sll	$a2, $a2, 2
	addu	$a2, $a1, $a2			/* the list's end */
	beq	$a1, $a2, 2f
	nop
1:	lw	$t0, 0($a1)			/* a frame */
	addiu	$a1, $a1, 4
	sll	$t1, $t0, 4			/* FR_SIZE */
	addu	$t1, $t7, $t1			/* its entry */
	sw	$zero, FR_OWNER($t1)
	sw	$zero, FR_KEYLO($t1)
	sw	$zero, FR_KEYHI($t1)
	sw	$zero, FR_RIGHTS($t1)
	sll	$t2, $t0, 2
	addu	$t2, $t6, $t2
	sw	$zero, 0($t2)			/* its mirror entry: free */
	sltu	$t3, $t0, $t8			/* below the hint? */
	subu	$t4, $t0, $t8
	negu	$t3, $t3			/* all ones when below */
	and	$t4, $t4, $t3
	bne	$a1, $a2, 1b
	addu	$t8, $t8, $t4			/* hint = min(hint, frame) */
2:	jr	$ra
	sw	$t8, %lo(kdata+KD_FREEHINT)($t9)
