/*
 * exc-bench-asm.S: the two loops exc-bench times, and the breakpoint
 * handler the kernel dispatches to (exc-bench.c).
 *
 * bp_handler is the whole of the library OS's side of a breakpoint: the
 * kernel entered it with at = the save area (EPC, Cause, BadVAddr, at, a0,
 * a1, busy: abi.ts Save), a0 = Cause, a1 = BadVAddr (Aegis paper, sec.
 * 5.2). It steps over the break, puts a0, a1 and at back and returns
 * itself, clearing busy in the jump's delay slot: the kernel is not
 * entered on the way back.
 */
	.set	noreorder
	.set	noat
	.text

	.globl	bp_handler
	.ent	bp_handler
bp_handler:
	lw	$k0, 0($at)		/* EPC: the break */
	lw	$a0, 16($at)
	lw	$a1, 20($at)
	addiu	$k0, $k0, 4		/* the instruction after it */
	move	$k1, $at
	lw	$at, 12($k1)
	jr	$k0
	sw	$zero, 24($k1)		/* busy = 0, as it leaves */
	.end	bp_handler

/* break_loop(n): n breakpoints, each taken and returned from; returns breaks counted in v0. */
	.globl	break_loop
	.ent	break_loop
break_loop:
	move	$v0, $zero
1:	break	7
	addiu	$v0, $v0, 1
	bne	$v0, $a0, 1b
	nop
	jr	$ra
	nop
	.end	break_loop

/* nop_loop(n): the same loop with a nop where the break was: the baseline. */
	.globl	nop_loop
	.ent	nop_loop
nop_loop:
	move	$v0, $zero
1:	nop
	addiu	$v0, $v0, 1
	bne	$v0, $a0, 1b
	nop
	jr	$ra
	nop
	.end	nop_loop
