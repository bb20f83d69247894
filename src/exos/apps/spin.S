/*
 * spin.S: the spinner's loop, in assembly so that it can hold a known
 * value in every register a context has (at, v1, t0-t7, s0-s7, gp, fp,
 * ra, hi and lo: 0x5a5a0000 + the register number, 32 and 33 for hi and
 * lo) and check them all on every iteration: if the epilogue and the
 * prologue lose or mix up any register across a slice boundary, the loop
 * sees it. t8 and t9 are its scratch, v0 the count, a0-a3 the arguments.
 *
 * uint32_t spin_check(uint32_t limit, volatile uint32_t *begun,
 *                     uint32_t slices, uint32_t *bad)
 * counts iterations until *begun reaches `slices` or (limit > 0) the count
 * reaches limit, and returns the count; *bad is set to the number of the
 * first register found wrong (then it stops), else left alone.
 */
	.set	noreorder
	.set	noat

/* reg = 0x5a5a0000 + n */
	.macro	PATTERN reg, n
	lui	\reg, 0x5a5a
	ori	\reg, \reg, \n
	.endm

/* Branches to 9f (with t9 = n) unless reg holds its pattern. */
	.macro	CHECK reg, n
	lui	$t9, 0x5a5a
	ori	$t9, $t9, \n
	bne	\reg, $t9, 9f
	ori	$t9, $zero, \n			/* delay slot: which register */
	.endm

	.text
	.globl	spin_check
	.ent	spin_check
spin_check:
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
	PATTERN	$t8, 32
	mthi	$t8
	PATTERN	$t8, 33
	mtlo	$t8
	PATTERN	$at, 1
	PATTERN	$v1, 3
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
	PATTERN	$gp, 28
	PATTERN	$fp, 30
	PATTERN	$ra, 31
	move	$v0, $zero
1:	beqz	$a0, 2f				/* no limit */
	nop
	beq	$v0, $a0, 8f
	nop
2:	lw	$t9, 0($a1)			/* slices begun so far */
	nop
	sltu	$t9, $t9, $a2
	beqz	$t9, 8f
	nop
	CHECK	$at, 1
	CHECK	$v1, 3
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
	CHECK	$gp, 28
	CHECK	$fp, 30
	CHECK	$ra, 31
	mfhi	$t8
	CHECK	$t8, 32
	mflo	$t8
	CHECK	$t8, 33
	b	1b
	addiu	$v0, $v0, 1
9:	sw	$t9, 0($a3)			/* a register was wrong */
8:
	lw	$s0, 16($sp)
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
	.end	spin_check
