/*
 * syscall.h: system call numbers, shared by the kernel and user programs.
 * A program puts the number in v0 and the arguments in a0-a3 and executes
 * `syscall`; the result comes back in v0, negative for an error (-errno).
 */
#ifndef MONO_SYSCALL_H
#define MONO_SYSCALL_H

#define SYS_exit	1
#define SYS_fork	2
#define SYS_wait	3
#define SYS_exec	4
#define SYS_getpid	5
#define SYS_write	6
#define SYS_read	7
#define SYS_pipe	8
#define SYS_close	9
#define SYS_dup		10
#define SYS_sbrk	11
#define SYS_shmget	12
#define SYS_shmat	13
#define SYS_mprotect	14
#define SYS_signal	15
#define SYS_sigreturn	16
#define SYS_kill	17
#define SYS_uptime	18
#define SYS_yield	19
#define SYS_null	20
#define SYS_freemem	21
#define SYS_socket	22
#define SYS_bind	23
#define SYS_sendto	24
#define SYS_recvfrom	25
#define SYS_netconfig	26
#define NSYSCALL	27

/* mprotect's protections. */
#define PROT_NONE	0
#define PROT_READ	1
#define PROT_WRITE	2

/* Signals (Unix numbers) and the two special handlers. */
#define SIGKILL		9
#define SIGBUS		10
#define SIGSEGV		11
#define SIGILL		4
#define SIGTRAP		5
#define SIGFPE		8
#define SIGUSR1		16
#define SIGTERM		15
#define SIG_DFL		0
#define SIG_IGN		1

#ifndef __ASSEMBLER__
/* A UDP endpoint for sendto and recvfrom: IPv4 address and port in host order. */
struct sockaddr_in {
	unsigned int ip, port;
};

/* What sigreturn restores: pushed on the user stack when a handler is called. */
struct sigframe {
	unsigned int regs[32];
	unsigned int hi, lo, epc;
	unsigned int sig, addr;
	unsigned int cause;		/* Cause at the fault (BD: the faulting instruction is in a delay slot) */
};
#endif

#endif
