/*
 * sched.h: ExOS's interrupt context, user-level threads and a stride
 * scheduler (sched.S, sched.c, thread.c, slice.c).
 *
 * Aegis gives an environment time slices and tells it when each begins
 * and ends (paper, sec. 5.3; reference exokernel.md, "The CPU"); switching
 * contexts is the library OS's job, and which thread runs next is the
 * program's policy. After exos_sched_init:
 *   - the epilogue upcall (a slice ends: dispatched like an exception,
 *     busy = 1, the interrupted EPC, at, a0, a1 in the save area) saves
 *     every register of the running thread, hi, lo and its pc in that
 *     thread's struct exos_ctx, clears busy, runs the program's epilogue
 *     hook and calls yield, well within the grace period;
 *   - the prologue upcall (a slice begins: registers zeroed, a0 = slot,
 *     a1 = length in cycles) sets busy while it picks the runnable thread
 *     with the lowest pass (stride scheduling: pass += stride = STRIDE_BIG /
 *     tickets), runs the program's prologue hook, and restores that
 *     thread, clearing busy in the delay slot of the jump that resumes it.
 * busy doubles as ExOS's "upcalls off": the kernel delivers none while it
 * is 1, so ExOS sets it around every switch, and the code that runs with
 * it set touches only guaranteed memory (.bss: contexts, the scheduler
 * stack, thread stacks), where no TLB miss can reach the library OS.
 * Programs that never call exos_sched_init keep the kernel's transparent
 * switching.
 *
 * A slice that begins without the prologue (the kernel resumes what it
 * saved itself: after a voluntary yield, or a preemption while busy was
 * set) simply goes on where it was.
 *
 * Rules once the interrupt context is on: give the CPU away with
 * exos_yield or exos_yield_to rather than the system calls: they save the
 * thread first, so it resumes correctly whether the next slice begins
 * with the prologue or the kernel returns from the call. Hooks must not
 * call thread functions.
 */
#ifndef EXOS_SCHED_H
#define EXOS_SCHED_H

#include "exos.h"

/* Byte offsets in struct exos_ctx, for sched.S (sched.c checks them). */
#define CTX_R(n)	(4 * (n))	/* general register n; k0 and k1 are not kept */
#define CTX_HI		128
#define CTX_LO		132
#define CTX_PC		136
#define CTX_SIZE	144

#define THREAD_MAX	8		/* threads, the main one included */
#define THREAD_STACK	2048		/* bytes of stack of each other thread, in .bss */
#define STRIDE_BIG	720720u		/* lcm(1..16): strides of 1..16 tickets are exact */
#define SCHED_STACK_SIZE 2048		/* the scheduler's own stack, in .bss */

/* Exit statuses of the scheduler. */
#define EXIT_DEADLOCK	(-6)		/* every thread left is blocked */
#define EXIT_NOCTX	(-7)		/* a prologue found no saved context to resume */

#ifndef __ASSEMBLER__

/* A thread's registers while it does not run. */
struct exos_ctx {
	uint32_t r[32];		/* r[n] = general register n; r[0], r[26], r[27] unused */
	uint32_t hi, lo;
	uint32_t pc;		/* where it resumes; 0 = never saved */
	uint32_t pad;
};

/* What the interrupt context has done. */
struct exos_sched_stats {
	uint32_t prologues;	/* slices begun (prologue upcalls) */
	uint32_t epilogues;	/* slices ended (epilogue upcalls) */
	uint32_t yields;	/* exos_yield and exos_yield_to calls */
	uint32_t returns;	/* the kernel returned from a yield instead of running the prologue */
	uint32_t switches;	/* thread switches, by a prologue or voluntary */
	uint32_t slot;		/* the last prologue's slot */
	uint32_t length;	/* and its length in cycles */
	uint32_t grace;		/* the last epilogue's grace period in cycles */
};
extern struct exos_sched_stats exos_sched_stats;

typedef struct thread thread_t;

/*
 * Turns the interrupt context on: the main program becomes thread 0 with
 * 1 ticket, and the epilogue, then the prologue, entries are registered
 * (in that order: a prologue never comes before ExOS saved a context).
 * Returns 0, or the kernel's error (then neither is registered).
 */
int exos_sched_init(void);

/*
 * Called at every prologue with the thread about to run, the slot and the
 * slice length, busy set (guaranteed memory only). 0 removes it.
 */
void exos_sched_on_prologue(void (*fn)(thread_t *next, uint32_t slot, uint32_t length));

/*
 * Called at every epilogue once the context is saved, busy clear, on the
 * scheduler stack, with the grace period; yield follows when it returns.
 * 0 removes it.
 */
