// Fuzzing the LANCE as a hostile or broken driver would program it: random
// register writes, random init blocks and descriptors in the SRAM, random
// frames on the wire, time passing, checkpoints. The device must never throw,
// never touch memory outside its SRAM (every SRAM access is bounds-checked
// here, and main RAM must stay as it was), keep CSR0 and its interrupt line
// consistent, and leave the machine running.

import { describe, expect, it } from 'vitest';
import { Lance, LanceCsr0 as C0, Machine, PMAD_PHYS_BASE, PmadOffset, type LanceState } from '../../../src/emu/index.js';
import { A } from '../helpers/asm.js';
import { checkedKernel, Prog, R } from '../../exokernel/helpers.js';
import { count, scaled, timeoutFor } from '../../scale.js';

/** Random operations on the bare LANCE (EXOSCOPE_FUZZ=full: 100,000; test/scale.ts), restored 20 times along the way. */
const STEPS = scaled(100_000, 10_000);
const RESTORE_EVERY = STEPS / 20;
/** Random operations on the LANCE under a running kernel (EXOSCOPE_FUZZ=full: 20,000). */
const KERNEL_STEPS = scaled(20_000, 4_000);

const BASE = PMAD_PHYS_BASE;
const SRAM = 0x20000;

/** mulberry32: a small seeded generator, so every run fuzzes the same way. */
function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  return { next, int, pick };
}

