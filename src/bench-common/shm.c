/*
 * shm.c: the shared-memory benchmark (the "shm" row of the Aegis paper's
 * IPC table), written against bench.h: a ping-pong. Each round
 * trip the client writes a counter into the shared page and yields; the
 * server answers with the counter + 1 and yields back. The client checks
 * every answer and prints `bench-shm: <n> iterations, result <sum> ok`.
 */
#include "bench.h"

#define PING	0		/* words of the shared page */
#define PONG	1

static int server(struct bench_chan *ch)
{
	volatile uint32_t *s = ch->shm;
	uint32_t last = 0;

	for (;;) {
		while (s[PING] == last && !s[BENCH_DONE_WORD])
			bench_yield(ch);
		if (s[BENCH_DONE_WORD])
			return 0;
		last = s[PING];
		s[PONG] = last + 1;
		bench_yield(ch);
	}
}

static int client(struct bench_chan *ch)
{
	volatile uint32_t *s = ch->shm;
	uint32_t i, sum = 0, bad = 0;

	bench_mark();
	for (i = 1; i <= ch->n; i++) {
		s[PING] = i;
		while (s[PONG] != i + 1)
			bench_yield(ch);
		sum += s[PONG];
	}
	bench_mark();
	bad = sum != ch->n * (ch->n + 3) / 2;
	bench_finish(ch, BENCH_CLIENT);
	printf("bench-shm: %u iterations, result 0x%08x %s\n", ch->n, sum, bad ? "BAD" : "ok");
	return bad ? 1 : 0;
}

int bench_main(int argc, char **argv)
{
	struct bench_chan ch;
	int role = bench_pair(argc, argv, &ch);

	if (role < 0)
		return 2;
	return role == BENCH_SERVER ? server(&ch) : client(&ch);
}
