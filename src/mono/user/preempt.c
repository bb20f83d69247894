/*
 * preempt: the clock interrupt preempts a process that never gives up the
 * CPU. Two children spin without system calls on a shared-memory flag
 * each waits for the other to set; only preemption lets both finish.
 * While spinning each keeps writing its own number to the same private
 * virtual address and reading it back: the two address spaces (ASIDs)
 * never see each other's value, so each exits with its own number.
 */
#include "user.h"

static volatile uint32_t mine;	/* the same virtual address in both children */

int main(void)
{
	volatile uint32_t *s = shmat(shmget(0, PAGE_SIZE), 0);
	int i, status, sum = 0;
	uint32_t t0 = (uint32_t)uptime();

	for (i = 0; i < 2; i++)
		if (fork() == 0) {
			uint32_t seen_other = 0;
			s[i] = 1;
			while (!s[1 - i]) {	/* spins until the other child has run */
				mine = (uint32_t)i + 1;
				seen_other |= mine != (uint32_t)i + 1;
			}
			exit(seen_other ? 99 : i + 1);
		}
	for (i = 0; i < 2; i++) {
		wait(&status);
		sum += status;
	}
	printf("preempt: both spinners finished (statuses sum %d), clock ticked: %s\n",
	       sum, (uint32_t)uptime() > t0 ? "yes" : "no");
	return 0;
}
