/*
 * udp-ping.c: the UDP round trip (the Aegis paper's "UDP round trip"
 * row), written against bench.h.
 *
 *   bench-udp-ping <ip> <peer-ip> <peer-port> <n>
 *
 * Opens a socket on port 5001, sends one untimed datagram (which also
 * resolves the peer with ARP), then times n round trips between two
 * bench_mark calls: each sends a 64-byte datagram holding its sequence
 * number and waits for the echo, which must come from the peer with the
 * same bytes. Prints `bench-udp-ping: <n> iterations, result <hash> ok`
 * (BAD when an echo was lost or wrong); the hash is FNV-1a of the echoes.
 */
#include "bench.h"

#define PING_PORT	5001
#define SIZE		64

/* Parses a dotted quad into host order; 0 for anything else. */
static uint32_t parse_ip(const char *s)
{
	uint32_t ip = 0, i, n;

	for (i = 0; i < 4; i++) {
		if (*s < '0' || *s > '9')
			return 0;
		for (n = 0; *s >= '0' && *s <= '9'; s++)
			n = n * 10 + (uint32_t)(*s - '0');
		if (n > 255 || (i < 3 && *s++ != '.'))
			return 0;
		ip = ip << 8 | n;
	}
	return *s ? 0 : ip;
}

static uint32_t number(const char *s)
{
	uint32_t n = 0;

	while (*s >= '0' && *s <= '9')
		n = n * 10 + (uint32_t)(*s++ - '0');
	return n;
}

/* One round trip of datagram seq; 1 if the echo came back right, and folds it into *h. */
static int ping(int sock, uint32_t peer, uint32_t pport, uint32_t seq, uint32_t *h)
{
	uint8_t out[SIZE], in[SIZE];
	uint32_t ip = 0, port = 0, i;
	int n;

	for (i = 0; i < SIZE; i++)
		out[i] = (uint8_t)(i < 4 ? seq >> (8 * i) : seq * 7 + i);
	if (bench_udp_send(sock, peer, pport, out, SIZE) != SIZE)
		return 0;
	n = bench_udp_recv(sock, in, SIZE, &ip, &port);
	if (n != SIZE || ip != peer || port != pport)
		return 0;
	for (i = 0; i < SIZE; i++) {
		if (in[i] != out[i])
			return 0;
		*h = (*h ^ in[i]) * 0x01000193u;
	}
	return 1;
}

int bench_main(int argc, char **argv)
{
	uint32_t me, peer, pport, n, i, h = 0x811c9dc5u, ok = 0;
	int sock;

	if (argc != 5 || !(me = parse_ip(argv[1])) || !(peer = parse_ip(argv[2])) ||
	    !(pport = number(argv[3])) || pport > 0xffff) {
		printf("usage: bench-udp-ping <ip> <peer-ip> <peer-port> <n>\n");
		return 2;
	}
	n = number(argv[4]);
	if ((sock = bench_udp_open(me, PING_PORT)) < 0) {
		printf("bench-udp-ping: cannot open a socket: %d\n", sock);
		return 1;
	}
	if (!ping(sock, peer, pport, 0xffffffffu, &h)) {
		printf("bench-udp-ping: no echo from the peer\n");
		return 1;
	}
	h = 0x811c9dc5u;
	bench_mark();
	for (i = 0; i < n; i++)
		ok += (uint32_t)ping(sock, peer, pport, i, &h);
	bench_mark();
	printf("bench-udp-ping: %u iterations, result 0x%08x %s\n", n, h, ok == n ? "ok" : "BAD");
	return ok == n ? 0 : 1;
}
