/*
 * ash-rogue-ash.S: hostile ASHs for ash-rogue (abi.ts: ASH_BUDGET). Each
 * first counts its run in rogue_ash_runs (ordinary memory of ours, which
 * an ASH may write), then breaks a rule, which the kernel must answer by
 * aborting it with an event and putting the packet in the ring:
 *   rogue_ash_loop     loops forever (the instruction budget)
 *   rogue_ash_kwrite   stores to 0x80000080, kseg0, the kernel's (an address error)
 *   rogue_ash_syscall  calls cputs, a system call an ASH may not make; had
 *                      the kernel let it through, the text would show it
 *   rogue_ash_wild     stores to 0x50000000, a user address nobody mapped (a TLB
 *                      miss, which an ASH may not take to the library OS)
 * None of them uses the stack. If the kernel ever returns control to one
 * past its violation, it returns v0 = 1 (consume), so the packet never
 * reaches the ring and ash-rogue reports it lost.
 */
#include "aegis.h"

	.set	noreorder
	.text

/* Counts a run: rogue_ash_runs++ (t0, t1). */
#define COUNT_RUN \
	lui	$t0, %hi(rogue_ash_runs); \
	lw	$t1, %lo(rogue_ash_runs)($t0); \
	nop; \
	addiu	$t1, $t1, 1; \
	sw	$t1, %lo(rogue_ash_runs)($t0)

/* What follows a violation the kernel failed to stop: consume the packet. */
#define CONSUME \
	jr	$ra; \
	li	$v0, 1

	.globl	rogue_ash_loop
	.ent	rogue_ash_loop
rogue_ash_loop:
	COUNT_RUN
1:	b	1b
	nop
	.end	rogue_ash_loop

	.globl	rogue_ash_kwrite
	.ent	rogue_ash_kwrite
rogue_ash_kwrite:
	COUNT_RUN
	lui	$t0, 0x8000
	sw	$a0, 0x80($t0)
	CONSUME
	.end	rogue_ash_kwrite

	.globl	rogue_ash_syscall
	.ent	rogue_ash_syscall
rogue_ash_syscall:
	COUNT_RUN
	la	$a0, escaped
	li	$a1, escaped_end - escaped
	li	$v0, SYS_Cputs
	syscall
	nop
	CONSUME
	.end	rogue_ash_syscall

	.globl	rogue_ash_wild
	.ent	rogue_ash_wild
rogue_ash_wild:
	COUNT_RUN
	lui	$t0, 0x5000
	sw	$a0, 0($t0)
	CONSUME
	.end	rogue_ash_wild

	.data
escaped:
	.ascii	"ash-rogue: the kernel let an ASH call cputs\n"
escaped_end:
