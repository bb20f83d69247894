/*
 * syscall.c: system call dispatch, and the calls about processes, memory
 * and signals (sysfile.c has the ones about files).
 *
 * The number is in v0 and the arguments in a0-a3 (syscall.h); the result
 * goes back in v0, negative for an error. An unknown number is -ENOSYS.
 */
#include "defs.h"
#include "param.h"
#include "memlayout.h"
#include "proc.h"
#include "syscall.h"

/* System calls by number (read by the debugger from the symbol table). */
uint32_t syscall_count[NSYSCALL];

int sys_write(struct trapframe *tf);
int sys_read(struct trapframe *tf);
int sys_pipe(struct trapframe *tf);
int sys_close(struct trapframe *tf);
int sys_dup(struct trapframe *tf);
int sys_exec(struct trapframe *tf);
int sys_socket(struct trapframe *tf);
int sys_bind(struct trapframe *tf);
int sys_sendto(struct trapframe *tf);
int sys_recvfrom(struct trapframe *tf);
int sys_netconfig(struct trapframe *tf);

#define A0 (tf->regs[R_A0])
#define A1 (tf->regs[R_A1])
#define A2 (tf->regs[R_A2])

static int sys_exit(struct trapframe *tf) { exit((int)A0); }
static int sys_fork(struct trapframe *tf) { (void)tf; return fork(); }
static int sys_wait(struct trapframe *tf) { return wait(A0); }
static int sys_getpid(struct trapframe *tf) { (void)tf; return curproc->pid; }
static int sys_kill(struct trapframe *tf) { return kill((int)A0, (int)A1); }
static int sys_uptime(struct trapframe *tf) { (void)tf; return (int)ticks; }
static int sys_yield(struct trapframe *tf) { (void)tf; yield(); return 0; }
static int sys_freemem(struct trapframe *tf) { (void)tf; return (int)kfree_count(); }
static int sys_shmget(struct trapframe *tf) { return shmget(A0, A1); }
static int sys_shmat(struct trapframe *tf) { return shmat((int)A0, A1); }
static int sys_signal(struct trapframe *tf) { return sig_handler((int)A0, A1, A2); }
static int sys_sigreturn(struct trapframe *tf) { return sig_return(tf, A0); }

/* null: does nothing; benchmarks call it to mark the ends of a timed window. */
static int sys_null(struct trapframe *tf) { (void)tf; return 0; }

/* sbrk(n): grows the heap by n >= 0 bytes; returns the old end, or -ENOMEM/-EINVAL. */
static int sys_sbrk(struct trapframe *tf)
{
	uint32_t old = curproc->brk, n = A0;

	if ((int32_t)n < 0)
		return -EINVAL;
	if (old + n < old || old + n > SHMBASE)
		return -ENOMEM;
	if (uvm_alloc(curproc, old, old + n, PTE_R | PTE_W) < 0)
		return -ENOMEM;
	curproc->brk = old + n;
	return (int)old;
}

/* mprotect(addr, len, prot): PROT_NONE, PROT_READ or PROT_READ|PROT_WRITE on mapped pages. */
static int sys_mprotect(struct trapframe *tf)
{
	uint32_t prot = A2, perm = 0;

	if (prot & ~(PROT_READ | PROT_WRITE))
		return -EINVAL;
	if (prot & PROT_READ)
		perm |= PTE_R;
	if (prot & PROT_WRITE)
		perm |= PTE_R | PTE_W;
	return uvm_protect(curproc, A0, A1, perm);
}

static int (*const syscalls[NSYSCALL])(struct trapframe *) = {
	[SYS_exit] = sys_exit, [SYS_fork] = sys_fork, [SYS_wait] = sys_wait,
	[SYS_exec] = sys_exec, [SYS_getpid] = sys_getpid, [SYS_write] = sys_write,
	[SYS_read] = sys_read, [SYS_pipe] = sys_pipe, [SYS_close] = sys_close,
	[SYS_dup] = sys_dup, [SYS_sbrk] = sys_sbrk, [SYS_shmget] = sys_shmget,
	[SYS_shmat] = sys_shmat, [SYS_mprotect] = sys_mprotect,
	[SYS_signal] = sys_signal, [SYS_sigreturn] = sys_sigreturn,
	[SYS_kill] = sys_kill, [SYS_uptime] = sys_uptime, [SYS_yield] = sys_yield,
	[SYS_null] = sys_null, [SYS_freemem] = sys_freemem,
	[SYS_socket] = sys_socket, [SYS_bind] = sys_bind, [SYS_sendto] = sys_sendto,
	[SYS_recvfrom] = sys_recvfrom, [SYS_netconfig] = sys_netconfig,
};

/* Runs the system call tf describes and puts its result in v0; EPC moves past the syscall. */
void syscall(struct trapframe *tf)
{
	uint32_t num = tf->regs[R_V0];

	tf->epc += 4;
	if (num >= NSYSCALL || !syscalls[num]) {
		tf->regs[R_V0] = (uint32_t)-ENOSYS;
		return;
	}
	syscall_count[num]++;
	tf->regs[R_V0] = (uint32_t)syscalls[num](tf);
}
