// The DS1287 / MC146818A real-time clock of the KN02 at physical 0x1fe80000.
// Facts from the Motorola MC146818A data sheet ("Registers", tables 4 and 6)
// unless marked; the register layout (register n at byte offset 4n, byte
// lane 0) is NetBSD's mcclock_pad32 and GXemul's dev_mc146818.cc. Unlike
// GXemul, which reads the host clock, time here is the emulated cycle
// counter: the calendar starts at a fixed date and advances one second every
// `cpuHz` cycles.
//
// The model: a divider origin D (a cycle). Update cycles (the seconds tick)
// happen at D + j*cpuHz; the k-th periodic flag of the second starting at D
// is set at D + floor(k*cpuHz/rateHz), so periodic events stay aligned to the
// seconds as the chip's divider taps are, and the schedule never drifts.
// After each boundary D moves up one second and k counts again from 0.
// Flags are brought up to date lazily on every access and on tick(); the
// device asks for ticks only when a flag could raise the IRQ line.

import type { AccessSize, Clock, Device, IrqLine, TraceSink } from '../device.js';

/**
 * Days since 1970-01-01 of a proleptic Gregorian date. Months outside 1..12
 * and days outside the month carry into the year and month arithmetically.
 * (The era arithmetic is H. Hinnant's "chrono-compatible low-level date
 * algorithms".)
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y0 = year + Math.floor((month - 1) / 12);
  const m = (((month - 1) % 12) + 12) % 12 + 1;
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The proleptic Gregorian date of `days` since 1970-01-01. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day: doy - Math.floor((153 * mp + 2) / 5) + 1 };
}

/** Register numbers (data sheet, "Address map"). */
export const RtcReg = {
  SEC: 0, ALARM_SEC: 1, MIN: 2, ALARM_MIN: 3, HOUR: 4, ALARM_HOUR: 5,
  DOW: 6, DOM: 7, MONTH: 8, YEAR: 9, A: 10, B: 11, C: 12, D: 13,
  NVRAM_FIRST: 14, COUNT: 64,
} as const;

/** Register A: UIP (read-only), divider select DV2..0, rate select RS3..0. */
export const RegA = { UIP: 0x80, DV: 0x70, DV_32KHZ: 0x20, DV_RESET: 0x60, RS: 0x0f } as const;
/** Register B bits. */
export const RegB = { SET: 0x80, PIE: 0x40, AIE: 0x20, UIE: 0x10, SQWE: 0x08, DM: 0x04, H24: 0x02, DSE: 0x01 } as const;
/** Register C flags (read-only; reading clears them). */
export const RegC = { IRQF: 0x80, PF: 0x40, AF: 0x20, UF: 0x10 } as const;
/** Register D: VRT, valid RAM and time (the battery is always good here). */
export const RegD = { VRT: 0x80 } as const;

/** Bytes the chip decodes: 64 registers, 4 bytes apart; the window repeats. */
export const RTC_WINDOW = 0x100;
/** Bytes between registers: register n is at byte offset n * RTC_REG_STRIDE. */
export const RTC_REG_STRIDE = 4;
/** The default start of the calendar: 1995-12-03 00:00:00 (the SOSP '95 date). */
export const RTC_DEFAULT_START = daysFromCivil(1995, 12, 3) * 86400;
/** Nominal CPU clock of the 5000/200. */
const DEFAULT_CPU_HZ = 25_000_000;
/** An alarm byte of 0xc0..0xff matches any value ("don't care"). */
const ALARM_ANY = 0xc0;
const DAY = 86400;

/** Returns the periodic rate in Hz for REGA, 0 when none (data sheet, table 4). */
export function periodicRateHz(regA: number): number {
  const rs = regA & RegA.RS;
  if (rs === 0) return 0;
  if (rs <= 2) return (regA & RegA.DV) === RegA.DV_32KHZ ? 512 >> rs : 65536 >> rs;
  return 1 << (16 - rs);
}

/** Construction options of the clock. */
export interface RtcOptions {
  clock: Clock;
  /** The line to the CPU (Cause.IP3 on the KN02). */
  irq: IrqLine;
  trace: TraceSink;
  /** Calendar time at construction, in seconds since 1970-01-01 UTC. */
  start?: number;
  /** CPU cycles per second; an integer (default 25 MHz). */
  cpuHz?: number;
  /** The year register holds year - yearBase (mod 100); default 1900. */
  yearBase?: number;
}

