/*
 * net.h: ExOS networking over packet rings (abi.ts: RingCreate, DpfInsert,
 * DpfRemove, NetSend, NetWait; the Ring and DpfAtom layouts; ASHs), in
 * ring.c, dpf.c, net.c, arp.c, ip.c and udp.c.
 *
 * The exokernel only demultiplexes: a DPF filter the library OS writes
 * (Engler and Kaashoek, DPF, SIGCOMM 1996) picks the frames that belong
 * to it, and the kernel copies each into a packet ring in the library
 * OS's own guaranteed memory, or first hands it to an ASH, code of the
 * library OS the kernel runs on arrival (Wallach et al., SIGCOMM 1996).
 * Everything else is here, at user level: Ethernet framing, ARP, IPv4,
 * UDP and a socket API.
 *
 * One environment, one IP address (net_init), the machine's one Ethernet
 * address (Info.MAC), shared by every environment. Its filters name its
 * own IP address, so the environments of one machine never claim each
 * other's packets (the kernel refuses a filter that would):
 *   ARP    eth type 0x0806, target protocol address == our IP   -> ARP ring
 *   socket eth type 0x0800, IPv4, unfragmented, protocol 17,
 *          destination == our IP, then a shift atom over the IP header
 *          length, UDP destination port == the socket's         -> its ring
 * ARP is served whenever ExOS waits (net_wait_step): requests for our IP
 * are answered, the answers to ours fill a small cache, and every UDP
 * datagram received teaches the cache its sender's Ethernet address.
 *
 * Rings live at EXOS_RING_BASE (one RING_PAGES_MAX-page window each),
 * on frames of our own mapped guaranteed, and are never given back (the
 * ABI has no call to unregister a ring): a closed socket's ring is kept
 * for the next socket. Every buffer the kernel reads (filters, frames to
 * send) is in .bss or a ring, which are guaranteed, so it never finds one
 * unmapped. Addresses and ports are host-order numbers here (10.0.0.2 is
 * 0x0a000002) and big-endian on the wire.
 */
#ifndef EXOS_NET_H
#define EXOS_NET_H

#include "exos.h"

/* Where rings are mapped: ring i at EXOS_RING_BASE + i * EXOS_RING_STRIDE. */
#define EXOS_RING_BASE		0x30000000u
#define EXOS_RING_STRIDE	(RING_PAGES_MAX * LAYOUT_PAGE)

/* ---- Ethernet, ARP, IPv4, UDP: sizes and byte offsets. ---- */

#define ETH_ALEN	6
#define ETH_HLEN	14		/* dst, src, type */
#define ETH_ZLEN	60		/* shortest frame (without the FCS); ExOS pads to it */
#define ETH_FRAME_MAX	1514		/* longest frame net_send takes */
#define ETH_DST		0
#define ETH_SRC		6
#define ETH_TYPE	12
#define ETH_TYPE_IP	0x0800
#define ETH_TYPE_ARP	0x0806

/* ARP for IPv4 over Ethernet (RFC 826); offsets from the ARP header. */
#define ARP_HTYPE	0
#define ARP_PTYPE	2
#define ARP_HLEN	4
#define ARP_PLEN	5
#define ARP_OPER	6
#define ARP_SHA		8
#define ARP_SPA		14
#define ARP_THA		18
#define ARP_TPA		24
#define ARP_LEN		28
#define ARP_HTYPE_ETH	1
#define ARP_REQUEST	1
#define ARP_REPLY	2

/* IPv4 (RFC 791); offsets from the IP header. */
#define IP_VHL		0		/* version (4) << 4 | header length in words */
#define IP_TOS		1
#define IP_LEN		2		/* total length */
#define IP_ID		4
#define IP_FRAG		6		/* flags (DF 0x4000, MF 0x2000) | fragment offset */
#define IP_TTL		8
#define IP_PROTO	9
#define IP_SUM		10
#define IP_SRC		12
#define IP_DST		16
#define IP_HLEN		20		/* without options, as ExOS sends it */
#define IP_FRAG_MORE_OFF 0x3fff		/* MF and the offset: 0 in an unfragmented datagram */
#define IP_PROTO_UDP	17
#define IP_TTL_DEFAULT	64

/* UDP (RFC 768); offsets from the UDP header. */
#define UDP_SPORT	0
#define UDP_DPORT	2
#define UDP_ULEN	4
#define UDP_SUM		6
#define UDP_HLEN	8
#define UDP_PAYLOAD_MAX	(ETH_FRAME_MAX - ETH_HLEN - IP_HLEN - UDP_HLEN)	/* 1472 */

