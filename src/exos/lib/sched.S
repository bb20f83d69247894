/*
 * sched.S: the interrupt context's entries and the context switch
 * (sched.h has the protocol).
 *
 * A context is a struct exos_ctx: every general register but zero, k0
 * and k1, then hi, lo and the pc. The epilogue saves all of it; a
 * voluntary switch (exos_ctx_switch, exos_ctx_yield) is a call, so it
 * saves only what a call preserves (s0-s7, gp, sp, fp, ra; pc = ra, v0 =
 * 0). exos_ctx_resume restores all of it, whichever saved it. Every switch
 * runs with busy = 1 (no upcall can land) and on the scheduler stack, and
 * ends in the jump to the resumed pc with busy cleared in its delay slot,
 * as the exception trampoline does. k0 and k1 are ours (MIPS ABI): no
 * context holds them, and while busy is 0 nothing here leaves a value in
 * them that is needed later.
 */
#include "sched.h"

	.set	noreorder
	.set	noat

/* busy = 1, with k0 and k1. */
	.macro	BUSY_ON
	lui	$k0, %hi(exos_save)
	li	$k1, 1
	sw	$k1, %lo(exos_save+SAVE_Busy)($k0)
	.endm

/* sp = the top of the scheduler stack, less a home for a callee's a0..a3. */
	.macro	SCHED_STACK
	lui	$sp, %hi(exos_sched_stack_top - 16)
	addiu	$sp, $sp, %lo(exos_sched_stack_top - 16)
	.endm

/* exos_ctx_cur = &exos_ctx_scratch, with t0 and t1: an epilogue now saves nothing that matters. */
	.macro	OFF_THREAD
	lui	$t0, %hi(exos_ctx_scratch)
	addiu	$t0, $t0, %lo(exos_ctx_scratch)
	lui	$t1, %hi(exos_ctx_cur)
	sw	$t0, %lo(exos_ctx_cur)($t1)
	.endm

/* Saves what a call preserves in the context at \base; it resumes at ra with v0 = 0. */
	.macro	SAVE_CALLEE base
	sw	$s0, CTX_R(16)(\base)
	sw	$s1, CTX_R(17)(\base)
	sw	$s2, CTX_R(18)(\base)
	sw	$s3, CTX_R(19)(\base)
	sw	$s4, CTX_R(20)(\base)
	sw	$s5, CTX_R(21)(\base)
	sw	$s6, CTX_R(22)(\base)
	sw	$s7, CTX_R(23)(\base)
	sw	$gp, CTX_R(28)(\base)
	sw	$sp, CTX_R(29)(\base)
	sw	$fp, CTX_R(30)(\base)
	sw	$ra, CTX_R(31)(\base)
	sw	$ra, CTX_PC(\base)
	sw	$zero, CTX_R(2)(\base)
	.endm

	.text

/*
 * The epilogue upcall, dispatched like an exception: at = the save area
 * (the interrupted EPC, at, a0, a1), a0 = the grace period, busy = 1.
 */
	.globl	exos_epilogue_entry
	.ent	exos_epilogue_entry
exos_epilogue_entry:
	lui	$k0, %hi(exos_ctx_cur)
	lw	$k0, %lo(exos_ctx_cur)($k0)
	nop					/* load delay */
	sw	$v0, CTX_R(2)($k0)
	sw	$v1, CTX_R(3)($k0)
	sw	$a2, CTX_R(6)($k0)
	sw	$a3, CTX_R(7)($k0)
	sw	$t0, CTX_R(8)($k0)
	sw	$t1, CTX_R(9)($k0)
	sw	$t2, CTX_R(10)($k0)
	sw	$t3, CTX_R(11)($k0)
	sw	$t4, CTX_R(12)($k0)
	sw	$t5, CTX_R(13)($k0)
	sw	$t6, CTX_R(14)($k0)
	sw	$t7, CTX_R(15)($k0)
	sw	$s0, CTX_R(16)($k0)
	sw	$s1, CTX_R(17)($k0)
	sw	$s2, CTX_R(18)($k0)
	sw	$s3, CTX_R(19)($k0)
	sw	$s4, CTX_R(20)($k0)
	sw	$s5, CTX_R(21)($k0)
	sw	$s6, CTX_R(22)($k0)
	sw	$s7, CTX_R(23)($k0)
	sw	$t8, CTX_R(24)($k0)
	sw	$t9, CTX_R(25)($k0)
	sw	$gp, CTX_R(28)($k0)
	sw	$sp, CTX_R(29)($k0)
	sw	$fp, CTX_R(30)($k0)
	sw	$ra, CTX_R(31)($k0)
	mfhi	$t0
	mflo	$t1
	sw	$t0, CTX_HI($k0)
	sw	$t1, CTX_LO($k0)
	lw	$t0, SAVE_AT($at)		/* at, a0, a1 and the pc from the save area */
	lw	$t1, SAVE_A0($at)
	lw	$t2, SAVE_A1($at)
	lw	$t3, SAVE_EPC($at)
	sw	$t0, CTX_R(1)($k0)
	sw	$t1, CTX_R(4)($k0)
	sw	$t2, CTX_R(5)($k0)
	sw	$t3, CTX_PC($k0)
	OFF_THREAD
	SCHED_STACK
	jal	exos_sched_epilogue		/* (grace), busy clear */
	sw	$zero, SAVE_Busy($at)		/* delay slot: the context is safe */
	li	$v0, SYS_Yield
	syscall
	/* The kernel went on here rather than begin the next slice with the prologue. */
	BUSY_ON
	jal	exos_sched_returned		/* (0): the context to resume */
	move	$a0, $zero
	j	exos_ctx_resume
	move	$a0, $v0
	.end	exos_epilogue_entry

