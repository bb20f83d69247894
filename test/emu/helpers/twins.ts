// The translating and interpreting machines the translator's adversarial
// tests compare (translate-adversarial*.test.ts), and what they check.

import { expect } from 'vitest';
import { Machine, type ProgramImage } from '../../../src/emu/index.js';
import { Lockstep } from '../../../src/emu/lockstep.js';
import { A, R } from './asm.js';
import { li } from './placed.js';

const RAM = 1 << 20;
/** Where the programs' code starts (kseg0). */
export const CODE = 0x80010000;
/** The data page the programs load from and store to (kseg0). */
export const DATA = 0x80030000;
/** kseg1 alias of a kseg0 address. */
export const kseg1 = (a: number): number => ((a & 0x1fffffff) | 0xa0000000) >>> 0;
/** The kuseg page that TLB entry 0 maps onto CODE's frame in the alias tests. */
export const USER = 0x00400000;
export const kuseg = (a: number): number => (a & 0xfff) | USER | ((a - CODE) & ~0xfff);
/** EntryLo bits (R30xx manual, fig. 6.2). */
export const D = 0x400, V = 0x200, G = 0x100;

/** A translating and an interpreting machine with `image` loaded. */
export function twins(image: ProgramImage, cpuHz?: number): { fast: Machine; ref: Machine } {
  const fast = new Machine({ ramSize: RAM, translate: true, hot: 4, cpuHz });
  const ref = new Machine({ ramSize: RAM, translate: false, cpuHz });
  fast.load(image); ref.load(image);
  return { fast, ref };
}

/** Runs `image` in lockstep for `cycles`; expects no difference and some compiled code. */
export function lockstep(image: ProgramImage, cycles: number, cpuHz?: number): Lockstep {
  const { fast, ref } = twins(image, cpuHz);
  const ls = new Lockstep(fast, ref);
  const r = ls.run(cycles);
  expect(r.mismatch, r.mismatch).toBeUndefined(); // the message in full: the default cuts it
  expect(r.reason).toBe('budget');
  expect(fast.cpu.translator!.stats.compiled).toBeGreaterThan(0);
  expectSame(fast, ref);
  return ls;
}

/** The whole CPU state and all of RAM are the same. */
export function expectSame(fast: Machine, ref: Machine): void {
  expect(fast.cpu.save()).toEqual(ref.cpu.save());
  expect(Buffer.compare(fast.bus.ram8, ref.bus.ram8), 'RAM').toBe(0);
}

/** Whether a compiled, live block of `m` holds the instruction at virtual `va`. */
export function compiledAt(m: Machine, va: number): boolean {
  return m.cpu.translator!.blocks().some((b) => b.compiled && b.addrs.includes(va | 0));
}

/** Sets up TLB entry `index` (EntryHi, EntryLo) from kernel code, with t9. */
export const tlbEntry = (index: number, hi: number, lo: number): number[] =>
  [...li(R.t9, hi), A.mtc0(R.t9, 10), ...li(R.t9, lo), A.mtc0(R.t9, 2), A.addiu(R.t9, R.zero, index << 8), A.mtc0(R.t9, 0), A.tlbwi()];
