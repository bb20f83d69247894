import { describe, expect, it } from 'vitest';
import type { MachineEvent } from '../../../src/emu/device.js';
import {
  RegA, RegB, RegC, RegD, Rtc, RtcReg, RTC_DEFAULT_START, civilFromDays, daysFromCivil, periodicRateHz,
} from '../../../src/emu/devices/rtc.js';

const HZ = 25_000_000;

function setup(opts: { start?: number; cpuHz?: number } = {}) {
  const clock = { t: 0, now() { return this.t; } };
  const levels: boolean[] = [];
  const events: MachineEvent[] = [];
  const rtc = new Rtc({ clock, irq: { set: (l) => levels.push(l) }, trace: (e) => events.push(e), ...opts });
  const rd = (reg: number) => rtc.read(reg * 4, 1);
  const wr = (reg: number, v: number) => rtc.write(reg * 4, 1, v);
  const at = (t: number) => { clock.t = t; };
  const irq = () => levels.length > 0 && levels[levels.length - 1];
  return { rtc, clock, levels, events, rd, wr, at, irq };
}

const epoch = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;

describe('calendar arithmetic', () => {
  it('daysFromCivil and civilFromDays agree on known dates', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(2000, 3, 1)).toBe(11017);
    expect(civilFromDays(11016)).toEqual({ year: 2000, month: 2, day: 29 });
    expect(civilFromDays(daysFromCivil(1995, 12, 3))).toEqual({ year: 1995, month: 12, day: 3 });
  });

  it('daysFromCivil carries out-of-range months and days', () => {
    expect(daysFromCivil(1995, 13, 1)).toBe(daysFromCivil(1996, 1, 1));
    expect(daysFromCivil(1995, 12, 32)).toBe(daysFromCivil(1996, 1, 1));
    expect(daysFromCivil(1996, 0, 1)).toBe(daysFromCivil(1995, 12, 1));
  });
});

