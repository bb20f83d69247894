/*
 * vm.c: ExOS's virtual memory: its own page table, the TLB-miss handler
 * the kernel upcalls when its STLB cannot serve a miss (Aegis paper, sec.
 * 5.3), and demand-zero pages for the heap and the stack.
 *
 * The page table has two levels, 10 + 10 bits of page number:
 *   pt_root[va >> 22]  the EntryLo of the second-level table's frame, 0 when
 *                      there is none. The table itself is mapped guaranteed
 *                      at EXOS_PT_BASE + (va >> 22) * PAGE, so the miss
 *                      handler can read it without faulting.
 *   table[(va >> 12) & 0x3ff]
 *                      the page's PTE: EntryLo (PFN, N, D, V) in bits 31:8,
 *                      and ExOS's own bits in 7:0, which the hardware does
 *                      not have: PTE_OWN (ExOS allocated the frame),
 *                      PTE_ZERO (made on demand, never written) and, in
 *                      bits 7:4, the slot of the key to bind it with. 0 means
 *                      no page.
 * pt_root lives in .bss, which the kernel maps guaranteed with the image.
 */
#include "exos.h"

#define NKEYS		16
#define L1(va)		((va) >> 22)
#define L2(va)		(((va) >> 12) & 0x3ff)
#define TABLE(i)	((uint32_t *)(EXOS_PT_BASE + ((i) << 12)))

struct exos_vmstats exos_vmstats;
int vm_revocable;

static uint32_t pt_root[1024];

/* Keys PTEs name by slot; slot 0 is the environment's own key. */
static struct exos_key keys[NKEYS];
static uint32_t nkeys;

/* Called by exos_init once the info page has been read. */
void vm_init(void)
{
	keys[0] = exos_key;
	nkeys = 1;
}

/* True for pages vm_map must not touch: the kernel's half, its pages, the page tables. */
static int reserved(uint32_t page)
{
	uint32_t ft_end = LAYOUT_FRAMES + ((exos_nframes * FRAME_ENTRY_SIZE + PAGE_MASK) & ~PAGE_MASK);

	return page >= 0x80000000u || page == LAYOUT_INFO || page == LAYOUT_REPO ||
	       (page >= LAYOUT_FRAMES && page < ft_end) ||
	       L1(page) == L1(EXOS_PT_BASE);
}

/* The slot of key k, adding it if new; E_NoSpc when the table is full. */
static int key_slot(const struct exos_key *k)
{
	uint32_t i;

	for (i = 0; i < nkeys; i++)
		if (keys[i].lo == k->lo && keys[i].hi == k->hi)
			return (int)i;
	if (nkeys == NKEYS)
		return E_NoSpc;
	keys[nkeys] = *k;
	return (int)nkeys++;
}

/* Tries before giving up on frames the abort protocol takes as soon as they are allocated. */
#define ALLOC_TRIES	4

/*
 * A fresh frame of our own bound at `page` (writable) with tlb_map flags
 * `flags`. Returns the frame or an error. If the abort protocol takes the
 * frame between frame_alloc and tlb_map (E_Cap, and it is not ours any
 * more), it tries another.
 */
static int frame_bind(uint32_t page, uint32_t flags)
{
	int frame, r, tries;

	for (tries = 0; tries < ALLOC_TRIES; tries++) {
		frame = sys_frame_alloc(-1, exos_key.lo, exos_key.hi);
		if (frame < 0)
			return frame;
		r = sys_tlb_map(page | flags, ((uint32_t)frame << 12) | ENTRYLO_D | ENTRYLO_V,
				exos_key.lo, exos_key.hi);
		if (r == 0)
			return frame;
		if (r != E_Cap || FRAME_OWNER(frame) == (uint32_t)exos_envid) {
			sys_frame_free((uint32_t)frame);
			return r;
		}
	}
	return E_NoMem;
}

/* Makes second-level table i: a fresh frame, mapped guaranteed, zeroed. Returns 0 or an error. */
static int table_make(uint32_t i)
{
	uint32_t va = EXOS_PT_BASE + (i << 12);
	int frame;

	frame = frame_bind(va, MAP_FLAG_Guaranteed);
	if (frame < 0)
		return frame;
	memset((void *)va, 0, PAGE_SIZE);
	pt_root[i] = ((uint32_t)frame << 12) | ENTRYLO_D | ENTRYLO_V;
	exos_vmstats.tables++;
	return 0;
}

uint32_t vm_lookup(uint32_t va)
{
	uint32_t i = L1(va);

	return pt_root[i] ? TABLE(i)[L2(va)] : 0;
}

void vm_forget(uint32_t va)
{
	uint32_t i = L1(va);

	if (pt_root[i])
		TABLE(i)[L2(va)] = 0;
}

int vm_map(uint32_t va, uint32_t entrylo, const struct exos_key *key)
{
	uint32_t page = va & ~PAGE_MASK, i = L1(va), pte;
	int slot = 0, r;

	if (reserved(page))
		return E_Inval;
	if (key && (slot = key_slot(key)) < 0)
		return slot;
	if (!pt_root[i] && (r = table_make(i)) < 0)
		return r;
	pte = (entrylo & (PTE_HW | PTE_OWN | PTE_ZERO)) | ((uint32_t)slot << PTE_KEY_SHIFT);
	r = sys_tlb_map(page, pte & PTE_HW, keys[slot].lo, keys[slot].hi);
	if (r < 0)
		return r;
	TABLE(i)[L2(va)] = pte;
	return 0;
}

