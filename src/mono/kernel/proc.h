/*
 * proc.h: processes.
 */
#ifndef MONO_PROC_H
#define MONO_PROC_H

#include "param.h"
#include "mmu.h"

/* Registers swtch (vectors.S) saves: s0-s7, s8 (fp), sp, ra. */
struct context {
	uint32_t s[8];
	uint32_t fp, sp, ra;
};

enum procstate { UNUSED, EMBRYO, SLEEPING, RUNNABLE, RUNNING, ZOMBIE };

struct file;

struct proc {
	/* Changed by the scheduler, sleep/wakeup and exit/wait. */
	enum procstate state;
	void *chan;			/* sleeping on chan, when SLEEPING */
	int xstate;			/* exit status, for wait */
	struct proc *parent;

	/* Fixed while the slot is in use. */
	int pid;
	uint32_t asid;			/* EntryHi ASID: slot + 1 */
	char *kstack;			/* KSTACKSIZE bytes */

	/* Private to the process (its own system calls and traps). */
	pagetable_t pgdir;		/* two-level page table (mmu.h) */
	uint32_t brk;			/* end of the heap */
	struct trapframe *tf;		/* at the top of kstack while in the kernel */
	struct context context;		/* swtch here to run the process's kernel half */
	struct file *ofile[NOFILE];
	char name[16];

	/* Signals: set by kill and traps, taken on the way back to user mode. */
	uint32_t sigpending;		/* bit n: signal n is pending */
	uint32_t sighandler[NSIG];	/* SIG_DFL, SIG_IGN or a user address */
	uint32_t sigtramp;		/* user code that calls sigreturn */
	uint32_t sigaddr;		/* BadVAddr of the fault that raised SIGSEGV/SIGBUS */
};

extern struct proc proc[NPROC];
extern struct proc *curproc;

#endif
