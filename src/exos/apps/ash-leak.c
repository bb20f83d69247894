/*
 * ash-leak: usage `ash-leak <ip> <plant|read> [n]` (n default 4).
 *
 * Two environments, one sandbox: the kernel runs every environment's ASH
 * on one CPU of its own, and nothing one ASH leaves in it may reach the
 * next (issue: the ASH sandbox leaked a load in flight and HI/LO between
 * environments). With mode plant, this program's ASH (ash-leak-ash.S)
 * fills the CPU with a secret and is cut off by its budget in the middle
 * of loads; with mode read, its ASH records every register, HI and LO as
 * it finds them on entry. Each listens on LEAK_PORT at ip and waits for n
 * datagrams (the scenario sends them, to the planter first each time).
 *
 * The reader checks every record: on entry an ASH holds the frame's
 * address in a0, its length in a1, ASH_RETURN in ra and zero everywhere
 * else ($at is the record's base, so it is not checked). It prints each
 * register that held anything else, then "ash-leak ok read" when no run
 * saw anything, or "ash-leak LEAK" (exit 1). The planter prints
 * "ash-leak ok plant" when its ASH ran for every datagram.
 */
#include "net.h"

#define LEAK_PORT	6002
#define LEAK_WAIT	50000000u	/* 2 s at 25 MHz */
#define LEAK_WORDS	34		/* $1..$31, hi, lo, runs */
#define LEAK_RUNS	33

uint32_t leak_ash_plant(uint8_t *frame, uint32_t len);
uint32_t leak_ash_read(uint8_t *frame, uint32_t len);

/* The planter's secret, its ASH's run count, and the reader's record (all ours, mapped). */
volatile uint32_t leak_secret = 0x5ec2e7edu;
volatile uint32_t leak_runs;
volatile uint32_t leak_dump[LEAK_WORDS];

static uint8_t in[UDP_PAYLOAD_MAX];

static const char *const names[LEAK_WORDS - 1] = {
	"at", "v0", "v1", "a0", "a1", "a2", "a3", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7",
	"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "t8", "t9", "k0", "k1", "gp", "sp", "fp",
	"ra", "hi", "lo",
};

/* Checks the reader's record of one run (frame length len). Returns how many registers held what they should not. */
static int check_record(uint32_t run, uint32_t len)
{
	uint32_t j, reg, want;
	int bad = 0;

	for (j = 1; j < LEAK_RUNS; j++) {	/* leak_dump[j] holds $(j+1), then hi and lo; $at is the base */
		reg = j + 1;
		if (reg == 4)		/* a0: the frame, somewhere in our ring */
			want = leak_dump[j] >= EXOS_RING_BASE && leak_dump[j] < EXOS_RING_BASE + UDP_SOCKETS * EXOS_RING_STRIDE ? leak_dump[j] : 0;
		else
			want = reg == 5 ? len : reg == 31 ? ASH_RETURN : 0;
		if (leak_dump[j] != want) {
			printf("ash-leak: run %u found 0x%08x in %s\n", run, leak_dump[j], names[j]);
			bad++;
		}
	}
	return bad;
}

/* Waits for n datagrams on sock; the reader checks its ASH's record after each. Returns the number of bad registers, or -1. */
static int listen(int sock, uint32_t n, int read)
{
	uint32_t ip, port, i;
	int len, bad = 0;

	for (i = 0; i < n; i++) {
		len = udp_recvfrom(sock, in, sizeof in, &ip, &port, LEAK_WAIT);
		if (len < 0) {
			printf("ash-leak: datagram %u: %s\n", i, exos_errname(len));
			return -1;
		}
		if (read)
			bad += check_record(i, (uint32_t)len + ETH_HLEN + IP_HLEN + UDP_HLEN);
	}
	return bad;
}

int main(int argc, char **argv)
{
	uint32_t ip, n = 4;
	int sock, read, bad, r;

	if (argc < 3 || ip_aton(argv[1], &ip) < 0 || (strcmp(argv[2], "plant") != 0 && strcmp(argv[2], "read") != 0)) {
		printf("usage: ash-leak <ip> <plant|read> [n]\n");
		return 2;
	}
	read = strcmp(argv[2], "read") == 0;
	if (argc > 3)
		n = strtoul(argv[3], 0, 0);
	r = net_init(ip);
	if (r < 0) {
		printf("ash-leak: net_init: %s\n", exos_errname(r));
		return 1;
	}
	sock = udp_socket_ash(LEAK_PORT, read ? leak_ash_read : leak_ash_plant);
	if (sock < 0) {
		printf("ash-leak: socket: %s\n", exos_errname(sock));
		return 1;
	}
	printf("ash-leak: " IP_FMT " port %u, %s, %u datagrams\n", IP_ARGS(ip), LEAK_PORT, argv[2], n);
	bad = listen(sock, n, read);
	if (bad < 0)
		return 1;
	if (!read) {
		printf("ash-leak: the planting ASH ran %u times\n", leak_runs);
		if (leak_runs != n)
			return 1;
		printf("ash-leak ok plant\n");
		return 0;
	}
	printf("ash-leak: the reading ASH ran %u times; %d registers held another's data\n", leak_dump[LEAK_RUNS], bad);
	if (bad || leak_dump[LEAK_RUNS] != n) {
		printf("ash-leak LEAK\n");
		return 1;
	}
	printf("ash-leak ok read\n");
	return 0;
}
