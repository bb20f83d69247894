/*
 * loadstore.c: loads and stores of the R3000A at every alignment they
 * allow, little-endian (R3000 manual, appendix A, and chapter 2 on byte
 * ordering).
 *
 * Covers lb/lbu at every byte, lh/lhu at every halfword (sign and zero
 * extension), lw, sb/sh/sw at every aligned position, lwl/lwr/swl/swr for
 * all four byte offsets (merging into a register or word that holds a
 * known pattern), unaligned word copies built from lwl+lwr and swl+swr, and
 * the kseg0/kseg1 aliases of the same physical memory (only in directions
 * the R3000's write-through data cache keeps coherent). Misaligned lh/lw/
 * sh/sw raise address errors; those are in exceptions.c.
 */
#include "mips.h"
#include "test.h"

/* Bytes with and without the sign bit: words 0x01ff7f80 and 0xf8569234. */
static uint8_t src[16] __attribute__((aligned(8))) = {
	0x80, 0x7f, 0xff, 0x01, 0x34, 0x92, 0x56, 0xf8,
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
};
static uint32_t dst[4];

/* A load with a constant offset; the nop covers the load delay slot. */
#define LOAD(op, base, off) ({ uint32_t v_;				\
	__asm__ volatile(ASM_BEGIN #op " %0, " #off "(%1)\n\tnop" ASM_END	\
			 : "=r"(v_) : "r"(base) : "memory");		\
	v_; })

/* lwl/lwr merge into v, which keeps the bytes they do not load. */
#define MERGE(op, v, base, off) ({ uint32_t v_ = (v);			\
	__asm__ volatile(ASM_BEGIN #op " %0, " #off "(%1)\n\tnop" ASM_END	\
			 : "+r"(v_) : "r"(base) : "memory");		\
	v_; })

#define STORE(op, v, base, off)						\
	__asm__ volatile(ASM_BEGIN #op " %0, " #off "(%1)" ASM_END	\
			 : : "r"(v), "r"(base) : "memory")

static void byte_loads(void)
{
	const uint8_t *p = src;

	printf("lb 0-7: %08x %08x %08x %08x %08x %08x %08x %08x\n",
	       LOAD(lb, p, 0), LOAD(lb, p, 1), LOAD(lb, p, 2), LOAD(lb, p, 3),
	       LOAD(lb, p, 4), LOAD(lb, p, 5), LOAD(lb, p, 6), LOAD(lb, p, 7));
	printf("lbu 0-7: %08x %08x %08x %08x %08x %08x %08x %08x\n",
	       LOAD(lbu, p, 0), LOAD(lbu, p, 1), LOAD(lbu, p, 2),
	       LOAD(lbu, p, 3), LOAD(lbu, p, 4), LOAD(lbu, p, 5),
	       LOAD(lbu, p, 6), LOAD(lbu, p, 7));
	printf("lh 0,2,4,6: %08x %08x %08x %08x\n", LOAD(lh, p, 0),
	       LOAD(lh, p, 2), LOAD(lh, p, 4), LOAD(lh, p, 6));
	printf("lhu 0,2,4,6: %08x %08x %08x %08x\n", LOAD(lhu, p, 0),
	       LOAD(lhu, p, 2), LOAD(lhu, p, 4), LOAD(lhu, p, 6));
	printf("lw 0,4: %08x %08x\n", LOAD(lw, p, 0), LOAD(lw, p, 4));
	printf("lb -1 from +8: %08x\n", LOAD(lb, p + 8, -1));
}

static void reset_dst(void)
{
	dst[0] = dst[1] = dst[2] = dst[3] = 0x11223344;
}

