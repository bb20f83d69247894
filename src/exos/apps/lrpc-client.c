/*
 * lrpc-client: usage `lrpc-client <server envid> <n>`.
 *
 * The client half of LRPC (pct.h): n synchronous protected control
 * transfers to the server, each with two words that change from call to
 * call, checking every answer (a0 + a1 and a0 * a1, mod 2^32). Until the
 * first call goes through it yields and tries again (the server may not
 * have registered its entry yet); after that a refusal is an error.
 * Prints "lrpc ok <n>", or the first wrong answer. There is no cycle
 * counter to read, so it does not time the calls.
 */
#include "pct.h"

#define TRIES	1000	/* yields waiting for the server's entry */

int main(int argc, char **argv)
{
	uint32_t n, i, x, y, ans[2], tries = 0;
	int server, r;

	if (argc < 3) {
		printf("lrpc-client: usage: lrpc-client <server envid> <n>\n");
		return 2;
	}
	server = (int)strtoul(argv[1], 0, 0);
	n = strtoul(argv[2], 0, 0);
	printf("lrpc-client: %u calls to environment %d\n", n, server);
	for (i = 0; i < n; i++) {
		x = i * 2654435761u + 1;
		y = i * 40503u + 7;
		while ((r = exos_pct_call(server, x, y, ans)) == E_Inval && i == 0 && tries < TRIES) {
			tries++;
			sys_yield();
		}
		if (r < 0) {
			printf("lrpc-client: call %u refused: %s\n", i, exos_errname(r));
			printf("lrpc-client BAD\n");
			return 1;
		}
		if (ans[0] != x + y || ans[1] != x * y) {
			printf("lrpc-client: call %u (0x%08x, 0x%08x) answered 0x%08x, 0x%08x; expected 0x%08x, 0x%08x\n",
			       i, x, y, ans[0], ans[1], x + y, x * y);
			printf("lrpc-client BAD\n");
			return 1;
		}
	}
	printf("lrpc ok %u\n", n);
	printf("lrpc-client ok\n");
	return 0;
}
