// A tiny MIPS I encoder for CPU unit tests: each function returns one
// instruction word. Register arguments are numbers (use the R table).

export const R = {
  zero: 0, at: 1, v0: 2, v1: 3, a0: 4, a1: 5, a2: 6, a3: 7,
  t0: 8, t1: 9, t2: 10, t3: 11, t4: 12, t5: 13, t6: 14, t7: 15,
  s0: 16, s1: 17, s2: 18, s3: 19, s4: 20, s5: 21, s6: 22, s7: 23,
  t8: 24, t9: 25, k0: 26, k1: 27, gp: 28, sp: 29, fp: 30, ra: 31,
} as const;

/**
 * Throws when a field does not fit, instead of masking it: an encoder that
 * wrapped `addiu t0, t0, 40000` to -25536 would test something other than
 * what the test says.
 */
function field(what: string, value: number, lo: number, hi: number): number {
  if (!Number.isInteger(value) || value < lo || value > hi) {
    throw new RangeError(`${what} ${value} does not fit (${lo}..${hi})`);
  }
  return value;
}
const reg = (r: number) => field('register', r, 0, 31);
const rtype = (rs: number, rt: number, rd: number, sa: number, fn: number) =>
  ((reg(rs) << 21) | (reg(rt) << 16) | (reg(rd) << 11) | (field('shift amount', sa, 0, 31) << 6) | fn) >>> 0;
/** An I-type word whose immediate the CPU sign-extends (arithmetic, slti, loads, stores, branches). */
const itype = (op: number, rs: number, rt: number, imm: number) =>
  ((op << 26) | (reg(rs) << 21) | (reg(rt) << 16) | (field('signed immediate', imm, -0x8000, 0x7fff) & 0xffff)) >>> 0;
/** An I-type word whose immediate the CPU zero-extends (andi, ori, xori, lui). */
const utype = (op: number, rs: number, rt: number, imm: number) =>
  ((op << 26) | (reg(rs) << 21) | (reg(rt) << 16) | field('unsigned immediate', imm, 0, 0xffff)) >>> 0;
const jtype = (op: number, target: number) =>
  ((op << 26) | ((field('jump target', target, 0, 0xffffffff) >>> 2) & 0x3ffffff)) >>> 0;

