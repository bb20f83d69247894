/*
 * exceptions.c: kernel-mode exceptions of the R3000A and the CP0 state they
 * leave (R3000 manual, ch. 5 "Exception processing").
 *
 * Covers syscall and break (with the code field), reserved instructions
 * (MIPS II/III encodings, branch-likely among them: MIPS I has none),
 * coprocessor unusable for COP1-3 with Cause.CE, address errors on
 * misaligned loads, stores and jumps with BadVAddr, faults in a branch
 * delay slot (EPC = the branch, Cause.BD), the KU/IE stack on an exception
 * and on rfe (which leaves KUo/IEo alone), software interrupts and PRId.
 * Bus errors are in buserror.c, user mode in usermode.c. Each line shows
 * the ExcCode, the vector (080 = general), EPC relative to the instruction
 * meant to fault, BD and, where the manual defines it, BadVAddr relative
 * to a known base.
 */
#include "exc.h"
#include "exccheck.h"
#include "mips.h"
#include "test.h"

static uint32_t word[4] __attribute__((aligned(16))) = {
	0x11111111, 0x22222222, 0x33333333, 0x44444444,
};

/* Runs one instruction (labelled 1:) and shows what it raised. */
#define ONE(name, base, insn, ...) do {					\
	uint32_t at_, n_ = exc_count;					\
	__asm__ volatile(ASM_BEGIN "la %0, 1f\n1:\t" insn "\n\tnop"	\
			 ASM_END : "=&r"(at_) : __VA_ARGS__ : "memory");	\
	exc_show(name, n_, at_, base);					\
} while (0)

static void traps(void)
{
	ONE("syscall", 0, "syscall");
	ONE("break 7", 0, "break 7");
	printf("break code field: %u\n",
	       (*(uint32_t *)exc_last.epc >> 16) & 0x3ff);
	/* Encodings from later ISAs; each is harmless if executed. */
	ONE("beql (MIPS II)", 0, ".word 0x50000001");
	ONE("bnel (MIPS II)", 0, ".word 0x54000001");
	ONE("teq (MIPS II)", 0, ".word 0x00000034");
	ONE("sync (MIPS II)", 0, ".word 0x0000000f");
	ONE("special2 mul (MIPS32)", 0, ".word 0x70000002");
	ONE("lwu (MIPS III)", 0, ".word 0x9fa00000");
	ONE("ld (MIPS III)", 0, ".word 0xdfa00000");
	ONE("cop1 mfc1, CU1 clear", 0, ".word 0x44080000");
	printf("  cause.ce: %u\n", (exc_last.cause & CAUSE_CE_MASK) >> 28);
	ONE("cop1 lwc1, CU1 clear", 0, ".word 0xc7a00000");
	printf("  cause.ce: %u\n", (exc_last.cause & CAUSE_CE_MASK) >> 28);
	ONE("cop2 mfc2, CU2 clear", 0, ".word 0x48080000");
	printf("  cause.ce: %u\n", (exc_last.cause & CAUSE_CE_MASK) >> 28);
}

/* Last, because GXemul 0.7.0 stops on any COP3 instruction. */
static void cop3(void)
{
	ONE("cop3 mfc3, CU3 clear", 0, ".word 0x4c080000");
	printf("  cause.ce: %u\n", (exc_last.cause & CAUSE_CE_MASK) >> 28);
}

/* A load into t (preset to 0xdeadbeef) at base + off. */
#define LOAD(name, op, off) do {					\
	uint32_t at_, n_ = exc_count, t_ = 0xdeadbeef, b_ = (uint32_t)word; \
	__asm__ volatile(ASM_BEGIN "la %0, 1f\n1:\t" op " %1, " #off "(%2)" \
			 "\n\tnop" ASM_END : "=&r"(at_), "+r"(t_)	\
			 : "r"(b_) : "memory");				\
	exc_show(name, n_, at_, b_);					\
	printf("  rt: %08x\n", t_);					\
} while (0)

#define STORE(name, op, off) do {					\
	uint32_t at_, n_ = exc_count, b_ = (uint32_t)word;		\
	__asm__ volatile(ASM_BEGIN "la %0, 1f\n1:\t" op " %1, " #off "(%2)" \
			 ASM_END : "=&r"(at_) : "r"(0xaaaaaaaa), "r"(b_)	\
			 : "memory");					\
	exc_show(name, n_, at_, b_);					\
	printf("  memory: %08x %08x\n", word[0], word[1]);		\
} while (0)

static void address_errors(void)
{
	LOAD("lw +1", "lw", 1);
	LOAD("lw +2", "lw", 2);
	LOAD("lw +3", "lw", 3);
	LOAD("lh +1", "lh", 1);
	LOAD("lh +3", "lh", 3);
	LOAD("lhu +5", "lhu", 5);
	LOAD("lb +3", "lb", 3);
	LOAD("lwl +1", "lwl", 1);
	STORE("sw +2", "sw", 2);
	STORE("sw +7", "sw", 7);
	STORE("sh +1", "sh", 1);
	STORE("sb +1", "sb", 1);
	word[0] = 0x11111111;
}

static void jumps(void)
{
	uint32_t sled = (uint32_t)exc_sled;

	exc_jump("jr to sled+2", sled + 2, sled);
	exc_jump("jr to sled+1", sled + 1, sled);
	exc_jump("jr to sled+4 (aligned)", sled + 4, 0);
}

