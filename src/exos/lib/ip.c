/*
 * ip.c: IPv4 headers (RFC 791), the Internet checksum (RFC 1071) and
 * checking a received UDP datagram (RFC 768), with its checksum over the
 * pseudo-header (source, destination, protocol, UDP length).
 */
#include "net.h"

static uint32_t ip_id;			/* identification of the next datagram */

typedef uint16_t half __attribute__((may_alias));

/*
 * On this little-endian CPU a halfword load reads a big-endian field
 * byte-swapped; the one's complement sum of swapped halfwords is the
 * swapped sum (RFC 1071, sec. 2B), so an even-aligned run is summed a
 * halfword at a time, folded and swapped back once.
 */
uint32_t ip_sum(const uint8_t *p, uint32_t len, uint32_t sum)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (((uintptr_t)p & 1) == 0 && len >= 2) {
		const half *h = (const half *)p;
		uint32_t s = 0;

		for (; len >= 2; len -= 2)
			s += *h++;
		p = (const uint8_t *)h;
		s = (s & 0xffff) + (s >> 16);
		s = (s & 0xffff) + (s >> 16);
		sum += (s & 0xff) << 8 | s >> 8;
	}
#endif
	for (; len >= 2; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

uint32_t ip_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

void ip_header(uint8_t *ip, uint32_t src, uint32_t dst, uint32_t proto, uint32_t payload)
{
	ip[IP_VHL] = 0x40 | IP_HLEN / 4;
	ip[IP_TOS] = 0;
	put16(ip + IP_LEN, IP_HLEN + payload);
	put16(ip + IP_ID, ip_id++);
	put16(ip + IP_FRAG, 0);
	ip[IP_TTL] = IP_TTL_DEFAULT;
	ip[IP_PROTO] = (uint8_t)proto;
	put16(ip + IP_SUM, 0);
	put32(ip + IP_SRC, src);
	put32(ip + IP_DST, dst);
	put16(ip + IP_SUM, ip_fold(ip_sum(ip, IP_HLEN, 0)));
}

int ip_aton(const char *s, uint32_t *ip)
{
	uint32_t v = 0, part, digits, i;

	for (i = 0; i < 4; i++) {
		for (part = 0, digits = 0; *s >= '0' && *s <= '9' && digits < 4; s++, digits++)
			part = part * 10 + (uint32_t)(*s - '0');
		if (digits == 0 || digits > 3 || part > 255 || *s != (i < 3 ? '.' : '\0'))
			return E_Inval;
		v = v << 8 | part;
		s++;
	}
	*ip = v;
	return 0;
}

/* The pseudo-header's part of a UDP checksum sum. */
static uint32_t pseudo_sum(uint32_t src, uint32_t dst, uint32_t ulen)
{
	return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + IP_PROTO_UDP + ulen;
}

uint32_t udp_checksum(uint32_t src, uint32_t dst, const uint8_t *udp, uint32_t ulen)
{
	uint32_t sum = ip_fold(ip_sum(udp, ulen, pseudo_sum(src, dst, ulen)));

	return sum ? sum : 0xffff;
}

/* Checks the IPv4 header at f + ETH_HLEN; returns its length, or 0 (counted in bad_ip). */
static uint32_t ip_check(const uint8_t *f, uint32_t len)
{
	const uint8_t *ip = f + ETH_HLEN;
	uint32_t hlen = (ip[IP_VHL] & 0x0f) * 4u;

	if (len < ETH_HLEN + IP_HLEN || get16(f + ETH_TYPE) != ETH_TYPE_IP ||
	    (ip[IP_VHL] & 0xf0) != 0x40 || hlen < IP_HLEN ||
	    get16(ip + IP_LEN) < hlen || ETH_HLEN + get16(ip + IP_LEN) > len ||
	    (get16(ip + IP_FRAG) & IP_FRAG_MORE_OFF) != 0 ||
	    ip_fold(ip_sum(ip, hlen, 0)) != 0) {
		net_stats.bad_ip++;
		return 0;
	}
	return hlen;
}

int udp_parse(const uint8_t *f, uint32_t len, struct udp_dgram *d)
{
	const uint8_t *ip = f + ETH_HLEN, *udp;
	uint32_t hlen = ip_check(f, len), ulen;

	if (hlen == 0)
		return E_Inval;
	if (ip[IP_PROTO] != IP_PROTO_UDP || get16(ip + IP_LEN) < hlen + UDP_HLEN) {
		net_stats.bad_udp++;
		return E_Inval;
	}
	udp = ip + hlen;
	ulen = get16(udp + UDP_ULEN);
	if (ulen < UDP_HLEN || ulen > get16(ip + IP_LEN) - hlen) {
		net_stats.bad_udp++;
		return E_Inval;
	}
	d->src = get32(ip + IP_SRC);
	d->dst = get32(ip + IP_DST);
	if (get16(udp + UDP_SUM) != 0 &&
	    ip_fold(ip_sum(udp, ulen, pseudo_sum(d->src, d->dst, ulen))) != 0) {
		net_stats.bad_udp_sum++;
		return E_Inval;
	}
	d->sport = get16(udp + UDP_SPORT);
	d->dport = get16(udp + UDP_DPORT);
	d->mac = f + ETH_SRC;
	d->data = udp + UDP_HLEN;
	d->len = ulen - UDP_HLEN;
	return 0;
}