/* printf("%u.%u.%u.%u", IP_ARGS(ip)) and printf(MAC_FMT, MAC_ARGS(mac)). */
#define IP_FMT		"%u.%u.%u.%u"
#define IP_ARGS(ip)	(unsigned)((ip) >> 24), (unsigned)(((ip) >> 16) & 0xff), \
			(unsigned)(((ip) >> 8) & 0xff), (unsigned)((ip) & 0xff)
#define MAC_FMT		"%02x:%02x:%02x:%02x:%02x:%02x"
#define MAC_ARGS(m)	(m)[0], (m)[1], (m)[2], (m)[3], (m)[4], (m)[5]

#ifndef __ASSEMBLER__

/* ---- Big-endian fields, byte by byte (frames are only halfword aligned). ---- */

static inline uint32_t get16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* ---- Packet rings (ring.c). ---- */

/* The ring as it lies in memory (abi.ts: Ring). The kernel writes head, slots and dropped. */
struct net_ring {
	volatile uint32_t head;		/* slots filled so far (the kernel's) */
	volatile uint32_t tail;		/* slots consumed so far (ours) */
	volatile uint32_t slots;
	volatile uint32_t slot_size;
	volatile uint32_t dropped;	/* frames lost to a full ring */
	uint32_t pad[3];
	uint8_t data[];			/* slot i: length word, then the frame */
};

/* ExOS's handle on one ring. */
struct ring {
	struct net_ring *mem;		/* the ring itself, in guaranteed memory */
	int id;				/* the kernel's ring id */
	uint32_t slots, slot_size;	/* as registered (the copy in memory is writable by us) */
};

/*
 * Maps `pages` (1..RING_PAGES_MAX) fresh zeroed frames of our own,
 * guaranteed and writable, at the next ring window, and registers them
 * as a ring of slot_size-byte slots (a multiple of 4, RING_SLOT_MIN..
 * RING_SLOT_MAX; as many slots as fit). Returns the ring id, or E_Inval,
 * E_NoSpc (RINGS_MAX rings made), or the error of frame_alloc, tlb_map or
 * ring_create (the frames are freed again).
 */
int ring_create(struct ring *r, uint32_t pages, uint32_t slot_size);

/* The oldest waiting frame and its length, or 0 when the ring is empty. */
uint8_t *ring_peek(const struct ring *r, uint32_t *len);

/* Gives the oldest waiting frame back to the kernel. Precondition: one is waiting. */
void ring_next(const struct ring *r);

/* Frames waiting in r; in every ring this environment made. */
uint32_t ring_waiting(const struct ring *r);
uint32_t ring_waiting_all(void);

/* Drops every waiting frame. */
void ring_flush(const struct ring *r);

/* ---- DPF filters (dpf.c). ---- */

/* Atoms a filter built here may hold (the kernel takes DPF_ATOMS_MAX). */
#define DPF_FILTER_ATOMS 16

/* One atom as the kernel reads it (abi.ts: DpfAtom). */
struct dpf_atom {
	uint32_t op;		/* kind | width << 8 | offset << 16 */
	uint32_t mask;
	uint32_t arg;		/* the value (Compare) or the shift (Shift) */
	uint32_t zero;
};

/*
 * A filter being built: a conjunction of atoms, in order. The helpers
 * append; an error (too many atoms, a bad width, an absolute-offset
 * helper after a shift) sticks in `err` and dpf_insert returns it, so a
 * filter is built without checking each step. Offsets are from the
 * current base: the frame's first byte until a shift atom moves it.
 */
struct dpf_filter {
	uint32_t n;
	int err;
	int shifted;		/* a shift atom moved the base */
	struct dpf_atom atom[DPF_FILTER_ATOMS];
};

/* An ASH (abi.ts: ASH_BUDGET): frame and length in, 1 (consumed) or 0 (to the ring) out. */
typedef uint32_t net_ash_t(uint8_t *frame, uint32_t len);

