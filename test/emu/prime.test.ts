// The interpreter's priming (prime.ts): it runs every instruction the
// R3000A executes, on a scratch CPU of its own, and leaves no trace on the
// CPUs built after it.

import { describe, expect, it } from 'vitest';
import { Bus } from '../../src/emu/bus.js';
import { Cpu } from '../../src/emu/cpu.js';
import { ISA } from '../../src/emu/isa.js';
import { primeInterpreter } from '../../src/emu/prime.js';

const bus = (): Bus => new Bus(1 << 16, () => {}, () => 0);

describe('primeInterpreter', () => {
  it('runs every ISA entry the R3000A executes, in table order, on a CPU of its own', () => {
    let steps = 0;
    const ran = primeInterpreter((b) => {
      const cpu = new Cpu(b), step = cpu.step.bind(cpu);
      cpu.step = () => { steps++; return step(); };
      return cpu;
    });
    expect(ran).toEqual(ISA.filter((e) => e.r3000).map((e) => e.mnemonic));
    // Each with the nop after it, some twice or at three addresses, then the faulting fetches and the interrupt.
    expect(steps).toBeGreaterThan(2 * ran.length + 4);
  });

  it('leaves a CPU built after it as a new one is: its state owes nothing to the scratch CPU', () => {
    const before = new Cpu(bus()).save();
    primeInterpreter((b) => new Cpu(b));
    const after = new Cpu(bus());
    expect(after.save()).toEqual(before);
    expect(after.bus.ram32.every((w) => w === 0)).toBe(true);
  });
});
