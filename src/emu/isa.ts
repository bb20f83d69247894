// The MIPS I instruction set of the R3000A as one declarative table: every
// integer instruction, the CP0 operations, and the coprocessor forms (COP1-3,
// LWCz/SWCz, the R3010 FPU operations) that GNU objdump decodes for a MIPS I
// ELF, so that any word of a guest image decodes to what objdump prints.
// Sources: MIPS RISC Architecture (Kane & Heinrich), appendix A; IDT R30xx
// Family Software Reference Manual, ch. 2 and 6; binutils opcodes/mips-opc.c
// (objdump 2.40 masks and alias order, checked against objdump itself).
//
// The table feeds the decoder (`decodeInstruction`), the disassembler
// (src/emu/disasm.ts) and the tests. Entries are in priority order: an alias
// (nop, move, li, b, beqz, ...) comes before the instruction it abbreviates,
// exactly as objdump picks the first entry whose mask matches.

/** How an operand is printed; see src/emu/disasm.ts for the exact text. */
export type Operand =
  | 'rd' | 'rs' | 'rt'        // general registers named by field
  | 'zero'                    // rd, which the mask forces to $0 (div, divu)
  | 'sa'                      // shift amount, hex
  | 'simm16'                  // sign-extended immediate, decimal
  | 'imm16'                   // zero-extended immediate, hex
  | 'offset(base)'            // load/store address: simm16(rs)
  | 'branch'                  // PC-relative target: PC + 4 + simm16 * 4
  | 'target'                  // jump target in the current 256 MB region
  | 'code20'                  // SYSCALL code, bits 25..6
  | 'code10' | 'code10.lo'    // BREAK code, bits 25..16 and 15..6
  | 'c0.rd' | 'c0.rt'         // CP0 register by rd / rt field, R3000 names
  | 'cz.rd' | 'cz.rt'         // coprocessor register by field, "$n"
  | 'c1.ctl'                  // CP1 control register by rd field
  | 'fd' | 'fs' | 'ft'        // FPU registers "$fn"
  | 'cofun';                  // COPz cofun field, bits 24..0

/** What part of the machine executes an instruction. */
export type Unit = 'cpu' | 'cp0' | 'cp1' | 'cp2' | 'cp3';

/** A coarse class for tests, the CPU's dispatch and the TUI. */
export type Kind =
  | 'alu' | 'shift' | 'muldiv' | 'load' | 'store' | 'branch' | 'jump'
  | 'trap' | 'move' | 'system' | 'fpu';

/** One row of the opcode table. */
export interface IsaEntry {
  /** The mnemonic exactly as objdump prints it ("nop", "c.eq.s", "c0"). */
  readonly mnemonic: string;
  /** The machine instruction this row encodes ("sll" for "nop"). */
  readonly instruction: string;
  /** True when objdump prints an alias of `instruction`. */
  readonly alias: boolean;
  /** Bits that must equal `match` under `mask` (both unsigned 32-bit). */
  readonly match: number;
  readonly mask: number;
  readonly operands: readonly Operand[];
  readonly unit: Unit;
  readonly kind: Kind;
  /** True for branches and jumps: the next instruction is a delay slot. */
  readonly delaySlot: boolean;
  /**
   * True for the calls: branches and jumps that write the return address
   * (pc + 8) to a register (jal, jalr, bal, bgezal, bltzal). A debugger's
   * step-over runs to pc + 8 after one of these.
   */
  readonly links: boolean;
  /** A word that decodes to this entry (fields filled, aliases avoided). */
  readonly sample: number;
  /**
   * True when the emulated R3000A executes this entry. False for what
   * objdump decodes but the chip does not: JALX (MIPS16), CFC0/CTC0 and the
   * generic `c0` cofun form (CP0 has no control registers, and only TLBR,
   * TLBWI, TLBWR, TLBP and RFE are CP0 operations: R30xx manual, ch. 6),
   * LWC0/SWC0 (Reserved Instruction), and every COP1-3 form (no R3010 FPU is
   * modelled: Coprocessor Unusable for any COPz, LWCz or SWCz word, z = 1..3).
   */
  readonly r3000: boolean;
  /**
   * The bits of `mask` the R3000A decodes: the opcode, plus the function
   * field under SPECIAL and CP0's CO form, REGIMM's rt, and CP0's rs. The
   * chip ignores the fields the architecture says must be zero (sll's rs,
   * mfhi's rs and rt, syscall's code, mfc0's low eleven bits...), so a word
   * with them set executes as the instruction its decoded bits name; objdump
   * prints it as `.word`. The CPU raises Reserved Instruction exactly when
   * no `r3000` entry matches a word under `decodeMask` (test/emu/ri.test.ts).
   */
  readonly decodeMask: number;
}

