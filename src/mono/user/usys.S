/*
 * usys.S: the system call stubs: the number in v0, the arguments already
 * in a0-a3, `syscall`, and the result in v0 (syscall.h).
 */
#include "../kernel/syscall.h"

	.set	noreorder
	.text

#define STUB(name, num) \
	.globl	name; \
	.ent	name; \
name: \
	li	$v0, num; \
	syscall; \
	jr	$ra; \
	nop; \
	.end	name

STUB(exit, SYS_exit)
STUB(fork, SYS_fork)
STUB(wait, SYS_wait)
STUB(exec, SYS_exec)
STUB(getpid, SYS_getpid)
STUB(write, SYS_write)
STUB(read, SYS_read)
STUB(pipe, SYS_pipe)
STUB(close, SYS_close)
STUB(dup, SYS_dup)
STUB(sbrk, SYS_sbrk)
STUB(shmget, SYS_shmget)
STUB(shmat, SYS_shmat)
STUB(mprotect, SYS_mprotect)
STUB(sigreturn, SYS_sigreturn)
STUB(kill, SYS_kill)
STUB(uptime, SYS_uptime)
STUB(yield, SYS_yield)
STUB(null, SYS_null)
STUB(freemem, SYS_freemem)
STUB(sys_signal, SYS_signal)
STUB(socket, SYS_socket)
STUB(bind, SYS_bind)
STUB(sendto, SYS_sendto)
STUB(recvfrom, SYS_recvfrom)
STUB(netconfig, SYS_netconfig)
