import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CP0_NAMES, GPR_NAMES, disassemble, disassembleElf, disassembleRange } from '../../src/emu/disasm.js';
import { parseElf, symbolizer } from '../../src/emu/elf.js';
import { ISA, type IsaEntry, decodeInstruction } from '../../src/emu/isa.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'disasm');
const GOLDEN = ['isa', 'listing', 'listing-kuseg', 'listing-stripped', 'sweep'];

const PC = 0x80030000;
const dis = (w: number, pc = PC): string => disassemble(w, pc);
const named = (address: number): string => (address === PC ? 'main' : `main+0x${(address - PC).toString(16)}`);

describe('disassemble', () => {
  it('prints the mnemonic, a tab and comma-separated operands', () => {
    expect(dis(0x27bdffe8)).toBe('addiu\tsp,sp,-24');
    expect(dis(0x012a4021)).toBe('addu\tt0,t1,t2');
    expect(dis(0x8fbf0014)).toBe('lw\tra,20(sp)');
  });

  it('prints no tab after a mnemonic without operands', () => {
    expect(dis(0x00000000)).toBe('nop');
    expect(dis(0x42000010)).toBe('rfe');
    expect(dis(0x42000008)).toBe('tlbp');
  });

  it("prints objdump's aliases", () => {
    expect(dis(0x01204025)).toBe('move\tt0,t1');
    expect(dis(0x2408fffb)).toBe('li\tt0,-5');
    expect(dis(0x34088000)).toBe('li\tt0,0x8000');
    expect(dis(0x00094023)).toBe('negu\tt0,t1');
    expect(dis(0x00094022)).toBe('neg\tt0,t1');
    expect(dis(0x01204027)).toBe('nor\tt0,t1,zero');
  });

  it('prints signed immediates in decimal and unsigned ones, shifts and codes in hex', () => {
    expect(dis(0x21288000)).toBe('addi\tt0,t1,-32768');
    expect(dis(0x3128ffff)).toBe('andi\tt0,t1,0xffff');
    expect(dis(0x3c08bfc0)).toBe('lui\tt0,0xbfc0');
    expect(dis(0x000947c0)).toBe('sll\tt0,t1,0x1f');
    expect(dis(0x0048d14c)).toBe('syscall\t0x12345');
    expect(dis(0x000700cd)).toBe('break\t0x7,0x3');
    expect(dis(0x0000ffcd)).toBe('break\t0x0,0x3ff');
  });

  it('prints div and divu with an explicit zero destination', () => {
    expect(dis(0x0211001a)).toBe('div\tzero,s0,s1');
    expect(dis(0x0253001b)).toBe('divu\tzero,s2,s3');
  });

  it('prints jalr with one operand when the link register is ra', () => {
    expect(dis(0x0320f809)).toBe('jalr\tt9');
    expect(dis(0x03208009)).toBe('jalr\ts0,t9');
  });

  it('names CP0 registers as objdump does for the R3000', () => {
    expect(dis(0x401a6000)).toBe('mfc0\tk0,c0_sr');
    expect(dis(0x40886800)).toBe('mtc0\tt0,c0_cause');
    expect(dis(0x40081800)).toBe('mfc0\tt0,$3');
    expect(dis(0x40481800)).toBe('cfc0\tt0,$3');
    expect(dis(0xc0880004)).toBe('lwc0\tc0_badvaddr,4(a0)');
    expect(CP0_NAMES[14]).toBe('c0_epc');
    expect(GPR_NAMES[30]).toBe('s8');
  });

  it('names FPU, CP1 control and COP2/COP3 registers', () => {
    expect(dis(0x44081000)).toBe('mfc1\tt0,$f2');
    expect(dis(0x4448f800)).toBe('cfc1\tt0,c1_fcsr');
    expect(dis(0x44480000)).toBe('cfc1\tt0,c1_fir');
    expect(dis(0x44c82800)).toBe('ctc1\tt0,$5');
    expect(dis(0x46041000)).toBe('add.s\t$f0,$f2,$f4');
    expect(dis(0x46241032)).toBe('c.eq.d\t$f2,$f4');
    expect(dis(0xc7a20004)).toBe('lwc1\t$f2,4(sp)');
    expect(dis(0x48082800)).toBe('mfc2\tt0,$5');
    expect(dis(0xcba50004)).toBe('lwc2\t$5,4(sp)');
    expect(dis(0x4a123456)).toBe('c2\t0x123456');
  });

  it('prints words that are not MIPS I instructions as .word in hex', () => {
    expect(dis(0x0000000f)).toBe('.word\t0xf');
    expect(dis(0x70873802)).toBe('.word\t0x70873802');
    expect(dis(0xffffffff)).toBe('.word\t0xffffffff');
  });

  it('prints branch and jump targets as 0x addresses when there are no symbols', () => {
    expect(dis(0x1000ffff)).toBe(`b\t0x${PC.toString(16)}`);
    expect(dis(0x0411fff1, 0x00400138)).toBe('bal\t0x400100');
    expect(dis(0x0800c000, 0x8003fffc)).toBe('j\t0x80030000');
  });

  it('names branch and jump targets with the symbolizer', () => {
    expect(disassemble(0x1000ffff, PC, named)).toBe('b\t80030000 <main>');
    expect(disassemble(0x11000003, PC, named)).toBe('beqz\tt0,80030010 <main+0x10>');
    expect(disassemble(0x0c00c052, PC, named)).toBe('jal\t80030148 <main+0x148>');
  });

  it('keeps jump targets in the 256 MB region of the delay slot', () => {
    expect(dis(0x08000000, 0x8ffffffc)).toBe('j\t0x90000000');
    expect(dis(0x0bffffff, 0x00400000)).toBe('j\t0xffffffc');
  });

  it('wraps branch targets around the 32-bit address space', () => {
    expect(dis(0x1000fffe, 0x00000000)).toBe('b\t0xfffffffc');
    expect(dis(0x10000001, 0xfffffffc)).toBe('b\t0x4');
  });
});

