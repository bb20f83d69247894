/*
 * pct.S: the protected entry and the LRPC client stub (pct.h has the
 * protocol). The entry runs with the caller's registers: it may use only
 * k0 and k1 (the kernel's in the MIPS ABI, never part of a message) until
 * the message is saved.
 */
#include "pct.h"
#include "keep.h"

	.set	noreorder
	.set	noat

/* sp = the top of the PCT stack, less a home for a callee's a0..a3. */
	.macro	PCT_STACK
	lui	$sp, %hi(exos_pct_stack_top - 16)
	addiu	$sp, $sp, %lo(exos_pct_stack_top - 16)
	.endm

	.text

/* A call: v0 = the caller, v1 = the call number, the rest the message. */
	.globl	exos_pct_entry
	.ent	exos_pct_entry
exos_pct_entry:
	lui	$k0, %hi(exos_pct_msg)
	addiu	$k0, $k0, %lo(exos_pct_msg)
	sw	$1, MSG_R(1)($k0)
	sw	$2, MSG_R(2)($k0)
	sw	$3, MSG_R(3)($k0)
	sw	$4, MSG_R(4)($k0)
	sw	$5, MSG_R(5)($k0)
	sw	$6, MSG_R(6)($k0)
	sw	$7, MSG_R(7)($k0)
	sw	$8, MSG_R(8)($k0)
	sw	$9, MSG_R(9)($k0)
	sw	$10, MSG_R(10)($k0)
	sw	$11, MSG_R(11)($k0)
	sw	$12, MSG_R(12)($k0)
	sw	$13, MSG_R(13)($k0)
	sw	$14, MSG_R(14)($k0)
	sw	$15, MSG_R(15)($k0)
	sw	$16, MSG_R(16)($k0)
	sw	$17, MSG_R(17)($k0)
	sw	$18, MSG_R(18)($k0)
	sw	$19, MSG_R(19)($k0)
	sw	$20, MSG_R(20)($k0)
	sw	$21, MSG_R(21)($k0)
	sw	$22, MSG_R(22)($k0)
	sw	$23, MSG_R(23)($k0)
	sw	$24, MSG_R(24)($k0)
	sw	$25, MSG_R(25)($k0)
	sw	$28, MSG_R(28)($k0)
	sw	$29, MSG_R(29)($k0)
	sw	$30, MSG_R(30)($k0)
	sw	$31, MSG_R(31)($k0)
	mfhi	$k1
	sw	$k1, MSG_HI($k0)
	mflo	$k1
	sw	$k1, MSG_LO($k0)
	PCT_STACK
	jal	exos_pct_serve			/* (msg): 1 to reply */
	move	$a0, $k0
	beqz	$v0, 2f
	nop
	/* The reply: the message as the handler left it, v1 = the caller. */
	lui	$k1, %hi(exos_pct_msg)
	addiu	$k1, $k1, %lo(exos_pct_msg)
	lw	$k0, MSG_HI($k1)
	nop					/* load delay */
	mthi	$k0
	lw	$k0, MSG_LO($k1)
	nop
	mtlo	$k0
	lw	$1, MSG_R(1)($k1)
	lw	$4, MSG_R(4)($k1)
	lw	$5, MSG_R(5)($k1)
	lw	$6, MSG_R(6)($k1)
	lw	$7, MSG_R(7)($k1)
	lw	$8, MSG_R(8)($k1)
	lw	$9, MSG_R(9)($k1)
	lw	$10, MSG_R(10)($k1)
	lw	$11, MSG_R(11)($k1)
	lw	$12, MSG_R(12)($k1)
	lw	$13, MSG_R(13)($k1)
	lw	$14, MSG_R(14)($k1)
	lw	$15, MSG_R(15)($k1)
	lw	$16, MSG_R(16)($k1)
	lw	$17, MSG_R(17)($k1)
	lw	$18, MSG_R(18)($k1)
	lw	$19, MSG_R(19)($k1)
	lw	$20, MSG_R(20)($k1)
	lw	$21, MSG_R(21)($k1)
	lw	$22, MSG_R(22)($k1)
	lw	$23, MSG_R(23)($k1)
	lw	$24, MSG_R(24)($k1)
	lw	$25, MSG_R(25)($k1)
	lw	$28, MSG_R(28)($k1)
	lw	$29, MSG_R(29)($k1)
	lw	$30, MSG_R(30)($k1)
	lw	$31, MSG_R(31)($k1)
	lw	$v1, MSG_R(2)($k1)		/* the caller: v0 as the call came */
	li	$v0, SYS_PctReply
	syscall
	/* The kernel goes on here: after the reply, or at once when it refused it. */
	move	$a0, $v0
1:	PCT_STACK
	jal	exos_pct_after			/* (result): never returns */
	nop
2:	b	1b				/* asynchronous: no reply */
	move	$a0, $zero
	.end	exos_pct_entry

/*
 * exos_pct_call(env, a0, a1, answer): pct_sync with v1 = env and the two
 * words in a0, a1, every other register cleared so that the server learns
 * nothing else of ours. The kernel saves none of them (abi.ts, PctSync)
 * and the reply brings the server's: ours that a call preserves, and
 * answer, are kept in pct_keep across it.
 */
	.globl	exos_pct_call
	.ent	exos_pct_call
exos_pct_call:
	KEEP_BASE pct_keep
	KEEP_SAVE
	sw	$a3, 48($t0)
	move	$v1, $a0
	move	$a0, $a1
	move	$a1, $a2
	/* The message is a0/a1 alone: every other register the callee would see is cleared (abi.ts, PctSync). */
	move	$1, $zero
	move	$a2, $zero
	move	$a3, $zero
	move	$t0, $zero
	move	$t1, $zero
	move	$t2, $zero
	move	$t3, $zero
	move	$t4, $zero
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
	move	$fp, $zero
	move	$ra, $zero
	mthi	$zero
	mtlo	$zero
	li	$v0, SYS_PctSync
	syscall
	KEEP_BASE pct_keep
	KEEP_RESTORE
	lw	$a3, 48($t0)
	bltz	$v0, 1f				/* refused: answer untouched */
	nop
	sw	$a0, 0($a3)
	sw	$a1, 4($a3)
1:	jr	$ra
	nop
	.end	exos_pct_call

	.bss
	.balign	8
pct_keep:
	.space	52
	.balign	8
exos_pct_stack:
	.space	PCT_STACK_SIZE
	.globl	exos_pct_stack_top
exos_pct_stack_top:
