/*
 * vm.c: process page tables (mmu.h), copies between the kernel and user
 * space, and the TLB.
 *
 * The kernel never touches a user address through the TLB: copyin and
 * copyout walk the page table and copy through kseg0, so a bad pointer in
 * a system call is an error return (-EFAULT), never a kernel TLB fault.
 */
#include "defs.h"
#include "param.h"
#include "memlayout.h"
#include "mips.h"
#include "proc.h"

#define ASID_MASK	0xfc0

/* Bytes copied in and out of user space (read by the debugger from the symbol table). */
uint32_t copyin_bytes, copyout_bytes;

/* Returns the PTE bits for a page at physical pa with software perm (PTE_R/W/SHARED). */
static pte_t mkpte(uint32_t pa, uint32_t perm)
{
	pte_t pte = (pa & PTE_PFN) | PTE_P | perm;

	if (perm & (PTE_R | PTE_W))
		pte |= PTE_V;
	if (perm & PTE_W)
		pte |= PTE_D;
	return pte;
}

/* Returns a new, empty page directory, or 0 when out of memory. */
pagetable_t uvm_create(void)
{
	return kalloc();
}

/*
 * Returns the PTE for user address va in directory pd. With alloc set,
 * allocates a missing page of PTEs; returns 0 if it is missing (or cannot
 * be allocated) or va is not a user address.
 */
pte_t *uvm_walk(pagetable_t pd, uint32_t va, int alloc)
{
	pte_t *pt;

	if (va >= UTOP)
		return 0;
	pt = (pte_t *)pd[PDX(va)];
	if (!pt) {
		if (!alloc || !(pt = kalloc()))
			return 0;
		pd[PDX(va)] = (uint32_t)pt;
	}
	return &pt[PTX(va)];
}

/* Maps the page at va to physical pa in p; 0 on success, -ENOMEM. */
int uvm_map(struct proc *p, uint32_t va, uint32_t pa, uint32_t perm)
{
	pte_t *pte = uvm_walk(p->pgdir, va, 1);

	if (!pte)
		return -ENOMEM;
	*pte = mkpte(pa, perm);
	tlb_flush_page(va, p->asid);
	return 0;
}

/* Maps fresh zeroed pages over [start, end) in p; 0 or -ENOMEM (pages stay mapped). */
int uvm_alloc(struct proc *p, uint32_t start, uint32_t end, uint32_t perm)
{
	uint32_t va;
	void *page;

	for (va = PGROUNDDOWN(start); va < end; va += PGSIZE) {
		pte_t *pte = uvm_walk(p->pgdir, va, 0);
		if (pte && (*pte & PTE_P))
			continue;
		if (!(page = kalloc()))
			return -ENOMEM;
		if (uvm_map(p, va, K0TOPHYS(page), perm) < 0) {
			kfree(page);
			return -ENOMEM;
		}
	}
	return 0;
}

/* Frees a page table and every private page it maps; flushes asid from the TLB. */
void uvm_free(pagetable_t pd, uint32_t asid)
{
	int i, j;

	for (i = 0; i < 1024; i++) {
		pte_t *pt = (pte_t *)pd[i];
		if (!pt)
			continue;
		for (j = 0; j < 1024; j++)
			if ((pt[j] & PTE_P) && !(pt[j] & PTE_SHARED))
				kfree((void *)PHYSTOK0(pt[j] & PTE_PFN));
		kfree(pt);
	}
	kfree(pd);
	tlb_flush_asid(asid);
}

