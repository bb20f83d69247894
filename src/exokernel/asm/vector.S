/*
 * vector.S: the general exception vector (0x80000080; R3000 manual,
 * "Exception vectors"). Every exception but a kuseg TLB miss comes here;
 * the kernel reads Cause and jumps through a table indexed by ExcCode:
 * interrupts to intr_entry (interrupt.S), system calls to sys_entry
 * (syscall.S), everything else to dispatch_entry (dispatch.S). On the
 * DECstation these eight instructions would be copied to the vector; here
 * each path that starts at the vector is measured from exc_vector.
 */
#include "aegis.h"

	.text
	.set	noreorder
	.set	noat
	.globl	exc_vector
exc_vector:
	mfc0	$k0, C0_CAUSE
	lui	$k1, %hi(exctab)
	andi	$k0, $k0, CAUSE_EXC_MASK	/* ExcCode * 4 */
	addu	$k1, $k1, $k0
	lw	$k1, %lo(exctab)($k1)
	nop				/* load delay */
	jr	$k1
	nop
