/*
 * thief-pct.S: a raw protected control transfer for the epilogue thief
 * (thief.c): pct_sync or pct_async with the target in v1 and the thief's
 * own registers as the message (abi.ts, PctSync).
 *
 * int thief_pct(uint32_t call, uint32_t target)
 * returns v0 as the kernel left it: an error, or 0 (pct_sync: once the
 * callee answered; pct_async: when the thief runs again).
 */
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
