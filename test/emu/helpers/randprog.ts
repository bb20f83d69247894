// A seeded generator of random, valid MIPS I programs for differential
// testing of the translator against the interpreter: ALU, shifts, HI/LO,
// loads and stores (aligned and not, lwl/lwr/swl/swr), forward branches and
// jumps with random delay slots (branches in delay slots included), loads
// whose register the next instruction reads, overflow traps, syscall and
// break, mfc0 of every CP0 register and mtc0 of Index, EntryLo, Context and
// EntryHi, the TLB instructions (tlbwi, tlbwr, tlbp, tlbr) and bc0f/bc0t
// (all of these in delay slots too, the branches excepted). Some loads and
// stores go through a mapped page (kuseg, MAPPED) whose TLB entries the
// random TLB writes make, move and destroy, so the soft TLB's flushing is
// exercised inside blocks. Exception handlers at the UTLB and general vectors skip the faulting instruction (and the
// branch with it when the fault is in a delay slot), so every exception is
// survived; small loops (a branch back, taken 0 to 3 times) run, so blocks meet
// branches back that fall through; calls through a pointer (jalr) go to one of
// two leaf functions (jr $ra), the pointer moved between them now and then; the
// program jumps back to its start forever.

import type { ProgramImage } from '../../../src/emu/index.js';
import { A, bytes, R } from './asm.js';

/** Where the program, its data and its handler live (kseg0). */
export const RAND_CODE = 0x80010000, RAND_DATA = 0x80030000, HANDLER = 0x80000080, UTLB_HANDLER = 0x80000000;
/** The mapped data pages: MAPPED and the page after it map (when the TLB says so) to RAND_DATA's page or the one after it. */
export const MAPPED = 0x00400000;
/** Registers the random code only reads: the mapped base, two EntryLo (dirty and global; clean and not) and two EntryHi (ASID 0; ASID 5) values worth writing. */
const MAP_BASE = R.s1, LO_DIRTY = R.s2, LO_CLEAN = R.s3, HI_FIRST = R.s4, HI_SECOND = R.s5;
/** The count of the loop being run (the loops' own code alone writes it). */
const LOOP_COUNT = R.s6;
/** The function the calls through a pointer go to (FUNCS[0] or FUNCS[1]), and the two's addresses xored (to switch it). */
const FN_PTR = R.s7, FN_SWITCH = R.t8;
/** EntryLo bits (R30xx manual, fig. 6.2): D, V, G; an EntryHi ASID (bits 11:6) for the second page, which is not global. */
const LO_D = 0x400, LO_V = 0x200, LO_G = 0x100, ASID_5 = 5 << 6;

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Registers the random code may write (gp holds the data base, k0/k1 the handler's). */
const REGS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 31];

/** The handler at 0x80000080: EPC + 4, or + 8 when Cause.BD is set; rfe in the jr's delay slot. */
function handler(): number[] {
  return [
    A.mfc0(R.k0, 14), A.mfc0(R.k1, 13), A.nop(),
    A.bgez(R.k1, 2), A.addiu(R.k0, R.k0, 4),
    A.addiu(R.k0, R.k0, 4),
    A.jr(R.k0), A.rfe(),
  ];
}

const IMM_OPS: readonly [(rt: number, rs: number, imm: number) => number, boolean][] = [
  [A.addiu, true], [A.addi, true], [A.slti, true], [A.sltiu, true], [A.andi, false], [A.ori, false], [A.xori, false],
];

