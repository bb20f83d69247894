/*
 * trampoline.h: the body of every entry the kernel dispatches like an
 * exception (abi.ts: at = the save area, which holds EPC, Cause, BadVAddr
 * and the interrupted at, a0, a1; busy = 1), as a gas macro for trap.S and
 * upcall.S. `TRAMPOLINE name, cfunc, args` defines `name`, which
 *   1. switches to the exception stack (sp -> the trapframe's TF_SP),
 *   2. saves what C may clobber: v0 v1 a2 a3 t0-t9 ra hi lo (s0-s7, fp and
 *      gp are callee-saved; at, a0, a1 are in the save area),
 *   3. calls cfunc(save area, trapframe), and with args = 1
 *      cfunc(save area, trapframe, a0, a1) with the a0 and a1 the kernel
 *      passed (an upcall's arguments),
 *   4. restores them and the interrupted sp, then reloads a0, a1, EPC and
 *      at from the save area, at last, using k1 as the base (at is the base
 *      until then), and jumps to EPC with busy cleared in the delay slot:
 *      busy is 1 until the very instruction that leaves.
 * Include it after exos.h, with .set noreorder and .set noat in force.
 */
#ifndef EXOS_TRAMPOLINE_H
#define EXOS_TRAMPOLINE_H

/* Frame on the exception stack: 16 bytes of home for cfunc's a0..a3, then the trapframe. */
#define HOME	16
#define XFRAME	(HOME + TF_SIZE)

	.macro	TRAMPOLINE name, cfunc, args
	.globl	\name
	.ent	\name
\name:
	lui	$k0, %hi(exos_xstack_top - XFRAME)
	addiu	$k0, $k0, %lo(exos_xstack_top - XFRAME)
	sw	$sp, HOME+TF_SP($k0)
	move	$sp, $k0
	sw	$at, HOME+TF_SAVE($sp)
	sw	$v0, HOME+TF_V0($sp)
	sw	$v1, HOME+TF_V1($sp)
	sw	$a2, HOME+TF_A2($sp)
	sw	$a3, HOME+TF_A3($sp)
	sw	$t0, HOME+TF_T0+0($sp)
	sw	$t1, HOME+TF_T0+4($sp)
	sw	$t2, HOME+TF_T0+8($sp)
	sw	$t3, HOME+TF_T0+12($sp)
	sw	$t4, HOME+TF_T0+16($sp)
	sw	$t5, HOME+TF_T0+20($sp)
	sw	$t6, HOME+TF_T0+24($sp)
	sw	$t7, HOME+TF_T0+28($sp)
	sw	$t8, HOME+TF_T0+32($sp)
	sw	$t9, HOME+TF_T0+36($sp)
	sw	$ra, HOME+TF_RA($sp)
	mfhi	$k0
	mflo	$k1
	sw	$k0, HOME+TF_HI($sp)
	sw	$k1, HOME+TF_LO($sp)

	.if	\args
	move	$a2, $a0			/* the upcall's arguments */
	move	$a3, $a1
	.endif
	move	$a0, $at			/* cfunc(save, tf[, a0, a1]) */
	jal	\cfunc
	addiu	$a1, $sp, HOME

	lw	$k0, HOME+TF_HI($sp)
	lw	$k1, HOME+TF_LO($sp)
	lw	$v0, HOME+TF_V0($sp)
	mthi	$k0
	mtlo	$k1
	lw	$v1, HOME+TF_V1($sp)
	lw	$a2, HOME+TF_A2($sp)
	lw	$a3, HOME+TF_A3($sp)
	lw	$t0, HOME+TF_T0+0($sp)
	lw	$t1, HOME+TF_T0+4($sp)
	lw	$t2, HOME+TF_T0+8($sp)
	lw	$t3, HOME+TF_T0+12($sp)
	lw	$t4, HOME+TF_T0+16($sp)
	lw	$t5, HOME+TF_T0+20($sp)
	lw	$t6, HOME+TF_T0+24($sp)
	lw	$t7, HOME+TF_T0+28($sp)
	lw	$t8, HOME+TF_T0+32($sp)
	lw	$t9, HOME+TF_T0+36($sp)
	lw	$ra, HOME+TF_RA($sp)
	lw	$k1, HOME+TF_SAVE($sp)		/* k1 = the save area from here on */
	lw	$sp, HOME+TF_SP($sp)
	lw	$a0, SAVE_A0($k1)
	lw	$a1, SAVE_A1($k1)
	lw	$k0, SAVE_EPC($k1)
	lw	$at, SAVE_AT($k1)
	jr	$k0
	sw	$zero, SAVE_Busy($k1)		/* delay slot: busy = 0 as we leave */
	.end	\name
	.endm

#endif
