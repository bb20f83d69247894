/*
 * udp-ping: usage `udp-ping <ip> <peer-ip> <peer-port> <n> [size]`
 * (size: payload bytes, 4..UDP_PAYLOAD_MAX, default 64).
 *
 * The client of a UDP echo (the wire's peer host, or udp-echo): with
 * address ip and source port PING_PORT, it resolves peer-ip with ARP,
 * then sends n datagrams one at a time, each holding its sequence number
 * (4 bytes, big-endian) and a pattern made from it, and waits up to
 * PING_WAIT cycles for the echo, which must come from peer-ip:peer-port
 * with the same bytes. An echo of an earlier datagram arriving late is
 * counted and skipped; any other datagram is a mismatch. The n round
 * trips are bracketed by two sys_null calls, the way every ExOS benchmark
 * is timed (exoscope bench --paper reads the cycle counter at each): the
 * window is this program's own loop, from building and sending each
 * datagram to receiving and checking its echo. Prints "udp-ping ok <n>"
 * when every datagram came back.
 */
#include "net.h"

#define PING_PORT	5001
#define PING_WAIT	2500000u	/* 100 ms at 25 MHz */
#define PING_SIZE	64

static uint8_t out[UDP_PAYLOAD_MAX], in[UDP_PAYLOAD_MAX];

struct tally {
	uint32_t echoed, mismatched, late, lost;
};

/* The payload of datagram seq. */
static void fill(uint8_t *p, uint32_t size, uint32_t seq)
{
	uint32_t i;

	put32(p, seq);
	for (i = 4; i < size; i++)
		p[i] = (uint8_t)(seq * 7 + i);
}

/* Sends datagram seq and waits for its echo; counts the outcome in t. Returns 0 or a send error. */
static int ping(int sock, uint32_t peer, uint32_t pport, uint32_t size, uint32_t seq, struct tally *t)
{
	uint32_t ip, port;
	int n;

	fill(out, size, seq);
	n = udp_sendto(sock, peer, pport, out, size);
	if (n < 0)
		return n;
	for (;;) {
		n = udp_recvfrom(sock, in, sizeof in, &ip, &port, PING_WAIT);
		if (n == UDP_TIMEOUT) {
			printf("udp-ping: seq %u lost\n", seq);
			t->lost++;
			return 0;
		}
		if (n < 0)
			return n;
		if (ip == peer && port == pport && (uint32_t)n == size && memcmp(in, out, size) == 0) {
			t->echoed++;
			return 0;
		}
		if ((uint32_t)n >= 4 && get32(in) < seq) {
			t->late++;
			continue;
		}
		printf("udp-ping: seq %u: %d bytes from " IP_FMT ":%u do not match\n", seq, n, IP_ARGS(ip), port);
		t->mismatched++;
	}
}

int main(int argc, char **argv)
{
	uint32_t ip, peer, pport, count, size = PING_SIZE, seq;
	struct tally t = { 0, 0, 0, 0 };
	uint8_t mac[ETH_ALEN];
	int sock, r;

	if (argc < 5 || ip_aton(argv[1], &ip) < 0 || ip_aton(argv[2], &peer) < 0 ||
	    (pport = strtoul(argv[3], 0, 0)) == 0 || pport > 0xffff ||
	    (argc > 5 && ((size = strtoul(argv[5], 0, 0)) < 4 || size > UDP_PAYLOAD_MAX))) {
		printf("usage: udp-ping <ip> <peer-ip> <peer-port> <n> [size]\n");
		return 2;
	}
	count = strtoul(argv[4], 0, 0);
	r = net_init(ip);
	if (r < 0) {
		printf("udp-ping: net_init: %s\n", exos_errname(r));
		return 1;
	}
	sock = udp_socket(PING_PORT);
	if (sock < 0) {
		printf("udp-ping: socket: %s\n", exos_errname(sock));
		return 1;
	}
	printf("udp-ping: " IP_FMT " port %u -> " IP_FMT " port %u, %u datagrams of %u bytes\n",
	       IP_ARGS(ip), PING_PORT, IP_ARGS(peer), pport, count, size);
	r = arp_resolve(peer, mac);
	if (r < 0) {
		printf("udp-ping: no ARP answer from " IP_FMT ": %s\n", IP_ARGS(peer), exos_errname(r));
		printf("udp-ping BAD\n");
		return 1;
	}
	printf("udp-ping: " IP_FMT " is at " MAC_FMT "\n", IP_ARGS(peer), MAC_ARGS(mac));
	sys_null();
	for (seq = 0; seq < count; seq++) {
		r = ping(sock, peer, pport, size, seq, &t);
		if (r < 0) {
			printf("udp-ping: seq %u: %s\n", seq, exos_errname(r));
			break;
		}
	}
	sys_null();
	printf("udp-ping: %u sent, %u echoed, %u mismatched, %u late, %u lost\n",
	       seq, t.echoed, t.mismatched, t.late, t.lost);
	printf("udp-ping: dropped %u bad IP, %u bad UDP, %u bad UDP checksums; ring dropped %u\n",
	       net_stats.bad_ip, net_stats.bad_udp, net_stats.bad_udp_sum, udp_ring(sock)->mem->dropped);
	if (t.echoed != count) {
		printf("udp-ping BAD\n");
		return 1;
	}
	printf("udp-ping ok %u\n", count);
	return 0;
}
