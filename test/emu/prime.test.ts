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

  it('reaches the slow cases a machine meets soon after boot: misaligned and coprocessor accesses, COP0 in user mode, RI, bus errors, a store to code, firmware and a breakpoint', () => {
    const codes = new Set<number>();
    let codeWrites = 0, breakpoints = 0, firmware = 0;
    primeInterpreter((b) => {
      b.codeWrite = () => { codeWrites++; };
      const cpu = new Cpu(b), raise = cpu.raise.bind(cpu), step = cpu.step.bind(cpu);
      cpu.raise = (code: number, ...rest: unknown[]) => { codes.add(code); return (raise as (...a: unknown[]) => void)(code, ...rest); };
      cpu.step = () => {
        const hook = cpu.firmwareHook;
        if (hook) cpu.firmwareHook = (pa) => { firmware++; return hook(pa); };
        const r = step();
        if (cpu.stopReason === 'breakpoint') breakpoints++;
        return r;
      };
      return cpu;
    });
    // Int, TLBL, TLBS, AdEL, AdES, IBE, DBE, Sys, Bp, RI, CpU, Ov (R30xx manual, "ExcCode values").
    expect([...codes].sort((a, b) => a - b)).toEqual([0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(codeWrites).toBeGreaterThan(0);
    expect(breakpoints).toBe(1);
    expect(firmware).toBe(3);
  });

  it('leaves a CPU built after it as a new one is: its state owes nothing to the scratch CPU', () => {
    const before = new Cpu(bus()).save();
    primeInterpreter((b) => new Cpu(b));
    const after = new Cpu(bus());
    expect(after.save()).toEqual(before);
    expect(after.bus.ram32.every((w) => w === 0)).toBe(true);
  });
});