describe('disassembleRange', () => {
  it('formats one objdump line per word: address, raw word, instruction', () => {
    const bytes = Uint8Array.from([0xe8, 0xff, 0xbd, 0x27, 0xff, 0xff, 0x00, 0x10]);
    expect(disassembleRange(bytes, PC, named)).toEqual([
      '80030000:\t27bdffe8 \taddiu\tsp,sp,-24',
      '80030004:\t1000ffff \tb\t80030004 <main+0x4>',
    ]);
  });

  it('pads low addresses with spaces as objdump does', () => {
    expect(disassembleRange(new Uint8Array(4), 0x400100)).toEqual(['  400100:\t00000000 \tnop']);
  });

  it('ignores a trailing partial word', () => {
    expect(disassembleRange(new Uint8Array(6), PC)).toHaveLength(1);
  });
});

describe('disassembleElf', () => {
  for (const name of GOLDEN) {
    it(`prints exactly the golden objdump -d listing of ${name}.elf`, () => {
      const elf = parseElf(readFileSync(join(FIXTURES, `${name}.elf`)), `${name}.elf`);
      const golden = readFileSync(join(FIXTURES, `${name}.objdump`), 'latin1');
      expect(disassembleElf(elf)).toBe(golden);
    });
  }

  it('is fed, by isa.elf, a word for every entry of the opcode table', () => {
    const elf = parseElf(readFileSync(join(FIXTURES, 'isa.elf')), 'isa.elf');
    const text = elf.sections.find((s) => s.name === '.text');
    const seen = new Set<IsaEntry>();
    const view = new DataView(text!.data.buffer, text!.data.byteOffset, text!.data.byteLength);
    for (let at = 0; at < text!.size; at += 4) {
      const entry = decodeInstruction(view.getUint32(at, true));
      if (entry) seen.add(entry);
    }
    expect(ISA.filter((e) => !seen.has(e)).map((e) => `${e.mnemonic} ${e.operands.join(',')}`)).toEqual([]);
  });

  it('names branch targets like the listing when given the symbolizer of the section', () => {
    const elf = parseElf(readFileSync(join(FIXTURES, 'listing.elf')), 'listing.elf');
    const { symbolize } = symbolizer(elf.symbols, '.text');
    expect(disassemble(0x0411ffe0, 0x80030010, symbolize)).toBe('bal\t8002ff94 <banner-0x6c>');
    expect(disassemble(0x1040ffff, 0x80030038, symbolize)).toBe('beqz\tv0,80030038 <local_label>');
  });
});
