/*
 * syscall.S: one stub per system call (aegis.h, AEGIS_SYSCALLS): the number
 * in v0, the arguments already in a0..a3 where the C calling convention
 * put them, `syscall`, the result in v0. The kernel changes only v0 and
 * refuses a syscall in a branch delay slot, so the stubs keep it out of one.
 *
 * Except yield_to: the kernel saves none of the caller's registers across
 * it, as Aegis (abi.ts, YieldTo: the caller comes back with every
 * register but v0 zero). So sys_yield_to is written out below and keeps
 * what a C call preserves (s0-s7, gp, sp, fp, ra) in memory, in user
 * mode, around the call. The pct calls are not for C (exos.h; pct.h's
 * exos_pct_call keeps its own).
 */
#include "exos.h"
#include "keep.h"

	.set	noreorder
	.text

#define STUB(name, num) \
	.ifnc name,yield_to; \
	.globl sys_##name; .ent sys_##name; \
sys_##name: li $v0, num; syscall; jr $ra; nop; \
	.end sys_##name; \
	.endif;

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

/*
 * sys_yield_to(envid): keeps s0-s7, gp, sp, fp and ra in yield_keep, makes
 * the call, and takes them back (whether the kernel switched, when they
 * come back zero, or refused, when they are still there). One keep area:
 * a handler that yields_to while its environment is inside this stub
 * would overwrite it.
 */
	.globl	sys_yield_to
	.ent	sys_yield_to
sys_yield_to:
	KEEP_BASE yield_keep
	KEEP_SAVE
	li	$v0, SYS_YieldTo
	syscall
	KEEP_BASE yield_keep
	KEEP_RESTORE
	nop					/* load delay */
	jr	$ra
	nop
	.end	sys_yield_to

	.bss
	.balign	4
yield_keep:
	.space	48