// ---- Field extractors (MIPS RISC Architecture, A.2 instruction formats) ----

/** Bits 31..26: the primary opcode. */
export const opcode = (w: number): number => w >>> 26;
/** Bits 25..21: the rs (or base, or COPz sub-op) field. */
export const rs = (w: number): number => (w >>> 21) & 0x1f;
/** Bits 20..16: the rt field. */
export const rt = (w: number): number => (w >>> 16) & 0x1f;
/** Bits 15..11: the rd field. */
export const rd = (w: number): number => (w >>> 11) & 0x1f;
/** Bits 10..6: the shift amount. */
export const sa = (w: number): number => (w >>> 6) & 0x1f;
/** Bits 5..0: the function field of SPECIAL and COPz operations. */
export const funct = (w: number): number => w & 0x3f;
/** Bits 15..0, zero-extended. */
export const imm16 = (w: number): number => w & 0xffff;
/** Bits 15..0, sign-extended. */
export const simm16 = (w: number): number => (w << 16) >> 16;
/** Bits 25..0: the word index of a J/JAL target. */
export const target26 = (w: number): number => w & 0x03ffffff;

// ---- The table ----

const FILL = 0x0128517f; // rs=9 rt=8 rd=10 sa=5 funct=0x3f: avoids every alias

interface Row {
  m: string; match: number; mask: number; ops: string; unit?: Unit; kind: Kind;
  of?: string; ds?: boolean; link?: boolean;
}

const r = (m: string, match: number, mask: number, ops: string, kind: Kind,
  extra: Partial<Row> = {}): Row => ({ m, match, mask, ops, kind, ...extra });

/** The CPU's own instructions (MIPS RISC Architecture, appendix A). */
const CPU_ROWS: readonly Row[] = [
  // SPECIAL (opcode 0), by function field
  r('nop', 0x00000000, 0xffffffff, '', 'shift', { of: 'sll' }),
  r('ssnop', 0x00000040, 0xffffffff, '', 'shift', { of: 'sll' }),
  r('ehb', 0x000000c0, 0xffffffff, '', 'shift', { of: 'sll' }),
  r('sll', 0x00000000, 0xffe0003f, 'rd,rt,sa', 'shift'),
  r('srl', 0x00000002, 0xffe0003f, 'rd,rt,sa', 'shift'),
  r('sra', 0x00000003, 0xffe0003f, 'rd,rt,sa', 'shift'),
  r('sllv', 0x00000004, 0xfc0007ff, 'rd,rt,rs', 'shift'),
  r('srlv', 0x00000006, 0xfc0007ff, 'rd,rt,rs', 'shift'),
  r('srav', 0x00000007, 0xfc0007ff, 'rd,rt,rs', 'shift'),
  r('jr', 0x00000008, 0xfc1fffff, 'rs', 'jump', { ds: true }),
  r('jalr', 0x0000f809, 0xfc1fffff, 'rs', 'jump', { ds: true, link: true }),
  r('jalr', 0x00000009, 0xfc1f07ff, 'rd,rs', 'jump', { ds: true, link: true }),
  r('syscall', 0x0000000c, 0xffffffff, '', 'trap'),
  r('syscall', 0x0000000c, 0xfc00003f, 'code20', 'trap'),
  r('break', 0x0000000d, 0xffffffff, '', 'trap'),
  r('break', 0x0000000d, 0xfc00ffff, 'code10', 'trap'),
  r('break', 0x0000000d, 0xfc00003f, 'code10,code10.lo', 'trap'),
  r('mfhi', 0x00000010, 0xffff07ff, 'rd', 'muldiv'),
  r('mthi', 0x00000011, 0xfc1fffff, 'rs', 'muldiv'),
  r('mflo', 0x00000012, 0xffff07ff, 'rd', 'muldiv'),
  r('mtlo', 0x00000013, 0xfc1fffff, 'rs', 'muldiv'),
  r('mult', 0x00000018, 0xfc00ffff, 'rs,rt', 'muldiv'),
  r('multu', 0x00000019, 0xfc00ffff, 'rs,rt', 'muldiv'),
  r('div', 0x0000001a, 0xfc00ffff, 'zero,rs,rt', 'muldiv'),
  r('divu', 0x0000001b, 0xfc00ffff, 'zero,rs,rt', 'muldiv'),
  r('add', 0x00000020, 0xfc0007ff, 'rd,rs,rt', 'alu'),
  r('move', 0x00000021, 0xfc1f07ff, 'rd,rs', 'alu', { of: 'addu' }),
  r('addu', 0x00000021, 0xfc0007ff, 'rd,rs,rt', 'alu'),
  r('neg', 0x00000022, 0xffe007ff, 'rd,rt', 'alu', { of: 'sub' }),
  r('sub', 0x00000022, 0xfc0007ff, 'rd,rs,rt', 'alu'),
  r('negu', 0x00000023, 0xffe007ff, 'rd,rt', 'alu', { of: 'subu' }),
  r('subu', 0x00000023, 0xfc0007ff, 'rd,rs,rt', 'alu'),
  r('and', 0x00000024, 0xfc0007ff, 'rd,rs,rt', 'alu'),
  r('move', 0x00000025, 0xfc1f07ff, 'rd,rs', 'alu', { of: 'or' }),
  r('or', 0x00000025, 0xfc0007ff, 'rd,rs,rt', 'alu'),
  r('xor', 0x00000026, 0xfc0007ff, 'rd,rs,rt', 'alu'),
  r('nor', 0x00000027, 0xfc0007ff, 'rd,rs,rt', 'alu'),
  r('slt', 0x0000002a, 0xfc0007ff, 'rd,rs,rt', 'alu'),
  r('sltu', 0x0000002b, 0xfc0007ff, 'rd,rs,rt', 'alu'),
  // REGIMM (opcode 1), by rt field
  r('bltz', 0x04000000, 0xfc1f0000, 'rs,branch', 'branch', { ds: true }),
  r('b', 0x04010000, 0xffff0000, 'branch', 'branch', { of: 'bgez', ds: true }),
  r('bgez', 0x04010000, 0xfc1f0000, 'rs,branch', 'branch', { ds: true }),
  r('bltzal', 0x04100000, 0xfc1f0000, 'rs,branch', 'branch', { ds: true, link: true }),
  r('bal', 0x04110000, 0xffff0000, 'branch', 'branch', { of: 'bgezal', ds: true, link: true }),
  r('bgezal', 0x04110000, 0xfc1f0000, 'rs,branch', 'branch', { ds: true, link: true }),
  // Jumps, branches and immediates, by opcode
  r('j', 0x08000000, 0xfc000000, 'target', 'jump', { ds: true }),
  r('jal', 0x0c000000, 0xfc000000, 'target', 'jump', { ds: true, link: true }),
  r('b', 0x10000000, 0xffff0000, 'branch', 'branch', { of: 'beq', ds: true }),
  r('beqz', 0x10000000, 0xfc1f0000, 'rs,branch', 'branch', { of: 'beq', ds: true }),
  r('beq', 0x10000000, 0xfc000000, 'rs,rt,branch', 'branch', { ds: true }),
  r('bnez', 0x14000000, 0xfc1f0000, 'rs,branch', 'branch', { of: 'bne', ds: true }),
  r('bne', 0x14000000, 0xfc000000, 'rs,rt,branch', 'branch', { ds: true }),
  r('blez', 0x18000000, 0xfc1f0000, 'rs,branch', 'branch', { ds: true }),
  r('bgtz', 0x1c000000, 0xfc1f0000, 'rs,branch', 'branch', { ds: true }),
  r('addi', 0x20000000, 0xfc000000, 'rt,rs,simm16', 'alu'),
  r('li', 0x24000000, 0xffe00000, 'rt,simm16', 'alu', { of: 'addiu' }),
  r('addiu', 0x24000000, 0xfc000000, 'rt,rs,simm16', 'alu'),
  r('slti', 0x28000000, 0xfc000000, 'rt,rs,simm16', 'alu'),
  r('sltiu', 0x2c000000, 0xfc000000, 'rt,rs,simm16', 'alu'),
  r('andi', 0x30000000, 0xfc000000, 'rt,rs,imm16', 'alu'),
  r('li', 0x34000000, 0xffe00000, 'rt,imm16', 'alu', { of: 'ori' }),
  r('ori', 0x34000000, 0xfc000000, 'rt,rs,imm16', 'alu'),
  r('xori', 0x38000000, 0xfc000000, 'rt,rs,imm16', 'alu'),
  r('lui', 0x3c000000, 0xffe00000, 'rt,imm16', 'alu'),
  // objdump decodes JALX (MIPS16 mode switch) even for MIPS I; the R3000
  // raises Reserved Instruction for it.
  r('jalx', 0x74000000, 0xfc000000, 'target', 'jump', { ds: true }),
  // Loads and stores
  r('lb', 0x80000000, 0xfc000000, 'rt,offset(base)', 'load'),
  r('lh', 0x84000000, 0xfc000000, 'rt,offset(base)', 'load'),
  r('lwl', 0x88000000, 0xfc000000, 'rt,offset(base)', 'load'),
  r('lw', 0x8c000000, 0xfc000000, 'rt,offset(base)', 'load'),
  r('lbu', 0x90000000, 0xfc000000, 'rt,offset(base)', 'load'),
  r('lhu', 0x94000000, 0xfc000000, 'rt,offset(base)', 'load'),
  r('lwr', 0x98000000, 0xfc000000, 'rt,offset(base)', 'load'),
  r('sb', 0xa0000000, 0xfc000000, 'rt,offset(base)', 'store'),
  r('sh', 0xa4000000, 0xfc000000, 'rt,offset(base)', 'store'),
  r('swl', 0xa8000000, 0xfc000000, 'rt,offset(base)', 'store'),
  r('sw', 0xac000000, 0xfc000000, 'rt,offset(base)', 'store'),
  r('swr', 0xb8000000, 0xfc000000, 'rt,offset(base)', 'store'),
];

