/*
 * tlbtest.S: a UTLB refill handler of the classic R3000 kind, for tlb.c.
 *
 * Copied to the refill vector 0x80000000 (32 instructions at most: the
 * general vector follows at 0x80000080). Context holds PTEBase | BadVPN<<2,
 * which is the kseg0 address of the PTE when PTEBase is 0x80000000 and the
 * page table sits at PTEBase + 4 * VPN; the handler loads that PTE into
 * EntryLo (EntryHi already holds the VPN and ASID), writes it at Random
 * with tlbwr and retries the instruction (R3000 manual ch. 4, "TLB miss
 * handling"). It counts its runs in refill_count.
 */
#include "mips.h"

	.set	noreorder
	.set	noat
	.text

	.globl	refill_stub
	.globl	refill_stub_end
refill_stub:
	lui	$k1, %hi(refill_count)
	lw	$k0, %lo(refill_count)($k1)
	nop
	addiu	$k0, $k0, 1
	sw	$k0, %lo(refill_count)($k1)
	mfc0	$k0, C0_CONTEXT
	nop
	lw	$k1, 0($k0)
	nop
	mtc0	$k1, C0_ENTRYLO
	nop
	tlbwr
	nop
	mfc0	$k0, C0_EPC
	nop
	jr	$k0
	rfe
refill_stub_end:

	.bss
	.balign	4
	.globl	refill_count
refill_count:
	.space	4
