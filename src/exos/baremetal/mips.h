/*
 * mips.h: R3000A coprocessor 0 names and accessors for bare-metal programs.
 *
 * Field layouts are from docs/reference/decstation.md ("The R3000A") and the
 * R3000 manual, chapters 4 (memory management) and 5 (exceptions). Usable
 * from C and from assembler (.S) files.
 */
#ifndef EXOS_BAREMETAL_MIPS_H
#define EXOS_BAREMETAL_MIPS_H

/* CP0 register numbers. */
#define CP0_INDEX	0
#define CP0_RANDOM	1
#define CP0_ENTRYLO	2
#define CP0_CONTEXT	4
#define CP0_BADVADDR	8
#define CP0_ENTRYHI	10
#define CP0_STATUS	12
#define CP0_CAUSE	13
#define CP0_EPC		14
#define CP0_PRID	15

/* Status. */
#define ST_CU0		0x10000000
#define ST_CU1		0x20000000
#define ST_BEV		0x00400000
#define ST_IM_SHIFT	8
#define ST_IM(n)	(0x100 << (n))
#define ST_KUO		0x20
#define ST_IEO		0x10
#define ST_KUP		0x08
#define ST_IEP		0x04
#define ST_KUC		0x02
#define ST_IEC		0x01
#define ST_KUIE_MASK	0x3f

/* Cause. */
#define CAUSE_BD	0x80000000
#define CAUSE_CE_SHIFT	28
#define CAUSE_CE_MASK	0x30000000
#define CAUSE_IP_MASK	0x0000ff00
#define CAUSE_IP(n)	(0x100 << (n))
#define CAUSE_EXC_SHIFT	2
#define CAUSE_EXC_MASK	0x7c

/* ExcCode values. */
#define EXC_INT		0
#define EXC_MOD		1
#define EXC_TLBL	2
#define EXC_TLBS	3
#define EXC_ADEL	4
#define EXC_ADES	5
#define EXC_IBE		6
#define EXC_DBE		7
#define EXC_SYS		8
#define EXC_BP		9
#define EXC_RI		10
#define EXC_CPU		11
#define EXC_OV		12

/* TLB. */
#define TLB_ENTRIES	64
#define TLB_WIRED	8
#define INDEX_P		0x80000000
#define INDEX_SHIFT	8
#define RANDOM_SHIFT	8
#define ENTRYLO_N	0x800
#define ENTRYLO_D	0x400
#define ENTRYLO_V	0x200
#define ENTRYLO_G	0x100
#define ENTRYHI_ASID_SHIFT 6
#define PAGE_SIZE	4096

/* Segments and vectors. */
#define KSEG0		0x80000000
#define KSEG1		0xa0000000
#define KSEG2		0xc0000000
#define VEC_UTLB	0x80000000
#define VEC_GENERAL	0x80000080

#ifdef __ASSEMBLER__

#define C0_INDEX	$0
#define C0_RANDOM	$1
#define C0_ENTRYLO	$2
#define C0_CONTEXT	$4
#define C0_BADVADDR	$8
#define C0_ENTRYHI	$10
#define C0_STATUS	$12
#define C0_CAUSE	$13
#define C0_EPC		$14
#define C0_PRID		$15

#else

#include <stdint.h>

#define MIPS_STR_(x)	#x
#define MIPS_STR(x)	MIPS_STR_(x)

/* MFC0(n): read CP0 register n. The nop covers the coprocessor load delay. */
#define MFC0(n) ({ uint32_t v_; __asm__ volatile(			\
	".set push\n\t.set noreorder\n\t"				\
	"mfc0 %0, $" MIPS_STR(n) "\n\tnop\n\t.set pop"			\
	: "=r"(v_) : : "memory"); v_; })

/* MTC0(n, v): write CP0 register n; two nops let the write settle. */
#define MTC0(n, v) __asm__ volatile(					\
	".set push\n\t.set noreorder\n\t"				\
	"mtc0 %0, $" MIPS_STR(n) "\n\tnop\n\tnop\n\t.set pop"		\
	: : "r"((uint32_t)(v)) : "memory")

/* tlb_op("tlbwi") etc.: a TLB instruction with the hazard nops after it. */
#define TLB_OP(op) __asm__ volatile(					\
	".set push\n\t.set noreorder\n\t" op "\n\tnop\n\tnop\n\t.set pop"	\
	: : : "memory")

static inline uint32_t cause_exc(uint32_t cause)
{
	return (cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT;
}

#endif /* __ASSEMBLER__ */
#endif
