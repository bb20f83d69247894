/*
 * syscall.S: one stub per system call (aegis.h, AEGIS_SYSCALLS): the number
 * in v0, the arguments already in a0..a3 where the C calling convention
 * put them, `syscall`, the result in v0. The kernel changes only v0 and
 * refuses a syscall in a branch delay slot, so the stubs keep it out of one.
 */
#include "exos.h"

	.set	noreorder
	.text

#define STUB(name, num) \
	.globl sys_##name; .ent sys_##name; \
sys_##name: li $v0, num; syscall; jr $ra; nop; \
	.end sys_##name;

AEGIS_SYSCALLS(STUB)

/* sys_call(a0, a1, a2, a3, num): any number; the fifth argument is at 16(sp). */
	.globl	sys_call
	.ent	sys_call
sys_call:
	lw	$v0, 16($sp)
	nop				/* load delay */
	syscall
	jr	$ra
	nop
	.end	sys_call
