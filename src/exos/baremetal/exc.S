/*
 * exc.S: the assembler half of the bare-metal exception handler (exc.h).
 *
 * On an exception the R3000A pushes the KU/IE stack, sets EPC, Cause and
 * (for address and TLB exceptions) BadVAddr, and jumps to 0x80000000 (UTLB
 * refill) or 0x80000080 (everything else) (R3000 manual ch. 5). The stubs
 * copied there jump here; we save all registers but k0/k1 in exc_frame,
 * call exc_dispatch(&exc_frame) on our own stack, restore, write back
 * Status, and return with `jr k1; rfe` (rfe in the delay slot pops the
 * KU/IE stack as the jump completes).
 */
#include "mips.h"
#include "exc.h"

	.set	noreorder
	.set	noat
	.text

/* The vector stubs: copied word by word by exc_install(). */
	.globl	exc_stub_utlb
exc_stub_utlb:
	lui	$k0, %hi(exc_entry_utlb)
	addiu	$k0, $k0, %lo(exc_entry_utlb)
	jr	$k0
	nop

	.globl	exc_stub_general
exc_stub_general:
	lui	$k0, %hi(exc_entry_general)
	addiu	$k0, $k0, %lo(exc_entry_general)
	jr	$k0
	nop

exc_entry_utlb:
	b	exc_save
	li	$k1, 0x000
exc_entry_general:
	li	$k1, 0x080

exc_save:
	la	$k0, exc_frame
	sw	$k1, EF_VECTOR($k0)
	sw	$zero, 0($k0)
	sw	$1, 4($k0)
	sw	$2, 8($k0)
	sw	$3, 12($k0)
	sw	$4, 16($k0)
	sw	$5, 20($k0)
	sw	$6, 24($k0)
	sw	$7, 28($k0)
	sw	$8, 32($k0)
	sw	$9, 36($k0)
	sw	$10, 40($k0)
	sw	$11, 44($k0)
	sw	$12, 48($k0)
	sw	$13, 52($k0)
	sw	$14, 56($k0)
	sw	$15, 60($k0)
	sw	$16, 64($k0)
	sw	$17, 68($k0)
	sw	$18, 72($k0)
	sw	$19, 76($k0)
	sw	$20, 80($k0)
	sw	$21, 84($k0)
	sw	$22, 88($k0)
	sw	$23, 92($k0)
	sw	$24, 96($k0)
	sw	$25, 100($k0)
	sw	$zero, 104($k0)
	sw	$zero, 108($k0)
	sw	$28, 112($k0)
	sw	$29, 116($k0)
	sw	$30, 120($k0)
	sw	$31, 124($k0)
	mfhi	$t0
	mflo	$t1
	sw	$t0, EF_HI($k0)
	sw	$t1, EF_LO($k0)
	mfc0	$t0, C0_EPC
	mfc0	$t1, C0_CAUSE
	sw	$t0, EF_EPC($k0)
	mfc0	$t0, C0_BADVADDR
	sw	$t1, EF_CAUSE($k0)
	mfc0	$t1, C0_STATUS
	sw	$t0, EF_BADVADDR($k0)
	mfc0	$t0, C0_CONTEXT
	sw	$t1, EF_STATUS($k0)
	mfc0	$t1, C0_ENTRYHI
	sw	$t0, EF_CONTEXT($k0)
	sw	$t1, EF_ENTRYHI($k0)

	la	$sp, exc_stack_top
	jal	exc_dispatch
	move	$a0, $k0

	la	$k0, exc_frame
	lw	$t0, EF_HI($k0)
	lw	$t1, EF_LO($k0)
	mthi	$t0
	mtlo	$t1
	lw	$t0, EF_STATUS($k0)
	nop
	mtc0	$t0, C0_STATUS
	nop
	nop
	lw	$1, 4($k0)
	lw	$2, 8($k0)
	lw	$3, 12($k0)
	lw	$4, 16($k0)
	lw	$5, 20($k0)
	lw	$6, 24($k0)
	lw	$7, 28($k0)
	lw	$8, 32($k0)
	lw	$9, 36($k0)
	lw	$10, 40($k0)
	lw	$11, 44($k0)
	lw	$12, 48($k0)
	lw	$13, 52($k0)
	lw	$14, 56($k0)
	lw	$15, 60($k0)
	lw	$16, 64($k0)
	lw	$17, 68($k0)
	lw	$18, 72($k0)
	lw	$19, 76($k0)
	lw	$20, 80($k0)
	lw	$21, 84($k0)
	lw	$22, 88($k0)
	lw	$23, 92($k0)
	lw	$24, 96($k0)
	lw	$25, 100($k0)
	lw	$28, 112($k0)
	lw	$29, 116($k0)
	lw	$30, 120($k0)
	lw	$31, 124($k0)
	lw	$k1, EF_EPC($k0)
	nop
	jr	$k1
	rfe

/* uint32_t exc_run_user(user_pc, status, arg): see exc.h; a2 passes through. */
	.globl	exc_run_user
	.ent	exc_run_user
exc_run_user:
	la	$t0, user_save
	sw	$s0, 0($t0)
	sw	$s1, 4($t0)
	sw	$s2, 8($t0)
	sw	$s3, 12($t0)
	sw	$s4, 16($t0)
	sw	$s5, 20($t0)
	sw	$s6, 24($t0)
	sw	$s7, 28($t0)
	sw	$s8, 32($t0)
	sw	$gp, 36($t0)
	sw	$sp, 40($t0)
	sw	$ra, 44($t0)
	mfc0	$t1, C0_STATUS
	nop
	sw	$t1, 48($t0)
	la	$t1, 1f
	la	$t2, exc_resume
	sw	$t1, 0($t2)
	li	$t1, ~ST_KUIE_MASK
	and	$a1, $a1, $t1
	ori	$a1, $a1, ST_KUP	/* rfe: KUc <- 1, IEc <- IEp = 0 */
	mtc0	$a1, C0_STATUS
	nop
	nop
	jr	$a0
	rfe

1:	la	$t0, user_save
	lw	$t1, 48($t0)
	nop
	mtc0	$t1, C0_STATUS
	lw	$s0, 0($t0)
	lw	$s1, 4($t0)
	lw	$s2, 8($t0)
	lw	$s3, 12($t0)
	lw	$s4, 16($t0)
	lw	$s5, 20($t0)
	lw	$s6, 24($t0)
	lw	$s7, 28($t0)
	lw	$s8, 32($t0)
	lw	$gp, 36($t0)
	lw	$sp, 40($t0)
	lw	$ra, 44($t0)
	la	$t0, exc_last
	lw	$v0, 8($t0)		/* exc_last.cause */
	nop
	andi	$v0, $v0, CAUSE_EXC_MASK
	jr	$ra
	srl	$v0, $v0, CAUSE_EXC_SHIFT
	.end	exc_run_user

	.bss
	.balign	8
	.globl	exc_frame
exc_frame:
	.space	168
user_save:
	.space	52
	.balign	8
	.space	4096
exc_stack_top:
