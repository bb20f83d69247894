/*
 * forktest: fork, exec, exit and wait, and that they give back every page.
 *
 *  - five children, each waited for before the next: pids increase, each
 *    exit status comes back through wait, the child sees its own copy of a
 *    variable the parent then changes;
 *  - a child that execs `echo` with arguments;
 *  - wait with no children left is an error (-ECHILD = -10);
 *  - twelve children at once (more than fit the pipe benchmarks): all are
 *    reaped, and the free page count is what it was before.
 */
#include "user.h"

static int shared = 100;

/* Forks a child that changes its copy of shared and exits with i; returns wait's status. */
static int one(int i)
{
	int pid = fork(), status = -1;

	if (pid < 0) {
		printf("fork failed: %d\n", pid);
		exit(1);
	}
	if (pid == 0) {
		shared += i;
		printf("child %d: pid %d, shared %d\n", i, getpid(), shared);
		exit(i);
	}
	if (wait(&status) != pid)
		printf("wait returned the wrong pid\n");
	return status;
}

/* Runs echo in a child with three arguments; returns its status. */
static int run_echo(void)
{
	char *argv[] = { "echo", "one", "two", "three", 0 };
	int pid = fork(), status = -1;

	if (pid == 0) {
		exec("echo", argv);
		exit(99);
	}
	wait(&status);
	return status;
}

int main(void)
{
	int i, status, free0, n = 0;

	printf("forktest: pid %d\n", getpid());
	free0 = freemem();
	for (i = 1; i <= 5; i++)
		printf("parent: child %d exited %d, shared %d\n", i, one(i), shared);
	printf("echo exited %d\n", run_echo());
	printf("wait without children: %d\n", wait(&status));
	printf("exec of a missing program: %d\n", exec("nosuch", (char *[]){ "nosuch", 0 }));
	for (i = 0; i < 12; i++)
		if (fork() == 0)
			exit(i);
	while (wait(&status) > 0)
		n += status;
	printf("twelve children reaped, statuses sum to %d\n", n);
	printf("pages leaked: %d\n", free0 - freemem());
	return 0;
}