/** Replaces the device's SRAM array with a proxy that records every access outside it. */
function guardSram(lance: Lance, outside: string[]): void {
  const mem = (lance as unknown as { mem: { bytes: Uint8Array } }).mem;
  const t = mem.bytes, n = t.length;
  const check = (what: string, lo: number, hi: number) => { if (!(lo >= 0 && lo <= hi && hi <= n)) outside.push(`${what} [${lo}, ${hi})`); };
  const index = (p: string | symbol) => (typeof p === 'string' && /^-?\d+$/.test(p) ? Number(p) : undefined);
  mem.bytes = new Proxy(t, {
    get(target, p) {
      const i = index(p);
      if (i !== undefined) { check('read', i, i + 1); return target[i]; }
      if (p === 'subarray' || p === 'slice') return (s = 0, e = n) => { check(p, s, e); return target[p](s, e); };
      if (p === 'set') return (src: ArrayLike<number>, off = 0) => { check('set', off, off + src.length); target.set(src, off); };
      const v = Reflect.get(target, p, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
    set(target, p, v) {
      const i = index(p);
      if (i === undefined) return Reflect.set(target, p, v, target);
      check('write', i, i + 1);
      target[i] = v as number;
      return true;
    },
  });
}

type Gen = ReturnType<typeof prng>;
type Op = (m: Machine, g: Gen, run: (cycles: number) => void) => void;

const w16 = (m: Machine, off: number, v: number) => m.bus.write(BASE + off, 2, v & 0xffff);
const wcsr = (m: Machine, n: number, v: number) => { w16(m, PmadOffset.RAP, n); w16(m, PmadOffset.RDP, v); };
const anyAddr = (g: Gen) => g.pick([g.int(0x200), 0x100 + g.int(0x400), g.int(SRAM), SRAM - g.int(64), g.int(0x1000000)]);
const byteCount = (g: Gen) => g.pick([0, 1, 0xffff, 0xf000, 0x10000 - g.int(64), 0x10000 - g.int(2000), g.int(0x10000)]);
/** The sane layout a driver would use: init block at 0, rings of 8 at 0x100 and 0x200, 0x600-byte buffers. */
const RXR = 0x100, TXR = 0x200, RXB = 0x1000, TXB = 0x8000, B = 0x600;

/** Random operations with their weights: a hostile or broken driver, a sane one, the wire, and time. */
const OPS: readonly (readonly [number, Op])[] = [
  [8, (m, g) => w16(m, PmadOffset.RAP, g.pick([0, 0, 1, 2, 3, g.int(0x10000)]))],
  [15, (m, g) => wcsr(m, 0, g.pick([C0.INIT, C0.STRT, C0.STOP, C0.TDMD | C0.INEA, C0.INEA | 0x7f00, C0.INIT | C0.STRT, g.int(0x10000)]))],
  [3, (m, g) => w16(m, PmadOffset.RDP, g.int(0x10000))],
  [4, (m, g) => { m.bus.read(BASE + g.pick([PmadOffset.RDP, PmadOffset.RAP]), g.pick([1, 2, 4] as const)); }],
  [20, (m, g) => w16(m, g.pick([g.int(0x20), 0x100 + 2 * g.int(0x200), 2 * g.int(SRAM / 2)]) & ~1, g.int(0x10000))],
  [12, (m, g) => { // a random descriptor
    const d = g.pick([RXR, TXR, 2 * g.int(SRAM / 2)]) + 8 * g.int(16), a = anyAddr(g);
    w16(m, d, a); w16(m, d + 4, byteCount(g)); w16(m, d + 6, g.int(0x10000));
    w16(m, d + 2, (g.pick([0x8000, 0x8300, 0x8200, 0x8100, g.int(0x10000)]) & 0xff00) | ((a >>> 16) & 0xff));
  }],
  [3, (m, g) => { // a random init block
    const words = [g.pick([0, 0x8000, 0x0044, 0x0004, 0x0003, g.int(0x10000)]), 0x0008, 0x952b, 0x0312, g.int(0x10000), 0, 0, 0,
      anyAddr(g), (g.int(8) << 13) | g.int(0x100), anyAddr(g), (g.int(8) << 13) | g.int(0x100)];
    words.forEach((v, i) => w16(m, i * 2, v));
  }],
  [1, (m, g) => { // a sane setup: init block, owned receive buffers, STOP, INIT, STRT
    const words = [g.pick([0, 0, 0x8000, 0x0044, 0x0008]), 0x0008, 0x952b, 0x0312, g.int(0x10000), 0, 0, 0, RXR, 3 << 13, TXR, 3 << 13];
    words.forEach((v, i) => w16(m, i * 2, v));
    for (let i = 0; i < 8; i++) { w16(m, RXR + 8 * i, RXB + B * i); w16(m, RXR + 8 * i + 4, -B); w16(m, RXR + 8 * i + 2, 0x8000); w16(m, TXR + 8 * i + 2, 0); }
    wcsr(m, 0, C0.STOP); wcsr(m, 3, g.pick([0, 0, 0, 4])); wcsr(m, 1, 0); wcsr(m, 2, 0); wcsr(m, 0, C0.INIT); wcsr(m, 0, C0.STRT | C0.INEA);
  }],
  [5, (m, g) => { // a sane transmit
    const i = g.int(8), len = 1 + g.int(1600);
    for (let k = 0; k < len; k += 4) m.bus.write(BASE + TXB + B * i + k, 4, g.int(0x100000000));
    w16(m, TXR + 8 * i, TXB + B * i); w16(m, TXR + 8 * i + 4, -len); w16(m, TXR + 8 * i + 2, 0x8300);
    if (g.next() < 0.7) wcsr(m, 0, C0.TDMD | C0.INEA);
  }],
  [3, (m) => { for (let i = 0; i < 8; i++) { w16(m, RXR + 8 * i + 4, -B); w16(m, RXR + 8 * i + 2, 0x8000); } }],
  [3, (m) => { w16(m, PmadOffset.RAP, 0); const c = m.bus.read(BASE + PmadOffset.RDP, 2); w16(m, PmadOffset.RDP, (c & 0x7f00) | C0.INEA); }],
  [8, (m, g) => { // a frame on the wire
    const len = g.pick([0, 5, 59, 60, 64, 200, 1514, 1600, 4091, g.int(4092)]);
    const f = new Uint8Array(len);
    for (let i = 0; i < len; i++) f[i] = g.int(256);
    f.set(g.pick([[8, 0, 0x2b, 0x95, 0x12, 3], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [1, 0, 0x5e, 0, 0, g.int(256)], [g.int(256), 1, 2, 3, 4, 5]]).slice(0, len));
    m.lance.receive(f);
  }],
  [12, (_m, g, run) => run(g.pick([1, 10, 100, 1000, 5000, 40_000, 100_000]))],
  [2, (m, g) => { // the rest of the window: ROMs, undecoded space
    const off = g.pick([0x1c0000 + g.int(0x40000), 0x3c0000 + g.int(0x40000), 0x20000 + g.int(0xe0000), 0x180000 + g.int(0x40000), g.int(0x400000)]);
    const size = g.pick([1, 2, 4] as const), pa = BASE + (off & ~(size - 1));
    if (g.next() < 0.5) m.bus.read(pa, size); else m.bus.write(pa, size, g.int(0x100000000));
  }],
];
const TOTAL = OPS.reduce((n, [w]) => n + w, 0);

/** One random operation on the machine's LANCE, through the bus as a guest would, or on the wire. */
function fuzzStep(m: Machine, g: Gen, run: (cycles: number) => void): void {
  let r = g.next() * TOTAL;
  for (const [w, op] of OPS) { if (r < w) { op(m, g, run); return; } r -= w; }
}

/** CSR0's computed bits agree with its sources, STOP excludes activity, and the line follows INEA && INTR. */
function consistent(m: Machine): string | undefined {
  const c = m.lance.registers().csr[0];
  const intr = (c & (C0.BABL | C0.MISS | C0.MERR | C0.RINT | C0.TINT | C0.IDON)) !== 0;
  const err = (c & (C0.BABL | C0.CERR | C0.MISS | C0.MERR)) !== 0;
  if (((c & C0.INTR) !== 0) !== intr) return `INTR wrong in 0x${c.toString(16)}`;
  if (((c & C0.ERR) !== 0) !== err) return `ERR wrong in 0x${c.toString(16)}`;
  if ((c & C0.STOP) && (c & (C0.RXON | C0.TXON | C0.STRT | C0.TDMD))) return `STOP with activity in 0x${c.toString(16)}`;
  const line = (m.csr.read(0, 1) & 0x40) !== 0;
  if (line !== ((c & C0.INEA) !== 0 && intr)) return `interrupt line ${line} with CSR0 0x${c.toString(16)}`;
  return undefined;
}

function idleMachine(): Machine {
  const m = new Machine({ ramSize: 1 << 20 });
  const code = new Uint8Array(new Int32Array([A.beq(0, 0, -1), A.nop()]).buffer);
  m.load({ entry: 0x80001000, segments: [{ vaddr: 0x80001000, memsz: code.length, data: code }] });
  return m;
}

describe('Lance fuzz', () => {
  it(`survives ${count(STEPS)} random operations without throwing, leaving its SRAM or losing consistency`, () => {
    const m = idleMachine();
    const outside: string[] = [];
    guardSram(m.lance, outside);
    const ram = m.bus.ram8.slice();
    const g = prng(0x5eed);
    const problems: string[] = [];
    let cycles = m.cpu.cycles, restores = 0;
    const run = (n: number) => { expect(m.run(n)).toBe('budget'); };
    for (let i = 0; i < STEPS; i++) {
      fuzzStep(m, g, run);
      if (i % RESTORE_EVERY === RESTORE_EVERY - 1) {
        const state = JSON.parse(JSON.stringify(m.lance.save())) as LanceState;
        m.lance.restore(state);
        restores++;
      }
      const bad = consistent(m);
      if (bad && problems.length < 10) problems.push(`op ${i}: ${bad}`);
    }
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
    expect(restores).toBe(20);
    run(200_000);
    expect(m.cpu.cycles).toBeGreaterThan(cycles);
    cycles = m.cpu.cycles;
    // The LANCE has no path to main RAM: the idle loop and everything else is as loaded.
    expect(Buffer.from(m.bus.ram8).equals(ram)).toBe(true);
    const s = m.lance.stats();
    for (const n of [s.transmitted, s.received, s.missed, s.dropped, s.filtered, s.errors]) expect(n).toBeGreaterThan(STEPS >= 100_000 ? 50 : 3); // every outcome, often at full size
  }, timeoutFor(100_000, 20_000, 30_000));

  it('leaves the kernel\'s invariant intact at every kernel entry while the LANCE is fuzzed under it', () => {
    const { k, violations, entries } = checkedKernel({ tickHz: 4096 });
    const spin = new Prog();
    spin.label('top').emit(A.addiu(R.t0, R.t0, 1)).branch(A.beq(R.zero, R.zero, 0), 'top').emit(A.nop());
    k.createEnv(spin.image(), 'spin-a');
    k.createEnv(spin.image(), 'spin-b');
    const g = prng(0xfeed);
    const before = k.now();
    for (let i = 0; i < KERNEL_STEPS; i++) fuzzStep(k.machine, g, (n) => { k.run(n); });
    expect(violations).toEqual([]);
    expect(entries()).toBeGreaterThan(100);
    expect(k.now()).toBeGreaterThan(before);
    expect([...k.envs.values()].every((e) => e.state !== 'destroyed')).toBe(true);
  });
});
