/*
 * clock.c: the DS1287 (MC146818) real-time clock's periodic interrupt.
 *
 * The RTC sits at physical 0x1fe80000, register n at byte offset 4n, and
 * drives Cause.IP3 (0x800) (docs/reference/decstation.md). REGA selects the
 * 32 kHz time base (0x20) and the rate (6 = 1024 Hz), REGB.PIE (0x40)
 * enables the periodic interrupt, and reading REGC returns IRQF|PF
 * (0xc0) and acknowledges it (MC146818 data sheet, "Periodic interrupt").
 * Checks: REGD.VRT, IP3 pending but not taken with IEc clear and cleared by
 * reading REGC, five interrupts taken with IM3|IEc and acknowledged in the
 * handler, and none once PIE is clear. Counts and times are not printed:
 * they depend on how fast the machine runs.
 */
#include "exc.h"
#include "mips.h"
#include "test.h"

#define RTC_BASE	0xbfe80000u
#define RTC_REG(n)	(*(volatile uint8_t *)(RTC_BASE + 4 * (n)))
#define RTC_REGA	10
#define RTC_REGB	11
#define RTC_REGC	12
#define RTC_REGD	13
#define REGA_DV_32K	0x20
#define REGA_RATE_1024	0x06
#define REGB_PIE	0x40
#define REGB_DM_BINARY	0x04
#define REGB_24H	0x02
#define REGC_IRQF	0x80
#define REGC_PF		0x40
#define REGD_VRT	0x80

#define CAUSE_IP_RTC	CAUSE_IP(3)
#define WANTED		5
#define GUARD		20000000	/* polling iterations before giving up */

static volatile uint32_t ticks, tick_cause, tick_regc, other_intr;

/* Interrupt hook: acknowledges the RTC by reading REGC. */
static int rtc_intr(struct exc_frame *f)
{
	if (cause_exc(f->cause) != EXC_INT)
		return 0;
	if (f->cause & CAUSE_IP_RTC) {
		tick_cause = f->cause;
		tick_regc = RTC_REG(RTC_REGC);
		ticks++;
	} else {
		other_intr++;
	}
	return 1;	/* resume at EPC */
}

/* Waits until Cause.IP3 is set (IEc clear); returns 1 if it was. */
static int poll_ip3(void)
{
	uint32_t i;

	for (i = 0; i < GUARD; i++)
		if (MFC0(CP0_CAUSE) & CAUSE_IP_RTC)
			return 1;
	return 0;
}

static void polled(void)
{
	uint32_t regc;

	printf("regd vrt: %02x\n", RTC_REG(RTC_REGD) & REGD_VRT);
	(void)RTC_REG(RTC_REGC);
	RTC_REG(RTC_REGA) = REGA_DV_32K | REGA_RATE_1024;
	RTC_REG(RTC_REGB) = REGB_PIE | REGB_DM_BINARY | REGB_24H;
	MTC0(CP0_STATUS, ST_CU0 | ST_IM(3));
	printf("ip3 pending with IEc clear: %s\n", poll_ip3() ? "yes" : "no");
	printf("  cause ip3: %04x, exceptions: %u\n",
	       MFC0(CP0_CAUSE) & CAUSE_IP_RTC, exc_count);
	regc = RTC_REG(RTC_REGC);
	printf("  regc: %02x\n", regc & (REGC_IRQF | REGC_PF));
	printf("  cause ip3 after reading regc: %04x\n",
	       MFC0(CP0_CAUSE) & CAUSE_IP_RTC);
}

static void interrupts(void)
{
	uint32_t i;

	exc_hook = rtc_intr;
	MTC0(CP0_STATUS, ST_CU0 | ST_IM(3) | ST_IEC);
	for (i = 0; i < GUARD && ticks < WANTED; i++)
		;
	MTC0(CP0_STATUS, ST_CU0);
	printf("interrupts with IM3|IEc: %s\n",
	       ticks >= WANTED ? "5 or more" : "too few");
	printf("  cause ip3 at interrupt: %04x, exccode %u\n",
	       tick_cause & CAUSE_IP_RTC, cause_exc(tick_cause));
	printf("  regc read in handler: %02x\n",
	       tick_regc & (REGC_IRQF | REGC_PF));
	printf("  other interrupts: %u\n", other_intr);
}

static void disabled(void)
{
	uint32_t i, before;

	RTC_REG(RTC_REGB) = REGB_DM_BINARY | REGB_24H;
	(void)RTC_REG(RTC_REGC);
	before = ticks;
	MTC0(CP0_STATUS, ST_CU0 | ST_IM(3) | ST_IEC);
	for (i = 0; i < 100000; i++)
		;
	MTC0(CP0_STATUS, ST_CU0);
	printf("interrupts with PIE clear: %u\n", ticks - before);
	exc_hook = 0;
}

int main(void)
{
	MTC0(CP0_STATUS, ST_CU0);
	exc_install();
	polled();
	interrupts();
	disabled();
	printf("clock done\n");
	return 0;
}
