/*
 * interrupt.S: the clock interrupt (trap.ts interrupt(), sched.ts onTick):
 * from the general vector, see IP3 in Cause, acknowledge the MC146818 by
 * reading register C (docs/reference/decstation.md), count the tick off the
 * running slice and, while the slice lasts, return to the interrupted
 * instruction. A slice that ends goes to its epilogue upcall (upcall.S)
 * or, with none, to the context switch (switch.S);
 * a LANCE interrupt (IP2) goes to net_intr (net.S).
 *
 * Measured from exc_vector to the interrupted instruction, a tick in the
 * middle of a slice: Costs.CLOCK_INTERRUPT.
 */
#include "aegis.h"

	.text
	.set	noreorder
	.set	noat
	.globl	intr_entry
intr_entry:
	mfc0	$k0, C0_CAUSE
	nop
	andi	$k1, $k0, CAUSE_IP3
	beqz	$k1, 1f				/* not the clock */
	lui	$k1, %hi(RTC_REGC)
	lbu	$k1, %lo(RTC_REGC)($k1)		/* reading REGC acknowledges */
	lui	$k0, %hi(kdata)
	lw	$k1, %lo(kdata+KD_TICKS)($k0)
	nop
	addiu	$k1, $k1, -1
	blez	$k1, slice_end			/* the slice is over */
	sw	$k1, %lo(kdata+KD_TICKS)($k0)
	mfc0	$k0, C0_CAUSE			/* the LANCE too? */
	nop
	andi	$k0, $k0, CAUSE_IP2
1:	bnez	$k0, net_intr
	nop
	mfc0	$k0, C0_EPC
	nop
	jr	$k0
	rfe

	/* The end of a slice (k0 = kdata's %hi): an environment with an
	   epilogue gets that upcall and a grace period (upcall.S; not measured
	   here); any other is switched out by the kernel (switch.S). */
slice_end:
	lw	$k0, %lo(kdata+KD_CURENV)($k0)
	nop
	lw	$k1, ENV_EPILOGUE($k0)
	nop
	beqz	$k1, ctx_switch
	nop
	break	3
	nop
