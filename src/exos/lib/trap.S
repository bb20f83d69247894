/*
 * trap.S: the upcall trampoline, exos_upcall, which exos_init registers for
 * every exception code ExOS handles.
 *
 * The kernel enters it as abi.ts describes: at = the save area (which
 * holds EPC, Cause, BadVAddr and the interrupted at, a0, a1), a0 = Cause,
 * a1 = BadVAddr, busy = 1, every other register as the interrupted code
 * left it. k0 and k1 are ours (MIPS ABI). We
 *   1. switch to the exception stack (sp -> the trapframe's TF_SP),
 *   2. save what C may clobber: v0 v1 a2 a3 t0-t9 ra hi lo (s0-s7, fp and
 *      gp are callee-saved; at, a0, a1 are in the save area),
 *   3. call exos_trap(save area, trapframe),
 *   4. restore them and the interrupted sp, then reload a0, a1, EPC and at
 *      from the save area, at last, using k1 as the base (at is the base
 *      until then), and jump to EPC with busy cleared in the delay slot:
 *      busy is 1 until the very instruction that leaves.
 * If the exception hit a branch delay slot, EPC is the branch, and
 * returning there runs branch and slot again, which is what a TLB miss
 * wants. A handler that wants to skip an instruction changes save->epc.
 * The exception stack is not reentrant: busy makes a nested exception
 * fatal anyway. The body is the TRAMPOLINE macro (trampoline.h), which
 * upcall.S uses too for the upcalls dispatched like exceptions.
 */
#include "exos.h"
#include "trampoline.h"

	.set	noreorder
	.set	noat

	.text
	TRAMPOLINE exos_upcall, exos_trap, 0

	.bss
	.balign	8
	.globl	exos_xstack
exos_xstack:
	.space	EXOS_XSTACK_SIZE
	.globl	exos_xstack_top
exos_xstack_top:
