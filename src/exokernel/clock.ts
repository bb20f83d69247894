// The kernel's driver for the MC146818 real-time clock, the source of the
// clock interrupt that drives the time-slice vector (Aegis paper, sec. 5.3;
// docs/architecture.md, "The exokernel"). It programs a periodic interrupt
// at the kernel's tick rate, which reaches the CPU on its own line
// (KN02_IP.rtc, Cause.IP3), and acknowledges each one by reading register C.
// Register names and bits as the data sheet spells them (src/emu/devices/rtc.ts).

import { KN02_MAP, RTC_REG_STRIDE, RtcReg, RtcRegA, RtcRegB, type Bus } from '../emu/index.js';

/** Physical base of the clock in the KN02 address map. */
const RTC_BASE = KN02_MAP.find((row) => row.name === 'rtc')!.base;

/** The physical address of clock register `n` (RtcReg). */
const reg = (n: number): number => RTC_BASE + RTC_REG_STRIDE * n;

/**
 * Starts the periodic interrupt at `tickHz` (clamped to the chip's 2..8192
 * Hz; a power of two gives that rate exactly): register A selects the
 * 32.768 kHz time base and rate r (65536 >> r Hz, data sheet table 4),
 * register B enables the periodic interrupt (PIE) in binary, 24-hour mode.
 */
export function startClock(bus: Pick<Bus, 'write'>, tickHz: number): void {
  const rate = 16 - Math.log2(Math.max(2, Math.min(8192, tickHz)));
  bus.write(reg(RtcReg.A), 1, RtcRegA.DV_32KHZ | (rate & RtcRegA.RS));
  bus.write(reg(RtcReg.B), 1, RtcRegB.PIE | RtcRegB.DM | RtcRegB.H24);
}

/** Acknowledges the clock's interrupt: reading register C clears its flags and drops the line. */
export function ackClock(bus: Pick<Bus, 'read'>): void {
  bus.read(reg(RtcReg.C), 1);
}