/** Saved state of the clock. */
export interface RtcState {
  ram: number[];
  seconds: number;
  dowAdjust: number;
  origin: number;
  periodic: number;
  flags: number;
  irq: boolean;
}

/** The MC146818A: calendar, alarm, periodic interrupt and 50 bytes of NVRAM. */
export class Rtc implements Device {
  readonly name = 'rtc';
  private readonly clock: Clock;
  private readonly irq: IrqLine;
  private readonly trace: TraceSink;
  private readonly cpuHz: number;
  private readonly yearBase: number;
  /** Alarm bytes, REGA (DV and RS), REGB and NVRAM; time bytes are derived. */
  private ram = new Array<number>(RtcReg.COUNT).fill(0);
  /** Calendar time, seconds since 1970, as of the last update cycle. */
  private seconds: number;
  /** Day-of-week offset from the computed weekday, after a guest wrote DOW. */
  private dowAdjust = 0;
  /** Divider origin D: the cycle of the last seconds boundary. */
  private origin: number;
  /** Periodic events already counted in the second starting at D. */
  private periodic = 0;
  /** PF | AF | UF. */
  private flags = 0;
  /** Level driven on the IRQ line. */
  private irqLevel = false;

  /** Creates the clock running at `start`, REGA = 32 kHz base, REGB = binary, 24 h. */
  constructor(opts: RtcOptions) {
    this.clock = opts.clock;
    this.irq = opts.irq;
    this.trace = opts.trace;
    this.cpuHz = opts.cpuHz ?? DEFAULT_CPU_HZ;
    if (!Number.isInteger(this.cpuHz) || this.cpuHz <= 0) {
      throw new RangeError(`RTC cpuHz ${this.cpuHz} is not a positive integer`);
    }
    this.yearBase = opts.yearBase ?? 1900;
    this.seconds = Math.floor(opts.start ?? RTC_DEFAULT_START);
    this.origin = this.clock.now();
    // As the PROM leaves it: 32.768 kHz time base, binary data, 24-hour mode.
    this.ram[RtcReg.A] = RegA.DV_32KHZ;
    this.ram[RtcReg.B] = RegB.DM | RegB.H24;
  }

  /** Reads register (offset / 4) in byte lane 0; other lanes read 0. */
  read(offset: number, size: AccessSize): number {
    const off = offset % RTC_WINDOW;
    if ((off & 3) !== 0) return this.unimplemented(offset, size, 'read');
    const reg = off >>> 2;
    this.refresh(this.clock.now());
    this.updateIrq();
    if (reg === RtcReg.C) return this.readC();
    if (reg === RtcReg.A) return this.ram[RtcReg.A] | (this.updatePending() ? RegA.UIP : 0);
    if (reg === RtcReg.D) return RegD.VRT;
    if (isTimeReg(reg)) return this.timeByte(reg);
    return this.ram[reg];
  }

  /** Writes the low byte to register (offset / 4); REGC, REGD and UIP are read-only. */
  write(offset: number, size: AccessSize, value: number): void {
    const off = offset % RTC_WINDOW;
    if ((off & 3) !== 0) { this.unimplemented(offset, size, 'write'); return; }
    const reg = off >>> 2, v = value & 0xff;
    this.refresh(this.clock.now());
    if (reg === RtcReg.A) this.writeA(v);
    else if (reg === RtcReg.B) this.writeB(v);
    else if (isTimeReg(reg)) this.writeTime(reg, v);
    else if (reg !== RtcReg.C && reg !== RtcReg.D) this.ram[reg] = v;
    this.updateIrq();
  }

  /**
   * The cycle of the next event that can raise IRQ: the next periodic flag
   * when PIE is set, the next update cycle when UIE or AIE is set; else Infinity.
   */
  nextEvent(): number {
    if (!this.running()) return Infinity;
    const b = this.ram[RtcReg.B];
    let next = Infinity;
    const rate = periodicRateHz(this.ram[RtcReg.A]);
    if ((b & RegB.PIE) && rate > 0) next = this.origin + idiv((this.periodic + 1) * this.cpuHz, rate);
    if ((b & (RegB.UIE | RegB.AIE)) && !(b & RegB.SET)) next = Math.min(next, this.origin + this.cpuHz);
    return next;
  }

  /** Brings the flags up to `now` and drives the IRQ line. */
  tick(now: number): void {
    this.refresh(now);
    this.updateIrq();
  }

