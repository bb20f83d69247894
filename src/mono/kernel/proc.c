/*
 * proc.c: processes: creation (fork), exit and wait, sleep and wakeup,
 * and the round-robin scheduler the clock interrupt drives.
 *
 * One CPU and a kernel that runs with interrupts off (Status.IEc clear)
 * except in the scheduler's idle loop, so nothing here needs a lock:
 * kernel code is never interrupted, only switched away from where it
 * sleeps or yields.
 */
#include "defs.h"
#include "param.h"
#include "memlayout.h"
#include "mips.h"
#include "proc.h"
#include "file.h"

struct proc proc[NPROC];
struct proc *curproc;			/* the process running, or 0 in the scheduler */
static struct proc *initproc;
static struct context sched_context;	/* the scheduler loop's registers */
static char kstacks[NPROC][KSTACKSIZE] __attribute__((aligned(8)));
static int nextpid = 1;
uint32_t sched_switches;		/* switches into a process (read by the debugger from the symbol table) */

/* Read by the UTLB refill handler and trap_entry (vectors.S). */
uint32_t cur_pgdir;			/* the running process's page directory */
uint32_t kstack_top;			/* where its trap frames go */
static pte_t *empty_pgdir;		/* maps nothing: current while no process runs */

/* Gives every slot its kernel stack and ASID; called once at boot. */
void procinit(void)
{
	int i;

	for (i = 0; i < NPROC; i++) {
		proc[i].kstack = kstacks[i];
		proc[i].asid = (uint32_t)i + 1;
	}
	if (!(empty_pgdir = kalloc()))
		panic("procinit");
	cur_pgdir = (uint32_t)empty_pgdir;
}

/*
 * Returns an UNUSED slot made EMBRYO, with a pid, an empty page table and
 * a context that starts in trapret on its trap frame; 0 if none is free.
 */
struct proc *allocproc(void)
{
	struct proc *p;

	for (p = proc; p < &proc[NPROC]; p++)
		if (p->state == UNUSED)
			break;
	if (p == &proc[NPROC])
		return 0;
	if (!(p->pgdir = uvm_create()))
		return 0;
	p->state = EMBRYO;
	p->pid = nextpid++;
	p->tf = (struct trapframe *)(p->kstack + KSTACKSIZE - TF_SIZE);
	memset(p->tf, 0, sizeof *p->tf);
	memset(&p->context, 0, sizeof p->context);
	p->context.ra = (uint32_t)trapret;
	p->context.sp = (uint32_t)p->tf;
	p->sigpending = 0;
	memset(p->sighandler, 0, sizeof p->sighandler);
	p->sigtramp = 0;
	return p;
}

/* Frees a slot's address space and makes it UNUSED (a zombie waited for, or a failed fork). */
void freeproc(struct proc *p)
{
	if (p->pgdir)
		uvm_free(p->pgdir, p->asid);
	p->pgdir = 0;
	p->pid = 0;
	p->parent = 0;
	p->name[0] = 0;
	p->xstate = 0;
	p->state = UNUSED;
}

/* Creates the first process running argv[0] from the file table; panics if it cannot. */
void userinit(int argc, char **argv)
{
	struct proc *p = allocproc();

	if (!p || argc < 1)
		panic("userinit");
	initproc = p;
	p->ofile[0] = console_file();
	p->ofile[1] = filedup(p->ofile[0]);
	p->ofile[2] = filedup(p->ofile[0]);
	curproc = p;
	if (exec(argv[0], argv) < 0) {
		printf("mono: cannot exec %s\n", argv[0]);
		halt(1);
	}
	curproc = 0;
	p->state = RUNNABLE;
}

/* Creates a copy of the current process; returns the child's pid, or -ENOMEM/-EAGAIN. */
int fork(void)
{
	struct proc *p = curproc, *np;
	int i;

	if (!(np = allocproc()))
		return -EAGAIN;
	if (uvm_copy(p->pgdir, np) < 0) {
		freeproc(np);
		return -ENOMEM;
	}
	*np->tf = *p->tf;
	np->tf->regs[R_V0] = 0;
	np->brk = p->brk;
	for (i = 0; i < NOFILE; i++)
		np->ofile[i] = p->ofile[i] ? filedup(p->ofile[i]) : 0;
	memcpy(np->sighandler, p->sighandler, sizeof np->sighandler);
	np->sigtramp = p->sigtramp;
	safestrcpy(np->name, p->name, sizeof np->name);
	np->parent = p;
	np->state = RUNNABLE;
	return np->pid;
}