void dpf_init(struct dpf_filter *f);
/* The big-endian `width`-byte field at `offset`, masked, must equal value (masked too). */
void dpf_cmp(struct dpf_filter *f, uint32_t offset, uint32_t width, uint32_t mask, uint32_t value);
/* Moves the base forward by (field & mask) << shift bytes. */
void dpf_shift(struct dpf_filter *f, uint32_t offset, uint32_t width, uint32_t mask, uint32_t shift);
/* The Ethernet type. */
void dpf_eth_type(struct dpf_filter *f, uint32_t type);
/* An IPv4 datagram, unfragmented, of protocol `proto` (use after dpf_eth_type(ETH_TYPE_IP)). */
void dpf_ip_proto(struct dpf_filter *f, uint32_t proto);
/* IPv4 destination address. */
void dpf_ip_dst(struct dpf_filter *f, uint32_t ip);
/* A shift atom over the IP header length, then the UDP destination port; later atoms are relative to the UDP header. */
void dpf_udp_dport(struct dpf_filter *f, uint32_t port);
/* ARP (eth type 0x0806) whose target protocol address is ip. */
void dpf_arp_target(struct dpf_filter *f, uint32_t ip);
/*
 * Hands the filter to the kernel for ring `ring` with the ASH `ash` (0:
 * none). Returns the filter id, the builder's error, or dpf_insert's
 * (E_Busy: it would take packets another environment's filter claims).
 */
int dpf_insert(const struct dpf_filter *f, int ring, net_ash_t *ash);
/* Removes one of our filters. Returns 0 or E_Inval, E_Perm. */
int dpf_remove(int filter);

/* ---- The interface (net.c). ---- */

/* net_wait_step and udp_recvfrom: wait without end. */
#define NET_FOREVER	0xffffffffu

/* What ExOS's network code saw and did. */
struct net_stats {
	uint32_t tx_frames;		/* frames net_send took */
	uint32_t tx_errors;		/* frames net_send refused */
	uint32_t arp_in;		/* ARP packets read from the ARP ring */
	uint32_t arp_answered;		/* requests for our IP answered */
	uint32_t arp_requests;		/* requests we sent */
	uint32_t arp_bad;		/* ARP packets that were not IPv4-over-Ethernet */
	uint32_t udp_in;		/* datagrams delivered to a socket */
	uint32_t bad_ip;		/* frames dropped: malformed IPv4 or bad header checksum */
	uint32_t bad_udp;		/* datagrams dropped: malformed UDP */
	uint32_t bad_udp_sum;		/* datagrams dropped: bad UDP checksum */
};
extern struct net_stats net_stats;

/* Our IP address and Ethernet address (from Info.MAC); net_mac is halfword aligned, for ASHs. */
extern uint32_t net_ip;
extern uint8_t net_mac[ETH_ALEN] __attribute__((aligned(4)));

/*
 * Brings networking up with IP address `ip`: reads the Ethernet address
 * from the info page, makes the ARP ring and inserts the ARP filter.
 * Returns 0 or the error of ring_create or dpf_insert.
 */
int net_init(uint32_t ip);

/* Serves every waiting ARP packet. Returns how many. */
uint32_t net_poll(void);

/*
 * One wait: serves ARP, then, unless ring r (0: none) has a frame
 * waiting, blocks in net_wait for up to `cycles` (NET_FOREVER: a long
 * while) and serves ARP again. Returns 1 when r has a frame or something
 * else arrived (ARP served, a frame for another ring), 0 when nothing new
 * came, or net_wait's error. net_wait ends when any of our rings has a
 * frame, so while another ring holds unread frames it may end at once:
 * then this returns 0 without having waited.
 */
int net_wait_step(const struct ring *r, uint32_t cycles);

/*
 * Transmits a frame of len bytes (ETH_HLEN..ETH_FRAME_MAX), padded with
 * zeros to ETH_ZLEN in place (buf must have room). Returns the length
 * sent, or E_Inval, or net_send's error (counted in tx_errors).
 */
int net_send(uint8_t *buf, uint32_t len);

/* Writes an Ethernet header at f: to dst, from us, of `type`. */
void eth_header(uint8_t *f, const uint8_t *dst, uint32_t type);

/* ---- ARP (arp.c). ---- */

/* Cached mappings (round-robin replacement, no ageing). */
#define ARP_CACHE_SIZE	8
/* How long to wait for an answer, and how many requests to send. */
#define ARP_WAIT	1250000u	/* 50 ms at 25 MHz */
#define ARP_TRIES	3

