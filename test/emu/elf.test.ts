import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ElfError, PF_R, PF_W, PF_X, SHF_ALLOC, SHF_EXECINSTR, type ElfSymbol, parseElf, symbolizer,
} from '../../src/emu/elf.js';
import { makeElf } from './fixtures/elf/make-elf.js';

const IMAGE = join(import.meta.dirname, 'fixtures', 'elf', 'image.elf');
const image = (): ReturnType<typeof parseElf> => parseElf(readFileSync(IMAGE), 'image.elf');

/** A valid test executable: two instructions at 0x80030000. */
function valid(): { bytes: Uint8Array; view: DataView; layout: ReturnType<typeof makeElf>['layout'] } {
  const { bytes, layout } = makeElf({ text: Uint8Array.from([0x08, 0x00, 0xe0, 0x03, 0, 0, 0, 0]) });
  return { bytes, layout, view: new DataView(bytes.buffer) };
}

/** The ElfError message parseElf throws for `bytes`, named "bad.elf". */
function failure(bytes: Uint8Array): string {
  try {
    parseElf(bytes, 'bad.elf');
  } catch (e) {
    expect(e).toBeInstanceOf(ElfError);
    return (e as ElfError).message;
  }
  throw new Error('parseElf accepted a malformed file');
}

describe('parseElf names', () => {
  it('maps each byte of a name to one character (Latin-1, as objdump prints them)', () => {
    const { bytes } = valid();
    const at = Buffer.from(bytes).indexOf('.shstrtab');
    expect(at).toBeGreaterThan(0);
    bytes[at + 1] = 0xe9; // 's' -> 'é'
    bytes[at + 2] = 0x85; // 'h' -> U+0085 (a C1 control: no Windows-1252 reading)
    expect(parseElf(bytes, 'latin1.elf').sections.map((x) => x.name)).toContain('.\u00e9\u0085strtab');
  });
});

describe('parseElf on a linked executable', () => {
  it('reads the entry point and the ISA flags', () => {
    const elf = image();
    expect(elf.entry).toBe(0x80030000);
    expect(elf.flags & 0xf0000000).toBe(0);   // EF_MIPS_ARCH_1
    expect(elf.fileName).toBe('image.elf');
  });

  it('returns the PT_LOAD segments with their file bytes and permissions', () => {
    const segments = image().segments.filter((s) => s.vaddr >= 0x80000000);
    expect(segments.map((s) => [s.vaddr, s.filesz, s.memsz, s.flags])).toEqual([
      [0x80030000, 0x36, 0x36, PF_R | PF_X],
      [0x80040000, 0x10, 0x110, PF_R | PF_W],
    ]);
    expect(segments[1].data.length).toBe(0x10);
    expect(new DataView(segments[1].data.buffer, segments[1].data.byteOffset).getUint32(0, true)).toBe(41);
  });

  it('leaves .bss to the caller: memsz beyond filesz is not in the data', () => {
    const bss = image().segments.find((s) => s.vaddr === 0x80040000)!;
    expect(bss.memsz - bss.filesz).toBe(0x100);
  });

  it('names the sections and gives their addresses, sizes, flags and bytes', () => {
    const sections = image().sections;
    const text = sections.find((s) => s.name === '.text')!;
    expect([text.addr, text.size, text.flags]).toEqual([0x80030000, 0x30, SHF_ALLOC | SHF_EXECINSTR]);
    expect(text.data.length).toBe(0x30);
    const bss = sections.find((s) => s.name === '.bss')!;
    expect([bss.addr, bss.size, bss.data.length]).toEqual([0x80040010, 0x100, 0]);
    expect(sections.map((s) => s.name)).toContain('.rodata');
  });

  it('reads the symbols with their value, size, type, binding and section', () => {
    const byName = new Map<string, ElfSymbol>(image().symbols.map((s) => [s.name, s]));
    expect(byName.get('_start')).toEqual(
      { name: '_start', value: 0x80030000, size: 0x20, type: 'func', bind: 'global', section: '.text' });
    expect(byName.get('bump')).toMatchObject({ type: 'func', bind: 'local', size: 8 });
    expect(byName.get('counter')).toMatchObject({ value: 0x80040000, type: 'object', section: '.data' });
    expect(byName.get('buffer')).toMatchObject({ size: 256, section: '.bss' });
    expect(byName.get('.text')).toMatchObject({ type: 'section', value: 0x80030000 });
    expect(byName.get('image.o')).toMatchObject({ type: 'file', section: '*ABS*' });
  });

  it('returns no symbols for a stripped file', () => {
    const stripped = readFileSync(join(import.meta.dirname, 'fixtures', 'disasm', 'listing-stripped.elf'));
    expect(parseElf(stripped, 'listing-stripped.elf').symbols).toEqual([]);
  });
});

describe('symbolizer', () => {
  const { symbolize, addressOf } = symbolizer(image().symbols);

  it('names an address after the nearest symbol at or below it', () => {
    expect(symbolize(0x80030000)).toBe('_start');
    expect(symbolize(0x80030008)).toBe('_start+0x8');
    expect(symbolize(0x80030024)).toBe('bump+0x4');
  });

  it('uses data symbols too, as objdump does', () => {
    expect(symbolize(0x80040004)).toBe('counter+0x4');
    expect(symbolize(0x80040010)).toBe('buffer');
  });

  it('gives an address below every symbol a negative offset from the lowest', () => {
    const only = symbolizer([{ name: 'f', value: 0x1000, size: 0, type: 'func', bind: 'global', section: '.text' }]);
    expect(only.symbolize(0xff0)).toBe('f-0x10');
  });

  it('prefers a function to a plain label at the same address', () => {
    const syms: ElfSymbol[] = [
      { name: 'aaa', value: 0x100, size: 0, type: 'notype', bind: 'global', section: '.text' },
      { name: 'zzz', value: 0x100, size: 0, type: 'func', bind: 'local', section: '.text' },
    ];
    expect(symbolizer(syms).symbolize(0x104)).toBe('zzz+0x4');
  });

  it('returns undefined when there are no symbols', () => {
    expect(symbolizer([]).symbolize(0x80030000)).toBeUndefined();
  });

  it('looks symbols up by name', () => {
    expect(addressOf('greeting')).toBe(0x80030030);
    expect(addressOf('bump')).toBe(0x80030020);
    expect(addressOf('nonexistent')).toBeUndefined();
  });
});

