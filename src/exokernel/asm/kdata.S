/*
 * kdata.S: the kernel's data for the sequences in this directory
 * (aegis.h describes the layout): its globals, the exception table the
 * general vector indexes by ExcCode, the system call tables, the
 * environment table and the STLB. test/exokernel/costs.test.ts fills them
 * in before it runs a sequence.
 */
#include "aegis.h"

	.section .text.start, "ax"
	.set	noreorder
	.globl	_start
	/* Not a program: the image holds sequences the test runs one by one. */
_start:	break	0
	nop

	.data
	.align	2
	.globl	kdata
kdata:	.space	KD_SIZE

	/* The general exception vector's table (vector.S): by ExcCode. */
	.globl	exctab
exctab:
	.word	intr_entry		/* 0 Int */
	.rept	7
	.word	dispatch_entry		/* 1..7: Mod, TLBL, TLBS, AdEL, AdES, IBE, DBE */
	.endr
	.word	sys_entry		/* 8 Sys */
	.rept	23
	.word	dispatch_entry		/* 9 Bp, 10 RI, 11 CpU, 12 Ov, the rest */
	.endr

	/* System calls: systab is where sys_entry jumps; an ordinary call goes
	   through sys_call, which calls its body from calltab. */
	.globl	systab
systab:	.rept	NSYS
	.word	sys_call
	.endr
	.globl	calltab
calltab: .rept	NSYS
	.word	sys_null
	.endr

	.globl	envtab
envtab:	.space	64 * 4

	/* The time-slice vector (switch.S). */
	.globl	slicevec
slicevec: .space	SLICES

	.bss
	.align	3
	.globl	stlb
stlb:	.space	4096 * 8
