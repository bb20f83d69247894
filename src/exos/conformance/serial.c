/*
 * serial.c: console output through the DC7085 serial controller.
 *
 * The DC7085 is at physical 0x1fe00000 with 16-bit registers 8 bytes apart:
 * CSR (+0x00; TRDY 0x8000, transmit line in bits 9:8, MSE 0x20), LPR
 * (+0x08, write), TCR (+0x10; bit n enables line n) and TDR (+0x18,
 * write). Line 3 is the console (docs/reference/decstation.md). The program
 * enables only line 3, then for each character waits for TRDY, checks that
 * the scanner offers line 3, and writes the character to TDR, the way
 * NetBSD's dc_cnputc does. The text must appear on the console between the
 * two PROM lines.
 */
#include "mips.h"
#include "test.h"

#define DC_BASE		0xbfe00000u
#define DC_REG(off)	(*(volatile uint16_t *)(DC_BASE + (off)))
#define DC_CSR		0x00
#define DC_LPR		0x08
#define DC_TCR		0x10
#define DC_TDR		0x18
#define CSR_TRDY	0x8000
#define CSR_TLINE_SHIFT	8
#define CSR_TLINE_MASK	0x0300
#define CSR_MSE		0x0020
#define LPR_RXENAB	0x1000
#define LPR_B9600	0x0e00
#define LPR_8BITS	0x0018
#define CONSOLE_LINE	3
#define GUARD		1000000

static uint32_t wrong_line, timeouts;

/* Sends one character on the console line; counts anomalies. */
static void dc_putc(char c)
{
	uint32_t i, csr = 0;

	for (i = 0; i < GUARD; i++) {
		csr = DC_REG(DC_CSR);
		if (csr & CSR_TRDY)
			break;
	}
	if (i == GUARD) {
		timeouts++;
		return;
	}
	if (((csr & CSR_TLINE_MASK) >> CSR_TLINE_SHIFT) != CONSOLE_LINE)
		wrong_line++;
	DC_REG(DC_TDR) = (uint8_t)c;
}

int main(void)
{
	const char *s = "serial line 3: hello through the DC7085 TDR\n";

	printf("serial: before\n");
	DC_REG(DC_CSR) = CSR_MSE;
	DC_REG(DC_LPR) = LPR_RXENAB | LPR_B9600 | LPR_8BITS | CONSOLE_LINE;
	DC_REG(DC_TCR) = 1 << CONSOLE_LINE;
	while (*s)
		dc_putc(*s++);
	printf("serial: after; timeouts=%u wrong line=%u\n", timeouts,
	       wrong_line);
	printf("serial done\n");
	return 0;
}