/** A random program of about `n` instructions from `seed`. */
export function randomProgram(seed: number, n: number): ProgramImage {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const reg = (): number => pick(REGS);
  const src = (): number => (rnd() < 0.1 ? 0 : reg());
  const imm = (): number => Math.floor(rnd() * 0x10000);
  const words: number[] = [A.lui(R.gp, RAND_DATA >>> 16)];
  const dataPa = RAND_DATA & 0x1fffffff;
  const set = (r: number, v: number): void => { words.push(A.lui(r, v >>> 16), A.ori(r, r, v & 0xffff)); };
  set(MAP_BASE, MAPPED + 0x800); // offsets 0..4095 reach both pages
  set(HI_FIRST, MAPPED); set(HI_SECOND, MAPPED + 0x1000 + ASID_5);
  set(LO_DIRTY, dataPa | LO_D | LO_V | LO_G); set(LO_CLEAN, (dataPa + 0x1000) | LO_V);
  for (const r of REGS) set(r, imm() << 16 | imm());
  const simple = (): number => {
    const k = rnd();
    if (k < 0.30) return pick([A.addu, A.subu, A.and, A.or, A.xor, A.nor, A.slt, A.sltu, A.add, A.sub, A.sllv, A.srlv, A.srav])(reg(), src(), src());
    if (k < 0.42) {
      // Any 16-bit pattern: read as the signed value the CPU sign-extends for addiu/addi/slti/sltiu.
      const [op, signed] = pick(IMM_OPS);
      const rt = reg(), rs = src(), bits = imm();
      return op(rt, rs, signed ? (bits << 16) >> 16 : bits);
    }
    if (k < 0.48) return pick([A.sll, A.srl, A.sra])(reg(), src(), Math.floor(rnd() * 32));
    if (k < 0.54) return rnd() < 0.5 ? pick([A.mult, A.multu, A.div, A.divu])(src(), src()) : pick([A.mfhi, A.mflo])(reg());
    if (k < 0.56) return pick([A.mthi, A.mtlo])(src());
    if (k < 0.57) return A.lui(reg(), imm());
    const off = rnd() < 0.85 ? Math.floor(rnd() * 1024) * 4 + pick([0, 0, 0, 2]) : Math.floor(rnd() * 4096);
    const base = rnd() < 0.25 ? MAP_BASE : R.gp;
    if (k < 0.78) return pick([A.lw, A.lw, A.lh, A.lhu, A.lb, A.lbu, A.lwl, A.lwr])(reg(), off, base);
    if (k < 0.94) return pick([A.sw, A.sw, A.sh, A.sb, A.swl, A.swr])(src(), off, base);
    // CP0 moves: mfc0 of any register (Random counts cycles), mtc0 of those a kseg0 program may change freely.
    if (k < 0.955) return A.mfc0(reg(), pick([0, 1, 1, 2, 4, 8, 10, 12, 13, 14, 15]));
    if (k < 0.965) {
      const n = pick([0, 2, 2, 4, 10, 10]);
      const v = n === 2 ? pick([LO_DIRTY, LO_CLEAN, src()]) : n === 10 ? pick([HI_FIRST, HI_SECOND, src()]) : src();
      return A.mtc0(v, n);
    }
    if (k < 0.98) return pick([A.tlbwi, A.tlbwr, A.tlbwr, A.tlbp, A.tlbr])();
    return rnd() < 0.5 ? A.syscall() : A.break(7);
  };
  const branch = (here: number, skip: number): number => {
    const off = skip; // instructions after the delay slot
    const k = rnd();
    if (k < 0.15) return A.j(RAND_CODE + 4 * (here + 1 + off));
    if (k < 0.25) return A.jal(RAND_CODE + 4 * (here + 1 + off));
    return pick([
      () => A.beq(src(), src(), off), () => A.bne(src(), src(), off), () => A.blez(src(), off), () => A.bgtz(src(), off),
      () => A.bltz(src(), off), () => A.bgez(src(), off), () => A.bltzal(src(), off), () => A.bgezal(src(), off),
      () => A.bc0f(off), () => A.bc0t(off),
    ])();
  };
  // Two leaf functions after the program, each a few simple instructions (none writes $ra) and jr $ra: the calls
  // through FN_PTR go to one of them, and FN_SWITCH, xored in now and then, moves it to the other.
  /** A simple instruction that leaves $ra alone (no field names r31) and never traps on purpose (no syscall, break). */
  const keepsRa = (): number => {
    for (;;) {
      const w = simple();
      const trap = w >>> 26 === 0 && ((w & 63) === 12 || (w & 63) === 13);
      if (((w >>> 11) & 31) !== 31 && ((w >>> 16) & 31) !== 31 && !trap) return w;
    }
  };
  const leaf = (): number[] => [...Array.from({ length: 2 + Math.floor(rnd() * 6) }, keepsRa), A.jr(R.ra), keepsRa()];
  // FN_PTR's and FN_SWITCH's values, written once the functions are placed after the program.
  const fnSetup = words.length;
  words.push(A.nop(), A.nop(), A.nop(), A.nop());
  while (words.length < n) {
    const here = words.length;
    const k = rnd();
    if (k < 0.015) {
      // A call through the pointer (its return comes back after the delay slot), now and then moved to the other function.
      if (rnd() < 0.3) words.push(A.xor(FN_PTR, FN_PTR, FN_SWITCH));
      words.push(A.jalr(R.ra, FN_PTR), keepsRa());
    } else if (k < 0.035) {
      // A loop: LOOP_COUNT set to 0 to 3, a body of simple instructions, and a branch back to the body while the count
      // (read before its delay slot decrements it) is above 0. A branch from before it may enter the body, skipping
      // the set: the count only falls, so every loop ends.
      words.push(A.ori(LOOP_COUNT, R.zero, Math.floor(rnd() * 4)));
      const body = 2 + Math.floor(rnd() * 10);
      for (let i = 0; i < body; i++) words.push(simple());
      words.push(A.bgtz(LOOP_COUNT, -(body + 1)), A.addiu(LOOP_COUNT, LOOP_COUNT, -1));
    } else if (k < 0.17) {
      words.push(branch(here, 1 + Math.floor(rnd() * 6)));
      // The delay slot: usually an ordinary instruction, sometimes a load, a fault or another branch.
      words.push(rnd() < 0.08 ? branch(here + 1, 1 + Math.floor(rnd() * 4)) : simple());
    } else words.push(simple());
  }
  for (let i = 0; i < 8; i++) words.push(A.nop());
  words.push(A.j(RAND_CODE + 4 * (REGS.length * 2 + 1)), A.nop());
  const f0 = RAND_CODE + 4 * words.length;
  words.push(...leaf());
  const f1 = RAND_CODE + 4 * words.length;
  words.push(...leaf());
  words.splice(fnSetup, 4, A.lui(FN_PTR, f0 >>> 16), A.ori(FN_PTR, FN_PTR, f0 & 0xffff),
    A.lui(FN_SWITCH, (f0 ^ f1) >>> 16), A.ori(FN_SWITCH, FN_SWITCH, (f0 ^ f1) & 0xffff));
  const data = new Uint8Array(4096);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(rnd() * 256);
  return {
    entry: RAND_CODE,
    segments: [
      { vaddr: UTLB_HANDLER, memsz: 64, data: bytes(handler()) },
      { vaddr: HANDLER, memsz: 64, data: bytes(handler()) },
      { vaddr: RAND_CODE, memsz: 4 * words.length, data: bytes(words) },
      { vaddr: RAND_DATA, memsz: data.length, data },
    ],
  };
}