/*
 * The prologue upcall: a0 = the slot, a1 = the slice length in cycles,
 * every other register zero (sp too), busy 0.
 */
	.globl	exos_prologue_entry
	.ent	exos_prologue_entry
exos_prologue_entry:
	BUSY_ON
	SCHED_STACK
	jal	exos_sched_prologue		/* (slot, length): the context to resume */
	nop
	j	exos_ctx_resume
	move	$a0, $v0
	.end	exos_prologue_entry

/* exos_ctx_resume(ctx): busy is 1; ctx becomes exos_ctx_cur; never returns. */
	.globl	exos_ctx_resume
	.ent	exos_ctx_resume
exos_ctx_resume:
	lui	$k0, %hi(exos_ctx_cur)
	sw	$a0, %lo(exos_ctx_cur)($k0)
	move	$k1, $a0
	lw	$k0, CTX_HI($k1)
	nop					/* load delay */
	mthi	$k0
	lw	$k0, CTX_LO($k1)
	nop
	mtlo	$k0
	lw	$at, CTX_R(1)($k1)
	lw	$v0, CTX_R(2)($k1)
	lw	$v1, CTX_R(3)($k1)
	lw	$a0, CTX_R(4)($k1)
	lw	$a1, CTX_R(5)($k1)
	lw	$a2, CTX_R(6)($k1)
	lw	$a3, CTX_R(7)($k1)
	lw	$t0, CTX_R(8)($k1)
	lw	$t1, CTX_R(9)($k1)
	lw	$t2, CTX_R(10)($k1)
	lw	$t3, CTX_R(11)($k1)
	lw	$t4, CTX_R(12)($k1)
	lw	$t5, CTX_R(13)($k1)
	lw	$t6, CTX_R(14)($k1)
	lw	$t7, CTX_R(15)($k1)
	lw	$s0, CTX_R(16)($k1)
	lw	$s1, CTX_R(17)($k1)
	lw	$s2, CTX_R(18)($k1)
	lw	$s3, CTX_R(19)($k1)
	lw	$s4, CTX_R(20)($k1)
	lw	$s5, CTX_R(21)($k1)
	lw	$s6, CTX_R(22)($k1)
	lw	$s7, CTX_R(23)($k1)
	lw	$t8, CTX_R(24)($k1)
	lw	$t9, CTX_R(25)($k1)
	lw	$gp, CTX_R(28)($k1)
	lw	$sp, CTX_R(29)($k1)
	lw	$fp, CTX_R(30)($k1)
	lw	$ra, CTX_R(31)($k1)
	lw	$k0, CTX_PC($k1)
	lui	$k1, %hi(exos_save)
	jr	$k0
	sw	$zero, %lo(exos_save+SAVE_Busy)($k1)	/* delay slot: busy = 0 as we leave */
	.end	exos_ctx_resume

/*
 * exos_ctx_switch(from, op, t): busy = 1, saves the caller in `from`
 * (unless 0), and resumes what thread_switch(op, t) picks. Returns when
 * `from` is resumed.
 */
	.globl	exos_ctx_switch
	.ent	exos_ctx_switch
exos_ctx_switch:
	BUSY_ON
	beqz	$a0, 1f
	nop
	SAVE_CALLEE $a0
1:	SCHED_STACK
	move	$a0, $a1
	jal	thread_switch			/* (op, t): the context to resume */
	move	$a1, $a2
	j	exos_ctx_resume
	move	$a0, $v0
	.end	exos_ctx_switch

/*
 * exos_ctx_yield(num, arg): saves the caller in exos_ctx_cur, then makes
 * system call num (Yield or YieldTo) with a0 = arg, off-thread and with
 * busy clear, so that the next slice begins with the prologue. Returns 0
 * when the thread is resumed, or the call's result if the kernel returns.
 * After a YieldTo that switched the kernel gives back no register but v0
 * (abi.ts): the context is found again in yield_ctx, the stack set anew.
 */
	.globl	exos_ctx_yield
	.ent	exos_ctx_yield
exos_ctx_yield:
	BUSY_ON
	lui	$k0, %hi(exos_ctx_cur)
	lw	$k0, %lo(exos_ctx_cur)($k0)
	nop					/* load delay */
	SAVE_CALLEE $k0
	lui	$t0, %hi(yield_ctx)
	sw	$k0, %lo(yield_ctx)($t0)	/* the thread's context, for the result */
	OFF_THREAD
	SCHED_STACK
	move	$v0, $a0
	move	$a0, $a1
	lui	$k0, %hi(exos_save)
	sw	$zero, %lo(exos_save+SAVE_Busy)($k0)
	syscall
	/* The kernel went on here: yield_to refused, or no prologue came. */
	BUSY_ON
	lui	$s0, %hi(yield_ctx)
	lw	$s0, %lo(yield_ctx)($s0)
	SCHED_STACK
	sw	$v0, CTX_R(2)($s0)
	jal	exos_sched_returned		/* (ctx): the context to resume */
	move	$a0, $s0
	j	exos_ctx_resume
	move	$a0, $v0
	.end	exos_ctx_yield

	.bss
	.balign	4
yield_ctx:
	.space	4
	.balign	8
exos_sched_stack:
	.space	SCHED_STACK_SIZE
	.globl	exos_sched_stack_top
exos_sched_stack_top:
