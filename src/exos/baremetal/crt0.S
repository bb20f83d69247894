/*
 * crt0.S: entry point of a bare-metal guest program.
 *
 * The REX PROM (and GXemul's PROM emulation) starts a program with
 * a0 = argc, a1 = argv, a2 = the magic 0x30464354 ("TCF0") and a3 = the
 * callback vector (docs/reference/decstation.md, "Starting a program like the
 * PROM does"). Status comes in with CU0 set and BEV clear. We keep a3 for
 * prom.h, switch to our own stack, zero .bss, call main(argc, argv) and
 * halt through the PROM when it returns.
 */
	.set	noreorder

	.section .text.start, "ax", @progbits
	.globl	_start
	.ent	_start
_start:
	/* Save the PROM arguments before anything clobbers them. They live in
	   .data, so zeroing .bss below leaves them alone. */
	lui	$t0, %hi(rex_callbacks)
	sw	$a3, %lo(rex_callbacks)($t0)
	lui	$t0, %hi(rex_magic)
	sw	$a2, %lo(rex_magic)($t0)
	move	$s0, $a0
	move	$s1, $a1

	la	$sp, rt_stack_top

	la	$t0, __bss_start
	la	$t1, __bss_end
1:	beq	$t0, $t1, 2f
	nop
	sw	$zero, 0($t0)
	b	1b
	addiu	$t0, $t0, 4

2:	move	$a0, $s0
	jal	main
	move	$a1, $s1

	jal	rt_exit
	move	$a0, $v0
3:	b	3b		/* rt_exit does not return */
	nop
	.end	_start

	.data
	.balign	4
	.globl	rex_callbacks
rex_callbacks:	.word	0
	.globl	rex_magic
rex_magic:	.word	0

	.bss
	.balign	8
	.space	16384
	.globl	rt_stack_top
rt_stack_top:
