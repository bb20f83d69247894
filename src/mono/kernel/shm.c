/*
 * shm.c: System V-style shared memory: shmget makes (or finds) a segment
 * of zeroed pages under a key, shmat maps all of it into the calling
 * process. The pages are marked PTE_SHARED, so fork shares them and exit
 * leaves them; a segment lasts until the machine halts (no IPC_RMID).
 */
#include "defs.h"
#include "param.h"
#include "memlayout.h"
#include "proc.h"

struct shmseg {
	uint32_t key;			/* 0: private (IPC_PRIVATE) */
	uint32_t npages;		/* 0: slot unused */
	uint32_t pages[SHM_MAXPAGES];	/* physical addresses */
};

static struct shmseg segs[NSHM];

/*
 * Returns the id of the segment with key (nonzero key, at least size
 * bytes), making it if there is none; key 0 always makes a new one.
 * -EINVAL for a size of 0 or too large, -ENOSPC/-ENOMEM when full.
 */
int shmget(uint32_t key, uint32_t size)
{
	uint32_t n = PGROUNDUP(size) / PGSIZE, i;
	struct shmseg *s;

	if (size == 0 || n > SHM_MAXPAGES)
		return -EINVAL;
	for (s = segs; key && s < &segs[NSHM]; s++)
		if (s->npages && s->key == key)
			return s->npages >= n ? (int)(s - segs) : -EINVAL;
	for (s = segs; s < &segs[NSHM] && s->npages; s++)
		;
	if (s == &segs[NSHM])
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		void *page = kalloc();
		if (!page) {
			while (i > 0)
				kfree((void *)PHYSTOK0(s->pages[--i]));
			return -ENOMEM;
		}
		s->pages[i] = K0TOPHYS(page);
	}
	s->key = key;
	s->npages = n;
	return (int)(s - segs);
}

/* Returns 1 if none of the n pages from va is mapped in p. */
static int range_free(struct proc *p, uint32_t va, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		pte_t *pte = uvm_walk(p->pgdir, va + i * PGSIZE, 0);
		if (pte && (*pte & PTE_P))
			return 0;
	}
	return 1;
}

/*
 * Maps segment id read-write at addr (page aligned, below kseg0), or at
 * the lowest free place from SHMBASE when addr is 0. Returns the address,
 * or -EINVAL for a bad id or address, -ENOMEM if no room or memory.
 */
int shmat(int id, uint32_t addr)
{
	struct shmseg *s;
	uint32_t i, len;

	if (id < 0 || id >= NSHM || !segs[id].npages)
		return -EINVAL;
	s = &segs[id];
	len = s->npages * PGSIZE;
	if (addr == 0) {
		for (addr = SHMBASE; addr + len <= SHMTOP; addr += PGSIZE)
			if (range_free(curproc, addr, s->npages))
				break;
		if (addr + len > SHMTOP)
			return -ENOMEM;
	} else if ((addr & (PGSIZE - 1)) || addr < USERBASE || addr + len < addr ||
		   addr + len > UTOP || !range_free(curproc, addr, s->npages)) {
		return -EINVAL;
	}
	for (i = 0; i < s->npages; i++)
		if (uvm_map(curproc, addr + i * PGSIZE, s->pages[i], PTE_R | PTE_W | PTE_SHARED) < 0)
			return -ENOMEM;
	return (int)addr;
}
