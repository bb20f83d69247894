/*
 * inet.c: Ethernet, ARP (RFC 826), IPv4 (RFC 791, no options, no
 * fragments) and UDP (RFC 768) sockets for the LANCE driver (net.c).
 *
 * A socket is bound to a UDP port and keeps up to SOCKQ datagrams that
 * arrived for it; recvfrom sleeps until one is there. sendto resolves the
 * destination with ARP (sleeping on the clock between requests) and
 * transmits at once. All numbers on the wire are big-endian.
 */
#include "defs.h"
#include "param.h"
#include "proc.h"
#include "net.h"
#include "syscall.h"

#define NSOCK		4
#define SOCKQ		4
#define NARP		8
#define ARP_TRIES	4
#define ARP_WAIT	8		/* clock ticks per ARP request */
#define EPHEMERAL	49152
#define ETYPE_IP	0x0800
#define ETYPE_ARP	0x0806
#define IPPROTO_UDP	17
#define EADDRINUSE	98
#define EHOSTUNREACH	113
#define EMSGSIZE	90

struct dgram {
	uint32_t ip, port, len;
	uint8_t data[UDP_MAXDATA];
};

struct sock {
	int used;
	uint32_t port;			/* bound port, 0 if none */
	uint32_t head, tail;		/* datagrams queued: tail - head */
	struct dgram q[SOCKQ];
};


static struct sock socks[NSOCK];
static struct { uint32_t ip; uint8_t mac[6]; } arpcache[NARP];
static uint32_t narp, my_ip, next_port = EPHEMERAL, ip_id;
static uint8_t out[1514];
uint32_t udp_dropped;			/* datagrams with no socket or a full queue */

static uint32_t get16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }
static uint32_t get32(const uint8_t *p) { return get16(p) << 16 | get16(p + 2); }
static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v); }

/* The one's-complement sum of n bytes, folded into sum (RFC 1071). */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, uint32_t n)
{
	uint32_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += get16(p + i);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static uint32_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* Sets the interface's IPv4 address (host order); 0. */
int net_config(uint32_t ip)
{
	my_ip = ip;
	return 0;
}

/* Returns the cached MAC for ip, or 0. */
static const uint8_t *arp_lookup(uint32_t ip)
{
	uint32_t i;

	for (i = 0; i < narp; i++)
		if (arpcache[i].ip == ip)
			return arpcache[i].mac;
	return 0;
}

/* Remembers ip's MAC (replacing the oldest entry when full) and wakes ARP waiters. */
static void arp_learn(uint32_t ip, const uint8_t *mac)
{
	uint32_t i;

	for (i = 0; i < narp && arpcache[i].ip != ip; i++)
		;
	if (i == NARP) {
		memmove(arpcache, arpcache + 1, sizeof arpcache[0] * (NARP - 1));
		i = NARP - 1;
	} else if (i == narp) {
		narp++;
	}
	arpcache[i].ip = ip;
	memcpy(arpcache[i].mac, mac, 6);
	wakeup(arpcache);
}

/* Writes an Ethernet header into out. */
static void eth_header(const uint8_t *dst, uint32_t type)
{
	memcpy(out, dst, 6);
	memcpy(out + 6, net_mac, 6);
	put16(out + 12, type);
}

/* Sends an ARP request (op 1) or reply (op 2) to tha/tip. */
static void arp_send(uint32_t op, const uint8_t *tha, uint32_t tip)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t *a = out + ETH_HLEN;

	eth_header(op == 1 ? bcast : tha, ETYPE_ARP);
	put16(a, 1), put16(a + 2, ETYPE_IP), a[4] = 6, a[5] = 4, put16(a + 6, op);
	memcpy(a + 8, net_mac, 6), put32(a + 14, my_ip);
	memcpy(a + 18, tha, 6), put32(a + 24, tip);
	net_send(out, ETH_HLEN + 28);
}

/* Finds ip's MAC, asking with ARP; 0 and *mac set, or -EHOSTUNREACH/-EINTR. */
static int arp_resolve(uint32_t ip, const uint8_t **mac)
{
	static const uint8_t zero[6];
	uint32_t try, start;

	for (try = 0; try < ARP_TRIES; try++) {
		if ((*mac = arp_lookup(ip)))
			return 0;
		arp_send(1, zero, ip);
		for (start = ticks; !arp_lookup(ip) && ticks - start < ARP_WAIT;) {
			if (sig_pending(curproc))
				return -EINTR;
			sleep((void *)&ticks);
		}
	}
	return (*mac = arp_lookup(ip)) ? 0 : -EHOSTUNREACH;
}

/* An ARP packet: learns the sender; answers a request for our address. */
static void arp_input(const uint8_t *a, uint32_t len)
{
	if (len < 28 || get16(a) != 1 || get16(a + 2) != ETYPE_IP || a[4] != 6 || a[5] != 4)
		return;
	if (get32(a + 24) != my_ip || !my_ip)
		return;
	arp_learn(get32(a + 14), a + 8);
	if (get16(a + 6) == 1)
		arp_send(2, a + 8, get32(a + 14));
}

/* A UDP datagram for us: queued on the socket bound to its port, or dropped. */
static void udp_input(uint32_t src, const uint8_t *u, uint32_t len)
{
	uint32_t ulen = get16(u + 4), port = get16(u + 2);
	struct sock *s;
	struct dgram *d;

	if (len < UDP_HLEN || ulen < UDP_HLEN || ulen > len)
		return;
	for (s = socks; s < &socks[NSOCK]; s++)
		if (s->used && s->port == port)
			break;
	if (s == &socks[NSOCK] || s->tail - s->head == SOCKQ) {
		udp_dropped++;
		return;
	}
	d = &s->q[s->tail % SOCKQ];
	d->ip = src;
	d->port = get16(u);
	d->len = ulen - UDP_HLEN;
	memcpy(d->data, u + UDP_HLEN, d->len);
	s->tail++;
	wakeup(s);
}

