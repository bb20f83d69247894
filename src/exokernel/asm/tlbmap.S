/*
 * tlbmap.S: the body of tlb_map (syscalls.ts tlbMap), the secure binding
 * check (Aegis paper, sec. 3.1 and 5.3): a0 = page | flags, a1 = EntryLo,
 * a2/a3 = the 64-bit key. Check the flags, that the page is a user page,
 * that EntryLo is valid and not global, that the frame exists, that the
 * key is the frame's capability (its first access-list entry: the measured
 * path) and grants write if D is set; then drop any old TLB entry for the
 * page (tlbp, tlbwi), write the new one (tlbwr) and the STLB slot.
 *
 * Measured from sys_tlbmap to its return, a binding that passes every
 * check: Costs.TLB_MAP (charged on top of Costs.SYSCALL).
 */
#include "aegis.h"

	.text
	.set	noreorder
	.globl	sys_tlbmap
sys_tlbmap:
	andi	$t0, $a0, 0xffe			/* flags but Guaranteed (bit 0) */
	bnez	$t0, map_inval
	srl	$t1, $a1, 12			/* frame (delay slot) */
	bltz	$a0, map_inval			/* not a kuseg page */
	andi	$t0, $a1, LO_G | LO_V
	xori	$t0, $t0, LO_V
	bnez	$t0, map_inval			/* G set or V clear */
	lui	$t2, %hi(kdata)
	lw	$t3, %lo(kdata+KD_NFRAMES)($t2)
	lw	$t4, %lo(kdata+KD_FRAMES)($t2)
	sltu	$t3, $t1, $t3
	beqz	$t3, map_inval			/* no such frame */
	sll	$t1, $t1, 4			/* FR_SIZE */
	addu	$t4, $t4, $t1			/* its frame table entry */
	lw	$t0, FR_KEYLO($t4)
	lw	$t1, FR_KEYHI($t4)
	bne	$t0, $a2, map_cap
	lw	$t3, FR_RIGHTS($t4)
	bne	$t1, $a3, map_cap
	andi	$t0, $a1, LO_D
	beqz	$t0, 1f				/* read-only: any right will do */
	andi	$t3, $t3, RIGHTS_WRITE
	beqz	$t3, map_perm			/* D set without write */
	nop
1:	lw	$t4, %lo(kdata+KD_CURENV)($t2)
	srl	$t0, $a0, 12
	lw	$t4, ENV_ASID($t4)
	sll	$t0, $t0, 12
	or	$t0, $t0, $t4			/* EntryHi: page | ASID */
	mtc0	$t0, C0_ENTRYHI
	nop
	tlbp					/* an old entry for the page? */
	nop
	mfc0	$t1, C0_INDEX
	nop
	bltz	$t1, 2f				/* P set: none */
	lui	$t3, 0x8000			/* (delay) an unmatchable kseg0 tag */
	mtc0	$t3, C0_ENTRYHI
	mtc0	$zero, C0_ENTRYLO
	nop
	tlbwi					/* drop it */
	mtc0	$t0, C0_ENTRYHI
2:	li	$t3, ~(0xff)			/* PFN | N | D | V */
	and	$t3, $a1, $t3
	mtc0	$t3, C0_ENTRYLO
	nop
	tlbwr
	/* The STLB slot: (vpn ^ asid * 0x9e5) & 0xfff, as refill.S. */
	srl	$t1, $t4, 6
	addiu	$t2, $zero, STLB_HASH
	multu	$t1, $t2
	srl	$t1, $a0, 12
	mflo	$t2
	xor	$t1, $t1, $t2
	andi	$t1, $t1, STLB_MASK
	sll	$t1, $t1, 3
	lui	$t2, %hi(stlb)
	addu	$t1, $t1, $t2
	sw	$t0, %lo(stlb)($t1)
	sw	$t3, %lo(stlb)+4($t1)
	jr	$ra
	move	$v0, $zero

	/* Refusals (not measured). */
map_inval:
	jr	$ra
	addiu	$v0, $zero, -1
map_cap:
	jr	$ra
	addiu	$v0, $zero, -2
map_perm:
	jr	$ra
	addiu	$v0, $zero, -3