export const A = {
  nop: () => 0,
  sll: (rd: number, rt: number, sa: number) => rtype(0, rt, rd, sa, 0),
  srl: (rd: number, rt: number, sa: number) => rtype(0, rt, rd, sa, 2),
  sra: (rd: number, rt: number, sa: number) => rtype(0, rt, rd, sa, 3),
  sllv: (rd: number, rt: number, rs: number) => rtype(rs, rt, rd, 0, 4),
  srlv: (rd: number, rt: number, rs: number) => rtype(rs, rt, rd, 0, 6),
  srav: (rd: number, rt: number, rs: number) => rtype(rs, rt, rd, 0, 7),
  jr: (rs: number) => rtype(rs, 0, 0, 0, 8),
  jalr: (rd: number, rs: number) => rtype(rs, 0, rd, 0, 9),
  syscall: () => 12,
  break: (code = 0) => ((field('break code', code, 0, 0xfffff) << 6) | 13) >>> 0,
  mfhi: (rd: number) => rtype(0, 0, rd, 0, 16),
  mthi: (rs: number) => rtype(rs, 0, 0, 0, 17),
  mflo: (rd: number) => rtype(0, 0, rd, 0, 18),
  mtlo: (rs: number) => rtype(rs, 0, 0, 0, 19),
  mult: (rs: number, rt: number) => rtype(rs, rt, 0, 0, 24),
  multu: (rs: number, rt: number) => rtype(rs, rt, 0, 0, 25),
  div: (rs: number, rt: number) => rtype(rs, rt, 0, 0, 26),
  divu: (rs: number, rt: number) => rtype(rs, rt, 0, 0, 27),
  add: (rd: number, rs: number, rt: number) => rtype(rs, rt, rd, 0, 32),
  addu: (rd: number, rs: number, rt: number) => rtype(rs, rt, rd, 0, 33),
  sub: (rd: number, rs: number, rt: number) => rtype(rs, rt, rd, 0, 34),
  subu: (rd: number, rs: number, rt: number) => rtype(rs, rt, rd, 0, 35),
  and: (rd: number, rs: number, rt: number) => rtype(rs, rt, rd, 0, 36),
  or: (rd: number, rs: number, rt: number) => rtype(rs, rt, rd, 0, 37),
  xor: (rd: number, rs: number, rt: number) => rtype(rs, rt, rd, 0, 38),
  nor: (rd: number, rs: number, rt: number) => rtype(rs, rt, rd, 0, 39),
  slt: (rd: number, rs: number, rt: number) => rtype(rs, rt, rd, 0, 42),
  sltu: (rd: number, rs: number, rt: number) => rtype(rs, rt, rd, 0, 43),
  bltz: (rs: number, off: number) => itype(1, rs, 0, off),
  bgez: (rs: number, off: number) => itype(1, rs, 1, off),
  bltzal: (rs: number, off: number) => itype(1, rs, 16, off),
  bgezal: (rs: number, off: number) => itype(1, rs, 17, off),
  j: (target: number) => jtype(2, target),
  jal: (target: number) => jtype(3, target),
  beq: (rs: number, rt: number, off: number) => itype(4, rs, rt, off),
  bne: (rs: number, rt: number, off: number) => itype(5, rs, rt, off),
  blez: (rs: number, off: number) => itype(6, rs, 0, off),
  bgtz: (rs: number, off: number) => itype(7, rs, 0, off),
  addi: (rt: number, rs: number, imm: number) => itype(8, rs, rt, imm),
  addiu: (rt: number, rs: number, imm: number) => itype(9, rs, rt, imm),
  slti: (rt: number, rs: number, imm: number) => itype(10, rs, rt, imm),
  sltiu: (rt: number, rs: number, imm: number) => itype(11, rs, rt, imm),
  andi: (rt: number, rs: number, imm: number) => utype(12, rs, rt, imm),
  ori: (rt: number, rs: number, imm: number) => utype(13, rs, rt, imm),
  xori: (rt: number, rs: number, imm: number) => utype(14, rs, rt, imm),
  lui: (rt: number, imm: number) => utype(15, 0, rt, imm),
  mfc0: (rt: number, rd: number) => ((16 << 26) | (0 << 21) | (reg(rt) << 16) | (reg(rd) << 11)) >>> 0,
  mtc0: (rt: number, rd: number) => ((16 << 26) | (4 << 21) | (reg(rt) << 16) | (reg(rd) << 11)) >>> 0,
  bc0f: (off: number) => itype(16, 8, 0, off),
  bc0t: (off: number) => itype(16, 8, 1, off),
  tlbr: () => 0x42000001,
  tlbwi: () => 0x42000002,
  tlbwr: () => 0x42000006,
  tlbp: () => 0x42000008,
  rfe: () => 0x42000010,
  cop1: () => 0x44000000, // mfc1 zero,$f0
  lb: (rt: number, off: number, base: number) => itype(32, base, rt, off),
  lh: (rt: number, off: number, base: number) => itype(33, base, rt, off),
  lwl: (rt: number, off: number, base: number) => itype(34, base, rt, off),
  lw: (rt: number, off: number, base: number) => itype(35, base, rt, off),
  lbu: (rt: number, off: number, base: number) => itype(36, base, rt, off),
  lhu: (rt: number, off: number, base: number) => itype(37, base, rt, off),
  lwr: (rt: number, off: number, base: number) => itype(38, base, rt, off),
  sb: (rt: number, off: number, base: number) => itype(40, base, rt, off),
  sh: (rt: number, off: number, base: number) => itype(41, base, rt, off),
  swl: (rt: number, off: number, base: number) => itype(42, base, rt, off),
  sw: (rt: number, off: number, base: number) => itype(43, base, rt, off),
  swr: (rt: number, off: number, base: number) => itype(46, base, rt, off),
};

/** Loads a 32-bit constant into rt with lui/ori (two words). */
export function li(rt: number, value: number): number[] {
  return [A.lui(rt, value >>> 16), A.ori(rt, rt, value & 0xffff)];
}

/** Instruction words as the little-endian bytes a program image holds. */
export const bytes = (ws: readonly number[]): Uint8Array => new Uint8Array(Uint32Array.from(ws, (w) => w >>> 0).buffer);