describe('parseElf on malformed input', () => {
  it('throws an ElfError, a subclass of Error', () => {
    expect(() => parseElf(new Uint8Array(0), 'empty.elf')).toThrow(ElfError);
    expect(new ElfError('x')).toBeInstanceOf(Error);
    expect(new ElfError('x').name).toBe('ElfError');
  });

  it('rejects a file without the ELF magic', () => {
    expect(failure(new TextEncoder().encode('#!/bin/sh\necho hi\n'))).toBe(
      'Cannot load bad.elf: not an ELF file (bad magic)');
    expect(failure(new Uint8Array(0))).toBe('Cannot load bad.elf: not an ELF file (bad magic)');
  });

  it('rejects a file cut off inside e_ident', () => {
    expect(failure(valid().bytes.subarray(0, 10))).toBe(
      'Cannot load bad.elf: truncated ELF identification (bytes 0x0..0x10 of a 0xa-byte file)');
  });

  it('rejects ELF64', () => {
    const { bytes } = valid();
    bytes[4] = 2;
    expect(failure(bytes)).toBe('Cannot load bad.elf: ELF64 file; expected ELF32');
  });

  it('rejects a big-endian file', () => {
    const { bytes } = valid();
    bytes[5] = 2;
    expect(failure(bytes)).toBe('Cannot load bad.elf: big-endian file; expected little-endian');
  });

  it('rejects a file cut off inside the ELF header', () => {
    expect(failure(valid().bytes.subarray(0, 40))).toBe(
      'Cannot load bad.elf: truncated ELF header (bytes 0x0..0x34 of a 0x28-byte file)');
  });

  it('rejects another machine', () => {
    const { bytes, view } = valid();
    view.setUint16(18, 3, true);   // EM_386
    expect(failure(bytes)).toBe('Cannot load bad.elf: not a MIPS file (e_machine 3)');
  });

  it('rejects a relocatable object and a shared object', () => {
    const { bytes, view } = valid();
    view.setUint16(16, 1, true);
    expect(failure(bytes)).toBe('Cannot load bad.elf: not an executable (e_type 1, relocatable object)');
    view.setUint16(16, 3, true);
    expect(failure(bytes)).toBe('Cannot load bad.elf: not an executable (e_type 3, shared object)');
  });

  it('rejects a program header table that runs past the end of the file', () => {
    const { bytes, view } = valid();
    view.setUint32(28, bytes.length - 16, true);
    expect(failure(bytes)).toMatch(/^Cannot load bad\.elf: truncated program header table \(bytes 0x[0-9a-f]+\.\.0x[0-9a-f]+ of a 0x[0-9a-f]+-byte file\)$/);
  });

  it('rejects a program header entry of the wrong size', () => {
    const { bytes, view } = valid();
    view.setUint16(42, 56, true);
    expect(failure(bytes)).toBe('Cannot load bad.elf: program header entry size 56; expected 32');
  });

  it('rejects a segment whose file range is past the end of the file', () => {
    const { bytes, view, layout } = valid();
    view.setUint32(layout.phoff + 16, 0x10000, true);   // p_filesz
    view.setUint32(layout.phoff + 20, 0x10000, true);   // p_memsz
    expect(failure(bytes)).toBe(
      `Cannot load bad.elf: segment 0 file range is past end of file (bytes 0x${layout.textOffset.toString(16)}..0x${(layout.textOffset + 0x10000).toString(16)} of a 0x${bytes.length.toString(16)}-byte file)`);
  });

  it('rejects a segment with more file bytes than memory bytes', () => {
    const { bytes, view, layout } = valid();
    view.setUint32(layout.phoff + 20, 4, true);
    expect(failure(bytes)).toBe('Cannot load bad.elf: segment 0 file size 0x8 exceeds its memory size 0x4');
  });

  it('rejects a section header table that runs past the end of the file', () => {
    const { bytes, layout } = valid();
    expect(failure(bytes.subarray(0, layout.shoff + 100))).toBe(
      `Cannot load bad.elf: truncated section header table (bytes 0x${layout.shoff.toString(16)}..0x${(layout.shoff + 200).toString(16)} of a 0x${(layout.shoff + 100).toString(16)}-byte file)`);
  });

  it('rejects a section name table index that is out of range', () => {
    const { bytes, view } = valid();
    view.setUint16(50, 9, true);
    expect(failure(bytes)).toBe('Cannot load bad.elf: section name table index 9 is out of range');
  });

  it('rejects a section whose bytes are past the end of the file', () => {
    const { bytes, view, layout } = valid();
    view.setUint32(layout.shoff + 40 + 20, 0x100000, true);   // .text sh_size
    expect(failure(bytes)).toMatch(/^Cannot load bad\.elf: section 1 \(\.text\) is past end of file \(bytes /);
  });

  it('writes every message on one line', () => {
    const { bytes } = valid();
    bytes[4] = 7;
    expect(failure(bytes)).toBe('Cannot load bad.elf: invalid ELF class 7');
    expect(failure(bytes)).not.toContain('\n');
  });
});
