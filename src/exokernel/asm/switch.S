/*
 * switch.S: the clock interrupt's context switch (trap.ts interrupt(),
 * sched.ts endSlice/advance/startEnv; Aegis paper, sec. 5.3 and
 * docs/reference/exokernel.md "The CPU"): a slice ends and its environment
 * has no epilogue (or its grace ran out), so the kernel saves it, takes
 * the next slot of the time-slice vector whose owner can run, and puts
 * that owner on the CPU, from the context the kernel saved of it or
 * through its prologue upcall.
 *
 *   ctx_switch   entered from slice_end (interrupt.S) with only k0/k1
 *                free: the interrupted environment's 29 general registers
 *                (all but zero and k0/k1, the kernel's: MIPS ABI), HI, LO,
 *                EPC and Status into its context block: Costs.CONTEXT_SAVE.
 *   ctx_next     the next slot (KD_SLOT + 1, wrapping) whose owner is
 *                runnable; its penalty comes off the slice (a penalty as
 *                long as the slice skips it, sched.ts advance); the slot,
 *                ticks and owner recorded, its ASID in EntryHi:
 *                Costs.SLICE_NEXT when the first slot probed will do, and
 *                Costs.SLICE_PROBE for each slot probed before it.
 *   ctx_restore  the owner's HI, LO, Status and 29 general registers from
 *                its context block, rfe at its EPC: Costs.CONTEXT_RESTORE.
 *   ctx_prologue or, when it saved itself (ENV_RESUME), its prologue with
 *                a0 = the slot, a1 = the slice's cycles and every other
 *                register cleared (as yield.S): Costs.SLICE_PROLOGUE.
 *
 * Costs.CONTEXT_SWITCH is the whole switch, ctx_switch to the next
 * environment's instruction, measured end to end. Nobody runnable: the
 * idle loop (not measured: its cycles are idle time).
 */
#include "aegis.h"

	.text
	.set	noreorder
	.set	noat
	.globl	ctx_switch
ctx_switch:
	lui	$k0, %hi(kdata)
	lw	$k0, %lo(kdata+KD_CURENV)($k0)	/* the interrupted environment */
	nop
	lw	$k1, ENV_CTX($k0)		/* its context block */
	nop
	sw	$1, 4($k1)
	sw	$2, 8($k1)
	sw	$3, 12($k1)
	sw	$4, 16($k1)
	sw	$5, 20($k1)
	sw	$6, 24($k1)
	sw	$7, 28($k1)
	sw	$8, 32($k1)
	sw	$9, 36($k1)
	sw	$10, 40($k1)
	sw	$11, 44($k1)
	sw	$12, 48($k1)
	sw	$13, 52($k1)
	sw	$14, 56($k1)
	sw	$15, 60($k1)
	sw	$16, 64($k1)
	sw	$17, 68($k1)
	sw	$18, 72($k1)
	sw	$19, 76($k1)
	sw	$20, 80($k1)
	sw	$21, 84($k1)
	sw	$22, 88($k1)
	sw	$23, 92($k1)
	sw	$24, 96($k1)
	sw	$25, 100($k1)
	sw	$28, 112($k1)
	sw	$29, 116($k1)
	sw	$30, 120($k1)
	sw	$31, 124($k1)
	mfhi	$t0
	mflo	$t1
	mfc0	$t2, C0_EPC
	mfc0	$t3, C0_STATUS
	sw	$t0, CTX_HI($k1)
	sw	$t1, CTX_LO($k1)
	sw	$t2, CTX_EPC($k1)
	sw	$t3, CTX_SR($k1)

	/* t4 = kdata, t5 = the slot probed, t6 = the vector, t3 = probes left. */
	.globl	ctx_next
ctx_next:
	lui	$t4, %hi(kdata)
	lw	$t5, %lo(kdata+KD_SLOT)($t4)
	lui	$t6, %hi(slicevec)
	addiu	$t6, $t6, %lo(slicevec)
	addiu	$t3, $zero, SLICES
