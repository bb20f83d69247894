/*
 * tlbutil.c: TLB helpers (see tlbutil.h).
 */
#include "tlbutil.h"
#include "mips.h"

void tlb_invalidate_all(void)
{
	uint32_t i;

	for (i = 0; i < TLB_ENTRIES; i++)
		tlb_write(i, KSEG0 + i * PAGE_SIZE, 0);
	MTC0(CP0_ENTRYHI, 0);
}

void tlb_write(uint32_t index, uint32_t hi, uint32_t lo)
{
	uint32_t save = MFC0(CP0_ENTRYHI);

	MTC0(CP0_INDEX, index << INDEX_SHIFT);
	MTC0(CP0_ENTRYHI, hi);
	MTC0(CP0_ENTRYLO, lo);
	TLB_OP("tlbwi");
	MTC0(CP0_ENTRYHI, save);
}

void tlb_write_random(uint32_t hi, uint32_t lo)
{
	uint32_t save = MFC0(CP0_ENTRYHI);

	MTC0(CP0_ENTRYHI, hi);
	MTC0(CP0_ENTRYLO, lo);
	TLB_OP("tlbwr");
	MTC0(CP0_ENTRYHI, save);
}

void tlb_read(uint32_t index, uint32_t *hi, uint32_t *lo)
{
	uint32_t save = MFC0(CP0_ENTRYHI);

	MTC0(CP0_INDEX, index << INDEX_SHIFT);
	TLB_OP("tlbr");
	*hi = MFC0(CP0_ENTRYHI);
	*lo = MFC0(CP0_ENTRYLO);
	MTC0(CP0_ENTRYHI, save);
}

uint32_t tlb_probe(uint32_t hi)
{
	uint32_t save = MFC0(CP0_ENTRYHI), index;

	MTC0(CP0_ENTRYHI, hi);
	TLB_OP("tlbp");
	index = MFC0(CP0_INDEX);
	MTC0(CP0_ENTRYHI, save);
	return index;
}

void tlb_set_asid(uint32_t asid)
{
	MTC0(CP0_ENTRYHI, asid << ENTRYHI_ASID_SHIFT);
}
