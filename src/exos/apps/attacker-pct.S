/*
 * attacker-pct.S: a raw protected control transfer for the fuzzer
 * (attacker-peer.c), as thief-pct.S: pct_sync or pct_async with the
 * target in v1 and the caller's own registers as the message (abi.ts,
 * PctSync). The reply restores them as the callee left the message.
 *
 * int peer_pct(uint32_t call, uint32_t target)
 * returns v0 as the kernel left it: an error, or 0 (pct_sync: once the
 * callee answered; pct_async: when the caller runs again).
 */
	.set	noreorder

	.text
	.globl	peer_pct
	.ent	peer_pct
peer_pct:
	move	$v0, $a0
	move	$v1, $a1
	syscall
	jr	$ra
	nop
	.end	peer_pct
