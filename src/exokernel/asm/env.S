/*
 * env.S: an environment's bookkeeping as it is made and destroyed (env.ts
 * createEnv, destroyEnv), besides its frames (frame.S: FRAME_CLAIM a frame
 * given, FRAME_FREE a frame freed) and zeroing them (copy.S kzero).
 *
 * env_create: a0 = its record (kseg0, with ENV_GTAB and ENV_CTX pointing
 * at its table of guaranteed mappings and its context block), a1 = its id,
 * a2 = its info frame, a3 = its repository frame; on the stack (o32's
 * fifth to seventh arguments) its entry pc and the key keys.ts issued it
 * (low, high). Enters it in envtab; fills its record (runnable, no ASID
 * until it first runs: sched.ts, no save area, no upcall entries, no
 * penalty, its key); clears its 32 exception handlers, its context block
 * (with sp at the stack top: env.ts createEnv) and the 64 tags of its
 * guaranteed table; binds its info page and repository page read-only,
 * and then each page of the frame table's mirror (KD_FTPAGES of them:
 * the loop at the end, Costs.ENV_FT_PAGE a page); writes the info page's
 * fixed words (abi.ts Info: id, ASID, key, frames, the LANCE's address).
 * Costs.ENV_CREATE is its cycles with no frame-table page.
 *
 * Not in it, as the TypeScript kernel charges nothing for them either:
 * issuing the key and seed (keys.ts, SipHash), the argument strings of
 * the info page, and the time slices (slices.ts).
 *
 * env_destroy: a0 = the record, a1 = a list of the frames it owns, a2 =
 * how many. Frees them (frame.S frames_free), takes it out of envtab and
 * marks it free, and, when it has an ASID, forgets every mapping made
 * under it (bindings.ts flushAsid): each of the 64 TLB entries is read
 * and written back, invalid where its ASID is the environment's (tlbr,
 * tlbwi: R3000 manual, "TLB instructions"), and each of the STLB's 4096
 * slots is emptied where its tag's ASID is; both without a branch on the
 * match, so the cost does not depend on what was mapped. With no frame
 * (each is Costs.FRAME_FREE more) it takes Costs.ENV_DESTROY cycles for an
 * environment without an ASID, and ASID_FLUSH more for one with.
 */
#include "aegis.h"

	.text
	.set	noreorder
	.globl	env_create
env_create:
	lw	$t8, 16($sp)			/* entry */
	lw	$v0, 20($sp)			/* key, low */
	lw	$v1, 24($sp)			/* key, high */
	lui	$t1, %hi(envtab)
	sll	$t0, $a1, 2
	addu	$t1, $t1, $t0
	sw	$a0, %lo(envtab)($t1)
	addiu	$t0, $zero, ENV_RUNNABLE
	sw	$a1, ENV_ID($a0)
	sw	$t0, ENV_STATE($a0)
	sw	$zero, ENV_ASID($a0)
	sw	$zero, ENV_SAVEK($a0)
	sw	$zero, ENV_SAVEVA($a0)
	sw	$t8, ENV_PC($a0)
	sw	$zero, ENV_WAITON($a0)
	sw	$zero, ENV_PROLOGUE($a0)
	sw	$zero, ENV_EPILOGUE($a0)
	sw	$zero, ENV_PCTENTRY($a0)
	sw	$zero, ENV_RESUME($a0)
	sw	$zero, ENV_PENALTY($a0)
	sw	$v0, ENV_KEYLO($a0)
	sw	$v1, ENV_KEYHI($a0)
	/* Its exception handlers: 32 words, eight a turn. */
	addiu	$t0, $a0, ENV_HANDLERS
	addiu	$t1, $t0, 128
1:	sw	$zero, 0($t0)
	sw	$zero, 4($t0)
	sw	$zero, 8($t0)
	sw	$zero, 12($t0)
	sw	$zero, 16($t0)
	sw	$zero, 20($t0)
	sw	$zero, 24($t0)
	addiu	$t0, $t0, 32
	bne	$t0, $t1, 1b
	sw	$zero, -4($t0)
	/* Its context block: 36 words, six a turn; then sp. */
	lw	$t2, ENV_CTX($a0)
	nop
	addiu	$t1, $t2, CTX_SIZE
	move	$t0, $t2
2:	sw	$zero, 0($t0)
	sw	$zero, 4($t0)
	sw	$zero, 8($t0)
	sw	$zero, 12($t0)
	sw	$zero, 16($t0)
	addiu	$t0, $t0, 24
	bne	$t0, $t1, 2b
	sw	$zero, -4($t0)
	lui	$t0, %hi(VA_STACK_TOP)
	sw	$t0, 4*29($t2)
	/* Its guaranteed table: 64 (tag, EntryLo) slots, the tags empty, eight a turn. */
	lw	$t2, ENV_GTAB($a0)
	lui	$t3, %hi(TAG_EMPTY)
	addiu	$t1, $t2, 64*8
	move	$t0, $t2