/* Copies an address space into to (fork): private pages copied, shared ones shared. */
int uvm_copy(pagetable_t from, struct proc *to)
{
	int i, j;

	for (i = 0; i < 1024; i++) {
		pte_t *pt = (pte_t *)from[i];
		if (!pt)
			continue;
		for (j = 0; j < 1024; j++) {
			uint32_t va = ((uint32_t)i << PDXSHIFT) | ((uint32_t)j << PTXSHIFT);
			uint32_t pa = pt[j] & PTE_PFN, perm = pt[j] & (PTE_R | PTE_W | PTE_SHARED);
			void *page;
			if (!(pt[j] & PTE_P))
				continue;
			if (!(pt[j] & PTE_SHARED)) {
				if (!(page = kalloc()))
					return -ENOMEM;
				memcpy(page, (void *)PHYSTOK0(pa), PGSIZE);
				pa = K0TOPHYS(page);
			}
			if (uvm_map(to, va, pa, perm) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

/*
 * Sets the protection of the mapped pages over [va, va+len) to perm
 * (PTE_R/PTE_W); 0, -EINVAL for a misaligned or non-user range, -ENOMEM
 * if a page in it is not mapped (nothing is changed then).
 */
int uvm_protect(struct proc *p, uint32_t va, uint32_t len, uint32_t perm)
{
	uint32_t a, end = va + PGROUNDUP(len);
	pte_t *pte;

	if ((va & (PGSIZE - 1)) || end < va || end > UTOP)
		return -EINVAL;
	for (a = va; a < end; a += PGSIZE)
		if (!(pte = uvm_walk(p->pgdir, a, 0)) || !(*pte & PTE_P))
			return -ENOMEM;
	for (a = va; a < end; a += PGSIZE) {
		pte = uvm_walk(p->pgdir, a, 0);
		*pte = mkpte(*pte & PTE_PFN, (*pte & PTE_SHARED) | perm);
		tlb_flush_page(a, p->asid);
	}
	return 0;
}

/* Returns the kseg0 address of user va in p if the page allows need, else 0. */
static uint8_t *uvm_kaddr(struct proc *p, uint32_t va, uint32_t need)
{
	pte_t *pte = uvm_walk(p->pgdir, va, 0);

	if (!pte || !(*pte & PTE_P) || (*pte & need) != need)
		return 0;
	return (uint8_t *)PHYSTOK0((*pte & PTE_PFN) | (va & (PGSIZE - 1)));
}

/* Copies n bytes to user address dst in p; 0, or -EFAULT if any page is not writable. */
int copyout(struct proc *p, uint32_t dst, const void *src, uint32_t n)
{
	const uint8_t *s = src;

	while (n > 0) {
		uint32_t chunk = PGSIZE - (dst & (PGSIZE - 1));
		uint8_t *k = uvm_kaddr(p, dst, PTE_W);
		if (!k)
			return -EFAULT;
		if (chunk > n)
			chunk = n;
		memcpy(k, s, chunk);
		copyout_bytes += chunk;
		n -= chunk, s += chunk, dst += chunk;
	}
	return 0;
}

/* Copies n bytes from user address src in p; 0, or -EFAULT if any page is not readable. */
int copyin(struct proc *p, void *dst, uint32_t src, uint32_t n)
{
	uint8_t *d = dst;

	while (n > 0) {
		uint32_t chunk = PGSIZE - (src & (PGSIZE - 1));
		uint8_t *k = uvm_kaddr(p, src, PTE_R);
		if (!k)
			return -EFAULT;
		if (chunk > n)
			chunk = n;
		memcpy(d, k, chunk);
		copyin_bytes += chunk;
		n -= chunk, d += chunk, src += chunk;
	}
	return 0;
}

/* Copies a NUL-terminated string of at most max bytes (with the NUL); its length, or -EFAULT/-EINVAL. */
int copyinstr(struct proc *p, char *dst, uint32_t src, uint32_t max)
{
	uint32_t i;

	for (i = 0; i < max; i++) {
		uint8_t *k = uvm_kaddr(p, src + i, PTE_R);
		if (!k)
			return -EFAULT;
		if ((dst[i] = (char)*k) == 0)
			return (int)i;
	}
	return -EINVAL;
}

/* Invalidates TLB entry i: a kseg0 VPN, which no translation ever looks up. */
static void tlb_kill(uint32_t i)
{
	MTC0(CP0_INDEX, i << INDEX_SHIFT);
	MTC0(CP0_ENTRYHI, KSEG0 + i * PGSIZE);
	MTC0(CP0_ENTRYLO, 0);
	TLB_OP("tlbwi");
}

/* Invalidates the whole TLB; ASID 0 (no process) is current afterwards. */
void tlb_init(void)
{
	uint32_t i;

	for (i = 0; i < TLB_ENTRIES; i++)
		tlb_kill(i);
	MTC0(CP0_ENTRYHI, 0);
}

/* Drops the TLB entry for (va, asid), if there is one (tlbp; R3000 manual ch. 6). */
void tlb_flush_page(uint32_t va, uint32_t asid)
{
	uint32_t save = MFC0(CP0_ENTRYHI), index;

	MTC0(CP0_ENTRYHI, PGROUNDDOWN(va) | (asid << ENTRYHI_ASID_SHIFT));
	TLB_OP("tlbp");
	index = MFC0(CP0_INDEX);
	if (!(index & INDEX_P))
		tlb_kill(index >> INDEX_SHIFT);
	MTC0(CP0_ENTRYHI, save);
}

/* Drops every TLB entry tagged with asid (a process slot being reused). */
void tlb_flush_asid(uint32_t asid)
{
	uint32_t save = MFC0(CP0_ENTRYHI), i;

	for (i = 0; i < TLB_ENTRIES; i++) {
		MTC0(CP0_INDEX, i << INDEX_SHIFT);
		TLB_OP("tlbr");
		if ((MFC0(CP0_ENTRYHI) & ASID_MASK) == asid << ENTRYHI_ASID_SHIFT)
			tlb_kill(i);
	}
	MTC0(CP0_ENTRYHI, save);
}
