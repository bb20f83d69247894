/*
 * arith.c: integer arithmetic of the R3000A (MIPS I).
 *
 * Covers add/addu/sub/subu/addi/addiu with the overflow trap (ExcCode Ov,
 * destination unchanged: R3000 manual, appendix A, ADD), the logical ops
 * and lui, slt/sltu/slti/sltiu with signed and unsigned operands and the
 * sign-extended immediate of sltiu, shifts by 0, 31 and variable amounts
 * above 31 (only the low five bits count), mult/multu/div/divu with their
 * edge cases including 0x80000000 / -1 (LO = 0x80000000, HI = 0), and
 * mthi/mtlo. Division by zero does not trap on MIPS I and leaves HI/LO
 * undefined, so only the absence of an exception is printed.
 */
#include "exc.h"
#include "mips.h"
#include "test.h"

/* One register-register ALU instruction: rd = op(rs, rt). */
#define RR(op) static uint32_t op_##op(uint32_t s, uint32_t t) {	\
	uint32_t d;							\
	__asm__ volatile(ASM_BEGIN #op " %0, %1, %2" ASM_END		\
			 : "=r"(d) : "r"(s), "r"(t));			\
	return d;							\
}
RR(addu) RR(subu) RR(and) RR(or) RR(xor) RR(nor) RR(slt) RR(sltu)
RR(sllv) RR(srlv) RR(srav)

/* A register-immediate instruction with a constant immediate. */
#define RI(op, s, imm) ({ uint32_t d_;					\
	__asm__ volatile(ASM_BEGIN #op " %0, %1, " #imm ASM_END		\
			 : "=r"(d_) : "r"(opaque(s)));			\
	d_; })

static void report_rr(const char *name, uint32_t (*f)(uint32_t, uint32_t),
		      uint32_t s, uint32_t t)
{
	printf("%s %08x,%08x: %08x\n", name, s, t, f(s, t));
}

/*
 * Trapping add/sub: the destination starts as 0xdeadbeef. Prints the
 * result, or the exception with whether EPC is the instruction itself and
 * the (unchanged) destination.
 */
#define TRAP_RR(op) static void trap_##op(uint32_t s, uint32_t t) {	\
	uint32_t d = 0xdeadbeef, at, n = exc_count;			\
	char buf[24];							\
	__asm__ volatile(ASM_BEGIN "la %1, 1f\n1:\t" #op " %0, %2, %3"	\
			 ASM_END : "+r"(d), "=&r"(at) : "r"(s), "r"(t));	\
	report_trap(#op, pair(buf, s, t), d, at, n);			\
}

static void report_trap(const char *op, const char *operands, uint32_t d,
			uint32_t at, uint32_t before)
{
	if (exc_count == before) {
		printf("%s %s: %08x\n", op, operands, d);
		return;
	}
	printf("%s %s: trap %s epc=%s rd=%08x\n", op, operands,
	       exc_name(cause_exc(exc_last.cause)),
	       exc_last.epc == at ? "insn" : "other", d);
}

/* Formats "ssssssss,tttttttt" into buf for report_trap. */
static const char *pair(char *buf, uint32_t s, uint32_t t)
{
	snprintf(buf, 24, "%08x,%08x", s, t);
	return buf;
}

TRAP_RR(add) TRAP_RR(sub)

/* addi with a constant immediate, reported like TRAP_RR. */
#define TRAP_ADDI(s, imm) do {						\
	uint32_t d_ = 0xdeadbeef, at_, n_ = exc_count, s_ = (s);	\
	char buf_[24];							\
	__asm__ volatile(ASM_BEGIN "la %1, 1f\n1:\taddi %0, %2, " #imm	\
			 ASM_END : "+r"(d_), "=&r"(at_) : "r"(opaque(s_)));	\
	snprintf(buf_, sizeof buf_, "%08x," #imm, s_);			\
	report_trap("addi", buf_, d_, at_, n_);				\
} while (0)