probe:
	beqz	$t3, ctx_idle			/* every slot probed: nobody can run */
	addiu	$t5, $t5, 1
	andi	$t5, $t5, SLICES - 1
	addu	$t7, $t6, $t5
	lbu	$t7, 0($t7)			/* the slot's owner (0: free) */
	lui	$t8, %hi(envtab)
	sll	$t7, $t7, 2
	addu	$t8, $t8, $t7
	lw	$t8, %lo(envtab)($t8)		/* envtab[0] is 0: a free slot has nobody */
	addiu	$t3, $t3, -1
	beqz	$t8, probe
	nop
	lw	$t9, ENV_STATE($t8)
	nop
	addiu	$t9, $t9, -ENV_RUNNABLE
	bnez	$t9, probe			/* its owner cannot run */
	nop
	/* A penalty as long as the slice takes it whole (sched.ts advance). */
	lw	$t9, ENV_PENALTY($t8)
	lw	$t0, %lo(kdata+KD_SLICETICKS)($t4)
	nop
	sltu	$t1, $t9, $t0
	beqz	$t1, skip
	subu	$t1, $t0, $t9			/* the ticks it gets */
	sw	$zero, ENV_PENALTY($t8)
	sw	$t1, %lo(kdata+KD_TICKS)($t4)
	sw	$t5, %lo(kdata+KD_SLOT)($t4)
	sw	$t8, %lo(kdata+KD_CURENV)($t4)
	lw	$t0, ENV_ASID($t8)
	lw	$t2, ENV_RESUME($t8)
	mtc0	$t0, C0_ENTRYHI			/* its address space */
	bnez	$t2, ctx_prologue		/* it saved itself: its prologue */
	move	$k0, $t8

	.globl	ctx_restore
ctx_restore:
	lw	$k1, ENV_CTX($k0)
	nop
	lw	$t0, CTX_HI($k1)
	lw	$t1, CTX_LO($k1)
	mthi	$t0
	mtlo	$t1
	lw	$t2, CTX_SR($k1)
	nop
	mtc0	$t2, C0_STATUS			/* its KU/IE stack: rfe pops its mode back */
	lw	$1, 4($k1)
	lw	$2, 8($k1)
	lw	$3, 12($k1)
	lw	$4, 16($k1)
	lw	$5, 20($k1)
	lw	$6, 24($k1)
	lw	$7, 28($k1)
	lw	$8, 32($k1)
	lw	$9, 36($k1)
	lw	$10, 40($k1)
	lw	$11, 44($k1)
	lw	$12, 48($k1)
	lw	$13, 52($k1)
	lw	$14, 56($k1)
	lw	$15, 60($k1)
	lw	$16, 64($k1)
	lw	$17, 68($k1)
	lw	$18, 72($k1)
	lw	$19, 76($k1)
	lw	$20, 80($k1)
	lw	$21, 84($k1)
	lw	$22, 88($k1)
	lw	$23, 92($k1)
	lw	$24, 96($k1)
	lw	$25, 100($k1)
	lw	$28, 112($k1)
	lw	$29, 116($k1)
	lw	$30, 120($k1)
	lw	$31, 124($k1)
	lw	$k0, CTX_EPC($k1)
	nop
	jr	$k0
	rfe

	/* Its penalty swallows the slice: the next slot (sched.ts slice-skipped). */
skip:
	subu	$t9, $t9, $t0
	b	probe
	sw	$t9, ENV_PENALTY($t8)

	/* Through its prologue: a0 = the slot, a1 = ticks x cycles a tick. */
	.globl	ctx_prologue
ctx_prologue:
	lw	$t0, %lo(kdata+KD_TICKCYCLES)($t4)
	sw	$zero, ENV_RESUME($k0)		/* next time from its context block */
	multu	$t1, $t0
	lw	$k1, ENV_PROLOGUE($k0)
	move	$a0, $t5
	move	$1, $zero
	move	$2, $zero
	move	$3, $zero
	move	$6, $zero
	move	$7, $zero
	move	$8, $zero
	move	$9, $zero
	move	$10, $zero
	move	$11, $zero
	move	$12, $zero
	move	$13, $zero
	move	$14, $zero
	move	$15, $zero
	move	$16, $zero
	move	$17, $zero
	move	$18, $zero
	move	$19, $zero
	move	$20, $zero
	move	$21, $zero
	move	$22, $zero
	move	$23, $zero
	move	$24, $zero
	move	$25, $zero
	move	$28, $zero
	move	$29, $zero
	move	$30, $zero
	move	$31, $zero
	mflo	$a1				/* the multiply is done by now */
	jr	$k1
	rfe

	/* Nobody can run (not measured: the kernel waits for an interrupt). */
ctx_idle:
	break	6
	nop