static void plain_stores(void)
{
	uint32_t *d = dst;

	reset_dst();
	STORE(sb, 0xaa, d, 0);
	STORE(sb, 0x1bb, d, 5);
	STORE(sb, 0xcc, d, 10);
	STORE(sb, 0xdd, d, 15);
	printf("sb 0,5,10,15: %08x %08x %08x %08x\n", dst[0], dst[1], dst[2],
	       dst[3]);
	reset_dst();
	STORE(sh, 0xa5a5, d, 0);
	STORE(sh, 0x1b6b6, d, 6);
	STORE(sh, 0xfffff00f, d, 10);
	printf("sh 0,6,10: %08x %08x %08x %08x\n", dst[0], dst[1], dst[2],
	       dst[3]);
	reset_dst();
	STORE(sw, 0xdeadbeef, d, 4);
	STORE(sw, 0x0badf00d, d, 12);
	printf("sw 4,12: %08x %08x %08x %08x\n", dst[0], dst[1], dst[2],
	       dst[3]);
}

static void partial_loads(void)
{
	const uint8_t *p = src + 4;	/* the word 0xf8569234 */
	uint32_t v = 0xaabbccdd;

	printf("lwl 0-3 into aabbccdd: %08x %08x %08x %08x\n",
	       MERGE(lwl, v, p, 0), MERGE(lwl, v, p, 1), MERGE(lwl, v, p, 2),
	       MERGE(lwl, v, p, 3));
	printf("lwr 0-3 into aabbccdd: %08x %08x %08x %08x\n",
	       MERGE(lwr, v, p, 0), MERGE(lwr, v, p, 1), MERGE(lwr, v, p, 2),
	       MERGE(lwr, v, p, 3));
}

#define PARTIAL_STORE(op, off) do {					\
	reset_dst();							\
	STORE(op, 0xaabbccdd, d, off);					\
	printf(#op " %d: %08x %08x\n", off, dst[1], dst[2]);		\
} while (0)

static void partial_stores(void)
{
	uint32_t *d = dst + 1;

	PARTIAL_STORE(swl, 0);
	PARTIAL_STORE(swl, 1);
	PARTIAL_STORE(swl, 2);
	PARTIAL_STORE(swl, 3);
	PARTIAL_STORE(swr, 0);
	PARTIAL_STORE(swr, 1);
	PARTIAL_STORE(swr, 2);
	PARTIAL_STORE(swr, 3);
}

/* Unaligned word load: lwr at the address, lwl at the address + 3. */
#define ULW(p) ({ uint32_t v_;						\
	__asm__ volatile(ASM_BEGIN "lwr %0, 0(%1)\n\tnop\n\t"		\
			 "lwl %0, 3(%1)\n\tnop" ASM_END			\
			 : "=&r"(v_) : "r"(p) : "memory");		\
	v_; })

#define USW(v, p) __asm__ volatile(ASM_BEGIN "swr %0, 0(%1)\n\t"	\
			 "swl %0, 3(%1)" ASM_END			\
			 : : "r"(v), "r"(p) : "memory")

static void unaligned(void)
{
	unsigned off;

	for (off = 0; off < 4; off++)
		printf("ulw +%u: %08x\n", off, ULW(src + 8 + off));
	for (off = 0; off < 4; off++) {
		reset_dst();
		USW(0xa1b2c3d4, (uint8_t *)dst + 4 + off);
		printf("usw +%u: %08x %08x %08x\n", off, dst[0], dst[1],
		       dst[2]);
	}
}

static void segments(void)
{
	uint32_t *k0 = dst;
	uint32_t *k1 = (uint32_t *)((uint32_t)dst | KSEG1);

	reset_dst();
	STORE(sw, 0x600dcafe, k0, 0);
	STORE(sb, 0x5a, k1, 4);
	printf("kseg0 store, kseg1 load: %08x\n", LOAD(lw, k1, 0));
	printf("kseg1 byte store, kseg1 load: %08x\n", LOAD(lw, k1, 4));
}

int main(void)
{
	byte_loads();
	plain_stores();
	partial_loads();
	partial_stores();
	unaligned();
	segments();
	printf("loadstore done\n");
	return 0;
}
