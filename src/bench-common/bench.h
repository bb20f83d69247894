/*
 * bench.h: the small interface the IPC and VM benchmarks are written
 * against, so the same benchmark source runs on ExOS over the exokernel
 * and on the monolithic kernel (src/mono), and a row compares the same
 * work. Each system provides these functions in its own glue file
 * (mono.c for the monolithic kernel).
 *
 * Timing: neither system lets a program read a cycle counter (the R3000
 * has none), so a benchmark calls bench_mark() (a null system call) right
 * before its first iteration and right after its last; the harness times
 * the window between the two calls on the emulated CPU.
 *
 * Two-party benchmarks (pipe, shm) have a client, which times, and a
 * server, which answers. bench_pair() sets up the channel between them and
 * returns which one the caller is; bench_finish() ends the exchange (the
 * server's reads then return 0) and returns once the server is done.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>
#include "libc.h"	/* printf and the string functions, on both systems */

enum { BENCH_CLIENT, BENCH_SERVER };

/* The channel between client and server. */
struct bench_chan {
	int rfd, wfd;			/* this side's read and write ends of the pipe pair */
	volatile uint32_t *shm;		/* one page both sides map read-write */
	uint32_t n;			/* iterations, from the command line */
	int peer;			/* the other side (a pid or an environment id) */
};

/* A null system call: marks one end of the timed window. */
void bench_mark(void);

/*
 * Sets up the channel and the iteration count from the command line
 * (system-specific arguments; see the glue file); returns BENCH_CLIENT or
 * BENCH_SERVER, or -1 after printing why it could not.
 */
int bench_pair(int argc, char **argv, struct bench_chan *ch);

/* Reads exactly n bytes from the channel's pipe; n, or 0 once the client has finished. */
int bench_read(struct bench_chan *ch, void *buf, uint32_t n);

/* Writes n bytes to the channel's pipe; n, or a negative error. */
int bench_write(struct bench_chan *ch, const void *buf, uint32_t n);

/* Gives the CPU to the peer (or to anyone), for the shared-memory benchmark's waits. */
void bench_yield(struct bench_chan *ch);

/* The word of the shared page bench_finish sets when the client is done. */
#define BENCH_DONE_WORD	1023

/* Client: tells the server it is done (closes its pipe end, sets the done word) and waits for it. Server: nothing. */
void bench_finish(struct bench_chan *ch, int role);

/* ---- Virtual memory (Appel and Li's primitives). ---- */

/*
 * Maps npages zeroed, writable pages at a region the system chooses and a
 * second writable mapping (an alias) of the same pages; returns the
 * region's address and sets *alias, or 0 on failure.
 */
uint32_t bench_vm_region(uint32_t npages, uint32_t *alias);

/* Write-protects npages pages from va (they stay readable); 0 or a negative error. */
int bench_prot(uint32_t va, uint32_t npages);

/* Makes npages pages from va writable again; 0 or a negative error. */
int bench_unprot(uint32_t va, uint32_t npages);

/* 1 if the page at va has been written since it was last made writable, 0 if not, -1 if the system cannot tell. */
int bench_dirty(uint32_t va);

/* What a write-fault handler learns and can ask for. */
struct bench_fault {
	uint32_t addr;			/* the faulting address */
	int in_delay_slot;		/* the store was in a branch delay slot */
	int skip;			/* set by the handler: resume after the faulting store */
};

/* Installs fn as the handler of write faults on protected pages (0 restores the default). */
void bench_on_fault(void (*fn)(struct bench_fault *f));

/* ---- UDP (the ping and echo programs). ---- */

/* Gives the interface IPv4 address ip (host order) and opens a UDP socket on port; the socket, or a negative error. */
int bench_udp_open(uint32_t ip, uint32_t port);

/* Sends n bytes to ip:port (ARP first if needed); n, or a negative error. */
int bench_udp_send(int sock, uint32_t ip, uint32_t port, const void *buf, uint32_t n);

/* Waits for a datagram; copies up to n bytes, sets its source; the length, or a negative error. */
int bench_udp_recv(int sock, void *buf, uint32_t n, uint32_t *ip, uint32_t *port);

#endif
