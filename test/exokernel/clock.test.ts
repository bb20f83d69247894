// The kernel's clock driver (src/exokernel/clock.ts) and the rule that the
// kernel's drivers name the machine's registers (docs/architecture.md,
// "The exokernel").

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KN02_IP, Machine, RTC_REG_STRIDE, RtcReg, RtcRegB } from '../../src/emu/index.js';
import { periodicRateHz } from '../../src/emu/devices/rtc.js';
import { ackClock, startClock } from '../../src/exokernel/clock.js';

const rtcBase = 0x1fe80000;

describe('the clock driver', () => {
  it('startClock programs the periodic interrupt at the tick rate, binary and 24-hour', () => {
    for (const hz of [2, 64, 1024, 8192]) {
      const m = new Machine({ ramSize: 1 << 20 });
      startClock(m.bus, hz);
      expect(periodicRateHz(m.bus.read(rtcBase + RTC_REG_STRIDE * RtcReg.A, 1))).toBe(hz);
      expect(m.bus.read(rtcBase + RTC_REG_STRIDE * RtcReg.B, 1)).toBe(RtcRegB.PIE | RtcRegB.DM | RtcRegB.H24);
    }
  });

  it('the clock interrupts on IP3 after a tick and ackClock drops the line', () => {
    const m = new Machine({ ramSize: 1 << 20 });
    startClock(m.bus, 1024);
    m.idleTo(m.cpu.cycles + Math.ceil(m.cpuHz / 1024) + 1);
    expect(m.cpu.causeValue & KN02_IP.rtc).toBe(KN02_IP.rtc);
    ackClock(m.bus);
    expect(m.cpu.causeValue & KN02_IP.rtc).toBe(0);
  });
});

describe('the kernel names the machine\'s registers', () => {
  it('no kernel source spells a device\'s physical address or a bare interrupt bit in code', () => {
    const dir = resolve(import.meta.dirname, '../../src/exokernel');
    const bad: string[] = [];
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      readFileSync(join(dir, f), 'utf8').split('\n').forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '').replace(/\/\*\*.*\*\//, '');
        if (/0x1f[0-9a-f]{6}\b/i.test(code) || /\b0x0?[48]00\b/.test(code) || /\b0x40 \| 0x04\b/.test(code)) bad.push(`${f}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(bad).toEqual([]);
  });
});
