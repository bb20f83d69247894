/*
 * sched.c: the interrupt context (sched.h): turning it on, the C halves of
 * the prologue and epilogue entries in sched.S, and the environment-level
 * yields that keep the thread's context.
 */
#include "sched.h"

#define FIELD_AT(type, field, off) \
	_Static_assert(__builtin_offsetof(type, field) == (off), #type "." #field)

FIELD_AT(struct exos_ctx, r[1], CTX_R(1));
FIELD_AT(struct exos_ctx, r[31], CTX_R(31));
FIELD_AT(struct exos_ctx, hi, CTX_HI);
FIELD_AT(struct exos_ctx, lo, CTX_LO);
FIELD_AT(struct exos_ctx, pc, CTX_PC);
_Static_assert(sizeof(struct exos_ctx) == CTX_SIZE, "context size");

struct exos_sched_stats exos_sched_stats;
struct exos_ctx *exos_ctx_cur;
struct exos_ctx exos_ctx_scratch;

static void (*on_prologue)(thread_t *next, uint32_t slot, uint32_t length);
static void (*on_epilogue)(uint32_t grace);

int exos_sched_init(void)
{
	int r;

	threads_init();
	r = sys_set_upcall(UPCALL_Epilogue, (uint32_t)exos_epilogue_entry);
	if (r < 0)
		return r;
	r = sys_set_upcall(UPCALL_Prologue, (uint32_t)exos_prologue_entry);
	if (r < 0)
		sys_set_upcall(UPCALL_Epilogue, 0);
	return r < 0 ? r : 0;
}

void exos_sched_on_prologue(void (*fn)(thread_t *next, uint32_t slot, uint32_t length))
{
	on_prologue = fn;
}

void exos_sched_on_epilogue(void (*fn)(uint32_t grace))
{
	on_epilogue = fn;
}

/* The prologue (sched.S, busy set): picks the thread this slice runs. */
struct exos_ctx *exos_sched_prologue(uint32_t slot, uint32_t length)
{
	struct exos_ctx *c;

	exos_sched_stats.prologues++;
	exos_sched_stats.slot = slot;
	exos_sched_stats.length = length;
	c = thread_pick(1);
	if (on_prologue)
		on_prologue(thread_current(), slot, length);
	if (!c->pc) {
		printf("exos: the prologue of slot %u found no saved context\n", slot);
		exit(EXIT_NOCTX);
	}
	return c;
}

/* The epilogue (sched.S), the context saved and busy clear; yield follows. */
void exos_sched_epilogue(uint32_t grace)
{
	exos_sched_stats.epilogues++;
	exos_sched_stats.grace = grace;
	if (on_epilogue)
		on_epilogue(grace);
}

/* The kernel returned from a yield (sched.S, busy set): resume c, or pick when c is 0. */
struct exos_ctx *exos_sched_returned(struct exos_ctx *c)
{
	exos_sched_stats.returns++;
	return c ? c : thread_pick(0);
}

int exos_yield(void)
{
	if (!exos_ctx_cur)
		return sys_yield();
	exos_sched_stats.yields++;
	return exos_ctx_yield(SYS_Yield, 0);
}

int exos_yield_to(int envid)
{
	if (!exos_ctx_cur)
		return sys_yield_to(envid);
	exos_sched_stats.yields++;
	return exos_ctx_yield(SYS_YieldTo, (uint32_t)envid);
}
