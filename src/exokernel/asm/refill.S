/*
 * refill.S: a kuseg TLB miss (the UTLB vector, 0x80000000; R3000 manual,
 * "TLB refill"), served the way trap.ts's refill() serves it: from the
 * environment's guaranteed mappings first, then from the STLB (Aegis
 * paper, sec. 5.3); a miss in both goes to dispatch (dispatch.S).
 *
 * On a miss the R3000 has put the faulting VPN and the current ASID in
 * EntryHi, so the tag to look for is EntryHi itself. Guaranteed mappings
 * are a 64-slot table per environment indexed by VPN & 63 (their tag is
 * the page, without ASID: they are the environment's own); the STLB is
 * 4096 slots, slot = (vpn ^ asid * 0x9e5) & 0xfff as stlb.ts's stlbSlot.
 * The first probe of each is the measured path: a collision would cost a
 * probe more, and trap.ts charges the common case.
 *
 * Measured from utlb_refill to the faulting instruction:
 * Costs.GUARANTEED_REFILL (a guaranteed hit) and Costs.STLB_REFILL (a
 * guaranteed miss, then an STLB hit). A UTLB handler has only k0 and k1;
 * the environment's table needs a third register, so `at` is parked in
 * kdata. multu takes 12 cycles on an R3000 before mflo has its result
 * (R3000 manual, "Multiply and divide"); the emulator models that
 * interlock for kernel sequences and user code alike (src/emu/mul.ts), so
 * the STLB hash's mflo waits 10 cycles here.
 */
#include "aegis.h"

	.text
	.set	noreorder
	.set	noat
	.globl	utlb_refill
utlb_refill:
	lui	$k0, %hi(kdata)
	sw	$at, %lo(kdata+KD_AT)($k0)
	lw	$k1, %lo(kdata+KD_CURENV)($k0)	/* env */
	mfc0	$k0, C0_ENTRYHI			/* VPN | ASID of the miss */
	lw	$k1, ENV_GTAB($k1)		/* its guaranteed table */
	srl	$k0, $k0, 12			/* VPN */
	andi	$at, $k0, 63
	sll	$at, $at, 3
	addu	$k1, $k1, $at			/* its slot */
	lw	$at, 0($k1)			/* tag: the page */
	sll	$k0, $k0, 12
	bne	$at, $k0, stlb_probe
	lw	$k0, 4($k1)			/* EntryLo (delay slot; unused on a miss) */
	/* A guaranteed mapping: write it, give `at` back, return. */
	lui	$k1, %hi(kdata)
	mtc0	$k0, C0_ENTRYLO
	lw	$at, %lo(kdata+KD_AT)($k1)
	tlbwr					/* a random slot (R3000 manual, TLBWR) */
	mfc0	$k0, C0_EPC
	nop
	jr	$k0
	rfe

stlb_probe:
	mfc0	$k0, C0_ENTRYHI
	addiu	$at, $zero, STLB_HASH
	srl	$k1, $k0, 6
	andi	$k1, $k1, 63			/* ASID */
	multu	$k1, $at
	srl	$k0, $k0, 12			/* VPN */
	mflo	$k1				/* ASID * 0x9e5 */
	xor	$k0, $k0, $k1
	andi	$k0, $k0, STLB_MASK
	sll	$k0, $k0, 3
	lui	$k1, %hi(stlb)
	addu	$k0, $k0, $k1			/* its slot */
	lw	$k1, %lo(stlb)+4($k0)		/* EntryLo */
	lw	$k0, %lo(stlb)($k0)		/* tag: EntryHi */
	mtc0	$k1, C0_ENTRYLO
	mfc0	$k1, C0_ENTRYHI
	lui	$at, %hi(kdata)
	bne	$k0, $k1, stlb_miss
	lw	$at, %lo(kdata+KD_AT)($at)	/* give `at` back (delay slot) */
	tlbwr
	mfc0	$k0, C0_EPC
	nop
	jr	$k0
	rfe

	.globl	stlb_miss
	/* Neither has it: dispatch the miss to the library OS (dispatch.S). */
stlb_miss:
	j	dispatch_entry
	nop
