/*
 * exctest.S: code that exceptions.c and usermode.c jump into.
 *
 * exc_sled is where a misaligned or bus-erroring jump lands if the
 * emulator under test does not raise the exception: it returns to r31, so
 * the program goes on and reports "no exception" instead of running wild.
 *
 * user_page is one page of position-independent snippets, mapped at
 * USER_VA by the tests and entered in user mode with exc_run_user(); a2
 * carries the argument. Every snippet ends in a syscall, so a snippet whose
 * first instruction does not trap still comes back, with ExcCode Sys.
 */
#include "mips.h"

	.set	noreorder
	.set	noat
	.text

	.globl	exc_sled
	.balign	16
exc_sled:
	jr	$ra
	nop
	jr	$ra
	nop

	.section .text.user, "ax", @progbits
	.balign	4096
	.globl	user_page
user_page:

#define SNIPPET(name) .globl name; .balign 16; name:

SNIPPET(u_syscall)
	syscall
	syscall
SNIPPET(u_break)
	break	3
	syscall
SNIPPET(u_mfc0)			/* CpU when CU0 is clear */
	mfc0	$t0, C0_STATUS
	nop
	syscall
SNIPPET(u_mtc0)			/* CpU when CU0 is clear */
	mtc0	$zero, C0_ENTRYHI
	nop
	syscall
SNIPPET(u_rfe)			/* rfe is a COP0 instruction too */
	rfe
	syscall
SNIPPET(u_tlbp)
	tlbp
	syscall
SNIPPET(u_load)			/* lw from the address in a2 */
	lw	$t0, 0($a2)
	nop
	syscall
SNIPPET(u_store)		/* sw to the address in a2 */
	sw	$zero, 0($a2)
	syscall
SNIPPET(u_jump)			/* jr to the address in a2 */
	jr	$a2
	nop
	syscall
SNIPPET(u_mfc1)			/* CpU, CE=1, when CU1 is clear */
	.word	0x44080000	/* mfc1 t0, $f0 */
	nop
	syscall
SNIPPET(u_status)		/* with CU0 set: v0 <- Status, then Sys */
	mfc0	$v0, C0_STATUS
	nop
	syscall
	.balign	4096
	.globl	user_page_end
user_page_end:
