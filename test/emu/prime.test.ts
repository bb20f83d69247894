// The interpreter's priming (prime.ts): it runs every instruction the
// R3000A executes, on a scratch CPU of its own, and leaves no trace on the
// CPUs built after it.

import { describe, expect, it } from 'vitest';
import { Bus } from '../../src/emu/bus.js';
import { Cpu } from '../../src/emu/cpu.js';
import { ISA } from '../../src/emu/isa.js';
import { primeDispatcher, primeInterpreter } from '../../src/emu/prime.js';
import { Translator } from '../../src/emu/translate.js';

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

  it('takes exceptions with a load pending and one just issued, and rewrites a TLB entry (not global) whose page the soft TLB holds for a fetch, a load and a store', () => {
    const inFlight = new Set<string>();
    const held = new Set<string>();
    primeInterpreter((b) => {
      const cpu = new Cpu(b), raise = cpu.raise.bind(cpu);
      cpu.raise = (...a: unknown[]) => {
        if (cpu.pendReg !== 0) inFlight.add('pending');
        if (cpu.ldReg !== 0) inFlight.add('issued');
        return (raise as (...x: unknown[]) => void)(...a);
      };
      const soft = cpu.tlb.soft, drop = soft.dropEntry.bind(soft);
      soft.dropEntry = (hi: number, global: boolean) => {
        const vpn = hi & ~0xfff;
        if (!global) {
          for (const [name, tags] of [['fetch', soft.fTag], ['load', soft.lTag], ['store', soft.sTag]] as const) {
            if (tags.some((t) => t !== -1 && (t & ~0xfff) === vpn && ((t >>> 6) & 63) === ((hi >>> 6) & 63))) held.add(name);
          }
        }
        drop(hi, global);
      };
      return cpu;
    });
    expect([...inFlight].sort()).toEqual(['issued', 'pending']);
    expect([...held].sort()).toEqual(['fetch', 'load', 'store']);
  });

  it('leaves a CPU built after it as a new one is: its state owes nothing to the scratch CPU', () => {
    const before = new Cpu(bus()).save();
    primeInterpreter((b) => new Cpu(b));
    const after = new Cpu(bus());
    expect(after.save()).toEqual(before);
    expect(after.bus.ram32.every((w) => w === 0)).toBe(true);
  });
});

describe('primeDispatcher', () => {
  it('runs its program to the end in both passes, through compiled blocks, the interpreter and both exception vectors', () => {
    const cpus: Cpu[] = [];
    const entries: string[] = [];
    const compiled = primeDispatcher((b) => {
      const cpu = new Cpu(b), t = new Translator(cpu);
      t.hot = 1;
      cpu.useTranslator(t);
      cpu.exceptionHook = (_c, vector) => { entries.push(`${cpus.length}:${(vector >>> 0).toString(16)}:${(cpu.cause >>> 2) & 31}`); };
      cpus.push(cpu);
      return cpu;
    });
    expect(cpus).toHaveLength(2);
    for (const [i, cpu] of cpus.entries()) {
      expect(compiled[i], `pass ${i}`).toBeGreaterThanOrEqual(10); // every block of the program and the handler
      expect(cpu.regs[4], `pass ${i}: every turn`).toBe(cpu.regs[5]);
      expect(cpu.regs[4]).toBeGreaterThan(4);
      expect(cpu.pc >>> 0, `pass ${i}: in the closing self-loop`).toBeGreaterThan(0x80000200);
      // A store over a block's code every turn: the block is dropped and planned again.
      expect(cpu.translator!.stats.invalidated, `pass ${i}: blocks dropped`).toBeGreaterThanOrEqual(cpu.regs[4] - 1);
    }
    // Each turn: a TLB refill (a load leaving its block), a syscall (a block's trap) and a coprocessor-unusable (no block holds it).
    const turns = cpus[0].regs[4];
    for (const pass of [1, 2]) {
      const mine = entries.filter((e) => e.startsWith(`${pass}:`));
      expect(mine.filter((e) => e === `${pass}:80000000:2`)).toHaveLength(turns);
      expect(mine.filter((e) => e === `${pass}:80000080:8`)).toHaveLength(turns);
      expect(mine.filter((e) => e === `${pass}:80000080:11`)).toHaveLength(turns);
    }
  });
});
