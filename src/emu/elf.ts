// The loader's view of an ELF32 little-endian MIPS executable (System V ABI,
// "ELF" chapter; MIPS processor supplement): the entry point, the PT_LOAD
// segments to copy into RAM, the section headers and the symbol table.
// Malformed input is a user error, reported as an ElfError naming the file.
//
// The symbolizer names addresses the way GNU objdump 2.40 does
// (binutils/objdump.c: remove_useless_symbols, compare_symbols,
// find_symbol_for_address), so that our disassembly matches objdump's.

/** A malformed or unsupported ELF file; `message` is one line. */
export class ElfError extends Error {
  override name = 'ElfError';
}

// ELF constants, spelled as in the System V ABI and the MIPS supplement.
const ELFCLASS32 = 1;
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;
const ELFDATA2MSB = 2;
const ET_EXEC = 2;
const EM_MIPS = 8;
const PT_LOAD = 1;
const SHT_SYMTAB = 2;
/** sh_type of a section that occupies no file bytes (.bss). */
export const SHT_NOBITS = 8;
const SHN_UNDEF = 0;
const SHN_LORESERVE = 0xff00;
const SHN_MIPS_TEXT = 0xff01;
const SHN_MIPS_DATA = 0xff02;
const SHN_MIPS_SCOMMON = 0xff03;
const SHN_MIPS_SUNDEFINED = 0xff04;
const SHN_ABS = 0xfff1;
const SHN_COMMON = 0xfff2;
const EHDR_SIZE = 52;
const PHDR_SIZE = 32;
const SHDR_SIZE = 40;
const SYM_SIZE = 16;

/** Section header flags (sh_flags). */
export const SHF_WRITE = 0x1;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;
/** Segment permission flags (p_flags). */
export const PF_X = 0x1;
export const PF_W = 0x2;
export const PF_R = 0x4;

/** Section names objdump gives symbols outside any real section. */
export const UNDEFINED_SECTION = '*UND*';
export const ABSOLUTE_SECTION = '*ABS*';
export const COMMON_SECTION = '*COM*';

/** A PT_LOAD segment. Bytes memsz - filesz after `data` are .bss: zero them. */
export interface ElfSegment {
  readonly vaddr: number;
  readonly paddr: number;
  readonly memsz: number;
  readonly filesz: number;
  readonly flags: number;
  /** The filesz bytes of the segment's file image (a view into the input). */
  readonly data: Uint8Array;
}

export interface ElfSection {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly addr: number;
  readonly size: number;
  /** The section's bytes; empty for SHT_NOBITS (.bss). */
  readonly data: Uint8Array;
}

export type SymbolType = 'notype' | 'object' | 'func' | 'section' | 'file' | 'common' | 'tls' | 'other';
export type SymbolBind = 'local' | 'global' | 'weak' | 'other';

export interface ElfSymbol {
  readonly name: string;
  readonly value: number;
  readonly size: number;
  readonly type: SymbolType;
  readonly bind: SymbolBind;
  /** The section's name, or UNDEFINED_SECTION, ABSOLUTE_SECTION, COMMON_SECTION. */
  readonly section: string;
}

export interface ElfImage {
  readonly fileName: string;
  readonly entry: number;
  /** e_flags: the MIPS ISA level and ABI bits. */
  readonly flags: number;
  readonly segments: readonly ElfSegment[];
  readonly sections: readonly ElfSection[];
  readonly symbols: readonly ElfSymbol[];
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

/** Little-endian reads with a bounds check that fails as an ElfError. */
class Reader {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array, readonly fileName: string) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  fail(what: string): never {
    throw new ElfError(`Cannot load ${this.fileName}: ${what}`);
  }
  u16(at: number): number { return this.view.getUint16(at, true); }
  u32(at: number): number { return this.view.getUint32(at, true); }
  /** Fails with `what` unless [offset, offset + size) lies inside the file. */
  need(offset: number, size: number, what: string): void {
    if (offset + size > this.bytes.length) {
      this.fail(`${what} (bytes ${hex(offset)}..${hex(offset + size)} of a ${hex(this.bytes.length)}-byte file)`);
    }
  }
  /** The NUL-terminated string at `at`, bytes mapped one to one (as objdump prints them). */
  cstring(at: number, what: string): string {
    if (at >= this.bytes.length) this.fail(`${what} is past end of file`);
    let end = at;
    while (end < this.bytes.length && this.bytes[end] !== 0) end++;
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + at, end - at).toString('latin1');
  }
}

