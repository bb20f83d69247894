/*
 * dispatch.S: dispatching an exception to the library OS (Aegis paper,
 * sec. 5.2; docs/reference/exokernel.md "Exception dispatch"): save three
 * scratch registers (at, a0, a1) in the environment's save area, store
 * EPC, Cause and BadVAddr there, mark it busy, and enter the handler for
 * the cause in user mode with a0 = Cause, a1 = BadVAddr and at = the save
 * area's user address. What trap.ts's dispatch() does, as MIPS I.
 *
 * Measured (costs.test.ts) from exc_vector (vector.S) to the handler's
 * first instruction: Costs.DISPATCH. Two checks the paper's 18
 * instructions may not have: an exception inside the handler (busy) is
 * fatal, and BadVAddr is passed only for the causes that set it (R3000
 * manual, "BadVAddr register": Mod, TLBL, TLBS, AdEL, AdES), else 0, so
 * that no environment reads an address another one faulted on.
 */
#include "aegis.h"

	.text
	.set	noreorder
	.set	noat
	.globl	dispatch_entry
dispatch_entry:
	lui	$k0, %hi(kdata)
	lw	$k0, %lo(kdata+KD_CURENV)($k0)	/* env */
	nop
	lw	$k1, ENV_SAVEK($k0)		/* its save area, kseg0 */
	nop
	beqz	$k1, dispatch_fatal		/* none registered */
	nop
	sw	$at, SAVE_AT($k1)			/* the three scratch registers */
	lw	$at, SAVE_BUSY($k1)
	sw	$a0, SAVE_A0($k1)
	bnez	$at, dispatch_fatal		/* already inside its handler */
	sw	$a1, SAVE_A1($k1)
	mfc0	$a0, C0_CAUSE
	mfc0	$at, C0_EPC
	andi	$a1, $a0, CAUSE_EXC_MASK		/* ExcCode * 4 */
	sw	$at, SAVE_EPC($k1)
	sw	$a0, SAVE_CAUSE($k1)
	addiu	$at, $a1, -4
	sltiu	$at, $at, 20			/* 1 for ExcCode 1..5 */
	subu	$at, $zero, $at			/* all ones, or zero */
	mfc0	$a1, C0_BADVADDR
	nop					/* CP0 read delay */
	and	$a1, $a1, $at			/* BadVAddr, or 0 */
	sw	$a1, SAVE_BADVADDR($k1)
	addiu	$at, $zero, 1
	sw	$at, SAVE_BUSY($k1)
	andi	$k1, $a0, CAUSE_EXC_MASK
	addu	$k1, $k1, $k0
	lw	$k1, ENV_HANDLERS($k1)		/* the handler for this cause */
	lw	$at, ENV_SAVEVA($k0)		/* at = the save area, as the handler sees it */
	beqz	$k1, dispatch_fatal		/* no handler: the environment dies */
	nop
	jr	$k1
	rfe					/* user mode, in the jump's delay slot */

	.globl	dispatch_fatal
	/* The environment is destroyed (kernel.ts destroyEnv); not a measured path. */
dispatch_fatal:
	break	1
	nop