/** CP0: the R3000's system control coprocessor (R30xx manual, ch. 6). */
const CP0_ROWS: readonly Row[] = [
  r('mfc0', 0x40000000, 0xffe007ff, 'rt,c0.rd', 'move', { unit: 'cp0' }),
  r('mtc0', 0x40800000, 0xffe007ff, 'rt,c0.rd', 'move', { unit: 'cp0' }),
  r('tlbr', 0x42000001, 0xffffffff, '', 'system', { unit: 'cp0' }),
  r('tlbwi', 0x42000002, 0xffffffff, '', 'system', { unit: 'cp0' }),
  r('tlbwr', 0x42000006, 0xffffffff, '', 'system', { unit: 'cp0' }),
  r('tlbp', 0x42000008, 0xffffffff, '', 'system', { unit: 'cp0' }),
  r('rfe', 0x42000010, 0xffffffff, '', 'system', { unit: 'cp0' }),
];

/** The generic COPz forms, z = 0..3 (MIPS I coprocessor model). */
function copzRows(z: number): Row[] {
  const op = (0x10 + z) << 26;
  const unit = `cp${z}` as Unit;
  const ctl = z === 1 ? 'c1.ctl' : 'cz.rd';
  const reg = z === 0 ? 'c0.rt' : z === 1 ? 'ft' : 'cz.rt';
  const loadStore: Row[] = [
    r(`lwc${z}`, (0x30 + z) << 26, 0xfc000000, `${reg},offset(base)`, 'load', { unit }),
    r(`swc${z}`, (0x38 + z) << 26, 0xfc000000, `${reg},offset(base)`, 'store', { unit }),
  ];
  const moves: Row[] = z === 0 ? [] : [
    r(`mfc${z}`, op, 0xffe007ff, z === 1 ? 'rt,fs' : 'rt,cz.rd', 'move', { unit }),
    r(`mtc${z}`, op | 0x00800000, 0xffe007ff, z === 1 ? 'rt,fs' : 'rt,cz.rd', 'move', { unit }),
  ];
  return [
    ...moves,
    r(`cfc${z}`, op | 0x00400000, 0xffe007ff, `rt,${ctl}`, 'move', { unit }),
    r(`ctc${z}`, op | 0x00c00000, 0xffe007ff, `rt,${ctl}`, 'move', { unit }),
    r(`bc${z}f`, op | 0x01000000, 0xffff0000, 'branch', 'branch', { unit, ds: true }),
    r(`bc${z}t`, op | 0x01010000, 0xffff0000, 'branch', 'branch', { unit, ds: true }),
    ...(z === 1 ? FPU_ROWS : []),
    r(`c${z}`, op | 0x02000000, 0xfe000000, 'cofun', 'system', { unit }),
    ...loadStore,
  ];
}