/* Ends the current process with status; the first process's exit halts the machine. */
void exit(int status)
{
	struct proc *p = curproc, *q;
	int fd;

	for (fd = 0; fd < NOFILE; fd++)
		if (p->ofile[fd]) {
			fileclose(p->ofile[fd]);
			p->ofile[fd] = 0;
		}
	if (p == initproc)
		halt(status);
	for (q = proc; q < &proc[NPROC]; q++)
		if (q->parent == p) {
			q->parent = initproc;
			if (q->state == ZOMBIE)
				wakeup(initproc);
		}
	p->xstate = status;
	p->state = ZOMBIE;
	wakeup(p->parent);
	sched();
	panic("zombie exit");
}

/*
 * Waits for a child to exit; returns its pid and stores its status at
 * user address status_addr (unless 0). -ECHILD without children, -EINTR
 * if a signal arrives, -EFAULT for a bad status_addr (the child stays).
 */
int wait(uint32_t status_addr)
{
	struct proc *p = curproc, *q;

	for (;;) {
		int have = 0;
		for (q = proc; q < &proc[NPROC]; q++) {
			if (q->parent != p)
				continue;
			have = 1;
			if (q->state == ZOMBIE) {
				int pid = q->pid;
				if (status_addr && copyout(p, status_addr, &q->xstate, 4) < 0)
					return -EFAULT;
				freeproc(q);
				return pid;
			}
		}
		if (!have)
			return -ECHILD;
		if (sig_pending(p))
			return -EINTR;
		sleep(p);
	}
}

/* Makes p current: its page table, kernel stack and ASID (EntryHi). */
static void switchuvm(struct proc *p)
{
	cur_pgdir = (uint32_t)p->pgdir;
	kstack_top = (uint32_t)(p->kstack + KSTACKSIZE);
	MTC0(CP0_ENTRYHI, p->asid << ENTRYHI_ASID_SHIFT);
}

/* Lets pending interrupts in for a moment (the idle loop). */
static void idle(void)
{
	uint32_t st = MFC0(CP0_STATUS);

	MTC0(CP0_STATUS, st | ST_IEC);
	MTC0(CP0_STATUS, st);
}

/* The scheduler: runs RUNNABLE processes round robin, each until it gives up the CPU. */
void scheduler(void)
{
	int last = NPROC - 1;

	for (;;) {
		int i, n;
		for (n = 1; n <= NPROC; n++) {
			i = (last + n) % NPROC;
			if (proc[i].state == RUNNABLE)
				break;
		}
		if (n > NPROC) {
			idle();
			continue;
		}
		last = i;
		curproc = &proc[i];
		curproc->state = RUNNING;
		switchuvm(curproc);
		sched_switches++;
		swtch(&sched_context, &curproc->context);
		curproc = 0;
		cur_pgdir = (uint32_t)empty_pgdir;
		MTC0(CP0_ENTRYHI, 0);
	}
}

/* Switches to the scheduler; the caller has set curproc->state. */
void sched(void)
{
	swtch(&curproc->context, &sched_context);
}

/* Gives up the CPU for one round (the clock interrupt's preemption). */
void yield(void)
{
	curproc->state = RUNNABLE;
	sched();
}

/* Sleeps on chan until a wakeup(chan) or a kill; callers re-check their condition. */
void sleep(void *chan)
{
	curproc->chan = chan;
	curproc->state = SLEEPING;
	sched();
	curproc->chan = 0;
}

/* Makes every process sleeping on chan RUNNABLE. */
void wakeup(void *chan)
{
	struct proc *p;

	for (p = proc; p < &proc[NPROC]; p++)
		if (p->state == SLEEPING && p->chan == chan)
			p->state = RUNNABLE;
}

/* Sends sig to process pid and wakes it if it sleeps; 0, -ESRCH or -EINVAL. */
int kill(int pid, int sig)
{
	struct proc *p;

	if (sig <= 0 || sig >= NSIG)
		return -EINVAL;
	for (p = proc; p < &proc[NPROC]; p++)
		if (p->pid == pid && p->state != UNUSED && p->state != ZOMBIE) {
			sig_post(p, sig);
			if (p->state == SLEEPING)
				p->state = RUNNABLE;
			return 0;
		}
	return -ESRCH;
}