/**
 * Parses an ELF32 little-endian MIPS executable. Throws ElfError (message
 * "Cannot load <fileName>: <what is wrong>") for anything else or anything
 * truncated. The returned data views share `bytes`.
 */
export function parseElf(bytes: Uint8Array, fileName: string): ElfImage {
  const rd = new Reader(bytes, fileName);
  checkIdent(rd);
  const type = rd.u16(16);
  const machine = rd.u16(18);
  if (machine !== EM_MIPS) rd.fail(`not a MIPS file (e_machine ${machine})`);
  if (type !== ET_EXEC) rd.fail(`not an executable (e_type ${type}, ${ELF_TYPES[type] ?? 'unknown'})`);
  const sections = readSections(rd);
  return {
    fileName,
    entry: rd.u32(24),
    flags: rd.u32(36),
    segments: readSegments(rd),
    sections,
    symbols: readSymbols(rd, sections),
  };
}

const ELF_TYPES: Record<number, string> = {
  0: 'no file type', 1: 'relocatable object', 2: 'executable', 3: 'shared object', 4: 'core file',
};

/** Checks e_ident and the header's length. */
function checkIdent(rd: Reader): void {
  const b = rd.bytes;
  if (b.length < 4 || b[0] !== 0x7f || b[1] !== 0x45 || b[2] !== 0x4c || b[3] !== 0x46) {
    rd.fail('not an ELF file (bad magic)');
  }
  rd.need(0, 16, 'truncated ELF identification');
  if (b[4] === ELFCLASS64) rd.fail('ELF64 file; expected ELF32');
  if (b[4] !== ELFCLASS32) rd.fail(`invalid ELF class ${b[4]}`);
  if (b[5] === ELFDATA2MSB) rd.fail('big-endian file; expected little-endian');
  if (b[5] !== ELFDATA2LSB) rd.fail(`invalid ELF data encoding ${b[5]}`);
  rd.need(0, EHDR_SIZE, 'truncated ELF header');
}

/** The PT_LOAD segments, in program header order. */
function readSegments(rd: Reader): ElfSegment[] {
  const phoff = rd.u32(28);
  const phnum = rd.u16(44);
  if (phnum === 0) return [];
  const entsize = rd.u16(42);
  if (entsize !== PHDR_SIZE) rd.fail(`program header entry size ${entsize}; expected ${PHDR_SIZE}`);
  rd.need(phoff, phnum * PHDR_SIZE, 'truncated program header table');
  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * PHDR_SIZE;
    if (rd.u32(at) !== PT_LOAD) continue;
    const offset = rd.u32(at + 4);
    const filesz = rd.u32(at + 16);
    const memsz = rd.u32(at + 20);
    rd.need(offset, filesz, `segment ${i} file range is past end of file`);
    if (filesz > memsz) rd.fail(`segment ${i} file size ${hex(filesz)} exceeds its memory size ${hex(memsz)}`);
    segments.push({
      vaddr: rd.u32(at + 8),
      paddr: rd.u32(at + 12),
      memsz,
      filesz,
      flags: rd.u32(at + 24),
      data: rd.bytes.subarray(offset, offset + filesz),
    });
  }
  return segments;
}

/** The section headers, named from e_shstrndx; index 0 (SHN_UNDEF) is left out. */
function readSections(rd: Reader): ElfSection[] {
  const shoff = rd.u32(32);
  const shnum = rd.u16(48);
  if (shoff === 0 || shnum === 0) return [];
  const entsize = rd.u16(46);
  if (entsize !== SHDR_SIZE) rd.fail(`section header entry size ${entsize}; expected ${SHDR_SIZE}`);
  rd.need(shoff, shnum * SHDR_SIZE, 'truncated section header table');
  const shstrndx = rd.u16(50);
  if (shstrndx >= shnum) rd.fail(`section name table index ${shstrndx} is out of range`);
  const names = rd.u32(shoff + shstrndx * SHDR_SIZE + 16);
  const sections: ElfSection[] = [];
  for (let i = 1; i < shnum; i++) {
    const at = shoff + i * SHDR_SIZE;
    const name = rd.cstring(names + rd.u32(at), `name of section ${i}`);
    const type = rd.u32(at + 4);
    const offset = rd.u32(at + 16);
    const size = rd.u32(at + 20);
    const stored = type === SHT_NOBITS ? 0 : size;
    rd.need(offset, stored, `section ${i} (${name}) is past end of file`);
    sections.push({
      index: i, name, type, flags: rd.u32(at + 8), addr: rd.u32(at + 12), size,
      data: rd.bytes.subarray(offset, offset + stored),
    });
  }
  return sections;
}

