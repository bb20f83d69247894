/*
 * udp-echo-ash.c: the ASH of udp-echo (abi.ts: ASH_BUDGET, ASH_RETURN).
 *
 * The kernel runs echo_ash on each datagram udp-echo's filter accepts,
 * whether or not udp-echo is running: a0 = the frame in its ring slot,
 * a1 = its length. It checks the IP header checksum and the UDP checksum,
 * turns the datagram around in place (Ethernet, IP and UDP source and
 * destination exchanged: both checksums stay valid, since a one's
 * complement sum does not depend on the order of its terms), sends it
 * with net_send and consumes it (v0 = 1). Anything it would rather not
 * handle (a bad checksum, a datagram too long to check within the
 * budget) it leaves untouched for the ring (v0 = 0), where udp-echo's
 * own code drops or echoes it.
 *
 * What makes it safe to run as an ASH, checked in its disassembly
 * (`mipsel-linux-gnu-objdump -d`): it is a leaf that uses no stack (sp is
 * whatever the kernel left there), makes one system call (net_send,
 * "syscall" then a nop of its own, so never in a branch delay slot),
 * touches only the frame (every offset within the bytes the filter and
 * the length checks below have vouched for) and three counters and
 * net_mac in .bss (guaranteed, so no TLB miss), and ends with jr ra. Its
 * longest path is about 4 instructions a halfword of a datagram of at
 * most ECHO_ASH_MAX bytes plus some 100: well under ASH_BUDGET.
 *
 * Halfwords are read in the CPU's byte order: the frame is word aligned
 * (the slot's length word precedes it) and every field used is at an even
 * offset. The one's complement sum of byte-swapped halfwords is the
 * byte-swapped sum (RFC 1071, sec. 2B), so "sums to 0xffff" holds either
 * way; only the protocol term of the pseudo-header is swapped by hand.
 */
#include "net.h"

/* Longest UDP datagram, header included, the ASH checks and echoes. */
#define ECHO_ASH_MAX	512
/* A host-order 16-bit constant as a halfword of the frame reads on this little-endian CPU. */
#define WIRE16(x)	((((x) & 0xff) << 8) | (((x) >> 8) & 0xff))

typedef uint16_t half __attribute__((may_alias));

volatile uint32_t echo_ash_echoed;	/* datagrams echoed */
volatile uint32_t echo_ash_left;	/* datagrams left to the ring */
volatile uint32_t echo_ash_send_errors;	/* echoes net_send refused (consumed anyway) */

/* net_send from an ASH: inline, so the ASH stays a leaf with no stack frame. */
static inline __attribute__((always_inline)) int ash_net_send(const void *frame, uint32_t len)
{
	register uint32_t v0 __asm__("$2") = SYS_NetSend;
	register const void *a0 __asm__("$4") = frame;
	register uint32_t a1 __asm__("$5") = len;

	__asm__ __volatile__("syscall\n\tnop" : "+r"(v0) : "r"(a0), "r"(a1) : "memory");
	return (int)v0;
}

/* Folds a 32-bit one's complement sum to 16 bits. */
static inline __attribute__((always_inline)) uint32_t fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	return (sum & 0xffff) + (sum >> 16);
}

__attribute__((noinline)) uint32_t echo_ash(uint8_t *f, uint32_t len)
{
	half *e = (half *)f, *ip = (half *)(f + ETH_HLEN), *u, *mac = (half *)net_mac, t;
	uint32_t hlen = (uint32_t)(f[ETH_HLEN + IP_VHL] & 0x0f) << 2;
	uint32_t iplen = (uint32_t)f[ETH_HLEN + IP_LEN] << 8 | f[ETH_HLEN + IP_LEN + 1];
	uint32_t ulen, sum, i;

	if (hlen < IP_HLEN || iplen < hlen + UDP_HLEN || ETH_HLEN + iplen > len)
		goto leave;
	u = (half *)(f + ETH_HLEN + hlen);
	ulen = (uint32_t)f[ETH_HLEN + hlen + UDP_ULEN] << 8 | f[ETH_HLEN + hlen + UDP_ULEN + 1];
	if (ulen < UDP_HLEN || ulen > iplen - hlen || ulen > ECHO_ASH_MAX)
		goto leave;
	for (sum = 0, i = 0; i < hlen / 2; i++)
		sum += ip[i];
	if (fold(sum) != 0xffff)
		goto leave;
	if (u[UDP_SUM / 2] != 0) {
		sum = ip[IP_SRC / 2] + ip[IP_SRC / 2 + 1] + ip[IP_DST / 2] + ip[IP_DST / 2 + 1] +
		      WIRE16(IP_PROTO_UDP) + u[UDP_ULEN / 2];
		for (i = 0; i < ulen / 2; i++)
			sum += u[i];
		if (ulen & 1)
			sum += f[ETH_HLEN + hlen + ulen - 1];
		if (fold(sum) != 0xffff)
			goto leave;
	}
	for (i = 0; i < ETH_ALEN / 2; i++) {
		e[ETH_DST / 2 + i] = e[ETH_SRC / 2 + i];
		e[ETH_SRC / 2 + i] = mac[i];
	}
	for (i = 0; i < 2; i++) {
		t = ip[IP_SRC / 2 + i];
		ip[IP_SRC / 2 + i] = ip[IP_DST / 2 + i];
		ip[IP_DST / 2 + i] = t;
	}
	t = u[UDP_SPORT / 2];
	u[UDP_SPORT / 2] = u[UDP_DPORT / 2];
	u[UDP_DPORT / 2] = t;
	if (ash_net_send(f, len) < 0)
		echo_ash_send_errors++;
	else
		echo_ash_echoed++;
	return 1;
leave:
	echo_ash_left++;
	return 0;
}
