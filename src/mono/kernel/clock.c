/*
 * clock.c: the DS1287 (MC146818) real-time clock's periodic interrupt,
 * HZ times a second on Cause.IP3 (docs/reference/decstation.md; MC146818 data
 * sheet, "Periodic interrupt"): REGA picks the 32 kHz base and the rate,
 * REGB.PIE enables the interrupt, and reading REGC acknowledges it.
 */
#include "defs.h"
#include "param.h"
#include "memlayout.h"
#include "proc.h"

#define RTC_REG(n)	(*(volatile uint8_t *)(RTC_BASE + 4 * (n)))
#define RTC_REGA	10
#define RTC_REGB	11
#define RTC_REGC	12
#define REGA_DV_32K	0x20
#define REGA_RATE_256	0x08	/* 32768 >> (8 - 1) = 256 Hz */
#define REGB_PIE	0x40
#define REGB_DM_BINARY	0x04
#define REGB_24H	0x02

_Static_assert(HZ == 256, "clock.c programs the RTC for 256 Hz");

volatile uint32_t ticks;

/* Starts the periodic interrupt; the caller unmasks IP3 in Status. */
void clock_init(void)
{
	(void)RTC_REG(RTC_REGC);
	RTC_REG(RTC_REGA) = REGA_DV_32K | REGA_RATE_256;
	RTC_REG(RTC_REGB) = REGB_PIE | REGB_DM_BINARY | REGB_24H;
}

/* Acknowledges a clock interrupt, counts it and wakes sleep_ticks sleepers. */
void clock_intr(void)
{
	(void)RTC_REG(RTC_REGC);
	ticks++;
	wakeup((void *)&ticks);
}
