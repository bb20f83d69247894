/*
 * udp-echo: usage `udp-echo <ip> <port> [ash] [count]` (count 0 or
 * absent: forever).
 *
 * A UDP echo server on ExOS's sockets (net.h) with address ip: every
 * datagram to ip:port goes back to its sender, the same bytes from
 * ip:port. Without `ash` its own code does it, after net_wait wakes it.
 * With `ash` the socket's filter carries an ASH (udp-echo-ash.c) that the
 * kernel runs as each datagram arrives, so the answer goes out at once,
 * even while udp-echo is not scheduled; the program only wakes now and
 * then to count, and echoes with its own code what the ASH left in the
 * ring (datagrams longer than the ASH checks). Datagrams with a bad
 * checksum are dropped and counted. After `count` echoes it prints the
 * totals and "udp-echo ok". Replies go to the sender's Ethernet address
 * as its frame gave it (no ARP needed); ARP requests for ip are answered.
 */
#include "net.h"

/* How long the ASH-mode loop sleeps between looks at the ASH's counters (40 ms at 25 MHz). */
#define ASH_POLL	1000000u

extern volatile uint32_t echo_ash_echoed, echo_ash_left, echo_ash_send_errors;
uint32_t echo_ash(uint8_t *frame, uint32_t len);

static uint8_t buf[UDP_PAYLOAD_MAX];

/* Echoes datagrams until `count` have gone back (ASH's and ours); returns how many ours sent. */
static uint32_t serve(int sock, int ash, uint32_t count, uint32_t *errors)
{
	uint32_t mine = 0, ip, port;
	int n, r;

	while (!count || mine + echo_ash_echoed < count) {
		n = udp_recvfrom(sock, buf, sizeof buf, &ip, &port, ash ? ASH_POLL : NET_FOREVER);
		if (n == UDP_TIMEOUT)
			continue;
		if (n < 0) {
			printf("udp-echo: recvfrom: %s\n", exos_errname(n));
			(*errors)++;
			break;
		}
		r = udp_sendto(sock, ip, port, buf, (uint32_t)n);
		if (r < 0) {
			printf("udp-echo: sendto " IP_FMT ":%u: %s\n", IP_ARGS(ip), port, exos_errname(r));
			(*errors)++;
		} else {
			mine++;
		}
	}
	return mine;
}

int main(int argc, char **argv)
{
	uint32_t ip, port, count = 0, mine, errors = 0;
	int ash = 0, arg = 3, sock, r;

	if (argc < 3 || ip_aton(argv[1], &ip) < 0 || (port = strtoul(argv[2], 0, 0)) == 0 || port > 0xffff) {
		printf("usage: udp-echo <ip> <port> [ash] [count]\n");
		return 2;
	}
	if (argc > arg && strcmp(argv[arg], "ash") == 0) {
		ash = 1;
		arg++;
	}
	if (argc > arg)
		count = strtoul(argv[arg], 0, 0);
	r = net_init(ip);
	if (r < 0) {
		printf("udp-echo: net_init: %s\n", exos_errname(r));
		return 1;
	}
	sock = ash ? udp_socket_ash(port, echo_ash) : udp_socket(port);
	if (sock < 0) {
		printf("udp-echo: socket on port %u: %s\n", port, exos_errname(sock));
		return 1;
	}
	printf("udp-echo: " IP_FMT " port %u, mac " MAC_FMT ", echoing with %s, ",
	       IP_ARGS(ip), port, MAC_ARGS(net_mac), ash ? "an ASH" : "its own code");
	if (count)
		printf("%u datagrams\n", count);
	else
		printf("forever\n");
	mine = serve(sock, ash, count, &errors);
	printf("udp-echo: echoed %u datagrams (%u by the ASH, %u by its own code)\n",
	       echo_ash_echoed + mine, echo_ash_echoed, mine);
	printf("udp-echo: dropped %u bad IP, %u bad UDP, %u bad UDP checksums; %u ARP requests answered\n",
	       net_stats.bad_ip, net_stats.bad_udp, net_stats.bad_udp_sum, net_stats.arp_answered);
	if (echo_ash_send_errors || net_stats.tx_errors)
		printf("udp-echo: %u sends refused\n", echo_ash_send_errors + net_stats.tx_errors);
	errors += echo_ash_send_errors;
	printf("udp-echo %s\n", errors ? "BAD" : "ok");
	return errors ? 1 : 0;
}
