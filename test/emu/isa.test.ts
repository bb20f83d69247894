import { describe, expect, it } from 'vitest';
import {
  ISA, type IsaEntry, decodeInstruction, funct, imm16, opcode, rd, rs, rt, sa, simm16, target26,
} from '../../src/emu/isa.js';

/** The first entry whose mask matches: what objdump does, without buckets. */
const linearDecode = (w: number): IsaEntry | undefined =>
  ISA.find((e) => ((w & e.mask) >>> 0) === e.match);

/** A deterministic xorshift32 stream. */
function words(seed: number, count: number): number[] {
  let s = seed;
  return Array.from({ length: count }, () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s;
  });
}

const mnemonicOf = (w: number): string | undefined => decodeInstruction(w)?.mnemonic;

describe('field extractors', () => {
  it('pull opcode, rs, rt and the immediate out of addiu sp,sp,-24 (0x27bdffe8)', () => {
    const w = 0x27bdffe8;
    expect([opcode(w), rs(w), rt(w), imm16(w), simm16(w)]).toEqual([9, 29, 29, 0xffe8, -24]);
  });

  it('pull rd, sa and funct out of sll t0,t1,31 (0x000947c0)', () => {
    const w = 0x000947c0;
    expect([rs(w), rt(w), rd(w), sa(w), funct(w)]).toEqual([0, 9, 8, 31, 0]);
  });

  it('pull the 26-bit word index out of jal (0x0c00c052)', () => {
    expect(target26(0x0c00c052)).toBe(0xc052);
    expect(target26(0xffffffff)).toBe(0x03ffffff);
  });
});

describe('the opcode table', () => {
  it('has every MIPS I integer instruction the R3000A executes', () => {
    const required = [
      'add', 'addu', 'sub', 'subu', 'and', 'or', 'xor', 'nor', 'slt', 'sltu',
      'addi', 'addiu', 'slti', 'sltiu', 'andi', 'ori', 'xori', 'lui',
      'sll', 'srl', 'sra', 'sllv', 'srlv', 'srav',
      'mult', 'multu', 'div', 'divu', 'mfhi', 'mthi', 'mflo', 'mtlo',
      'lb', 'lbu', 'lh', 'lhu', 'lw', 'lwl', 'lwr', 'sb', 'sh', 'sw', 'swl', 'swr',
      'beq', 'bne', 'blez', 'bgtz', 'bltz', 'bgez', 'bltzal', 'bgezal',
      'j', 'jal', 'jr', 'jalr', 'syscall', 'break',
      'mfc0', 'mtc0', 'rfe', 'tlbr', 'tlbwi', 'tlbwr', 'tlbp',
    ];
    const present = new Set(ISA.map((e) => e.instruction));
    expect(required.filter((m) => !present.has(m))).toEqual([]);
  });

  it('has the coprocessor forms objdump shows for COP1, COP2 and COP3', () => {
    const mnemonics = new Set(ISA.map((e) => e.mnemonic));
    for (const z of [1, 2, 3]) {
      for (const m of ['mfc', 'mtc', 'cfc', 'ctc', 'lwc', 'swc', 'c']) expect(mnemonics).toContain(`${m}${z}`);
      expect(mnemonics).toContain(`bc${z}f`);
      expect(mnemonics).toContain(`bc${z}t`);
    }
  });

  it('keeps every match inside its mask', () => {
    expect(ISA.filter((e) => ((e.match & ~e.mask) >>> 0) !== 0)).toEqual([]);
  });

  it('gives every entry a sample word that decodes back to that entry', () => {
    const wrong = ISA.filter((e) => decodeInstruction(e.sample) !== e)
      .map((e) => `${e.mnemonic} ${e.operands.join(',')} 0x${e.sample.toString(16)}`);
    expect(wrong).toEqual([]);
  });

  it('marks aliases with the instruction they encode', () => {
    const aliasOf = (w: number): string | undefined => decodeInstruction(w)?.instruction;
    expect(aliasOf(0x00000000)).toBe('sll');      // nop
    expect(aliasOf(0x01204021)).toBe('addu');     // move t0,t1
    expect(aliasOf(0x01204025)).toBe('or');       // move t0,t1
    expect(aliasOf(0x24080005)).toBe('addiu');    // li t0,5
    expect(aliasOf(0x34088000)).toBe('ori');      // li t0,0x8000
    expect(aliasOf(0x10000001)).toBe('beq');      // b
    expect(aliasOf(0x04010001)).toBe('bgez');     // b
    expect(aliasOf(0x04110001)).toBe('bgezal');   // bal
    expect(aliasOf(0x00094023)).toBe('subu');     // negu t0,t1
    expect(ISA.filter((e) => e.alias).every((e) => e.instruction !== e.mnemonic)).toBe(true);
  });

  it('gives branches and jumps, and nothing else, a delay slot', () => {
    const delayed = ISA.filter((e) => e.delaySlot);
    expect(delayed.every((e) => e.kind === 'branch' || e.kind === 'jump')).toBe(true);
    expect(ISA.filter((e) => (e.kind === 'branch' || e.kind === 'jump') && !e.delaySlot)).toEqual([]);
  });

  it('assigns COP1 to COP3 forms to their coprocessor and CP0 operations to cp0', () => {
    expect(decodeInstruction(0x42000010)?.unit).toBe('cp0');   // rfe
    expect(decodeInstruction(0x40086000)?.unit).toBe('cp0');   // mfc0
    expect(decodeInstruction(0x46020800)?.unit).toBe('cp1');   // add.s
    expect(decodeInstruction(0xcba20004)?.unit).toBe('cp2');   // lwc2
    expect(decodeInstruction(0x4e000001)?.unit).toBe('cp3');   // c3
    expect(decodeInstruction(0x012a4021)?.unit).toBe('cpu');   // addu
  });
});

describe('decodeInstruction', () => {
  it('prefers an alias to the instruction it abbreviates, as objdump does', () => {
    expect(mnemonicOf(0x00000000)).toBe('nop');
    expect(mnemonicOf(0x00000040)).toBe('ssnop');
    expect(mnemonicOf(0x00000140)).toBe('sll');        // pause is MIPS32r2
    expect(mnemonicOf(0x01204021)).toBe('move');
    expect(mnemonicOf(0x00094021)).toBe('addu');       // addu t0,zero,t1 stays
    expect(mnemonicOf(0x01204027)).toBe('nor');        // no "not"
    expect(mnemonicOf(0x00094022)).toBe('neg');
    expect(mnemonicOf(0x10000001)).toBe('b');
    expect(mnemonicOf(0x11000001)).toBe('beqz');
    expect(mnemonicOf(0x11090001)).toBe('beq');
    expect(mnemonicOf(0x15000001)).toBe('bnez');
    expect(mnemonicOf(0x04100001)).toBe('bltzal');     // bltzal zero stays
  });

  it('chooses the break and syscall form by which code fields are set', () => {
    const operandsOf = (w: number): readonly string[] | undefined => decodeInstruction(w)?.operands;
    expect(operandsOf(0x0000000d)).toEqual([]);
    expect(operandsOf(0x0007000d)).toEqual(['code10']);
    expect(operandsOf(0x000000cd)).toEqual(['code10', 'code10.lo']);
    expect(operandsOf(0x0000000c)).toEqual([]);
    expect(operandsOf(0x0000014c)).toEqual(['code20']);
  });

  it('returns undefined for words that are not MIPS I instructions', () => {
    const notMipsI = [
      0x0000000f,   // sync
      0x00c001f4,   // teq
      0x70873802,   // mul (MIPS32)
      0x7c000000,   // SPECIAL3
      0x50000000,   // beql
      0x04020000,   // bltzl
      0x00200002,   // rotr
      0x00204010,   // mfhi with rs set
      0x3c200000,   // lui with rs set
      0x45020004,   // bc1fl
      0x40200000,   // dmfc0
      0xdc000000,   // ld
      0xffffffff,
    ];
    expect(notMipsI.filter((w) => decodeInstruction(w) !== undefined)).toEqual([]);
  });

  it('decodes COPz words with the CO bit set and no match as cz', () => {
    expect(mnemonicOf(0x42000018)).toBe('c0');         // eret is MIPS III
    expect(mnemonicOf(0x46000004)).toBe('c1');         // sqrt.s is MIPS II
    expect(mnemonicOf(0x4a123456)).toBe('c2');
  });

  it('agrees with a first-match scan of the whole table on 200,000 words', () => {
    const sample = words(0x1234567, 200_000);
    const wrong = sample.filter((w) => decodeInstruction(w) !== linearDecode(w));
    expect(wrong.map((w) => w.toString(16))).toEqual([]);
  });

  it('agrees with the scan on every opcode, function and selector with fixed fields', () => {
    const wrong: string[] = [];
    for (let hi = 0; hi < 1 << 11; hi++) {          // opcode and rs
      for (const low of [0, 0x001f07ff, 0x00010040, 0x001fffff]) {
        for (let f = 0; f < 64; f++) {
          const w = ((hi << 21) | (low & ~0x3f) | f) >>> 0;
          if (decodeInstruction(w) !== linearDecode(w)) wrong.push(w.toString(16));
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('links (what step-over steps over)', () => {
  it('marks exactly the calls: jal, jalr (both forms), bltzal, bgezal and its alias bal', () => {
    const linking = ISA.filter((e) => e.links).map((e) => e.mnemonic).sort();
    expect(linking).toEqual(['bal', 'bgezal', 'bltzal', 'jal', 'jalr', 'jalr']);
    expect(ISA.filter((e) => e.links && !e.delaySlot)).toEqual([]);
    expect(decodeInstruction(0x0c100000)!.links).toBe(true); // jal 0x00400000
    expect(decodeInstruction(0x08100000)!.links).toBe(false); // j 0x00400000
    expect(decodeInstruction(0x03e00008)!.links).toBe(false); // jr ra
  });
});
