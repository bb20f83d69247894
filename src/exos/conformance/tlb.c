/*
 * tlb.c: the R3000A TLB (R3000 manual, ch. 4 "Memory management").
 *
 * Covers the writable fields of Index, EntryHi, EntryLo and Context,
 * tlbwi/tlbr round trips, tlbp hits and misses (Index.P) with ASID and G,
 * Random staying in [8,63] and moving by itself, tlbwr landing there,
 * mapped loads and stores from kernel mode, the Mod exception on a clean
 * page (D = 0), TLBL/TLBS on an invalid entry (V = 0) through the GENERAL
 * vector, TLBL/TLBS on a kuseg miss through the UTLB vector with BadVAddr,
 * EntryHi.VPN and Context.BadVPN, a kseg2 miss through the general vector,
 * ASID matching and the G bit, instruction fetch through a mapping, and a
 * refill handler that uses Context and tlbwr (tlbtest.S).
 */
#include "exc.h"
#include "exccheck.h"
#include "mips.h"
#include "test.h"
#include "tlbutil.h"

#define VA(n)		(0x00400000u + (n) * PAGE_SIZE)
#define KSEG2_VA	0xc0001000u
#define NFRAMES		6

/* Physical frames for the mappings; word 0 of frame i is 0xf0000000 + i. */
static uint32_t frames[NFRAMES][PAGE_SIZE / 4]
	__attribute__((aligned(PAGE_SIZE)));

/* tlbtest.S */
extern const uint32_t refill_stub[], refill_stub_end[];
extern volatile uint32_t refill_count;

static uint32_t frame_pa(int i)
{
	return kva_to_pa(frames[i]);
}

static void registers(void)
{
	MTC0(CP0_ENTRYHI, 0xffffffff);
	printf("entryhi written ffffffff: %08x\n", MFC0(CP0_ENTRYHI));
	MTC0(CP0_ENTRYLO, 0xffffffff);
	printf("entrylo written ffffffff: %08x\n", MFC0(CP0_ENTRYLO));
	MTC0(CP0_INDEX, 0x0000ffff);
	printf("index written 0000ffff: %08x\n", MFC0(CP0_INDEX));
	MTC0(CP0_CONTEXT, 0xffffffff);
	printf("context written ffffffff, PTEBase: %08x\n",
	       MFC0(CP0_CONTEXT) & 0xffe00000);
	MTC0(CP0_ENTRYHI, 0);
	MTC0(CP0_ENTRYLO, 0);
}

static void read_write_probe(void)
{
	uint32_t hi, lo;

	tlb_write(10, 0x12345000 | 5 << 6, 0xabcde000 | ENTRYLO_N | ENTRYLO_D |
		  ENTRYLO_V);
	tlb_write(63, 0x23456000 | 9 << 6, 0x00042000 | ENTRYLO_G | ENTRYLO_V);
	tlb_read(10, &hi, &lo);
	printf("tlbr 10: hi=%08x lo=%08x\n", hi, lo);
	tlb_read(63, &hi, &lo);
	printf("tlbr 63: hi=%08x lo=%08x\n", hi, lo);
	printf("tlbp 12345/asid 5: %08x\n", tlb_probe(0x12345000 | 5 << 6));
	printf("tlbp 12345/asid 6: P=%u\n",
	       tlb_probe(0x12345000 | 6 << 6) >> 31);
	printf("tlbp 23456/asid 1 (G): %08x\n", tlb_probe(0x23456000 | 1 << 6));
	printf("tlbp 77777/asid 0: P=%u\n", tlb_probe(0x77777000) >> 31);
	tlb_write(10, KSEG0 + 10 * PAGE_SIZE, 0);
	tlb_write(63, KSEG0 + 63 * PAGE_SIZE, 0);
}

static void random_register(void)
{
	uint32_t i, r, prev, ok = 1, moved = 0, index;

	prev = MFC0(CP0_RANDOM);
	for (i = 0; i < 200; i++) {
		r = MFC0(CP0_RANDOM);
		if ((r & 0xff) || (r >> 8) < TLB_WIRED || (r >> 8) > 63)
			ok = 0;
		if (r != prev)
			moved = 1;
		prev = r;
		if (i & 1)	/* vary the distance between reads */
			__asm__ volatile(ASM_BEGIN "nop" ASM_END);
	}
	printf("random in [8,63] over 200 reads: %s\n", ok ? "yes" : "no");
	printf("random moves without tlbwr: %s\n", moved ? "yes" : "no");
	ok = 1;
	for (i = 0; i < 20; i++) {
		tlb_write_random(0x34560000 + (i << 12), 0);
		index = tlb_probe(0x34560000 + (i << 12));
		if ((index >> 31) || (index >> 8) < TLB_WIRED)
			ok = 0;
	}
	printf("tlbwr lands in [8,63]: %s\n", ok ? "yes" : "no");
	tlb_invalidate_all();
}

/* A load (or store of 0x5a) at va with exc_show; returns the loaded word. */
static uint32_t load(const char *name, uint32_t va)
{
	uint32_t at, n = exc_count, v = 0xdeadbeef;

	__asm__ volatile(ASM_BEGIN "la %0, 1f\n1:\tlw %1, 0(%2)\n\tnop"
			 ASM_END : "=&r"(at), "+r"(v) : "r"(va) : "memory");
	exc_show(name, n, at, va & ~(PAGE_SIZE - 1));
	return v;
}

