// The CPU implements exactly the instruction table (src/emu/isa.ts): every
// entry the R3000A executes runs its sample word without Reserved
// Instruction, and a word raises Reserved Instruction exactly when no such
// entry matches it under the bits the chip decodes (IsaEntry.decodeMask).
// COP1-3 words raise Coprocessor Unusable instead (no FPU is modelled).
// Both the interpreter and the block translator are checked, word by word.

import { describe, expect, it } from 'vitest';
import { ExcCode } from '../../src/emu/cp0.js';
import { ISA, Machine, type IsaEntry } from '../../src/emu/index.js';
import { bare, CODE } from './helpers/bare.js';
import { count, scaled } from '../scale.js';

const exc = (cause: number) => (cause >>> 2) & 31;
const EXECUTED = ISA.filter((e) => e.r3000);

/** What the table says the chip does with `w`: Reserved Instruction, Coprocessor Unusable, or runs it. */
function expected(w: number): 'RI' | 'CpU' | 'runs' {
  const op = w >>> 26;
  if ((op >= 17 && op <= 19) || [49, 50, 51, 57, 58, 59].includes(op)) return 'CpU';
  return EXECUTED.some((e) => ((w & e.decodeMask) >>> 0) === ((e.match & e.decodeMask) >>> 0)) ? 'runs' : 'RI';
}

/** Runs `w` once on the interpreter in kernel mode; what it raised. */
function interpreted(): (w: number) => 'RI' | 'CpU' | 'runs' {
  const m = bare([0]);
  return (w) => {
    m.bus.ram32[(CODE & 0x1fffffff) >>> 2] = w | 0;
    m.cpu.regs.fill(CODE + 0x800);
    m.cpu.regs[0] = 0;
    m.cpu.status = 0;
    m.cpu.jump(CODE);
    m.run(1);
    if ((m.cpu.pc >>> 0) !== 0x80000080) return 'runs';
    const code = exc(m.cpu.causeValue);
    return code === ExcCode.RI ? 'RI' : code === ExcCode.CpU ? 'CpU' : 'runs';
  };
}

/** Runs `w` through the block translator (the word followed by a jump-to-self): what it raised. */
function translated(w: number): 'RI' | 'CpU' | 'runs' {
  const m = new Machine({ ramSize: 1 << 20, translate: true });
  const words = [w, 0x1000ffff, 0]; // w; b . ; nop
  m.load({ entry: CODE, segments: [{ vaddr: CODE, memsz: 12, data: new Uint8Array(Uint32Array.from(words, (x) => x >>> 0).buffer) }] });
  m.cpu.regs.fill(CODE + 0x800);
  m.cpu.regs[0] = 0;
  m.cpu.status = 0;
  m.run(m.cpu.cycles + 1);
  if ((m.cpu.pc >>> 0) !== 0x80000080) return 'runs';
  const code = exc(m.cpu.causeValue);
  return code === ExcCode.RI ? 'RI' : code === ExcCode.CpU ? 'CpU' : 'runs';
}

/** A seeded xorshift32 stream of words. */
function words(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; });
}

/** Words that sit on the decoder's edges: every opcode, every SPECIAL function, every REGIMM rt, every CP0 rs and CO function, with random other bits. */
function edgeWords(): number[] {
  const fill = words(64 * 4, 7);
  const out: number[] = [];
  for (let op = 0; op < 64; op++) out.push(((op << 26) | (fill[op] & 0x03ffffff)) >>> 0);
  for (let f = 0; f < 64; f++) out.push(((fill[64 + f] & 0x03ffffc0) | f) >>> 0);
  for (let rt = 0; rt < 32; rt++) out.push(((1 << 26) | (fill[128 + rt] & 0x03e0ffff) | (rt << 16)) >>> 0);
  for (let rs = 0; rs < 32; rs++) for (const rt of [0, 1, 2, 3]) out.push(((16 << 26) | (rs << 21) | (rt << 16) | (fill[160 + rs] & 0xffff)) >>> 0);
  for (let f = 0; f < 64; f++) out.push(((16 << 26) | 0x02000000 | (fill[192 + f] & 0x01ffffc0) | f) >>> 0);
  return out;
}

describe('the CPU implements exactly the instruction table', () => {
  it('every entry the R3000A executes runs its sample without Reserved Instruction', () => {
    const run = interpreted();
    const bad = EXECUTED.filter((e: IsaEntry) => run(e.sample) !== 'runs').map((e) => `${e.mnemonic} ${e.sample.toString(16)}`);
    expect(bad).toEqual([]);
  });

  it('objdump-only forms (jalx, cfc0, ctc0, c0, lwc0, swc0) raise Reserved Instruction', () => {
    const run = interpreted();
    const objdumpOnly = ISA.filter((e) => !e.r3000 && (e.unit === 'cpu' || e.unit === 'cp0'));
    expect(objdumpOnly.map((e) => e.mnemonic).sort()).toEqual(['c0', 'cfc0', 'ctc0', 'jalx', 'lwc0', 'swc0']);
    for (const e of objdumpOnly) expect(run(e.sample), e.mnemonic).toBe('RI');
  });

  it('must-be-zero fields are not decoded: sll with rs set, mfhi with rt set, mfc0 with low bits set run', () => {
    const run = interpreted();
    expect(run(0x01285140)).toBe('runs'); // sll $10,$8,5 with rs = 9
    expect(run(0x00285010)).toBe('runs'); // mfhi $10 with rs = 1, rt = 8
    expect(run(0x400a6007)).toBe('runs'); // mfc0 $10,$12 with the low bits 7
    expect(expected(0x01285140)).toBe('runs');
  });

  const edges = edgeWords();
  it(`the decoder's edges (${count(edges.length)} words): interpreter and translator raise RI exactly where the table has no entry`, () => {
    const run = interpreted();
    const bad: string[] = [];
    for (const w of edges) {
      const want = expected(w);
      const got = run(w), fast = translated(w);
      if (got !== want || fast !== want) bad.push(`${w.toString(16).padStart(8, '0')}: table ${want}, interpreter ${got}, translator ${fast}`);
    }
    expect(bad).toEqual([]);
  });

  const n = scaled(1_000_000, 20_000);
  it(`${count(n)} seeded random words: the interpreter raises RI exactly where the table has no entry`, () => {
    const run = interpreted();
    const bad: string[] = [];
    for (const w of words(n, 0x9e3779b9)) {
      const want = expected(w), got = run(w);
      if (got !== want && bad.length < 20) bad.push(`${w.toString(16).padStart(8, '0')}: table ${want}, CPU ${got}`);
    }
    expect(bad).toEqual([]);
  }, 60_000);
});
