/*
 * net.c: the interface as one environment sees it: its IP address, the
 * machine's Ethernet address, the ARP ring, sending frames, and waiting
 * for them with net_wait while serving ARP.
 */
#include "net.h"

/* The ARP ring: one page of short slots (an ARP frame is 42 bytes, 60 padded). */
#define ARP_RING_PAGES	1
#define ARP_SLOT_SIZE	128
/* Longest single net_wait (the kernel's argument is a cycle count; stay clear of the sign bit). */
#define NET_WAIT_MAX	0x10000000u

struct net_stats net_stats;
uint32_t net_ip;
uint8_t net_mac[ETH_ALEN] __attribute__((aligned(4)));

static struct ring arp_ring;

int net_init(uint32_t ip)
{
	struct dpf_filter f;
	uint32_t i;
	int r;

	for (i = 0; i < ETH_ALEN; i++)
		net_mac[i] = *(volatile const uint8_t *)(LAYOUT_INFO + INFO_MAC + i);
	net_ip = ip;
	r = ring_create(&arp_ring, ARP_RING_PAGES, ARP_SLOT_SIZE);
	if (r < 0)
		return r;
	dpf_init(&f);
	dpf_arp_target(&f, ip);
	r = dpf_insert(&f, arp_ring.id, 0);
	return r < 0 ? r : 0;
}

uint32_t net_poll(void)
{
	uint32_t len, n = 0;
	uint8_t *f;

	while ((f = ring_peek(&arp_ring, &len)) != 0) {
		arp_input(f, len);
		ring_next(&arp_ring);
		n++;
	}
	return n;
}

int net_wait_step(const struct ring *r, uint32_t cycles)
{
	uint32_t before;
	int n;

	if (net_poll() || (r && ring_waiting(r)))
		return 1;
	if (cycles == 0)
		return 0;
	before = ring_waiting_all();
	n = sys_net_wait(cycles > NET_WAIT_MAX ? NET_WAIT_MAX : cycles);
	if (n < 0)
		return n;
	if (net_poll() || (r && ring_waiting(r)))
		return 1;
	return (uint32_t)n > before;
}

int net_send(uint8_t *buf, uint32_t len)
{
	int r;

	if (len < ETH_HLEN || len > ETH_FRAME_MAX)
		return E_Inval;
	if (len < ETH_ZLEN) {
		memset(buf + len, 0, ETH_ZLEN - len);
		len = ETH_ZLEN;
	}
	r = sys_net_send(buf, len);
	if (r < 0)
		net_stats.tx_errors++;
	else
		net_stats.tx_frames++;
	return r;
}

void eth_header(uint8_t *f, const uint8_t *dst, uint32_t type)
{
	memcpy(f + ETH_DST, dst, ETH_ALEN);
	memcpy(f + ETH_SRC, net_mac, ETH_ALEN);
	put16(f + ETH_TYPE, type);
}
