/*
 * branch.S: branches, jumps and their delay slots on the R3000A (MIPS I).
 *
 * Every check builds a trace in s0 with `ori` at marked points: 1 is the
 * delay slot (always executes, R3000 manual ch. 1 "branch delay"), 2 is the
 * fall-through path, 4 is the common join, so a taken branch reports 5 and
 * a branch not taken reports 7. Covers beq/bne/blez/bgtz/bltz/bgez, the
 * linking bltzal/bgezal (r31 = branch + 8 whether taken or not), j, jal,
 * jr, jalr with rd other than r31, a backward loop, a delay slot that
 * overwrites the branch's own operands, and r31 seen by jal's delay slot.
 * MIPS I has no branch-likely; its opcodes are reserved instructions
 * (exceptions.c checks that).
 */
#include "asmtest.h"

	.set	noreorder

/* TRACE(name, branch to 1f) runs one conditional branch with the trace. */
#define TRACE(name, ...)		\
	li	$s0, 0;			\
	__VA_ARGS__;			\
	ori	$s0, $s0, 1;		\
	ori	$s0, $s0, 2;		\
1:	ori	$s0, $s0, 4;		\
	REPORT(name, $s0)

TEST_BEGIN("branch")
	li	$s1, 5
	li	$s2, 6
	li	$s3, -1
	li	$s4, 0x80000000
	li	$s5, 1

	TRACE("beq equal", beq $s1, $s1, 1f)
	TRACE("beq unequal", beq $s1, $s2, 1f)
	TRACE("bne unequal", bne $s1, $s2, 1f)
	TRACE("bne equal", bne $s1, $s1, 1f)
	TRACE("beq zero zero", beq $zero, $zero, 1f)
	TRACE("blez -1", blez $s3, 1f)
	TRACE("blez 0", blez $zero, 1f)
	TRACE("blez 1", blez $s5, 1f)
	TRACE("blez 80000000", blez $s4, 1f)
	TRACE("bgtz -1", bgtz $s3, 1f)
	TRACE("bgtz 0", bgtz $zero, 1f)
	TRACE("bgtz 1", bgtz $s5, 1f)
	TRACE("bltz -1", bltz $s3, 1f)
	TRACE("bltz 0", bltz $zero, 1f)
	TRACE("bltz 80000000", bltz $s4, 1f)
	TRACE("bltz 1", bltz $s5, 1f)
	TRACE("bgez -1", bgez $s3, 1f)
	TRACE("bgez 0", bgez $zero, 1f)
	TRACE("bgez 1", bgez $s5, 1f)

	/* Linking branches: r31 = address of the branch + 8, taken or not.
	   s6 gets ra - (branch + 8), which must be 0. */
#define LINK(name, ...)			\
	li	$s0, 0;			\
	li	$ra, 0;			\
	la	$s7, 2f;		\
	__VA_ARGS__;			\
	ori	$s0, $s0, 1;		\
2:	ori	$s0, $s0, 2;		\
1:	ori	$s0, $s0, 4;		\
	subu	$s6, $ra, $s7;		\
	REPORT(name, $s0);		\
	REPORT(name " ra-(pc+8)", $s6)

	LINK("bltzal -1", bltzal $s3, 1f)
	LINK("bltzal 1", bltzal $s5, 1f)
	LINK("bgezal 0", bgezal $zero, 1f)
	LINK("bgezal -1", bgezal $s3, 1f)

	/* j and jal. */
	li	$s0, 0
	j	1f
	ori	$s0, $s0, 1
	ori	$s0, $s0, 2
1:	ori	$s0, $s0, 4
	REPORT("j", $s0)

	li	$s0, 0
	la	$s7, 2f
	jal	3f
	move	$s6, $ra		/* jal's delay slot sees the new r31 */
2:	ori	$s0, $s0, 2
	b	4f
	nop
3:	ori	$s0, $s0, 8
	jr	$ra
	ori	$s0, $s0, 1
4:	subu	$s6, $s6, $s7
	REPORT("jal", $s0)
	REPORT("jal delay slot ra-(pc+8)", $s6)

	/* jr, and a delay slot that overwrites the jump's register. */
	li	$s0, 0
	la	$t0, 1f
	la	$t1, 2f
	jr	$t0
	move	$t0, $t1
	ori	$s0, $s0, 2
1:	ori	$s0, $s0, 4
	b	3f
	nop
2:	ori	$s0, $s0, 8
3:	REPORT("jr register changed in delay slot", $s0)

	/* jalr with rd = t3: t3 gets the link, r31 is untouched. */
	li	$s0, 0
	li	$ra, 0x1234
	li	$t3, 0
	la	$t4, 3f
	la	$s7, 2f
	jalr	$t3, $t4
	ori	$s0, $s0, 1
2:	ori	$s0, $s0, 2
	b	4f
	nop
3:	ori	$s0, $s0, 8
	jr	$t3
	nop
4:	subu	$s6, $t3, $s7
	move	$s5, $ra
	REPORT("jalr t3", $s0)
	REPORT("jalr t3 link-(pc+8)", $s6)
	REPORT("jalr t3 leaves ra", $s5)
	li	$s5, 1

	/* jalr with the default rd (r31). */
	li	$s0, 0
	la	$t4, 3f
	la	$s7, 2f
	jalr	$t4
	ori	$s0, $s0, 1
2:	ori	$s0, $s0, 2
	b	4f
	nop
3:	ori	$s0, $s0, 8
	jr	$ra
	nop
4:	subu	$s6, $ra, $s7
	REPORT("jalr", $s0)
	REPORT("jalr ra-(pc+8)", $s6)

	/* A delay slot that changes the compared register: the branch has
	   already decided on the old value. */
	li	$s0, 0
	li	$t0, 5
	beq	$t0, $s1, 1f
	li	$t0, 6
	ori	$s0, $s0, 2
1:	ori	$s0, $s0, 4
	REPORT("beq operand changed in delay slot", $s0)

	/* A backward loop: five iterations, the delay slot runs every time. */
	li	$s0, 0
	li	$t0, 5
1:	addiu	$t0, $t0, -1
	bnez	$t0, 1b
	addiu	$s0, $s0, 1
	REPORT("loop of 5 with delay slot count", $s0)

	/* A branch as the last instruction before a label it targets. */
	li	$s0, 0
	bgez	$zero, 1f
	ori	$s0, $s0, 1
1:	ori	$s0, $s0, 4
	REPORT("branch to pc+8", $s0)

	/* A branch whose target is its own delay slot: the slot runs twice. */
	li	$s0, 0
	beq	$zero, $zero, 1f
1:	addiu	$s0, $s0, 1
	REPORT("branch to own delay slot count", $s0)
TEST_END
