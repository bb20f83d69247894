/*
 * asmtest.h: macros for conformance programs written in assembler.
 *
 * TEST_BEGIN/TEST_END wrap run_tests() and keep s0-s7, s8 and ra for the C
 * caller; REPORT(name, reg) calls report(name, reg), which clobbers every
 * caller-saved register (keep values to compare in s-registers).
 */
#ifndef EXOS_CONFORMANCE_ASMTEST_H
#define EXOS_CONFORMANCE_ASMTEST_H

#define TEST_BEGIN(name)		\
	.section .rodata;		\
	.globl	test_name;		\
test_name: .asciz name;			\
	.text;				\
	.globl	run_tests;		\
	.ent	run_tests;		\
run_tests:				\
	addiu	$sp, $sp, -48;		\
	sw	$ra, 44($sp);		\
	sw	$s0, 40($sp);		\
	sw	$s1, 36($sp);		\
	sw	$s2, 32($sp);		\
	sw	$s3, 28($sp);		\
	sw	$s4, 24($sp);		\
	sw	$s5, 20($sp);		\
	sw	$s6, 16($sp);		\
	sw	$s7, 12($sp);		\
	sw	$s8, 8($sp)

#define TEST_END			\
	lw	$ra, 44($sp);		\
	lw	$s0, 40($sp);		\
	lw	$s1, 36($sp);		\
	lw	$s2, 32($sp);		\
	lw	$s3, 28($sp);		\
	lw	$s4, 24($sp);		\
	lw	$s5, 20($sp);		\
	lw	$s6, 16($sp);		\
	lw	$s7, 12($sp);		\
	lw	$s8, 8($sp);		\
	jr	$ra;			\
	addiu	$sp, $sp, 48;		\
	.end	run_tests

#define REPORT(name, reg)		\
	move	$a1, reg;		\
	la	$a0, 9f;		\
	jal	report;			\
	nop;				\
	.pushsection .rodata;		\
9:	.asciz	name;			\
	.popsection

#endif
