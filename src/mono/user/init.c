/*
 * init: the first process. Runs each program named in its arguments in
 * turn (fork, exec, wait) and reports how each ended; with no arguments
 * it runs the kernel's test programs. Exits 0 if every one exited 0.
 */
#include "user.h"

static char *tests[] = { "forktest", "pipetest", "shmtest", "sigtest", "badptr", "preempt", 0 };

/* Runs one program; returns its exit status (or -errno if it could not start). */
static int run(char *name)
{
	char *argv[] = { name, 0 };
	int pid, status = 0;

	if ((pid = fork()) < 0)
		return pid;
	if (pid == 0) {
		int err = exec(name, argv);
		printf("init: exec %s failed: %d\n", name, err);
		exit(127);
	}
	if (wait(&status) != pid)
		return -1;
	return status;
}

int main(int argc, char **argv)
{
	char **list = argc > 1 ? argv + 1 : tests;
	int i, failed = 0;

	for (i = 0; list[i]; i++) {
		int status = run(list[i]);
		printf("init: %s exited with status %d\n", list[i], status);
		failed |= status != 0;
	}
	return failed;
}
