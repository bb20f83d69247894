/*
 * upcall.S: delivering an upcall (trap.ts dispatchUpcall; sched.ts's
 * prologue and epilogue, revoke.ts's revocation upcalls): entered inside
 * the kernel with k0 = the environment and the pending upcall in kdata
 * (its entry pc in KD_UPPC, its arguments in KD_UPA0/KD_UPA1). As
 * dispatch.S: at/a0/a1 and EPC into the save area (Cause and BadVAddr 0:
 * no exception), busy set; then the environment's address space
 * (EntryHi), a0/a1 as given, at = the save area, user mode at the entry.
 *
 * Measured from upcall_deliver to the entry's first instruction:
 * Costs.UPCALL.
 */
#include "aegis.h"

	.text
	.set	noreorder
	.set	noat
	.globl	upcall_deliver
upcall_deliver:
	lui	$k1, %hi(kdata)
	sw	$k0, %lo(kdata+KD_CURENV)($k1)	/* it runs now */
	lw	$k1, ENV_SAVEK($k0)
	nop
	beqz	$k1, upcall_fatal
	nop
	sw	$at, SAVE_AT($k1)
	lw	$at, SAVE_BUSY($k1)
	sw	$a0, SAVE_A0($k1)
	bnez	$at, upcall_fatal		/* inside its handler already */
	sw	$a1, SAVE_A1($k1)
	mfc0	$at, C0_EPC
	sw	$zero, SAVE_CAUSE($k1)
	sw	$zero, SAVE_BADVADDR($k1)
	sw	$at, SAVE_EPC($k1)
	addiu	$at, $zero, 1
	sw	$at, SAVE_BUSY($k1)
	lw	$at, ENV_ASID($k0)
	lui	$k1, %hi(kdata)
	mtc0	$at, C0_ENTRYHI			/* its address space */
	lw	$a0, %lo(kdata+KD_UPA0)($k1)
	lw	$a1, %lo(kdata+KD_UPA1)($k1)
	lw	$k1, %lo(kdata+KD_UPPC)($k1)
	lw	$at, ENV_SAVEVA($k0)		/* at = the save area */
	jr	$k1
	rfe

	/* The environment dies (not measured). */
upcall_fatal:
	break	4
	nop
