/*
 * ring.c: packet rings (abi.ts: RingCreate, Ring). A ring is ours: frames
 * of our own, mapped guaranteed (the kernel writes into it at any time,
 * and an ASH reads it, so no TLB miss may ever reach ExOS there). The
 * kernel fills slot head % slots and advances head; we read slot
 * tail % slots and advance tail. Both count without wrapping back.
 */
#include "net.h"

#define FIELD_AT(type, field, off) \
	_Static_assert(__builtin_offsetof(type, field) == (off), #type "." #field)

FIELD_AT(struct net_ring, head, RING_HEAD);
FIELD_AT(struct net_ring, tail, RING_TAIL);
FIELD_AT(struct net_ring, slots, RING_SLOTS);
FIELD_AT(struct net_ring, slot_size, RING_SLOT_SIZE);
FIELD_AT(struct net_ring, dropped, RING_DROPPED);
FIELD_AT(struct net_ring, data, RING_DATA);

/* Keeps the compiler from moving memory accesses across it (the kernel writes rings between instructions). */
#define BARRIER()	__asm__ __volatile__("" ::: "memory")

/* Every ring made, in order; ring i is at window i. */
static const struct ring *rings[RINGS_MAX];
static uint32_t nrings;

/* Frees the frames of the first n pages of a ring being made (frame_free breaks their bindings). */
static void release(const int *frames, uint32_t n)
{
	while (n--)
		sys_frame_free((uint32_t)frames[n]);
}

/* A fresh frame of ours, mapped guaranteed and writable at va, zeroed. Returns the frame or an error. */
static int ring_page(uint32_t va)
{
	int frame, r;

	frame = sys_frame_alloc(-1, exos_key.lo, exos_key.hi);
	if (frame < 0)
		return frame;
	r = sys_tlb_map(va | MAP_FLAG_Guaranteed, ((uint32_t)frame << 12) | ENTRYLO_D | ENTRYLO_V,
			exos_key.lo, exos_key.hi);
	if (r < 0) {
		sys_frame_free((uint32_t)frame);
		return r;
	}
	memset((void *)va, 0, PAGE_SIZE);
	return frame;
}

int ring_create(struct ring *r, uint32_t pages, uint32_t slot_size)
{
	uint32_t va = EXOS_RING_BASE + nrings * EXOS_RING_STRIDE, i, slots;
	int frames[RING_PAGES_MAX], id;
	struct net_ring *m = (struct net_ring *)va;

	if (pages < 1 || pages > RING_PAGES_MAX || slot_size < RING_SLOT_MIN ||
	    slot_size > RING_SLOT_MAX || (slot_size & 3))
		return E_Inval;
	slots = (pages * PAGE_SIZE - RING_DATA) / slot_size;
	if (slots == 0)
		return E_Inval;
	if (nrings == RINGS_MAX)
		return E_NoSpc;
	for (i = 0; i < pages; i++) {
		frames[i] = ring_page(va + i * PAGE_SIZE);
		if (frames[i] < 0) {
			id = frames[i];
			release(frames, i);
			return id;
		}
	}
	m->slots = slots;
	m->slot_size = slot_size;
	id = sys_ring_create(va, slots, slot_size);
	if (id < 0) {
		release(frames, pages);
		return id;
	}
	r->mem = m;
	r->id = id;
	r->slots = slots;
	r->slot_size = slot_size;
	rings[nrings++] = r;
	return id;
}

uint8_t *ring_peek(const struct ring *r, uint32_t *len)
{
	uint32_t tail = r->mem->tail, n;
	uint8_t *slot;

	if (r->mem->head == tail)
		return 0;
	BARRIER();
	slot = r->mem->data + (tail % r->slots) * r->slot_size;
	n = *(volatile uint32_t *)slot;
	*len = n < r->slot_size - 4 ? n : r->slot_size - 4;
	return slot + 4;
}

void ring_next(const struct ring *r)
{
	BARRIER();
	r->mem->tail = r->mem->tail + 1;
}

uint32_t ring_waiting(const struct ring *r)
{
	return r->mem->head - r->mem->tail;
}

uint32_t ring_waiting_all(void)
{
	uint32_t i, n = 0;

	for (i = 0; i < nrings; i++)
		n += ring_waiting(rings[i]);
	return n;
}

void ring_flush(const struct ring *r)
{
	BARRIER();
	r->mem->tail = r->mem->head;
}
