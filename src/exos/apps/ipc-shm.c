/*
 * ipc-shm: shared-memory ping-pong through one frame shared by capability
 * (the "shm" column of the Aegis paper's IPC table).
 *
 *   ipc-shm server <client envid> <frame> <keyhex> <n>
 *   ipc-shm client <server envid> <frame> <keyhex> <n>
 *
 * Each round trip the client writes a counter into the frame and yields to
 * the server (yield_to); the server answers with the counter + 1 and
 * yields back. The client checks every answer. Only the client times: it
 * calls sys_null right before its first round trip and right after its
 * last, and prints `ipc-shm: <n> iterations, result <checksum> ok` (BAD
 * when an answer was wrong); the checksum is the sum of the answers.
 */
#include "ipc.h"

struct shm {
	volatile uint32_t ping;		/* the client's counter */
	volatile uint32_t pong;		/* the server's answer: ping + 1 */
	volatile uint32_t done;		/* the client is finished */
};

static int server(int peer, struct shm *s)
{
	uint32_t last = 0, answered = 0;

	for (;;) {
		while (s->ping == last && !s->done)
			ipc_wait(peer);
		if (s->done)
			break;
		last = s->ping;
		s->pong = last + 1;
		answered++;
		ipc_wait(peer);
	}
	printf("ipc-shm server: answered %u\n", answered);
	return 0;
}

static int client(int peer, struct shm *s, uint32_t n)
{
	uint32_t i, c, sum = 0, bad = 0;

	sys_null();
	for (i = 0; i < n; i++) {
		c = 2 * i + 1;		/* never 0, the server's starting point */
		s->ping = c;
		while (s->pong != c + 1)
			ipc_wait(peer);
		sum += s->pong;
	}
	sys_null();
	/* sum of 2i + 2 for i < n = n(n + 1) */
	bad = sum != n * (n + 1);
	s->done = 1;
	ipc_wait(peer);
	printf("ipc-shm: %u iterations, result 0x%08x %s\n", n, sum, bad ? "BAD" : "ok");
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct exos_key key;
	uint32_t frame, n;
	int peer, srv;
	struct shm *s;

	if (argc != 6 || exos_parse_key(argv[4], &key) < 0 ||
	    (strcmp(argv[1], "server") && strcmp(argv[1], "client"))) {
		printf("usage: ipc-shm server|client <peer envid> <frame> <keyhex> <n>\n");
		return 2;
	}
	srv = argv[1][0] == 's';
	peer = (int)strtoul(argv[2], 0, 0);
	frame = strtoul(argv[3], 0, 0);
	n = strtoul(argv[5], 0, 0);
	s = srv ? ipc_server_frame(frame, &key) : ipc_client_frame(frame, &key);
	if (!s) {
		printf("ipc-shm: %u iterations, result 0 BAD\n", n);
		return 1;
	}
	return srv ? server(peer, s) : client(peer, s, n);
}
