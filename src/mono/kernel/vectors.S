/*
 * vectors.S: the exception vectors, the way into and out of the kernel,
 * and the context switch.
 *
 * The R3000A takes a user-space TLB miss at 0x80000000 and every other
 * exception at 0x80000080 (Status.BEV = 0; R3000 manual ch. 5). On entry
 * it has pushed the KU/IE stack (kernel mode, interrupts off) and set EPC,
 * Cause and, for address and TLB exceptions, BadVAddr and EntryHi's VPN.
 * k0 and k1 are the kernel's to clobber; nothing else is.
 */
#include "mips.h"
#include "mmu.h"

	.set	noreorder
	.set	noat
	.text

/*
 * The UTLB refill handler, copied to 0x80000000 by vec_install (so it must
 * be position independent and at most 32 instructions). It walks the
 * current process's two-level page table (mmu.h) and writes the PTE for
 * BadVAddr into a random TLB entry; EntryHi already holds the faulting VPN
 * and the current ASID. A missing page-table page goes to the general
 * handler, which sees ExcCode TLBL/TLBS and treats it as an unmapped page.
 * A PTE without V is written as it is: the retried access then raises a
 * TLB-invalid exception through the general vector.
 */
	.globl	utlb_refill
utlb_refill:
	mfc0	$k0, C0_BADVADDR
	lui	$k1, %hi(cur_pgdir)
	lw	$k1, %lo(cur_pgdir)($k1)
	srl	$k0, $k0, PDXSHIFT
	sll	$k0, $k0, 2
	addu	$k1, $k1, $k0
	lw	$k1, 0($k1)		/* the page of PTEs, or 0 */
	mfc0	$k0, C0_BADVADDR
	beqz	$k1, 1f
	srl	$k0, $k0, PTXSHIFT - 2	/* delay slot: VA[21:12] * 4, unmasked */
	andi	$k0, $k0, 0xffc
	addu	$k1, $k1, $k0
	lw	$k0, 0($k1)		/* the PTE */
	nop
	mtc0	$k0, C0_ENTRYLO
	nop
	tlbwr
	mfc0	$k1, C0_EPC
	nop
	jr	$k1
	rfe
1:	lui	$k0, %hi(trap_entry)
	addiu	$k0, $k0, %lo(trap_entry)
	jr	$k0
	nop
	.globl	utlb_refill_end
utlb_refill_end:

/* The general vector, copied to 0x80000080. */
	.globl	general_vector
general_vector:
	lui	$k0, %hi(trap_entry)
	addiu	$k0, $k0, %lo(trap_entry)
	jr	$k0
	nop
	.globl	general_vector_end
general_vector_end:

/*
 * trap_entry: save everything in a struct trapframe and call trap(tf).
 * From user mode (KUp set) the frame goes at the top of the current
 * process's kernel stack (kstack_top); from kernel mode, below the
 * interrupted kernel's own sp.
 */
	.globl	trap_entry
trap_entry:
	mfc0	$k0, C0_STATUS
	move	$k1, $sp
	andi	$k0, $k0, ST_KUP
	beqz	$k0, 1f
	nop
	lui	$k0, %hi(kstack_top)
	lw	$sp, %lo(kstack_top)($k0)
	nop				/* load delay: the next instruction uses sp */
