/*
 * copy.S: the kernel's copy loop (kcopy), for what it copies between an
 * environment's memory and its own: a cputs buffer into the console's
 * (syscalls.ts), console input out to a cgets buffer, and an image's
 * segments into a new environment's frames (kernel.ts createEnv).
 *
 * a0 = dst, a1 = src, a2 = the bytes; dst and src lie at the same offset
 * in a word (the kernel places its own buffer so: an ELF segment's file
 * offset and address agree modulo the page, and the console's buffer can
 * start at any byte). Bytes up to dst's next word boundary (the head),
 * then whole words (lw/sw), then the bytes left (the tail). Every part's
 * loop is entered through one branch that is taken or not in the same two
 * cycles (the delay slot is a nop), so the cost is exactly
 *
 *   Costs.COPY_SETUP + Costs.COPY_BYTE x (head + tail bytes)
 *                    + Costs.COPY_WORD x words
 *
 * (costs.ts copyCycles; measured by test/exokernel/costs.test.ts at
 * several lengths and offsets). The head is min(len, (4 - dst) & 3),
 * taken without a branch (R3000: no conditional move in MIPS I).
 */
#include "aegis.h"

	.text
	.set	noreorder
	.globl	kcopy
kcopy:
	negu	$t0, $a0
	andi	$t0, $t0, 3			/* bytes to dst's next word */
	sltu	$t1, $a2, $t0			/* shorter than that? */
	subu	$t4, $a2, $t0
	negu	$t1, $t1			/* all ones when shorter */
	and	$t4, $t4, $t1
	addu	$t0, $t0, $t4			/* head = min(len, to the word) */
	subu	$a2, $a2, $t0
	srl	$t2, $a2, 2
	andi	$a2, $a2, 3			/* tail bytes */
	sll	$t2, $t2, 2			/* bytes in whole words */
	/* the head, a byte at a time */
	addu	$t3, $a0, $t0
	beq	$a0, $t3, 2f
	nop
1:	lbu	$t1, 0($a1)
	addiu	$a1, $a1, 1
	addiu	$a0, $a0, 1
	bne	$a0, $t3, 1b
	sb	$t1, -1($a0)
	/* the words */
2:	addu	$t3, $a0, $t2
	beq	$a0, $t3, 4f
	nop
3:	lw	$t1, 0($a1)
	addiu	$a1, $a1, 4
	addiu	$a0, $a0, 4
	bne	$a0, $t3, 3b
	sw	$t1, -4($a0)
	/* the tail, a byte at a time */
4:	addu	$t3, $a0, $a2
	beq	$a0, $t3, 6f
	nop
5:	lbu	$t1, 0($a1)
	addiu	$a1, $a1, 1
	addiu	$a0, $a0, 1
	bne	$a0, $t3, 5b
	sb	$t1, -1($a0)
6:	jr	$ra
	nop

/*
 * kzero: zeroes the 4 KiB frame at a0 (kseg0, page-aligned) before it
 * changes owner (scrub.ts claimFrame): eight stores of zero a turn (the
 * last in the branch's delay slot), 128 turns. Costs.ZERO_FRAME is
 * its cycles (test/exokernel/switch-costs.test.ts).
 */
	.globl	kzero
kzero:
	addiu	$t0, $a0, 4096			/* the end */
1:	sw	$zero, 0($a0)
	sw	$zero, 4($a0)
	sw	$zero, 8($a0)
	sw	$zero, 12($a0)
	sw	$zero, 16($a0)
	sw	$zero, 20($a0)
	sw	$zero, 24($a0)
	addiu	$a0, $a0, 32
	bne	$a0, $t0, 1b
	sw	$zero, -4($a0)
	jr	$ra
	nop
