/*
 * net.c: the driver for the LANCE (Am7990) on the PMAD-AA, the 5000/200's
 * Ethernet in TURBOchannel slot 6 (docs/reference/decstation.md). It follows the
 * Am7990 data sheet's sequence, as src/exokernel/netdev.ts (and NetBSD's
 * am7990.c) do: STOP, the init block's address in CSR1/CSR2, INIT, wait
 * for IDON, then STRT with INEA; CSR0's interrupt bits are acknowledged
 * by writing them back.
 *
 * The 128 KiB buffer SRAM (LANCE addresses are SRAM offsets):
 *   0x0000  the initialization block
 *   0x0100  NRX receive descriptors, then NTX transmit descriptors (8 bytes each)
 *   0x1000  NRX receive buffers, then NTX transmit buffers, NETBUF bytes each
 */
#include "defs.h"
#include "memlayout.h"
#include "net.h"

#define NRX		16
#define NTX		8
#define LOG2_NRX	4
#define LOG2_NTX	3
#define NETBUF		1536		/* a 1514-byte frame and its FCS */
#define SRAM_INIT	0x0000
#define SRAM_RINGS	0x0100
#define SRAM_BUFS	0x1000
#define RDP		(*(volatile uint16_t *)(LANCE_BASE + 0x100000))
#define RAP		(*(volatile uint16_t *)(LANCE_BASE + 0x100004))
#define ESAR(i)		(*(volatile uint8_t *)(LANCE_BASE + 0x1c0000 + 4 * (i)))
#define SRAM16(off)	(*(volatile uint16_t *)(LANCE_BASE + (off)))

/* CSR0 (Am7990 data sheet). */
#define CSR0_MISS	0x1000
#define CSR0_MERR	0x0800
#define CSR0_RINT	0x0400
#define CSR0_TINT	0x0200
#define CSR0_IDON	0x0100
#define CSR0_INEA	0x0040
#define CSR0_TDMD	0x0008
#define CSR0_STOP	0x0004
#define CSR0_STRT	0x0002
#define CSR0_INIT	0x0001
#define CSR0_ACK	(0x4000 | 0x2000 | CSR0_MISS | CSR0_MERR | CSR0_RINT | CSR0_TINT | CSR0_IDON)
/* Descriptor word 1 (RMD1/TMD1). */
#define DESC_OWN	0x8000
#define DESC_ERR	0x4000
#define DESC_STP	0x0200
#define DESC_ENP	0x0100
#define RMD3_MCNT	0x0fff

/* The KN02 system CSR's interrupt enable for the LANCE (IOINTEN, byte lane 2). */
#define CSR_IOINTEN_LANCE (*(volatile uint8_t *)(CSR_BASE + 2))
#define KN02_LANCE	0x40

uint8_t net_mac[6];
static int running;
static uint32_t rx_next, tx_next, tx_reap, tx_busy;
static uint8_t frame[NETBUF];		/* the frame being handed up */

/* Packet counters (read by the debugger from the symbol table). */
uint32_t net_sent, net_received, net_errors;

static void wcsr(uint32_t n, uint32_t v) { RAP = (uint16_t)n; RDP = (uint16_t)v; }
static uint32_t rcsr(uint32_t n) { RAP = (uint16_t)n; return RDP; }
static uint32_t rxdesc(uint32_t i) { return SRAM_RINGS + 8 * i; }
static uint32_t txdesc(uint32_t i) { return SRAM_RINGS + 8 * (NRX + i); }
static uint32_t rxbuf(uint32_t i) { return SRAM_BUFS + NETBUF * i; }
static uint32_t txbuf(uint32_t i) { return SRAM_BUFS + NETBUF * (NRX + i); }

/* Hands receive descriptor i back to the chip with its whole buffer. */
static void give_rx(uint32_t i)
{
	uint32_t d = rxdesc(i), b = rxbuf(i);

	SRAM16(d) = (uint16_t)b;
	SRAM16(d + 4) = (uint16_t)-NETBUF;
	SRAM16(d + 6) = 0;
	SRAM16(d + 2) = (uint16_t)(DESC_OWN | (b >> 16));
}

/* Writes the init block: mode 0, the station address, no multicast, both rings. */
static void write_init_block(void)
{
	uint32_t rx = rxdesc(0), tx = txdesc(0), i;
	uint16_t w[12] = { 0,
		(uint16_t)(net_mac[0] | net_mac[1] << 8), (uint16_t)(net_mac[2] | net_mac[3] << 8),
		(uint16_t)(net_mac[4] | net_mac[5] << 8), 0, 0, 0, 0,
		(uint16_t)rx, (uint16_t)(LOG2_NRX << 13 | rx >> 16),
		(uint16_t)tx, (uint16_t)(LOG2_NTX << 13 | tx >> 16) };

	for (i = 0; i < 12; i++)
		SRAM16(SRAM_INIT + 2 * i) = w[i];
}

/* Reads the station address, sets up the rings and starts the chip with interrupts; prints if it fails. */
void net_init(void)
{
	uint32_t i, polls;

	for (i = 0; i < 6; i++)
		net_mac[i] = ESAR(i);
	wcsr(0, CSR0_STOP);
	rx_next = tx_next = tx_reap = tx_busy = 0;
	write_init_block();
	for (i = 0; i < NRX; i++)
		give_rx(i);
	for (i = 0; i < NTX; i++)
		SRAM16(txdesc(i) + 2) = 0;
	wcsr(3, 0);
	wcsr(1, SRAM_INIT & 0xffff);
	wcsr(2, SRAM_INIT >> 16);
	wcsr(0, CSR0_INIT);
	for (polls = 0; !(rcsr(0) & CSR0_IDON); polls++)
		if (polls == 1000) {
			printf("mono: the LANCE did not initialize\n");
			return;
		}
	wcsr(0, CSR0_IDON | CSR0_INEA | CSR0_STRT);
	CSR_IOINTEN_LANCE |= KN02_LANCE;
	running = 1;
}

/* Counts the transmit descriptors the chip has given back. */
static void reap_tx(void)
{
	while (tx_busy > 0 && !(SRAM16(txdesc(tx_reap) + 2) & DESC_OWN)) {
		if (SRAM16(txdesc(tx_reap) + 2) & DESC_ERR)
			net_errors++;
		tx_reap = (tx_reap + 1) % NTX;
		tx_busy--;
	}
}

/* Queues a frame (no FCS; padded to 60 bytes) for transmission; 0, or -EAGAIN/-EINVAL. */
int net_send(const uint8_t *f, uint32_t len)
{
	uint32_t d, b, i;

	if (!running || len > 1514)
		return -EINVAL;
	reap_tx();
	if (tx_busy == NTX)
		return -EAGAIN;
	b = txbuf(tx_next);
	memcpy((void *)(LANCE_BASE + b), f, len);
	for (i = len; i < 60; i++)
		*(volatile uint8_t *)(LANCE_BASE + b + i) = 0;
	if (len < 60)
		len = 60;
	d = txdesc(tx_next);
	SRAM16(d) = (uint16_t)b;
	SRAM16(d + 4) = (uint16_t)-len;
	SRAM16(d + 6) = 0;
	SRAM16(d + 2) = (uint16_t)(DESC_OWN | DESC_STP | DESC_ENP | (b >> 16));
	tx_next = (tx_next + 1) % NTX;
	tx_busy++;
	net_sent++;
	wcsr(0, CSR0_INEA | CSR0_TDMD);
	return 0;
}

/* The LANCE interrupt: acknowledges it, hands every received frame to ether_input, reaps transmissions. */
void net_intr(void)
{
	uint32_t csr0, n;

	if (!running)
		return;
	csr0 = rcsr(0);
	if (csr0 & CSR0_ACK)
		wcsr(0, (csr0 & CSR0_ACK) | CSR0_INEA);
	for (n = 0; n < NRX; n++) {
		uint32_t d = rxdesc(rx_next), rmd1 = SRAM16(d + 2), mcnt = SRAM16(d + 6) & RMD3_MCNT;
		if (rmd1 & DESC_OWN)
			break;
		if ((rmd1 & (DESC_ERR | DESC_STP | DESC_ENP)) == (DESC_STP | DESC_ENP) && mcnt >= 4 && mcnt <= NETBUF) {
			memcpy(frame, (void *)(LANCE_BASE + rxbuf(rx_next)), mcnt - 4);
			net_received++;
			ether_input(frame, mcnt - 4);
		} else {
			net_errors++;
		}
		give_rx(rx_next);
		rx_next = (rx_next + 1) % NRX;
	}
	reap_tx();
	if (csr0 & CSR0_MERR)
		net_init();
}