void exos_sched_on_epilogue(void (*fn)(uint32_t grace));

/* Gives up the rest of the slice; returns 0 when this thread runs again. */
int exos_yield(void);

/*
 * Donates the rest of the slice to environment envid (directed yield);
 * returns 0 when this thread runs again, or the kernel's error at once.
 */
int exos_yield_to(int envid);

/* ---- Threads (thread.c). ---- */

/*
 * A new runnable thread running fn(arg) on a stack of THREAD_STACK bytes,
 * with `tickets` (1..STRIDE_BIG) shares of the CPU; its first pass is one
 * stride past the scheduler's virtual time. Returns 0 when all THREAD_MAX
 * are in use or tickets is out of range. Returning from fn is thread_exit.
 * Works without exos_sched_init too, cooperatively.
 */
thread_t *thread_create(void (*fn)(void *), void *arg, uint32_t tickets);

/* Charges the caller one stride and runs the runnable thread with the lowest pass (maybe the caller). */
void thread_yield(void);

/* Ends the calling thread and wakes its joiner. When no thread is left the program exits 0. */
void thread_exit(void) __attribute__((noreturn));

/* Waits for t to end. Returns 0, or -1 when t is the caller or someone else waits for it. */
int thread_join(thread_t *t);

thread_t *thread_self(void);
uint32_t thread_id(const thread_t *t);		/* 0 for the main thread, then 1, 2, ... */
uint32_t thread_tickets(const thread_t *t);
uint32_t thread_slices(const thread_t *t);	/* slices the prologue gave it */

/* ---- Slices (slice.c). ---- */

/*
 * Allocates one more slice, at `slot` or anywhere (-1), and remembers it.
 * Returns the slot, or the kernel's error (E_NoSpc when it remembers SLICES).
 */
int exos_slice_alloc(int slot);

/* Gives back a slice exos_slice_alloc got. Returns 0, E_NoEnt (not one of those) or the kernel's error. */
int exos_slice_free(uint32_t slot);

/*
 * Gives back up to `count` of the slices exos_slice_alloc got, the newest
 * first (the one the kernel gave at creation is not among them: ExOS
 * cannot name it). Returns how many were given.
 */
uint32_t exos_give_slices(uint32_t count);

/* Forgets `slot` (the abort protocol took it). */
void exos_slice_forget(uint32_t slot);

/* ---- Between sched.S, sched.c and thread.c. ---- */

/* Where the epilogue saves the running context: a thread's, or exos_ctx_scratch off-thread. */
extern struct exos_ctx *exos_ctx_cur;
extern struct exos_ctx exos_ctx_scratch;
extern char exos_sched_stack_top[];

void exos_prologue_entry(void);			/* sched.S: the upcall entries */
void exos_epilogue_entry(void);
/* Resumes c (busy must be 1), making it exos_ctx_cur; clears busy as it jumps. */
void exos_ctx_resume(struct exos_ctx *c) __attribute__((noreturn));
/* What a voluntary switch does to the caller (thread_switch's op). */
#define SWITCH_YIELD	1		/* charge it a stride; it stays runnable */
#define SWITCH_EXIT	2		/* it ends; its joiner wakes */
#define SWITCH_JOIN	3		/* it waits for thread t to end */
/*
 * Sets busy, saves the callee-saved registers, sp and ra of the caller in
 * `from` (0: saves nothing), and resumes the thread thread_switch(op, t)
 * picks. Returns in `from` when it is resumed.
 */
void exos_ctx_switch(struct exos_ctx *from, uint32_t op, thread_t *t);
/* Saves the caller in exos_ctx_cur as exos_ctx_switch does, then makes system call `num` (Yield, YieldTo) with a0 = arg. */
int exos_ctx_yield(uint32_t num, uint32_t arg);

/* Makes the caller thread 0 (once): exos_ctx_cur is its context from then on. */
void threads_init(void);
/*
 * The context of the runnable thread with the lowest pass, which becomes
 * current; charged a stride when `slice` (a prologue). Busy must be 1.
 * Exits the program when no thread can run.
 */
struct exos_ctx *thread_pick(int slice);
/* The thread running, or that the last pick chose. */
thread_t *thread_current(void);
/* Does `op` to the current thread (busy is 1), then thread_pick(0). */
struct exos_ctx *thread_switch(uint32_t op, thread_t *t);
/* The C halves of the entries in sched.S (sched.c). */
struct exos_ctx *exos_sched_prologue(uint32_t slot, uint32_t length);
void exos_sched_epilogue(uint32_t grace);
struct exos_ctx *exos_sched_returned(struct exos_ctx *c);

#endif /* __ASSEMBLER__ */
#endif