int vm_unmap(uint32_t va)
{
	uint32_t page = va & ~PAGE_MASK, i = L1(va), pte;

	if (reserved(page) || !pt_root[i] || !(pte = TABLE(i)[L2(va)]))
		return E_NoEnt;
	TABLE(i)[L2(va)] = 0;
	sys_tlb_unmap(page);	/* E_NoEnt is fine: the kernel may have dropped it */
	if (pte & PTE_OWN)
		sys_frame_free(pte >> 12);
	return 0;
}

int vm_demand_zero(uint32_t page)
{
	return (page >= LAYOUT_HEAP && page < (uint32_t)sbrk(0)) ||
	       (page >= EXOS_STACK_MIN && page < LAYOUT_STACK_TOP);
}

/*
 * Makes a demand-zero page: a frame of our own, bound, then zeroed through
 * the new mapping (the kernel hands out frames zeroed; ExOS does not rely
 * on that, so it runs on a kernel that does not).
 * With vm_revocable the frame is bound guaranteed while it is zeroed, so
 * that the abort protocol cannot take it from under the handler (busy is
 * set: a miss now would be fatal), then bound as an ordinary page; a page
 * made for a load without D and marked PTE_ZERO, so that its first store
 * is seen (vm_mod).
 */
static int zero_fill(uint32_t page, int store)
{
	uint32_t lo;
	int frame, r;

	if (!vm_revocable) {
		frame = sys_frame_alloc(-1, exos_key.lo, exos_key.hi);
		if (frame < 0)
			return frame;
		r = vm_map(page, ((uint32_t)frame << 12) | ENTRYLO_D | ENTRYLO_V | PTE_OWN, 0);
		if (r < 0) {
			sys_frame_free((uint32_t)frame);
			return r;
		}
		memset((void *)page, 0, PAGE_SIZE);
		exos_vmstats.zero_fills++;
		return 0;
	}
	frame = frame_bind(page, MAP_FLAG_Guaranteed);
	if (frame < 0)
		return frame;
	memset((void *)page, 0, PAGE_SIZE);
	lo = ((uint32_t)frame << 12) | ENTRYLO_V | PTE_OWN;
	r = vm_map(page, store ? lo | ENTRYLO_D : lo | PTE_ZERO, 0);
	if (r < 0) {
		sys_tlb_unmap(page);
		sys_frame_free((uint32_t)frame);
		return r;
	}
	exos_vmstats.zero_fills++;
	return 0;
}

/*
 * With vm_revocable, true when the PTE of `page` names a frame of ours that
 * the abort protocol took: the frame table says it is someone else's, or
 * the key we bound it with is no capability for it any more (taken, then
 * allocated again, by us too, under another key). The PTE is forgotten, so
 * the page is made again on demand. Its contents are lost.
 */
static int taken(uint32_t page, uint32_t pte, int r)
{
	if (!vm_revocable || !(pte & PTE_OWN))
		return 0;
	if (FRAME_OWNER(pte >> 12) == (uint32_t)exos_envid && r != E_Cap)
		return 0;
	vm_forget(page);
	exos_vmstats.taken++;
	return 1;
}

/*
 * The TLBL/TLBS handler: binds the page from the page table, or makes a
 * demand-zero page; anything else is a wild access and ends the program.
 */
void vm_tlb_miss(struct exos_save *s, struct exos_trapframe *tf)
{
	uint32_t page = s->badvaddr & ~PAGE_MASK, pte, slot;
	const char *what = exos_excname(EXC_CODE(s->cause));
	int r;

	(void)tf;
	pte = reserved(page) ? 0 : vm_lookup(page);
	if (pte) {
		slot = (pte & PTE_KEY_MASK) >> PTE_KEY_SHIFT;
		r = sys_tlb_map(page, pte & PTE_HW, keys[slot].lo, keys[slot].hi);
		if (r == 0) {
			exos_vmstats.refills++;
			return;
		}
		if (taken(page, pte, r))
			goto remake;
		printf("exos: fatal %s at epc 0x%08x: cannot bind page 0x%08x again: %s\n",
		       what, s->epc, page, exos_errname(r));
		exit(EXIT_FAULT(EXC_CODE(s->cause)));
	}
remake:
	if (!vm_demand_zero(page)) {
		printf("exos: fatal %s at epc 0x%08x: no mapping for 0x%08x\n",
		       what, s->epc, s->badvaddr);
		exit(EXIT_WILD);
	}
	r = zero_fill(page, EXC_CODE(s->cause) == EXC_TLBS);
	if (r < 0) {
		printf("exos: fatal %s at epc 0x%08x: no page for 0x%08x: %s\n",
		       what, s->epc, s->badvaddr, exos_errname(r));
		exit(EXIT_NOMEM);
	}
}

/*
 * The Mod handler. The first store to a PTE_ZERO page makes it an ordinary
 * writable page; any other Mod is a write to a read-only page and ends the
 * program (ExOS maps its own pages writable).
 */
void vm_mod(struct exos_save *s, struct exos_trapframe *tf)
{
	uint32_t page = s->badvaddr & ~PAGE_MASK;
	uint32_t pte = reserved(page) ? 0 : vm_lookup(page);
	int r;

	(void)tf;
	if ((pte & PTE_ZERO) && (pte & ENTRYLO_V)) {
		r = vm_map(page, (pte & ~PTE_ZERO) | ENTRYLO_D, &keys[(pte & PTE_KEY_MASK) >> PTE_KEY_SHIFT]);
		if (r == 0) {
			exos_vmstats.first_writes++;
			return;
		}
		if (taken(page, pte, r))
			return;		/* the store misses and the page is made again */
	}
	printf("exos: fatal Mod at epc 0x%08x: write to read-only page 0x%08x\n",
	       s->epc, s->badvaddr);
	exit(EXIT_FAULT(EXC_Mod));
}
