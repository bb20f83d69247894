/*
 * threads: usage `threads [slices]` (default 60).
 *
 * The scheduler as an application-level policy: three user-level threads
 * holding 1, 2 and 3 tickets count loop iterations under ExOS's stride
 * scheduler, which the prologue runs at the start of every slice
 * (sched.h). The count lives in a register, so it survives only if the
 * epilogue saves and the prologue restores every register. A prologue
 * hook counts `slices` whole slices and notes which thread got each;
 * then the threads stop and the main thread, which was waiting for them,
 * prints what each got. Stride scheduling gives exactly 1:2:3 slices over
 * every 6, so with `slices` a multiple of 6 the slices are exact (which
 * is checked), and the iteration counts are 1:2:3 as near as the slices
 * are equally long: alone on the machine, 1.00 : 2.00 : 3.00.
 */
#include "sched.h"

#define NTHREADS	3
#define TOTAL_TICKETS	6	/* 1 + 2 + 3 */

static const uint32_t tickets[NTHREADS] = { 1, 2, 3 };
static thread_t *tid[NTHREADS];
static uint32_t slices[NTHREADS];	/* whole slices each got while counting */
static uint32_t counts[NTHREADS];
static uint32_t limit, counted;
static volatile uint32_t armed, go, stop;

/* A thread: waits for the first whole slice, counts until told to stop. */
static void count(void *arg)
{
	uint32_t i = (uint32_t)arg, n = 0;

	while (!go)
		;
	while (!stop)
		n++;
	counts[i] = n;
}

/* At every prologue (busy set, so .bss only): counts `limit` whole slices, then stops the threads. */
static void on_prologue(thread_t *next, uint32_t slot, uint32_t length)
{
	uint32_t i;

	(void)slot;
	(void)length;
	if (!armed || stop)
		return;
	if (counted == limit) {
		stop = 1;
		return;
	}
	go = 1;
	counted++;
	for (i = 0; i < NTHREADS; i++)
		if (tid[i] == next)
			slices[i]++;
}

/* "2.01": a / b rounded to two places, in 32-bit arithmetic (b < 2^24). */
static void print_ratio(uint32_t a, uint32_t b)
{
	uint32_t whole = a / b, frac = ((a % b) * 200 + b) / (2 * b);

	if (frac == 100) {
		whole++;
		frac = 0;
	}
	printf("%u.%02u", whole, frac);
}

/*
 * Thread i's result is right when its slices match its tickets (with
 * `limit` a multiple of TOTAL_TICKETS) and it counted exactly when it got
 * slices. The iterations follow the lengths of the slices, which are the
 * kernel's business (a slice that begins after another environment
 * yielded, or a donated one, is shorter), so they are printed, not checked.
 */
static int right(uint32_t i)
{
	if (limit % TOTAL_TICKETS == 0 && slices[i] != limit / TOTAL_TICKETS * tickets[i])
		return 0;
	return (slices[i] == 0) == (counts[i] == 0);
}

int main(int argc, char **argv)
{
	uint32_t i, bad = 0;
	int r;

	limit = argc > 1 ? strtoul(argv[1], 0, 0) : 60;
	printf("threads: %u threads with 1, 2 and 3 tickets, %u slices\n", NTHREADS, limit);
	exos_sched_on_prologue(on_prologue);
	r = exos_sched_init();
	if (r < 0) {
		printf("threads: no interrupt context: %s\n", exos_errname(r));
		return 1;
	}
	for (i = 0; i < NTHREADS; i++) {
		tid[i] = thread_create(count, (void *)i, tickets[i]);
		if (!tid[i]) {
			printf("threads: cannot create thread %u\n", i + 1);
			return 1;
		}
	}
	armed = 1;
	for (i = 0; i < NTHREADS; i++)
		thread_join(tid[i]);
	for (i = 0; i < NTHREADS; i++) {
		printf("thread %u: %u tickets, %u slices, %u iterations (%u a slice)\n",
		       thread_id(tid[i]), tickets[i], slices[i], counts[i],
		       slices[i] ? counts[i] / slices[i] : 0);
		bad += !right(i);
	}
	if (counts[0]) {
		printf("iterations relative to thread 1: 1.00");
		for (i = 1; i < NTHREADS; i++) {
			printf(" : ");
			print_ratio(counts[i], counts[0]);
		}
		printf("\n");
	}
	printf("threads: %u prologues, %u epilogues, %u thread switches\n",
	       exos_sched_stats.prologues, exos_sched_stats.epilogues, exos_sched_stats.switches);
	printf("threads %s\n", bad ? "BAD" : "ok");
	return bad ? 1 : 0;
}
