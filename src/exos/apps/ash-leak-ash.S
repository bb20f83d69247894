/*
 * ash-leak-ash.S: the two ASHs of ash-leak (abi.ts: ASH_BUDGET). The
 * kernel runs every environment's ASH on one sandbox CPU; these check that
 * nothing of one run reaches the next (Cpu.reset).
 *   leak_ash_plant  fills HI/LO and the registers with leak_secret and
 *                   spins on loads until its instruction budget ends, so
 *                   it is cut off with a load still in its delay slot (or
 *                   a branch pending whose delay slot is a load). Every
 *                   other run starts one instruction later, so that the
 *                   budget ends on a load in at least one of two runs.
 *   leak_ash_read   on its first instruction lets any load in flight
 *                   land, then stores every register, HI and LO in
 *                   leak_dump (in that order: $1..$31, hi, lo) and leaves
 *                   the packet to the ring (v0 = 0); ash-leak checks it.
 * Neither uses the stack or $gp (an ASH gets neither).
 */
#include "aegis.h"

	.set	noreorder
	.set	noat
	.text

	.globl	leak_ash_plant
	.ent	leak_ash_plant
leak_ash_plant:
	lui	$t8, %hi(leak_runs)
	lw	$t9, %lo(leak_runs)($t8)
	nop
	addiu	$t9, $t9, 1
	sw	$t9, %lo(leak_runs)($t8)
	andi	$t9, $t9, 1
	beq	$t9, $zero, 1f		/* odd runs take one instruction more */
	nop
	nop
1:	lui	$t8, %hi(leak_secret)
	lw	$t9, %lo(leak_secret)($t8)
	addiu	$t8, $t8, %lo(leak_secret)
	mult	$t9, $t9		/* HI/LO: the secret squared */
	mtlo	$t9			/* LO: the secret itself */
2:	lw	$t0, 0($t8)		/* every instruction but the branch is a load */
	lw	$t1, 0($t8)
	lw	$t2, 0($t8)
	lw	$t3, 0($t8)
	lw	$t4, 0($t8)
	lw	$t5, 0($t8)
	lw	$t6, 0($t8)
	b	2b
	lw	$t7, 0($t8)
	.end	leak_ash_plant

	.globl	leak_ash_read
	.ent	leak_ash_read
leak_ash_read:
	nop				/* a load in flight would land here */
	lui	$at, %hi(leak_dump)
	addiu	$at, $at, %lo(leak_dump)
	sw	$1, 0($at)
	sw	$2, 4($at)
	sw	$3, 8($at)
	sw	$4, 12($at)
	sw	$5, 16($at)
	sw	$6, 20($at)
	sw	$7, 24($at)
	sw	$8, 28($at)
	sw	$9, 32($at)
	sw	$10, 36($at)
	sw	$11, 40($at)
	sw	$12, 44($at)
	sw	$13, 48($at)
	sw	$14, 52($at)
	sw	$15, 56($at)
	sw	$16, 60($at)
	sw	$17, 64($at)
	sw	$18, 68($at)
	sw	$19, 72($at)
	sw	$20, 76($at)
	sw	$21, 80($at)
	sw	$22, 84($at)
	sw	$23, 88($at)
	sw	$24, 92($at)
	sw	$25, 96($at)
	sw	$26, 100($at)
	sw	$27, 104($at)
	sw	$28, 108($at)
	sw	$29, 112($at)
	sw	$30, 116($at)
	sw	$31, 120($at)
	mfhi	$t0
	mflo	$t1
	sw	$t0, 124($at)
	sw	$t1, 128($at)
	lw	$t0, 132($at)		/* leak_dump[33]: runs seen */
	nop
	addiu	$t0, $t0, 1
	sw	$t0, 132($at)
	jr	$ra
	move	$v0, $zero
	.end	leak_ash_read
