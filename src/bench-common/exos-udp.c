/*
 * exos-udp.c: bench.h's UDP calls for ExOS (its library network stack,
 * src/exos/lib/net.h: DPF filters, packet rings, ARP, IPv4, UDP). Linked
 * only into the UDP programs, with exos.c.
 */
#include "net.h"
#include "bench.h"

#define RECV_WAIT	25000000u	/* 1 s at 25 MHz: then the datagram counts as lost */

int bench_udp_open(uint32_t ip, uint32_t port)
{
	int r = net_init(ip);

	return r < 0 ? r : udp_socket(port);
}

int bench_udp_send(int sock, uint32_t ip, uint32_t port, const void *buf, uint32_t n)
{
	return udp_sendto(sock, ip, port, buf, n);
}

int bench_udp_recv(int sock, void *buf, uint32_t n, uint32_t *ip, uint32_t *port)
{
	return udp_recvfrom(sock, buf, n, ip, port, RECV_WAIT);
}