const SYMBOL_TYPES: readonly SymbolType[] = ['notype', 'object', 'func', 'section', 'file', 'common', 'tls'];
const SYMBOL_BINDS: readonly SymbolBind[] = ['local', 'global', 'weak'];

/** The .symtab symbols (all but index 0), or none when the file is stripped. */
function readSymbols(rd: Reader, sections: readonly ElfSection[]): ElfSymbol[] {
  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  if (symtab === undefined) return [];
  const shoff = rd.u32(32);
  const link = rd.u32(shoff + symtab.index * SHDR_SIZE + 24);
  const strtab = sections.find((s) => s.index === link);
  if (strtab === undefined) rd.fail(`symbol table's string table index ${link} is out of range`);
  const strings = rd.u32(shoff + strtab.index * SHDR_SIZE + 16);
  const base = rd.u32(shoff + symtab.index * SHDR_SIZE + 16);
  const symbols: ElfSymbol[] = [];
  for (let at = base + SYM_SIZE; at + SYM_SIZE <= base + symtab.size; at += SYM_SIZE) {
    const info = rd.bytes[at + 12];
    const shndx = rd.u16(at + 14);
    const type = SYMBOL_TYPES[info & 0xf] ?? 'other';
    const section = sectionName(shndx, sections);
    const nameOffset = rd.u32(at);
    // As in BFD, an unnamed section symbol takes its section's name.
    const name = nameOffset === 0 && type === 'section'
      ? section
      : rd.cstring(strings + nameOffset, `name of symbol ${(at - base) / SYM_SIZE}`);
    symbols.push({
      name, value: rd.u32(at + 4), size: rd.u32(at + 8), type,
      bind: SYMBOL_BINDS[info >> 4] ?? 'other', section,
    });
  }
  return symbols;
}

/** The section a symbol's st_shndx names, as BFD files it. */
function sectionName(shndx: number, sections: readonly ElfSection[]): string {
  switch (shndx) {
    case SHN_UNDEF: case SHN_MIPS_SUNDEFINED: return UNDEFINED_SECTION;
    case SHN_COMMON: case SHN_MIPS_SCOMMON: return COMMON_SECTION;
    case SHN_MIPS_TEXT: return '.text';
    case SHN_MIPS_DATA: return '.data';
    case SHN_ABS: return ABSOLUTE_SECTION;
  }
  if (shndx >= SHN_LORESERVE) return ABSOLUTE_SECTION;
  return sections.find((s) => s.index === shndx)?.name ?? ABSOLUTE_SECTION;
}

// ---- Naming addresses as objdump does ----

/**
 * An address as objdump's 64-bit arithmetic sees it (a "vma"). BFD
 * sign-extends MIPS addresses, so 0x80000000 and up live at
 * 0xffffffff_80000000 and up; we map 0xffffffff_xxxxxxxx to 2^32 + xxxxxxxx,
 * which keeps the order. A branch from below 0x80000000 that crosses it
 * yields an unextended value in [2^31, 2^32), ordered below every kseg symbol.
 */
export const toVma = (address: number): number =>
  address >= 0x80000000 ? address + 2 ** 32 : address;

/** `vma` wrapped like 64-bit arithmetic on the two halves objdump can reach. */
export const wrapVma = (vma: number): number =>
  vma < 0 ? vma + 2 ** 33 : vma >= 2 ** 33 ? vma - 2 ** 33 : vma;

/** True for a symbol objdump keeps for disassembly (remove_useless_symbols). */
function isUseful(s: ElfSymbol): boolean {
  if (s.name === '') return false;
  if ((s.type === 'section' || s.type === 'file')
    && !s.name.startsWith('.plt') && !s.name.startsWith('.got')) return false;
  return s.section !== UNDEFINED_SECTION && s.section !== COMMON_SECTION;
}

const isFileSymbol = (s: ElfSymbol): boolean => s.type === 'file'
  || (s.name.length > 2 && s.name[s.name.length - 2] === '.' && /[oa]$/.test(s.name));
const isCompilerLabel = (name: string): boolean =>
  name.includes('gnu_compiled') || name.includes('gcc2_compiled');
const isDebugging = (s: ElfSymbol): boolean => s.type === 'section' || s.type === 'file';
const isObject = (s: ElfSymbol): boolean => s.type === 'object' || s.type === 'common';

/** objdump's compare_symbols while disassembling `section`: a total order. */
function compareSymbols(section: string): (a: ElfSymbol, b: ElfSymbol) => number {
  const before = (x: boolean, y: boolean): number => (x === y ? 0 : x ? -1 : 1);
  return (a, b) => {
    if (a.value !== b.value) return a.value < b.value ? -1 : 1;
    return before(a.section === section, b.section === section)
      || before(!isCompilerLabel(a.name), !isCompilerLabel(b.name))
      || before(!isFileSymbol(a), !isFileSymbol(b))
      || before(!isDebugging(a), !isDebugging(b))
      || before(a.type !== 'section', b.type !== 'section')
      || before(a.type === 'func', b.type === 'func')
      || before(isObject(a), isObject(b))
      || before(a.bind !== 'local', b.bind !== 'local')
      || before(a.bind === 'global', b.bind === 'global')
      || (a.size !== b.size ? (a.size > b.size ? -1 : 1) : 0)
      || before(!a.name.startsWith('.'), !b.name.startsWith('.'))
      || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  };
}

/**
 * The symbols objdump considers while disassembling `section`, in its sort
 * order. Feed the result to `findSymbol`.
 */
export function objdumpSymbols(symbols: readonly ElfSymbol[], section: string): ElfSymbol[] {
  return symbols.filter(isUseful).sort(compareSymbols(section));
}

/**
 * The index in `sorted` of the symbol objdump names `vma` (see toVma) after,
 * or -1 when there is none. With `requireSection` only symbols of `section` count
 * (objdump's block headers); without, any symbol does (branch targets).
 */
export function findSymbol(sorted: readonly ElfSymbol[], vma: number, section: string,
  requireSection: boolean): number {
  const n = sorted.length;
  if (n === 0) return -1;
  let min = 0;
  let max = n;
  while (min + 1 < max) {
    const mid = (min + max) >> 1;
    const v = toVma(sorted[mid].value);
    if (v > vma) max = mid;
    else if (v < vma) min = mid;
    else { min = mid; break; }
  }
  let place = min;
  while (place > 0 && sorted[place].value === sorted[place - 1].value) place--;
  for (min = place; min < max && sorted[min].value === sorted[place].value; min++) {
    if (sorted[min].section === section) return min;
  }
  const ok = (i: number): boolean => !requireSection || sorted[i].section === section;
  if (ok(place)) return place;
  let found = -1;
  for (let i = min - 1; i >= 0; i--) {
    if (!ok(i)) continue;
    if (found >= 0 && sorted[i].value !== sorted[found].value) break;
    found = i;
  }
  if (found < 0) found = sorted.findIndex((_s, i) => i > place && ok(i));
  return found;
}

/** "name", "name+0x1c" or "name-0x4": `vma` relative to `value` (both vmas), as objdump prints it. */
export function symbolOffset(name: string, value: number, vma: number): string {
  if (vma === value) return name;
  return vma > value ? `${name}+${hex(vma - value)}` : `${name}-${hex(value - vma)}`;
}

export interface Symbolizer {
  /**
   * The text objdump puts in <...> after `address`; undefined when there are
   * no symbols. `vma` is the address as objdump computed it (default toVma(address)).
   */
  readonly symbolize: (address: number, vma?: number) => string | undefined;
  /** The value of the named symbol (globals preferred), or undefined. */
  readonly addressOf: (name: string) => number | undefined;
}

/**
 * Names addresses within `section` (default .text) the way objdump names
 * branch and jump targets there: the nearest symbol at or below the address,
 * in any section, or the lowest symbol with a negative offset.
 */
export function symbolizer(symbols: readonly ElfSymbol[], section = '.text'): Symbolizer {
  const sorted = objdumpSymbols(symbols, section);
  const byName = new Map<string, number>();
  const defined = symbols.filter((s) => s.section !== UNDEFINED_SECTION && s.name !== '');
  for (const s of [...defined.filter((s) => s.bind !== 'local'), ...defined]) {
    if (!byName.has(s.name)) byName.set(s.name, s.value);
  }
  return {
    symbolize: (address, vma = toVma(address >>> 0)) => {
      const i = findSymbol(sorted, vma, section, false);
      return i < 0 ? undefined : symbolOffset(sorted[i].name, toVma(sorted[i].value), vma);
    },
    addressOf: (name) => byName.get(name),
  };
}
