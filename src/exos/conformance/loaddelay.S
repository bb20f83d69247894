/*
 * loaddelay.S: the load delay slot of the R3000A.
 *
 * On MIPS I the instruction right after a load (lb/lbu/lh/lhu/lw/lwl/lwr)
 * or an mfc0 does not see the loaded value; the R3000 has no interlock and
 * that instruction reads the register's old contents (R3000 manual,
 * ch. 1 "load delay" and appendix A; docs/reference/decstation.md). The one
 * exception is lwl/lwr: rt is bypassed internally, so an lwl right after an
 * lwr of the same register (the unaligned-load idiom) merges with the
 * value the lwr loaded (appendix A, LWL/LWR). GXemul does not model load
 * delays.
 */
#include "asmtest.h"
#include "mips.h"

	.set	noreorder
	.set	noat

	.data
	.balign	4
val:	.word	0x22222222
ptr:	.word	val2
val2:	.word	0x33333333
bytes:	.byte	0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88
jumpto:	.word	0

/* ONE(name, load): t0 = 1, then the load into t0, then two reads of t0:
   s0 is in the delay slot (old value), s1 one instruction later (new). */
#define ONE(name, ...)			\
	li	$t0, 1;			\
	__VA_ARGS__;			\
	move	$s0, $t0;		\
	move	$s1, $t0;		\
	REPORT(name " delay slot", $s0); \
	REPORT(name " after", $s1)

	.text
TEST_BEGIN("loaddelay")
	la	$s2, val
	la	$s3, bytes

	ONE("lw", lw $t0, 0($s2))
	ONE("lb", lb $t0, 0($s3))
	ONE("lbu", lbu $t0, 1($s3))
	ONE("lh", lh $t0, 2($s3))
	ONE("lhu", lhu $t0, 4($s3))
	ONE("lwl", lwl $t0, 5($s3))
	ONE("lwr", lwr $t0, 5($s3))

	/* The delay slot instruction uses the old base register. */
	la	$t1, ptr
	lw	$t1, 0($t1)		/* t1 <- &val2 ... */
	lw	$s0, 0($t1)		/* ... but this still uses &ptr */
	la	$t1, val2
	subu	$s0, $s0, $t1
	REPORT("load base in delay slot (0 = read ptr, old base)", $s0)

	/* A branch in the delay slot compares the old value. */
	li	$s0, 0
	li	$t0, 0
	lw	$t0, 0($s2)		/* t0 <- 0x22222222 */
	beq	$t0, $zero, 1f		/* sees 0: taken */
	ori	$s0, $s0, 1
	ori	$s0, $s0, 2
1:	ori	$s0, $s0, 4
	REPORT("beq in delay slot (5 = saw old 0)", $s0)

	/* jr in the delay slot jumps to the old target. */
	li	$s0, 0
	la	$t1, jumpto
	la	$t2, 2f
	sw	$t2, 0($t1)		/* memory says: go to 2f */
	la	$t0, 1f			/* register says: go to 1f */
	lw	$t0, 0($t1)
	jr	$t0
	nop
1:	ori	$s0, $s0, 1
	b	3f
	nop
2:	ori	$s0, $s0, 2
3:	REPORT("jr in delay slot (1 = old target)", $s0)

	/* Two loads in a row to one register: the instruction after the
	   second sees the first value, the one after that the second. */
	la	$t1, val2
	li	$t0, 1
	lw	$t0, 0($s2)
	lw	$t0, 0($t1)
	move	$s0, $t0
	move	$s1, $t0
	REPORT("lw;lw same reg: third insn", $s0)
	REPORT("lw;lw same reg: fourth insn", $s1)

	/* lwr then lwl of the same register back to back: bypassed. */
	li	$t0, 0xaabbccdd
	lwr	$t0, 1($s3)
	lwl	$t0, 4($s3)
	nop
	REPORT("lwr;lwl back to back (unaligned word at +1)", $t0)
	li	$t0, 0xaabbccdd
	lwl	$t0, 4($s3)
	lwr	$t0, 1($s3)
	nop
	REPORT("lwl;lwr back to back (unaligned word at +1)", $t0)

	/* mfc0 has the same delay: EntryHi is a plain read/write register. */
	li	$t1, 0x12345fc0
	mtc0	$t1, C0_ENTRYHI
	nop
	nop
	li	$t0, 1
	mfc0	$t0, C0_ENTRYHI
	move	$s0, $t0
	move	$s1, $t0
	mtc0	$zero, C0_ENTRYHI
	REPORT("mfc0 delay slot", $s0)
	REPORT("mfc0 after", $s1)

	/* The delay is not a stall: a load's value is still there later. */
	li	$t0, 1
	lw	$t0, 0($s2)
	nop
	nop
	move	$s0, $t0
	REPORT("lw two insns later", $s0)
TEST_END