/* A frame from the driver: ARP, or IPv4 carrying UDP to our address. */
void ether_input(const uint8_t *f, uint32_t len)
{
	const uint8_t *ip = f + ETH_HLEN;
	uint32_t tlen;

	if (len < ETH_HLEN)
		return;
	if (get16(f + 12) == ETYPE_ARP) {
		arp_input(ip, len - ETH_HLEN);
		return;
	}
	if (get16(f + 12) != ETYPE_IP || len < ETH_HLEN + IP_HLEN || ip[0] != 0x45)
		return;
	tlen = get16(ip + 2);
	if (tlen < IP_HLEN || tlen > len - ETH_HLEN || csum_fold(csum_add(0, ip, IP_HLEN)) != 0)
		return;
	if (ip[9] != IPPROTO_UDP || get32(ip + 16) != my_ip || (get16(ip + 6) & 0x3fff))
		return;
	udp_input(get32(ip + 12), ip + IP_HLEN, tlen - IP_HLEN);
}

/* Returns an unused socket, unbound, or 0. */
struct sock *sock_alloc(void)
{
	struct sock *s;

	for (s = socks; s < &socks[NSOCK]; s++)
		if (!s->used) {
			memset(s, 0, sizeof *s);
			s->used = 1;
			return s;
		}
	return 0;
}

/* Frees a socket and whatever it had queued. */
void sock_close(struct sock *s)
{
	s->used = 0;
	s->port = 0;
}

/* Binds s to port (1..65535; 0 picks a free ephemeral one); 0, -EINVAL or -EADDRINUSE. */
int sock_bind(struct sock *s, uint32_t port)
{
	struct sock *o;

	if (port > 0xffff || s->port)
		return -EINVAL;
	if (port == 0) {
		port = next_port;
		next_port = next_port == 0xffff ? EPHEMERAL : next_port + 1;
	}
	for (o = socks; o < &socks[NSOCK]; o++)
		if (o->used && o->port == port)
			return -EADDRINUSE;
	s->port = port;
	return 0;
}

/* Builds the IPv4 and UDP headers in out around len bytes of data already at their place. */
static uint32_t udp_frame(struct sock *s, uint32_t dst, uint32_t dport, uint32_t len)
{
	uint8_t *ip = out + ETH_HLEN, *u = ip + IP_HLEN;
	uint32_t sum;

	memset(ip, 0, IP_HLEN);
	ip[0] = 0x45, put16(ip + 2, IP_HLEN + UDP_HLEN + len), put16(ip + 4, ip_id++);
	ip[8] = 64, ip[9] = IPPROTO_UDP, put32(ip + 12, my_ip), put32(ip + 16, dst);
	put16(ip + 10, csum_fold(csum_add(0, ip, IP_HLEN)));
	put16(u, s->port), put16(u + 2, dport), put16(u + 4, UDP_HLEN + len), put16(u + 6, 0);
	sum = csum_add(0, ip + 12, 8) + IPPROTO_UDP + UDP_HLEN + len;
	sum = csum_fold(csum_add(sum, u, UDP_HLEN + len));
	put16(u + 6, sum ? sum : 0xffff);
	return ETH_HLEN + IP_HLEN + UDP_HLEN + len;
}

/*
 * sendto: sends len bytes from user address buf to the address at user
 * address addr (struct sockaddr_in); binds an ephemeral port first if
 * needed. Returns len, or -EFAULT, -EMSGSIZE, -EHOSTUNREACH, -EAGAIN.
 */
int sock_sendto(struct sock *s, uint32_t buf, uint32_t len, uint32_t addr)
{
	struct sockaddr_in to;
	const uint8_t *mac;
	int err;

	if (copyin(curproc, &to, addr, sizeof to) < 0)
		return -EFAULT;
	if (len > UDP_MAXDATA)
		return -EMSGSIZE;
	if (to.port == 0 || to.port > 0xffff || !my_ip)
		return -EINVAL;
	if (!s->port && (err = sock_bind(s, 0)) < 0)
		return err;
	if ((err = arp_resolve(to.ip, &mac)) < 0)
		return err;
	if (copyin(curproc, out + ETH_HLEN + IP_HLEN + UDP_HLEN, buf, len) < 0)
		return -EFAULT;
	eth_header(mac, ETYPE_IP);
	err = net_send(out, udp_frame(s, to.ip, to.port, len));
	return err < 0 ? err : (int)len;
}

/*
 * recvfrom: sleeps until a datagram is queued, copies up to len bytes of
 * it to user address buf (the rest is dropped) and its source to addr
 * (unless 0). Returns the bytes copied, -EINVAL if unbound, -EINTR, -EFAULT.
 */
int sock_recvfrom(struct sock *s, uint32_t buf, uint32_t len, uint32_t addr)
{
	struct dgram *d;
	struct sockaddr_in from;

	if (!s->port)
		return -EINVAL;
	while (s->tail == s->head) {
		if (sig_pending(curproc))
			return -EINTR;
		sleep(s);
	}
	d = &s->q[s->head % SOCKQ];
	if (len > d->len)
		len = d->len;
	from.ip = d->ip, from.port = d->port;
	if (copyout(curproc, buf, d->data, len) < 0 ||
	    (addr && copyout(curproc, addr, &from, sizeof from) < 0))
		return -EFAULT;
	s->head++;
	return (int)len;
}