/* After `pre`, a fault in the delay slot of `branch` (labelled 1:). */
#define IN_SLOT(name, pre, branch, slot) do {				\
	uint32_t at_, n_ = exc_count, b_ = (uint32_t)word;		\
	__asm__ volatile(ASM_BEGIN pre "\n\tla %0, 1f\n1:\t" branch	\
			 "\n\t" slot "\n\tnop\n2:\tnop" ASM_END		\
			 : "=&r"(at_) : "r"(b_) : "memory", "$8", "$31");	\
	exc_show(name, n_, at_, b_);					\
} while (0)

static void delay_slots(void)
{
	IN_SLOT("lw +1 in taken beq slot", "", "beq $0, $0, 2f",
		"lw $t0, 1(%1)");
	IN_SLOT("lw +1 in untaken bne slot", "", "bne $0, $0, 2f",
		"lw $t0, 1(%1)");
	IN_SLOT("sh +1 in bgez slot", "", "bgez $0, 2f", "sh $0, 1(%1)");
	IN_SLOT("syscall in jal slot", "", "jal 2f", "syscall");
	IN_SLOT("break in jr slot", "la $t0, 2f", "jr $t0", "break 2");
	IN_SLOT("syscall in j slot", "", "j 2f", "syscall");
}

/* Status low six bits at handler entry and after the handler's rfe. */
static void status_stack(void)
{
	uint32_t after;

	MTC0(CP0_STATUS, ST_CU0 | 0x2d);
	__asm__ volatile(ASM_BEGIN "syscall\n\tnop" ASM_END ::: "memory");
	after = MFC0(CP0_STATUS);
	MTC0(CP0_STATUS, ST_CU0);
	printf("status 2d, exception: handler sees %02x\n",
	       exc_last.status & ST_KUIE_MASK);
	printf("status after handler's rfe: %02x\n", after & ST_KUIE_MASK);
}

/* rfe on its own: Status low bits before and after. */
static void rfe_alone(uint32_t bits)
{
	uint32_t after;

	MTC0(CP0_STATUS, ST_CU0 | bits);
	__asm__ volatile(ASM_BEGIN "rfe\n\tnop\n\tnop" ASM_END ::: "memory");
	after = MFC0(CP0_STATUS);
	MTC0(CP0_STATUS, ST_CU0);
	printf("rfe on %02x: %02x\n", bits, after & ST_KUIE_MASK);
}

/* Clears the software interrupt that the test raised. */
static int clear_soft_intr(struct exc_frame *f)
{
	(void)f;
	MTC0(CP0_CAUSE, 0);
	return 0;
}

static void soft_interrupts(void)
{
	uint32_t n, cause;

	exc_hook = clear_soft_intr;
	n = exc_count;
	MTC0(CP0_STATUS, ST_CU0 | ST_IM(0));
	MTC0(CP0_CAUSE, CAUSE_IP(0));
	cause = MFC0(CP0_CAUSE);
	printf("IP0 set, IEc=0: exceptions=%u ip=%04x\n", exc_count - n,
	       cause & 0x300);
	n = exc_count;
	MTC0(CP0_STATUS, ST_CU0 | ST_IM(0) | ST_IEC);
	__asm__ volatile(ASM_BEGIN "nop\n\tnop\n\tnop\n\tnop" ASM_END);
	MTC0(CP0_STATUS, ST_CU0);
	printf("IEc=1: %s ip=%04x\n", exc_count - n == 1 ?
	       exc_name(cause_exc(exc_last.cause)) : "none",
	       exc_last.cause & CAUSE_IP_MASK & 0x300);
	/* IP1 with only IM0 enabled stays pending. */
	n = exc_count;
	MTC0(CP0_STATUS, ST_CU0 | ST_IM(0) | ST_IEC);
	MTC0(CP0_CAUSE, CAUSE_IP(1));
	__asm__ volatile(ASM_BEGIN "nop\n\tnop\n\tnop\n\tnop" ASM_END);
	MTC0(CP0_STATUS, ST_CU0);
	cause = MFC0(CP0_CAUSE);
	MTC0(CP0_CAUSE, 0);
	printf("IP1 masked by IM: exceptions=%u ip=%04x\n", exc_count - n,
	       cause & 0x300);
	MTC0(CP0_CAUSE, 0xffffffff);
	cause = MFC0(CP0_CAUSE);
	MTC0(CP0_CAUSE, 0);
	printf("cause written ffffffff reads (bits 9:8, 31, 6:2): %08x\n",
	       cause & (0x300 | CAUSE_BD | CAUSE_EXC_MASK));
	exc_hook = 0;
}

static void cp0_misc(void)
{
	uint32_t n = exc_count, s;

	printf("prid: %08x\n", MFC0(CP0_PRID));
	MTC0(CP0_STATUS, 0);
	s = MFC0(CP0_STATUS);
	MTC0(CP0_STATUS, ST_CU0);
	printf("kernel mfc0 with CU0 clear: %s (status %08x)\n",
	       exc_count == n ? "no exception" : "exception", s);
}

int main(void)
{
	MTC0(CP0_STATUS, ST_CU0);
	exc_install();
	traps();
	address_errors();
	jumps();
	delay_slots();
	status_stack();
	rfe_alone(0x30);
	rfe_alone(0x14);
	rfe_alone(0x00);
	soft_interrupts();
	cp0_misc();
	cop3();
	printf("exceptions taken: %u\n", exc_count);
	printf("exceptions done\n");
	return 0;
}
