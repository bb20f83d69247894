/*
 * crt0.S: where a user program starts. exec leaves a0 = argc, a1 = argv
 * and sp below the arguments; main's return value is the exit status.
 */
#include "../kernel/syscall.h"

	.set	noreorder
	.section .text.start, "ax", @progbits
	.globl	_start
	.ent	_start
_start:
	jal	main
	nop
	move	$a0, $v0
	li	$v0, SYS_exit
	syscall
1:	b	1b
	nop
	.end	_start

/* sigtramp: where a signal handler returns (the kernel sets ra to it).
   The kernel called the handler with sp 16 bytes below the sigframe, and
   the handler returns with sp as it found it, so the frame is at sp + 16. */
	.globl	sigtramp
	.ent	sigtramp
sigtramp:
	addiu	$a0, $sp, 16
	li	$v0, SYS_sigreturn
	syscall
2:	b	2b
	nop
	.end	sigtramp