describe('Rtc time registers', () => {
  it('start at 1995-12-03 00:00:00, a Sunday, in binary 24-hour mode', () => {
    const { rd } = setup();
    expect([rd(RtcReg.SEC), rd(RtcReg.MIN), rd(RtcReg.HOUR)]).toEqual([0, 0, 0]);
    expect([rd(RtcReg.DOW), rd(RtcReg.DOM), rd(RtcReg.MONTH), rd(RtcReg.YEAR)]).toEqual([1, 3, 12, 95]);
    expect(rd(RtcReg.B)).toBe(RegB.DM | RegB.H24);
    expect(rd(RtcReg.A)).toBe(RegA.DV_32KHZ);
    expect(RTC_DEFAULT_START).toBe(epoch(1995, 12, 3));
  });

  it('advance one second every cpuHz cycles, exactly', () => {
    const { rd, at } = setup();
    at(HZ - 1);
    expect(rd(RtcReg.SEC)).toBe(0);
    at(HZ);
    expect(rd(RtcReg.SEC)).toBe(1);
    at(3600 * HZ + 61 * HZ);
    expect([rd(RtcReg.HOUR), rd(RtcReg.MIN), rd(RtcReg.SEC)]).toEqual([1, 1, 1]);
  });

  it('carry through midnight of a new year and wrap the year register', () => {
    const { rd, at } = setup({ start: epoch(1999, 12, 31, 23, 59, 59) });
    expect(rd(RtcReg.DOW)).toBe(6); // Friday
    at(HZ);
    expect([rd(RtcReg.YEAR), rd(RtcReg.MONTH), rd(RtcReg.DOM), rd(RtcReg.HOUR)]).toEqual([0, 1, 1, 0]);
    expect(rd(RtcReg.DOW)).toBe(7); // Saturday
  });

  it('read in BCD when REGB.DM is clear', () => {
    const { rd, wr } = setup({ start: epoch(1995, 12, 3, 23, 45, 59) });
    wr(RtcReg.B, RegB.H24);
    expect([rd(RtcReg.HOUR), rd(RtcReg.MIN), rd(RtcReg.SEC), rd(RtcReg.MONTH), rd(RtcReg.YEAR)])
      .toEqual([0x23, 0x45, 0x59, 0x12, 0x95]);
  });

  it('give hours 1..12 with bit 7 for PM in 12-hour mode', () => {
    const { rd, wr, at } = setup({ start: epoch(1995, 12, 3, 0, 0, 0) });
    wr(RtcReg.B, RegB.DM);
    expect(rd(RtcReg.HOUR)).toBe(12); // midnight is 12 AM
    at(13 * 3600 * HZ);
    expect(rd(RtcReg.HOUR)).toBe(0x80 | 1);
    wr(RtcReg.B, 0); // BCD, 12-hour
    at(36 * 3600 * HZ); // noon the next day
    expect(rd(RtcReg.HOUR)).toBe(0x80 | 0x12);
  });

  it('stop updating while SET is set and resume when it is cleared', () => {
    const { rd, wr, at } = setup();
    wr(RtcReg.B, RegB.SET | RegB.DM | RegB.H24);
    wr(RtcReg.HOUR, 10);
    wr(RtcReg.MIN, 30);
    wr(RtcReg.SEC, 0);
    at(3 * HZ);
    expect([rd(RtcReg.HOUR), rd(RtcReg.MIN), rd(RtcReg.SEC)]).toEqual([10, 30, 0]);
    wr(RtcReg.B, RegB.DM | RegB.H24);
    at(4 * HZ);
    expect(rd(RtcReg.SEC)).toBe(1);
  });

  it('clear UIE when SET is written', () => {
    const { rd, wr } = setup();
    wr(RtcReg.B, RegB.SET | RegB.UIE | RegB.DM);
    expect(rd(RtcReg.B)).toBe(RegB.SET | RegB.DM);
  });

  it('carry an out-of-range field written by the guest', () => {
    const { rd, wr } = setup();
    wr(RtcReg.SEC, 61);
    expect([rd(RtcReg.MIN), rd(RtcReg.SEC)]).toEqual([1, 1]);
  });

  it('keep a written day of week through date changes and advance it at midnight', () => {
    const { rd, wr, at } = setup({ start: epoch(1995, 12, 3, 23, 59, 59) });
    wr(RtcReg.DOW, 4);
    expect(rd(RtcReg.DOW)).toBe(4);
    wr(RtcReg.DOM, 10);
    expect(rd(RtcReg.DOW)).toBe(4);
    at(HZ);
    expect([rd(RtcReg.DOM), rd(RtcReg.DOW)]).toEqual([11, 5]);
  });

  it('keep the century when the year register is written', () => {
    const { rd, wr, rtc } = setup({ start: epoch(2001, 6, 1) });
    expect(rd(RtcReg.YEAR)).toBe(1);
    wr(RtcReg.YEAR, 5);
    expect(rtc.time()).toBe(epoch(2005, 6, 1));
  });
});

describe('periodicRateHz', () => {
  it('follows the data sheet table for the 32.768 kHz base', () => {
    const rates = Array.from({ length: 16 }, (_, rs) => periodicRateHz(RegA.DV_32KHZ | rs));
    expect(rates).toEqual([0, 256, 128, 8192, 4096, 2048, 1024, 512, 256, 128, 64, 32, 16, 8, 4, 2]);
  });

  it('gives 32768 and 16384 Hz for rates 1 and 2 with the MHz bases', () => {
    expect([periodicRateHz(0x01), periodicRateHz(0x02), periodicRateHz(0x11), periodicRateHz(0x03)]).toEqual([32768, 16384, 32768, 8192]);
  });
});

