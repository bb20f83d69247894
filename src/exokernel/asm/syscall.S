/*
 * syscall.S: entering the kernel for a system call and returning
 * (trap.ts's syscallEntry). From the general vector (vector.S): refuse a
 * syscall in a branch delay slot (Cause.BD, trap.ts), bound v0, and jump
 * through systab. An ordinary call goes to sys_call, which keeps the
 * caller's sp and ra, runs on the kernel stack, calls the body from calltab
 * with the caller's a0..a3, and returns to the instruction after the
 * syscall with the body's v0. PCT and directed yield have entries of their
 * own in systab (pct.S, yield.S): they do not come back this way.
 *
 * Measured from exc_vector to the instruction after the syscall, for the
 * null call (sys_null: two instructions of body): Costs.SYSCALL.
 */
#include "aegis.h"

	.text
	.set	noreorder
	.set	noat
	.globl	sys_entry
sys_entry:
	mfc0	$k0, C0_CAUSE
	sltiu	$k1, $v0, NSYS
	bltz	$k0, sys_fatal			/* Cause.BD: in a delay slot */
	sll	$k0, $v0, 2
	beqz	$k1, sys_bad			/* no such call */
	lui	$k1, %hi(systab)
	addu	$k1, $k1, $k0
	lw	$k1, %lo(systab)($k1)
	nop
	jr	$k1				/* k0 = v0 * 4 */
	nop

	.globl	sys_call
sys_call:
	lui	$k1, %hi(kdata)
	sw	$sp, %lo(kdata+KD_USP)($k1)
	sw	$ra, %lo(kdata+KD_URA)($k1)
	lw	$sp, %lo(kdata+KD_KSP)($k1)
	lui	$k1, %hi(calltab)
	addu	$k1, $k1, $k0
	lw	$k1, %lo(calltab)($k1)
	nop
	jalr	$k1				/* the body: a0..a3 in, v0 out */
	nop
	.globl	sys_return
sys_return:
	lui	$k1, %hi(kdata)
	lw	$sp, %lo(kdata+KD_USP)($k1)
	lw	$ra, %lo(kdata+KD_URA)($k1)
	mfc0	$k0, C0_EPC
	nop
	addiu	$k0, $k0, 4			/* past the syscall */
	jr	$k0
	rfe

	.globl	sys_null
sys_null:
	jr	$ra
	move	$v0, $zero

	/* Not measured: the environment dies, or gets Err.Inval. */
sys_fatal:
	break	2
	nop
sys_bad:
	j	sys_return
	addiu	$v0, $zero, -1
