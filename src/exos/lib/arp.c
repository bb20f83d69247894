/*
 * arp.c: ARP for IPv4 over Ethernet (RFC 826) at user level: a small
 * cache, requests, and answers to requests for our IP. The ARP filter
 * (net.c) brings only packets whose target is our IP, so every packet
 * here is about us: its sender is learned, and a request is answered.
 */
#include "net.h"

struct arp_entry {
	uint32_t ip;			/* 0: unused */
	uint8_t mac[ETH_ALEN];
};

static struct arp_entry cache[ARP_CACHE_SIZE];
static uint32_t victim;			/* next entry to replace */
/* ARP frames are built here, apart from udp.c's buffer (an answer may go out while a datagram is being built). */
static uint8_t arp_tx[ETH_ZLEN] __attribute__((aligned(4)));

static const uint8_t broadcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

int arp_lookup(uint32_t ip, uint8_t *mac)
{
	uint32_t i;

	for (i = 0; i < ARP_CACHE_SIZE; i++) {
		if (cache[i].ip == ip && ip != 0) {
			memcpy(mac, cache[i].mac, ETH_ALEN);
			return 1;
		}
	}
	return 0;
}

void arp_learn(uint32_t ip, const uint8_t *mac)
{
	uint32_t i;

	if (ip == 0 || (mac[0] & 1))	/* no address, or a multicast sender */
		return;
	for (i = 0; i < ARP_CACHE_SIZE; i++) {
		if (cache[i].ip == ip) {
			memcpy(cache[i].mac, mac, ETH_ALEN);
			return;
		}
	}
	cache[victim].ip = ip;
	memcpy(cache[victim].mac, mac, ETH_ALEN);
	victim = (victim + 1) % ARP_CACHE_SIZE;
}

/* Builds an ARP packet of operation `oper` to Ethernet dst, about tha/tpa, in arp_tx, and sends it. */
static int arp_send(uint32_t oper, const uint8_t *dst, const uint8_t *tha, uint32_t tpa)
{
	uint8_t *a = arp_tx + ETH_HLEN;

	eth_header(arp_tx, dst, ETH_TYPE_ARP);
	put16(a + ARP_HTYPE, ARP_HTYPE_ETH);
	put16(a + ARP_PTYPE, ETH_TYPE_IP);
	a[ARP_HLEN] = ETH_ALEN;
	a[ARP_PLEN] = 4;
	put16(a + ARP_OPER, oper);
	memcpy(a + ARP_SHA, net_mac, ETH_ALEN);
	put32(a + ARP_SPA, net_ip);
	memcpy(a + ARP_THA, tha, ETH_ALEN);
	put32(a + ARP_TPA, tpa);
	return net_send(arp_tx, ETH_HLEN + ARP_LEN);
}

void arp_input(const uint8_t *f, uint32_t len)
{
	const uint8_t *a = f + ETH_HLEN;
	uint32_t spa;

	net_stats.arp_in++;
	if (len < ETH_HLEN + ARP_LEN || get16(f + ETH_TYPE) != ETH_TYPE_ARP ||
	    get16(a + ARP_HTYPE) != ARP_HTYPE_ETH || get16(a + ARP_PTYPE) != ETH_TYPE_IP ||
	    a[ARP_HLEN] != ETH_ALEN || a[ARP_PLEN] != 4 || get32(a + ARP_TPA) != net_ip) {
		net_stats.arp_bad++;
		return;
	}
	spa = get32(a + ARP_SPA);
	arp_learn(spa, a + ARP_SHA);
	if (get16(a + ARP_OPER) == ARP_REQUEST && spa != 0 && arp_send(ARP_REPLY, a + ARP_SHA, a + ARP_SHA, spa) >= 0)
		net_stats.arp_answered++;
}

int arp_request(uint32_t ip)
{
	static const uint8_t unknown[ETH_ALEN];

	net_stats.arp_requests++;
	return arp_send(ARP_REQUEST, broadcast, unknown, ip);
}

int arp_resolve(uint32_t ip, uint8_t *mac)
{
	uint32_t try;
	int r;

	if (arp_lookup(ip, mac))
		return 0;
	for (try = 0; try < ARP_TRIES; try++) {
		r = arp_request(ip);
		if (r < 0)
			return r;
		do {
			r = net_wait_step(0, ARP_WAIT);
			if (r < 0)
				return r;
			if (arp_lookup(ip, mac))
				return 0;
		} while (r > 0);
	}
	return E_NoEnt;
}
