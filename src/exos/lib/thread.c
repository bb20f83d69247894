/*
 * thread.c: user-level threads and the stride scheduler (Waldspurger and
 * Weihl, "Stride Scheduling", MIT/LCS/TM-528, 1995): a thread holding t
 * tickets has stride STRIDE_BIG / t; the thread with the lowest pass runs
 * and its pass grows by its stride for every slice (prologue) it is given
 * and every thread_yield, so over time each runs in proportion to its
 * tickets. Ties go to the lowest thread slot. Passes are compared modulo
 * 2^32, so they may wrap.
 *
 * Every change to the scheduler's state but thread_create's is made with
 * busy set (thread_switch, thread_pick, called from sched.S), so an
 * epilogue never sees it half done. Thread 0 is the main program on the
 * kernel's stack; the others run on stacks in .bss, which is guaranteed.
 */
#include "sched.h"

enum { T_FREE, T_RUNNABLE, T_BLOCKED, T_DEAD };

struct thread {
	struct exos_ctx ctx;	/* its registers while it does not run */
	uint32_t id;
	uint32_t state;
	uint32_t tickets, stride, pass;
	uint32_t slices;	/* slices the prologue gave it */
	struct thread *joiner;	/* blocked until this one ends */
};

static struct thread threads[THREAD_MAX];
static char stacks[THREAD_MAX - 1][THREAD_STACK] __attribute__((aligned(8)));
static struct thread *cur;
static uint32_t vtime;		/* the pass of the thread the last prologue picked */
static uint32_t next_id = 1;

/* a comes before b, modulo 2^32. */
static int before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

void threads_init(void)
{
	if (cur)
		return;
	cur = &threads[0];
	cur->state = T_RUNNABLE;
	cur->tickets = 1;
	cur->stride = STRIDE_BIG;
	cur->pass = STRIDE_BIG;
	exos_ctx_cur = &cur->ctx;
}

/* Where a new thread begins (its context's pc): a0 = fn, a1 = arg. */
static void thread_start(void (*fn)(void *), void *arg)
{
	fn(arg);
	thread_exit();
}

thread_t *thread_create(void (*fn)(void *), void *arg, uint32_t tickets)
{
	struct thread *t;
	uint32_t i;

	if (tickets == 0 || tickets > STRIDE_BIG)
		return 0;
	threads_init();
	for (i = 1; i < THREAD_MAX; i++)
		if (threads[i].state == T_FREE || threads[i].state == T_DEAD)
			break;
	if (i == THREAD_MAX)
		return 0;
	t = &threads[i];
	memset(t, 0, sizeof *t);
	t->id = next_id++;
	t->tickets = tickets;
	t->stride = STRIDE_BIG / tickets;
	t->pass = vtime + t->stride;
	t->ctx.r[4] = (uint32_t)fn;
	t->ctx.r[5] = (uint32_t)arg;
	t->ctx.r[29] = (uint32_t)(stacks[i - 1] + THREAD_STACK - 16);
	t->ctx.pc = (uint32_t)thread_start;
	__asm__ volatile("" ::: "memory");	/* runnable only once complete: a prologue may pick it */
	t->state = T_RUNNABLE;
	return t;
}

/* Ends the program when no thread can run: 0 when all have ended, else a deadlock. */
static void no_thread(void) __attribute__((noreturn));
static void no_thread(void)
{
	uint32_t i;

	for (i = 0; i < THREAD_MAX; i++) {
		if (threads[i].state == T_BLOCKED) {
			printf("exos: deadlock: every thread left is blocked\n");
			exit(EXIT_DEADLOCK);
		}
	}
	exit(0);
}

struct exos_ctx *thread_pick(int slice)
{
	struct thread *t, *best = 0;

	for (t = threads; t < threads + THREAD_MAX; t++)
		if (t->state == T_RUNNABLE && (!best || before(t->pass, best->pass)))
			best = t;
	if (!best)
		no_thread();
	if (slice) {
		vtime = best->pass;
		best->pass += best->stride;
		best->slices++;
	}
	if (best != cur)
		exos_sched_stats.switches++;
	cur = best;
	return &best->ctx;
}

struct exos_ctx *thread_switch(uint32_t op, thread_t *t)
{
	switch (op) {
	case SWITCH_YIELD:
		cur->pass += cur->stride;
		break;
	case SWITCH_EXIT:
		if (cur->joiner) {
			cur->joiner->state = T_RUNNABLE;
			if (before(cur->joiner->pass, vtime))
				cur->joiner->pass = vtime;	/* no credit for time blocked */
			cur->joiner = 0;
		}
		cur->state = T_DEAD;
		break;
	case SWITCH_JOIN:
		if (t->state != T_DEAD && t->state != T_FREE) {
			t->joiner = cur;
			cur->state = T_BLOCKED;
		}
		break;
	}
	return thread_pick(0);
}

void thread_yield(void)
{
	threads_init();
	exos_ctx_switch(&cur->ctx, SWITCH_YIELD, 0);
}

void thread_exit(void)
{
	threads_init();
	exos_ctx_switch(0, SWITCH_EXIT, 0);
	for (;;)
		;	/* not reached: an ended thread is never resumed */
}

int thread_join(thread_t *t)
{
	threads_init();
	if (t == cur || (t->joiner && t->joiner != cur))
		return -1;
	if (t->state == T_DEAD || t->state == T_FREE)
		return 0;
	exos_ctx_switch(&cur->ctx, SWITCH_JOIN, t);
	return 0;
}

thread_t *thread_self(void)
{
	threads_init();
	return cur;
}

thread_t *thread_current(void)
{
	return cur;
}

uint32_t thread_id(const thread_t *t)
{
	return t->id;
}

uint32_t thread_tickets(const thread_t *t)
{
	return t->tickets;
}

uint32_t thread_slices(const thread_t *t)
{
	return t->slices;
}
