/*
 * udptest: UDP sockets over the LANCE.
 *
 *   udptest [my-ip [peer-ip [peer-port [n]]]]   (default 10.0.0.2 10.0.0.1 7 3)
 *
 * Sets the interface address, binds port 5001, and sends n datagrams to
 * the peer's echo service one at a time, each answered before the next
 * (the first send resolves the peer with ARP). Checks every echo's bytes
 * and source. Then the error cases: a bad buffer or address (-EFAULT =
 * -14), a port in use (-98), an unbound recvfrom (-22), a datagram too
 * long (-90).
 */
#include "user.h"

/* Parses a dotted quad; returns it in host order (0 if malformed). */
static uint32_t parse_ip(const char *s)
{
	uint32_t ip = 0, i;

	for (i = 0; i < 4; i++) {
		int n = atoi(s);
		if (n > 255 || *s < '0' || *s > '9')
			return 0;
		ip = ip << 8 | (uint32_t)n;
		while (*s >= '0' && *s <= '9')
			s++;
		if (i < 3 && *s++ != '.')
			return 0;
	}
	return ip;
}

int main(int argc, char **argv)
{
	uint32_t me = parse_ip(argc > 1 ? argv[1] : "10.0.0.2");
	struct sockaddr_in from = { 0, 0 }, peer = { parse_ip(argc > 2 ? argv[2] : "10.0.0.1"),
				    (uint32_t)atoi(argc > 3 ? argv[3] : "7") };
	int n = argc > 4 ? atoi(argv[4]) : 3, i, fd, fd2, ok = 0;
	char msg[64], buf[64];
	static char big[1500];

	netconfig(me);
	fd = socket();
	printf("socket %d, bind %d\n", fd, bind(fd, 5001));
	for (i = 0; i < n; i++) {
		int len = snprintf(msg, sizeof msg, "datagram %d from the monolithic kernel", i), got;
		int sent = sendto(fd, msg, (uint32_t)len, &peer);
		got = sent == len ? recvfrom(fd, buf, sizeof buf, &from) : 0;
		if (sent == len && got == len && memcmp(buf, msg, (uint32_t)len) == 0 &&
		    from.ip == peer.ip && from.port == peer.port)
			ok++;
		else
			printf("datagram %d: sent %d, got %d\n", i, sent, got);
	}
	printf("echoed %d of %d from %u.%u.%u.%u:%u\n", ok, n, from.ip >> 24, (from.ip >> 16) & 255,
	       (from.ip >> 8) & 255, from.ip & 255, from.port);
	printf("sendto from a bad buffer: %d\n", sendto(fd, (void *)0x80000000u, 4, &peer));
	printf("sendto a bad address: %d\n", sendto(fd, msg, 4, (void *)0x10));
	if (ok == n)
		printf("recvfrom into a bad buffer: %d\n", (sendto(fd, msg, 4, &peer), recvfrom(fd, (void *)0x80000000u, 4, 0)));
	printf("datagram too long: %d\n", sendto(fd, big, sizeof big, &peer));
	fd2 = socket();
	printf("bind to a port in use: %d\n", bind(fd2, 5001));
	printf("recvfrom unbound: %d\n", recvfrom(fd2, buf, sizeof buf, 0));
	printf("sendto on a pipe: %d\n", sendto(1, msg, 4, &peer));
	close(fd2);
	close(fd);
	return ok == n ? 0 : 1;
}
