/*
 * tlbutil.h: TLB helpers for bare-metal programs (R3000 manual, ch. 4).
 *
 * Each helper leaves EntryHi (and so the current ASID) as the caller had
 * it, unless it says otherwise. All of them must run in kernel mode.
 */
#ifndef EXOS_BAREMETAL_TLBUTIL_H
#define EXOS_BAREMETAL_TLBUTIL_H

#include <stdint.h>

/* Physical address of a kseg0 or kseg1 address. */
static inline uint32_t kva_to_pa(const void *p)
{
	return (uint32_t)p & 0x1fffffff;
}

/*
 * Makes all 64 entries unmatchable: each gets a distinct kseg0 VPN (kseg0
 * is never translated) and EntryLo 0. Needed before any mapped access: a
 * zeroed TLB would match page 0 many times over, and multiple matches are
 * undefined on the R3000. Sets EntryHi to 0 (ASID 0) afterwards.
 */
void tlb_invalidate_all(void);

/* Writes entry `index` with EntryHi hi and EntryLo lo (tlbwi). */
void tlb_write(uint32_t index, uint32_t hi, uint32_t lo);

/* Writes EntryHi hi / EntryLo lo at the Random index (tlbwr). */
void tlb_write_random(uint32_t hi, uint32_t lo);

/* Reads entry `index` (tlbr) into *hi and *lo; EntryHi is restored. */
void tlb_read(uint32_t index, uint32_t *hi, uint32_t *lo);

/* Probes for hi (tlbp); returns the Index register (P is bit 31). */
uint32_t tlb_probe(uint32_t hi);

/* Sets the current ASID in EntryHi (VPN field 0). */
void tlb_set_asid(uint32_t asid);

#endif