  /** Returns the registers, calendar and divider state. */
  save(): RtcState {
    return {
      ram: [...this.ram], seconds: this.seconds, dowAdjust: this.dowAdjust,
      origin: this.origin, periodic: this.periodic, flags: this.flags, irq: this.irqLevel,
    };
  }

  /** Restores a saved state and re-drives the IRQ line to match it. */
  restore(state: unknown): void {
    const s = state as RtcState;
    this.ram = s.ram.slice(0, RtcReg.COUNT).map((b) => b & 0xff);
    this.seconds = s.seconds;
    this.dowAdjust = s.dowAdjust;
    this.origin = s.origin;
    this.periodic = s.periodic;
    this.flags = s.flags;
    this.irqLevel = s.irq;
    this.irq.set(this.irqLevel);
  }

  /** The calendar as seconds since 1970 at the last update (for the debugger). */
  time(): number {
    this.refresh(this.clock.now());
    return this.seconds;
  }

  private running(): boolean {
    return (this.ram[RtcReg.A] & RegA.DV_RESET) !== RegA.DV_RESET;
  }

  /** Accounts for every update cycle and periodic event in (last refresh, now]. */
  private refresh(now: number): void {
    if (!this.running()) return;
    const c = this.cpuHz;
    const elapsed = now - this.origin;
    const secs = idiv(elapsed, c);
    const rate = periodicRateHz(this.ram[RtcReg.A]);
    if (rate > 0) {
      const within = eventsWithin(elapsed - secs * c, c, rate);
      if (secs * rate + within > this.periodic) this.flags |= RegC.PF;
      this.periodic = within;
    }
    if (secs > 0) {
      this.origin += secs * c;
      if (!(this.ram[RtcReg.B] & RegB.SET)) this.updateCycles(secs);
    }
  }

  /** Runs `n` update cycles: UF, and AF when the alarm matched one of them. */
  private updateCycles(n: number): void {
    this.flags |= RegC.UF;
    // The alarm compares time of day only, so any 86400 consecutive seconds
    // contain every match there is.
    for (let i = Math.max(1, n - DAY + 1); i <= n; i++) {
      if (this.alarmMatches(this.seconds + i)) { this.flags |= RegC.AF; break; }
    }
    this.seconds += n;
  }

  private alarmMatches(t: number): boolean {
    const sod = ((t % DAY) + DAY) % DAY;
    const hit = (alarm: number, now: number) => alarm >= ALARM_ANY || alarm === now;
    return hit(this.ram[RtcReg.ALARM_SEC], this.enc(sod % 60))
      && hit(this.ram[RtcReg.ALARM_MIN], this.enc(Math.floor(sod / 60) % 60))
      && hit(this.ram[RtcReg.ALARM_HOUR], this.encHour(Math.floor(sod / 3600)));
  }

  /** UIP: set in the 244 µs before an update cycle (data sheet, table 6). */
  private updatePending(): boolean {
    if (!this.running() || (this.ram[RtcReg.B] & RegB.SET)) return false;
    const window = idiv(this.cpuHz * 8, 32768);
    return this.origin + this.cpuHz - this.clock.now() <= window;
  }

  /** REGC: returns the flags with IRQF, then clears them and releases IRQ. */
  private readC(): number {
    const v = this.flags | (this.irqf() ? RegC.IRQF : 0);
    this.flags = 0;
    this.updateIrq();
    return v;
  }

  private irqf(): boolean {
    const b = this.ram[RtcReg.B], f = this.flags;
    return ((f & RegC.PF) !== 0 && (b & RegB.PIE) !== 0)
      || ((f & RegC.AF) !== 0 && (b & RegB.AIE) !== 0)
      || ((f & RegC.UF) !== 0 && (b & RegB.UIE) !== 0);
  }

  private updateIrq(): void {
    const level = this.irqf();
    if (level === this.irqLevel) return;
    this.irqLevel = level;
    this.irq.set(level);
  }

  /** REGA: a new rate or a release from divider reset restarts the count. */
  private writeA(v: number): void {
    const wasRunning = this.running();
    this.ram[RtcReg.A] = v & ~RegA.UIP;
    if (!this.running()) return;
    const now = this.clock.now();
    // The first update cycle comes half a second after the divider is released.
    if (!wasRunning) this.origin = now - idiv(this.cpuHz, 2);
    const rate = periodicRateHz(this.ram[RtcReg.A]);
    this.periodic = rate > 0 ? eventsWithin(now - this.origin, this.cpuHz, rate) : 0;
  }