describe('Rtc periodic interrupt', () => {
  it('sets PF at floor(cpuHz/rate) and raises IRQ when PIE is set', () => {
    const { rtc, rd, wr, at, irq } = setup();
    wr(RtcReg.A, RegA.DV_32KHZ | 6);
    wr(RtcReg.B, RegB.PIE | RegB.DM | RegB.H24);
    expect(rtc.nextEvent()).toBe(24414); // floor(25e6 / 1024)
    at(24413); rtc.tick(24413);
    expect(irq()).toBe(false);
    at(24414); rtc.tick(24414);
    expect(irq()).toBe(true);
    expect(rd(RtcReg.C)).toBe(RegC.IRQF | RegC.PF);
    expect(irq()).toBe(false);
    expect(rd(RtcReg.C)).toBe(0);
    expect(rtc.nextEvent()).toBe(48828); // floor(2 * 25e6 / 1024)
  });

  it('keeps an exact schedule over ten seconds at 1024 Hz (no drift)', () => {
    const { rtc, rd, wr, at } = setup();
    wr(RtcReg.A, RegA.DV_32KHZ | 6);
    wr(RtcReg.B, RegB.PIE | RegB.DM | RegB.H24);
    let count = 0;
    for (let k = 1; k <= 10240; k++) {
      const t = rtc.nextEvent();
      expect(t).toBe(Math.floor((k * HZ) / 1024));
      at(t); rtc.tick(t);
      expect(rd(RtcReg.C) & RegC.PF).toBe(RegC.PF);
      count++;
    }
    expect(count).toBe(10240);
    expect(rtc.nextEvent()).toBe(10 * HZ + 24414);
  });

  it('matches floor(k*cpuHz/rate) at 8192 Hz with an odd CPU clock', () => {
    const hz = 24_999_999;
    const { rtc, wr, at } = setup({ cpuHz: hz });
    wr(RtcReg.A, RegA.DV_32KHZ | 3);
    wr(RtcReg.B, RegB.PIE | RegB.DM | RegB.H24);
    for (let k = 1; k <= 3 * 8192; k++) {
      const t = rtc.nextEvent();
      if (t !== Math.floor((k * hz) / 8192)) throw new Error(`event ${k} at ${t}`);
      at(t); rtc.tick(t);
      rtc.read(RtcReg.C * 4, 1);
    }
  });

  it('sets PF without PIE but raises IRQ only once PIE is enabled', () => {
    const { rtc, rd, wr, at, irq } = setup();
    wr(RtcReg.A, RegA.DV_32KHZ | 15); // 2 Hz
    expect(rtc.nextEvent()).toBe(Infinity);
    at(HZ);
    wr(RtcReg.B, RegB.PIE | RegB.DM | RegB.H24);
    expect(irq()).toBe(true);
    expect(rd(RtcReg.C)).toBe(RegC.IRQF | RegC.PF | RegC.UF);
  });

  it('releases IRQ when PIE is cleared', () => {
    const { rtc, wr, at, irq } = setup();
    wr(RtcReg.A, RegA.DV_32KHZ | 15);
    wr(RtcReg.B, RegB.PIE | RegB.DM | RegB.H24);
    at(rtc.nextEvent()); rtc.tick(HZ / 2);
    expect(irq()).toBe(true);
    wr(RtcReg.B, RegB.DM | RegB.H24);
    expect(irq()).toBe(false);
  });

  it('keeps a rate change aligned to the seconds of the divider', () => {
    const { rtc, wr, at } = setup();
    wr(RtcReg.A, RegA.DV_32KHZ | 15);
    wr(RtcReg.B, RegB.PIE | RegB.DM | RegB.H24);
    at(HZ / 4);
    wr(RtcReg.A, RegA.DV_32KHZ | 13); // 8 Hz
    expect(rtc.nextEvent()).toBe(Math.floor((3 * HZ) / 8));
  });
});

describe('Rtc update and alarm interrupts', () => {
  it('raises UF at each update cycle when UIE is set', () => {
    const { rtc, rd, wr, at, irq } = setup();
    wr(RtcReg.B, RegB.UIE | RegB.DM | RegB.H24);
    expect(rtc.nextEvent()).toBe(HZ);
    at(HZ); rtc.tick(HZ);
    expect(irq()).toBe(true);
    expect(rd(RtcReg.C)).toBe(RegC.IRQF | RegC.UF);
  });

  it('raises AF when the time matches the alarm', () => {
    const { rtc, rd, wr, at, irq } = setup();
    wr(RtcReg.ALARM_HOUR, 0); wr(RtcReg.ALARM_MIN, 0); wr(RtcReg.ALARM_SEC, 5);
    wr(RtcReg.B, RegB.AIE | RegB.DM | RegB.H24);
    for (let s = 1; s <= 4; s++) { at(s * HZ); rtc.tick(s * HZ); expect(irq()).toBe(false); rd(RtcReg.C); }
    at(5 * HZ); rtc.tick(5 * HZ);
    expect(irq()).toBe(true);
    expect(rd(RtcReg.C)).toBe(RegC.IRQF | RegC.AF | RegC.UF);
  });

  it('treats alarm bytes of 0xc0 and above as matching anything', () => {
    const { rtc, rd, wr, at } = setup();
    wr(RtcReg.ALARM_HOUR, 0xc0); wr(RtcReg.ALARM_MIN, 0xff); wr(RtcReg.ALARM_SEC, 0xc0);
    wr(RtcReg.B, RegB.AIE | RegB.DM | RegB.H24);
    at(HZ); rtc.tick(HZ);
    expect(rd(RtcReg.C) & RegC.AF).toBe(RegC.AF);
  });

  it('notes a passed alarm in AF even without AIE, with IRQF clear', () => {
    const { rd, wr, at } = setup();
    wr(RtcReg.ALARM_HOUR, 0); wr(RtcReg.ALARM_MIN, 0); wr(RtcReg.ALARM_SEC, 5);
    at(10 * HZ);
    expect(rd(RtcReg.C)).toBe(RegC.AF | RegC.UF);
  });
});