const FPU_CONDITIONS = ['f', 'un', 'eq', 'ueq', 'olt', 'ult', 'ole', 'ule',
  'sf', 'ngle', 'seq', 'ngl', 'lt', 'nge', 'le', 'ngt'];

/** R3010 FPU operations, fmt S (16), D (17) and W (20) (Kane, ch. 6). */
const FPU_ROWS: readonly Row[] = (() => {
  const f = (m: string, match: number, mask: number, ops: string): Row =>
    r(m, match, mask, ops, 'fpu', { unit: 'cp1' });
  const rows: Row[] = [];
  for (const [fmt, bits] of [['s', 0x46000000], ['d', 0x46200000]] as const) {
    rows.push(
      f(`add.${fmt}`, bits | 0x00, 0xffe0003f, 'fd,fs,ft'),
      f(`sub.${fmt}`, bits | 0x01, 0xffe0003f, 'fd,fs,ft'),
      f(`mul.${fmt}`, bits | 0x02, 0xffe0003f, 'fd,fs,ft'),
      f(`div.${fmt}`, bits | 0x03, 0xffe0003f, 'fd,fs,ft'),
      f(`abs.${fmt}`, bits | 0x05, 0xffff003f, 'fd,fs'),
      f(`mov.${fmt}`, bits | 0x06, 0xffff003f, 'fd,fs'),
      f(`neg.${fmt}`, bits | 0x07, 0xffff003f, 'fd,fs'),
      f(`cvt.w.${fmt}`, bits | 0x24, 0xffff003f, 'fd,fs'),
      ...FPU_CONDITIONS.map((c, i) => f(`c.${c}.${fmt}`, bits | 0x30 | i, 0xffe007ff, 'fs,ft')));
  }
  rows.push(
    f('cvt.s.d', 0x46200020, 0xffff003f, 'fd,fs'),
    f('cvt.s.w', 0x46800020, 0xffff003f, 'fd,fs'),
    f('cvt.d.s', 0x46000021, 0xffff003f, 'fd,fs'),
    f('cvt.d.w', 0x46800021, 0xffff003f, 'fd,fs'));
  return rows;
})();

/** The bits the R3000A's decoder looks at for a word with this opcode and CO bit. */
function decodedFields(match: number): number {
  switch (match >>> 26) {
    case 0: return 0xfc00003f; // SPECIAL: opcode and function
    case 1: return 0xfc1f0000; // REGIMM: opcode and rt
    case 16: return match & 0x02000000 ? 0xfe00003f : 0xffff0000; // CP0: CO and function, or rs (and rt for BC0)
    default: return 0xfc000000;
  }
}