  /** REGB: setting SET stops updates and clears UIE (data sheet, register B). */
  private writeB(v: number): void {
    this.ram[RtcReg.B] = (v & RegB.SET) ? v & ~RegB.UIE : v;
  }

  /** The time or date register `reg` in the current data mode. */
  private timeByte(reg: number): number {
    const f = this.fields();
    switch (reg) {
      case RtcReg.SEC: return this.enc(f.second);
      case RtcReg.MIN: return this.enc(f.minute);
      case RtcReg.HOUR: return this.encHour(f.hour);
      case RtcReg.DOW: return this.enc(f.dow);
      case RtcReg.DOM: return this.enc(f.day);
      case RtcReg.MONTH: return this.enc(f.month);
      default: return this.enc((((f.year - this.yearBase) % 100) + 100) % 100);
    }
  }

  /**
   * Sets one time or date field; the calendar is recomputed from the fields,
   * so out-of-range values carry arithmetically (61 seconds is 1:01). The
   * data sheet leaves out-of-range values undefined. A year keeps the century.
   */
  private writeTime(reg: number, v: number): void {
    const f = this.fields();
    const n = reg === RtcReg.HOUR ? this.decHour(v) : this.dec(v);
    const days = Math.floor(this.seconds / DAY);
    if (reg === RtcReg.DOW) { this.dowAdjust = (((n - 1 - weekday(days)) % 7) + 7) % 7; return; }
    if (reg === RtcReg.SEC) f.second = n;
    else if (reg === RtcReg.MIN) f.minute = n;
    else if (reg === RtcReg.HOUR) f.hour = n;
    else if (reg === RtcReg.DOM) f.day = n;
    else if (reg === RtcReg.MONTH) f.month = n;
    else f.year += n - ((((f.year - this.yearBase) % 100) + 100) % 100);
    const newDays = daysFromCivil(f.year, f.month, f.day);
    this.dowAdjust = (((this.dowAdjust + weekday(days) - weekday(newDays)) % 7) + 7) % 7;
    this.seconds = newDays * DAY + f.hour * 3600 + f.minute * 60 + f.second;
  }

  private fields() {
    const days = Math.floor(this.seconds / DAY);
    const sod = this.seconds - days * DAY;
    const { year, month, day } = civilFromDays(days);
    const dow = ((weekday(days) + this.dowAdjust) % 7) + 1;
    return { year, month, day, dow, hour: Math.floor(sod / 3600), minute: Math.floor(sod / 60) % 60, second: sod % 60 };
  }

  /** Binary or BCD by REGB.DM. */
  private enc(n: number): number {
    return (this.ram[RtcReg.B] & RegB.DM) ? n : (Math.floor(n / 10) << 4) | (n % 10);
  }

  private dec(b: number): number {
    return (this.ram[RtcReg.B] & RegB.DM) ? b : (b >> 4) * 10 + (b & 15);
  }

  /** Hours 0..23, or 1..12 with bit 7 = PM in 12-hour mode. */
  private encHour(h: number): number {
    if (this.ram[RtcReg.B] & RegB.H24) return this.enc(h);
    return this.enc(h % 12 === 0 ? 12 : h % 12) | (h >= 12 ? 0x80 : 0);
  }

  private decHour(b: number): number {
    if (this.ram[RtcReg.B] & RegB.H24) return this.dec(b);
    return (this.dec(b & 0x7f) % 12) + ((b & 0x80) ? 12 : 0);
  }

  private unimplemented(offset: number, size: AccessSize, access: 'read' | 'write'): number {
    this.trace({ kind: 'device-unimplemented', cycle: this.clock.now(), device: this.name, offset, size, access });
    return 0;
  }
}

function isTimeReg(reg: number): boolean {
  return reg <= RtcReg.YEAR && reg !== RtcReg.ALARM_SEC && reg !== RtcReg.ALARM_MIN && reg !== RtcReg.ALARM_HOUR;
}

/** 0 = Sunday; 1970-01-01 was a Thursday. */
function weekday(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

/** floor(a / b) for integers, exact (no floating-point rounding). */
function idiv(a: number, b: number): number {
  return (a - (((a % b) + b) % b)) / b;
}

/**
 * The number of periodic events k >= 1 with floor(k*cpuHz/rate) <= e, for
 * 0 <= e < cpuHz: the largest k with k*cpuHz < (e+1)*rate, exactly.
 */
function eventsWithin(e: number, cpuHz: number, rate: number): number {
  return idiv((e + 1) * rate + cpuHz - 1, cpuHz) - 1;
}
