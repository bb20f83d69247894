/*
 * badptr: bad pointers and bad numbers given to system calls are error
 * returns (-EFAULT = -14, -ENOSYS = -38, -EBADF = -9), never a kernel crash;
 * the process goes on.
 */
#include "user.h"

/* A raw system call with any number, for the unknown-number case. */
static int rawsys(int num)
{
	register int v0 __asm__("$2") = num;

	__asm__ volatile("syscall" : "+r"(v0) : : "memory");
	return v0;
}

int main(void)
{
	int fds[2], status;
	char c;

	printf("write from kseg0: %d\n", write(1, (void *)0x80030000u, 4));
	printf("write from null: %d\n", write(1, 0, 4));
	printf("write from unmapped: %d\n", write(1, (void *)0x30000000, 4));
	printf("write from below the stack: %d\n", write(1, (void *)(0x7ffff000u - 4 * PAGE_SIZE - 2), 4));
	pipe(fds);
	write(fds[1], "abcd", 4);
	printf("read into text: %d\n", read(fds[0], (void *)(uint32_t)main, 4));
	printf("read into kseg1: %d\n", read(fds[0], (void *)0xa0000000u, 4));
	printf("read into the stack works: %d\n", read(fds[0], &c, 1));
	printf("pipe into text: %d\n", pipe((int *)(uint32_t)main));
	printf("wait into kseg0: %d\n", (fork() == 0 ? (exit(3), 0) : wait((int *)0x80000000u)));
	printf("wait then reaps it: %d\n", wait(&status) > 0 ? status : -1);
	printf("exec of a bad path: %d\n", exec((char *)0x80000000u, 0));
	printf("exec with bad argv: %d\n", exec("echo", (char **)0x10));
	printf("write to fd 99: %d\n", write(99, "x", 1));
	printf("write to fd -1: %d\n", write(-1, "x", 1));
	printf("unknown system call 99: %d\n", rawsys(99));
	printf("unknown system call 0: %d\n", rawsys(0));
	printf("still alive: pid %d\n", getpid());
	return 0;
}
