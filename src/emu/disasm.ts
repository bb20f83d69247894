// MIPS I disassembly, character for character as GNU objdump 2.40 prints it
// (`mipsel-linux-gnu-objdump -d` on a -march=r3000 ELF): o32 register names,
// objdump's aliases, the R3000 CP0 register names, `.word` for anything that
// is not a MIPS I instruction. `disassembleElf` reproduces objdump's whole
// listing: symbol headers, `...` for runs of zeros, objects dumped as data.
// The quirks reproduced here are listed in test/emu/fixtures/disasm/README.md.

import {
  type IsaEntry, type Operand, decodeInstruction, rd, rs, rt, sa, simm16, imm16, target26,
} from './isa.js';
import {
  type ElfImage, type ElfSection, type ElfSymbol, SHF_EXECINSTR, SHT_NOBITS,
  findSymbol, objdumpSymbols, symbolOffset, toVma, wrapVma,
} from './elf.js';

/**
 * Names a target address: "sym+0x10" (objdump's text inside <>), or
 * undefined. `vma` is the target as objdump's 64-bit arithmetic computed it
 * (see toVma in elf.ts); it differs from toVma(address) only for a branch
 * that crosses 0x80000000. A Symbolizer's `symbolize` fits here.
 */
export type SymbolizeFn = (address: number, vma: number) => string | undefined;

/** The o32 names objdump gives the general registers. */
export const GPR_NAMES: readonly string[] = [
  'zero', 'at', 'v0', 'v1', 'a0', 'a1', 'a2', 'a3',
  't0', 't1', 't2', 't3', 't4', 't5', 't6', 't7',
  's0', 's1', 's2', 's3', 's4', 's5', 's6', 's7',
  't8', 't9', 'k0', 'k1', 'gp', 'sp', 's8', 'ra',
];

/** objdump's names for the R3000 CP0 registers (others print as "$n"). */
export const CP0_NAMES: readonly string[] = Array.from({ length: 32 }, (_, n) => ({
  0: 'c0_index', 1: 'c0_random', 2: 'c0_entrylo', 4: 'c0_context', 8: 'c0_badvaddr',
  10: 'c0_entryhi', 12: 'c0_sr', 13: 'c0_cause', 14: 'c0_epc', 15: 'c0_prid',
} as Record<number, string>)[n] ?? `$${n}`);

const SKIP_ZEROES = 8;          // objdump's DEFAULT_SKIP_ZEROES
const SKIP_ZEROES_AT_END = 3;   // objdump's DEFAULT_SKIP_ZEROES_AT_END
const DATA_BYTES_PER_LINE = 16;

const hex = (n: number): string => (n >>> 0).toString(16);
const hex8 = (n: number): string => hex(n).padStart(8, '0');
/** A vma as the 64-bit BFD address it stands for: "ffffffff80030124", "401124". */
const hex64 = (vma: number): string => (vma >= 2 ** 32 ? `ffffffff${hex8(vma % 2 ** 32)}` : hex(vma));

/** An address operand: "80030010 <main+0x10>", or "0x80030010" with no symbols. */
function formatAddress(vma: number, symbolize?: SymbolizeFn): string {
  const address = vma % 2 ** 32;
  const name = symbolize?.(address, vma);
  return name === undefined ? `0x${hex(address)}` : `${hex(address)} <${name}>`;
}

/** A branch target: PC + 4 + offset, in objdump's 64-bit arithmetic. */
const branchTarget = (w: number, pcVma: number): number => wrapVma(pcVma + 4 + simm16(w) * 4);

/** A J/JAL target: the 256 MB region of PC + 4, in objdump's 64-bit arithmetic. */
function jumpTarget(w: number, pcVma: number): number {
  const next = wrapVma(pcVma + 4);
  return next - (next % 2 ** 28) + target26(w) * 4;
}

