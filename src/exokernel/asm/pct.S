/*
 * pct.S: synchronous protected control transfer as Aegis does it (paper,
 * sec. 5.4; docs/reference/exokernel.md "Protected control transfer"): change
 * the program counter to the callee's agreed entry and its address
 * context, donate the rest of the slice, and leave the general registers
 * alone: they carry the message. Nothing is saved but the caller's resume
 * pc; the callee saves what it needs. v1 = the callee's id; on entry the
 * callee finds the caller's id in v0 and the call number in v1.
 *
 * From systab (syscall.S), k0 = call number * 4; only k0, k1, v0 and v1
 * are the kernel's to use. Measured from sys_pct to the callee's entry:
 * Costs.PCT (after Costs.SYSCALL_ENTRY).
 *
 * sched.ts's pct() charges this sequence (Costs.PCT) and, like it, saves
 * no register of the caller's.
 */
#include "aegis.h"

	.text
	.set	noreorder
	.globl	sys_pct
sys_pct:
	andi	$v0, $v1, 63
	sll	$v0, $v0, 2
	lui	$k1, %hi(envtab)
	addu	$k1, $k1, $v0
	lw	$k1, %lo(envtab)($k1)		/* the callee */
	nop
	beqz	$k1, pct_inval
	nop
	lw	$v0, ENV_ID($k1)
	nop
	bne	$v0, $v1, pct_inval		/* a stale id */
	lw	$v0, ENV_STATE($k1)
	nop
	addiu	$v0, $v0, -ENV_RUNNABLE
	bnez	$v0, pct_inval			/* not runnable */
	lw	$v0, ENV_PCTENTRY($k1)
	nop
	beqz	$v0, pct_inval			/* no protected entry */
	lw	$v0, ENV_SAVEK($k1)
	nop
	lw	$v0, SAVE_BUSY($v0)
	nop
	bnez	$v0, pct_busy			/* inside a handler: it cannot take a call */
	lui	$v1, %hi(kdata)
	lw	$v0, %lo(kdata+KD_CURENV)($v1)	/* the caller */
	nop
	beq	$v0, $k1, pct_inval		/* a call to itself */
	nop
	sw	$k1, %lo(kdata+KD_CURENV)($v1)	/* the callee runs on the rest of the slice */
	mfc0	$v1, C0_EPC
	nop
	addiu	$v1, $v1, 4
	sw	$v1, ENV_PC($v0)			/* the caller resumes after its syscall... */
	addiu	$v1, $zero, ENV_WAITING
	sw	$v1, ENV_STATE($v0)		/* ...when the callee replies */
	lw	$v1, ENV_ID($k1)
	nop
	sw	$v1, ENV_WAITON($v0)
	lw	$v0, ENV_ID($v0)			/* v0 = the caller */
	lw	$v1, ENV_ASID($k1)
	lw	$k1, ENV_PCTENTRY($k1)
	mtc0	$v1, C0_ENTRYHI			/* the callee's address space */
	srl	$v1, $k0, 2			/* v1 = the call number */
	jr	$k1
	rfe

	/* Refusals: Err.Inval / Err.Busy in v0 (not measured). */
pct_inval:
pct_busy:
	mfc0	$k1, C0_EPC
	addiu	$v0, $zero, -1
	addiu	$k1, $k1, 4
	jr	$k1
	rfe
