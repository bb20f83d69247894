/*
 * yielder-regs.S: one round of the yielder (yielder.c), in assembly so
 * that every register a context has holds a known value across a yield:
 * at, v1, a1-a3, t0-t9, s0-s7, gp, fp, ra, hi and lo get round + 0x100 * n
 * (n the register number, 32 and 33 for hi and lo), a0 holds the round.
 * The yield system call changes only v0 (abi.ts), so after it every
 * register must hold its value again, and the round in a0 must still be
 * the one in memory: an environment resumed from a context the kernel did
 * not save at this yield (an older one) comes back with an older round.
 *
 * uint32_t yielder_round(uint32_t round, volatile uint32_t *current)
 * stores round in *current, yields, and returns 0 when everything came
 * back, 0xffff when a0 holds another round than *current, else the
 * number of the first register found wrong.
 */
#include "aegis.h"

	.set	noreorder
	.set	noat

/* reg = a0 + 0x100 * n */
	.macro	PATTERN reg, n
	addiu	\reg, $a0, 0x100 * \n
	.endm

/* Branches to 9f (with v0 = n) unless reg holds its pattern. */
	.macro	CHECK reg, n
	addiu	$v0, $a0, 0x100 * \n
	bne	\reg, $v0, 9f
	ori	$v0, $zero, \n			/* delay slot: which register */
	.endm

	.text
	.globl	yielder_round
	.ent	yielder_round
yielder_round:
	addiu	$sp, $sp, -64
	sw	$s0, 16($sp)
	sw	$s1, 20($sp)
	sw	$s2, 24($sp)
	sw	$s3, 28($sp)
	sw	$s4, 32($sp)
	sw	$s5, 36($sp)
	sw	$s6, 40($sp)
	sw	$s7, 44($sp)
	sw	$gp, 48($sp)
	sw	$fp, 52($sp)
	sw	$ra, 56($sp)
	sw	$a1, 60($sp)			/* current: a1 is about to hold a pattern */
	sw	$a0, 0($a1)			/* *current = round */
	PATTERN	$v1, 32
	mthi	$v1
	PATTERN	$v1, 33
	mtlo	$v1
	PATTERN	$at, 1
	PATTERN	$v1, 3
	PATTERN	$a1, 5
	PATTERN	$a2, 6
	PATTERN	$a3, 7
	PATTERN	$t0, 8
	PATTERN	$t1, 9
	PATTERN	$t2, 10
	PATTERN	$t3, 11
	PATTERN	$t4, 12
	PATTERN	$t5, 13
	PATTERN	$t6, 14
	PATTERN	$t7, 15
	PATTERN	$s0, 16
	PATTERN	$s1, 17
	PATTERN	$s2, 18
	PATTERN	$s3, 19
	PATTERN	$s4, 20
	PATTERN	$s5, 21
	PATTERN	$s6, 22
	PATTERN	$s7, 23
	PATTERN	$t8, 24
	PATTERN	$t9, 25
	PATTERN	$gp, 28
	PATTERN	$fp, 30
	PATTERN	$ra, 31
	li	$v0, SYS_Yield
	syscall
	CHECK	$at, 1
	CHECK	$v1, 3
	CHECK	$a1, 5
	CHECK	$a2, 6
	CHECK	$a3, 7
	CHECK	$t0, 8
	CHECK	$t1, 9
	CHECK	$t2, 10
	CHECK	$t3, 11
	CHECK	$t4, 12
	CHECK	$t5, 13
	CHECK	$t6, 14
	CHECK	$t7, 15
	CHECK	$s0, 16
	CHECK	$s1, 17
	CHECK	$s2, 18
	CHECK	$s3, 19
	CHECK	$s4, 20
	CHECK	$s5, 21
	CHECK	$s6, 22
	CHECK	$s7, 23
	CHECK	$t8, 24
	CHECK	$t9, 25
	CHECK	$gp, 28
	CHECK	$fp, 30
	CHECK	$ra, 31
	mfhi	$t8
	CHECK	$t8, 32
	mflo	$t8
	CHECK	$t8, 33
	lw	$t8, 60($sp)			/* current */
	nop					/* load delay */
	lw	$t8, 0($t8)
	nop
	bne	$t8, $a0, 9f			/* resumed with another round's registers */
	ori	$v0, $zero, 0xffff
	move	$v0, $zero
9:	lw	$s0, 16($sp)
	lw	$s1, 20($sp)
	lw	$s2, 24($sp)
	lw	$s3, 28($sp)
	lw	$s4, 32($sp)
	lw	$s5, 36($sp)
	lw	$s6, 40($sp)
	lw	$s7, 44($sp)
	lw	$gp, 48($sp)
	lw	$fp, 52($sp)
	lw	$ra, 56($sp)
	nop					/* load delay */
	jr	$ra
	addiu	$sp, $sp, 64
	.end	yielder_round