static void add_sub(void)
{
	report_rr("addu", op_addu, 0x7fffffff, 1);
	report_rr("addu", op_addu, 0xffffffff, 1);
	report_rr("subu", op_subu, 0, 1);
	report_rr("subu", op_subu, 0x80000000, 1);
	trap_add(1, 2);
	trap_add(0x7ffffffe, 1);
	trap_add(0x80000000, 0x7fffffff);
	trap_add(0xffffffff, 1);
	trap_add(0x7fffffff, 1);
	trap_add(0x80000000, 0x80000000);
	trap_add(0x80000000, 0xffffffff);
	trap_add(0x40000000, 0x40000000);
	trap_sub(5, 7);
	trap_sub(0x80000000, 0x80000000);
	trap_sub(0xffffffff, 0x80000000);
	trap_sub(0xfffffffe, 0x80000000);
	trap_sub(0, 0x80000000);
	trap_sub(1, 0x80000000);
	trap_sub(0x80000000, 1);
	trap_sub(0x7fffffff, 0xffffffff);
	trap_sub(0x7ffffffe, 0xffffffff);
	TRAP_ADDI(5, -8);
	TRAP_ADDI(0x7ffffffe, 1);
	TRAP_ADDI(0x7fffffff, 1);
	TRAP_ADDI(0x80000000, -1);
	TRAP_ADDI(0x80007fff, -32768);
	TRAP_ADDI(0x7fff8000, 32767);
	TRAP_ADDI(0x7fff8001, 32767);
	printf("addiu 7fffffff+1: %08x\n", RI(addiu, 0x7fffffff, 1));
	printf("addiu 00000000+0x8000: %08x\n", RI(addiu, 0, -32768));
	printf("addiu 00000010-1: %08x\n", RI(addiu, 0x10, -1));
}

static void logic(void)
{
	report_rr("and", op_and, 0xf0f0ff00, 0x3c3c0ff0);
	report_rr("or", op_or, 0xf0f0ff00, 0x3c3c0ff0);
	report_rr("xor", op_xor, 0xf0f0ff00, 0x3c3c0ff0);
	report_rr("nor", op_nor, 0xf0f0ff00, 0x3c3c0ff0);
	report_rr("nor", op_nor, 0, 0);
	printf("andi ffffffff,ffff: %08x\n", RI(andi, 0xffffffff, 0xffff));
	printf("andi ffffffff,8000: %08x\n", RI(andi, 0xffffffff, 0x8000));
	printf("ori 12340000,8765: %08x\n", RI(ori, 0x12340000, 0x8765));
	printf("xori ffff0f0f,ffff: %08x\n", RI(xori, 0xffff0f0f, 0xffff));
	uint32_t l1, l2;
	__asm__ volatile(ASM_BEGIN "lui %0, 0x8001\n\tlui %1, 0x7fff" ASM_END
			 : "=r"(l1), "=r"(l2));
	printf("lui 8001 7fff: %08x %08x\n", l1, l2);
}

static void compare(void)
{
	report_rr("slt", op_slt, 0xffffffff, 1);
	report_rr("slt", op_slt, 1, 0xffffffff);
	report_rr("slt", op_slt, 0x80000000, 0x7fffffff);
	report_rr("slt", op_slt, 5, 5);
	report_rr("sltu", op_sltu, 0xffffffff, 1);
	report_rr("sltu", op_sltu, 1, 0xffffffff);
	report_rr("sltu", op_sltu, 0x80000000, 0x7fffffff);
	report_rr("sltu", op_sltu, 0, 0);
	printf("slti fffffffe,-1: %u\n", RI(slti, 0xfffffffe, -1));
	printf("slti ffffffff,-1: %u\n", RI(slti, 0xffffffff, -1));
	printf("slti 00000000,-1: %u\n", RI(slti, 0, -1));
	printf("slti 80000000,-32768: %u\n", RI(slti, 0x80000000, -32768));
	printf("sltiu 00000005,-1: %u\n", RI(sltiu, 5, -1));
	printf("sltiu fffffffe,-1: %u\n", RI(sltiu, 0xfffffffe, -1));
	printf("sltiu ffffffff,-1: %u\n", RI(sltiu, 0xffffffff, -1));
	printf("sltiu 00007fff,0x8000: %u\n", RI(sltiu, 0x7fff, -32768));
	printf("sltiu ffff8000,0x8000: %u\n", RI(sltiu, 0xffff8000, -32768));
	printf("sltiu 00000000,0: %u\n", RI(sltiu, 0, 0));
	printf("sltiu 00000000,1: %u\n", RI(sltiu, 0, 1));
}

static void shifts(void)
{
	static const uint32_t amounts[] = { 0, 1, 4, 31, 32, 33, 63, 0xffffffe4 };
	uint32_t v = 0x87654321;
	unsigned i;

	printf("sll 0 1 31: %08x %08x %08x\n", RI(sll, v, 0), RI(sll, v, 1),
	       RI(sll, v, 31));
	printf("srl 0 1 31: %08x %08x %08x\n", RI(srl, v, 0), RI(srl, v, 1),
	       RI(srl, v, 31));
	printf("sra 0 1 31: %08x %08x %08x\n", RI(sra, v, 0), RI(sra, v, 1),
	       RI(sra, v, 31));
	printf("sra 7fffffff 31: %08x\n", RI(sra, 0x7fffffff, 31));
	for (i = 0; i < sizeof amounts / sizeof amounts[0]; i++)
		printf("sllv/srlv/srav %08x by %08x: %08x %08x %08x\n", v,
		       amounts[i], op_sllv(v, amounts[i]),
		       op_srlv(v, amounts[i]), op_srav(v, amounts[i]));
}