3:	sw	$t3, 0($t0)
	sw	$t3, 8($t0)
	sw	$t3, 16($t0)
	sw	$t3, 24($t0)
	sw	$t3, 32($t0)
	sw	$t3, 40($t0)
	sw	$t3, 48($t0)
	addiu	$t0, $t0, 64
	bne	$t0, $t1, 3b
	sw	$t3, -8($t0)
	/* The info page and the repository, read-only (V, not D). */
	lui	$t4, %hi(VA_INFO)
	sw	$t4, ((VA_INFO >> 12) & 63) * 8($t2)
	sll	$t5, $a2, 12
	ori	$t5, $t5, LO_V
	sw	$t5, ((VA_INFO >> 12) & 63) * 8 + 4($t2)
	lui	$t4, %hi(VA_REPO)
	sw	$t4, ((VA_REPO >> 12) & 63) * 8($t2)
	sll	$t5, $a3, 12
	ori	$t5, $t5, LO_V
	sw	$t5, ((VA_REPO >> 12) & 63) * 8 + 4($t2)
	/* The info page's fixed words, through kseg0. */
	lui	$t9, %hi(kdata)
	sll	$t6, $a2, 12
	lui	$t4, 0x8000
	or	$t6, $t6, $t4			/* the info page, kseg0 */
	lw	$t4, %lo(kdata+KD_NFRAMES)($t9)
	lw	$t5, %lo(kdata+KD_MAC)($t9)
	lw	$t7, %lo(kdata+KD_MAC+4)($t9)
	sw	$a1, INFO_ENVID($t6)
	sw	$zero, INFO_ASID($t6)
	sw	$v0, INFO_KEY_LO($t6)
	sw	$v1, INFO_KEY_HI($t6)
	sw	$t4, INFO_NFRAMES($t6)
	sw	$t5, INFO_MAC($t6)
	sw	$t7, INFO_MAC+4($t6)
	/* The frame table's pages, read-only: KD_FTPAGES of them from KD_FTFIRST, at VA_FRAMES on. */
	lw	$t0, %lo(kdata+KD_FTPAGES)($t9)
	lw	$t1, %lo(kdata+KD_FTFIRST)($t9)
	beq	$t0, $zero, 5f
	lui	$t3, %hi(VA_FRAMES)		/* the page's address */
4:	srl	$t4, $t3, 12
	andi	$t4, $t4, 63
	sll	$t4, $t4, 3
	addu	$t4, $t2, $t4			/* its slot */
	sll	$t5, $t1, 12
	ori	$t5, $t5, LO_V
	sw	$t3, 0($t4)
	sw	$t5, 4($t4)
	addiu	$t0, $t0, -1
	addiu	$t1, $t1, 1
	bne	$t0, $zero, 4b
	addiu	$t3, $t3, 4096
5:	jr	$ra
	nop

	.globl	env_destroy
env_destroy:
	move	$v1, $ra			/* frames_free keeps a0 and v1 */
	jal	frames_free
	nop
	lw	$t1, ENV_ID($a0)
	lw	$t0, ENV_ASID($a0)		/* asid << 6 */
	sll	$t1, $t1, 2
	lui	$t2, %hi(envtab)
	addu	$t2, $t2, $t1
	sw	$zero, %lo(envtab)($t2)
	sw	$zero, ENV_ASID($a0)
	beq	$t0, $zero, 9f			/* it never ran: nothing mapped under an ASID */
	sw	$zero, ENV_STATE($a0)		/* ENV_FREE */
	/* The TLB: each entry read; written back as it was, or invalid
	   (EntryLo 0, EntryHi a kseg0 page of its own) when its ASID is a0's. */
	mfc0	$t9, C0_ENTRYHI			/* the running ASID, kept */
	addiu	$t8, $zero, 63 << 8		/* Index of the last entry */
	lui	$t7, 0x8000
6:	mtc0	$t8, C0_INDEX
	nop
	tlbr
	nop
	mfc0	$t1, C0_ENTRYHI
	mfc0	$t2, C0_ENTRYLO
	andi	$t3, $t1, 0xfc0
	xor	$t3, $t3, $t0
	sltiu	$t3, $t3, 1
	negu	$t3, $t3			/* all ones: its ASID */
	sll	$t4, $t8, 4
	or	$t4, $t4, $t7			/* kseg0 page: Index << 12 */
	xor	$t4, $t4, $t1
	and	$t4, $t4, $t3
	xor	$t1, $t1, $t4			/* EntryHi, or the kseg0 page */
	nor	$t3, $t3, $zero
	and	$t2, $t2, $t3			/* EntryLo, or 0 */
	mtc0	$t1, C0_ENTRYHI
	mtc0	$t2, C0_ENTRYLO
	nop
	tlbwi
	bne	$t8, $zero, 6b
	addiu	$t8, $t8, -(1 << 8)
	mtc0	$t9, C0_ENTRYHI
	/* The STLB: a slot whose tag's ASID is a0's gets the empty tag. */
	lui	$t1, %hi(stlb)
	addiu	$t1, $t1, %lo(stlb)
	ori	$t2, $zero, 4096*8		/* past addiu's signed 16 bits */
	addu	$t2, $t1, $t2			/* its end */
	lui	$t7, %hi(TAG_EMPTY)
7:	lw	$t3, 0($t1)
	addiu	$t1, $t1, 8
	andi	$t4, $t3, 0xfc0
	xor	$t4, $t4, $t0
	sltiu	$t4, $t4, 1
	negu	$t4, $t4
	xor	$t5, $t3, $t7
	and	$t5, $t5, $t4
	xor	$t3, $t3, $t5
	bne	$t1, $t2, 7b
	sw	$t3, -8($t1)
9:	jr	$v1
	nop
