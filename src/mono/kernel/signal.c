/*
 * signal.c: Unix signals: posted by kill or by a fault, taken on the way
 * back to user mode. A handler runs on the user stack above a struct
 * sigframe holding the interrupted registers; it returns to the trampoline
 * the program registered, which calls sigreturn with the frame. This is
 * what Appel and Li's primitives need: a SIGSEGV handler that learns the
 * faulting address, changes protection with mprotect and resumes.
 */
#include "defs.h"
#include "param.h"
#include "proc.h"
#include "syscall.h"

/* Marks sig pending for p, unless p ignores it (SIGKILL cannot be ignored). */
void sig_post(struct proc *p, int sig)
{
	if (p->sighandler[sig] == SIG_IGN && sig != SIGKILL)
		return;
	p->sigpending |= 1u << sig;
}

/* Posts the signal of a fault at addr; an ignored fault signal kills (retrying would fault again). */
void sig_fault(struct proc *p, int sig, uint32_t addr)
{
	if (p->sighandler[sig] == SIG_IGN)
		p->sighandler[sig] = SIG_DFL;
	p->sigaddr = addr;
	sig_post(p, sig);
}

/* Returns nonzero if p has a signal pending (sleeps give up with -EINTR). */
int sig_pending(struct proc *p)
{
	return p->sigpending != 0;
}

/* Sets sig's handler (SIG_DFL, SIG_IGN or a user address) and the trampoline; the old handler or -EINVAL. */
int sig_handler(int sig, uint32_t handler, uint32_t tramp)
{
	uint32_t old;

	if (sig <= 0 || sig >= NSIG || sig == SIGKILL)
		return -EINVAL;
	old = curproc->sighandler[sig];
	curproc->sighandler[sig] = handler;
	if (handler > SIG_IGN)
		curproc->sigtramp = tramp;
	else if (handler == SIG_IGN)
		curproc->sigpending &= ~(1u << sig);
	return (int)old;
}

/* Pushes a sigframe and points tf at the handler; 0, or -EFAULT if the stack is bad. */
static int sig_push(struct proc *p, struct trapframe *tf, int sig)
{
	struct sigframe fr;
	uint32_t sp = (tf->regs[R_SP] - sizeof fr) & ~7u;

	memcpy(fr.regs, tf->regs, sizeof fr.regs);
	fr.hi = tf->hi, fr.lo = tf->lo, fr.epc = tf->epc;
	fr.sig = (uint32_t)sig;
	fr.addr = p->sigaddr;
	fr.cause = tf->cause;
	if (copyout(p, sp, &fr, sizeof fr) < 0)
		return -EFAULT;
	tf->regs[R_A0] = (uint32_t)sig;
	tf->regs[R_A1] = p->sigaddr;
	tf->regs[R_A2] = sp;
	tf->regs[R_RA] = p->sigtramp;
	tf->regs[R_SP] = sp - 16;
	tf->epc = p->sighandler[sig];
	return 0;
}

/*
 * Takes the lowest pending signal of the current process, if any: the
 * default action ends it with status 128 + sig; a handler is entered with
 * a0 = sig, a1 = the fault address, a2 = the frame (one signal a return).
 */
void sig_deliver(struct trapframe *tf)
{
	struct proc *p = curproc;
	int sig;

	if (!p->sigpending)
		return;
	for (sig = 1; !(p->sigpending & (1u << sig)); sig++)
		;
	p->sigpending &= ~(1u << sig);
	if (sig == SIGKILL || p->sighandler[sig] == SIG_DFL)
		exit(128 + sig);
	if (sig_push(p, tf, sig) < 0)
		exit(128 + SIGSEGV);
}

/* sigreturn: restores the registers saved in the frame at user address frame; v0 to return, or -EFAULT. */
int sig_return(struct trapframe *tf, uint32_t frame)
{
	struct sigframe fr;

	if (copyin(curproc, &fr, frame, sizeof fr) < 0)
		return -EFAULT;
	memcpy(&tf->regs[1], &fr.regs[1], sizeof fr.regs - 4);
	tf->hi = fr.hi, tf->lo = fr.lo, tf->epc = fr.epc;
	return (int)fr.regs[R_V0];
}