/*
 * mult-family instruction, then HI and LO; nops keep mfhi/mflo hazards out.
 * gas takes `div $0, rs, rt` as the bare instruction (two-operand `div` is
 * a macro with a divide-by-zero check); mult has only the two-operand form.
 */
#define MD_DST_mult ""
#define MD_DST_multu ""
#define MD_DST_div "$0, "
#define MD_DST_divu "$0, "
#define MD(op) static void md_##op(uint32_t s, uint32_t t) {		\
	uint32_t hi, lo;						\
	__asm__ volatile(ASM_BEGIN #op " " MD_DST_##op "%2, %3\n\tmfhi %0\n\t"	\
			 "mflo %1\n\tnop\n\tnop" ASM_END		\
			 : "=r"(hi), "=r"(lo) : "r"(s), "r"(t));	\
	printf(#op " %08x,%08x: hi=%08x lo=%08x\n", s, t, hi, lo);	\
}
MD(mult) MD(multu) MD(div) MD(divu)

static void muldiv(void)
{
	static const uint32_t pairs[][2] = {
		{ 0, 0 }, { 1, 1 }, { 0xffffffff, 0xffffffff },
		{ 0xffffffff, 1 }, { 1, 0xffffffff },
		{ 0x80000000, 0x80000000 }, { 0x7fffffff, 0x7fffffff },
		{ 0x80000000, 0x7fffffff }, { 0x80000000, 0xffffffff },
		{ 0x12345678, 0x9abcdef0 }, { 0xfffffff9, 2 }, { 0x10000, 0x10000 },
	};
	static const uint32_t divs[][2] = {
		{ 7, 2 }, { 0xfffffff9, 2 }, { 7, 0xfffffffe },
		{ 0xfffffff9, 0xfffffffe }, { 0x80000000, 0xffffffff },
		{ 0x80000000, 1 }, { 0x80000000, 2 }, { 0x7fffffff, 0x80000000 },
		{ 0xffffffff, 0xffffffff }, { 0xffffffff, 1 }, { 0, 5 },
		{ 0x12345678, 0x1234 }, { 7, 0x80000000 }, { 3, 7 },
	};
	unsigned i;

	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		md_mult(pairs[i][0], pairs[i][1]);
		md_multu(pairs[i][0], pairs[i][1]);
	}
	for (i = 0; i < sizeof divs / sizeof divs[0]; i++) {
		md_div(divs[i][0], divs[i][1]);
		md_divu(divs[i][0], divs[i][1]);
	}
}

/* Division by zero: no exception on MIPS I; the results are not printed. */
static void div_by_zero(void)
{
	uint32_t n = exc_count;

	__asm__ volatile(ASM_BEGIN "div $0, %0, $0\n\tmflo $0\n\tmfhi $0\n\t"
			 "divu $0, %0, $0\n\tmflo $0\n\tmfhi $0\n\tnop\n\tnop"
			 ASM_END : : "r"(opaque(12345)));
	printf("div/divu by zero: %s\n",
	       exc_count == n ? "no exception" : "exception");
}

static void hilo(void)
{
	uint32_t hi, lo, n;

	__asm__ volatile(ASM_BEGIN "mthi %2\n\tmtlo %3\n\tmfhi %0\n\tmflo %1"
			 "\n\tnop\n\tnop" ASM_END
			 : "=&r"(hi), "=&r"(lo)
			 : "r"(opaque(0xcafef00d)), "r"(opaque(0x01234567)));
	printf("mthi/mtlo: hi=%08x lo=%08x\n", hi, lo);
	/* A trapping add does not disturb HI/LO; rd = $0 still traps. */
	n = exc_count;
	__asm__ volatile(ASM_BEGIN "mthi %2\n\tmtlo %3\n\tadd $0, %4, %4\n\t"
			 "mfhi %0\n\tmflo %1\n\tnop\n\tnop" ASM_END
			 : "=&r"(hi), "=&r"(lo)
			 : "r"(opaque(0x11111111)), "r"(opaque(0x22222222)),
			   "r"(opaque(0x40000000)));
	printf("hi/lo across Ov: hi=%08x lo=%08x\n", hi, lo);
	printf("Ov with rd=$0: %s\n",
	       exc_count != n && cause_exc(exc_last.cause) == EXC_OV ?
	       "trap Ov" : "no trap");
}

int main(void)
{
	MTC0(CP0_STATUS, ST_CU0);
	exc_install();
	add_sub();
	logic();
	compare();
	shifts();
	muldiv();
	div_by_zero();
	hilo();
	printf("exceptions taken: %u\n", exc_count);
	printf("arith done\n");
	return 0;
}
