/*
 * udp-echo.c: the echo side of the UDP round trip, written against
 * bench.h.
 *
 *   bench-udp-echo <ip> <port> <n>
 *
 * Opens a socket on port and sends each of the next n datagrams back to
 * where it came from, then prints `bench-udp-echo: <n> echoed, result
 * <hash> ok` (the hash is FNV-1a of the bytes echoed; BAD if a send failed).
 */
#include "bench.h"

#define MAXDATA		1472

static uint32_t number(const char **s)
{
	uint32_t n = 0;

	while (**s >= '0' && **s <= '9')
		n = n * 10 + (uint32_t)(*(*s)++ - '0');
	return n;
}

/* Parses a dotted quad into host order; 0 for anything else. */
static uint32_t parse_ip(const char *s)
{
	uint32_t ip = 0, i, n;

	for (i = 0; i < 4; i++) {
		if (*s < '0' || *s > '9' || (n = number(&s)) > 255 || (i < 3 && *s++ != '.'))
			return 0;
		ip = ip << 8 | n;
	}
	return *s ? 0 : ip;
}

int bench_main(int argc, char **argv)
{
	static uint8_t buf[MAXDATA];
	uint32_t me, port, n, i, j, ip, from, h = 0x811c9dc5u, bad = 0;
	const char *s;
	int sock, len;

	if (argc != 4 || !(me = parse_ip(argv[1]))) {
		printf("usage: bench-udp-echo <ip> <port> <n>\n");
		return 2;
	}
	s = argv[2], port = number(&s);
	s = argv[3], n = number(&s);
	if (!port || port > 0xffff || (sock = bench_udp_open(me, port)) < 0) {
		printf("bench-udp-echo: cannot open port %s\n", argv[2]);
		return 1;
	}
	for (i = 0; i < n; i++) {
		if ((len = bench_udp_recv(sock, buf, sizeof buf, &ip, &from)) < 0) {
			bad = 1;
			break;
		}
		for (j = 0; j < (uint32_t)len; j++)
			h = (h ^ buf[j]) * 0x01000193u;
		bad |= bench_udp_send(sock, ip, from, buf, (uint32_t)len) != len;
	}
	printf("bench-udp-echo: %u echoed, result 0x%08x %s\n", i, h, bad ? "BAD" : "ok");
	return bad ? 1 : 0;
}
