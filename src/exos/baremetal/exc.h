/*
 * exc.h: exception handling for bare-metal test programs.
 *
 * exc_install() copies a four-instruction stub to the UTLB refill vector
 * (0x80000000) and the general vector (0x80000080); each stub jumps to
 * exc.S, which saves every register in exc_frame, calls exc_dispatch() on a
 * private stack, restores the (possibly edited) frame and returns with
 * `jr; rfe`. Programs run with BEV=0 as the PROM starts them.
 *
 * exc_dispatch() records the exception in exc_last, then lets exc_hook
 * handle it; if there is no hook (or it returns 0) it resumes at exc_resume
 * when set (in kernel mode: KUp cleared), else after the faulting
 * instruction (after the branch and its delay slot when Cause.BD is set).
 * Interrupts resume at EPC unchanged.
 */
#ifndef EXOS_BAREMETAL_EXC_H
#define EXOS_BAREMETAL_EXC_H

/* Byte offsets in struct exc_frame, shared with exc.S. */
#define EF_HI		128
#define EF_LO		132
#define EF_EPC		136
#define EF_CAUSE	140
#define EF_BADVADDR	144
#define EF_STATUS	148
#define EF_CONTEXT	152
#define EF_ENTRYHI	156
#define EF_VECTOR	160

#ifndef __ASSEMBLER__
#include <stdint.h>

/* Saved state, laid out as the EF_* offsets say. */
struct exc_frame {
	uint32_t r[32];
	uint32_t hi, lo;
	uint32_t epc, cause, badvaddr, status, context, entryhi;
	uint32_t vector;	/* 0x000 UTLB refill or 0x080 general */
};

/* What the last exception looked like on entry to the handler. */
struct exc_record {
	uint32_t vector, epc, cause, badvaddr, status, context, entryhi;
};

extern volatile struct exc_record exc_last;
/* Exceptions taken since exc_install (or since a test reset it). */
extern volatile uint32_t exc_count;
/* If nonzero, the next exception resumes here in kernel mode. */
extern volatile uint32_t exc_resume;
/* Optional handler: returns 1 when it has set f->epc itself. */
extern int (*volatile exc_hook)(struct exc_frame *f);

/* Installs the vector stubs; clears exc_count, exc_resume and exc_hook. */
void exc_install(void);

/*
 * Copies `words` instructions of code to the UTLB refill vector (at most
 * 32: the general vector follows), or the default stub when code is null.
 */
void exc_set_utlb(const uint32_t *code, uint32_t words);

/* Called by exc.S with the saved frame; see the top of this file. */
void exc_dispatch(struct exc_frame *f);

/* The registers as the last exception left them (exc.S). */
extern struct exc_frame exc_frame;

/*
 * Runs code at user_pc (a kuseg address the caller has mapped) in user mode
 * with Status = status with KUc set and IEc clear, and arg in a2, until the
 * next exception; returns its ExcCode (exc_last and exc_frame hold the
 * rest). Callee-saved registers and Status are restored.
 */
uint32_t exc_run_user(uint32_t user_pc, uint32_t status, uint32_t arg);

#endif /* __ASSEMBLER__ */
#endif
