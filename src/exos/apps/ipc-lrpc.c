/*
 * ipc-lrpc: usage `ipc-lrpc <server envid> <n>` (the "lrpc" column of the
 * Aegis paper's IPC table).
 *
 * n timed LRPC calls on protected control transfer (pct.h) to a server
 * that answers a0 + a1 and a0 * a1, such as exos-lrpc-server. One untimed
 * call comes first, retried with yield until the server has registered
 * its entry, so the server answers n + 1 calls in all (start
 * exos-lrpc-server with n + 1, or 0 for forever). Then sys_null, the n
 * calls, each answer checked, sys_null. Prints
 * `ipc-lrpc: <n> iterations, result <checksum> ok` (BAD on a wrong
 * answer or a refused call); the checksum sums both answer words.
 */
#include "pct.h"

#define TRIES	1000	/* yields waiting for the server's entry */

int main(int argc, char **argv)
{
	uint32_t n, i, x, y, ans[2], sum = 0, bad = 0, tries = 0;
	int server, r;

	if (argc != 3) {
		printf("usage: ipc-lrpc <server envid> <n>\n");
		return 2;
	}
	server = (int)strtoul(argv[1], 0, 0);
	n = strtoul(argv[2], 0, 0);
	while ((r = exos_pct_call(server, 1, 2, ans)) == E_Inval && tries++ < TRIES)
		sys_yield();
	if (r < 0 || ans[0] != 3 || ans[1] != 2) {
		printf("ipc-lrpc: first call: %s\n", exos_errname(r));
		printf("ipc-lrpc: %u iterations, result 0 BAD\n", n);
		return 1;
	}
	sys_null();
	for (i = 0; i < n; i++) {
		x = i * 2654435761u + 1;
		y = i * 40503u + 7;
		r = exos_pct_call(server, x, y, ans);
		if (r < 0 || ans[0] != x + y || ans[1] != x * y) {
			bad = 1;
			break;
		}
		sum += ans[0] ^ ans[1];
	}
	sys_null();
	if (bad)
		printf("ipc-lrpc: call %u: %s, answer 0x%08x 0x%08x\n", i, exos_errname(r), ans[0], ans[1]);
	printf("ipc-lrpc: %u iterations, result 0x%08x %s\n", n, sum, bad ? "BAD" : "ok");
	return bad ? 1 : 0;
}
