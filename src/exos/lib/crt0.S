/*
 * crt0.S: where an ExOS program starts.
 *
 * The kernel enters _start (the ELF entry) in user mode with sp =
 * LAYOUT_STACK_TOP and the image, STACK_PAGES of stack, the info page and
 * the frame table mapped guaranteed, so nothing here can fault. No save
 * area and no handler exist yet: exos_init registers them before anything
 * else runs. We zero .bss (frames arrive holding whatever their previous
 * owner left, whatever the loader did), call exos_init, main(argc, argv)
 * with the arguments exos_init copied from the info page, and exit(main's
 * result), which flushes the console and never returns.
 */
#include "exos.h"

	.set	noreorder

	.section .text.start, "ax", @progbits
	.globl	_start
	.ent	_start
_start:
	la	$t0, __bss_start
	la	$t1, __bss_end
1:	beq	$t0, $t1, 2f
	nop
	sw	$zero, 0($t0)
	b	1b
	addiu	$t0, $t0, 4

2:	addiu	$sp, $sp, -24		/* o32: home for the callee's a0..a3 */
	jal	exos_init
	nop
	lui	$t0, %hi(exos_argc)
	lw	$a0, %lo(exos_argc)($t0)
	lui	$a1, %hi(exos_argv)
	jal	main
	addiu	$a1, $a1, %lo(exos_argv)
	jal	exit
	move	$a0, $v0
3:	b	3b			/* exit does not return */
	nop
	.end	_start
