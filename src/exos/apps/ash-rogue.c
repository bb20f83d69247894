/*
 * ash-rogue: usage `ash-rogue <ip> <peer-ip> <peer-port> <mode> [n]`
 * (mode: loop, kwrite, syscall or wild; n default 1).
 *
 * A program whose ASH breaks the rules (ash-rogue-ash.S): it loops
 * forever, stores to a kernel address, makes a forbidden system call, or
 * stores to an address nobody mapped. With address ip and port ROGUE_PORT,
 * it sends n datagrams to the echo service at peer-ip:peer-port; each
 * echo matches its socket's filter, so the kernel runs the hostile ASH on
 * it. The kernel must abort the ASH (an event) and deliver the packet to
 * the ring anyway, where this program reads it with its own code and
 * checks it is the datagram it sent. It prints how often the ASH started
 * and how many echoes reached the ring, then "ash-rogue ok <mode>" when
 * the ASH started once for every echo and every echo arrived intact.
 */
#include "net.h"

#define ROGUE_PORT	6001
#define ROGUE_WAIT	2500000u	/* 100 ms at 25 MHz */
#define ROGUE_SIZE	32

uint32_t rogue_ash_loop(uint8_t *frame, uint32_t len);
uint32_t rogue_ash_kwrite(uint8_t *frame, uint32_t len);
uint32_t rogue_ash_syscall(uint8_t *frame, uint32_t len);
uint32_t rogue_ash_wild(uint8_t *frame, uint32_t len);

/* Written by the ASHs: how many times one started. */
volatile uint32_t rogue_ash_runs;

static const struct {
	const char *name;
	net_ash_t *ash;
	const char *what;
} modes[] = {
	{ "loop", rogue_ash_loop, "loops forever" },
	{ "kwrite", rogue_ash_kwrite, "stores to kernel address 0x80000080" },
	{ "syscall", rogue_ash_syscall, "calls cputs" },
	{ "wild", rogue_ash_wild, "stores to unmapped address 0x50000000" },
};
#define NMODES	(sizeof modes / sizeof modes[0])

static uint8_t out[ROGUE_SIZE], in[UDP_PAYLOAD_MAX];

/* Sends datagram i and reads its echo from the ring. Returns 1 when it came back intact, 0 when not, or an error. */
static int round_trip(int sock, uint32_t peer, uint32_t pport, uint32_t i)
{
	uint32_t ip, port, k;
	int n;

	for (k = 0; k < ROGUE_SIZE; k++)
		out[k] = (uint8_t)("ash-rogue"[k % 9] + i);
	n = udp_sendto(sock, peer, pport, out, ROGUE_SIZE);
	if (n < 0)
		return n;
	n = udp_recvfrom(sock, in, sizeof in, &ip, &port, ROGUE_WAIT);
	if (n == UDP_TIMEOUT) {
		printf("ash-rogue: echo %u never reached the ring\n", i);
		return 0;
	}
	if (n < 0)
		return n;
	if (ip != peer || port != pport || n != ROGUE_SIZE || memcmp(in, out, ROGUE_SIZE) != 0) {
		printf("ash-rogue: echo %u: %d bytes from " IP_FMT ":%u do not match\n", i, n, IP_ARGS(ip), port);
		return 0;
	}
	printf("ash-rogue: echo %u reached the ring (the ASH has started %u times)\n", i, rogue_ash_runs);
	return 1;
}

int main(int argc, char **argv)
{
	uint32_t ip, peer, pport, n = 1, m, i, arrived = 0;
	int sock, r;

	for (m = 0; argc > 4 && m < NMODES && strcmp(argv[4], modes[m].name) != 0; m++)
		;
	if (argc < 5 || m == NMODES || ip_aton(argv[1], &ip) < 0 || ip_aton(argv[2], &peer) < 0 ||
	    (pport = strtoul(argv[3], 0, 0)) == 0 || pport > 0xffff) {
		printf("usage: ash-rogue <ip> <peer-ip> <peer-port> <loop|kwrite|syscall|wild> [n]\n");
		return 2;
	}
	if (argc > 5)
		n = strtoul(argv[5], 0, 0);
	r = net_init(ip);
	if (r < 0) {
		printf("ash-rogue: net_init: %s\n", exos_errname(r));
		return 1;
	}
	sock = udp_socket_ash(ROGUE_PORT, modes[m].ash);
	if (sock < 0) {
		printf("ash-rogue: socket: %s\n", exos_errname(sock));
		return 1;
	}
	printf("ash-rogue: " IP_FMT " port %u -> " IP_FMT " port %u, %u datagrams; the ASH %s\n",
	       IP_ARGS(ip), ROGUE_PORT, IP_ARGS(peer), pport, n, modes[m].what);
	for (i = 0; i < n; i++) {
		r = round_trip(sock, peer, pport, i);
		if (r < 0) {
			printf("ash-rogue: datagram %u: %s\n", i, exos_errname(r));
			break;
		}
		arrived += (uint32_t)r;
	}
	printf("ash-rogue: the ASH started %u times; %u of %u echoes reached the ring\n",
	       rogue_ash_runs, arrived, n);
	if (arrived != n || rogue_ash_runs != n) {
		printf("ash-rogue BAD\n");
		return 1;
	}
	printf("ash-rogue ok %s\n", modes[m].name);
	return 0;
}
