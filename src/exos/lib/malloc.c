/*
 * malloc.c: the heap: sbrk over the demand-zero region [LAYOUT_HEAP,
 * EXOS_HEAP_END), and malloc/free as Kernighan and Ritchie wrote them (The
 * C Programming Language, 2nd ed., sec. 8.7): a circular free list in
 * address order, first fit, neighbours merged on free. Pages appear when
 * first touched (vm.c).
 */
#include "exos.h"

/* A block header; the union keeps blocks 8-byte aligned. */
union header {
	struct {
		union header *next;	/* next free block */
		uint32_t units;		/* size in headers, this one included */
	} s;
	long long align;
};

#define MORECORE_MIN	1024	/* units: ask sbrk for 8 KiB at least */

static uint32_t brk;
static union header base;
static union header *freep;

/* Called by exos_init. */
void heap_init(void)
{
	brk = LAYOUT_HEAP;
	freep = 0;
}

void *sbrk(int incr)
{
	uint32_t old = brk;

	if (incr < 0 || (uint32_t)incr > EXOS_HEAP_END - brk)
		return (void *)-1;
	brk += (uint32_t)incr;
	return (void *)old;
}

void *page_alloc(uint32_t npages)
{
	uint32_t pad = (PAGE_SIZE - (brk & PAGE_MASK)) & PAGE_MASK;
	char *p;

	if (npages > (EXOS_HEAP_END - LAYOUT_HEAP) / PAGE_SIZE ||
	    sbrk((int)pad) == (void *)-1)
		return 0;
	p = sbrk((int)(npages * PAGE_SIZE));
	return p == (void *)-1 ? 0 : p;
}

/* Adds at least `units` to the free list; returns the list, or 0 when the heap is full. */
static union header *morecore(uint32_t units)
{
	union header *h;

	if (units < MORECORE_MIN)
		units = MORECORE_MIN;
	if (units > (EXOS_HEAP_END - LAYOUT_HEAP) / sizeof(union header))
		return 0;
	h = sbrk((int)(units * sizeof(union header)));
	if (h == (void *)-1)
		return 0;
	h->s.units = units;
	free(h + 1);
	return freep;
}

void *malloc(size_t n)
{
	union header *p, *prev;
	uint32_t units;

	if (n == 0 || n > EXOS_HEAP_END - LAYOUT_HEAP)
		return 0;
	units = (n + sizeof(union header) - 1) / sizeof(union header) + 1;
	if ((prev = freep) == 0) {
		base.s.next = freep = prev = &base;
		base.s.units = 0;
	}
	for (p = prev->s.next;; prev = p, p = p->s.next) {
		if (p->s.units >= units) {
			if (p->s.units == units) {
				prev->s.next = p->s.next;
			} else {
				p->s.units -= units;
				p += p->s.units;
				p->s.units = units;
			}
			freep = prev;
			return p + 1;
		}
		if (p == freep && (p = morecore(units)) == 0)
			return 0;
	}
}

void *calloc(size_t n, size_t size)
{
	size_t total = n * size;
	void *p;

	if (size && total / size != n)
		return 0;
	p = malloc(total);
	return p ? memset(p, 0, total) : 0;
}

void free(void *ap)
{
	union header *bp, *p;

	if (!ap)
		return;
	bp = (union header *)ap - 1;
	for (p = freep; !(bp > p && bp < p->s.next); p = p->s.next)
		if (p >= p->s.next && (bp > p || bp < p->s.next))
			break;	/* freed block at the start or end of the arena */
	if (bp + bp->s.units == p->s.next) {
		bp->s.units += p->s.next->s.units;
		bp->s.next = p->s.next->s.next;
	} else {
		bp->s.next = p->s.next;
	}
	if (p + p->s.units == bp) {
		p->s.units += bp->s.units;
		p->s.next = bp->s.next;
	} else {
		p->s.next = bp;
	}
	freep = p;
}