describe('Rtc status registers', () => {
  it('ignore writes to REGC and REGD; REGD always reads VRT', () => {
    const { rd, wr } = setup();
    wr(RtcReg.C, 0xff); wr(RtcReg.D, 0);
    expect(rd(RtcReg.C)).toBe(0);
    expect(rd(RtcReg.D)).toBe(RegD.VRT);
  });

  it('show UIP only in the 244 us before an update cycle', () => {
    const { rd, wr, at } = setup();
    at(HZ - 6104);
    expect(rd(RtcReg.A) & RegA.UIP).toBe(0);
    at(HZ - 6103);
    expect(rd(RtcReg.A) & RegA.UIP).toBe(RegA.UIP);
    wr(RtcReg.B, RegB.SET | RegB.DM | RegB.H24);
    expect(rd(RtcReg.A) & RegA.UIP).toBe(0);
    wr(RtcReg.A, 0xff);
    expect(rd(RtcReg.A) & 0x7f).toBe(0x7f);
  });

  it('freeze while the divider is in reset and update half a second after release', () => {
    const { rtc, rd, wr, at } = setup();
    wr(RtcReg.A, RegA.DV_RESET | 6);
    wr(RtcReg.B, RegB.PIE | RegB.DM | RegB.H24);
    expect(rtc.nextEvent()).toBe(Infinity);
    at(5 * HZ);
    expect(rd(RtcReg.SEC)).toBe(0);
    expect(rd(RtcReg.C)).toBe(0);
    wr(RtcReg.A, RegA.DV_32KHZ);
    at(5 * HZ + HZ / 2 - 1);
    expect(rd(RtcReg.SEC)).toBe(0);
    at(5 * HZ + HZ / 2);
    expect(rd(RtcReg.SEC)).toBe(1);
  });
});

describe('Rtc access', () => {
  it('keeps NVRAM bytes 14..63 and mirrors the window every 256 bytes', () => {
    const { rtc, rd, wr } = setup();
    for (let r = RtcReg.NVRAM_FIRST; r < RtcReg.COUNT; r++) wr(r, r ^ 0xa5);
    for (let r = RtcReg.NVRAM_FIRST; r < RtcReg.COUNT; r++) expect(rd(r)).toBe(r ^ 0xa5);
    expect(rtc.read(0x100 + 14 * 4, 1)).toBe(14 ^ 0xa5);
  });

  it('answers word reads with the byte zero-extended and reads other lanes as 0 with an event', () => {
    const { rtc, events } = setup();
    expect(rtc.read(RtcReg.MONTH * 4, 4)).toBe(12);
    expect(rtc.read(RtcReg.MONTH * 4 + 1, 1)).toBe(0);
    expect(events.at(-1)).toMatchObject({ kind: 'device-unimplemented', device: 'rtc', offset: 33 });
  });

  it('refuses a non-integer cpuHz', () => {
    expect(() => setup({ cpuHz: 1.5 })).toThrow(RangeError);
  });

  it('saves and restores its whole state as JSON, re-driving IRQ', () => {
    const a = setup();
    a.wr(RtcReg.A, RegA.DV_32KHZ | 6);
    a.wr(RtcReg.B, RegB.PIE | RegB.DM | RegB.H24);
    a.wr(20, 0x42);
    a.at(100_000); a.rtc.tick(100_000);
    const saved = JSON.parse(JSON.stringify(a.rtc.save()));
    const b = setup();
    b.at(100_000);
    b.rtc.restore(saved);
    expect(b.irq()).toBe(true);
    expect(b.rtc.save()).toEqual(a.rtc.save());
    expect(b.rd(20)).toBe(0x42);
    expect(b.rtc.nextEvent()).toBe(a.rtc.nextEvent());
    expect(b.rd(RtcReg.C)).toBe(a.rd(RtcReg.C));
  });
});
