/*
 * pipe.c: the pipe benchmark (the "pipe" row of the Aegis paper's IPC
 * table), written against bench.h. Each round trip the client writes 4
 * bytes to the server and reads 4 bytes back; the server reads 4 bytes
 * and writes them back. Only the client times (bench_mark before the
 * first round trip and after the last). It checks every word read back
 * and prints `bench-pipe: <n> iterations, result <checksum> ok` (BAD on a
 * mismatch); the checksum is ipc-pipe's: an FNV-1a hash of the bytes read.
 */
#include "bench.h"

/* Folds the 4 bytes of w (little-endian) into FNV-1a hash h. */
static uint32_t fnv(uint32_t h, uint32_t w)
{
	int i;

	for (i = 0; i < 4; i++, w >>= 8)
		h = (h ^ (w & 0xff)) * 0x01000193u;
	return h;
}

static int server(struct bench_chan *ch)
{
	uint32_t v;

	while (bench_read(ch, &v, 4) == 4)
		bench_write(ch, &v, 4);
	return 0;
}

static int client(struct bench_chan *ch)
{
	uint32_t i, v, w = 0, h = 0x811c9dc5u, bad = 0;

	bench_mark();
	for (i = 0; i < ch->n; i++) {
		v = i * 2654435761u + 0x12345;
		bad |= bench_write(ch, &v, 4) != 4;
		bad |= bench_read(ch, &w, 4) != 4;
		bad |= w != v;
		h = fnv(h, w);
	}
	bench_mark();
	bench_finish(ch, BENCH_CLIENT);
	printf("bench-pipe: %u iterations, result 0x%08x %s\n", ch->n, h, bad ? "BAD" : "ok");
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