function formatOperand(op: Operand, w: number, pcVma: number, symbolize?: SymbolizeFn): string {
  switch (op) {
    case 'rd': return GPR_NAMES[rd(w)];
    case 'rs': return GPR_NAMES[rs(w)];
    case 'rt': return GPR_NAMES[rt(w)];
    case 'zero': return GPR_NAMES[0];
    case 'sa': return `0x${hex(sa(w))}`;
    case 'simm16': return String(simm16(w));
    case 'imm16': return `0x${hex(imm16(w))}`;
    case 'offset(base)': return `${simm16(w)}(${GPR_NAMES[rs(w)]})`;
    case 'branch': return formatAddress(branchTarget(w, pcVma), symbolize);
    case 'target': return formatAddress(jumpTarget(w, pcVma), symbolize);
    case 'code20': return `0x${hex((w >>> 6) & 0xfffff)}`;
    case 'code10': return `0x${hex((w >>> 16) & 0x3ff)}`;
    case 'code10.lo': return `0x${hex((w >>> 6) & 0x3ff)}`;
    case 'c0.rd': return CP0_NAMES[rd(w)];
    case 'c0.rt': return CP0_NAMES[rt(w)];
    case 'cz.rd': return `$${rd(w)}`;
    case 'cz.rt': return `$${rt(w)}`;
    case 'c1.ctl': return rd(w) === 0 ? 'c1_fir' : rd(w) === 31 ? 'c1_fcsr' : `$${rd(w)}`;
    case 'fd': return `$f${sa(w)}`;
    case 'fs': return `$f${rd(w)}`;
    case 'ft': return `$f${rt(w)}`;
    case 'cofun': return `0x${hex(w & 0x1ffffff)}`;
  }
}

/**
 * The instruction part of an objdump line for `word` at address `pc`:
 * mnemonic, a TAB, the operands ("addiu\tsp,sp,-24", "nop", ".word\t0x7f").
 * Branch and jump targets are named by `symbolize` when given. Never throws.
 */
export function disassemble(word: number, pc: number, symbolize?: SymbolizeFn): string {
  return format(decodeInstruction(word), word, toVma(pc >>> 0), symbolize);
}

/** The text of `word`, decoded as `entry`, at a PC given as objdump holds it (see toVma). */
function format(entry: IsaEntry | undefined, word: number, pcVma: number, symbolize?: SymbolizeFn): string {
  if (entry === undefined) return `.word\t0x${hex(word)}`;
  if (entry.operands.length === 0) return entry.mnemonic;
  const operands = entry.operands.map((op) => formatOperand(op, word, pcVma, symbolize));
  return `${entry.mnemonic}\t${operands.join(',')}`;
}

/**
 * How many leading address digits objdump drops for a section ending at
 * `end`: whole groups of four zeros, always keeping one zero.
 */
function addressSkip(start: number, end: number): number {
  const digits = hex8(end);
  let zeros = 0;
  while (zeros < 8 && digits[zeros] === '0') zeros++;
  if (zeros === 8 && start !== 0) return 0;
  return zeros === 0 ? 0 : (zeros - 1) & ~3;
}

/** The "  400100:" prefix of a listing line, leading zeros turned to spaces. */
function lineAddress(address: number, skip: number): string {
  const digits = hex8(address).slice(skip);
  let i = 0;
  while (i < digits.length - 1 && digits[i] === '0') i++;
  return `${' '.repeat(i)}${digits.slice(i)}:\t`;
}

