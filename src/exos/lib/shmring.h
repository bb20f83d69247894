/*
 * shmring.h: a byte ring in memory two environments share (a frame shared
 * by capability), the library pipe of ExOS's IPC: the writer advances
 * head, the reader tail, both counting without wrapping back; a reader of
 * an empty ring or a writer of a full one gives the CPU to its peer by
 * directed yield (the Aegis paper, section 5.3: IPC in the library OS on
 * shared memory and yield). Used by ipc-pipe (src/exos/apps) and the
 * bench.h glue for ExOS (src/bench-common/exos.c).
 */
#ifndef SHMRING_H
#define SHMRING_H

#include "exos.h"

#define SHMRING_SIZE	1024		/* bytes per ring, a power of two */
#define SHMRING_MASK	(SHMRING_SIZE - 1)

struct shmring {
	volatile uint32_t head;		/* bytes written, ever (the writer's) */
	volatile uint32_t tail;		/* bytes read, ever (the reader's) */
	volatile uint8_t buf[SHMRING_SIZE];
};

/* Gives the CPU to the peer (directed yield), or to anyone when it cannot run. */
static inline void shmring_wait(int peer)
{
	if (sys_yield_to(peer) < 0)
		sys_yield();
}

/*
 * Reads n bytes, yielding to peer while the ring is empty. With `stop`,
 * returns what it has once *stop is set and the ring is empty.
 */
static inline int shmring_read(struct shmring *r, void *buf, uint32_t n, int peer, volatile uint32_t *stop)
{
	uint8_t *p = buf;
	uint32_t got = 0, t;

	while (got < n) {
		while (r->head == r->tail) {
			if (stop && *stop)
				return (int)got;
			shmring_wait(peer);
		}
		t = r->tail;
		while (got < n && t != r->head)
			p[got++] = r->buf[t++ & SHMRING_MASK];
		r->tail = t;
	}
	return (int)got;
}

/* Writes n bytes, yielding to peer while the ring is full. */
static inline int shmring_write(struct shmring *r, const void *buf, uint32_t n, int peer)
{
	const uint8_t *p = buf;
	uint32_t put = 0, h;

	while (put < n) {
		while (r->head - r->tail == SHMRING_SIZE)
			shmring_wait(peer);
		h = r->head;
		while (put < n && h - r->tail != SHMRING_SIZE)
			r->buf[h++ & SHMRING_MASK] = p[put++];
		r->head = h;
	}
	return (int)put;
}

/* One aligned word in and out, the read/write path inlined (the paper's pipe'). */
#define SHMRING_PUT(r, v, peer) do {					\
	uint32_t h_ = (r)->head;					\
	while (h_ - (r)->tail == SHMRING_SIZE)				\
		shmring_wait(peer);					\
	*(volatile uint32_t *)&(r)->buf[h_ & SHMRING_MASK] = (v);	\
	(r)->head = h_ + 4;						\
} while (0)

#define SHMRING_GET(r, v, peer) do {					\
	uint32_t t_ = (r)->tail;					\
	while ((r)->head == t_)						\
		shmring_wait(peer);					\
	(v) = *(volatile uint32_t *)&(r)->buf[t_ & SHMRING_MASK];	\
	(r)->tail = t_ + 4;						\
} while (0)

#endif