1:	addiu	$sp, $sp, -TF_SIZE
	sw	$k1, TF_REG(29)($sp)
	sw	$1, TF_REG(1)($sp)
	sw	$2, TF_REG(2)($sp)
	sw	$3, TF_REG(3)($sp)
	sw	$4, TF_REG(4)($sp)
	sw	$5, TF_REG(5)($sp)
	sw	$6, TF_REG(6)($sp)
	sw	$7, TF_REG(7)($sp)
	sw	$8, TF_REG(8)($sp)
	sw	$9, TF_REG(9)($sp)
	sw	$10, TF_REG(10)($sp)
	sw	$11, TF_REG(11)($sp)
	sw	$12, TF_REG(12)($sp)
	sw	$13, TF_REG(13)($sp)
	sw	$14, TF_REG(14)($sp)
	sw	$15, TF_REG(15)($sp)
	sw	$16, TF_REG(16)($sp)
	sw	$17, TF_REG(17)($sp)
	sw	$18, TF_REG(18)($sp)
	sw	$19, TF_REG(19)($sp)
	sw	$20, TF_REG(20)($sp)
	sw	$21, TF_REG(21)($sp)
	sw	$22, TF_REG(22)($sp)
	sw	$23, TF_REG(23)($sp)
	sw	$24, TF_REG(24)($sp)
	sw	$25, TF_REG(25)($sp)
	sw	$28, TF_REG(28)($sp)
	sw	$30, TF_REG(30)($sp)
	sw	$31, TF_REG(31)($sp)
	mfhi	$t0
	mflo	$t1
	sw	$t0, TF_HI($sp)
	sw	$t1, TF_LO($sp)
	mfc0	$t0, C0_EPC
	mfc0	$t1, C0_STATUS
	sw	$t0, TF_EPC($sp)
	mfc0	$t0, C0_CAUSE
	sw	$t1, TF_STATUS($sp)
	mfc0	$t1, C0_BADVADDR
	sw	$t0, TF_CAUSE($sp)
	sw	$t1, TF_BADVADDR($sp)
	move	$a0, $sp
	jal	trap
	addiu	$sp, $sp, -16		/* o32 argument save area */
	addiu	$sp, $sp, 16
	/* fall through */

/*
 * trapret: sp points at a trapframe; restore it and return to where it
 * was taken. Status gets the saved value (KUc/IEc clear, so no interrupt
 * arrives while registers are half restored); rfe in the jump's delay slot
 * pops the KU/IE stack back to the interrupted mode.
 */
	.globl	trapret
trapret:
	lw	$t0, TF_HI($sp)
	lw	$t1, TF_LO($sp)
	mthi	$t0
	mtlo	$t1
	lw	$t0, TF_STATUS($sp)
	nop
	mtc0	$t0, C0_STATUS
	lw	$1, TF_REG(1)($sp)
	lw	$2, TF_REG(2)($sp)
	lw	$3, TF_REG(3)($sp)
	lw	$4, TF_REG(4)($sp)
	lw	$5, TF_REG(5)($sp)
	lw	$6, TF_REG(6)($sp)
	lw	$7, TF_REG(7)($sp)
	lw	$8, TF_REG(8)($sp)
	lw	$9, TF_REG(9)($sp)
	lw	$10, TF_REG(10)($sp)
	lw	$11, TF_REG(11)($sp)
	lw	$12, TF_REG(12)($sp)
	lw	$13, TF_REG(13)($sp)
	lw	$14, TF_REG(14)($sp)
	lw	$15, TF_REG(15)($sp)
	lw	$16, TF_REG(16)($sp)
	lw	$17, TF_REG(17)($sp)
	lw	$18, TF_REG(18)($sp)
	lw	$19, TF_REG(19)($sp)
	lw	$20, TF_REG(20)($sp)
	lw	$21, TF_REG(21)($sp)
	lw	$22, TF_REG(22)($sp)
	lw	$23, TF_REG(23)($sp)
	lw	$24, TF_REG(24)($sp)
	lw	$25, TF_REG(25)($sp)
	lw	$28, TF_REG(28)($sp)
	lw	$30, TF_REG(30)($sp)
	lw	$31, TF_REG(31)($sp)
	lw	$k0, TF_EPC($sp)
	lw	$sp, TF_REG(29)($sp)
	jr	$k0
	rfe

/*
 * swtch(old, new): save the callee-saved registers, sp and ra in *old and
 * load them from *new (struct context, proc.h); returns on new's stack to
 * new's ra. A new process's context has ra = trapret and sp = its frame.
 */
	.globl	swtch
	.ent	swtch
swtch:
	sw	$16, 0($a0)
	sw	$17, 4($a0)
	sw	$18, 8($a0)
	sw	$19, 12($a0)
	sw	$20, 16($a0)
	sw	$21, 20($a0)
	sw	$22, 24($a0)
	sw	$23, 28($a0)
	sw	$30, 32($a0)
	sw	$29, 36($a0)
	sw	$31, 40($a0)
	lw	$16, 0($a1)
	lw	$17, 4($a1)
	lw	$18, 8($a1)
	lw	$19, 12($a1)
	lw	$20, 16($a1)
	lw	$21, 20($a1)
	lw	$22, 24($a1)
	lw	$23, 28($a1)
	lw	$30, 32($a1)
	lw	$29, 36($a1)
	lw	$31, 40($a1)
	nop				/* load delay: jr must see the new ra */
	jr	$31
	nop
	.end	swtch
