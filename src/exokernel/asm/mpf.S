/*
 * mpf.S: the classifier DPF replaced, for comparison (Aegis paper, sec.
 * 5.5: DPF 1.5 us against MPF 35 us; docs/reference/exokernel.md "DPF"). An
 * MPF-style packet filter keeps every installed filter apart and, for each
 * packet, interprets one filter after another until one accepts: per atom
 * it decodes the atom's words, bounds-checks the field, loads it, masks it
 * and compares it. DPF instead merges the filters into one trie and
 * compiles it (dpf_atoms in net.S is one compiled atom). The filters are
 * DPF's own atoms (the ABI's DpfAtom layout: kind | width << 8 |
 * offset << 16, mask, value or shift, 0), so both classify the same
 * filters. (MPF itself, Yuhara et al. 1994, has an associative match for
 * the last atom of many port filters; this interpreter, like CSPF and BPF
 * before it, has none: each filter is interpreted in turn.)
 *
 * The field is read as four bytes in network order and shifted right to
 * its width, so every atom that reads its field costs the same whatever
 * its width; the compare's branch is the loop's, so an atom costs the same
 * whether it passes or fails. test/exokernel/costs.test.ts measures:
 *   Costs.MPF_ATOM    per atom interpreted (decode to compare)
 *   Costs.MPF_FILTER  per filter that fails, besides its atoms (on to the
 *                     next filter: its atom list, the base, the count)
 *   Costs.MPF_MATCH   the call, the filter that accepts and the return,
 *                     besides the accepting filter's atoms
 */
#include "aegis.h"

#define MPF_END		0	/* an atom word 0 of kind 0 ends a filter */
#define KIND_SHIFT	2	/* DpfKind.Shift (abi.ts) */

	.text
	.set	noreorder
	.set	noat
	/*
	 * a0 = the frame, a1 = its length, a2 = the filter list: a count,
	 * then a pointer per filter to its atoms (16 bytes each, ended by an
	 * atom whose kind is MPF_END). v0 = 1 + the index of the first
	 * filter that accepts the frame, or 0 when none does.
	 */
	.globl	mpf_classify
mpf_classify:
	lw	$t8, 0($a2)			/* filters left */
	addiu	$t9, $a2, 4			/* the next filter's pointer */
	addu	$v1, $a0, $a1			/* the frame's end */
	move	$v0, $zero			/* filters tried */
	.globl	mpf_filter
mpf_filter:
	beqz	$t8, mpf_none
	addiu	$t8, $t8, -1
	lw	$t0, 0($t9)			/* its first atom */
	addiu	$t9, $t9, 4
	move	$t2, $a0			/* the base: the frame's first byte */
	addiu	$v0, $v0, 1
	.globl	mpf_atom
mpf_atom:
	lw	$t3, 0($t0)			/* kind | width << 8 | offset << 16 */
	lw	$t4, 4($t0)			/* mask */
	andi	$t7, $t3, 0xff			/* kind */
	beqz	$t7, mpf_match			/* the end: every atom passed */
	srl	$t5, $t3, 16			/* offset (delay slot) */
	addu	$t5, $t5, $t2			/* the field's first byte */
	andi	$t6, $t3, 0xff00
	srl	$t6, $t6, 8			/* width in bytes */
	addu	$a3, $t5, $t6			/* the field's end */
	sltu	$a3, $v1, $a3
	bnez	$a3, mpf_filter			/* past the frame: this filter fails */
	sll	$t6, $t6, 3			/* width in bits (delay slot) */
	lbu	$a3, 0($t5)
	lbu	$t1, 1($t5)
	lbu	$a1, 2($t5)
	lbu	$a2, 3($t5)
	sll	$a3, $a3, 24
	sll	$t1, $t1, 16
	sll	$a1, $a1, 8
	or	$a3, $a3, $t1
	or	$a1, $a1, $a2
	or	$a3, $a3, $a1			/* four bytes from the field's first, network order */
	subu	$t6, $zero, $t6			/* 32 - width in bits, as srlv takes it (mod 32) */
	srlv	$a3, $a3, $t6			/* the field */
	and	$a3, $a3, $t4			/* masked */
	lw	$t4, 8($t0)			/* the value, or the shift */
	xori	$t7, $t7, KIND_SHIFT
	beqz	$t7, mpf_shift
	addiu	$t0, $t0, 16			/* the next atom (delay slot) */
	beq	$a3, $t4, mpf_atom		/* equal: the next atom */
	nop
	b	mpf_filter			/* not equal: the next filter */
	nop
mpf_shift:
	sllv	$a3, $a3, $t4
	b	mpf_atom
	addu	$t2, $t2, $a3			/* the base moves past the header (delay slot) */
	.globl	mpf_match
mpf_match:
	jr	$ra
	nop
mpf_none:
	jr	$ra
	move	$v0, $zero
