// A seeded generator of random self-modifying MIPS I programs, for lockstep
// runs of the translator against the interpreter: a ring of small loops in
// one code page, each entered through kseg0, kseg1 or a TLB-mapped kuseg
// alias of that page, whose bodies mix ALU work, loads and stores to a data
// page, HI/LO, forward branches, and stores (sw, sh, sb) through the
// alias the loop runs from into "slots": words spread over the whole ring
// that only ever hold an I-type ALU instruction (an sh or sb changes only
// the immediate; an sw puts one of five such instructions there), so the
// program stays well-formed whatever it rewrites. Half the rewriting
// stores run only every fourth turn, so rewritten blocks compile again
// between rewrites. Exceptions (addi overflow, misaligned accesses) go to
// the logging handler of placed.ts, which skips the faulting instruction.

import type { ProgramImage } from '../../../src/emu/index.js';
import { A, R } from './asm.js';
import { br, la, li, Placed, type Word } from './placed.js';
import { prng } from './randprog.js';

/** Where the code page, the data page and the kuseg alias of the code page are. */
const CODE = 0x80010000, DATA = 0x80030000, USER = 0x00400000;
/** Registers the random code computes with, and the five holding instructions to store into slots. */
const WORK = [R.t0, R.t1, R.t2, R.t3, R.t4, R.t5, R.t6, R.t7, R.v0, R.v1];
const PATCH = [R.s1, R.s2, R.s3, R.s4, R.s5];
/** s0 counts a loop's turns, s6 is the code page's base in the alias the loop runs through, t8/t9 scratch. */
const LOOPS = 12;

/** A random self-modifying program from `seed` (see the file header). */
export function selfModifyingProgram(seed: number): ProgramImage {
  const rnd = prng(seed);
  const pick = <X>(xs: readonly X[]): X => xs[Math.floor(rnd() * xs.length)];
  const imm = (): number => Math.floor(rnd() * 0x10000) - 0x8000;
  const alu = (): number => {
    const k = rnd();
    if (k < 0.5) return A.addiu(pick(WORK), pick(WORK), imm());
    if (k < 0.7) return pick([A.andi, A.ori, A.xori])(pick(WORK), pick(WORK), Math.floor(rnd() * 0x10000));
    if (k < 0.8) return A.addi(pick(WORK), pick(WORK), imm());
    return A.slti(pick(WORK), pick(WORK), imm());
  };
  const p = new Placed().org(0x80009000).label('start').put(
    li(R.t9, USER), A.mtc0(R.t9, 10), li(R.t9, (CODE & 0x1fffffff) | 0x700), A.mtc0(R.t9, 2), A.mtc0(R.zero, 0), A.tlbwi(), li(R.gp, DATA));
  for (const r of PATCH) p.put(li(r, alu()));
  for (const r of WORK) p.put(li(r, Math.floor(rnd() * 2 ** 32)));
  p.put((_pc, at) => A.j(at('L0')), A.nop()).org(CODE);
  const aliases = [(a: number) => a, (a: number) => ((a & 0x1fffffff) | 0xa0000000) >>> 0, (a: number) => (a & 0xfff) | USER];
  const slots: number[] = [];
  const slot = (w: number): void => { slots.push(p.here()); p.put(w); };
  let skips = 0;
  for (let l = 0; l < LOOPS; l++) {
    const alias = pick(aliases);
    p.label(`L${l}`).put(li(R.s0, 3 + Math.floor(rnd() * 12)), li(R.s6, alias(CODE)), la(R.t9, `B${l}`, alias), A.jr(R.t9), A.nop()).label(`B${l}`);
    for (let i = 0, n = 8 + Math.floor(rnd() * 30); i < n; i++) {
      const k = rnd();
      if (k < 0.25) slot(alu());
      else if (k < 0.40) rewrite(p, rnd, slots, `g${skips++}`);
      else if (k < 0.55) p.put(pick([A.lw, A.lh, A.lbu, A.lwl, A.lwr])(pick(WORK), Math.floor(rnd() * 256) * 4 + (rnd() < 0.2 ? pick([1, 2, 3]) : 0), R.gp));
      else if (k < 0.65) p.put(pick([A.sw, A.sh, A.sb, A.swl, A.swr])(pick(WORK), Math.floor(rnd() * 256) * 4 + (rnd() < 0.2 ? pick([1, 2, 3]) : 0), R.gp));
      else if (k < 0.72) { const to = `f${skips++}`; p.put(br((o) => pick([A.beq, A.bne])(pick(WORK), pick(WORK), o), to), alu(), alu()).label(to); }
      else if (k < 0.78) p.put(pick([A.mult, A.div, A.divu])(pick(WORK), pick(WORK)), pick([A.mflo, A.mfhi])(pick(WORK)));
      else p.put(pick([A.addu, A.subu, A.xor, A.or, A.and, A.add, A.sub, A.slt])(pick(WORK), pick(WORK), pick(WORK)));
    }
    p.put(A.addiu(R.s0, R.s0, -1), br((o) => A.bgtz(R.s0, o), `B${l}`));
    if (rnd() < 0.5) p.put(A.nop()); else slot(alu());
    p.put(la(R.t9, `L${(l + 1) % LOOPS}`), A.jr(R.t9), A.nop()); // a j from kuseg would stay there
  }
  if (p.here() - CODE > 0x1000) throw new RangeError(`seed ${seed}: the code outgrew its page`);
  return p.image('start');
}

/** A store into a slot chosen once every slot is placed, every fourth turn only (skipping to `skip`) half the time. */
function rewrite(p: Placed, rnd: () => number, slots: number[], skip: string): void {
  const guarded = rnd() < 0.5, kind = rnd(), choice = Math.floor(rnd() * 1e9);
  const patch = PATCH[choice % PATCH.length], any = [...PATCH, ...WORK][choice % 15];
  if (guarded) p.put(A.andi(R.t8, R.s0, 3), br((o) => A.bne(R.t8, R.zero, o), skip), A.nop());
  const store: Word = () => {
    const off = slots[choice % slots.length] - CODE;
    return kind < 0.6 ? A.sw(patch, off, R.s6) : kind < 0.8 ? A.sh(any, off, R.s6) : A.sb(any, off + (choice & 1), R.s6);
  };
  p.put(store);
  if (guarded) p.label(skip);
}