/* Copies the Ethernet address of ip into mac. Returns 1 when cached, else 0. */
int arp_lookup(uint32_t ip, uint8_t *mac);
/* Records that ip is at mac (updates or replaces an entry). */
void arp_learn(uint32_t ip, const uint8_t *mac);
/* Serves one frame of the ARP ring: learns the sender, answers a request for our IP. */
void arp_input(const uint8_t *f, uint32_t len);
/* Broadcasts a request for ip. Returns net_send's result. */
int arp_request(uint32_t ip);
/*
 * The Ethernet address of ip, from the cache or by asking (ARP_TRIES
 * requests, ARP_WAIT cycles each). Returns 0, or E_NoEnt when nobody
 * answered, or a send or wait error.
 */
int arp_resolve(uint32_t ip, uint8_t *mac);

/* ---- IPv4 and checksums (ip.c). ---- */

/* Adds the big-endian halfwords of p[0..len) to sum (an odd last byte is padded with zero). */
uint32_t ip_sum(const uint8_t *p, uint32_t len, uint32_t sum);
/* The Internet checksum of a sum: carries folded in, complemented, 16 bits (RFC 1071). */
uint32_t ip_fold(uint32_t sum);
/* Writes a 20-byte IPv4 header at ip (checksum included) for `payload` bytes of protocol proto. */
void ip_header(uint8_t *ip, uint32_t src, uint32_t dst, uint32_t proto, uint32_t payload);
/* Parses "a.b.c.d" into *ip. Returns 0 or E_Inval. */
int ip_aton(const char *s, uint32_t *ip);

/* A datagram found in a frame (pointers into the frame). */
struct udp_dgram {
	uint32_t src, dst;		/* IP addresses */
	uint32_t sport, dport;
	const uint8_t *mac;		/* the sender's Ethernet address */
	const uint8_t *data;
	uint32_t len;			/* payload bytes */
};

/*
 * Checks a frame holding an IPv4 UDP datagram: Ethernet type, IP version,
 * header length and checksum, no fragmentation, lengths that fit the
 * frame, UDP length and (when not 0) the checksum over the pseudo-header.
 * Fills *d and returns 0, or counts the fault in net_stats and returns E_Inval.
 */
int udp_parse(const uint8_t *f, uint32_t len, struct udp_dgram *d);
/* The UDP checksum of the `ulen`-byte datagram at udp from src to dst, as it goes in the header (0 becomes 0xffff). */
uint32_t udp_checksum(uint32_t src, uint32_t dst, const uint8_t *udp, uint32_t ulen);

/* ---- UDP sockets (udp.c). ---- */

/* Sockets at once; each has a ring of UDP_RING_PAGES pages of UDP_SLOT_SIZE-byte slots. */
#define UDP_SOCKETS	4
#define UDP_RING_PAGES	4
#define UDP_SLOT_SIZE	1536
/* udp_recvfrom's result when the time is up. */
#define UDP_TIMEOUT	E_NoEnt

/*
 * Opens a socket on our IP and `port` (1..65535). Returns the socket, or
 * E_Inval, E_Busy (port taken here), E_NoSpc (UDP_SOCKETS open), or the
 * error of ring_create or dpf_insert. Precondition: net_init.
 */
int udp_socket(uint32_t port);
/* The same, with an ASH on the socket's filter: the kernel runs it on each datagram before the ring sees it. */
int udp_socket_ash(uint32_t port, net_ash_t *ash);
/* Removes the socket's filter and drops what waits in its ring. Returns 0 or an error. */
int udp_close(int sock);
/* The socket's ring (for ASH programs that look at it). */
const struct ring *udp_ring(int sock);
/*
 * Sends len bytes (0..UDP_PAYLOAD_MAX) from buf to ip:port, resolving
 * ip's Ethernet address with ARP if it is not cached. Returns len, or
 * E_Inval, or the error of arp_resolve (E_NoEnt: nobody answered) or net_send.
 */
int udp_sendto(int sock, uint32_t ip, uint32_t port, const void *buf, uint32_t len);
/*
 * Receives one datagram into buf (at most max bytes; the rest is
 * dropped), sets *ip and *port to its sender (either may be 0), and
 * returns the bytes copied. Datagrams that fail udp_parse are dropped and
 * counted. Waits with net_wait_step: up to timeout cycles at a time
 * without news (0: do not wait, NET_FOREVER: without end). Returns
 * UDP_TIMEOUT when the time is up, E_Inval for a bad socket.
 */
int udp_recvfrom(int sock, void *buf, uint32_t max, uint32_t *ip, uint32_t *port, uint32_t timeout);

#endif /* __ASSEMBLER__ */
#endif
