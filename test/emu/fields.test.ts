// The CPU and the translator decode through the instruction table's field
// extractors (src/emu/isa.ts, MIPS RISC Architecture A.2): the interpreter
// holds isa.ts's own functions, and no decoder file pulls a field out of an
// instruction word with shifts and masks of its own.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cpu } from '../../src/emu/cpu.js';
import * as isa from '../../src/emu/isa.js';

const EMU = resolve(import.meta.dirname, '../../src/emu');

/** Shifts and masks that pull a field out of an instruction word `w` (opcode, rs, rt, rd, sa, funct, imm16, simm16, target). */
const INLINE_FIELD = [
  /\bw\s*>>>\s*(26|21|16|11|6)\b/,
  /\(\s*w\s*<<\s*16\s*\)\s*>>\s*(16|14)\b/,
  /\bw\s*&\s*(0x3f|63|0xffff|0x3ffffff|0x03ffffff)\b/,
];

describe('decoding through the instruction table', () => {
  it("the interpreter's extractors are isa.ts's functions", () => {
    const proto = Cpu.prototype as unknown as Record<string, unknown>;
    const expected = {
      opcode: isa.opcode, rsOf: isa.rs, rtOf: isa.rt, rdOf: isa.rd, sa: isa.sa, funct: isa.funct,
      imm16: isa.imm16, simm16: isa.simm16, target26: isa.target26,
    };
    for (const [name, fn] of Object.entries(expected)) expect(proto[name], name).toBe(fn);
  });

  it.each(['cpu.ts', 'interp.ts', 'mmu.ts', 'blockgen.ts', 'translate.ts'])('%s extracts no instruction field with its own shifts', (file) => {
    const lines = readFileSync(resolve(EMU, file), 'utf8').split('\n');
    const bad = lines.flatMap((l, i) => (INLINE_FIELD.some((re) => re.test(l)) ? [`${file}:${i + 1}: ${l.trim()}`] : []));
    expect(bad).toEqual([]);
  });

  it('the pattern catches the forms the decoder used to write out', () => {
    for (const l of ['const op = w >>> 26;', 'const rs = (w >>> 21) & 31;', 'r[rt] = r[rs] + ((w << 16) >> 16);',
      'switch (w & 63) {', 'next + ((w << 16) >> 14)', '(w & 0x3ffffff) << 2']) {
      expect(INLINE_FIELD.some((re) => re.test(l)), l).toBe(true);
    }
  });
});
