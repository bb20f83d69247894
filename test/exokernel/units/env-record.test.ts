// The environment record: cycle fields start as doubles (env.ts, CYCLES)
// but read as a plain 0, before and after the environment runs.

import { describe, expect, it } from 'vitest';
import { exosImage } from '../helpers.js';
import { Kernel } from '../../../src/exokernel/index.js';

describe('an environment record', () => {
  it('starts with its cycle counts at +0 (never the -0 the fields are made with) and counts from there', () => {
    const k = new Kernel({ ramSize: 8 << 20 });
    const a = k.createEnv(exosImage('hello'), 'a');
    expect(Object.is(a.cpuCycles, 0)).toBe(true);
    expect(Object.is(a.lastRun, 0)).toBe(true);
    expect(JSON.stringify({ c: a.cpuCycles, l: a.lastRun })).toBe('{"c":0,"l":0}');
    k.createEnv(exosImage('hello'), 'b');
    k.run(3_000_000);
    expect(a.cpuCycles).toBeGreaterThan(0);
    expect(a.lastRun).toBeGreaterThan(0);
  });
});

describe("the kernel's count of cycles charged", () => {
  it('starts at +0 (never the -0 the field is made with, a double for V8) and counts from there, an ASH charge included', () => {
    const k = new Kernel({ ramSize: 8 << 20 });
    expect(Object.is(k.charged, 0) || k.charged > 0).toBe(true);
    const before = k.charged;
    k.charge(1.5e9); // past 2^30
    k.charge(0.5);
    expect(k.charged).toBe(before + 1.5e9 + 0.5);
  });
});