const word32 = (b: Uint8Array, at: number): number =>
  (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;

/**
 * objdump-style lines ("80030000:\t27bdffe8 \taddiu\tsp,sp,-24") for the
 * whole words of `bytes`, which sit at `start`. No headers, no zero skipping.
 */
export function disassembleRange(bytes: Uint8Array, start: number, symbolize?: SymbolizeFn): string[] {
  const skip = addressSkip(start, start + bytes.length);
  const lines: string[] = [];
  for (let at = 0; at + 4 <= bytes.length; at += 4) {
    const pc = (start + at) >>> 0;
    const w = word32(bytes, at);
    lines.push(`${lineAddress(pc, skip)}${hex8(w)} \t${disassemble(w, pc, symbolize)}`);
  }
  return lines;
}

/** State objdump carries across a whole listing. */
interface Listing {
  out: string[];
  /** disassemble_info.bytes_per_chunk: 0 until the first instruction is decoded. */
  bytesPerChunk: number;
}

/**
 * The complete `objdump -d` output for `elf`, as objdump prints it when
 * given the file as `fileName`: every executable section, with symbol
 * headers, `...` for runs of zeros and data objects dumped as hex.
 */
export function disassembleElf(elf: ElfImage, fileName = elf.fileName): string {
  const listing: Listing = { out: [`\n${fileName}:     file format elf32-tradlittlemips\n\n`], bytesPerChunk: 0 };
  for (const section of elf.sections) {
    if ((section.flags & SHF_EXECINSTR) !== 0 && section.type !== SHT_NOBITS && section.size > 0) {
      listSection(listing, section, objdumpSymbols(elf.symbols, section.name));
    }
  }
  return listing.out.join('');
}

/** objdump's disassemble_section: blocks bounded by the section's symbols. */
function listSection(listing: Listing, section: ElfSection, sorted: readonly ElfSymbol[]): void {
  listing.out.push(`\nDisassembly of section ${section.name}:\n`);
  const symbolize: SymbolizeFn = (_address, vma) => {
    const i = findSymbol(sorted, vma, section.name, false);
    return i < 0 ? undefined : symbolOffset(sorted[i].name, toVma(sorted[i].value), vma);
  };
  let place = findSymbol(sorted, toVma(section.addr), section.name, true);
  let sym = place < 0 ? undefined : sorted[place];
  for (let offset = 0; offset < section.size;) {
    const addr = (section.addr + offset) >>> 0;
    const label = sym === undefined ? symbolOffset(section.name, toVma(section.addr), toVma(addr))
      : symbolOffset(sym.name, toVma(sym.value), toVma(addr));
    listing.out.push(`\n${hex8(addr)} <${label}>:\n`);
    let next = sym;
    if (sym !== undefined && sym.value <= addr) {
      const value = sym.value;
      while (place < sorted.length && !(sorted[place].section === section.name && sorted[place].value > value)) place++;
      next = sorted[place];
    }
    // In objdump's 64-bit arithmetic: a kseg symbol in a section that starts
    // below 0x80000000 lies far past the section's end, so it ends no block.
    let stop = next === undefined ? section.size : toVma(next.value) - toVma(section.addr);
    if (stop < 0 || stop > section.size || stop <= offset) stop = section.size;
    listBytes(listing, section, offset, stop, !isDataBlock(sym, section, addr), symbolize);
    offset = stop;
    sym = next;
  }
}

/** True when objdump dumps the block at `addr` as data: it starts at an object symbol. */
function isDataBlock(sym: ElfSymbol | undefined, section: ElfSection, addr: number): boolean {
  if (sym === undefined || sym.section !== section.name || sym.value > addr || sym.type === 'func') return false;
  return sym.type === 'object' || sym.type === 'common'
    || sym.name.includes('gnu_compiled') || sym.name.includes('gcc2_compiled');
}

/** objdump's disassemble_bytes for [start, stop) of `section`. */
function listBytes(listing: Listing, section: ElfSection, start: number, stop: number,
  insns: boolean, symbolize: SymbolizeFn): void {
  const data = section.data;
  const skip = addressSkip(section.addr, section.addr + section.size);
  let inDelaySlot = false;   // insn_info_valid && branch_delay_insns: reset per block
  for (let at = start; at < stop;) {
    let zeros = 0;
    while (at + zeros < stop && data[at + zeros] === 0) zeros++;
    if (!inDelaySlot && (zeros >= SKIP_ZEROES || (at + zeros === stop && zeros < SKIP_ZEROES_AT_END))) {
      listing.out.push('\t...\n');
      at += at + zeros === stop ? zeros : zeros & ~3;
      continue;
    }
    const addr = (section.addr + at) >>> 0;
    if (insns) {
      // objdump hands the disassembler section vma + offset, not re-sign-extended
      const pcVma = wrapVma(toVma(section.addr) + at);
      if (at + 4 > stop) {  // objdump will not read past the next symbol
        listing.out.push(`${lineAddress(addr, skip)}Address 0x${hex64(pcVma)} is out of bounds.\n\n`);
        break;
      }
      const w = word32(data, at);
      const entry = decodeInstruction(w);
      listing.out.push(`${lineAddress(addr, skip)}${hex8(w)} \t${format(entry, w, pcVma, symbolize)}\n`);
      inDelaySlot = entry?.delaySlot ?? false;
      listing.bytesPerChunk = 4;
      at += 4;
    } else {
      const n = Math.min(DATA_BYTES_PER_LINE, stop - at);
      listing.out.push(`${lineAddress(addr, skip)}${dataLine(data, at, n, stop, listing.bytesPerChunk || 1)}\n`);
      at += n;
    }
  }
}

/** A data line of an object in a code section: hex chunks, then ASCII. */
function dataLine(data: Uint8Array, at: number, n: number, stop: number, chunk: number): string {
  let raw = '';
  for (let j = at; j < at + n; j += chunk) {
    if (j + chunk <= stop) {
      for (let k = chunk - 1; k >= 0; k--) raw += data[j + k].toString(16).padStart(2, '0');
    }
    raw += ' ';
  }
  for (let pb = n; pb < DATA_BYTES_PER_LINE; pb += chunk) raw += `${' '.repeat(chunk * 2)} `;
  let ascii = '';
  for (let j = at; j < at + n; j++) {
    ascii += data[j] >= 0x20 && data[j] < 0x7f ? String.fromCharCode(data[j]) : '.';
  }
  return `${raw}    ${ascii}`;
}
