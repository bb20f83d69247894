/*
 * attacker-pct.S: a raw protected control transfer for the fuzzer
 * (attacker-peer.c), as thief-pct.S: pct_sync or pct_async with the
 * target in v1 and the caller's own registers as the message (abi.ts,
 * PctSync). The reply restores them as the callee left the message.
 *
 * int peer_pct(uint32_t call, uint32_t target)
 * The kernel saves none of the caller's registers (abi.ts, PctSync): what
 * a C call preserves is kept in memory around the call and taken back
 * after it, however the call came back.
 *
 * returns v0 as the kernel left it: an error, or 0 (pct_sync: once the
 * callee answered; pct_async: when the caller runs again).
 */
#include "aegis.h"
#include "keep.h"

	.set	noreorder

	.text
	.globl	peer_pct
	.ent	peer_pct
peer_pct:
	KEEP_BASE peer_keep
	KEEP_SAVE
	move	$v0, $a0
	move	$v1, $a1
	syscall
	move	$v1, $v0
	KEEP_BASE peer_keep
	KEEP_RESTORE
	nop					/* load delay */
	jr	$ra
	move	$v0, $v1
	.end	peer_pct

/*
 * int peer_offer(uint32_t msg[4], uint32_t server): pct_sync to server
 * with a0..a3 = msg[0..3] (the saved registers, sp and ra cleared: they
 * are not the server's business); on success msg[0..3] = the reply's
 * a0..a3.
 * Returns v0 as the kernel left it.
 */
	.globl	peer_offer
	.ent	peer_offer
peer_offer:
	KEEP_BASE peer_keep
	KEEP_SAVE
	sw	$a0, 48($t0)			/* msg */
	move	$v1, $a1
	lw	$a1, 4($a0)
	lw	$a2, 8($a0)
	lw	$a3, 12($a0)
	lw	$a0, 0($a0)
	move	$t0, $zero
	move	$s0, $zero
	move	$s1, $zero
	move	$s2, $zero
	move	$s3, $zero
	move	$s4, $zero
	move	$s5, $zero
	move	$s6, $zero
	move	$s7, $zero
	move	$sp, $zero
	move	$fp, $zero
	move	$ra, $zero
	li	$v0, SYS_PctSync
	syscall
	KEEP_BASE peer_keep
	lw	$t1, 48($t0)
	bnez	$v0, 1f				/* refused: msg untouched */
	nop
	sw	$a0, 0($t1)
	sw	$a1, 4($t1)
	sw	$a2, 8($t1)
	sw	$a3, 12($t1)
1:	KEEP_RESTORE
	nop					/* load delay */
	jr	$ra
	nop
	.end	peer_offer

	.bss
	.balign	4
peer_keep:
	.space	52
