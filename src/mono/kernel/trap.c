/*
 * trap.c: what the kernel does with an exception (vectors.S calls trap):
 * interrupts, system calls, and user faults turned into signals.
 *
 * ExcCodes are the R3000's (R3000 manual ch. 5; docs/reference/decstation.md):
 * a user TLB miss on an unmapped page or a TLB-invalid/Mod exception on a
 * protected one is SIGSEGV, an address error or bus error SIGBUS, a
 * reserved instruction or coprocessor use SIGILL, overflow SIGFPE and a
 * break SIGTRAP. Any exception in kernel mode other than an interrupt is
 * a kernel bug: it panics.
 */
#include "defs.h"
#include "param.h"
#include "mips.h"
#include "proc.h"
#include "syscall.h"

/* Exceptions by ExcCode and interrupts by Cause.IP line (read by the debugger from the symbol table). */
uint32_t trap_count[32];
uint32_t intr_count[8];

extern char utlb_refill[], utlb_refill_end[], general_vector[], general_vector_end[];

/* Copies the vector code to 0x80000000 and 0x80000080 (no caches to flush in exoscope; a real R3000 would need its I-cache flushed). */
void vec_install(void)
{
	if (utlb_refill_end - utlb_refill > 0x80)
		panic("UTLB refill handler longer than 32 instructions");
	memcpy((void *)VEC_UTLB, utlb_refill, (size_t)(utlb_refill_end - utlb_refill));
	memcpy((void *)VEC_GENERAL, general_vector, (size_t)(general_vector_end - general_vector));
}

/* Handles the pending, enabled interrupts; returns 1 if the clock ticked. */
static int devintr(struct trapframe *tf)
{
	uint32_t pending = tf->cause & tf->status & CAUSE_IP_MASK;
	int tick = 0;

	if (pending & CAUSE_IP(3)) {
		intr_count[3]++;
		clock_intr();
		tick = 1;
	}
	if (pending & CAUSE_IP(2)) {
		intr_count[2]++;
		net_intr();
	}
	return tick;
}

/* The signal a user-mode exception raises, or 0 if it is not a fault. */
static int fault_signal(uint32_t exc)
{
	switch (exc) {
	case EXC_MOD: case EXC_TLBL: case EXC_TLBS:
		return SIGSEGV;
	case EXC_ADEL: case EXC_ADES: case EXC_IBE: case EXC_DBE:
		return SIGBUS;
	case EXC_RI: case EXC_CPU:
		return SIGILL;
	case EXC_OV:
		return SIGFPE;
	case EXC_BP:
		return SIGTRAP;
	default:
		return SIGILL;
	}
}

/* Prints the frame of a kernel-mode exception and halts. */
static void kernel_fault(struct trapframe *tf, uint32_t exc)
{
	printf("mono: kernel exception %u at epc %08x badvaddr %08x cause %08x ra %08x\n",
	       exc, tf->epc, tf->badvaddr, tf->cause, tf->regs[R_RA]);
	panic("kernel trap");
}

/* Called by trap_entry with the saved registers; returns to trapret. */
void trap(struct trapframe *tf)
{
	uint32_t exc = cause_exc(tf->cause);
	int user = (tf->status & ST_KUP) != 0;

	trap_count[exc]++;
	if (exc == EXC_INT) {
		if (devintr(tf) && user)
			yield();
	} else if (!user) {
		kernel_fault(tf, exc);
	} else if (exc == EXC_SYS) {
		syscall(tf);
	} else {
		sig_fault(curproc, fault_signal(exc), tf->badvaddr);
	}
	if (user)
		sig_deliver(tf);
}
