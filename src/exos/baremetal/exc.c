/*
 * exc.c: the C half of the bare-metal exception handler (see exc.h).
 */
#include "exc.h"
#include "mips.h"
#include "rt.h"
#include "prom.h"

/* Stubs in exc.S, each four instructions, copied to the vectors. */
extern const uint32_t exc_stub_utlb[4], exc_stub_general[4];

volatile struct exc_record exc_last;
volatile uint32_t exc_count;
volatile uint32_t exc_resume;
int (*volatile exc_hook)(struct exc_frame *f);

/* More exceptions than this without a test resetting exc_count is a bug. */
#define EXC_RUNAWAY 100000

/* Room for the UTLB handler: up to the general vector. */
#define UTLB_WORDS ((VEC_GENERAL - VEC_UTLB) / 4)

void exc_set_utlb(const uint32_t *code, uint32_t words)
{
	volatile uint32_t *utlb = (volatile uint32_t *)VEC_UTLB;
	uint32_t i;

	if (!code) {
		code = exc_stub_utlb;
		words = 4;
	}
	for (i = 0; i < words && i < UTLB_WORDS; i++)
		utlb[i] = code[i];
}

void exc_install(void)
{
	volatile uint32_t *gen = (volatile uint32_t *)VEC_GENERAL;
	int i;

	exc_count = 0;
	exc_resume = 0;
	exc_hook = 0;
	exc_set_utlb(0, 0);
	for (i = 0; i < 4; i++)
		gen[i] = exc_stub_general[i];
}

void exc_dispatch(struct exc_frame *f)
{
	exc_last.vector = f->vector;
	exc_last.epc = f->epc;
	exc_last.cause = f->cause;
	exc_last.badvaddr = f->badvaddr;
	exc_last.status = f->status;
	exc_last.context = f->context;
	exc_last.entryhi = f->entryhi;
	if (++exc_count > EXC_RUNAWAY) {
		printf("runaway exceptions: epc=%08x cause=%08x badvaddr=%08x\n",
		       f->epc, f->cause, f->badvaddr);
		prom_halt();
	}
	if (exc_hook && exc_hook(f))
		return;
	if (exc_resume) {
		f->epc = exc_resume;
		f->status &= ~ST_KUP;
		exc_resume = 0;
	} else if (cause_exc(f->cause) != EXC_INT) {
		f->epc += (f->cause & CAUSE_BD) ? 8 : 4;
	}
}
