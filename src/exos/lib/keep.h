/*
 * keep.h: what a stub keeps in memory around a system call after which
 * the kernel gives no register back (abi.ts: directed yield and PCT save
 * none; the caller comes back with every register but v0 zero). The
 * registers a C call preserves, s0-s7, gp, sp, fp and ra, go to a keep
 * area of KEEP_SIZE bytes at the offsets below, and come back from it.
 * Assembler only; $t0 is the base, set by KEEP_BASE.
 */
#ifndef EXOS_KEEP_H
#define EXOS_KEEP_H

#define KEEP_SIZE	48

	/* $t0 = the keep area `area`. */
	.macro	KEEP_BASE area
	lui	$t0, %hi(\area)
	addiu	$t0, $t0, %lo(\area)
	.endm

	/* Stores s0-s7, gp, sp, fp, ra at 0($t0)..44($t0). */
	.macro	KEEP_SAVE
	sw	$s0, 0($t0)
	sw	$s1, 4($t0)
	sw	$s2, 8($t0)
	sw	$s3, 12($t0)
	sw	$s4, 16($t0)
	sw	$s5, 20($t0)
	sw	$s6, 24($t0)
	sw	$s7, 28($t0)
	sw	$gp, 32($t0)
	sw	$sp, 36($t0)
	sw	$fp, 40($t0)
	sw	$ra, 44($t0)
	.endm

	/* Loads them back from 0($t0)..44($t0) (ra's load delay is the caller's). */
	.macro	KEEP_RESTORE
	lw	$s0, 0($t0)
	lw	$s1, 4($t0)
	lw	$s2, 8($t0)
	lw	$s3, 12($t0)
	lw	$s4, 16($t0)
	lw	$s5, 20($t0)
	lw	$s6, 24($t0)
	lw	$s7, 28($t0)
	lw	$gp, 32($t0)
	lw	$sp, 36($t0)
	lw	$fp, 40($t0)
	lw	$ra, 44($t0)
	.endm

#endif
