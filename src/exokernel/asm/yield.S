/*
 * yield.S: directed yield (sys_yield_to; Aegis paper, sec. 5.4 and
 * docs/reference/exokernel.md "The CPU": "directed yield gives the rest of a
 * slice to a named environment"), saving no registers: the caller's
 * library OS saved what it needs before it yielded, and resumes through
 * its own prologue. The kernel checks the target, records where the
 * caller resumes, switches the address space and enters the target's
 * prologue upcall with a0 = the slice's position and a1 = the cycles left
 * (sched.ts startEnv). The registers the target starts with are cleared
 * first, so that none of the caller's reaches it: all 27 but a0/a1 (the
 * arguments) and k0/k1 (the kernel's).
 *
 * From systab (syscall.S): a0 = the target's id. Measured from
 * sys_yield_to to the target's prologue: Costs.YIELD (after
 * Costs.SYSCALL_ENTRY). sched.ts's yieldTo() charges it and, like it,
 * saves no register of the caller's.
 */
#include "aegis.h"

	.text
	.set	noreorder
	.set	noat
	.globl	sys_yield_to
sys_yield_to:
	andi	$t1, $a0, 63
	sll	$t1, $t1, 2
	lui	$t0, %hi(envtab)
	addu	$t0, $t0, $t1
	lw	$t0, %lo(envtab)($t0)		/* the target */
	lui	$t2, %hi(kdata)
	beqz	$t0, yield_inval
	lw	$t3, %lo(kdata+KD_CURENV)($t2)	/* the caller (delay slot) */
	lw	$t1, ENV_ID($t0)
	beq	$t0, $t3, yield_inval		/* to itself */
	lw	$t4, ENV_STATE($t0)
	bne	$t1, $a0, yield_inval		/* a stale id */
	addiu	$t4, $t4, -ENV_RUNNABLE
	bnez	$t4, yield_inval			/* not runnable */
	mfc0	$t1, C0_EPC
	lw	$t4, ENV_PROLOGUE($t0)
	addiu	$t1, $t1, 4
	sw	$t1, ENV_PC($t3)			/* where the caller resumes */
	sw	$t0, %lo(kdata+KD_CURENV)($t2)	/* the target has the slice */
	lw	$t1, ENV_ASID($t0)
	lw	$a0, %lo(kdata+KD_SLOT)($t2)
	mtc0	$t1, C0_ENTRYHI			/* its address space */
	lw	$a1, %lo(kdata+KD_CYCLES)($t2)
	move	$at, $zero
	move	$v0, $zero
	move	$v1, $zero
	move	$a2, $zero
	move	$a3, $zero
	move	$t0, $zero
	move	$t1, $zero
	move	$t2, $zero
	move	$t3, $zero
	move	$t5, $zero
	move	$t6, $zero
	move	$t7, $zero
	move	$s0, $zero
	move	$s1, $zero
	move	$s2, $zero
	move	$s3, $zero
	move	$s4, $zero
	move	$s5, $zero
	move	$s6, $zero
	move	$s7, $zero
	move	$t8, $zero
	move	$t9, $zero
	move	$gp, $zero
	move	$sp, $zero
	move	$s8, $zero
	move	$k1, $t4
	move	$t4, $zero
	move	$ra, $zero
	jr	$k1
	rfe

	/* Refused: Err.Inval in v0, back to the caller (not measured). */
yield_inval:
	mfc0	$k1, C0_EPC
	addiu	$v0, $zero, -1
	addiu	$k1, $k1, 4
	jr	$k1
	rfe
