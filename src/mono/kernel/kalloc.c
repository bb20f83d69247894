/*
 * kalloc.c: the physical page allocator: a free list of 4 KB pages from
 * the end of the kernel image to PHYSTOP, addressed through kseg0.
 */
#include "defs.h"
#include "param.h"
#include "memlayout.h"

extern char _end[];		/* first address after the kernel (baremetal.ld) */

struct run {
	struct run *next;
};

static struct run *freelist;
static uint32_t nfree;

/* Puts every page from the end of the kernel to PHYSTOP on the free list. */
void kinit(void)
{
	uint32_t a;

	for (a = PGROUNDUP((uint32_t)_end); a + PGSIZE <= PHYSTOP; a += PGSIZE)
		kfree((void *)a);
}

/* Returns a zeroed page (a kseg0 address), or 0 when memory is exhausted. */
void *kalloc(void)
{
	struct run *r = freelist;

	if (!r)
		return 0;
	freelist = r->next;
	nfree--;
	memset(r, 0, PGSIZE);
	return r;
}

/* Frees a page kalloc returned; panics on an address it cannot have. */
void kfree(void *page)
{
	struct run *r = page;
	uint32_t a = (uint32_t)page;

	if ((a & (PGSIZE - 1)) || a < (uint32_t)_end || a >= PHYSTOP)
		panic("kfree");
	r->next = freelist;
	freelist = r;
	nfree++;
}

/* Returns how many pages are free (tests check that exit frees everything). */
uint32_t kfree_count(void)
{
	return nfree;
}
