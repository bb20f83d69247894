/*
 * shmtest: System V-style shared memory.
 *
 *  - shmget makes a 3-page segment; shmat maps it, at SHMBASE by default;
 *  - a forked child sees the parent's writes and the parent the child's
 *    (the pages are shared, not copied, across fork);
 *  - shmget of the same key finds the segment, and attaching it again at a
 *    chosen address gives a second mapping of the same pages;
 *  - two processes hand a counter back and forth 1000 times through the
 *    segment, spinning with yield;
 *  - bad ids and addresses are errors (-EINVAL = -22).
 */
#include "user.h"

#define KEY	0x5e9
#define SIZE	(3 * PAGE_SIZE)

int main(void)
{
	volatile uint32_t *a, *b;
	int id, id2, pid, status, i;

	id = shmget(KEY, SIZE);
	a = shmat(id, 0);
	printf("shmget: id %d, shmat at %x\n", id, (uint32_t)a);
	a[0] = 0x1234;
	a[2048] = 0x5678;		/* third page */
	if ((pid = fork()) == 0) {
		printf("child sees %x %x\n", a[0], a[2048]);
		a[1] = 0xc0ffee;
		exit(0);
	}
	wait(&status);
	printf("parent sees the child's write: %x\n", a[1]);

	id2 = shmget(KEY, PAGE_SIZE);
	b = shmat(id2, (void *)0x50000000);
	printf("same key: id %d, at %x, aliases: %s\n", id2, (uint32_t)b,
	       b[2048] == 0x5678 && (b[3] = 7, a[3] == 7) ? "yes" : "no");

	a[10] = 0;
	if (fork() == 0) {
		for (i = 0; i < 1000; i++) {
			while (a[10] % 2 == 0)
				yield();
			a[10]++;
		}
		exit(0);
	}
	for (i = 0; i < 1000; i++) {
		a[10]++;
		while (a[10] % 2 == 1)
			yield();
	}
	wait(&status);
	printf("handoff: counter %u\n", a[10]);

	printf("shmat bad id: %d\n", (int)shmat(99, 0));
	printf("shmat misaligned: %d\n", (int)shmat(id, (void *)0x50000010));
	printf("shmat over kseg0: %d\n", (int)shmat(id, (void *)0x7ffff000));
	printf("shmat over mapped: %d\n", (int)shmat(id, (void *)0x50000000));
	printf("shmget size 0: %d\n", shmget(0, 0));
	return 0;
}
