/*
 * attacker.h: what the parts of the attacker program share.
 */
#ifndef ATTACKER_H
#define ATTACKER_H

#include "exos.h"

/* A probe returns 0, or PROBE_EXC | ExcCode when its one instruction faulted. */
#define PROBE_EXC	0x100

/* The right answers to an attempt: W bits for system calls, X bits for probes. */
#define W(e)		(1u << -(e))		/* error e */
#define W_OK		1u			/* success */
#define X(code)		(1u << (code))		/* exception code */
#define X_NONE		(1u << 31)		/* no exception */
#define RW		(ENTRYLO_D | ENTRYLO_V)

/* An address range nothing else in the program uses: attacks and the fuzzer map pages here. */
#define ATTACK_VA	0x40000000u
#define FUZZ_VA		0x50000000u
#define FUZZ_PAGES	64
/* Where a peer's shared frame is bound (attacker-share.c), and where an owner binds its own to check it: past the fuzzer's pages. */
#define SHARE_VA	(FUZZ_VA + FUZZ_PAGES * PAGE_SIZE)
#define SHARE_OWN_VA	(SHARE_VA + PAGE_SIZE)
/* Slots of a shared frame: one word per environment id (mod SHARE_SLOTS). */
#define SHARE_SLOTS	(PAGE_SIZE / 4)
/* a3 of a PCT that offers a frame to the server (attacker-peer.c). */
#define SHARE_MAGIC	0x5ea7c0deu

#ifndef __ASSEMBLER__

/* attacker-probe.S: each runs one dangerous instruction, never in a delay slot. */
uint32_t probe_load(uint32_t addr, uint32_t *out);
uint32_t probe_store(uint32_t addr, uint32_t value);
uint32_t probe_jump(uint32_t addr);	/* jumps to addr; the handler brings it back */
uint32_t probe_mfc0(void);		/* mfc0 Status */
uint32_t probe_mtc0(void);		/* mtc0 zero to Context */
uint32_t probe_tlbr(void);
uint32_t probe_tlbwi(void);
uint32_t probe_tlbwr(void);
uint32_t probe_tlbp(void);
uint32_t probe_rfe(void);
uint32_t probe_cop1(void);		/* lwc1: coprocessor 1 is unusable */
uint32_t probe_break(void);
uint32_t probe_reserved(void);		/* opcode 0x1f: reserved on MIPS I */
uint32_t probe_overflow(void);		/* add 0x7fffffff + 0x7fffffff */
extern char probe_begin[], probe_end[];

/* BadVAddr of the last probe that faulted. */
extern volatile uint32_t probe_badvaddr;

/* attacker.c: one line per attempt. */
/* Names the next attempt, printf-style. */
void attempt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the attempt's outcome and verdict: right, a breach (it succeeded), or a surprise. */
void report(const char *outcome, int right, int succeeded);
/* Judges a system call's result r against the right answers `want` (W bits); returns r. */
int expect(int r, uint32_t want);
/* Judges a probe's result against the right answers `want` (X bits). */
void expect_exc(uint32_t p, uint32_t want);
/* A frame of the attacker's own, for the TLB attacks. */
extern int myframe;

/* attacker-calls.c: the system-call attacks, each a section of the report. */
void frame_calls(void);
void capabilities(void);
void tlb_calls(void);
void syscalls(void);

/* attacker-fuzz.c: issues `count` system calls from a PRNG seeded with `seed`; returns the exit status. */
int fuzz(uint32_t count, uint32_t seed);

/* attacker-peer.c: one call to or with another environment (yield_to, PCT, a filter with an ASH). */
struct peer_stats {
	uint32_t yields[2], sync[2], async[2];	/* [refused, accepted] */
	uint32_t filters;			/* filters inserted */
	uint32_t received;			/* frames found in the ring */
	uint32_t offered;			/* writable frames granted and offered through the server */
	uint32_t taken, mapped;			/* peers' frames received, and mapped writable with their key */
	uint32_t stored, restored, faulted;	/* tags stored through them: at once, later through a kept binding, faults then */
	uint32_t checks, writers, breaks;	/* checks of our shared frames, peers' tags found, integrity breaks */
};
/* The PCT server's environment id, through which fuzzers swap frame keys (0: none). */
extern uint32_t peer_server;
extern struct peer_stats peer_stats;
void peer_call(uint32_t r);
/* Removes the filter and prints what the peer calls did. */
void peer_done(void);
/* attacker-peer.c: a PCT server that exits after `quiet` yields with no call; returns the exit status. */
int server(uint32_t quiet);

/* attacker-peer.c: pct_sync to `server` with a0..a3 = msg, the reply's a0..a3 in msg (attacker-pct.S). */
int peer_offer(uint32_t msg[4], uint32_t server);

/* attacker-share.c: shared frames, peers' tags in them, and the owner's check. */
uint32_t share_tag(uint32_t env, uint32_t frame, uint32_t klo, uint32_t khi);
int share_store(uint32_t frame, uint32_t klo, uint32_t khi);
int share_take(uint32_t frame, uint32_t klo, uint32_t khi);
void share_drop(void);
int share_check(const char *who, uint32_t frame, uint32_t klo, uint32_t khi, uint32_t *writers);

/* attacker-victim.c: watches its own pages for `rounds` yields (sharing a frame through `server`, if not 0); returns the exit status. */
int victim(uint32_t rounds, uint32_t seed, uint32_t server);

/* attacker-die.c: one fault with ExOS's handlers; returns only for `stack`. */
int die(const char *how);

void exos_upcall(void);	/* ExOS's trampoline (trap.S), to restore a handler */

#endif /* __ASSEMBLER__ */
#endif