/** Objdump-decoded forms the R3000A does not execute (see IsaEntry.r3000). */
const NOT_R3000 = new Set(['jalx', 'cfc0', 'ctc0', 'c0', 'lwc0', 'swc0']);

function toEntry(row: Row): IsaEntry {
  const match = row.match >>> 0;
  const mask = row.mask >>> 0;
  const unit = row.unit ?? 'cpu';
  return {
    mnemonic: row.m,
    instruction: row.of ?? row.m,
    alias: row.of !== undefined,
    match,
    mask,
    operands: row.ops === '' ? [] : (row.ops.split(',') as Operand[]),
    unit,
    kind: row.kind,
    delaySlot: row.ds ?? false,
    links: row.link ?? false,
    sample: ((match & mask) | (FILL & ~mask)) >>> 0,
    r3000: (unit === 'cpu' || unit === 'cp0') && !NOT_R3000.has(row.m),
    decodeMask: (mask & decodedFields(match)) >>> 0,
  };
}

/** Every entry, in objdump's priority order. */
export const ISA: readonly IsaEntry[] = [
  ...CPU_ROWS, ...CP0_ROWS, ...[0, 1, 2, 3].flatMap(copzRows),
].map(toEntry);

// ---- Decoder: a switch on the opcode picks a short bucket of candidates ----

const SPECIAL = 64;       // 64 buckets by function field
const REGIMM = 128;       // 32 buckets by rt
const COPZ_RS = 160;      // 4 coprocessors x 16 buckets by rs (rs < 16)
const COPZ_CO = 224;      // 4 coprocessors x 64 buckets by function (CO set)
const BUCKETS = 480;

/** The bucket a word falls in; words in one bucket share their selectors. */
function bucketOf(w: number): number {
  const op = w >>> 26;
  switch (op) {
    case 0: return SPECIAL + (w & 0x3f);
    case 1: return REGIMM + ((w >>> 16) & 0x1f);
    case 16: case 17: case 18: case 19:
      return w & 0x02000000
        ? COPZ_CO + (op - 16) * 64 + (w & 0x3f)
        : COPZ_RS + (op - 16) * 16 + ((w >>> 21) & 0xf);
    default: return op;
  }
}

/** The selector bits (mask, match) shared by every word of bucket `b`. */
function bucketSelector(b: number): [number, number] {
  if (b < SPECIAL) return [0xfc000000, b << 26];
  if (b < REGIMM) return [0xfc00003f, b - SPECIAL];
  if (b < COPZ_RS) return [0xfc1f0000, (1 << 26) | ((b - REGIMM) << 16)];
  if (b < COPZ_CO) {
    const z = (b - COPZ_RS) >> 4;
    return [0xffe00000, ((16 + z) << 26) | (((b - COPZ_RS) & 15) << 21)];
  }
  const z = (b - COPZ_CO) >> 6;
  return [0xfe00003f, ((16 + z) << 26) | 0x02000000 | ((b - COPZ_CO) & 63)];
}

interface Bucket { masks: Int32Array; matches: Int32Array; entries: IsaEntry[] }

const TABLE: readonly Bucket[] = Array.from({ length: BUCKETS }, (_, b) => {
  const [bmask, bmatch] = bucketSelector(b);
  const entries = ISA.filter((e) => ((e.match ^ bmatch) & e.mask & bmask) === 0);
  return {
    masks: Int32Array.from(entries, (e) => e.mask | 0),
    matches: Int32Array.from(entries, (e) => e.match | 0),
    entries,
  };
});

/**
 * The table entry objdump would print for `word`, or undefined when objdump
 * prints it as `.word` (not a MIPS I instruction). Never throws.
 */
export function decodeInstruction(word: number): IsaEntry | undefined {
  const bucket = TABLE[bucketOf(word | 0)];
  const { masks, matches } = bucket;
  for (let i = 0; i < masks.length; i++) {
    if ((word & masks[i]) === matches[i]) return bucket.entries[i];
  }
  return undefined;
}