static void store(const char *name, uint32_t va)
{
	uint32_t at, n = exc_count;

	__asm__ volatile(ASM_BEGIN "la %0, 1f\n1:\tsw %1, 0(%2)" ASM_END
			 : "=&r"(at) : "r"(0x5a), "r"(va) : "memory");
	exc_show(name, n, at, va & ~(PAGE_SIZE - 1));
}

/* EntryHi and Context as the last exception left them. */
static void show_tlb_state(void)
{
	printf("  entryhi=%08x context=%08x\n", exc_last.entryhi,
	       exc_last.context);
}

static void mapped_access(void)
{
	uint32_t v;

	tlb_write(8, VA(0), frame_pa(0) | ENTRYLO_V | ENTRYLO_D);
	v = load("lw mapped page 0", VA(0));
	printf("  value: %08x\n", v);
	store("sw mapped page 0", VA(0) + 8);
	printf("  frame 0 word 2: %08x\n", frames[0][2]);

	tlb_write(9, VA(1), frame_pa(1) | ENTRYLO_V);
	v = load("lw clean page 1", VA(1));
	printf("  value: %08x\n", v);
	store("sw clean page 1", VA(1) + 8);
	show_tlb_state();
	printf("  frame 1 word 2: %08x\n", frames[1][2]);

	tlb_write(11, VA(2), frame_pa(2) | ENTRYLO_D);
	load("lw invalid page 2", VA(2) + 12);
	show_tlb_state();
	store("sw invalid page 2", VA(2) + 16);

	load("lw unmapped page 3", VA(3) + 20);
	show_tlb_state();
	store("sw unmapped page 3", VA(3) + 24);
	show_tlb_state();
}

static void kseg2(void)
{
	uint32_t v;

	load("lw unmapped kseg2", KSEG2_VA + 4);
	show_tlb_state();
	tlb_write(12, KSEG2_VA, frame_pa(3) | ENTRYLO_V | ENTRYLO_G);
	v = load("lw mapped kseg2", KSEG2_VA);
	printf("  value: %08x\n", v);
}

static void asids(void)
{
	uint32_t v;

	tlb_write(13, VA(4) | 5 << 6, frame_pa(4) | ENTRYLO_V);
	tlb_write(14, VA(5) | 7 << 6, frame_pa(5) | ENTRYLO_V | ENTRYLO_G);
	tlb_set_asid(5);
	v = load("asid 5, entry asid 5", VA(4));
	printf("  value: %08x\n", v);
	tlb_set_asid(6);
	load("asid 6, entry asid 5", VA(4));
	show_tlb_state();
	v = load("asid 6, entry asid 7 with G", VA(5));
	printf("  value: %08x\n", v);
	tlb_set_asid(0);
}

static void fetch(void)
{
	uint32_t sled = (uint32_t)exc_sled;
	uint32_t off = sled & (PAGE_SIZE - 1);

	tlb_write(15, VA(6), (kva_to_pa(exc_sled) & ~(PAGE_SIZE - 1)) |
		  ENTRYLO_V);
	exc_jump("call through mapped page 6", VA(6) + off, 0);
	exc_jump("jump to unmapped page 7", VA(7) + off, VA(7) + off);
	show_tlb_state();
}

/*
 * The page table for refill(). With PTEBase = 0x80000000 the PTE of
 * virtual page v is the kseg0 word at 0x80000000 + 4 * v, so the pages this
 * table maps start at virtual page (physical address of ptes) / 4.
 */
static uint32_t ptes[8] __attribute__((aligned(32)));

static void refill(void)
{
	uint32_t vpn0 = kva_to_pa(ptes) / 4, i, ok = 1, n;

	for (i = 0; i < 4; i++)
		ptes[i] = frame_pa(i) | ENTRYLO_V | ENTRYLO_D | ENTRYLO_G;
	ptes[4] = frame_pa(4) | ENTRYLO_G;	/* not valid */
	tlb_invalidate_all();
	MTC0(CP0_CONTEXT, KSEG0);
	exc_set_utlb(refill_stub, refill_stub_end - refill_stub);
	refill_count = 0;
	n = exc_count;
	for (i = 0; i < 4; i++)
		if (*(volatile uint32_t *)((vpn0 + i) << 12) != 0xf0000000 + i)
			ok = 0;
	printf("refill handler: 4 pages read %s, refills=%u exceptions=%u\n",
	       ok ? "correctly" : "WRONG", refill_count, exc_count - n);
	printf("  context after last refill is &pte[3]: %s\n",
	       MFC0(CP0_CONTEXT) == (uint32_t)&ptes[3] ? "yes" : "no");
	refill_count = 0;
	load("refilled invalid pte", (vpn0 + 4) << 12);
	printf("  refills=%u\n", refill_count);
	exc_set_utlb(0, 0);
	tlb_invalidate_all();
}

int main(void)
{
	int i;

	MTC0(CP0_STATUS, ST_CU0);
	exc_install();
	for (i = 0; i < NFRAMES; i++)
		frames[i][0] = 0xf0000000 + i;
	tlb_invalidate_all();
	registers();
	read_write_probe();
	random_register();
	mapped_access();
	kseg2();
	asids();
	fetch();
	refill();
	printf("exceptions taken: %u\n", exc_count);
	printf("tlb done\n");
	return 0;
}
