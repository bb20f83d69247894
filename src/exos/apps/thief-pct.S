/*
 * thief-pct.S: a raw protected control transfer for the epilogue thief
 * (thief.c): pct_sync or pct_async with the target in v1 and the thief's
 * own registers as the message (abi.ts, PctSync).
 *
 * int thief_pct(uint32_t call, uint32_t target)
 * Raw: no register is kept around the call, though the kernel saves none
 * when it switches (abi.ts, PctSync). The thief makes these only in its
 * epilogue, where the kernel refuses them and changes only v0; were one
 * let through, the thief would come back with every register zero and
 * fail, which the scenario would see as well. (Keeping them would make
 * the epilogue longer than the grace period allows.)
 *
 * returns v0 as the kernel left it: an error, or 0 (pct_sync: once the
 * callee answered; pct_async: when the thief runs again).
 */
#include "aegis.h"

	.set	noreorder

	.text
	.globl	thief_pct
	.ent	thief_pct
thief_pct:
	move	$v0, $a0
	move	$v1, $a1
	syscall
	jr	$ra
	nop
	.end	thief_pct

/* int thief_yield_to(uint32_t target): yield_to, raw as thief_pct. */
	.globl	thief_yield_to
	.ent	thief_yield_to
thief_yield_to:
	li	$v0, SYS_YieldTo
	syscall
	jr	$ra
	nop
	.end	thief_yield_to
