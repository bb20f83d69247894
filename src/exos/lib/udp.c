/*
 * udp.c: UDP sockets over packet rings. Each socket owns a ring and one
 * DPF filter (our IP, its port), optionally with an ASH; receiving reads
 * its ring, so demultiplexing is the kernel's filter and nothing here.
 */
#include "net.h"

#define FRAME_HLEN	(ETH_HLEN + IP_HLEN + UDP_HLEN)

struct udp_sock {
	int open;
	uint32_t port;
	int filter;			/* the kernel's filter id */
	int has_ring;			/* ring made (kept after close, for the next socket) */
	struct ring ring;
};

static struct udp_sock socks[UDP_SOCKETS];
/* Datagrams are built here (.bss: guaranteed, so net_send always finds it mapped). */
static uint8_t udp_tx[ETH_FRAME_MAX + 2] __attribute__((aligned(4)));

/* The open socket numbered sock, or 0. */
static struct udp_sock *sock_get(int sock)
{
	return sock >= 0 && sock < UDP_SOCKETS && socks[sock].open ? &socks[sock] : 0;
}

int udp_socket(uint32_t port)
{
	return udp_socket_ash(port, 0);
}

int udp_socket_ash(uint32_t port, net_ash_t *ash)
{
	struct dpf_filter f;
	struct udp_sock *s = 0;
	int i, r;

	if (port == 0 || port > 0xffff)
		return E_Inval;
	for (i = UDP_SOCKETS - 1; i >= 0; i--) {
		if (socks[i].open && socks[i].port == port)
			return E_Busy;
		if (!socks[i].open)
			s = &socks[i];
	}
	if (!s)
		return E_NoSpc;
	if (!s->has_ring) {
		r = ring_create(&s->ring, UDP_RING_PAGES, UDP_SLOT_SIZE);
		if (r < 0)
			return r;
		s->has_ring = 1;
	}
	ring_flush(&s->ring);
	dpf_init(&f);
	dpf_eth_type(&f, ETH_TYPE_IP);
	dpf_ip_proto(&f, IP_PROTO_UDP);
	dpf_ip_dst(&f, net_ip);
	dpf_udp_dport(&f, port);
	r = dpf_insert(&f, s->ring.id, ash);
	if (r < 0)
		return r;
	s->filter = r;
	s->port = port;
	s->open = 1;
	return (int)(s - socks);
}

int udp_close(int sock)
{
	struct udp_sock *s = sock_get(sock);
	int r;

	if (!s)
		return E_Inval;
	r = dpf_remove(s->filter);
	ring_flush(&s->ring);
	s->open = 0;
	return r < 0 ? r : 0;
}

const struct ring *udp_ring(int sock)
{
	struct udp_sock *s = sock_get(sock);

	return s ? &s->ring : 0;
}

int udp_sendto(int sock, uint32_t ip, uint32_t port, const void *buf, uint32_t len)
{
	struct udp_sock *s = sock_get(sock);
	uint8_t mac[ETH_ALEN], *ih = udp_tx + ETH_HLEN, *uh = ih + IP_HLEN;
	int r;

	if (!s || len > UDP_PAYLOAD_MAX || port == 0 || port > 0xffff)
		return E_Inval;
	r = arp_resolve(ip, mac);
	if (r < 0)
		return r;
	eth_header(udp_tx, mac, ETH_TYPE_IP);
	ip_header(ih, net_ip, ip, IP_PROTO_UDP, UDP_HLEN + len);
	put16(uh + UDP_SPORT, s->port);
	put16(uh + UDP_DPORT, port);
	put16(uh + UDP_ULEN, UDP_HLEN + len);
	put16(uh + UDP_SUM, 0);
	memcpy(uh + UDP_HLEN, buf, len);
	put16(uh + UDP_SUM, udp_checksum(net_ip, ip, uh, UDP_HLEN + len));
	r = net_send(udp_tx, FRAME_HLEN + len);
	return r < 0 ? r : (int)len;
}

/*
 * Takes the oldest frame of s's ring: a good datagram is copied out (and
 * its sender learned), a bad one dropped. Returns the bytes copied, or
 * E_Inval for a bad one, or E_NoEnt when the ring is empty.
 */
static int take(struct udp_sock *s, void *buf, uint32_t max, uint32_t *ip, uint32_t *port)
{
	struct udp_dgram d;
	uint32_t len, n;
	uint8_t *f = ring_peek(&s->ring, &len);

	if (!f)
		return E_NoEnt;
	if (udp_parse(f, len, &d) < 0 || d.dst != net_ip || d.dport != s->port) {
		ring_next(&s->ring);
		return E_Inval;
	}
	arp_learn(d.src, d.mac);
	n = d.len < max ? d.len : max;
	memcpy(buf, d.data, n);
	if (ip)
		*ip = d.src;
	if (port)
		*port = d.sport;
	ring_next(&s->ring);
	net_stats.udp_in++;
	return (int)n;
}

int udp_recvfrom(int sock, void *buf, uint32_t max, uint32_t *ip, uint32_t *port, uint32_t timeout)
{
	struct udp_sock *s = sock_get(sock);
	int r;

	if (!s)
		return E_Inval;
	for (;;) {
		while ((r = take(s, buf, max, ip, port)) != E_NoEnt)
			if (r >= 0)
				return r;
		r = net_wait_step(&s->ring, timeout);
		if (r < 0)
			return r;
		if (r == 0 && timeout != NET_FOREVER)
			return UDP_TIMEOUT;
	}
}
